"""The spreadsheet columns of a readings import, and one row's form.

A file has one reading per row: the indicator (its id, or its title in any language),
the period, the value (a number, a rubric level's number or a narrative, or
``value_missing``), the number of ``people`` it is about, a ``comment`` and the ``status``
it is imported in (draft, the default, or submitted; never verified). Disaggregated
values have two columns per group, ``<dimension>:<category>`` for the value and
``<dimension>:<category>:people`` for the group's size, for example ``sex:female`` and
``sex:female:people``. Column names are part of the file format people keep in their
survey tools: never rename one.

The form only reads the cells (dates, the state asked for, yes/no); every rule about the
reading itself is ``scorecards.services.imports``', which applies those of
``reading_create``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.dimensions import DIMENSIONS
from scorecards.models import ReadingStatus

READING_COLUMNS = [
    "indicator",
    "period_start",
    "period_end",
    "value",
    "level",
    "narrative",
    "people",
    "value_missing",
    "comment",
    "status",
]
REQUIRED_COLUMNS = ["indicator", "period_start", "period_end"]
OPTIONAL_COLUMNS = [c for c in READING_COLUMNS if c not in REQUIRED_COLUMNS]
SEPARATOR = ":"
PEOPLE = "people"
# The states a file may ask for: a reading is verified on the site, by someone else.
IMPORTED_STATES = (ReadingStatus.DRAFT, ReadingStatus.SUBMITTED)
_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"no", "n", "false", "0", ""})


def value_column(dimension: str, category: str) -> str:
    return f"{dimension}{SEPARATOR}{category}"


def people_column(dimension: str, category: str) -> str:
    return f"{dimension}{SEPARATOR}{category}{SEPARATOR}{PEOPLE}"


def group_columns(dimensions: Iterable[str] | None = None) -> list[str]:
    """The two columns of every category of ``dimensions`` (every known dimension when
    None), in the registry's order."""
    keys = DIMENSIONS if dimensions is None else [d for d in DIMENSIONS if d in set(dimensions)]
    return [
        column
        for key in keys
        for category, _label in DIMENSIONS[key].categories
        for column in (value_column(key, category), people_column(key, category))
    ]


def group_columns_help() -> str:
    return gettext(
        "Disaggregated values go in two columns per group, dimension:category for the value "
        "and dimension:category:people for the group's size, for example sex:female and "
        "sex:female:people."
    )


def groups_in(row: Mapping) -> list[dict]:
    """The disaggregated cells a cleaned row fills: one mapping per group with a value or
    a size, with the group's two column names (for the errors)."""
    groups = []
    for key, dimension in DIMENSIONS.items():
        for category, _label in dimension.categories:
            values, people = value_column(key, category), people_column(key, category)
            value, size = row.get(values) or "", row.get(people) or ""
            if value or size:
                groups.append(
                    {
                        "dimension": key,
                        "category": category,
                        "value": value,
                        "people": size,
                        "columns": (values, people),
                    }
                )
    return groups


def _iso_date(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": _("Write the date as year-month-day, for example 2026-03-31."),
            "required": _("Give the date, for example 2026-03-31."),
        },
    )


class ReadingRowForm(forms.Form):
    """One row of a readings spreadsheet, as text: numbers stay text here, so that the
    import reads them with ``services.parse_number``, exactly as the reading page does.
    ``columns`` are the file's column names: each disaggregation column becomes a field."""

    indicator = forms.CharField(max_length=200)
    period_start = _iso_date(_("Period start"))
    period_end = _iso_date(_("Period end"))
    value = forms.CharField(required=False, max_length=60)
    level = forms.CharField(required=False, max_length=20)
    narrative = forms.CharField(required=False)
    people = forms.CharField(required=False, max_length=20)
    value_missing = forms.CharField(required=False, max_length=10)
    comment = forms.CharField(required=False)
    status = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, columns: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        known = set(group_columns())
        for name in columns:
            if name in known:
                self.fields[name] = forms.CharField(required=False, max_length=60)

    def clean_value_missing(self) -> bool:
        text = self.cleaned_data["value_missing"].strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise forms.ValidationError(_("Write yes or no (or leave it empty for no)."))

    def clean_status(self) -> str:
        text = self.cleaned_data["status"].strip().lower()
        if not text:
            return ReadingStatus.DRAFT
        labels = {str(ReadingStatus(state).label).lower(): state for state in IMPORTED_STATES}
        state = labels.get(text, text)
        if state in IMPORTED_STATES:
            return state
        if state in ReadingStatus.values or text in {str(label).lower() for label in
                                                     ReadingStatus.labels}:  # fmt: skip
            raise forms.ValidationError(
                _(
                    "Readings are imported as draft or submitted, never as %(status)s: a "
                    "colleague verifies each reading on the site."
                ),
                params={"status": text},
            )
        raise forms.ValidationError(_("Use draft or submitted (or leave it empty for draft)."))


def reading_fields_from_row(row: Mapping) -> dict:
    """What ``services.readings_import`` takes from one cleaned row."""
    return {
        "indicator": row["indicator"].strip(),
        "period_start": row["period_start"],
        "period_end": row["period_end"],
        "value": row.get("value") or "",
        "level": row.get("level") or "",
        "narrative": row.get("narrative") or "",
        "people": row.get("people") or "",
        "value_missing": bool(row.get("value_missing")),
        "comment": row.get("comment") or "",
        "status": row.get("status") or ReadingStatus.DRAFT,
        "groups": groups_in(row),
    }
