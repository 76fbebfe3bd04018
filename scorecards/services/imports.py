"""Readings imported from a spreadsheet, all or nothing.

Field teams collect in survey tools and spreadsheets; ``readings_import`` takes the rows
of such a file (read and checked cell by cell by ``harambee.tabular`` and
``scorecards.import_columns``) and applies to each the rules ``reading_create`` applies to
one reading, with the same messages: numbers read by ``parse_number`` ("N/A" refused),
rubric levels by number, a missing value said so with a reason, no period ending in the
future or before the baseline, none overlapping another reading of the indicator (in the
database or elsewhere in the file), disaggregated values of the indicator's dimensions
with each group's size, holding no more people than the reading and adding up to no more
than its count. Only indicators of the partnership that ``by`` may report
(``permissions.may_report``: the lead's staff every one, a partner's staff those it
reports) are accepted, and only as draft or submitted, never verified.

Every row is checked before anything is written; if one fails, nothing is, and each
problem names its row and column. Then the readings, their disaggregated values and the
history of both are inserted in bulk, in one transaction, in a number of queries that
does not grow with the file (10,000 rows take a few seconds). Imported readings are
drafts or wait for verification, never public: the public pages need no new version, and
the verifiers find submitted ones on their "my work" page (no email per reading: a file
of 10,000 rows would send 10,000).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from harambee.bulk import bulk_insert
from harambee.i18n import translated_fields
from harambee.numbers import normalise_digits
from harambee.tabular import RowError
from partnerships import access
from partnerships.models import Partnership
from scorecards import status
from scorecards.models import (
    DisaggregatedValue,
    Indicator,
    Reading,
    ReadingStatus,
    RubricLevel,
)
from scorecards.services.common import fact_errors, parse_number, whole_number
from scorecards.services.readings import _check_content, _clean_cell, _clean_disaggregations

MAX_ERRORS = 200
BATCH = 2000
IMPORTED_STATES = frozenset({ReadingStatus.DRAFT, ReadingStatus.SUBMITTED})
# The model's own limits (digits, decimal places, group sizes), checked without a query.
_READING_LIMITS = ("value", "people")
_GROUP_LIMITS = ("value", "people")


class ImportRefused(ValidationError):
    """Some rows cannot be imported; ``row_errors`` says which, where and why."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        super().__init__(
            [f"{error.row} {error.column}: {error.message}" for error in row_errors],
            code="rows_refused",
        )


def reportable_indicators(user: User | None, partnership: Partnership) -> QuerySet[Indicator]:
    """The indicators of ``partnership`` that ``user`` may report, as
    ``permissions.may_report`` decides for one, in one query: every one for the lead's
    staff and platform admins (and for ``None``, a caller acting for nobody), those of
    the partners they work for otherwise; none for anyone else."""
    indicators = Indicator.objects.filter(outcome__partnership=partnership)
    if user is None:
        return indicators
    if not user.is_authenticated:
        return indicators.none()
    if user.is_superuser or access.is_partner_staff(user, partnership.pk, lead=True):
        return indicators
    return indicators.filter(reporting_partner__in=access.partner_roles(user).values("pk"))


@dataclass
class _Prepared:
    """One row, checked, ready to insert."""

    row: int
    indicator: Indicator
    values: dict
    state: str
    groups: list[dict] = field(default_factory=list)


class _RowRefused(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


@transaction.atomic
def readings_import(*, partnership: Partnership, by: User | None, rows: Iterable[Mapping]) -> int:
    """Import readings of ``partnership`` reported by ``by``; all or nothing.

    Each row is a mapping as ``import_columns.reading_fields_from_row`` makes: indicator
    (an id or a title), period_start and period_end (dates), value, level, narrative,
    people (text, as typed), value_missing, comment, status (draft or submitted), groups
    (dimension, category, value, people, columns), and ``row``, its number in the file
    (the header is row 1). Raises ``ImportRefused`` with every problem found, naming the
    row and the column. Returns the number of readings added.
    """
    rows = list(rows)
    indicators = _indicators(partnership, by)
    find = _Finder(indicators, partnership)
    today = timezone.localdate()
    prepared: list[_Prepared] = []
    errors: list[RowError] = []
    for position, row in enumerate(rows, start=2):
        number = int(row.get("row") or position)
        try:
            prepared.append(_prepare(row, number, find, today))
        except _RowRefused as refused:
            errors += refused.errors
        if len(errors) >= MAX_ERRORS:
            break
    if len(errors) < MAX_ERRORS:
        errors += _overlaps(prepared, _periods_taken(indicators))
    if errors:
        raise ImportRefused(_capped(errors))
    _insert(prepared, by)
    return len(prepared)


def _capped(errors: list[RowError]) -> list[RowError]:
    if len(errors) <= MAX_ERRORS:
        return errors
    more = _("More errors were not listed. Fix the errors above and upload the file again.")
    return [*errors[:MAX_ERRORS], RowError(0, "", more)]


def _indicators(partnership: Partnership, by: User | None) -> list[Indicator]:
    """The indicators ``by`` may report, locked (concurrent readings of them wait, as for
    ``reading_create``), with their rubric levels and reporting partner."""
    return list(
        reportable_indicators(by, partnership)
        .select_for_update(of=("self",))
        .select_related("reporting_partner")
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("number")))
        .order_by("pk")
    )


