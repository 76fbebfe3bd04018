"""Evidence downloads: every one permission-checked, every one an attachment.

An evidence file may be anything the allow-list lets through (``scorecards.evidence``),
and was made by someone outside the site, so it is never rendered on the site's origin:
it is sent as an attachment under a safe name, with a content type from the allow-list
(never HTML or SVG), ``nosniff`` and a sandboxing Content-Security-Policy, so that even a
browser that opens it in a tab runs nothing. Who may download what is
``permissions.get_evidence_for_user`` (404 otherwise): anyone, a public file of a
published reading of a public partnership; people inside the partnership, the others.
Files outside that public set are ``private, no-store``. The view is not a
``public_page``: the shared page cache never keeps a download.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.views import View

from scorecards.evidence import ALLOWED
from scorecards.models import Evidence
from scorecards.permissions import get_evidence_for_user

FALLBACK_TYPE = "application/octet-stream"
SANDBOX = "sandbox; default-src 'none'"
MAX_NAME = 100


class EvidenceDownloadView(View):
    def get(self, request, pk: int):
        evidence = get_evidence_for_user(request.user, pk)
        if not evidence.is_file or not evidence.file:
            raise Http404
        try:
            handle = evidence.file.open("rb")
        except OSError as error:  # the row outlived its file (a restore, a failed upload)
            raise Http404 from error
        public = Evidence.objects.visible_to(None).filter(pk=evidence.pk).exists()
        extension = PurePosixPath(evidence.file.name).suffix.lower()
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(evidence, extension, public=public),
            content_type=served_type(extension),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = SANDBOX
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Cache-Control"] = "no-cache" if public else "private, no-store"
        return response


def served_type(extension: str) -> str:
    """The content type of the allow-list for the stored file's extension (the one that
    was checked against its bytes at upload), whatever the row says."""
    content_type, _check = ALLOWED.get(extension, (FALLBACK_TYPE, None))
    return content_type


def download_name(evidence: Evidence, extension: str, *, public: bool) -> str:
    """A name a browser saves safely: letters, digits, spaces, dots, dashes and
    underscores only, ending in the stored file's extension. Public files get a neutral
    name (an original name may carry a person's); internal ones, read by the partners
    only, their original name cleaned."""
    fallback = f"evidence-{evidence.pk}"
    if public:
        return fallback + extension
    stem = PurePosixPath(evidence.original_name.replace("\\", "/")).stem
    stem = unicodedata.normalize("NFC", stem)
    cleaned = "".join(char if char.isalnum() or char in " ._-" else "_" for char in stem)
    cleaned = cleaned.strip(" ._-")[:MAX_NAME].strip(" ._-")
    return (cleaned or fallback) + extension
