"""The streaming XLSX reader behind ``read_table``.

openpyxl is not used to read: when a sheet carries no <dimension> element, opening it
parses the whole sheet to measure it, and it reads every shared string up front, so a
400,000-row file took seconds before the row limit could refuse it. Instead the first
worksheet is parsed here as a stream, with the same cell values openpyxl gives in
read-only, data-only mode, and reading stops as soon as the row limit is passed.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import math
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from harambee.tabular.table import (
    Table,
    TableError,
    _build_table,
    _no_rows_message,
    _too_large_message,
)

# A real .xlsx unzips to roughly 5-20 times its size; far more means a "zip bomb". The
# unzipped parts may reach 30 times the upload limit, and 100 times the file's own size
# (files of a few kilobytes still get room), so a small upload cannot expand to hundreds
# of megabytes in memory.
_MAX_UNZIPPED_RATIO = 30
_MAX_COMPRESSION = 100
_SMALL_FILE = 64 * 1024
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
        workbook = _open_workbook(archive, max_bytes=max_bytes, size=len(data))
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


def _open_workbook(archive: zipfile.ZipFile, *, max_bytes: int, size: int) -> _Workbook:
    # zipfile never inflates beyond the declared sizes, so checking them is enough.
    unzipped = sum(info.file_size for info in archive.infolist())
    room = min(max_bytes * _MAX_UNZIPPED_RATIO, max(size, _SMALL_FILE) * _MAX_COMPRESSION)
    if unzipped > room:
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
