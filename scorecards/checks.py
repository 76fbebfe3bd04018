"""System checks of the scorecards app's settings."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks

from scorecards.storage import evidence_root


@checks.register(checks.Tags.security)
def check_evidence_outside_served_folders(app_configs=None, **kwargs) -> list[checks.Error]:
    """Evidence files must not sit under the media or static root: the development server
    serves MEDIA_ROOT at MEDIA_URL, and whatever serves those folders in production would
    hand the files out without the permission check or the attachment headers."""
    evidence = evidence_root().resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        folder = getattr(settings, name, None)
        if folder and evidence.is_relative_to(Path(folder).resolve()):
            errors.append(
                checks.Error(
                    f"HARAMBEE_EVIDENCE_ROOT ({evidence}) lies inside {name} ({folder}).",
                    hint="Keep evidence where no address serves it, such as VAR_DIR/evidence.",
                    id="scorecards.E001",
                )
            )
    return errors
