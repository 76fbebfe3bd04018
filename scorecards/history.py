"""A scorecard's history: the status counts day by day and each indicator's recent changes,
from what the daily recheck recorded (``ScorecardSnapshot``, ``IndicatorTransition``).

``scorecard_history(partnership)`` reads it in two queries however many snapshots and
transitions lie behind it; ``render_history_chart`` draws the counts as a small inline SVG
of stacked bars, one per day. The public scorecard includes
``scorecards/public/_history.html`` with ``history`` set to the former.

Only status changes are shown: they follow from verified readings, which the scorecard
publishes anyway. Due mentions are reminders for the partners, not history.

The chart follows ``scorecards/chart.py``'s rules: no ``style`` attribute or element (the
CSP allows none), paint as presentation attributes, one decimal per coordinate, and
``role="img"`` named by its ``<title>`` and ``<desc>``, with the same text alternative for
the page to show and a table of the days the counts changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.models import Partnership
from scorecards.models import Indicator, IndicatorTransition, ScorecardSnapshot, TransitionKind
from scorecards.status import STATUS_LABELS, WORST_FIRST, Status

DEFAULT_DAYS = 90
PER_INDICATOR = 5  # recent changes shown per indicator

# 320 x 140 user units, as scorecards/chart.py: about a pixel per unit on a phone.
WIDTH, HEIGHT = 320, 140
FONT_SIZE = 12
TOP, BOTTOM = 8, 116
LEFT, RIGHT = 28, 316
DATE_ROW = 134
# Failures at the bottom of each bar, on the axis, where they are easiest to read.
STACK_ORDER = WORST_FIRST
COLOURS = {
    Status.NOT_ACHIEVED: "#7a1f1f",
    Status.OFF_TRACK: "#b42318",
    Status.OVERDUE: "#c4540c",
    Status.AT_RISK: "#a36a00",
    Status.NO_DATA: "#a7b0ba",
    Status.REPORTED: "#6b7785",
    Status.ON_TRACK: "#3c8d5a",
    Status.ACHIEVED: "#0b6b4f",
}
_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class DayCounts:
    """One snapshot: indicators per status (worst first) and the worst status."""

    day: date
    counts: dict[Status, int]
    worst: Status | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Change:
    """An indicator's status moving on a day."""

    day: date
    old: Status
    new: Status

    @property
    def old_label(self) -> str:
        return str(STATUS_LABELS[self.old])

    @property
    def new_label(self) -> str:
        return str(STATUS_LABELS[self.new])

    @property
    def worse(self) -> bool:
        return WORST_FIRST.index(self.new) < WORST_FIRST.index(self.old)


@dataclass
class IndicatorChanges:
    indicator: Indicator
    changes: list[Change]  # newest first, at most PER_INDICATOR


