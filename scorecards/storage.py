"""Where evidence files are kept: a private place that no address serves.

Attendance sheets and photos carry names and faces, and an uploaded file could be HTML
made to run on the site's origin. So evidence never lives under ``MEDIA_ROOT`` (which
the development server serves at ``MEDIA_URL``), has no URL of its own (``url()``
refuses), and is read only by the permission-checked download view, which sends it as
an attachment.

The place is ``settings.HARAMBEE_EVIDENCE_ROOT`` (default ``VAR_DIR / "evidence"``), or,
where ``settings.STORAGES`` has an ``"evidence"`` entry (object storage in production),
that storage, which must be private too.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property


def evidence_root() -> Path:
    configured = getattr(settings, "HARAMBEE_EVIDENCE_ROOT", None)
    if configured:
        return Path(configured)
    var_dir = getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")
    return Path(var_dir) / "evidence"


class EvidenceStorage(FileSystemStorage):
    """Files under ``evidence_root()``, read again after a settings change (tests)."""

    @cached_property
    def base_location(self) -> str:
        return str(evidence_root())

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence has no public address: serve it through the download view.")

    def _clear_cached_properties(self, setting, **kwargs) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("HARAMBEE_EVIDENCE_ROOT", "VAR_DIR"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_private = EvidenceStorage()


def evidence_storage() -> Storage:
    """The storage of ``Evidence.file`` (a callable, so migrations name no path)."""
    if "evidence" in settings.STORAGES:
        return storages["evidence"]
    return _private
