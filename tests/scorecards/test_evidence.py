"""Evidence: files checked by size, extension and content, links by scheme; files kept
where no address serves them, internal unless marked public."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from scorecards import services
from scorecards.models import Evidence, EvidenceKind, EvidenceStrength, evidence_strength
from scorecards.storage import evidence_root
from tests.scorecards.factories import draft, submitted, verified

pytestmark = pytest.mark.django_db

JUNE = date(2026, 6, 30)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
EXE = b"MZ\x90\x00" + b"\x00" * 64


def office(members: dict[str, bytes], *, stored_first: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            archive.writestr(stored_first, members.pop(stored_first))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = office(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
    stored_first="mimetype",
)
DOCM = office(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"\x00macro",
    }
)


@pytest.fixture
def reading(indicator, partner_staff):
    return draft(indicator, partner_staff, JUNE)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def add(reading, user, name, content, **fields):
    return services.evidence_add(reading=reading, by=user, file=upload(name, content), **fields)


def stored_files() -> list[Path]:
    root = evidence_root()
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("attendance.pdf", PDF, "application/pdf"),
        ("Photo.JPG", JPEG, "image/jpeg"),
        ("photo.png", PNG, "image/png"),
        ("photo.webp", WEBP, "image/webp"),
        ("register.csv", b"name,village\nZawadi,Mnarani\n", "text/csv"),
        ("notes.txt", "Mkutano wa wakulima — 40 walihudhuria.".encode(), "text/plain"),
        ("notes-latin1.txt", "Réunion à Pikine".encode("cp1252"), "text/plain"),
        (
            "report.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("counts.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("minutes.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_files_of_the_allowed_types_are_kept(reading, partner_staff, name, content, content_type):
    evidence = add(reading, partner_staff, name, content)

    assert evidence.kind == EvidenceKind.FILE
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert not evidence.is_public
    assert evidence.added_by == partner_staff
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("page.htm", HTML),
        ("drawing.svg", SVG),
        ("script.js", b"alert(1)"),
        ("setup.exe", EXE),
        ("macro.docm", DOCM),
        ("archive.zip", DOCX),
        ("no-extension", PDF),
    ],
)
def test_files_of_other_types_are_refused_with_a_message(reading, partner_staff, name, content):
    with pytest.raises(ValidationError) as caught:
        add(reading, partner_staff, name, content)

    assert "cannot be uploaded" in " ".join(caught.value.messages)
    assert not Evidence.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", HTML),  # an HTML page renamed
        ("photo.png", SVG),
        ("photo.jpg", PDF),
        ("report.docx", DOCM),  # macros inside a .docx
        ("report.docx", XLSX),  # a spreadsheet named as a document
        ("report.docx", b"PK\x03\x04 not really a zip"),
        ("minutes.odt", DOCX),
        ("register.csv", HTML),
        ("register.csv", b"a,b\n<script>alert(1)</script>\n"),
        ("notes.txt", b"<svg onload=alert(1)>"),
        ("notes.txt", b"binary\x00\x01\x02"),
        ("setup.pdf", EXE),
    ],
)
def test_a_file_whose_contents_are_not_its_type_is_refused(reading, partner_staff, name, content):
    with pytest.raises(ValidationError) as caught:
        add(reading, partner_staff, name, content)

    assert "contents are not those of" in " ".join(caught.value.messages)
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused(settings, reading, partner_staff):
    settings.HARAMBEE_EVIDENCE_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as caught:
        add(reading, partner_staff, "big.pdf", PDF + b"0" * 2000)

    assert "files of up to 1.0\xa0KB can be uploaded" in " ".join(caught.value.messages)
    assert not Evidence.objects.exists()


def test_the_default_size_limit_is_ten_megabytes(reading, partner_staff):
    with pytest.raises(ValidationError):
        add(reading, partner_staff, "big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    add(reading, partner_staff, "small.pdf", PDF + b"0" * (1024 * 1024))


def test_an_empty_file_is_refused(reading, partner_staff):
    with pytest.raises(ValidationError):
        add(reading, partner_staff, "empty.pdf", b"")


def test_files_get_a_random_name_outside_the_media_root(reading, partner_staff):
    evidence = add(reading, partner_staff, "Attendance Zawadi Charo.pdf", PDF)

    path = Path(evidence.file.path)
    assert "Zawadi" not in evidence.file.name
    assert path.suffix == ".pdf"
    assert len(path.stem) == 32
    assert path.is_relative_to(evidence_root())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert evidence.original_name == "Attendance Zawadi Charo.pdf"


def test_evidence_files_have_no_address(reading, partner_staff):
    evidence = add(reading, partner_staff, "sheet.pdf", PDF)

    with pytest.raises(ValueError, match="download view"):
        evidence.file.url  # noqa: B018


def test_a_path_in_the_uploaded_name_is_dropped(reading, partner_staff):
    evidence = add(reading, partner_staff, "../../etc/sheet.pdf", PDF)

    assert evidence.original_name == "sheet.pdf"


def test_links_and_video_links_are_kept(reading, partner_staff):
    link = services.evidence_add(
        reading=reading, by=partner_staff, url="https://drive.example.org/sheet", title="Sheet"
    )
    video = services.evidence_add(
        reading=reading, by=partner_staff, url="https://video.example.org/v/1", kind="video"
    )

    assert (link.kind, link.title, video.kind) == ("link", "Sheet", "video")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/sheet", "data:text/html,<b>", "sheet"]
)
def test_links_must_be_web_addresses(reading, partner_staff, url):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(reading=reading, by=partner_staff, url=url)

    assert "http://" in " ".join(caught.value.messages)
    assert not Evidence.objects.exists()


def test_a_piece_of_evidence_is_a_file_or_a_link(reading, partner_staff):
    with pytest.raises(ValidationError):
        services.evidence_add(reading=reading, by=partner_staff)
    with pytest.raises(ValidationError):
        services.evidence_add(
            reading=reading,
            by=partner_staff,
            file=upload("sheet.pdf", PDF),
            url="https://example.org",
        )


def test_evidence_is_added_to_drafts_and_returned_readings_only(indicator, partner_staff, lead):
    reading = submitted(indicator, partner_staff, JUNE)

    with pytest.raises(ValidationError):
        services.evidence_add(reading=reading, by=partner_staff, url="https://example.org")
    services.reading_return(reading=reading, by=lead, reason="Add the sheet")
    services.evidence_add(reading=reading, by=partner_staff, url="https://example.org")
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)

    with pytest.raises(ValidationError):
        services.evidence_add(reading=reading, by=partner_staff, url="https://example.org/2")
    assert reading.evidence.count() == 1


def test_a_partner_may_mark_evidence_of_a_verified_reading_public(indicator, partner_staff, lead):
    reading = draft(indicator, partner_staff, JUNE)
    evidence = add(reading, partner_staff, "photo.jpg", JPEG)
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)

    services.evidence_set_public(evidence=evidence, is_public=True)

    evidence.refresh_from_db()
    assert evidence.is_public
    assert evidence.history.count() == 2


def test_removing_evidence_removes_its_file_once_committed(
    reading, partner_staff, django_capture_on_commit_callbacks
):
    evidence = add(reading, partner_staff, "sheet.pdf", PDF)
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=evidence)

    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_evidence_of_a_verified_reading_is_not_removed(indicator, partner_staff, lead):
    reading = draft(indicator, partner_staff, JUNE)
    evidence = services.evidence_add(reading=reading, by=partner_staff, url="https://example.org")
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)

    with pytest.raises(ValidationError):
        services.evidence_remove(evidence=evidence)


def test_evidence_strength_is_data_or_document_then_link_then_none(indicator, partner_staff, lead):
    reading = verified(indicator, partner_staff, lead, JUNE)
    assert reading.evidence_strength == EvidenceStrength.NONE

    assert evidence_strength([EvidenceKind.VIDEO]) == EvidenceStrength.LINK
    assert evidence_strength([EvidenceKind.LINK]) == EvidenceStrength.LINK
    assert evidence_strength([EvidenceKind.LINK, EvidenceKind.FILE]) == EvidenceStrength.DOCUMENT
    assert evidence_strength([]) == EvidenceStrength.NONE
    assert EvidenceStrength.DOCUMENT > EvidenceStrength.LINK > EvidenceStrength.NONE
