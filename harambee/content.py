"""Content in the reader's language: every translatable record knows the language it was
written in (its original), and its other languages' columns hold translations.

The columns are django-modeltranslation's (``title_en``, ``title_fr``, ...). A record's
``source_language`` says which of them is the original.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from harambee.i18n import language_codes


def source_language_field() -> models.CharField:
    """The language a record was written in; set by the services from the author's
    interface language (existing records were written in English)."""
    return models.CharField(
        _("written in"),
        max_length=7,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the original text; the others are translations."),
    )


def author_language() -> str:
    """The interface language of whoever writes now: the source language of what they write."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    return language if language in language_codes() else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Text:
    """One field of a record as a reader sees it: the text of exactly one column, the
    language it is in, and whether it is a fallback (not in the reader's language)."""

    text: str
    language: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def language_name(self) -> str:
        """The name of the text's language in the active (the reader's) language."""
        return get_language_info(self.language)["name_translated"]


def _code(language: str | None) -> str:
    return (language or settings.LANGUAGE_CODE).split("-")[0].lower()


def column(field: str, language: str) -> str:
    """The modeltranslation column of ``field`` in ``language``: ``title_fr``."""
    return build_localized_fieldname(field, language)


def original_language(record) -> str:
    """The language a record was written in (English for a record that does not say)."""
    language = _code(getattr(record, "source_language", "") or settings.LANGUAGE_CODE)
    return language if language in language_codes() else settings.LANGUAGE_CODE


def in_reader_language(record, field: str, language: str | None) -> Text:
    """``field`` of ``record`` for a reader of ``language``: their version where one exists;
    otherwise the original (the column of the record's source language); if that is empty
    too (old rows), the first non-empty column in the order of ``settings.LANGUAGES``.

    Each answer is one column's text, never a mix, so its language is known and can be
    marked. Reads loaded columns only: no query, if the caller did not defer them.
    """
    reader = _code(language)
    source = original_language(record)
    order = [reader, source, *(code for code in language_codes() if code not in (reader, source))]
    for code in dict.fromkeys(order):
        if code not in language_codes():
            continue
        value = getattr(record, column(field, code), "") or ""
        if value:
            return Text(value, code, fallback=code != reader)
    return Text("", reader)


def translated_field_names(model_or_record) -> list[str]:
    """The fields of a model that modeltranslation translates, in their declared order."""
    model = model_or_record if isinstance(model_or_record, type) else type(model_or_record)
    translated = set(translator.get_options_for_model(model).fields)
    return [f.name for f in model._meta.concrete_fields if f.name in translated]
