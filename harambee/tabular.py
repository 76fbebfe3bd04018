"""Import spreadsheets (CSV, XLSX) through Django forms, and write safe CSV/XLSX files.

This module knows nothing about the domain. The import flow is always:

1. ``read_table(upload)`` turns the uploaded file into text cells, or raises ``TableError``
   with a message for the user when the file as a whole cannot be used;
2. ``check_headers(table, required=..., optional=...)`` reports missing and unknown columns;
3. ``validate_rows(table, SomeForm)`` binds one form per row and returns the cleaned rows
   and a list of ``RowError``.

The caller shows the errors as a table (row, column, message) and imports NOTHING unless
both lists of errors are empty; then it saves all cleaned rows in one transaction.

For export, ``csv_response`` and ``xlsx_response`` escape every cell with ``escape_cell``
so that a value typed by a user can never run as a formula on the reader's computer.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import math
import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.etree.ElementTree import ParseError

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
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

__all__ = [
    "RowError",
    "Table",
    "TableError",
    "check_headers",
    "csv_response",
    "escape_cell",
    "read_table",
    "validate_rows",
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
# What a broken workbook can raise while openpyxl unzips and parses it. TableError is
# deliberately absent so our own messages pass through unchanged.
_WORKBOOK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    ParseError,
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
        # Trailing empty cells are common (Excel writes "a,b,,"); only real extra data is an error.
        if len(cells) > width and not _is_blank(cells[width:]):
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


def _read_xlsx(data: bytes, *, max_rows: int, max_bytes: int) -> Table:
    workbook = _load_workbook(data, max_bytes=max_bytes)
    try:
        if not workbook.worksheets:
            raise TableError(_no_rows_message())
        return _build_table(_xlsx_records(workbook.worksheets[0]), max_rows)
    finally:
        workbook.close()


def _unreadable_workbook_message() -> str:
    return _(
        "The file could not be read as an Excel workbook. Open it in Excel, save it "
        "again as .xlsx, and upload the new file."
    )


def _load_workbook(data: bytes, *, max_bytes: int) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile never inflates beyond the declared sizes, so checking them is enough.
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > max_bytes * _MAX_UNZIPPED_RATIO:
            raise TableError(_too_large_message(max_bytes))
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _WORKBOOK_ERRORS as exc:
        raise TableError(_unreadable_workbook_message()) from exc


def _xlsx_records(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, text cells); read-only sheets are parsed lazily, so guard here too."""
    # Some exporters write a wrong <dimension>; without this openpyxl would cut rows off.
    sheet.reset_dimensions()
    try:
        # Missing rows are filled in by openpyxl, so the index is the real row number.
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    except _WORKBOOK_ERRORS as exc:
        raise TableError(_unreadable_workbook_message()) from exc


def _cell_text(value: Any) -> str:
    """Excel value -> the text a person would type: 3 not 3.0, ISO dates, true/false."""
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
    """
    form = form_class(data={}, **(form_kwargs or {}))
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


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Return an attachment with a UTF-8 CSV (with BOM so Excel shows accents correctly).

    Every cell, headers included, goes through ``escape_cell``.
    """
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_safe_value(value) for value in headers])
    for row in rows:
        writer.writerow([_safe_value(value) for value in row])
    return response


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """Return an attachment with an .xlsx workbook of one sheet.

    Every cell, headers included, goes through ``escape_cell``; strings are always stored
    as text, never as formulas or error values.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([_xlsx_cell(sheet, value) for value in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


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
