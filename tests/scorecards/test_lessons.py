"""Lessons: recording and publishing them, the public "What worked and what did not" page,
the scorecard's list, and the "my work" prompt to record one after an outcome goes off track."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.codelists import OrganisationRole
from partnerships.models import MemberRole, Sector, Visibility
from scorecards import services
from scorecards.lessons import lessons_wanted_for, public_lessons_of
from scorecards.models import IndicatorTransition, Lesson, LessonKind, TransitionKind
from tests.factories import MemberFactory, OrganisationFactory, PartnerFactory, PartnershipFactory
from tests.scorecards.factories import make_indicator, make_outcome, verified

pytestmark = pytest.mark.django_db

WHAT_HAPPENED = "Farmers kept asking the middlemen for the price."


def lesson(partnership, by, **fields):
    values = {
        "kind": LessonKind.FAILURE,
        "title": "The SMS came too late in the day",
        "what_happened": WHAT_HAPPENED,
        "why": "Prices were sent at noon; markets open at seven.",
        "what_changed": "Prices go out at six now.",
        **fields,
    }
    return services.lesson_create(partnership=partnership, by=by, **values)


def led_partnership(*, visibility=Visibility.PUBLIC, countries=("KE",), sectors=(), **fields):
    """Another partnership, with a lead of its own (returned with it)."""
    partnership = PartnershipFactory(
        visibility=visibility, recipient_countries=list(countries), **fields
    )
    partnership.sectors.set(Sector.objects.filter(code__in=sectors))
    organisation = OrganisationFactory()
    PartnerFactory(
        partnership=partnership,
        organisation=organisation,
        role=OrganisationRole.ACCOUNTABLE,
        is_lead=True,
    )
    lead = MemberFactory(organisation=organisation, role=MemberRole.ADMIN).user
    return partnership, lead


# --- services ----------------------------------------------------------------------------------


def test_partner_staff_record_an_internal_lesson(partnership, partner_staff):
    recorded = lesson(partnership, partner_staff)

    assert recorded.is_public is False
    assert recorded.recorded_by == partner_staff
    assert recorded.source_language == "en"
    assert recorded.title_en == "The SMS came too late in the day"


def test_only_the_leads_staff_make_a_lesson_public(partnership, lead, partner_staff, funder):
    for someone in (partner_staff, funder):
        with pytest.raises(ValidationError) as refused:
            lesson(partnership, someone, is_public=True)
        assert "is_public" in refused.value.message_dict
    assert lesson(partnership, lead, is_public=True).is_public

    internal = lesson(partnership, partner_staff)
    with pytest.raises(ValidationError):
        services.lesson_update(lesson=internal, by=partner_staff, is_public=True)
    services.lesson_update(lesson=internal, by=partner_staff, title="Prices reached farmers late")
    services.lesson_update(lesson=internal, by=lead, is_public=True)
    internal.refresh_from_db()
    assert (internal.title, internal.is_public) == ("Prices reached farmers late", True)


def test_a_lesson_links_only_an_outcome_or_indicator_of_its_own_partnership(
    partnership, lead, outcome, indicator, implementer
):
    other, other_lead = led_partnership()
    elsewhere = make_outcome(other, other_lead, title="Somewhere else")
    second = make_outcome(partnership, lead, title="Radio programmes")

    with pytest.raises(ValidationError) as refused:
        lesson(partnership, lead, outcome=elsewhere)
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        lesson(partnership, lead, outcome=second, indicator=indicator)
    assert "indicator" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        lesson(other, other_lead, indicator=indicator)
    assert "indicator" in refused.value.message_dict
    assert not Lesson.objects.exists()


def test_a_lesson_about_an_indicator_is_about_its_outcome_too(partnership, lead, indicator):
    recorded = lesson(partnership, lead, indicator=indicator)

    assert (recorded.indicator, recorded.outcome) == (indicator, indicator.outcome)


def test_a_lesson_needs_its_kind_title_and_what_happened(partnership, lead):
    with pytest.raises(ValidationError) as refused:
        lesson(partnership, lead, kind="triumph", title=" ", what_happened="")

    assert {"kind", "title", "what_happened"} <= set(refused.value.message_dict)
    with pytest.raises(ValueError, match="partnership"):
        services.lesson_update(lesson=lesson(partnership, lead), by=lead, partnership=None)


def test_removing_a_lesson_keeps_what_it_said_in_its_history(partnership, lead):
    recorded = lesson(partnership, lead)

    services.lesson_delete(lesson=recorded)

    assert not Lesson.objects.exists()
    assert Lesson.history.filter(id=recorded.pk, history_type="-").exists()


# --- the partners' pages -----------------------------------------------------------------------


def test_the_lead_records_a_public_lesson_through_the_page(partnership, lead, outcome, as_user):
    client = as_user(lead)
    url = reverse("scorecards:lesson_create", kwargs={"slug": partnership.slug})

    page = client.get(url, {"outcome": outcome.pk, "kind": "failure"})
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'value="failure"[^>]* checked', html)
    assert re.search(rf'<option value="{outcome.pk}" selected>', html)
    response = client.post(
        url,
        {
            "kind": "failure",
            "title": "Trust did not grow",
            "what_happened": WHAT_HAPPENED,
            "why": "",
            "what_changed": "",
            "outcome": outcome.pk,
            "indicator": "",
            "is_public": "on",
        },
    )

    recorded = Lesson.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#lesson-{recorded.pk}")
    assert (recorded.outcome, recorded.is_public, recorded.recorded_by) == (outcome, True, lead)
    listing = client.get(reverse("scorecards:partnership_lessons", args=[partnership.slug]))
    assert "Trust did not grow" in listing.content.decode()


def test_a_partner_records_without_the_public_box_and_a_bad_form_saves_nothing(
    partnership, partner_staff, as_user
):
    client = as_user(partner_staff)
    url = reverse("scorecards:lesson_create", kwargs={"slug": partnership.slug})

    assert "is_public" not in client.get(url).content.decode()
    response = client.post(url, {"kind": "failure", "title": "", "what_happened": ""})

    assert response.status_code == 400
    assert not Lesson.objects.exists()


def test_who_reaches_the_lesson_pages(
    partnership, lead, partner_staff, funder, outsider, client, as_user
):
    create = reverse("scorecards:lesson_create", kwargs={"slug": partnership.slug})
    public = lesson(partnership, lead, is_public=True)
    own = lesson(partnership, partner_staff)
    edit_public = reverse("scorecards:lesson_edit", kwargs={"pk": public.pk})
    edit_own = reverse("scorecards:lesson_edit", kwargs={"pk": own.pk})
    remove = reverse("scorecards:lesson_delete", kwargs={"pk": own.pk})

    assert client.get(create).status_code == 302  # to sign in
    assert as_user(outsider).get(create).status_code == 404
    assert as_user(outsider).get(edit_public).status_code == 404
    assert as_user(funder).get(create).status_code == 200
    assert as_user(funder).get(edit_own).status_code == 403
    assert as_user(partner_staff).get(edit_own).status_code == 200
    assert as_user(partner_staff).get(edit_public).status_code == 403
    assert as_user(partner_staff).post(remove).status_code == 403
    assert as_user(lead).get(edit_own).status_code == 200
    assert as_user(lead).post(remove).status_code == 302
    assert not Lesson.objects.filter(pk=own.pk).exists()


def test_hidden_partnerships_lessons_answer_404_to_outsiders(lead, outsider, as_user):
    private, private_lead = led_partnership(visibility=Visibility.PRIVATE)
    hidden = lesson(private, private_lead, is_public=True)

    for url in (
        reverse("scorecards:lesson_create", kwargs={"slug": private.slug}),
        reverse("scorecards:partnership_lessons", kwargs={"slug": private.slug}),
        reverse("scorecards:lesson_edit", kwargs={"pk": hidden.pk}),
    ):
        assert as_user(outsider).get(url).status_code == 404


# --- the public page ---------------------------------------------------------------------------


@pytest.fixture
def world(partnership, lead):
    """Public and internal lessons of a public partnership, and lessons marked public of
    a private and a draft partnership."""
    partnership.sectors.set(Sector.objects.filter(code="31166"))
    private, private_lead = led_partnership(
        visibility=Visibility.PRIVATE, countries=["UG"], sectors=["12220"]
    )
    draft, draft_lead = led_partnership(
        visibility=Visibility.DRAFT, countries=["TZ"], sectors=["14031"]
    )
    lesson(partnership, lead, title="Public failure in Kenya", is_public=True)
    lesson(partnership, lead, title="Internal failure", is_public=False)
    lesson(private, private_lead, title="Private partnership lesson", is_public=True)
    lesson(draft, draft_lead, title="Draft partnership lesson", is_public=True)
    return partnership


def lessons_page(client, **filters) -> str:
    response = client.get(reverse("scorecards:lessons"), filters)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lessons_page_shows_only_public_lessons_of_public_partnerships(world, client):
    html = lessons_page(client)

    assert "Public failure in Kenya" in html
    for hidden in ("Internal failure", "Private partnership lesson", "Draft partnership lesson"):
        assert hidden not in html
    assert "1 lesson" in html
    assert "What did not work: 1" in html
    # Nor do the hidden ones show in the filter: their countries and sectors are not offered.
    for hidden in ("Uganda", "Tanzania", "12220", "14031"):
        assert hidden not in html
    assert "Kenya" in html
    assert "31166" in html


def test_hidden_lessons_never_show_even_to_people_who_may_read_them_elsewhere(world, lead, as_user):
    html = lessons_page(as_user(lead))

    assert "Internal failure" not in html
    assert "1 lesson" in html


def test_the_lessons_page_filters_by_kind_sector_and_country(partnership, lead, client):
    ghana, ghana_lead = led_partnership(countries=["GH"], sectors=["12220"])
    partnership.sectors.set(Sector.objects.filter(code="31166"))
    lesson(partnership, lead, title="Kenyan failure", is_public=True)
    lesson(partnership, lead, title="Kenyan success", kind=LessonKind.SUCCESS, is_public=True)
    lesson(ghana, ghana_lead, title="Ghanaian failure", is_public=True)

    failures_in_kenya = lessons_page(client, kind="failure", country="KE")
    assert "Kenyan failure" in failures_in_kenya
    assert "Kenyan success" not in failures_in_kenya
    assert "Ghanaian failure" not in failures_in_kenya
    assert "1 lesson" in failures_in_kenya
    health = lessons_page(client, sector="12220")
    assert "Ghanaian failure" in health
    assert "Kenyan" not in health
    assert "What worked: 0" in health


def test_failures_come_before_adaptations_and_successes(partnership, lead, client):
    lesson(partnership, lead, title="Old failure", is_public=True)
    lesson(partnership, lead, title="New success", kind=LessonKind.SUCCESS, is_public=True)
    lesson(partnership, lead, title="New adaptation", kind=LessonKind.ADAPTATION, is_public=True)
    lesson(partnership, lead, title="New failure", is_public=True)

    html = lessons_page(client)

    titles = ["New failure", "Old failure", "New adaptation", "New success"]
    assert [html.index(title) for title in titles] == sorted(html.index(t) for t in titles)


def build(count: int, lead, partnership) -> None:
    """``count`` public lessons over several partnerships, each linked to an outcome and
    an indicator, of every kind."""
    partnerships = [partnership]
    leads = [lead]
    for country in ("UG", "GH"):
        other, other_lead = led_partnership(countries=[country, "KE"], sectors=["12220", "31166"])
        partnerships.append(other)
        leads.append(other_lead)
    kinds = list(LessonKind.values)
    for n in range(count):
        where, by = partnerships[n // 3 % 3], leads[n // 3 % 3]
        outcome = make_outcome(where, by, title=f"Outcome {n}")
        lesson(where, by, title=f"Lesson {n}", kind=kinds[n % 3], outcome=outcome, is_public=True)


def count_queries(client, **filters) -> int:
    with CaptureQueriesContext(connection) as queries:
        lessons_page(client, **filters)
    return len(queries)


@pytest.mark.parametrize("filters", [{}, {"kind": "failure", "country": "KE", "sector": "12220"}])
def test_the_lessons_page_runs_the_same_queries_at_6_and_60_lessons(
    partnership, lead, client, filters
):
    build(6, lead, partnership)
    at_6 = count_queries(client, **filters)
    build(54, lead, partnership)
    at_60 = count_queries(client, **filters)
    # The filter's countries and sectors (2), the lessons per kind, which give the total
    # too (1), and the page of lessons with their partnership, outcome and indicator (1).
    assert at_6 == at_60 == 4


def test_the_partners_lessons_page_runs_the_same_queries_at_3_and_30_lessons(
    partnership, lead, partner_staff, as_user
):
    client = as_user(partner_staff)
    url = reverse("scorecards:partnership_lessons", args=[partnership.slug])

    def queries_for(count):
        for n in range(count):
            lesson(partnership, partner_staff if n % 2 else lead, title=f"Lesson {n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(27)


def test_a_lesson_change_replaces_the_cached_page(
    partnership, lead, client, cached_pages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recorded = lesson(partnership, lead, title="Cached failure", is_public=True)
    assert "Cached failure" in lessons_page(client)
    assert "Cached failure" in lessons_page(client)  # from the cache

    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_update(lesson=recorded, by=lead, title="Renamed failure")
    assert "Renamed failure" in lessons_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_update(lesson=recorded, by=lead, is_public=False)
    assert "Renamed failure" not in lessons_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_update(lesson=recorded, by=lead, is_public=True)
    assert "Renamed failure" in lessons_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_delete(lesson=recorded)
    assert "Renamed failure" not in lessons_page(client)


def test_the_lessons_page_is_served_from_the_cache(
    world, client, cached_pages, django_assert_num_queries
):
    lessons_page(client)
    with django_assert_num_queries(0):
        lessons_page(client)


def test_lessons_are_shown_in_the_readers_language(partnership, lead, client):
    lesson(
        partnership,
        lead,
        is_public=True,
        title_fr="Le SMS arrivait trop tard",
        what_happened_fr="Les agriculteurs demandaient encore le prix aux intermédiaires.",
    )

    html = client.get("/fr/lessons/").content.decode()

    assert "Le SMS arrivait trop tard" in html
    assert "Les agriculteurs demandaient encore" in html
    assert "written in" not in lessons_page(client)


# --- the scorecard's list ----------------------------------------------------------------------


def test_the_scorecard_lists_only_a_public_partnerships_public_lessons(partnership, lead):
    lesson(partnership, lead, title="Shown on the scorecard", is_public=True)
    lesson(partnership, lead, title="Kept inside", is_public=False)

    shown = public_lessons_of(partnership)
    html = render_to_string("scorecards/public/_lessons.html", {"lessons": shown})

    assert [item.title for item in shown] == ["Shown on the scorecard"]
    assert "Shown on the scorecard" in html
    assert "Kept inside" not in html
    partnership.visibility = Visibility.PRIVATE
    partnership.save()
    assert public_lessons_of(partnership) == []


# --- "my work" ---------------------------------------------------------------------------------


@pytest.fixture
def off_track(partnership, lead, outcome, implementer, partner_staff):
    """An indicator of ``outcome`` held at zero (lower is better) that read 14: off track."""
    today = timezone.localdate()
    indicator = make_indicator(
        outcome,
        implementer,
        title="Farmers turned away by middlemen",
        higher_is_better=False,
        baseline_value=0,
        baseline_date=today - timedelta(days=120),
        targets=[{"date": today + timedelta(days=365), "value": 0}],
    )
    end = today - timedelta(days=5)
    verified(indicator, partner_staff, lead, end, value="14", period_start=end - timedelta(days=30))
    return indicator


def test_the_lead_is_asked_for_a_lesson_when_an_outcome_goes_off_track(
    off_track, outcome, lead, partner_staff, as_user
):
    wanted = lessons_wanted_for(lead)

    assert [(item.outcome, item.status) for item in wanted] == [(outcome, "off_track")]
    assert lessons_wanted_for(partner_staff) == []
    html = render_to_string("scorecards/_lessons_wanted.html", {"lessons_wanted": wanted})
    assert "Lessons to record" in html
    assert f"?outcome={outcome.pk}&amp;kind=failure" in html


def test_a_lesson_recorded_since_the_outcome_went_off_track_answers_the_prompt(
    off_track, outcome, lead, partnership
):
    today = timezone.localdate()
    IndicatorTransition.objects.create(
        indicator=off_track,
        day=today - timedelta(days=3),
        kind=TransitionKind.STATUS,
        from_status="on_track",
        to_status="off_track",
    )
    assert lessons_wanted_for(lead)[0].since == today - timedelta(days=3)

    recorded = lesson(partnership, lead, indicator=off_track)
    assert lessons_wanted_for(lead) == []

    # An older lesson does not answer a later fall.
    Lesson.objects.filter(pk=recorded.pk).update(created_at=timezone.now() - timedelta(days=10))
    assert [item.outcome for item in lessons_wanted_for(lead)] == [outcome]


def test_the_prompt_runs_the_same_queries_however_many_outcomes(
    partnership, lead, implementer, partner_staff
):
    def add_off_track_outcomes(count):
        today = timezone.localdate()
        for n in range(count):
            outcome = make_outcome(partnership, lead, title=f"Outcome {n}")
            indicator = make_indicator(
                outcome,
                implementer,
                higher_is_better=False,
                baseline_value=0,
                baseline_date=today - timedelta(days=120),
                targets=[{"date": today + timedelta(days=365), "value": 0}],
            )
            end = today - timedelta(days=5)
            verified(indicator, partner_staff, lead, end, value="3", period_start=end)

    add_off_track_outcomes(2)
    with CaptureQueriesContext(connection) as few:
        assert len(lessons_wanted_for(lead)) == 2
    add_off_track_outcomes(8)
    with CaptureQueriesContext(connection) as many:
        assert len(lessons_wanted_for(lead)) == 10
    assert len(few) == len(many) <= 8


# --- the demo world ----------------------------------------------------------------------------


def test_the_demo_has_lessons_of_each_kind_public_and_internal_and_asks_for_one(client):
    call_command("seed_demo")

    kinds = set(Lesson.objects.values_list("kind", "is_public"))
    assert {(kind, True) for kind in LessonKind.values} <= kinds
    assert {(LessonKind.FAILURE, False), (LessonKind.ADAPTATION, False)} <= kinds
    html = lessons_page(client)
    assert "Farmers still check the SMS price with a neighbour" in html
    assert "Budget meetings were announced too late" not in html  # a private partnership
    assert "No report yet on the county officers' training" not in html  # internal
    amina = Lesson.objects.get(title_en__startswith="Farmers still check").recorded_by
    wanted = lessons_wanted_for(amina)
    assert [item.outcome.title_en for item in wanted] == [
        "Some middlemen stopped buying from farmers who compare prices"
    ]