class _Finder:
    """The indicator a row names, by id or by its title in any language (case apart)."""

    def __init__(self, indicators: list[Indicator], partnership: Partnership):
        self.by_id = {indicator.pk: indicator for indicator in indicators}
        self.by_title: dict[str, set[int]] = defaultdict(set)
        for indicator in indicators:
            for name in translated_fields("title"):
                title = (getattr(indicator, name, "") or "").strip().casefold()
                if title:
                    self.by_title[title].add(indicator.pk)
        self.others = set(
            Indicator.objects.filter(outcome__partnership=partnership)
            .exclude(pk__in=list(self.by_id))
            .values_list("pk", flat=True)
        )

    def __call__(self, text: str) -> Indicator:
        text = (text or "").strip()
        digits = normalise_digits(text)
        if digits.isdigit():
            pk = int(digits)
            if pk in self.by_id:
                return self.by_id[pk]
            if pk in self.others:
                raise ValidationError(_not_yours())
        found = self.by_title.get(text.casefold(), set())
        if len(found) == 1:
            return self.by_id[next(iter(found))]
        if len(found) > 1:
            raise ValidationError(
                _("Several indicators are called “%(title)s”: give the indicator's number.")
                % {"title": text[:80]}
            )
        raise ValidationError(
            _("No indicator of this partnership has the number or title “%(text)s”.")
            % {"text": text[:80]}
        )


def _not_yours() -> str:
    return _(
        "You do not report this indicator: its reporting partner's staff and the lead "
        "partner's staff do."
    )


def _prepare(row: Mapping, number: int, find: _Finder, today: date) -> _Prepared:
    try:
        indicator = find(row.get("indicator", ""))
    except ValidationError as error:
        raise _RowRefused([RowError(number, "indicator", m) for m in error.messages]) from error
    state = row.get("status") or ReadingStatus.DRAFT
    if state not in IMPORTED_STATES:
        raise _RowRefused([RowError(number, "status", _never_verified())])
    values = _parsed(row, number, indicator)
    refusals: list[RowError] = []
    for check in (_check_content, _check_limits):
        refusals += _caught(number, lambda check=check: check(indicator, values))
    refusals += _caught(number, lambda: _check_period(indicator, values, today))
    if state == ReadingStatus.SUBMITTED and not values["value_missing"] and not _has_value(values):
        refusals.append(RowError(number, "value", _nothing_to_submit()))
    groups, cells = row.get("groups") or [], []
    if not refusals and groups:
        try:
            cells = _check_groups(indicator, values, groups)
        except ValidationError as error:
            refusals += _row_errors(number, error, groups)
    if refusals:
        raise _RowRefused(refusals)
    return _Prepared(number, indicator, values, state, cells)


def _never_verified() -> str:
    return _(
        "Readings are imported as draft or submitted, never as verified: a colleague "
        "verifies each reading on the site."
    )


def _nothing_to_submit() -> str:
    return _(
        "A submitted reading needs its value, level or narrative; or value_missing set to "
        "yes, with the reason in the comment."
    )


def _parsed(row: Mapping, number: int, indicator: Indicator) -> dict:
    """The row's values as ``reading_create`` reads them, or every parsing error."""
    values: dict[str, Any] = {
        "period_start": row["period_start"],
        "period_end": row["period_end"],
        "narrative": (row.get("narrative") or "").strip(),
        "comment": (row.get("comment") or "").strip(),
        "value_missing": bool(row.get("value_missing")),
    }
    errors: list[RowError] = []
    readers = {
        "value": lambda: parse_number(row.get("value")),
        "people": lambda: whole_number(row.get("people"), field="people"),
        "level": lambda: _level(indicator, row.get("level")),
    }
    for name, read in readers.items():
        try:
            values[name] = read()
        except ValidationError as error:
            errors += _row_errors(number, error)
    if errors:
        raise _RowRefused(errors)
    return values


