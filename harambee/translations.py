"""Translations of content, written by people: one language's version of a record.

The original (the record's ``source_language``) is changed on the record's own edit page
through its own service; this writes only the other languages' columns.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from harambee.content import column, original_language, translated_field_names
from harambee.i18n import language_codes
from harambee.services import save_changes
from harambee.transitions import lock

M = TypeVar("M", bound=Model)


@transaction.atomic
def translation_save(*, instance: M, language: str, values: dict[str, str]) -> M:
    """Set ``instance``'s version in ``language`` of its translated fields named in
    ``values`` (an empty value removes that translation), validated as a whole and saved
    with only those columns, so its history records the change.

    Refuses the original's language and fields that are not translated. Works whatever
    state the record is in: a validated assessment's needs may still be translated, since
    the original stays as the community said it.
    """
    if language not in language_codes():
        raise ValidationError(_("Choose one of the languages Harambee is shown in."))
    fields = translated_field_names(instance)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Not translated fields of {type(instance).__name__}: {sorted(unknown)}")
    locked = lock(instance)
    if language == original_language(locked):
        raise ValidationError(
            _("This is the language it was written in: change the original on its edit page.")
        )
    changes = {column(field, language): (values[field] or "").strip() for field in values}
    # Validated as written: a required field is there in the original's language.
    with translation.override(original_language(locked)):
        save_changes(locked, changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    return locked


class Status:
    """How far a language's version of a record goes."""

    ORIGINAL = "original"
    COMPLETE = "complete"
    PARTIAL = "partial"
    MISSING = "missing"


def translation_status(record: Model, language: str) -> str:
    """Whether ``language`` holds the original, a version of every field the record has
    text in, of some of them, or none."""
    if language == original_language(record):
        return Status.ORIGINAL
    fields = translated_field_names(record)
    written = [f for f in fields if any(getattr(record, column(f, c)) for c in language_codes())]
    done = [f for f in written if getattr(record, column(f, language))]
    if not done:
        return Status.MISSING
    return Status.COMPLETE if len(done) == len(written) else Status.PARTIAL
