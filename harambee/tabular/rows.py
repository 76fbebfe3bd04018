"""Checking a ``Table``: its column names, then every row through a Django form."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from harambee.numbers import apply_digit_rule
from harambee.tabular.table import RowError, Table


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
