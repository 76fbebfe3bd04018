"""The public scorecard page of a partnership, and its section on the partnership page.

Dates are counted from today (status depends on the date, and a reading's period must
have ended), so every status here holds whatever day the suite runs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from harambee import pagecache
from partnerships import services as partnership_services
from partnerships.models import Partnership, Visibility
from scorecards import services
from scorecards.models import IndicatorMeasure, Intention, ResultType, RevisionReason
from scorecards.public import section_annotations, section_context
from tests.communities.factories import make_community, make_validated
from tests.factories import PartnershipFactory
from tests.partnerships.test_page_weight import LIMIT, page_weight
from tests.scorecards.factories import LEVELS, make_indicator, make_outcome

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


# --- builders (the other public-side test modules use them too) -----------------------------


def day(offset: int) -> date:
    """Today plus ``offset`` days."""
    return timezone.localdate() + timedelta(days=offset)


def timed_indicator(outcome, partner, *, title, start=-360, end=90, baseline=0, target=100, **kw):
    """Baseline ``start`` days from today, final target ``end`` days from today: with the
    defaults the expected value today is 80 (360 of 450 days)."""
    return make_indicator(
        outcome,
        partner,
        title=title,
        baseline_date=day(start),
        baseline_value=Decimal(baseline),
        targets=[{"date": day(end), "value": Decimal(target)}],
        **kw,
    )


def reading(indicator, reporter, verifier=None, *, ended=-1, length=28, state="verified", **kw):
    """A reading for the ``length`` days ending ``ended`` days from today, taken to
    ``state`` (draft, submitted, returned or verified) through the services."""
    end = day(ended)
    kw.setdefault("value", "30")
    made = services.reading_create(
        indicator=indicator,
        by=reporter,
        period_start=end - timedelta(days=length - 1),
        period_end=end,
        **kw,
    )
    return advance(made, reporter, verifier, state)


def advance(made, reporter, verifier, state):
    if state == "draft":
        return made
    services.reading_submit(reading=made, by=reporter)
    if state == "returned":
        return services.reading_return(reading=made, by=verifier, reason="Check the register")
    if state == "verified":
        return services.reading_verify(reading=made, by=verifier)
    return made


def pdf(name="Register.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def page(client, partnership) -> str:
    response = client.get(reverse("scorecards:scorecard", args=[partnership.slug]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words without its markup, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, anchor: str) -> str:
    """The HTML of the ``<section id="anchor">`` element (sections do not nest here but
    for the indicators inside an outcome)."""
    start = html.index(f'id="{anchor}"')
    end = html.find("</section>", start)
    return html[start:end]


# --- what the page shows ---------------------------------------------------------------------


def validated_needs(partnership, lead_partner, by) -> list:
    """A community's assessment, validated and linked to the partnership, with 3 needs."""
    organisation = lead_partner.organisation
    assessment = make_validated(
        community=make_community(by=by, organisation=organisation),
        organisation=organisation,
        partnership=partnership,
        total=40,
        counts={("sex", "female"): 25, ("sex", "male"): 15},
        needs=3,
    )
    return list(assessment.needs.order_by("priority_rank"))


