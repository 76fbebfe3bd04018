"""Import spreadsheets (CSV, XLSX) through Django forms, and write safe CSV/XLSX files.

This package knows nothing about the domain. The import flow is always:

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

Import from this package, not from its modules, which are laid out by subdomain:

- ``table``: ``Table``, ``TableError``, ``RowError`` and building a table from rows of cells;
- ``reading``: ``read_table`` and the CSV reader;
- ``xlsx``: the streaming XLSX reader;
- ``rows``: ``check_headers`` and ``validate_rows``;
- ``writing``: ``escape_cell``, the CSV/XLSX writers and their HTTP responses.
"""

from harambee.tabular.reading import read_table
from harambee.tabular.rows import check_headers, validate_rows
from harambee.tabular.table import RowError, Table, TableError
from harambee.tabular.writing import (
    XLSX_CONTENT_TYPE,
    csv_response,
    escape_cell,
    write_csv,
    write_xlsx,
    xlsx_response,
)

__all__ = [
    "XLSX_CONTENT_TYPE",
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
