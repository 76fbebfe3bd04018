"""The scorecards of the demo world, and the benchmark scale builder."""

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.demo import build_demo_communities
from harambee.demo import World
from partnerships.demo import build_demo_world
from partnerships.models import Partnership
from scorecards import selectors, status
from scorecards.demo import build_demo_scorecards, quarter_end
from scorecards.models import (
    Evidence,
    EvidenceKind,
    Indicator,
    IndicatorMeasure,
    Intention,
    Outcome,
    Reading,
    ReadingStatus,
    Revision,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")


def statuses() -> dict[int, status.Status]:
    found = selectors.statuses_of(selectors.facts_for(Indicator.objects.all()))
    return {pk: state.status for pk, state in found.items()}


def test_the_demo_has_an_indicator_in_each_status(demo):
    assert set(statuses().values()) == set(status.Status)


def test_the_demo_has_readings_in_every_state_and_a_revised_target(demo):
    assert set(Reading.objects.values_list("status", flat=True)) == set(ReadingStatus.values)
    revision = Revision.objects.get()
    assert revision.reason == "context_change"
    assert revision.reason_text
    returned = Reading.objects.get(status=ReadingStatus.RETURNED)
    assert returned.return_reason
    assert returned.history.filter(history_change_reason=returned.return_reason[:100]).exists()
    superseded = Reading.objects.get(status=ReadingStatus.SUPERSEDED)
    assert superseded.superseded_by.status == ReadingStatus.VERIFIED
    assert Reading.objects.filter(value_missing=True, status=ReadingStatus.VERIFIED).exists()


def test_the_demo_measures_every_way(demo):
    indicators = Indicator.objects.all()

    assert set(indicators.values_list("measure", flat=True)) == set(IndicatorMeasure.values)
    assert {True, False} == set(indicators.values_list("cumulative", flat=True))
    assert {True, False} == set(indicators.values_list("higher_is_better", flat=True))
    assert indicators.filter(measure=IndicatorMeasure.ORDINAL, levels__number=5).exists()


def test_the_demo_links_outcomes_to_needs_and_shows_both_gaps(demo):
    maize = Partnership.objects.get(title_en="Community radio and SMS for maize prices")
    literacy = Partnership.objects.get(title_en="Women's digital literacy circles")

    assert Outcome.objects.filter(partnership=maize, needs__isnull=False).distinct().count() == 3
    negative = Outcome.objects.get(intention=Intention.UNINTENDED_NEGATIVE)
    assert list(selectors.outcomes_without_need(maize)) == [negative]
    assert negative.indicators.exists()
    assert selectors.needs_without_outcome(maize).count() == 0
    assert selectors.needs_without_outcome(literacy).count() == 1


def test_the_demo_follows_the_checker_rule(demo):
    lead_reported = Reading.objects.filter(reported_by__email="lead@demo.harambee.org")

    assert lead_reported.exclude(status=ReadingStatus.SUBMITTED).exists()
    assert set(lead_reported.values_list("verified_by__email", flat=True)) == {
        "funder@demo.harambee.org"
    }
    assert not Reading.objects.filter(verified_by=F("reported_by")).exists()


def test_the_demo_evidence_is_links_internal_or_public(demo):
    kinds = set(Evidence.objects.values_list("kind", flat=True))

    assert kinds == {EvidenceKind.LINK, EvidenceKind.VIDEO}
    assert {True, False} == set(Evidence.objects.values_list("is_public", flat=True))


def test_the_demo_readings_were_verified_in_the_past(demo):
    verified = Reading.objects.filter(status=ReadingStatus.VERIFIED)

    assert all(r.verified_at <= timezone.now() for r in verified)
    assert all(r.verified_at.date() > r.period_end for r in verified)


def test_the_demo_texts_are_in_four_languages_and_their_original_languages(demo):
    for model in (Outcome, Indicator):
        for record in model.objects.all():
            texts = {code: getattr(record, f"title_{code}") for code in ("en", "fr", "es", "sw")}
            assert len(set(texts.values())) == 4, texts
    assert set(Outcome.objects.values_list("source_language", flat=True)) == {"sw", "fr"}


def test_the_demo_skips_what_is_missing_from_the_world():
    world = World(today=timezone.localdate(), random=random.Random(1))

    build_demo_scorecards(world)  # nothing: no partnerships, no people

    assert not Outcome.objects.exists()


def test_the_demo_builds_without_communities():
    world = World(today=timezone.localdate(), random=random.Random(1))
    build_demo_world(world)

    build_demo_scorecards(world)

    assert Outcome.objects.filter(needs__isnull=False).count() == 0
    assert set(statuses().values()) == set(status.Status)


def test_the_demo_builds_with_communities_through_its_builders():
    world = World(today=timezone.localdate(), random=random.Random(1))
    build_demo_world(world)
    build_demo_communities(world)

    build_demo_scorecards(world)

    assert world.made("outcomes")["maize-prices"].needs.count() == 1
    assert "maize-trust" in world.made("indicators")


def test_quarter_ends():
    from datetime import date

    assert quarter_end(date(2026, 12, 1)) == date(2026, 9, 30)
    assert quarter_end(date(2026, 12, 31)) == date(2026, 12, 31)
    assert quarter_end(date(2026, 1, 1)) == date(2025, 12, 31)
    assert quarter_end(date(2026, 4, 1)) == date(2026, 3, 31)


# --- scale -----------------------------------------------------------------------------------


def test_scale_builds_about_ten_indicators_and_a_hundred_readings_per_partnership():
    call_command("seed_demo", "--scale", "20")

    partnerships = Partnership.objects.count()
    assert Outcome.objects.count() == 3 * partnerships
    assert Indicator.objects.count() == 10 * partnerships
    per = Reading.objects.values("indicator__outcome__partnership").annotate(n=Count("pk"))
    started = [row["n"] for row in per]
    assert 40 <= sum(started) / len(started) <= 130
    assert set(Reading.objects.values_list("status", flat=True)) == set(ReadingStatus.values)
    assert Outcome.objects.filter(intention=Intention.UNINTENDED_NEGATIVE).count() == partnerships
    superseded = Reading.objects.filter(status=ReadingStatus.SUPERSEDED)
    assert superseded.exists()
    assert not superseded.filter(superseded_by__isnull=True).exists()
    assert not Reading.objects.exclude(
        indicator__outcome__partnership__in=Partnership.objects.all()
    ).exists()


def test_scale_readings_keep_the_rules_the_services_keep():
    call_command("seed_demo", "--scale", "20")

    today = timezone.localdate()
    readings = Reading.objects.select_related("indicator")
    assert not readings.filter(period_end__gt=today).exists()
    assert all(r.period_end >= r.indicator.baseline_date for r in readings)
    published = readings.filter(status__in=[ReadingStatus.VERIFIED, ReadingStatus.SUPERSEDED])
    assert not published.filter(verified_at__isnull=True).exists()
    assert (
        not Indicator.objects.filter(cumulative=True)
        .exclude(measure__in=[IndicatorMeasure.UNIT, IndicatorMeasure.PERCENTAGE])
        .exists()
    )
    current = readings.exclude(status=ReadingStatus.SUPERSEDED)
    pairs = current.values_list("indicator_id", "period_end")
    assert len(set(pairs)) == len(pairs)  # no two current readings of one period
    assert Indicator.objects.annotate(n=Count("targets")).filter(n=0).count() == 0


def test_scale_statuses_are_computed_for_every_indicator():
    call_command("seed_demo", "--scale", "20")

    found = statuses()

    assert len(selectors.facts_for(Indicator.objects.all())) == Indicator.objects.count()
    assert len(set(found.values())) >= 5


def test_scale_is_set_based_the_queries_do_not_grow_with_n():
    with CaptureQueriesContext(connection) as small:
        call_command("seed_demo", "--scale", "5")
    with CaptureQueriesContext(connection) as large:
        call_command("seed_demo", "--scale", "50")

    assert len(large) == len(small)
    assert Indicator.objects.count() == 10 * 55
