"""Evidence downloads: permission-checked, always attachments, never rendered by the site.

Anyone may download a public file of a verified reading of a public partnership; internal
files, and any file of a draft, submitted or returned reading, or of a partnership that
is not public, only people inside the partnership who may read them. Everyone else gets
404. Files live outside the media root, which the development server serves.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

import harambee.urls
from partnerships.models import Visibility
from scorecards import services
from scorecards.checks import check_evidence_outside_served_folders
from scorecards.models import Evidence, EvidenceKind
from scorecards.storage import evidence_root, evidence_storage
from tests.scorecards.factories import make_outcome
from tests.scorecards.test_public_page import PDF, advance, pdf, reading, timed_indicator

pytestmark = pytest.mark.django_db

SANDBOX = "sandbox; default-src 'none'"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.fixture
def indicator(partnership, lead, implementer):
    outcome = make_outcome(
        partnership, lead, title="Farmers get fair prices", partners=[implementer]
    )
    return timed_indicator(outcome, implementer, title="Prices")


def evidence_of(
    indicator, reporter, verifier, state, *, public=True, name="Register.pdf", ended=-1
):
    """A file of a reading taken to ``state``."""
    made = reading(indicator, reporter, state="draft", ended=ended)
    piece = services.evidence_add(reading=made, by=reporter, file=pdf(name), is_public=public)
    advance(made, reporter, verifier, state)
    return piece


def download(client, piece):
    return client.get(reverse("scorecards:evidence", args=[piece.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_attachment(response, *, content_type="application/pdf", private=True) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Cache-Control"] == ("private, no-store" if private else "no-cache")


# --- who may download what -------------------------------------------------------------------


def test_anyone_downloads_a_public_file_of_a_verified_reading_of_a_public_partnership(
    client, as_user, outsider, indicator, partner_staff, lead
):
    piece = evidence_of(indicator, partner_staff, lead, "verified")

    for browser in (client, as_user(outsider), as_user(partner_staff)):
        response = download(browser, piece)
        assert_attachment(response, private=False)
        assert body(response) == PDF
        # A neutral name: an original name may carry a person's.
        assert response["Content-Disposition"] == f'attachment; filename="evidence-{piece.pk}.pdf"'


@pytest.mark.parametrize(
    ("state", "public"),
    [("verified", False), ("draft", True), ("submitted", True), ("returned", True)],
    ids=["internal", "draft", "submitted", "returned"],
)
def test_other_files_are_404_for_visitors_and_outsiders_and_private_to_partner_staff(
    client, as_user, outsider, panel_member, indicator, partner_staff, lead, funder, state, public
):
    piece = evidence_of(indicator, partner_staff, lead, state, public=public)

    for browser in (client, as_user(outsider), as_user(panel_member)):
        assert download(browser, piece).status_code == 404
    readers = [partner_staff, lead] if state == "draft" else [partner_staff, lead, funder]
    for reader in readers:
        response = download(as_user(reader), piece)
        assert_attachment(response, private=True)
        assert body(response) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="Register.pdf"'


def test_someone_elses_draft_is_404_even_to_a_funder(
    as_user, indicator, partner_staff, lead, funder
):
    piece = evidence_of(indicator, partner_staff, lead, "draft")

    assert download(as_user(funder), piece).status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.DRAFT])
def test_files_of_a_partnership_that_is_not_public_are_404_for_outsiders(
    client, as_user, outsider, partnership, indicator, partner_staff, lead, visibility
):
    piece = evidence_of(indicator, partner_staff, lead, "verified")
    partnership.visibility = visibility
    partnership.save(update_fields=["visibility"])

    assert download(client, piece).status_code == 404
    assert download(as_user(outsider), piece).status_code == 404
    assert_attachment(download(as_user(partner_staff), piece), private=True)


def test_a_missing_row_a_link_and_a_lost_file_are_404(client, indicator, partner_staff, lead):
    made = reading(indicator, partner_staff, state="draft")
    link = services.evidence_add(
        reading=made, by=partner_staff, url="https://example.org/sheet", is_public=True
    )
    piece = services.evidence_add(reading=made, by=partner_staff, file=pdf(), is_public=True)
    advance(made, partner_staff, lead, "verified")
    piece.file.storage.delete(piece.file.name)

    assert client.get(reverse("scorecards:evidence", args=[999_999])).status_code == 404
    assert download(client, link).status_code == 404
    assert download(client, piece).status_code == 404


def test_a_download_never_reaches_the_page_cache(
    client, indicator, partner_staff, lead, cached_pages
):
    piece = evidence_of(indicator, partner_staff, lead, "verified")
    assert download(client, piece).status_code == 200
    piece.is_public = False
    piece.save(update_fields=["is_public"])  # no bump: only a check on each request helps

    assert download(client, piece).status_code == 404


# --- never rendered by the site --------------------------------------------------------------


def smuggled(reading_, name: str, content: bytes, *, content_type: str) -> Evidence:
    """A file that the upload checks would refuse (HTML, SVG), put in place some other way
    (an old row, an admin's mistake, a restored backup): the download must still be safe."""
    piece = Evidence(
        reading=reading_,
        kind=EvidenceKind.FILE,
        original_name=name,
        content_type=content_type,
        size=len(content),
        is_public=True,
    )
    piece.file.save(name, ContentFile(content), save=False)
    piece.save()
    return piece


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [
        ("page.html", HTML, "text/html"),
        ("drawing.svg", SVG, "image/svg+xml"),
        ("notes.txt", HTML, "text/html"),
    ],
)
def test_html_and_svg_are_never_served_inline_nor_as_what_they_are(
    client, indicator, partner_staff, lead, name, content, claimed
):
    made = reading(indicator, partner_staff, lead)
    piece = smuggled(made, name, content, content_type=claimed)

    response = download(client, piece)

    expected = "text/plain" if name.endswith(".txt") else "application/octet-stream"
    assert_attachment(response, content_type=expected, private=False)
    assert response["Content-Type"] not in ("text/html", "image/svg+xml")


