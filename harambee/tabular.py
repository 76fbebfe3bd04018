"""Import spreadsheets (CSV, XLSX) through Django forms, and write safe CSV/XLSX files.

This module knows nothing about the domain. The import flow is always:

1. ``read_table(upload)`` turns the uploaded file into text cells, or raises ``TableError``
   with a message for the user when the file as a whole cannot be used;
2. ``check_headers(table, required=..., optional=...)`` reports missing and unknown columns;
3. ``validate_rows(table, SomeForm)`` binds one form per row and returns the cleaned rows
   and a list of ``RowError``.

The caller shows the errors as a table (row, column, message) and imports NOTHING unless
both lists of errors are empty; then it saves all cleaned rows in one transaction.

For export, ``write_csv`` and ``write_xlsx`` write to any binary stream (a file, a storage
file, a buffer) and ``csv_response`` and ``xlsx_response`` wrap them in an attachment. All
escape every cell with ``escape_cell`` so that a value typed by a user can never run as a
formula on the reader's computer.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import math
import os
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.etree import ElementTree

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from harambee.numbers import apply_digit_rule

__all__ = [
    "RowError",
    "Table",
    "TableError",
    "check_headers",
    "csv_response",
    "escape_cell",
    "read_table",
    "validate_rows",
    "write_csv",
    "write_xlsx",
    "xlsx_response",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ZIP_MAGIC = b"PK\x03\x04"
# Legacy Office (.xls, .doc) files are OLE2 compound documents.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_EXTENSIONS = frozenset({".csv", ".txt"})
_XLSX_EXTENSIONS = frozenset({".xlsx"})
_CSV_DELIMITERS = ",;\t"
# A real .xlsx unzips to roughly 5-20 times its size; far more means a "zip bomb".
_MAX_UNZIPPED_RATIO = 30
# What a broken workbook can raise while it is unzipped and parsed. TableError is
# deliberately absent so our own messages pass through unchanged.
_WORKBOOK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    # zipfile's answer to an encrypted part or an unknown compression method.
    RuntimeError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
    EOFError,
)
# OWASP CSV injection: spreadsheet programs treat these leading characters as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SPACES_RE = re.compile(r"\s+")
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


class TableError(Exception):
    """The file as a whole cannot be imported; ``str(exc)`` is the message for the user."""


@dataclass(frozen=True)
class RowError:
    """One problem to show in the error table.

    ``row`` is the spreadsheet row as the user sees it (the header is row 1), or 0 for a
    problem with the whole file; ``column`` is the column name, or "" when the problem is
    not about one column.
    """

    row: int
    column: str
    message: str


@dataclass
class Table:
    """The text of a spreadsheet: normalised headers and one dict of cells per data row.

    ``row_errors`` holds structural problems found while reading (e.g. a row with more
    cells than headers); ``validate_rows`` reports them together with the form errors.
    """

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    row_errors: list[RowError] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


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


def _no_rows_message() -> str:
    return _("The file has no rows to import. Check that you chose the right file.")


def _accepted_formats_message() -> str:
    return _(
        "This type of file cannot be imported. Upload a CSV file (.csv) or an Excel "
        "workbook (.xlsx)."
    )


def _too_large_message(max_bytes: int) -> str:
    return _(
        "The file is too large (the limit is %(size)s). Split it into smaller files "
        "and upload them one by one."
    ) % {"size": filesizeformat(max_bytes)}


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


def _build_table(records: Iterable[tuple[int, list[str]]], max_rows: int) -> Table:
    """Turn (row number, cells) records into a Table; the first non-blank row is the header."""
    records = iter(records)
    header_cells = next((cells for _number, cells in records if not _is_blank(cells)), None)
    if header_cells is None:
        raise TableError(_no_rows_message())
    headers = _normalise_headers(header_cells)
    width = len(headers)
    rows: list[tuple[int, dict[str, str]]] = []
    row_errors: list[RowError] = []
    for number, cells in records:
        if _is_blank(cells):
            continue
        if len(rows) >= max_rows:
            raise TableError(
                _(
                    "The file has more than %(limit)s rows. Split it into smaller files "
                    "and upload them one by one."
                )
                % {"limit": number_format(max_rows, force_grouping=True)}
            )
        # Trailing empty cells are common (Excel writes "a,b,,"); only real extra data is an
        # error. From the right, because a workbook row ends with its last non-blank cell.
        if len(cells) > width and any(cell.strip() for cell in reversed(cells[width:])):
            row_errors.append(RowError(number, "", _extra_cells_message()))
        padded = cells[:width] + [""] * (width - len(cells))
        rows.append((number, {h: c.strip() for h, c in zip(headers, padded, strict=True)}))
    if not rows:
        raise TableError(
            _(
                "The file has column names but no rows to import. Add your data below "
                "the column names."
            )
        )
    return Table(headers=headers, rows=rows, row_errors=row_errors)


def _extra_cells_message() -> str:
    return _(
        "This row has more cells than there are column names. Remove the extra cells, "
        "or add a name for the column."
    )


def _is_blank(cells: Sequence[str]) -> bool:
    return all(not cell.strip() for cell in cells)


def _normalise_header(text: str) -> str:
    return _SPACES_RE.sub("_", text.strip().lower())


def _normalise_headers(cells: list[str]) -> list[str]:
    """Normalise header names; reject blank names inside the header and duplicates."""
    cells = list(cells)
    while cells and not cells[-1].strip():
        cells.pop()  # unnamed empty columns at the right edge are harmless
    headers = [_normalise_header(cell) for cell in cells]
    blank = [get_column_letter(i) for i, header in enumerate(headers, start=1) if not header]
    if blank:
        raise TableError(
            ngettext(
                "Column %(columns)s has no name. Add a name in the first row, or delete "
                "the column.",
                "Columns %(columns)s have no name. Add a name in the first row, or delete "
                "the columns.",
                len(blank),
            )
            % {"columns": ", ".join(blank)}
        )
    duplicates = [header for header, count in Counter(headers).items() if count > 1]
    if duplicates:
        raise TableError(
            _(
                "These column names are used more than once: %(names)s. Give each column "
                "a different name."
            )
            % {"names": ", ".join(duplicates)}
        )
    return headers


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


# --- XLSX
#
# openpyxl is not used to read: when a sheet carries no <dimension> element, opening it
# parses the whole sheet to measure it, and it reads every shared string up front, so a
# 400,000-row file took seconds before the row limit could refuse it. Instead the first
# worksheet is parsed here as a stream, with the same cell values openpyxl gives in
# read-only, data-only mode, and reading stops as soon as the row limit is passed.

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CONTENT_TYPE_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHEET_DATA = _MAIN_NS + "sheetData"
_ROW = _MAIN_NS + "row"
_CELL = _MAIN_NS + "c"
_VALUE = _MAIN_NS + "v"
_INLINE_STRING = _MAIN_NS + "is"
_TEXT = _MAIN_NS + "t"
_RUN = _MAIN_NS + "r"
_SHARED_STRING_TABLE = _MAIN_NS + "sst"
_SHARED_STRING = _MAIN_NS + "si"
# Looked up in this order, as openpyxl does: template and macro workbooks are read too.
_WORKBOOK_CONTENT_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
# Reading a part stops within one chunk of the last element needed.
_XML_CHUNK = 64 * 1024


@dataclass(frozen=True)
class _Workbook:
    """Where the first worksheet and the shared strings are, and how to read dates."""

    sheet: str | None
    shared_strings: str | None
    epoch: datetime.datetime
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]


def _read_xlsx(data: bytes, *, max_rows: int, max_bytes: int) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _WORKBOOK_ERRORS as exc:
        raise TableError(_unreadable_workbook_message()) from exc
    with archive:
        workbook = _open_workbook(archive, max_bytes=max_bytes)
        if workbook.sheet is None:
            raise TableError(_no_rows_message())
        records = _xlsx_records(archive, workbook.sheet, workbook)
        # Closing the generator at the row limit closes the parts it was reading.
        with contextlib.closing(records):
            return _build_table(records, max_rows)


def _unreadable_workbook_message() -> str:
    return _(
        "The file could not be read as an Excel workbook. Open it in Excel, save it "
        "again as .xlsx, and upload the new file."
    )


def _open_workbook(archive: zipfile.ZipFile, *, max_bytes: int) -> _Workbook:
    # zipfile never inflates beyond the declared sizes, so checking them is enough.
    unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > max_bytes * _MAX_UNZIPPED_RATIO:
        raise TableError(_too_large_message(max_bytes))
    try:
        overrides = {
            override.get("PartName", "").lstrip("/"): override.get("ContentType")
            for override in _parse_part(archive, "[Content_Types].xml").iter(_CONTENT_TYPE_OVERRIDE)
        }
        workbook_part = next(
            (
                name
                for content_type in _WORKBOOK_CONTENT_TYPES
                for name, kind in overrides.items()
                if kind == content_type
            ),
            "xl/workbook.xml",
        )
        root = _parse_part(archive, workbook_part)
        properties = root.find(_MAIN_NS + "workbookPr")
        date1904 = "" if properties is None else properties.get("date1904", "")
        date_styles, timedelta_styles = _date_styles(archive)
        return _Workbook(
            sheet=_first_worksheet(archive, workbook_part, root),
            shared_strings=next(
                (n for n, kind in overrides.items() if kind == _SHARED_STRINGS_CONTENT_TYPE),
                None,
            ),
            # openpyxl's reading of the flag: anything but these means the 1904 calendar.
            epoch=MAC_EPOCH if date1904 not in ("", "false", "f", "0") else WINDOWS_EPOCH,
            date_styles=date_styles,
            timedelta_styles=timedelta_styles,
        )
    except _WORKBOOK_ERRORS as exc:
        raise TableError(_unreadable_workbook_message()) from exc


def _open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """Open one part of the package for reading.

    Every part is opened here, so that a test can count what is read from each.
    """
    return archive.open(name)


def _parse_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """Parse a small part (manifest, workbook, relationships, styles) at once."""
    with _open_part(archive, name) as stream:
        # As safe as defusedxml here: ElementTree never fetches external entities or DTDs,
        # and expat (2.4.1 and later) stops entity expansion bombs.
        return ElementTree.parse(stream).getroot()  # noqa: S314


def _first_worksheet(
    archive: zipfile.ZipFile, workbook_part: str, workbook: ElementTree.Element
) -> str | None:
    """The part of the first sheet that is a worksheet (not a chart sheet) and exists."""
    folder, name = posixpath.split(workbook_part)
    targets = {}
    rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
    for rel in _parse_part(archive, rels_part).iter(_RELATIONSHIP):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":  # an external target is never in the zip
            target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            target = posixpath.normpath(target)
        targets[rel.get("Id")] = (rel.get("Type", ""), target)
    names = set(archive.namelist())
    for sheet in workbook.iterfind(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet"):
        if not sheet.get(_RELATIONSHIP_ID):
            continue
        kind, target = targets[sheet.get(_RELATIONSHIP_ID)]
        if target in names and "chartsheet" not in kind:
            return target
    return None


def _date_styles(archive: zipfile.ZipFile) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles whose number format shows a date, and those that show a duration."""
    if "xl/styles.xml" not in archive.NameToInfo:  # where openpyxl looks for it
        return frozenset(), frozenset()
    root = _parse_part(archive, "xl/styles.xml")
    custom = {
        int(number_format.get("numFmtId")): number_format.get("formatCode")
        for number_format in root.iterfind(f"{_MAIN_NS}numFmts/{_MAIN_NS}numFmt")
    }
    dates, durations = set(), set()
    for index, style in enumerate(root.iterfind(f"{_MAIN_NS}cellXfs/{_MAIN_NS}xf")):
        format_id = int(style.get("numFmtId", 0))
        code = custom[format_id] if format_id in custom else builtin_format_code(format_id)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return frozenset(dates), frozenset(durations)