def _level(indicator: Indicator, text: Any) -> RubricLevel | None:
    """The rubric level named by its number, from the prefetched levels (no query)."""
    text = normalise_digits(str(text or "").strip())
    if not text:
        return None
    levels = {level.number: level for level in indicator.levels.all()}
    if text.isdigit() and int(text) in levels:
        return levels[int(text)]
    raise ValidationError(
        {"level": _("Choose one of the indicator's rubric levels.")}, code="not_a_level"
    )


def _has_value(values: Mapping) -> bool:
    return values["value"] is not None or values["level"] is not None or bool(values["narrative"])


def _check_limits(indicator: Indicator, values: Mapping) -> None:
    """The model's limits on the numbers (digits, places, group size), as ``full_clean``
    checks them for ``reading_create``."""
    errors = {}
    for name in _READING_LIMITS:
        try:
            Reading._meta.get_field(name).clean(values[name], None)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def _check_period(indicator: Indicator, values: Mapping, today: date) -> None:
    """``reading_create``'s period rules but the overlap, which ``_overlaps`` checks for
    the whole file at once."""
    start, end = values["period_start"], values["period_end"]
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if end > today:
        raise ValidationError(
            {"period_end": _("Report a period once it has ended (it ends on a later date).")}
        )
    try:
        status.check_reading_period(indicator.baseline_date, end)
    except status.FactError as error:
        raise fact_errors(error, {}) from error


def _check_groups(indicator: Indicator, values: Mapping, groups: list[dict]) -> list[dict]:
    """Each group as ``reading_create`` checks it, with its problems on its own columns,
    then the groups together; returns the cleaned groups."""
    cells, errors = [], {}
    for group in groups:
        try:
            cell = _clean_cell(indicator, group)
            for name in _GROUP_LIMITS:
                DisaggregatedValue._meta.get_field(name).clean(cell[name], None)
        except ValidationError as error:
            errors.setdefault(_column_at_fault(indicator, group), []).extend(error.messages)
            continue
        cells.append(cell)
    if errors:
        raise ValidationError(errors)
    _clean_disaggregations(indicator, dict(values), groups)
    return cells


def _column_at_fault(indicator: Indicator, group: Mapping) -> str:
    """The column of a group's problem, in the order ``_clean_cell`` checks: the dimension
    and the value are in the value column, the group's size in the people column."""
    values, people = group["columns"]
    if group["dimension"] not in indicator.dimensions or not _readable(
        parse_number, group["value"]
    ):
        return values
    if not str(group["people"]).strip() or not _readable(whole_number, group["people"]):
        return people
    return values


def _readable(read, text: Any) -> bool:
    try:
        read(text, field="cell")
    except ValidationError:
        return False
    return True


def _caught(number: int, check) -> list[RowError]:
    try:
        check()
    except ValidationError as error:
        return _row_errors(number, error)
    return []


def _row_errors(
    number: int, error: ValidationError, groups: list[dict] | None = None
) -> list[RowError]:
    """A service's ValidationError as rows of the error table: its field is the column
    (the groups' columns for problems of the groups together)."""
    if not hasattr(error, "error_dict"):
        return [RowError(number, "", message) for message in error.messages]
    found = []
    for name, items in error.error_dict.items():
        column = "" if name == NON_FIELD_ERRORS else name
        if name == "disaggregations" and groups:
            column = ", ".join(group["columns"][0] for group in groups)
        for item in items:
            found += [RowError(number, column, message) for message in item.messages]
    return found


# --- periods -----------------------------------------------------------------------------------


def _periods_taken(indicators: list[Indicator]) -> dict[int, tuple[list[date], list[date]]]:
    """Per indicator, the starts of its readings (but superseded ones) in order, and the
    latest end among the readings up to each: enough to tell in O(log n) whether a period
    overlaps one of them. One query."""
    rows = (
        Reading.objects.filter(indicator__in=[indicator.pk for indicator in indicators])
        .exclude(status=ReadingStatus.SUPERSEDED)
        .order_by("indicator_id", "period_start")
        .values_list("indicator_id", "period_start", "period_end")
    )
    taken: dict[int, tuple[list[date], list[date]]] = {}
    for indicator_id, start, end in rows:
        starts, latest = taken.setdefault(indicator_id, ([], []))
        starts.append(start)
        latest.append(max(end, latest[-1]) if latest else end)
    return taken


