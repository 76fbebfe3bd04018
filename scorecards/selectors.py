"""Read models of scorecards: what the scorecard page, "my work", the API and the exports
show, each in a fixed number of queries however many outcomes, indicators and readings.

Statuses come from one place, ``scorecards.status``, fed by ``facts_for``. Visitors see
verified readings of public partnerships only (``Reading.objects.visible_to``);
disaggregated values are raw here and reach a public page only through
``scorecards.disclosure``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from communities.models import Need
from communities.selectors import validated_assessments
from partnerships import access
from partnerships.codelists import ActivityStatus, OrganisationRole
from partnerships.models import OrganisationMember, Partner, Partnership
from scorecards import status
from scorecards.models import (
    EDITABLE_STATES,
    PUBLISHED_STATES,
    REPORTED_STATES,
    Evidence,
    EvidenceKind,
    EvidenceStrength,
    Indicator,
    IndicatorMeasure,
    Outcome,
    Reading,
    ReadingStatus,
    Revision,
    RubricLevel,
    Target,
)
from scorecards.permissions import is_inside

DEFAULT_GRACE_DAYS = 30
DEFAULT_DUE_SOON_DAYS = 14


def grace_days() -> int:
    """Days after its due date before a missing reading is overdue (DESIGN.md "Due")."""
    return int(getattr(settings, "HARAMBEE_OVERDUE_GRACE_DAYS", DEFAULT_GRACE_DAYS))


def _measure(measure: int) -> status.Measure:
    return status.Measure[IndicatorMeasure(measure).name]


def eligible_needs(partnership: Partnership) -> QuerySet[Need]:
    """The needs an outcome of ``partnership`` may address: those of assessments
    validated with the community and linked to the partnership. The needs no outcome
    addresses are counted among the same set (``needs_without_outcome``), and
    ``services.outcome_create`` links no other."""
    return Need.objects.filter(assessment__in=validated_assessments(partnership).values("pk"))


# --- the status facts ------------------------------------------------------------------------


def facts_for(indicators: QuerySet[Indicator]) -> dict[int, status.IndicatorFacts]:
    """``status.IndicatorFacts`` of every indicator of the queryset, keyed by its id, in
    three queries whatever their number: the indicators (with whether they have a
    rubric), their targets, and their submitted, verified and superseded readings.

    Verified and superseded readings are the facts (a superseded one with the day it was
    superseded, so a trend can recompute an earlier day); a reading with no value for its
    period is one with the value None. Submitted and verified ones stop the due clock.
    """
    ids = indicators.order_by().values("pk")
    rows = list(
        Indicator.objects.filter(pk__in=ids)
        .annotate(rubric=Exists(RubricLevel.objects.filter(indicator=OuterRef("pk"))))
        .values(
            "pk",
            "measure",
            "higher_is_better",
            "cumulative",
            "baseline_value",
            "baseline_date",
            "band",
            "cadence_months",
            "rubric",
        )
    )
    targets: dict[int, list[status.Point]] = defaultdict(list)
    for indicator_id, day, value in (
        Target.objects.filter(indicator__in=ids)
        .order_by("indicator_id", "date")
        .values_list("indicator_id", "date", "value")
    ):
        targets[indicator_id].append(status.Point(day, value))
    verified: dict[int, list[status.ReadingFact]] = defaultdict(list)
    reported: dict[int, date] = {}
    readings = (
        Reading.objects.filter(indicator__in=ids, status__in=REPORTED_STATES | PUBLISHED_STATES)
        .order_by("indicator_id", "period_end", "pk")
        .values_list(
            "indicator_id",
            "status",
            "period_end",
            "value",
            "level__number",
            "value_missing",
            "verified_at",
            "superseded_at",
        )
    )
    for indicator_id, state, end, value, level, missing, verified_at, superseded_at in readings:
        if state in REPORTED_STATES:
            reported[indicator_id] = max(end, reported.get(indicator_id, end))
        if state == ReadingStatus.SUBMITTED:
            continue
        verified[indicator_id].append(
            status.ReadingFact(
                period_end=end,
                value=None if missing else _fact_value(value, level),
                verified_on=timezone.localdate(verified_at),
                superseded_on=timezone.localdate(superseded_at) if superseded_at else None,
            )
        )
    return {
        row["pk"]: status.IndicatorFacts(
            key=row["pk"],
            measure=_measure(row["measure"]),
            has_rubric=row["rubric"],
            higher_is_better=row["higher_is_better"],
            cumulative=row["cumulative"],
            baseline=status.Point(row["baseline_date"], row["baseline_value"]),
            targets=tuple(targets[row["pk"]]),
            band=row["band"],
            cadence_months=row["cadence_months"],
            verified=tuple(verified[row["pk"]]),
            last_reported_end=reported.get(row["pk"]),
        )
        for row in rows
    }


def _fact_value(value: Decimal | None, level: int | None) -> Decimal | None:
    """The value status.py reads: the number, or the rubric level's number (a narrative
    gives none: status.py counts the reading as reported)."""
    return Decimal(level) if level is not None else value


def statuses_of(
    facts: dict[int, status.IndicatorFacts], today: date | None = None
) -> dict[int, status.IndicatorStatus]:
    """The status of each indicator on ``today`` (default: the local date)."""
    return status.statuses(facts.values(), today or timezone.localdate(), grace_days=grace_days())


# --- the scorecard page ----------------------------------------------------------------------


@dataclass
class IndicatorCard:
    """One indicator as the scorecard shows it.

    ``readings`` are those the viewer may see, by period end (superseded ones included,
    marked by their status, with ``visible_evidence``: the pieces the viewer may open);
    ``latest`` is the latest verified one, the value the status reads.
    """

    indicator: Indicator
    facts: status.IndicatorFacts
    status: status.IndicatorStatus
    targets: list[Target]
    levels: list[RubricLevel]
    revisions: list[Revision]
    readings: list[Reading] = field(default_factory=list)

    @property
    def latest(self) -> Reading | None:
        verified = [r for r in self.readings if r.status == ReadingStatus.VERIFIED]
        return verified[-1] if verified else None

    @property
    def evidence_strength(self) -> EvidenceStrength:
        latest = self.latest
        return latest.evidence_strength if latest else EvidenceStrength.NONE

    @property
    def final_target(self) -> Target | None:
        return self.targets[-1] if self.targets else None


@dataclass
class OutcomeCard:
    """One outcome with its indicators, the partners responsible and the needs it
    addresses (of assessments validated and linked to the partnership)."""

    outcome: Outcome
    indicators: list[IndicatorCard]
    needs: list[Need]
    partners: list[Partner]
    rollup: status.Rollup

    @property
    def addresses_no_need(self) -> bool:
        return not self.needs


@dataclass
class Scorecard:
    partnership: Partnership
    today: date
    outcomes: list[OutcomeCard]
    rollup: status.Rollup
    needs_without_outcome: list[Need]
    inside: bool  # the viewer sees the internal side (submitted and returned readings)

    @property
    def outcomes_without_need(self) -> list[OutcomeCard]:
        return [card for card in self.outcomes if card.addresses_no_need]

    @property
    def indicators(self) -> list[IndicatorCard]:
        return [card for outcome in self.outcomes for card in outcome.indicators]


def scorecard(partnership: Partnership, *, user, today: date | None = None) -> Scorecard:
    """The scorecard of a partnership as ``user`` may see it, in a fixed number of
    queries (about fifteen) however many outcomes, indicators and readings it has.

    The caller reached ``partnership`` through the visibility rule. Statuses are the
    same for every viewer; only the readings and evidence listed differ.
    """
    today = today or timezone.localdate()
    eligible = eligible_needs(partnership)
    outcomes = list(
        Outcome.objects.filter(partnership=partnership)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "needs",
                queryset=eligible.select_related("assessment__community").order_by(
                    "assessment__community__name", "priority_rank", "pk"
                ),
                to_attr="eligible_needs",
            ),
            Prefetch(
                "responsible_partners",
                queryset=Partner.objects.select_related("organisation"),
                to_attr="partners",
            ),
        )
    )
    indicators = _indicators_of(partnership)
    facts = facts_for(Indicator.objects.filter(outcome__partnership=partnership))
    found = statuses_of(facts, today)
    readings = _readings_for(partnership, user)
    cards: dict[int, list[IndicatorCard]] = defaultdict(list)
    for indicator in indicators:
        card = IndicatorCard(
            indicator=indicator,
            facts=facts[indicator.pk],
            status=found[indicator.pk],
            targets=list(indicator.targets.all()),
            levels=list(indicator.levels.all()),
            revisions=list(indicator.revisions.all()),
            readings=readings.get(indicator.pk, []),
        )
        cards[indicator.outcome_id].append(card)
    outcome_cards = [
        OutcomeCard(
            outcome=outcome,
            indicators=cards[outcome.pk],
            needs=outcome.eligible_needs,
            partners=outcome.partners,
            rollup=status.rollup([card.status for card in cards[outcome.pk]]),
        )
        for outcome in outcomes
    ]
    return Scorecard(
        partnership=partnership,
        today=today,
        outcomes=outcome_cards,
        rollup=status.rollup(list(found.values())),
        needs_without_outcome=list(
            needs_without_outcome(partnership).select_related("assessment__community")
        ),
        inside=is_inside(user, partnership.pk),
    )


def _indicators_of(partnership: Partnership) -> list[Indicator]:
    return list(
        Indicator.objects.filter(outcome__partnership=partnership)
        .select_related("reporting_partner__organisation")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("date", "pk")),
            Prefetch("levels", queryset=RubricLevel.objects.order_by("number")),
            Prefetch("revisions", queryset=Revision.objects.order_by("at", "pk")),
        )
        .order_by("outcome__order", "outcome_id", "order", "pk")
    )


def with_evidence_strength(readings: QuerySet[Reading]) -> QuerySet[Reading]:
    """Readings annotated with what their evidence holds (files, links), internal pieces
    included, so ``Reading.evidence_strength`` is known without showing those pieces."""
    evidence = Evidence.objects.filter(reading=OuterRef("pk"))
    return readings.annotate(
        has_file_evidence=Exists(evidence.filter(kind=EvidenceKind.FILE)),
        has_link_evidence=Exists(evidence.filter(kind__in=[EvidenceKind.LINK, EvidenceKind.VIDEO])),
    )


def _readings_for(partnership: Partnership, user) -> dict[int, list[Reading]]:
    readings = with_evidence_strength(
        Reading.objects.visible_to(user)
        .filter(indicator__outcome__partnership=partnership)
        .select_related("level")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.visible_to(user).order_by("added_at", "pk"),
                to_attr="visible_evidence",
            ),
            "disaggregations",
        )
        .order_by("period_end", "pk")
    )
    by_indicator: dict[int, list[Reading]] = defaultdict(list)
    for reading in readings:
        by_indicator[reading.indicator_id].append(reading)
    return by_indicator


def needs_without_outcome(partnership: Partnership) -> QuerySet[Need]:
    """Needs of assessments validated with the community and linked to the partnership
    that no outcome of the partnership addresses: a gap the scorecard shows."""
    addressed = Outcome.needs.through.objects.filter(
        need=OuterRef("pk"), outcome__partnership=partnership
    )
    return (
        eligible_needs(partnership)
        .exclude(Exists(addressed))
        .order_by("assessment__community__name", "assessment_id", "priority_rank", "pk")
    )


def outcomes_without_need(partnership: Partnership) -> QuerySet[Outcome]:
    """Outcomes of the partnership that address none of its eligible needs: the other gap."""
    eligible = eligible_needs(partnership)
    links = Outcome.needs.through.objects.filter(
        outcome=OuterRef("pk"), need__in=eligible.values("pk")
    )
    return Outcome.objects.filter(partnership=partnership).exclude(Exists(links))


def reading_returns(reading: Reading) -> list[dict]:
    """Every return of a reading, oldest first: when, by whom (user id) and why, from
    its history (one query)."""
    rows = (
        reading.history.filter(status=ReadingStatus.RETURNED, returned_at__isnull=False)
        .order_by("history_date")
        .values("returned_at", "returned_by_id", "return_reason")
    )
    seen, returns = set(), []
    for row in rows:
        if row["returned_at"] not in seen:
            seen.add(row["returned_at"])
            returns.append(
                {
                    "at": row["returned_at"],
                    "by_id": row["returned_by_id"],
                    "reason": row["return_reason"],
                }
            )
    return returns


# --- "my work" -------------------------------------------------------------------------------


@dataclass
class DueReading:
    """An indicator whose next reading is due (or overdue, or due soon) from one of the
    user's organisations; ``open`` is the draft or returned reading already started."""

    indicator: Indicator
    status: status.IndicatorStatus
    due_on: date
    overdue: bool
    open: Reading | None = None

    @property
    def partnership(self) -> Partnership:
        return self.indicator.outcome.partnership


