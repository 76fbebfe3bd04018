"""The public scorecard of a partnership: what its scorecard page shows, to everyone alike.

Built on ``selectors.scorecard`` (outcomes, indicators, statuses, targets, revisions,
needs, in a fixed number of queries), keeping of the readings only the verified, current
ones (never drafts, submitted, returned or superseded readings) and of their evidence only
the public pieces. So the page is the same for a visitor, a partner and a funder; partners
see the rest on the staff pages. For a public partnership the readings are even loaded as
a visitor would load them, so nothing else is in memory to leak.

Every number is formatted here, in the active language, with the figures
``scorecards.status`` computed (value, expected value, progress, a cumulative
indicator's running value): nothing on the page is a sum of its own. Disaggregated values
reach the page only through ``scorecards.disclosure``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.db.models import Func, IntegerField, OuterRef, Subquery
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from communities.dimensions import DIMENSIONS
from communities.disclosure import UNRECORDED_KEY
from communities.models import Need
from harambee import pagecache
from harambee.content import in_reader_language
from partnerships.models import Partner, Partnership
from scorecards import chart, disclosure, selectors, status
from scorecards.models import (
    Evidence,
    EvidenceKind,
    EvidenceStrength,
    Indicator,
    IndicatorMeasure,
    Intention,
    Outcome,
    Reading,
    ReadingStatus,
    Revision,
    RevisionKind,
    RubricLevel,
)

CHARTED_MEASURES = frozenset(
    {IndicatorMeasure.UNIT, IndicatorMeasure.PERCENTAGE, IndicatorMeasure.ORDINAL}
)
EXPECTED_PLACES = 1  # the expected value is a point on a line: one decimal is plenty
TREND_ARROWS = {status.Trend.BETTER: "↑", status.Trend.WORSE: "↓", status.Trend.SAME: "→"}
INTENTION_SIGNS = {
    Intention.INTENDED: "",
    Intention.UNINTENDED_POSITIVE: "+",
    Intention.UNINTENDED_NEGATIVE: "−",
}


# --- numbers ---------------------------------------------------------------------------------


def number_text(value: Decimal | int | float | None, *, max_places: int | None = None) -> str:
    """A number as the active language writes it, with grouping and without trailing
    zeros: 1,234.5 in English, 1 234,5 in French. Empty for None."""
    if value is None:
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if max_places is not None:
        number = round(number, max_places)
    number = number.normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return gettext("%(value)s%%") % {"value": number_text(value)}


# --- what the page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """A status (or trend) as words, with the key the stylesheet colours it by."""

    key: str
    label: str
    arrow: str = ""


@dataclass(frozen=True)
class StatusCount:
    badge: Badge
    count: int


@dataclass(frozen=True)
class PublicEvidence:
    """A public piece of evidence: a file (downloaded through the checked view) or a link."""

    piece: Evidence

    @property
    def is_file(self) -> bool:
        return self.piece.kind == EvidenceKind.FILE

    @property
    def file_type(self) -> str:
        """PDF, JPG, XLSX...: the extension checked at upload."""
        if not self.is_file:
            return ""
        return PurePosixPath(self.piece.file.name).suffix.lstrip(".").upper()


@dataclass
class PublicReading:
    """A verified, current reading with its public evidence."""

    reading: Reading
    value: str  # as shown; empty for a narrative
    running: str  # cumulative indicators: the value after this reading
    evidence: list[PublicEvidence] = field(default_factory=list)

    @property
    def is_correction(self) -> bool:
        """It corrects an earlier verified reading (which the staff pages keep)."""
        return self.reading.supersedes_id is not None


@dataclass(frozen=True)
class PublicRevision:
    revision: Revision
    old: str
    new: str


@dataclass(frozen=True)
class PublicGroup:
    label: str
    people: str
    value: str
    to_date: str
    missing: bool


@dataclass(frozen=True)
class PublicDimension:
    key: str
    label: str
    withheld: bool
    note: str
    to_date_withheld: bool
    groups: tuple[PublicGroup, ...]


@dataclass
class PublicIndicator:
    indicator: Indicator
    state: status.IndicatorStatus
    badge: Badge
    trend: Badge | None
    unit: str
    baseline: str
    value: str
    targets: list[tuple[date, str]]
    expected: str
    progress: str
    expected_progress: str
    levels: list[RubricLevel]
    revisions: list[PublicRevision]
    readings: list[PublicReading]
    evidence_strength: EvidenceStrength
    chart: SafeString | None
    chart_text: str
    dimensions: list[PublicDimension]

    @property
    def latest(self) -> PublicReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def final_target(self) -> str:
        return self.targets[-1][1] if self.targets else ""

    @property
    def final_target_date(self) -> date | None:
        return self.targets[-1][0] if self.targets else None

    @property
    def evidence_strength_label(self) -> str:
        return self.evidence_strength.label


@dataclass
class PublicOutcome:
    outcome: Outcome
    indicators: list[PublicIndicator]
    needs: list[Need]
    partners: list[Partner]
    counts: list[StatusCount]
    worst: Badge | None

    @property
    def intention_sign(self) -> str:
        return INTENTION_SIGNS.get(self.outcome.intention, "")


@dataclass
class PublicScorecard:
    partnership: Partnership
    today: date
    outcomes: list[PublicOutcome]
    counts: list[StatusCount]
    worst: Badge | None
    needs_without_outcome: list[Need]

    @property
    def outcomes_without_need(self) -> list[PublicOutcome]:
        return [card for card in self.outcomes if not card.needs]

    @property
    def indicator_count(self) -> int:
        return sum(count.count for count in self.counts)


# --- building it -----------------------------------------------------------------------------


def public_scorecard(
    partnership: Partnership, *, user, today: date | None = None
) -> PublicScorecard:
    """The scorecard of ``partnership`` as everyone sees it (the caller reached the
    partnership through the visibility rule as ``user``).

    A public partnership's readings are loaded as a visitor's; a private or draft one's
    as ``user``'s (who is inside it), then cut down to what a visitor would see were it
    public. Fixed queries: those of ``selectors.scorecard``.
    """
    viewer = None if partnership.is_public else user
    card = selectors.scorecard(partnership, user=viewer, today=today or timezone.localdate())
    language = get_language()
    outcomes = [
        PublicOutcome(
            outcome=outcome.outcome,
            indicators=[_indicator(item, card.today, language) for item in outcome.indicators],
            needs=outcome.needs,
            partners=outcome.partners,
            counts=_counts(outcome.rollup),
            worst=_badge(outcome.rollup.worst),
        )
        for outcome in card.outcomes
    ]
    return PublicScorecard(
        partnership=partnership,
        today=card.today,
        outcomes=outcomes,
        counts=_counts(card.rollup),
        worst=_badge(card.rollup.worst),
        needs_without_outcome=card.needs_without_outcome,
    )


def _badge(state: status.Status | None) -> Badge | None:
    if state is None:
        return None
    return Badge(key=str(state), label=str(status.STATUS_LABELS[state]))


def _trend(trend: status.Trend | None) -> Badge | None:
    if trend is None:
        return None
    return Badge(key=str(trend), label=str(status.TREND_LABELS[trend]), arrow=TREND_ARROWS[trend])


def _counts(rollup: status.Rollup) -> list[StatusCount]:
    """Counts per status, worst first (as ``status.rollup`` orders them)."""
    return [StatusCount(_badge(state), count) for state, count in rollup.counts.items()]


def _current(readings: Iterable[Reading]) -> list[Reading]:
    """What a visitor may see: verified readings that no correction superseded."""
    return [reading for reading in readings if reading.status == ReadingStatus.VERIFIED]


def _indicator(item: selectors.IndicatorCard, today: date, language: str) -> PublicIndicator:
    indicator = item.indicator
    unit = in_reader_language(indicator, "unit_label", language).text
    shown = _Shown(indicator, unit, item.levels, language)
    readings = _current(item.readings)
    public = [_reading(reading, item.facts, today, shown) for reading in readings]
    state = item.status
    series = _series(item, public, today, unit)
    title = in_reader_language(indicator, "title", language).text
    return PublicIndicator(
        indicator=indicator,
        state=state,
        badge=_badge(state.status),
        trend=_trend(state.trend),
        unit=unit,
        baseline=shown.amount(indicator.baseline_value),
        value=shown.amount(state.value),
        targets=[(target.date, shown.amount(target.value)) for target in item.targets],
        expected=shown.amount(state.expected_value, max_places=EXPECTED_PLACES),
        progress=percent_text(status.as_percent(state.progress)),
        expected_progress=percent_text(status.as_percent(state.expected_progress)),
        levels=item.levels,
        revisions=[_revision(revision, shown) for revision in item.revisions],
        readings=public,
        evidence_strength=readings[-1].evidence_strength if readings else EvidenceStrength.NONE,
        chart=_chart(series, indicator.pk, title),
        chart_text=chart.describe(series, fmt=number_text) if series else "",
        dimensions=_dimensions(indicator, readings, item.facts.adds_up),
    )


class _Shown:
    """Values of one indicator as words: a number with its unit, or a rubric level."""

    def __init__(self, indicator: Indicator, unit: str, levels: Sequence[RubricLevel], language):
        self.indicator, self.unit, self.language = indicator, unit, language
        self.levels = {level.number: level for level in levels}

    def amount(self, value: Decimal | None, *, max_places: int | None = None) -> str:
        if value is None:
            return ""
        number = number_text(value, max_places=max_places)
        if self.indicator.uses_levels:  # a rubric level, or a point between two (expected)
            level = self.levels.get(int(value)) if value == int(value) else None
            if level is not None:
                return self.level(level)
            return gettext("level %(number)s") % {"number": number}
        if self.indicator.measure == IndicatorMeasure.PERCENTAGE and not self.unit:
            return gettext("%(value)s%%") % {"value": number}
        if self.unit:
            return gettext("%(value)s %(unit)s") % {"value": number, "unit": self.unit}
        return number

    def level(self, level: RubricLevel) -> str:
        label = in_reader_language(level, "label", self.language).text
        return gettext("level %(number)s, “%(label)s”") % {"number": level.number, "label": label}

    def reading(self, reading: Reading) -> str:
        if reading.value_missing:
            return gettext("No value for this period")
        if reading.level_id is not None:
            return self.level(reading.level)
        return self.amount(reading.value)


def _reading(
    reading: Reading, facts: status.IndicatorFacts, today: date, shown: _Shown
) -> PublicReading:
    public = [PublicEvidence(piece) for piece in reading.visible_evidence if piece.is_public]
    running = ""
    if facts.adds_up and not reading.value_missing:
        running = shown.amount(_running_value(facts, reading.period_end, today))
    return PublicReading(
        reading=reading, value=shown.reading(reading), running=running, evidence=public
    )


def _running_value(facts: status.IndicatorFacts, end: date, today: date) -> Decimal | None:
    """A cumulative indicator's value after the reading for the period ending ``end``:
    ``status.value_on`` over the readings up to that period."""
    upto = replace(facts, verified=tuple(r for r in facts.verified if r.period_end <= end))
    return status.value_on(upto, today)


def _revision(revision: Revision, shown: _Shown) -> PublicRevision:
    """The old and the new baseline or target, as words (empty for a target added or
    removed: it has no old, or no new, side)."""
    pattern = (
        gettext("%(value)s on %(date)s")
        if revision.kind == RevisionKind.BASELINE
        else gettext("%(value)s by %(date)s")
    )

    def said(value: Decimal | None, day: date | None) -> str:
        if day is None:
            return ""
        return pattern % {"value": shown.amount(value) or "—", "date": date_format(day)}

    return PublicRevision(
        revision=revision,
        old=said(revision.old_value, revision.old_date),
        new=said(revision.new_value, revision.new_date),
    )


# --- the chart -------------------------------------------------------------------------------


def _series(
    item: selectors.IndicatorCard, readings: list[PublicReading], today: date, unit: str
) -> chart.Series | None:
    """What the chart draws, or None for an indicator that gets no chart: nominal and
    qualitative ones, and one without a baseline value or a target value yet."""
    indicator = item.indicator
    targets = [chart.Point(t.date, t.value) for t in item.targets if t.value is not None]
    if indicator.measure not in CHARTED_MEASURES or indicator.baseline_value is None or not targets:
        return None
    points = []
    for public in readings:
        reading = public.reading
        if item.facts.adds_up:
            value = _running_value(item.facts, reading.period_end, today)
        elif reading.level_id is not None:
            value = Decimal(reading.level.number)
        else:
            value = reading.value
        if value is not None and not reading.value_missing:
            points.append(chart.Point(reading.period_end, value))
    return chart.Series(
        baseline=chart.Point(indicator.baseline_date, indicator.baseline_value),
        targets=targets,
        readings=points,
        today=today,
        # Plotted and described at the precision the page shows it (not 91.9266005...).
        expected=(
            None
            if item.status.expected_value is None
            else round(item.status.expected_value, EXPECTED_PLACES)
        ),
        higher_is_better=indicator.higher_is_better,
        unit=unit,
    )


def _chart(series: chart.Series | None, pk: int, title: str) -> SafeString | None:
    if series is None:
        return None
    label = gettext("“%(indicator)s”: readings against the expected path") % {"indicator": title}
    return chart.render(series, id_prefix=f"chart-{pk}", title=label, fmt=number_text)


# --- disaggregated values --------------------------------------------------------------------


def _dimensions(indicator: Indicator, readings: list[Reading], cumulative: bool) -> list:
    """The latest reading's disaggregated values as ``scorecards.disclosure`` publishes
    them, given every current reading of the indicator (its totals to date need them)."""
    if not readings or not any(reading.disaggregations.all() for reading in readings):
        return []
    periods = [_period(reading, indicator.dimensions or []) for reading in readings]
    published = disclosure.publish_disaggregates(
        periods, thresholds=disclosure.default_thresholds(DIMENSIONS), cumulative=cumulative
    )
    latest = next(p for p in published if p.period_end == readings[-1].period_end)
    return [_dimension(dimension, cumulative) for dimension in latest.dimensions]


def _period(reading: Reading, dimensions: Sequence[str]) -> disclosure.PeriodValues:
    if reading.people is None:  # no group can be checked against a total: publish none
        return disclosure.PeriodValues(reading.period_end, 0, {})
    by_dimension: dict[str, list[disclosure.GroupValue]] = {}
    for cell in sorted(reading.disaggregations.all(), key=lambda cell: _order(cell, dimensions)):
        by_dimension.setdefault(cell.dimension, []).append(
            disclosure.GroupValue(cell.category, cell.people, cell.value)
        )
    return disclosure.PeriodValues(reading.period_end, reading.people, by_dimension)


def _order(cell, dimensions: Sequence[str]) -> tuple[int, int, str]:
    """The indicator's order of dimensions, and each dimension's order of categories."""
    keys = [*dimensions, *(key for key in DIMENSIONS if key not in dimensions)]
    known = DIMENSIONS.get(cell.dimension)
    categories = known.category_keys() if known else []
    return (
        keys.index(cell.dimension) if cell.dimension in keys else len(keys),
        categories.index(cell.category) if cell.category in categories else len(categories),
        cell.category,
    )


UNRECORDED_LABEL = _("Not recorded")


def _dimension(published: disclosure.PublishedDimension, cumulative: bool) -> PublicDimension:
    known = DIMENSIONS.get(published.dimension)
    label = str(known.label) if known else published.dimension
    groups = tuple(
        PublicGroup(
            label=str(UNRECORDED_LABEL)
            if group.group == UNRECORDED_KEY
            else str(known.category_label(group.group) if known else group.group),
            people=number_text(group.people),
            value=number_text(group.value),
            to_date=number_text(group.to_date) if cumulative else "",
            missing=group.missing and group.group != UNRECORDED_KEY,
        )
        for group in published.groups
        if not published.withheld
    )
    return PublicDimension(
        key=published.dimension,
        label=label,
        withheld=published.withheld,
        note=disclosure.withheld_note(published) if published.withheld else "",
        to_date_withheld=cumulative and published.to_date_withheld,
        groups=groups,
    )


# --- the partnership page's section ----------------------------------------------------------


def section_rollup(partnership: Partnership) -> tuple[list[tuple[str, int]], str | None]:
    """The partnership's count per status (worst first) and worst status, as plain
    status keys to keep in the cache; the three queries of ``selectors.facts_for``."""
    facts = selectors.facts_for(Indicator.objects.filter(outcome__partnership=partnership))
    rollup = status.rollup(selectors.statuses_of(facts).values())
    counts = [(str(state), count) for state, count in rollup.counts.items()]
    return counts, str(rollup.worst) if rollup.worst else None


def section_annotations() -> dict[str, BaseExpression]:
    """The partnership page's figure of the scorecard section, read with the partnership's
    row: its number of outcomes, a count correlated on the index of the outcomes'
    partnership (nothing grouped; 0 without outcomes)."""
    outcomes = (
        Outcome.objects.filter(partnership=OuterRef("pk"))
        .order_by()
        .annotate(count=Func("pk", function="COUNT", output_field=IntegerField()))
        .values("count")
    )
    return {"scorecards_outcomes": Coalesce(Subquery(outcomes), 0)}


def section_context(request, partnership: Partnership) -> dict:
    """The scorecard section of the partnership page: how many outcomes there are (read
    with the partnership when it was fetched with ``section_annotations``, else one
    query), and if so the roll-up from the versioned cache (no more query once computed
    for this public version and day; three before), labelled in the reader's language."""
    outcomes = getattr(partnership, "scorecards_outcomes", None)
    if outcomes is None:
        outcomes = Outcome.objects.filter(partnership=partnership).count()
    if not outcomes:
        return {"outcomes": 0, "counts": [], "indicators": 0, "worst": None}
    counts, worst = pagecache.remember(
        f"scorecards:rollup:{partnership.pk}", lambda: section_rollup(partnership)
    )
    badges = [StatusCount(_badge(status.Status(key)), count) for key, count in counts]
    return {
        "outcomes": outcomes,
        "counts": badges,
        "indicators": sum(count.count for count in badges),
        "worst": _badge(status.Status(worst)) if worst else None,
    }