def _stream_elements(
    stream: IO[bytes], tag: str, *, container: str
) -> Iterator[ElementTree.Element]:
    """Yield each complete ``tag`` element of an XML part, reading the part as it goes.

    Nothing is read beyond the chunk that completes the element the caller asks for.
    Elements already yielded are dropped from ``container`` so that memory stays flat
    however many rows or strings the part has. A caller that asks for everything gets
    the rest of the part read too, so that broken XML or a damaged zip entry after the
    last element is still an error, as it was when openpyxl read the whole part.
    """
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    root = holder = None
    finished = False
    while True:
        chunk = stream.read(_XML_CHUNK)
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        for event, element in parser.read_events():
            if event == "start":
                root = element if root is None else root
                if element.tag == container and holder is None:
                    holder = element
            elif finished:
                root.clear()  # what follows the container is parsed for errors only
            elif element.tag == tag and holder is not None:
                yield element
                holder.clear()
            elif element is holder:
                finished = True
                root.clear()
        if not chunk:
            return


class _SharedStrings:
    """The shared strings table, read only as far as the cells read so far need.

    Writers number shared strings in the order they first appear, so refusing a long
    file early also leaves most of its (often as long) string table unread.
    """

    def __init__(self, items: Iterator[ElementTree.Element]) -> None:
        self._items = items
        self._strings: list[str] = []

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(index)
        while len(self._strings) <= index:
            item = next(self._items, None)
            if item is None:
                raise IndexError(index)
            # openpyxl drops the escape Excel puts before a literal "_x" in a string.
            self._strings.append(_rich_text(item).replace("x005F_", ""))
        return self._strings[index]

    def check_rest(self) -> None:
        """Parse the strings no cell asked for, only so that a damaged table is an error."""
        for _item in self._items:
            pass


