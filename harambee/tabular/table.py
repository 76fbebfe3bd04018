"""The text of a spreadsheet (``Table``), the errors it reports, and how rows of cells
become one; shared by the CSV and the XLSX reader."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

_SPACES_RE = re.compile(r"\s+")


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


def _no_rows_message() -> str:
    return _("The file has no rows to import. Check that you chose the right file.")


def _too_large_message(max_bytes: int) -> str:
    return _(
        "The file is too large (the limit is %(size)s). Split it into smaller files "
        "and upload them one by one."
    ) % {"size": filesizeformat(max_bytes)}


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
