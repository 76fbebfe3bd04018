"""Writing safe CSV and XLSX files to streams and HTTP responses."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# OWASP CSV injection: spreadsheet programs treat these leading characters as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Values that csv and openpyxl write as themselves; anything else is written as str(value).
_NATIVE_TYPES = (
    str,
    int,
    float,
    Decimal,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)


def escape_cell(value: Any) -> Any:
    """Neutralise a cell that a spreadsheet program would run as a formula.

    Strings starting with ``= + - @``, tab or carriage return get a leading apostrophe
    (OWASP CSV injection advice), except plain numbers such as "-3" or "+2.5". Lazy
    translations become plain strings; other values are returned unchanged.
    """
    if isinstance(value, Promise):
        value = str(value)
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_PREFIXES)
        and not _PLAIN_NUMBER_RE.fullmatch(value)
    ):
        return "'" + value
    return value


def write_csv(stream: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write a UTF-8 CSV (with BOM so Excel shows accents correctly) to a binary stream.

    ``stream`` is anything with ``write(bytes)``: a file opened with "wb", ``io.BytesIO``,
    a file from ``django.core.files.storage``, an ``HttpResponse``. It is left open.
    Every cell, headers included, goes through ``escape_cell``.
    """
    text = _Utf8Writer(stream)
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow([_safe_value(value) for value in headers])
    for row in rows:
        writer.writerow([_safe_value(value) for value in row])


def write_xlsx(stream: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write an .xlsx workbook of one sheet to a binary stream, which is left open.

    Every cell, headers included, goes through ``escape_cell``; strings are always stored
    as text, never as formulas or error values. A stream that cannot seek gets a valid
    workbook too (zipfile then writes each part's size after it).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([_xlsx_cell(sheet, value) for value in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(stream)


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Return an attachment with the CSV of ``write_csv``."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
    write_csv(response, headers, rows)
    return response


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Return an attachment with the workbook of ``write_xlsx``."""
    # Through a seekable buffer: written straight into the response, which cannot seek,
    # the zip would be laid out differently.
    buffer = io.BytesIO()
    write_xlsx(buffer, headers, rows)
    return HttpResponse(
        buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


class _Utf8Writer:
    """Lets ``csv.writer``, which writes text, write UTF-8 to a binary stream."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def write(self, text: str) -> Any:
        return self._stream.write(text.encode("utf-8"))


def _safe_value(value: Any) -> Any:
    """Escape a cell; anything that is not a plain value is written as its (escaped) text."""
    if value is not None and not isinstance(value, _NATIVE_TYPES):
        # csv/openpyxl would call str() themselves, after escaping, so do it first.
        value = str(value)
    return escape_cell(value)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    value = _safe_value(value)
    if isinstance(value, str):
        # Control characters are invalid in XML and would make openpyxl raise.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        # openpyxl guesses "=..." as a formula and "#N/A" as an error; force plain text.
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime.datetime | datetime.time) and value.tzinfo is not None:
        # Excel has no time zones: write the local wall-clock time the user expects.
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None)
        return value.replace(tzinfo=None)
    return value