def _overlaps(
    prepared: list[_Prepared], taken: Mapping[int, tuple[list[date], list[date]]]
) -> list[RowError]:
    """Rows whose period overlaps a reading of the indicator already recorded, or another
    row of the file for the same indicator (named)."""
    errors = []
    by_indicator: dict[int, list[_Prepared]] = defaultdict(list)
    for item in prepared:
        start, end = item.values["period_start"], item.values["period_end"]
        starts, latest = taken.get(item.indicator.pk, ([], []))
        before = bisect.bisect_right(starts, end)  # readings starting on or before our end
        if before and latest[before - 1] >= start:
            errors.append(RowError(item.row, "period_start", _overlap_message()))
            continue
        by_indicator[item.indicator.pk].append(item)
    for items in by_indicator.values():
        items.sort(key=lambda item: (item.values["period_start"], item.row))
        reaching: _Prepared | None = None  # the row whose period ends latest so far
        for item in items:
            start, end = item.values["period_start"], item.values["period_end"]
            if reaching is not None and start <= reaching.values["period_end"]:
                errors.append(RowError(item.row, "period_start", _in_the_file(reaching.row)))
            if reaching is None or end > reaching.values["period_end"]:
                reaching = item
    return sorted(errors, key=lambda error: error.row)


def _in_the_file(row: int) -> str:
    return _("Row %(row)s of the file covers part of this period for the same indicator.") % {
        "row": row
    }


def _overlap_message() -> str:
    return _(
        "Another reading of this indicator covers part of this period. Correct or complete "
        "that reading instead."
    )


# --- writing -----------------------------------------------------------------------------------
#
# ``bulk_create`` (and simple_history's ``bulk_create_with_history``) took 25 seconds for
# 10,000 readings, in Django's per-value SQL compilation; ``harambee.bulk.bulk_insert``
# takes one. It returns no keys: the new rows are those above the largest key before the
# insert among the indicators this transaction locked (``_indicators``), which no other
# writer adds to meanwhile (``reading_create`` locks the indicator too), matched back to
# their rows by indicator and period start, unique once overlaps are refused.


def _insert(prepared: list[_Prepared], by: User | None) -> None:
    """The readings, their groups and the history rows of both, in bulk."""
    if not prepared:
        return
    user_id = by.pk if by is not None else None
    stamp = {
        "history_date": timezone.now(),
        "history_change_reason": _("Imported from a spreadsheet"),
        "history_type": "+",
        "history_user_id": user_id,
    }
    rows = [_reading_row(item, user_id, stamp["history_date"]) for item in prepared]
    indicator_ids = sorted({item.indicator.pk for item in prepared})
    ids = _inserted(Reading, rows, indicator_ids, key=("indicator_id", "period_start"))
    bulk_insert(
        Reading.history.model,
        [{**row, "id": pk, **stamp} for row, pk in zip(rows, ids, strict=True)],
    )
    groups = [
        {"reading_id": pk, **cell}
        for item, pk in zip(prepared, ids, strict=True)
        for cell in item.groups
    ]
    if groups:
        keys = _inserted(DisaggregatedValue, groups, indicator_ids, key=_GROUP_KEY)
        history = [{**group, "id": pk, **stamp} for group, pk in zip(groups, keys, strict=True)]
        bulk_insert(DisaggregatedValue.history.model, history)


_GROUP_KEY = ("reading_id", "dimension", "category")


def _reading_row(item: _Prepared, user_id: int | None, now) -> dict:
    values = dict(item.values)
    level = values.pop("level")
    return {
        **values,
        "indicator_id": item.indicator.pk,
        "level_id": level.pk if level is not None else None,
        "status": item.state,
        "reported_by_id": user_id,
        "reported_for_id": item.indicator.reporting_partner.organisation_id,
        "submitted_at": now if item.state == ReadingStatus.SUBMITTED else None,
        "created_at": now,
        "updated_at": now,
    }


def _inserted(model, rows: list[dict], indicator_ids: list[int], *, key: tuple) -> list[int]:
    """Insert ``rows`` and return their new keys, in row order (see above)."""
    before = model.objects.aggregate(last=Max("pk"))["last"] or 0
    bulk_insert(model, rows, batch_size=BATCH)
    indicator = "indicator_id" if model is Reading else "reading__indicator_id"
    found = {
        tuple(values[1:]): values[0]
        for values in model.objects.filter(pk__gt=before, **{f"{indicator}__in": indicator_ids})
        .order_by()
        .values_list("pk", *key)
    }
    ids = [found.get(tuple(row[name] for name in key)) for row in rows]
    if len(found) != len(rows) or None in ids:
        raise RuntimeError(f"{model.__name__}: inserted {len(rows)} rows, found {len(found)}.")
    return ids
