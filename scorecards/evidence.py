"""Which evidence files are accepted: by size, by extension, and by what the bytes are.

A file is accepted only when its extension is on the allow-list *and* its first bytes
(its "magic") are those of that type, so an HTML page renamed ``report.pdf`` is refused,
and so is anything a browser could run: HTML, SVG, JavaScript, executables. Office files
are ZIP archives; their member names tell a spreadsheet from a document, and macros
(``vbaProject.bin``) are refused. Text files (txt, csv) must be text and carry no markup.

Pure: it reads the upload, never the database. ``services.evidence_add`` calls it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192  # what is read to recognise a type (text files are checked this far)

ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_bytes() -> int:
    return int(getattr(settings, "HARAMBEE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Accepted:
    """What an accepted upload is: its extension (lower case, with the dot), the content
    type it will be served with, and its size."""

    extension: str
    content_type: str
    size: int


def _starts(*magics: bytes) -> Callable[[bytes, IO[bytes]], bool]:
    return lambda head, _file: any(head.startswith(magic) for magic in magics)


def _webp(head: bytes, _file: IO[bytes]) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip_with(*members: str, mimetype: str = "") -> Callable[[bytes, IO[bytes]], bool]:
    """A ZIP archive (an office file) that has ``members`` and no macros; for
    OpenDocument, whose ``mimetype`` member names the type."""

    def check(head: bytes, file: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return False
                if mimetype:
                    info = archive.getinfo("mimetype") if "mimetype" in names else None
                    if info is None or info.file_size > 100:
                        return False
                    return archive.read(info).strip() == mimetype.encode()
                return all(member in names for member in members)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return False
        finally:
            file.seek(0)

    return check


# Markup a browser would render or run if it ever sniffed the file as HTML.
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")


def _text(head: bytes, _file: IO[bytes]) -> bool:
    if b"\x00" in head:
        return False
    lowered = head.lower()
    if any(marker in lowered for marker in _MARKUP):
        return False
    try:
        # The last bytes read may cut a character in two: ignore an incomplete ending.
        text = head.decode("utf-8-sig", errors="strict") if head else ""
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError:
                return False
        else:
            text = head[: error.start].decode("utf-8-sig")
    return all(char.isprintable() or char in "\t\r\n\f" for char in text)


# extension -> (content type served, check of the bytes)
ALLOWED: dict[str, tuple[str, Callable[[bytes, IO[bytes]], bool]]] = {
    ".pdf": ("application/pdf", _starts(b"%PDF-")),
    ".jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".webp": ("image/webp", _webp),
    ".csv": ("text/csv", _text),
    ".txt": ("text/plain", _text),
    ".xlsx": (XLSX, _zip_with("[Content_Types].xml", "xl/workbook.xml")),
    ".docx": (DOCX, _zip_with("[Content_Types].xml", "word/document.xml")),
    ".odt": (ODT, _zip_with(mimetype=ODT)),
    ".ods": (ODS, _zip_with(mimetype=ODS)),
}


def allowed_extensions() -> list[str]:
    return sorted({extension.lstrip(".") for extension in ALLOWED})


def check_upload(name: str, file: IO[bytes], size: int | None = None) -> Accepted:
    """Accept ``file`` (named ``name`` by the uploader) or raise ``ValidationError``."""
    extension = PurePosixPath(name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Upload one of: %(types)s.")
            % {"types": ", ".join(allowed_extensions())},
            code="file_type",
        )
    if size is None:
        size = _size_of(file)
    if size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s; files of up to %(limit)s can be uploaded.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    content_type, looks_right = ALLOWED[extension]
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not looks_right(head, file):
        raise ValidationError(
            _(
                "This file's contents are not those of a %(type)s file. Upload the file "
                "itself, saved in that format."
            )
            % {"type": extension.lstrip(".").upper()},
            code="file_content",
        )
    return Accepted(extension=extension, content_type=content_type, size=size)


def _size_of(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size
