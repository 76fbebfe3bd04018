"""The scorecard's history read model, its chart and its partial: a fixed number of
queries however many snapshots and transitions, and a chart the CSP and screen readers
accept."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone

from partnerships.models import Partnership, Visibility
from scorecards.history import STACK_ORDER, render_history_chart, scorecard_history
from scorecards.models import IndicatorTransition, ScorecardSnapshot, TransitionKind
from scorecards.recheck import recheck
from scorecards.status import Status
from tests.factories import PartnershipFactory
from tests.scorecards.factories import make_indicator, make_outcome

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 1)
PATTERN = ["on_track", "on_track", "at_risk", "off_track", "on_track", "achieved"]


@pytest.fixture
def outcome(partnership, lead, implementer):
    return make_outcome(partnership, lead, partners=[implementer])


def build(partnership, outcome, implementer, *, days: int, indicators: int) -> list:
    """``days`` daily snapshots and, per indicator, a status change every ten days."""
    made = [make_indicator(outcome, implementer, title=f"Indicator {n}") for n in range(indicators)]
    rows, moves = [], []
    for offset in range(days):
        day = TODAY - timedelta(days=offset)
        states = {str(i.pk): PATTERN[(offset // 10 + n) % len(PATTERN)] for n, i in enumerate(made)}
        counts: dict[str, int] = {}
        for state in states.values():
            counts[state] = counts.get(state, 0) + 1
        rows.append(
            ScorecardSnapshot(
                partnership=partnership,
                day=day,
                counts=counts,
                worst=min(counts, key=lambda s: list(map(str, STACK_ORDER)).index(s)),
                indicators={pk: {"status": s, "progress": None} for pk, s in states.items()},
            )
        )
        if offset % 10 == 0 and offset:
            for n, indicator in enumerate(made):
                old = PATTERN[(offset // 10 + n) % len(PATTERN)]
                new = PATTERN[(offset // 10 - 1 + n) % len(PATTERN)]
                if old != new:
                    moves.append(
                        IndicatorTransition(
                            indicator=indicator,
                            day=day + timedelta(days=1),
                            kind=TransitionKind.STATUS,
                            from_status=old,
                            to_status=new,
                        )
                    )
    ScorecardSnapshot.objects.bulk_create(rows)
    IndicatorTransition.objects.bulk_create(moves)
    return made


@pytest.mark.parametrize(("days", "indicators"), [(3, 1), (90, 6)])
def test_the_history_reads_in_two_queries_however_much_lies_behind_it(
    partnership, outcome, implementer, django_assert_num_queries, days, indicators
):
    build(partnership, outcome, implementer, days=days, indicators=indicators)
    # Other partnerships' rows are never read.
    other = PartnershipFactory()
    ScorecardSnapshot.objects.create(partnership=other, day=TODAY, counts={"on_track": 1})

    # 1 the snapshots of the period, 2 the status changes with their indicators.
    with django_assert_num_queries(2):
        history = scorecard_history(partnership, today=TODAY)
    with django_assert_num_queries(0):  # the chart, the text and the partial read no more
        html = render_to_string("scorecards/public/_history.html", {"history": history})

    assert len(history.days) == days
    assert "<svg" in html
    assert sum(len(item.changes) for item in history.indicators) <= 5 * indicators


def test_the_counts_and_changes_come_oldest_day_first_and_newest_change_first(
    partnership, outcome, implementer
):
    made = build(partnership, outcome, implementer, days=40, indicators=2)

    history = scorecard_history(partnership, today=TODAY, days=30)

    assert [item.day for item in history.days] == [
        TODAY - timedelta(days=n) for n in range(29, -1, -1)
    ]
    assert history.days[-1].counts == {Status.ON_TRACK: 2}
    assert history.days[0].counts == {Status.AT_RISK: 1, Status.OFF_TRACK: 1}  # worst first
    assert history.days[0].worst == Status.OFF_TRACK
    first = history.changes_of(made[0].pk)
    assert [change.day for change in first] == sorted((c.day for c in first), reverse=True)
    assert all(change.day >= history.start for change in first)
    assert history.changes_of(-1) == []
    assert [row["day"] for row in history.table][0] == history.days[0].day


def test_only_status_changes_are_history_not_due_mentions(partnership, outcome, implementer):
    indicator = make_indicator(outcome, implementer)
    IndicatorTransition.objects.create(
        indicator=indicator, day=TODAY, kind=TransitionKind.DUE_SOON, due=TODAY
    )

    assert scorecard_history(partnership, today=TODAY).indicators == []


def test_the_chart_obeys_the_csp_and_is_named_for_screen_readers(partnership, outcome, implementer):
    build(partnership, outcome, implementer, days=30, indicators=3)
    history = scorecard_history(partnership, today=TODAY, days=30)

    svg = str(render_history_chart(history, id_prefix="h1"))

    assert "style" not in svg and "<script" not in svg
    assert 'role="img"' in svg and 'aria-labelledby="h1-t h1-d"' in svg
    assert '<title id="h1-t">' in svg and '<desc id="h1-d">' in svg
    assert history.text in svg.replace("&#x27;", "'")
    assert "from Sept. 2, 2026 to Oct. 1, 2026" in history.text
    # One path per status present, failures first (at the bottom of each bar).
    painted = re.findall(r'<path class="chart-(\w+)"', svg)
    assert painted == [str(s) for s in STACK_ORDER if s in history.statuses]
    assert len(svg) < 6000  # it counts toward the page's weight


def test_a_bar_is_as_tall_as_its_count(partnership, outcome, implementer):
    build(partnership, outcome, implementer, days=1, indicators=4)
    history = scorecard_history(partnership, today=TODAY, days=1)

    svg = str(render_history_chart(history, id_prefix="h"))

    heights = [float(h) for h in re.findall(r"v([\d.]+)h-", svg)]
    assert sum(heights) == pytest.approx(116 - 8, abs=0.5)  # the full height: every indicator


def test_the_chart_refuses_an_unusable_id(partnership):
    with pytest.raises(ValueError):
        render_history_chart(scorecard_history(partnership, today=TODAY), id_prefix="1 bad")


def test_the_partial_says_so_when_there_is_no_history_yet(partnership):
    html = render_to_string(
        "scorecards/public/_history.html", {"history": scorecard_history(partnership)}
    )

    assert "No history yet" in html
    assert "<svg" not in html


def test_the_partial_lists_each_indicators_changes_and_a_table(partnership, outcome, implementer):
    made = build(partnership, outcome, implementer, days=30, indicators=2)
    history = scorecard_history(partnership, today=TODAY, days=30)

    html = render_to_string("scorecards/public/_history.html", {"history": history})

    assert "Status over time" in html
    assert f'href="#indicator-{made[0].pk}"' in html
    assert "Indicator 0" in html
    assert "→" in html
    assert '<th scope="col">At risk</th>' in html
    assert "style=" not in html


# --- the demo world ----------------------------------------------------------------------------


def test_the_demo_world_has_ninety_days_of_history_that_the_job_carries_on(
    django_capture_on_commit_callbacks,
):
    call_command("seed_demo")
    maize = Partnership.objects.get(slug__startswith="community-radio")
    today = timezone.localdate()

    history = scorecard_history(maize, today=today)

    assert [item.day for item in history.days] == [
        today - timedelta(days=n) for n in range(89, -1, -1)
    ]
    assert len(history.table) > 1  # the counts move
    assert history.indicators  # and indicators changed status
    assert IndicatorTransition.objects.exclude(kind=TransitionKind.STATUS).exists()
    assert not ScorecardSnapshot.objects.filter(partnership__visibility=Visibility.DRAFT).exists()
    # The first real run finds the day the demo left and records nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        result = recheck(today)
    assert (result.snapshots, result.transitions, result.mentions) == (0, 0, 0)