@pytest.fixture
def world(
    partnership,
    lead,
    lead_partner,
    lead_colleague,
    partner_staff,
    implementer,
    django_capture_on_commit_callbacks,
):
    """An outcome addressing the first of three needs, with a unit indicator achieved; an
    unintended negative outcome addressing none, with an ordinal indicator off track.

    Built as committed (the bumps of the public version run), so that a later change
    bumps again: pytest-django never commits, and a bump waits for the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return _world(partnership, lead, lead_partner, partner_staff, implementer)


def _world(partnership, lead, lead_partner, partner_staff, implementer) -> dict:
    needs = validated_needs(partnership, lead_partner, lead)
    first = make_outcome(
        partnership,
        lead,
        title="Farmers get fair prices",
        level=ResultType.OUTCOME,
        partners=[implementer],
        needs=needs[:1],
    )
    prices = timed_indicator(
        first, implementer, title="Farmers receiving daily prices", unit_label="farmers"
    )
    reading(prices, partner_staff, lead, ended=-40, value="20", comment="From the SMS log")
    reading(prices, partner_staff, lead, ended=-1, value="1234.5")
    second = make_outcome(
        partnership,
        lead,
        title="Middlemen lose income",
        level=ResultType.IMPACT,
        intention=Intention.UNINTENDED_NEGATIVE,
        partners=[implementer],
    )
    trust = make_indicator(
        second,
        implementer,
        title="Trust in the price messages",
        measure=IndicatorMeasure.ORDINAL,
        baseline_value=2,
        baseline_date=day(-360),
        targets=[(day(90), 4)],
        levels=LEVELS,
    )
    reading(trust, partner_staff, lead, ended=-1, value=None, level=3)
    return {"first": first, "prices": prices, "second": second, "trust": trust, "needs": needs}


def test_it_shows_every_outcome_with_its_level_intention_partners_and_indicators(
    client, partnership, world, implementer
):
    html = page(client, partnership)
    words = text_of(html)

    first = text_of(section(html, f"outcome-{world['first'].pk}"))
    assert "Farmers get fair prices" in first
    assert "Outcome" in first and "Intended" in first
    assert f"{implementer.organisation} ({implementer.get_role_display()})" in first
    second = text_of(section(html, f"outcome-{world['second'].pk}"))
    assert "Impact" in second and "− Unintended, negative" in second
    assert words.index("Farmers get fair prices") < words.index("Middlemen lose income")
    assert "Farmers receiving daily prices" in words
    assert "Trust in the price messages" in words


def test_it_shows_baseline_value_and_target_with_units_and_the_evidence_strength(
    client, partnership, world
):
    html = section(page(client, partnership), f"indicator-{world['prices'].pk}")
    words = text_of(html)

    assert "Baseline 0 farmers" in words
    assert "Now 1,234.5 farmers" in words
    assert "Target 100 farmers" in words
    assert "Evidence of the latest reading: No evidence" in words
    assert "From the SMS log" in words  # a verified reading's comment
    trust = text_of(section(page(client, partnership), f"indicator-{world['trust'].pk}"))
    assert "Now level 3, “Somewhat”" in trust
    assert "Baseline level 2, “A little”" in trust


def test_numbers_dates_and_labels_follow_the_readers_language(client, partnership, world):
    html = client.get(f"/fr{reverse('scorecards:scorecard', args=[partnership.slug])}")
    words = text_of(section(html.content.decode(), f"indicator-{world['prices'].pk}"))

    assert re.search(r"1[\u202f\xa0 ]234,5 farmers", words)  # "1 234,5"
    with translation.override("fr"):
        assert date_format(day(-1)) in words  # "30 novembre 2026"


def test_titles_come_in_the_readers_language_or_say_what_language_they_are_in(
    client, partnership, world
):
    services.outcome_update(outcome=world["first"], title_fr="Des prix justes")

    french = client.get(f"/fr{reverse('scorecards:scorecard', args=[partnership.slug])}")
    html = french.content.decode()

    assert "Des prix justes" in html
    assert '<span lang="en">Middlemen lose income</span>' in html


def test_failures_are_shown_as_plainly_as_successes_in_their_own_place(
    client, partnership, lead, partner_staff, implementer
):
    outcome = make_outcome(partnership, lead, title="Outcome", partners=[implementer])
    achieved = timed_indicator(outcome, implementer, title="Reached")
    reading(achieved, partner_staff, lead, value="100")
    missed = timed_indicator(outcome, implementer, title="Missed", start=-400, end=-10)
    reading(missed, partner_staff, lead, ended=-20, value="40")
    behind = timed_indicator(outcome, implementer, title="Behind")
    reading(behind, partner_staff, lead, value="30")

    html = page(client, partnership)
    words = text_of(html)

    for indicator, label in [
        (achieved, "Achieved"),
        (missed, "Not achieved"),
        (behind, "Off track"),
    ]:
        assert f'sc-status sc-{label.lower().replace(" ", "_")}">{label}<' in section(
            html, f"indicator-{indicator.pk}"
        )
    # In the order they were defined, not with the failures sorted to the end.
    assert words.index("Reached") < words.index("Missed") < words.index("Behind")
    # The top of the page: the counts, worst first, and the worst status.
    top = text_of(section(html, "standing"))
    assert "3 indicators" in top
    assert "Worst status: Not achieved" in top
    assert re.search(r"Not achieved 1 Off track 1 Achieved 1", top)


def test_revisions_appear_with_their_reasons_and_dates(
    client, partnership, world, lead, django_capture_on_commit_callbacks
):
    target = world["prices"].targets.get()
    services.target_change(
        target=target,
        by=lead,
        date=target.date,
        value="150",
        reason=RevisionReason.OTHER,
        reason_text="The county added two wards",
    )

    words = text_of(section(page(client, partnership), f"indicator-{world['prices'].pk}"))

    assert "Revisions" in words
    assert "Target changed: 100 farmers by" in words
    assert "→ 150 farmers by" in words
    assert "Reason: Other — The county added two wards" in words
    assert timezone.localdate().strftime("%Y") in words
    assert "Target 150 farmers" in words


def test_numeric_and_ordinal_indicators_get_the_chart_with_its_text_alternative(
    client, partnership, world, lead, implementer
):
    narrative = make_indicator(
        world["second"],
        implementer,
        title="What traders say",
        measure=IndicatorMeasure.QUALITATIVE,
        baseline_value=None,
        unit_label="",
        baseline_date=day(-360),
        targets=[(day(90), None)],
    )
    html = page(client, partnership)

    for key in ("prices", "trust"):
        part = section(html, f"indicator-{world[key].pk}")
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in part
        assert f'aria-labelledby="chart-{world[key].pk}-t chart-{world[key].pk}-d"' in part
        assert "<figcaption>" in part and "Higher is better." in part
    prices = text_of(section(html, f"indicator-{world['prices'].pk}"))
    assert "2 verified readings, latest 1,234.5 on" in prices
    assert "<svg" not in section(html, f"indicator-{narrative.pk}")
    assert "/static/css/chart.css" in html and "/static/css/scorecard.css" in html


def test_the_chart_plots_a_cumulative_indicators_running_value(
    client, partnership, world, lead, partner_staff, implementer
):
    trained = timed_indicator(world["first"], implementer, title="Trained", cumulative=True)
    reading(trained, partner_staff, lead, ended=-40, value="20")
    reading(trained, partner_staff, lead, ended=-1, value="25")

    words = text_of(section(page(client, partnership), f"indicator-{trained.pk}"))

    assert "2 verified readings, latest 45 farmers on" not in words  # the unit is apart
    assert "2 verified readings, latest 45 on" in words
    assert "45 farmers to date" in words and "20 farmers to date" in words


def test_it_shows_the_needs_each_outcome_addresses_and_both_gaps(client, partnership, world):
    html = page(client, partnership)

    first = text_of(section(html, f"outcome-{world['first'].pk}"))
    assert "Community needs it addresses Need 1 (Mnarani village)" in first
    second = text_of(section(html, f"outcome-{world['second'].pk}"))
    assert "None: this outcome addresses no need the community named." in second
    gaps = html[html.index('id="gaps"') :]
    unaddressed = text_of(gaps[: gaps.index('id="needless"')])
    assert "Need 2 (Mnarani village)" in unaddressed and "Need 3" in unaddressed
    assert "Need 1" not in unaddressed
    needless = text_of(gaps[gaps.index('id="needless"') :])
    assert f'href="#outcome-{world["second"].pk}"' in gaps
    assert "Middlemen lose income" in needless and "Farmers get fair prices" not in needless


def test_a_partnership_without_outcomes_says_so(client, partnership):
    words = text_of(page(client, partnership))

    assert "No outcomes have been defined yet." in words
    assert "No indicators yet." in words


def test_headings_run_in_order(client, partnership, world):
    html = page(client, partnership)
    levels = [int(level) for level in re.findall(r"<h([1-6])", html.split("<main", 1)[1])]

    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


# --- the same page for everyone, with staff links for insiders -------------------------------


def test_insiders_get_links_to_the_staff_pages_and_visitors_do_not(
    client, as_user, partnership, world, lead, funder
):
    manage = reverse("scorecards:manage", args=[partnership.slug])
    create = reverse("scorecards:outcome_create", args=[partnership.slug])

    visitor = page(client, partnership)
    as_lead = page(as_user(lead), partnership)
    as_funder = page(as_user(funder), partnership)

    assert manage not in visitor and create not in visitor
    assert manage in as_lead and create in as_lead
    assert manage in as_funder and create not in as_funder
    staff_link = re.compile(r'<p class="actions">.*?</p>', re.S)
    # Apart from the links (and the header's account links) the pages are the same.
    body = lambda html: staff_link.sub("", html.split("<main", 1)[1])  # noqa: E731
    assert body(as_lead) == body(visitor) == body(as_funder)


# --- fixed queries ---------------------------------------------------------------------------


def build(partnership, lead, partner, reporter, needs, *, outcomes: int, indicators: int):
    """Outcomes with indicators of several kinds; each indicator with three verified
    readings (disaggregated, a link and a public file), a revision, a submitted and a
    returned reading."""
    for o in range(outcomes):
        outcome = make_outcome(
            partnership, lead, title=f"Outcome {o}", partners=[partner], needs=needs[:1]
        )
        for i in range(indicators):
            cumulative = i % 2 == 1
            indicator = timed_indicator(
                outcome,
                partner,
                title=f"I{o}.{i}",
                cadence_months=1,
                dimensions=["sex"],
                cumulative=cumulative,
            )
            for r, ended in enumerate([-100, -70, -40]):
                made = reading(
                    indicator,
                    reporter,
                    state="draft",
                    ended=ended,
                    value="10",
                    people=12,
                    disaggregations=[
                        {"dimension": "sex", "category": "female", "value": 6, "people": 6},
                        {"dimension": "sex", "category": "male", "value": 4, "people": 6},
                    ],
                )
                services.evidence_add(reading=made, by=reporter, url=f"https://e.org/{o}/{i}/{r}")
                services.evidence_add(reading=made, by=reporter, file=pdf(), is_public=True)
                advance(made, reporter, lead, "verified")
            services.target_change(
                target=indicator.targets.get(),
                by=lead,
                date=day(90),
                value="120",
                reason=RevisionReason.CONTEXT_CHANGE,
            )
            reading(indicator, reporter, lead, ended=-10, state="returned")
            reading(indicator, reporter, lead, ended=-1, length=5, state="submitted")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "lead", "funder"])
def test_the_scorecard_runs_a_fixed_number_of_queries_however_big(
    request, client, as_user, partnership, lead, implementer, partner_staff, needs, viewer
):
    browser = client if viewer == "visitor" else as_user(request.getfixturevalue(viewer))
    url = reverse("scorecards:scorecard", args=[partnership.slug])
    build(partnership, lead, implementer, partner_staff, needs, outcomes=1, indicators=1)
    small = count_queries(browser, url)
    build(partnership, lead, implementer, partner_staff, needs, outcomes=3, indicators=3)
    large = count_queries(browser, url)
    html = browser.get(url).content.decode()
    assert html.count('class="sc-indicator"') == 1 + 9
    assert html.count("<svg") == 10

    # A visitor: the partnership (the visibility rule) = 1; the read model
    # (selectors.scorecard, for a public partnership as a visitor sees it): outcomes, their
    # needs, their partners with organisations; indicators, their targets, levels and
    # revisions; the facts of the status (indicators, targets, readings); the readings,
    # their evidence and their disaggregated values; the needs no outcome addresses = 14;
    # the partnership's public lessons = 1; its history (snapshots, transitions) = 2.
    # Signed in adds the session and the user (2; the visibility rule's look-ups of the
    # user's organisations and grants are subqueries of the first query), and the staff
    # links: whether the user works for the lead (define), and for a partner (inside) (2).
    assert large == small
    assert large == (18 if viewer == "visitor" else 22)


# --- the page cache --------------------------------------------------------------------------


@pytest.fixture
def cached(cached_pages, django_assert_num_queries):
    def read_twice(client, url) -> str:
        first = client.get(url, headers={"Accept-Encoding": "identity"})
        with django_assert_num_queries(0):
            second = client.get(url, headers={"Accept-Encoding": "identity"})
        assert first.status_code == second.status_code == 200
        assert first.content == second.content
        return second.content.decode()

    return read_twice


def test_visitors_get_the_page_from_the_cache_and_signed_in_users_never(
    client, as_user, partnership, world, lead, cached
):
    url = reverse("scorecards:scorecard", args=[partnership.slug])
    visitor = cached(client, url)
    as_lead = as_user(lead).get(url)

    assert reverse("scorecards:manage", args=[partnership.slug]) in as_lead.content.decode()
    assert reverse("scorecards:manage", args=[partnership.slug]) not in cached(client, url)
    assert "private" in as_lead["Cache-Control"]
    assert visitor == cached(client, url)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response["Vary"] == "Accept-Encoding" and response["Cache-Control"] == "no-cache"
    assert not response.cookies and "csrfmiddlewaretoken" not in visitor


def test_a_verification_shows_on_the_very_next_anonymous_get(
    client, partnership, world, lead, partner_staff, cached, django_capture_on_commit_callbacks
):
    url = reverse("scorecards:scorecard", args=[partnership.slug])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = reading(
            world["prices"], partner_staff, lead, ended=0, length=1, value="777", state="submitted"
        )
    assert "777" not in cached(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        services.reading_verify(reading=waiting, by=lead)

    assert "Now 777 farmers" in text_of(client.get(url).content.decode())


def test_a_revision_shows_on_the_very_next_anonymous_get(
    client, partnership, world, lead, cached, django_capture_on_commit_callbacks
):
    url = reverse("scorecards:scorecard", args=[partnership.slug])
    assert "Adaptive management" not in cached(client, url)
    target = world["prices"].targets.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.target_change(
            target=target,
            by=lead,
            date=target.date,
            value="90",
            reason=RevisionReason.ADAPTIVE_MANAGEMENT,
        )

    words = text_of(client.get(url).content.decode())
    assert "Reason: Adaptive management" in words and "Target 90 farmers" in words


def test_a_correction_shows_on_the_very_next_anonymous_get(
    client, partnership, world, lead, partner_staff, cached, django_capture_on_commit_callbacks
):
    url = reverse("scorecards:scorecard", args=[partnership.slug])
    latest = world["prices"].readings.get(value=Decimal("1234.5"))
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.reading_correct(reading=latest, by=partner_staff, value="54.5")
        services.reading_submit(reading=correction, by=partner_staff)
    assert "Now 1,234.5 farmers" in text_of(cached(client, url))

    with django_capture_on_commit_callbacks(execute=True):
        services.reading_verify(reading=correction, by=lead)

    words = text_of(client.get(url).content.decode())
    assert "Now 54.5 farmers" in words and "1,234.5" not in words
    assert "Correction of an earlier verified reading" in words


def test_publishing_evidence_and_the_partnership_show_on_the_very_next_anonymous_get(
    client, partnership, world, lead, partner_staff, cached, django_capture_on_commit_callbacks
):
    url = reverse("scorecards:scorecard", args=[partnership.slug])
    with django_capture_on_commit_callbacks(execute=True):
        made = reading(world["prices"], partner_staff, state="draft", ended=0, length=1)
        piece = services.evidence_add(
            reading=made, by=partner_staff, file=pdf(), title="Signed register"
        )
        advance(made, partner_staff, lead, "verified")
    assert "Signed register" not in cached(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_set_public(evidence=piece, is_public=True)
    assert "Signed register" in cached(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_set_visibility(
            partnership=partnership, visibility=Visibility.PRIVATE, by=lead
        )
    assert client.get(url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_set_visibility(
            partnership=partnership, visibility=Visibility.PUBLIC, by=lead
        )
    assert "Signed register" in text_of(client.get(url).content.decode())


# --- the section on the partnership page -----------------------------------------------------


def test_the_partnership_page_sums_the_scorecard_up_and_links_to_it(
    client, partnership, world, lead, partner_staff, implementer
):
    missed = timed_indicator(world["second"], implementer, title="Missed", start=-400, end=-10)
    reading(missed, partner_staff, lead, ended=-20, value="40")

    html = client.get(partnership.get_absolute_url()).content.decode()
    part = text_of(section(html, "scorecard-side"))

    assert reverse("scorecards:scorecard", args=[partnership.slug]) in html
    assert "3 indicators measure the outcomes." in part
    assert "Worst status: Not achieved" in part
    assert re.search(r"Not achieved 1 Off track 1", part)


def test_without_outcomes_visitors_see_no_section_and_partner_staff_a_short_note(
    client, as_user, partnership, lead
):
    visitor = client.get(partnership.get_absolute_url()).content.decode()
    staff = as_user(lead).get(partnership.get_absolute_url()).content.decode()

    assert 'id="scorecard-side"' not in visitor
    assert "No outcomes yet." in text_of(section(staff, "scorecard-side"))
    assert reverse("scorecards:manage", args=[partnership.slug]) in staff


def test_the_section_runs_one_query_once_computed_and_four_before(
    rf, partnership, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump()
    # Whether there are outcomes; the roll-up, from the facts of the status (indicators,
    # targets, readings), then from the versioned cache.
    with django_assert_num_queries(4):
        cold = section_context(rf.get("/"), partnership)
    with django_assert_num_queries(1):
        warm = section_context(rf.get("/"), partnership)
    assert cold == warm
    assert (cold["outcomes"], cold["indicators"], str(cold["worst"].key)) == (2, 2, "off_track")


def test_without_outcomes_the_section_runs_one_query(rf, partnership, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert section_context(rf.get("/"), partnership)["outcomes"] == 0


def test_with_its_annotation_the_section_runs_no_query_once_computed_and_three_before(
    rf, partnership, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    annotated = Partnership.objects.annotate(**section_annotations()).get(pk=partnership.pk)
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump()
    # The number of outcomes came with the partnership; the roll-up, from the facts of
    # the status (indicators, targets, readings), then from the versioned cache.
    with django_assert_num_queries(3):
        cold = section_context(rf.get("/"), annotated)
    with django_assert_num_queries(0):
        warm = section_context(rf.get("/"), annotated)
    assert cold == warm == section_context(rf.get("/"), partnership)
    assert annotated.scorecards_outcomes == cold["outcomes"] == 2


def test_the_annotation_counts_each_partnerships_own_outcomes_and_zero_without(
    partnership, world, lead
):
    other = PartnershipFactory(visibility=Visibility.PUBLIC)
    make_outcome(other, lead, title="Another partnership's outcome")
    empty = PartnershipFactory(visibility=Visibility.PUBLIC)
    counted = dict(
        Partnership.objects.annotate(**section_annotations()).values_list(
            "pk", "scorecards_outcomes"
        )
    )
    assert counted == {partnership.pk: 2, other.pk: 1, empty.pk: 0}


# --- light enough for a slow connection ------------------------------------------------------


def test_the_scorecard_of_the_demo_world_weighs_under_100_kb(client):
    """HTML, CSS and JavaScript together under 100 KB (docs: a public page's budget), for
    the demo partnership with the most indicators."""

    call_command("seed_demo", verbosity=0)
    partnership = (
        Partnership.objects.public()
        .annotate(indicators=Count("outcomes__indicators"))
        .order_by("-indicators", "pk")
        .first()
    )
    url = reverse("scorecards:scorecard", args=[partnership.slug])

    weight = page_weight(client, url)

    assert partnership.indicators >= 5
    assert client.get(url).content.decode().count("<svg") >= 3
    assert weight < LIMIT, f"scorecard: {weight} bytes"


def test_the_chart_describes_the_expected_value_at_the_precision_the_page_shows():
    from decimal import Decimal

    from scorecards import chart

    series = chart.Series(
        baseline=chart.Point(date(2026, 1, 1), Decimal(0)),
        targets=[chart.Point(date(2027, 1, 1), Decimal(100))],
        today=date(2026, 7, 1),
        expected=round(Decimal("49.58904109589041095890410959"), 1),
    )
    assert "49.6" in chart.describe(series)
    assert "49.589" not in chart.describe(series)