def _xlsx_records(
    archive: zipfile.ZipFile, sheet_part: str, workbook: _Workbook
) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, text cells) of a worksheet, parsing it only as far as asked."""
    try:
        with contextlib.ExitStack() as stack:
            sheet = stack.enter_context(_open_part(archive, sheet_part))
            items: Iterator[ElementTree.Element] = iter(())
            if workbook.shared_strings is not None:
                strings = stack.enter_context(_open_part(archive, workbook.shared_strings))
                items = _stream_elements(strings, _SHARED_STRING, container=_SHARED_STRING_TABLE)
            shared = _SharedStrings(items)
            parsed = 0  # the number of the last row in the file, for rows without one
            expected = 1  # openpyxl skips rows numbered lower than one already read
            for row in _stream_elements(sheet, _ROW, container=_SHEET_DATA):
                number = row.get("r")
                parsed = parsed + 1 if number is None else _row_number(number)
                if parsed >= expected:
                    expected = parsed + 1
                    yield parsed, _row_texts(row, shared, workbook)
            # Only reached when the whole sheet was wanted, never when refusing it.
            shared.check_rest()
    except _WORKBOOK_ERRORS as exc:
        raise TableError(_unreadable_workbook_message()) from exc


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)  # some writers put "2.0"
        if not number.is_integer():
            raise
        return int(number)


def _row_texts(row: ElementTree.Element, shared: _SharedStrings, workbook: _Workbook) -> list[str]:
    """The row's text cells up to its last one with text; blank cells are ""."""
    cells: list[tuple[int, Any]] = []
    column = 0
    for cell in row:
        if cell.tag == _CELL:
            reference = cell.get("r")
            column = _column_number(reference) if reference else column + 1
            cells.append((column, _cell_value(cell, shared, workbook)))
    if not cells:
        return []
    # As openpyxl does: the last cell in the file sets the width, so cells after it drop.
    width = cells[-1][0]
    by_column = {column: value for column, value in cells if 1 <= column <= width}
    texts = {
        column: text for column, value in by_column.items() if (text := _cell_text(value)).strip()
    }
    if not texts:
        return []
    # Blank cells are left out at the end: they would change nothing, and a row with one
    # cell far to the right (say XFD) would cost thousands of empty strings.
    row_texts = [""] * max(texts)
    for column, text in texts.items():
        row_texts[column - 1] = text
    return row_texts


