"""The demo world's scorecard history: what the daily recheck would have recorded over the
last ``DAYS`` days, so the scorecard pages show their history chart and transitions, and
the lessons prompts have something to answer to, from the first start.

``build(world)`` runs at the end of ``scorecards.demo.build``, after the readings exist. It
replays the recheck day by day in memory with the job's own pieces
(``recheck.snapshot_fields``, ``status_changes``, ``mention_for``) over the facts loaded
once: ``scorecards.status`` already answers "as of a day" for verified and superseded
readings, and the due clock is wound back here from when each reading was submitted. The
rows are then inserted in a few set-based statements, dated as the job would have dated
them, and no digest is written: these days are past. The first real run finds today's
snapshot already there and records only what is new.

At benchmark scale (``world.scale``) nothing is replayed: ninety days of 100,000
indicators is not cheap, and ``benchmarks/bench_recheck.py`` measures the job from a
database without history.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from harambee.bulk import bulk_insert
from harambee.demo import World
from partnerships.models import Visibility
from scorecards import selectors, status
from scorecards.models import (
    Indicator,
    IndicatorTransition,
    Reading,
    ReadingStatus,
    ScorecardSnapshot,
    TransitionKind,
)
from scorecards.recheck import due_soon_days, mention_for, snapshot_fields, status_changes

DAYS = 90
# Readings that were submitted (stopping the due clock) at some point and still count so.
_REPORTED = (ReadingStatus.SUBMITTED, ReadingStatus.VERIFIED, ReadingStatus.SUPERSEDED)


def build(world: World) -> None:
    """Snapshots and transitions of the last ``DAYS`` days for the demo partnerships."""
    if world.scale:
        return
    partnerships = [p for p in world.partnerships.values() if p.visibility != Visibility.DRAFT]
    indicators = Indicator.objects.filter(outcome__partnership__in=partnerships)
    facts = selectors.facts_for(indicators)
    if not facts:
        return
    where = dict(indicators.values_list("pk", "outcome__partnership_id"))
    ended = {p.pk for p in partnerships if p.status in selectors.ENDED}
    reported = _reported(list(facts))
    snapshots, transitions = _replay(world.today, facts, where, ended, reported)
    bulk_insert(ScorecardSnapshot, snapshots)
    bulk_insert(IndicatorTransition, transitions)


def _reported(ids: list[int]) -> dict[int, list[tuple[date, date]]]:
    """Per indicator, (day submitted, period end) of the readings that stop the clock."""
    found: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for pk, submitted_at, end in Reading.objects.filter(
        indicator_id__in=ids, status__in=_REPORTED, submitted_at__isnull=False
    ).values_list("indicator_id", "submitted_at", "period_end"):
        found[pk].append((timezone.localdate(submitted_at), end))
    return found


def _as_of(facts: status.IndicatorFacts, reported, day: date) -> status.IndicatorFacts:
    ends = [end for submitted, end in reported.get(facts.key, ()) if submitted <= day]
    return dataclasses.replace(facts, last_reported_end=max(ends, default=None))


def _moment(day: date) -> datetime:
    """Noon of ``day``, never later than now: when the job would have recorded it."""
    return min(timezone.make_aware(datetime.combine(day, time(12))), timezone.now())


def _replay(today: date, facts, where, ended, reported) -> tuple[list[dict], list[dict]]:
    grace, soon = selectors.grace_days(), due_soon_days()
    snapshots, transitions = [], []
    previous: dict[int, dict] = {}
    mentioned: set[tuple[int, str, date]] = set()
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        moment = _moment(day)
        found = status.statuses(
            [_as_of(item, reported, day) for item in facts.values()], day, grace_days=grace
        )
        by_partnership: dict[int, dict] = defaultdict(dict)
        for pk, state in found.items():
            by_partnership[where[pk]][pk] = state
        for partnership_id, states in by_partnership.items():
            fields = snapshot_fields(states)
            snapshots.append(
                {"partnership_id": partnership_id, "day": day, "computed_at": moment, **fields}
            )
            if partnership_id in previous:
                for change in status_changes(
                    previous[partnership_id]["indicators"], fields["indicators"], day
                ):
                    transitions.append(_row(change.indicator_id, day, moment, change=change))
            previous[partnership_id] = fields
        for pk, state in found.items():
            kind = mention_for(state, day, soon)
            if kind is None or where[pk] in ended or (pk, kind, state.due) in mentioned:
                continue
            mentioned.add((pk, kind, state.due))
            transitions.append(_row(pk, day, moment, kind=kind, due=state.due))
    return snapshots, transitions


def _row(indicator_id, day, moment, *, change=None, kind=None, due=None) -> dict:
    return {
        "indicator_id": indicator_id,
        "day": day,
        "kind": TransitionKind.STATUS if change else kind,
        "from_status": change.from_status if change else "",
        "to_status": change.to_status if change else "",
        "due": due,
        "created_at": moment,
    }