@dataclass
class History:
    partnership: Partnership
    start: date  # the first day of the period shown
    end: date  # today
    days: list[DayCounts]  # oldest first; days without a snapshot are missing
    indicators: list[IndicatorChanges] = field(default_factory=list)

    @property
    def period(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def statuses(self) -> list[Status]:
        """The statuses that occur in the period, worst first."""
        found = {state for item in self.days for state in item.counts}
        return [state for state in WORST_FIRST if state in found]

    @property
    def legend(self) -> list[dict]:
        """Badges for the statuses shown (``key``, ``label``), as ``_badge.html`` reads."""
        return [{"key": str(state), "label": str(STATUS_LABELS[state])} for state in self.statuses]

    @property
    def table(self) -> list[dict]:
        """The first day and each day the counts changed: ``day`` and a count per status
        in ``statuses`` order, the text alternative of the chart."""
        rows, last = [], None
        for item in self.days:
            if item.counts != last:
                rows.append(
                    {"day": item.day, "cells": [item.counts.get(s, 0) for s in self.statuses]}
                )
                last = item.counts
        return rows

    def changes_of(self, indicator_id: int) -> list[Change]:
        for item in self.indicators:
            if item.indicator.pk == indicator_id:
                return item.changes
        return []

    @cached_property
    def text(self) -> str:
        return describe_history(self)

    @cached_property
    def chart(self) -> SafeString:
        return render_history_chart(self, id_prefix=f"history-{self.partnership.pk}")


def scorecard_history(
    partnership: Partnership,
    *,
    days: int = DEFAULT_DAYS,
    today: date | None = None,
    per_indicator: int = PER_INDICATOR,
) -> History:
    """The partnership's status counts over the last ``days`` days and each indicator's
    latest status changes in that time, in two queries however many there are."""
    end = today or timezone.localdate()
    start = end - timedelta(days=days - 1)
    snapshots = (
        ScorecardSnapshot.objects.filter(partnership=partnership, day__gte=start, day__lte=end)
        .order_by("day")
        .values_list("day", "counts", "worst")
    )
    history = History(partnership, start, end, [_day_counts(*row) for row in snapshots])
    transitions = (
        IndicatorTransition.objects.filter(
            indicator__outcome__partnership=partnership,
            kind=TransitionKind.STATUS,
            day__gte=start,
            day__lte=end,
        )
        .select_related("indicator")
        .order_by(
            "indicator__outcome__order",
            "indicator__outcome_id",
            "indicator__order",
            "indicator_id",
            "-day",
            "-pk",
        )
    )
    grouped: dict[int, IndicatorChanges] = {}
    for transition in transitions:
        item = grouped.get(transition.indicator_id)
        if item is None:
            item = grouped[transition.indicator_id] = IndicatorChanges(transition.indicator, [])
        if len(item.changes) < per_indicator:
            change = _change(transition)
            if change is not None:
                item.changes.append(change)
    history.indicators = [item for item in grouped.values() if item.changes]
    return history


def _status(value: str) -> Status | None:
    try:
        return Status(value)
    except ValueError:  # a status this version no longer knows: left out, not a crash
        return None


def _day_counts(day: date, counts: dict, worst: str) -> DayCounts:
    known = {_status(key): int(count) for key, count in counts.items()}
    ordered = {state: known[state] for state in WORST_FIRST if known.get(state)}
    return DayCounts(day, ordered, _status(worst) if worst else None)


def _change(transition: IndicatorTransition) -> Change | None:
    old, new = _status(transition.from_status), _status(transition.to_status)
    return Change(transition.day, old, new) if old and new else None


# --- the text alternative ---------------------------------------------------------------------


def _counts_said(counts: dict[Status, int]) -> str:
    return ", ".join(
        _("%(status)s: %(count)s") % {"status": STATUS_LABELS[state], "count": count}
        for state, count in counts.items()
    )


def describe_history(history: History) -> str:
    """The chart in words, in the active language: the period, the first and latest counts,
    and how many days the counts changed."""
    if not history.days:
        return ngettext(
            "No daily snapshot of this scorecard in the last %(days)s day.",
            "No daily snapshot of this scorecard in the last %(days)s days.",
            history.period,
        ) % {"days": history.period}
    first, last = history.days[0], history.days[-1]
    sentences = [
        _("Indicators by status, one bar a day, from %(start)s to %(end)s.")
        % {"start": date_format(history.start), "end": date_format(history.end)},
        _("On %(day)s: %(counts)s.")
        % {"day": date_format(first.day), "counts": _counts_said(first.counts)},
    ]
    if last.day != first.day:
        sentences.append(
            _("On %(day)s: %(counts)s.")
            % {"day": date_format(last.day), "counts": _counts_said(last.counts)}
        )
    changed = len(history.table) - 1
    sentences.append(
        ngettext(
            "The counts changed on %(count)s day.",
            "The counts changed on %(count)s days.",
            changed,
        )
        % {"count": changed}
        if changed
        else _("The counts did not change.")
    )
    return " ".join(sentences)


# --- the chart --------------------------------------------------------------------------------


def _n(coordinate: float) -> str:
    """One decimal, and no ".0"."""
    text = f"{coordinate:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _runs(history: History) -> list[tuple[DayCounts, int]]:
    """Consecutive days with the same counts, as (first day, number of days): one shape
    each, so ninety quiet days cost one rectangle per status, not ninety."""
    runs: list[tuple[DayCounts, int]] = []
    for item in history.days:
        if runs:
            first, length = runs[-1]
            if first.counts == item.counts and (item.day - first.day).days == length:
                runs[-1] = (first, length + 1)
                continue
        runs.append((item, 1))
    return runs


def render_history_chart(history: History, *, id_prefix: str, title: str = "") -> SafeString:
    """Stacked bars of the status counts, a day wide each (a gap where the job did not
    run), as an inline ``<svg>``; ``id_prefix`` makes its ids unique on the page."""
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"Not a usable id prefix: {id_prefix!r}")
    highest = max((item.total for item in history.days), default=0) or 1
    slot = (RIGHT - LEFT) / history.period
    height = BOTTOM - TOP
    bars: dict[Status, list[str]] = defaultdict(list)
    for item, length in _runs(history):
        x = LEFT + (item.day - history.start).days * slot
        width = length * slot
        y = float(BOTTOM)
        for state in STACK_ORDER:
            count = item.counts.get(state, 0)
            if count:
                h = count / highest * height
                y -= h
                bars[state].append(f"M{_n(x)} {_n(y)}h{_n(width)}v{_n(h)}h-{_n(width)}z")
    # A thin white edge keeps neighbouring shades apart.
    paths = format_html(
        '<g stroke="#fff" stroke-width=".5">{}</g>',
        format_html_join(
            "",
            '<path class="chart-{}" fill="{}" d="{}"/>',
            ((str(s), COLOURS[s], "".join(bars[s])) for s in STACK_ORDER if bars[s]),
        ),
    )
    axis = format_html(
        '<g class="chart-grid" stroke="#d0d5dc" fill="none"><path d="M{} {}H{}M{} {}H{}"/></g>'
        '<g class="chart-labels" fill="#525d6b" text-anchor="end">'
        '<text x="{}" y="{}">{}</text><text x="{}" y="{}">0</text></g>'
        '<g class="chart-labels" fill="#525d6b"><text x="{}" y="{}">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text></g>',
        LEFT, TOP, RIGHT, LEFT, BOTTOM, RIGHT,
        LEFT - 4, TOP + 9, highest, LEFT - 4, BOTTOM,
        LEFT, DATE_ROW, date_format(history.start, "j M"),
        RIGHT, DATE_ROW, date_format(history.end, "j M"),
    )  # fmt: skip
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-history" '
        'viewBox="0 0 {} {}" width="100%" height="{}" preserveAspectRatio="xMinYMid meet" '
        'role="img" aria-labelledby="{}-t {}-d" font-size="{}">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}{}</svg>',
        WIDTH, HEIGHT, HEIGHT, id_prefix, id_prefix, FONT_SIZE,
        id_prefix, title or _("Indicators by status over time"), id_prefix, history.text,
        axis, paths,
    )  # fmt: skip