def _column_number(reference: str) -> int:
    """The column of a reference such as "C12"; ValueError if it is not one."""
    letters = reference.rstrip("0123456789")
    if len(letters) == len(reference):
        raise ValueError(reference)
    return column_index_from_string(letters)


def _cell_value(cell: ElementTree.Element, shared: _SharedStrings, workbook: _Workbook) -> Any:
    """The value openpyxl gives for a cell in data-only mode: formulas give their result."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_INLINE_STRING)
        return None if inline is None else _rich_text(inline)
    value = cell.findtext(_VALUE) or None
    if value is None:
        return None
    if kind == "n":
        number = float(value) if "." in value or "e" in value or "E" in value else int(value)
        style = int(cell.get("s") or 0)
        if style not in workbook.date_styles:
            return number
        try:
            return from_excel(number, workbook.epoch, timedelta=style in workbook.timedelta_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"  # what openpyxl puts for a date out of range
    if kind == "s":
        return shared[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (the text a formula gave) or "e" (an error such as #N/A)


def _rich_text(item: ElementTree.Element) -> str:
    """The text of an <is> or <si>: its plain text, then its runs; phonetic hints are not
    part of the value."""
    plain, runs = "", []
    for child in item:
        if child.tag == _TEXT:
            plain = child.text or ""
        elif child.tag == _RUN:
            runs.append(child.findtext(_TEXT) or "")
    return plain + "".join(runs)


def _cell_text(value: Any) -> str:
    """Excel value -> the text a person would type: 3 not 3.0, ISO dates, true/false."""
    if isinstance(value, str):  # most cells: answered first
        return value
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        # 15 significant digits is what Excel shows: 0.1+0.2 reads "0.3", not 0.30000000000000004.
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- validating


def check_headers(
    table: Table, *, required: Iterable[str], optional: Iterable[str] = ()
) -> list[RowError]:
    """Report each missing required column and each column that is not expected.

    Errors are on row 1 (the header row). Messages list the expected column names so the
    user can fix the file without reading documentation.
    """
    required_names = list(required)
    allowed = list(dict.fromkeys([*required_names, *optional]))
    present = set(table.headers)
    errors = [
        RowError(
            1,
            name,
            _("This column is missing. Add it to the first row. Required columns: %(names)s.")
            % {"names": ", ".join(required_names)},
        )
        for name in required_names
        if name not in present
    ]
    allowed_set = set(allowed)
    errors += [
        RowError(
            1,
            name,
            _("Unknown column. Rename or delete it. Allowed columns: %(names)s.")
            % {"names": ", ".join(allowed)},
        )
        for name in table.headers
        if name not in allowed_set
    ]
    return errors


def validate_rows(
    table: Table,
    form_class: type[forms.Form],
    *,
    form_kwargs: dict | None = None,
    max_errors: int = 200,
) -> tuple[list[dict], list[RowError]]:
    """Bind ``form_class(data=row, **form_kwargs)`` to every row.

    Returns the cleaned data of the valid rows and one ``RowError`` per form error
    (``column`` is the field name, "" for non-field errors), including the structural
    errors found by ``read_table``. After ``max_errors`` errors it stops and adds one last
    error saying that more were not listed. Import only when the errors list is empty.

    Number fields follow ``harambee.numbers`` (digits of any one script), as on the
    pages, even when ``form_class`` declares plain Django number fields.
    """
    form = form_class(data={}, **(form_kwargs or {}))
    # Only the form knows which cells are numbers: converting digits in every cell would
    # also rewrite the digits in titles and descriptions.
    apply_digit_rule(form)
    structural: dict[int, list[RowError]] = {}
    for error in table.row_errors:
        structural.setdefault(error.row, []).append(error)
    cleaned: list[dict] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        if number in structural:
            # The cells may be shifted, so form errors for this row would only mislead.
            row_errors = structural[number]
        else:
            _rebind(form, values)
            if form.is_valid():
                cleaned.append(form.cleaned_data)
                continue
            row_errors = _form_errors(number, form)
        if len(errors) + len(row_errors) > max_errors:
            errors += row_errors[: max_errors - len(errors)]
            errors.append(RowError(0, "", _more_errors_message()))
            break
        errors += row_errors
    return cleaned, errors


def _rebind(form: forms.Form, data: dict) -> None:
    """Point one form at the next row. Building a form deep-copies all its fields, which
    costs more than validating the row; ``full_clean`` resets the errors and cleaned data."""
    form.data = data
    form._errors = None
    form._bound_fields_cache = {}


def _form_errors(number: int, form: forms.Form) -> list[RowError]:
    return [
        RowError(number, "" if name == NON_FIELD_ERRORS else name, str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def _more_errors_message() -> str:
    return _("More errors were not listed. Fix the errors above and upload the file again.")


# --------------------------------------------------------------------------- writing


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