ENDED = (ActivityStatus.CLOSED, ActivityStatus.CANCELLED)


def due_readings_for(user, *, today: date | None = None) -> list[DueReading]:
    """The readings due, overdue or due within ``HARAMBEE_DUE_SOON_DAYS`` (default 14) of
    the indicators the user's organisations report (as current partners), soonest first;
    five queries however many. Nothing is due after an indicator's final target date,
    nor in closed or cancelled partnerships."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    soon = int(getattr(settings, "HARAMBEE_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))
    mine = (
        Indicator.objects.filter(reporting_partner__in=access.partner_roles(user).values("pk"))
        .exclude(outcome__partnership__status__in=ENDED)
        .select_related("outcome__partnership", "reporting_partner__organisation")
    )
    indicators = {indicator.pk: indicator for indicator in mine}
    if not indicators:
        return []
    found = statuses_of(facts_for(Indicator.objects.filter(pk__in=list(indicators))), today)
    open_readings = {
        reading.indicator_id: reading
        for reading in Reading.objects.filter(
            indicator_id__in=list(indicators), status__in=EDITABLE_STATES
        ).order_by("period_end", "pk")
    }
    due = []
    for pk, indicator in indicators.items():
        state = found[pk]
        due_on = state.due
        if due_on is None or (due_on - today).days > soon:
            continue
        due.append(
            DueReading(
                indicator=indicator,
                status=state,
                due_on=due_on,
                overdue=_is_overdue(state, today),
                open=open_readings.get(pk),
            )
        )
    return sorted(due, key=lambda item: (item.due_on, item.indicator.pk))


def _is_overdue(state: status.IndicatorStatus, today: date) -> bool:
    return state.overdue_from is not None and today >= state.overdue_from


def readings_to_verify(user) -> QuerySet[Reading]:
    """Submitted readings the user may verify or return, oldest first: of partnerships
    whose lead they work for, not reported by them; and, as staff of a funding partner,
    those reported by the lead's only staff member (the rule of
    ``permissions.verification_refusal``, set-based)."""
    if user is None or not user.is_authenticated:
        return Reading.objects.none()
    lead_staff = (
        OrganisationMember.objects.filter(
            organisation__partner_roles__partnership=OuterRef("indicator__outcome__partnership"),
            organisation__partner_roles__is_lead=True,
        )
        .order_by()
        .values("organisation__partner_roles__partnership")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    only_member = OrganisationMember.objects.filter(
        organisation__partner_roles__partnership=OuterRef("indicator__outcome__partnership"),
        organisation__partner_roles__is_lead=True,
    ).values("user_id")[:1]
    funded = access.partner_roles(user, roles=[OrganisationRole.FUNDING]).values("partnership_id")
    as_lead = Q(indicator__outcome__partnership__in=access.partnered_ids(user, lead=True))
    as_funder = (
        Q(indicator__outcome__partnership__in=funded)
        & Q(lead_staff=1)
        & Q(reported_by_id=Subquery(only_member))
    )
    return (
        Reading.objects.filter(status=ReadingStatus.SUBMITTED)
        .annotate(lead_staff=Subquery(lead_staff))
        .filter(as_lead | as_funder)
        .exclude(reported_by=user)
        .select_related("indicator__outcome__partnership", "reported_for", "level")
        .order_by("submitted_at", "pk")
    )


def returned_readings_for(user) -> QuerySet[Reading]:
    """Readings returned to the user (they reported them), to correct and resubmit."""
    if user is None or not user.is_authenticated:
        return Reading.objects.none()
    return (
        Reading.objects.filter(status=ReadingStatus.RETURNED, reported_by=user)
        .select_related("indicator__outcome__partnership")
        .order_by("returned_at", "pk")
    )
