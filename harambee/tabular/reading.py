"""``read_table``: an uploaded file to a ``Table``, and the CSV reader."""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from harambee.tabular.table import (
    Table,
    TableError,
    _build_table,
    _no_rows_message,
    _too_large_message,
)
from harambee.tabular.xlsx import _read_xlsx

_ZIP_MAGIC = b"PK\x03\x04"
# Legacy Office (.xls, .doc) files are OLE2 compound documents.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_EXTENSIONS = frozenset({".csv", ".txt"})
_XLSX_EXTENSIONS = frozenset({".xlsx"})
_CSV_DELIMITERS = ",;\t"


def read_table(
    upload: UploadedFile | IO[bytes],
    *,
    max_rows: int = 20_000,
    max_bytes: int = 10 * 1024 * 1024,
) -> Table:
    """Read an uploaded CSV or XLSX file into a ``Table`` of stripped text cells.

    ``upload`` is a Django ``UploadedFile`` or any binary file object with a ``name``.
    Raises ``TableError`` (with a message for the user) when the file type is not
    accepted, the file is too large, unreadable, has bad headers, no data rows, or more
    than ``max_rows`` data rows. Blank rows are skipped; cells are never evaluated.
    """
    name = str(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name.lower())[1]
    data = _read_bytes(upload, max_bytes)
    if not data.strip():
        raise TableError(_no_rows_message())
    if extension == ".xls" or data.startswith(_OLE_MAGIC):
        raise TableError(
            _(
                "This is an old Excel file (.xls). Open it in Excel, save it as .xlsx "
                "or as CSV UTF-8, and upload the new file."
            )
        )
    if extension not in _CSV_EXTENSIONS | _XLSX_EXTENSIONS:
        raise TableError(_accepted_formats_message())
    # The content decides over the extension: a workbook renamed to .csv is still a workbook.
    if extension in _XLSX_EXTENSIONS or data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, max_rows=max_rows, max_bytes=max_bytes)
    return _read_csv(data, max_rows=max_rows)


def _accepted_formats_message() -> str:
    return _(
        "This type of file cannot be imported. Upload a CSV file (.csv) or an Excel "
        "workbook (.xlsx)."
    )


def _read_bytes(upload: Any, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (+1 to detect overflow) without trusting ``size``."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise TableError(_too_large_message(max_bytes))
    if hasattr(upload, "seek"):
        # A form or a previous validator may already have read the file; if it cannot
        # seek, read from where it is.
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TableError(_too_large_message(max_bytes))
    return data


# --- CSV


def _read_csv(data: bytes, *, max_rows: int) -> Table:
    try:
        # Strict: silently mis-decoded names are worse than a clear error.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            _(
                "The file is not saved as UTF-8 text, so letters like é or ñ would be "
                'damaged. In Excel choose "Save As" and the type "CSV UTF-8", then upload '
                "the new file."
            )
        ) from exc
    if "\x00" in text:
        raise TableError(_accepted_formats_message())  # binary data with a .csv name
    return _build_table(_csv_records(text), max_rows)


def _sniff_delimiter(text: str) -> str:
    """Pick comma, semicolon or tab from the header line; comma when unsure."""
    header_line = next((line for line in io.StringIO(text) if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","
    return delimiter if delimiter in header_line else ","


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells); blank lines count, as they do when Excel opens the file."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True
    )
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise TableError(
            _(
                "The file could not be read near line %(line)s. Check that line for a "
                'stray quote mark ("), or export the file again as CSV UTF-8.'
            )
            % {"line": reader.line_num}
        ) from exc
