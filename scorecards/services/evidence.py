"""Evidence of readings: checked files, links and video links, internal or public."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from harambee.services import save_changes, save_new
from harambee.transitions import lock
from scorecards.evidence import check_upload
from scorecards.models import (
    EDITABLE_STATES,
    PUBLISHED_STATES,
    Evidence,
    EvidenceKind,
    Reading,
)
from scorecards.services.common import (
    public_changed,
)


def _evidence_reading(reading: Reading) -> Reading:
    locked = lock(reading)
    if locked.status not in EDITABLE_STATES:
        raise ValidationError(
            _(
                "Evidence is added while a reading is a draft or returned. To add to a "
                "verified reading, correct it."
            ),
            code="not_editable",
        )
    return locked


_http_only = URLValidator(schemes=["http", "https"])


@transaction.atomic
def evidence_add(
    *,
    reading: Reading,
    by: User | None,
    file: Any = None,
    url: str = "",
    kind: str | None = None,
    title: str = "",
    is_public: bool = False,
) -> Evidence:
    """Add a file (checked: size, type by extension and by content) or an http(s) link
    (``kind`` "link" or "video") to a draft or returned reading. Files are internal
    unless ``is_public``."""
    stored = _evidence_reading(reading)
    url = (url or "").strip()
    if bool(file) == bool(url):
        raise ValidationError(_("Add either a file or a link."), code="file_or_link")
    if file:
        return _add_file(stored, by, file, title=title, is_public=is_public)
    kind = kind or EvidenceKind.LINK
    if kind not in (EvidenceKind.LINK, EvidenceKind.VIDEO):
        raise ValidationError({"kind": _("Choose a link or a video link.")})
    try:
        _http_only(url)
    except ValidationError as error:
        raise ValidationError(
            {"url": _("Enter a web address starting with http:// or https://.")}
        ) from error
    evidence = Evidence(
        reading=stored, kind=kind, url=url, title=title.strip(), is_public=is_public, added_by=by
    )
    return save_new(evidence)


def _add_file(reading: Reading, by, upload, *, title: str, is_public: bool) -> Evidence:
    name = PurePosixPath((getattr(upload, "name", "") or "").replace("\\", "/")).name
    accepted = check_upload(name, upload, getattr(upload, "size", None))
    evidence = Evidence(
        reading=reading,
        kind=EvidenceKind.FILE,
        # A short stand-in name: the storage gives the file its random one on save.
        file=File(upload, name=f"upload{accepted.extension}"),
        original_name=name[:255],
        content_type=accepted.content_type,
        size=accepted.size,
        title=title.strip(),
        is_public=is_public,
        added_by=by,
    )
    return save_new(evidence)


@transaction.atomic
def evidence_set_public(*, evidence: Evidence, is_public: bool) -> Evidence:
    """Mark a piece of evidence public (once the people in it agreed) or internal again;
    allowed in any state, since it changes what is shown, not what was verified."""
    reading = lock(evidence.reading)
    save_changes(evidence, {"is_public": is_public})
    if reading.status in PUBLISHED_STATES:
        public_changed(reading.indicator.outcome.partnership)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence) -> None:
    """Remove evidence from a draft or returned reading (the file goes on commit)."""
    _evidence_reading(evidence.reading)
    stored = lock(evidence)
    name = stored.file.name if stored.file else ""
    storage = stored.file.storage
    stored.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