@pytest.mark.parametrize(
    ("original", "saved_as"),
    [
        ('Report "final".pdf', "Report _final.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\amina\\Sheet 1.pdf", "Sheet 1.pdf"),
        ("evil\r\nSet-Cookie: x=1.pdf", "evil__Set-Cookie_ x_1.pdf"),
        ("invoice\u202egpj.exe.pdf", "invoice_gpj.exe.pdf"),
        ("Mahudhurio ya wakulima – Kilifi.pdf", "Mahudhurio ya wakulima _ Kilifi.pdf"),
        ("...pdf", "evidence-{pk}.pdf"),
    ],
)
def test_an_internal_file_keeps_its_original_name_made_safe(
    as_user, indicator, partner_staff, lead, original, saved_as
):
    piece = evidence_of(indicator, partner_staff, lead, "verified", public=False, name=original)

    response = download(as_user(partner_staff), piece)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{saved_as.format(pk=piece.pk)}"'
    )


def test_a_name_in_another_script_is_sent_encoded(as_user, indicator, partner_staff, lead):
    piece = evidence_of(indicator, partner_staff, lead, "verified", public=False, name="سجل.pdf")

    response = download(as_user(partner_staff), piece)

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D8%B3%D8%AC%D9%84.pdf"
    )


# --- outside the media root ------------------------------------------------------------------


@pytest.fixture
def media_served(settings, tmp_path):
    """The site's URLs as with DEBUG on, where the development server serves MEDIA_ROOT,
    with the media root and the evidence root side by side as by default (var/media,
    var/evidence)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HARAMBEE_EVIDENCE_ROOT = str(tmp_path / "evidence")
    settings.DEBUG = True
    spec = importlib.util.spec_from_file_location("debug_urls", harambee.urls.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["debug_urls"] = module
    settings.ROOT_URLCONF = "debug_urls"
    settings.DEBUG = False  # the URLs are built; the rest of the request as in the tests
    yield Path(settings.MEDIA_ROOT)
    del sys.modules["debug_urls"]


def test_the_media_address_of_an_evidence_file_is_404(
    client, media_served, indicator, partner_staff, lead
):
    (media_served / "logo.txt").parent.mkdir(parents=True, exist_ok=True)
    (media_served / "logo.txt").write_text("served")
    piece = evidence_of(indicator, partner_staff, lead, "verified")
    stored = Path(evidence_storage().path(piece.file.name))
    assert stored.is_file() and not stored.is_relative_to(media_served)

    assert client.get("/media/logo.txt").status_code == 200  # the media route is there
    assert client.get(f"/media/{piece.file.name}").status_code == 404
    assert client.get(f"/media/../evidence/{piece.file.name}").status_code in (400, 404)
    assert download(client, piece).status_code == 200


def test_by_default_evidence_lives_beside_the_media_root_not_in_it(settings):
    settings.HARAMBEE_EVIDENCE_ROOT = None

    assert not evidence_root().resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_system_check_refuses_evidence_under_the_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HARAMBEE_EVIDENCE_ROOT = str(tmp_path / "media" / "evidence")

    errors = check_evidence_outside_served_folders()

    assert [error.id for error in errors] == ["scorecards.E001"]
    settings.HARAMBEE_EVIDENCE_ROOT = str(tmp_path / "evidence")
    assert check_evidence_outside_served_folders() == []
