"""Who defines, reports, verifies and reads, with the fixed cast of tests/conftest.py.

Readings: visitors see verified ones (and corrected ones) of public partnerships only;
partners' staff and grant holders see every reading but other people's drafts. Evidence:
internal pieces only inside; public pieces of published readings of public partnerships.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships import services as partnership_services
from partnerships.codelists import OrganisationRole
from partnerships.models import GrantCapacity, Visibility
from scorecards import permissions, services
from scorecards.models import Evidence, Reading, ReadingStatus
from tests.factories import MemberFactory, OrganisationFactory, PartnerFactory
from tests.scorecards.factories import draft, submitted, verified

pytestmark = pytest.mark.django_db

CAST = ["lead", "lead_colleague", "partner_staff", "other_partner", "funder", "reviewer",
        "outsider", "visitor", "admin_user"]  # fmt: skip


@pytest.fixture
def other_partner(partnership):
    """Staff of an implementing partner that does not report the indicator."""
    organisation = OrganisationFactory()
    PartnerFactory(
        partnership=partnership, organisation=organisation, role=OrganisationRole.IMPLEMENTING
    )
    return MemberFactory(organisation=organisation).user


@pytest.fixture
def reviewer(partnership, panel_member, lead):
    partnership_services.grant_create(
        partnership=partnership,
        capacity=GrantCapacity.REVIEWER,
        granted_by=lead,
        user=panel_member,
    )
    return panel_member


@pytest.fixture
def visitor():
    return AnonymousUser()


@pytest.fixture
def cast(request):
    return {name: request.getfixturevalue(name) for name in CAST}


@pytest.fixture
def readings(indicator, partner_staff, lead):
    """One reading in each state, a quarter apart."""
    made = {
        "draft": draft(indicator, partner_staff, date(2026, 3, 31), period_start=date(2026, 2, 1)),
        "submitted": submitted(indicator, partner_staff, date(2026, 6, 30)),
        "returned": submitted(indicator, partner_staff, date(2026, 9, 30)),
    }
    services.reading_return(reading=made["returned"], by=lead, reason="Which villages?")
    made["superseded"] = verified(
        indicator, partner_staff, lead, date(2026, 1, 31), period_start=date(2026, 1, 1)
    )
    correction = services.reading_correct(reading=made["superseded"], by=partner_staff, value="5")
    services.reading_submit(reading=correction, by=partner_staff)
    services.reading_verify(reading=correction, by=lead)
    made["verified"] = correction
    made["superseded"].refresh_from_db()
    return made


def visible(user) -> set[str]:
    return {reading.status for reading in Reading.objects.visible_to(user)}


EVERYTHING = set(ReadingStatus.values)
ALL_BUT_DRAFTS = EVERYTHING - {ReadingStatus.DRAFT}
PUBLISHED = {ReadingStatus.VERIFIED, ReadingStatus.SUPERSEDED}


# --- defining, reporting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead", True),
        ("lead_colleague", True),
        ("admin_user", True),
        ("partner_staff", False),
        ("funder", False),
        ("reviewer", False),
        ("outsider", False),
        ("visitor", False),
    ],
)
def test_the_leads_staff_define_outcomes_and_indicators(cast, partnership, who, allowed):
    assert cast[who].has_perm("scorecards.define", partnership) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("partner_staff", True),
        ("lead", True),
        ("admin_user", True),
        ("other_partner", False),
        ("funder", False),
        ("reviewer", False),
        ("outsider", False),
        ("visitor", False),
    ],
)
def test_the_reporting_partners_staff_and_the_lead_report(cast, indicator, who, allowed):
    assert cast[who].has_perm("scorecards.report", indicator) is allowed


def test_staff_of_a_reporting_partner_that_left_no_longer_report(indicator, partner_staff):
    partner = indicator.reporting_partner
    partner.left_on = date(2026, 2, 1)
    partner.save()

    assert not partner_staff.has_perm("scorecards.report", indicator)


def test_only_drafts_and_returned_readings_are_edited(readings, partner_staff):
    editable = {
        state
        for state, r in readings.items()
        if partner_staff.has_perm("scorecards.edit_reading", r)
    }

    assert editable == {"draft", "returned"}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead", True),
        ("lead_colleague", True),
        ("partner_staff", False),
        ("funder", False),
        ("outsider", False),
        ("visitor", False),
    ],
)
def test_lead_staff_verify_a_partners_submitted_reading(cast, readings, who, allowed):
    # (Django answers every permission with yes for superusers; reading_verify refuses
    # platform admins itself: test_models_services.py.)
    assert cast[who].has_perm("scorecards.verify_reading", readings["submitted"]) is allowed
    assert not cast[who].has_perm("scorecards.verify_reading", readings["draft"])


def test_the_funder_falls_back_only_when_the_leads_only_staff_member_reported(
    indicator, lead, funder
):
    reading = submitted(indicator, lead, date(2026, 6, 30))

    assert not lead.has_perm("scorecards.verify_reading", reading)
    assert funder.has_perm("scorecards.verify_reading", reading)
    MemberFactory(
        organisation=indicator.outcome.partnership.partners.get(is_lead=True).organisation
    )
    assert not funder.has_perm("scorecards.verify_reading", reading)


def test_verified_readings_are_corrected_by_those_who_report(readings, partner_staff, funder):
    assert partner_staff.has_perm("scorecards.correct_reading", readings["verified"])
    assert not partner_staff.has_perm("scorecards.correct_reading", readings["superseded"])
    assert not funder.has_perm("scorecards.correct_reading", readings["verified"])


# --- reading readings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "states"),
    [
        ("visitor", PUBLISHED),
        ("outsider", PUBLISHED),
        ("funder", ALL_BUT_DRAFTS),
        ("reviewer", ALL_BUT_DRAFTS),
        ("other_partner", ALL_BUT_DRAFTS),
        ("partner_staff", EVERYTHING),
        ("lead", EVERYTHING),
        ("admin_user", EVERYTHING),
    ],
)
def test_who_sees_which_readings_of_a_public_partnership(cast, readings, who, states):
    assert visible(cast[who]) == states


@pytest.mark.parametrize(
    ("who", "states"),
    [
        ("visitor", set()),
        ("outsider", set()),
        ("reviewer", ALL_BUT_DRAFTS),
        ("funder", ALL_BUT_DRAFTS),
        ("partner_staff", EVERYTHING),
    ],
)
def test_who_sees_which_readings_of_a_private_partnership(cast, partnership, readings, who, states):
    partnership.visibility = Visibility.PRIVATE
    partnership.save()

    assert visible(cast[who]) == states


def test_grants_that_lapse_stop_opening_readings(partnership, readings, reviewer, lead):
    partnership.visibility = Visibility.PRIVATE
    partnership.save()
    grant = partnership.grants.get()

    partnership_services.grant_revoke(grant=grant, by=lead)

    assert visible(reviewer) == set()


# --- evidence --------------------------------------------------------------------------------


@pytest.fixture
def evidence(indicator, partner_staff, lead):
    """Internal and public evidence on a verified and on a submitted reading."""
    published = draft(indicator, partner_staff, date(2026, 3, 31))
    waiting = draft(indicator, partner_staff, date(2026, 6, 30))
    pieces = {}
    for name, reading in (("verified", published), ("submitted", waiting)):
        for public in (False, True):
            pieces[f"{name}-{'public' if public else 'internal'}"] = services.evidence_add(
                reading=reading, by=partner_staff, url=f"https://example.org/{name}/{public}",
                is_public=public,
            )  # fmt: skip
        services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=published, by=lead)
    return pieces


def opened(user) -> set[str]:
    urls = set(Evidence.objects.visible_to(user).values_list("url", flat=True))
    return {url.removeprefix("https://example.org/") for url in urls}


INSIDE = {"verified/False", "verified/True", "submitted/False", "submitted/True"}


@pytest.mark.parametrize(
    ("who", "pieces"),
    [
        ("visitor", {"verified/True"}),
        ("outsider", {"verified/True"}),
        ("funder", INSIDE),
        ("reviewer", INSIDE),
        ("partner_staff", INSIDE),
        ("lead", INSIDE),
    ],
)
def test_who_opens_which_evidence(cast, evidence, who, pieces):
    assert opened(cast[who]) == pieces


def test_public_evidence_of_a_private_partnership_stays_inside(partnership, evidence, cast):
    partnership.visibility = Visibility.DRAFT
    partnership.save()

    assert opened(cast["visitor"]) == set()
    assert opened(cast["outsider"]) == set()
    assert opened(cast["funder"]) == INSIDE


def test_evidence_of_a_reading_being_corrected_stays_public_until_it_is_superseded(
    indicator, partner_staff, lead, visitor
):
    reading = draft(indicator, partner_staff, date(2026, 3, 31))
    services.evidence_add(reading=reading, by=partner_staff, url="https://example.org/a",
                          is_public=True)  # fmt: skip
    services.reading_submit(reading=reading, by=partner_staff)
    services.reading_verify(reading=reading, by=lead)
    correction = services.reading_correct(reading=reading, by=partner_staff, value="12")
    services.evidence_add(reading=correction, by=partner_staff, url="https://example.org/b",
                          is_public=True)  # fmt: skip

    assert opened(visitor) == {"a"}


# --- get_*_for_user --------------------------------------------------------------------------


def test_a_hidden_reading_is_not_found_and_a_read_only_one_is_forbidden(
    readings, visitor, funder, partner_staff
):
    with pytest.raises(Http404):
        permissions.get_reading_for_user(visitor, readings["submitted"].pk)
    assert permissions.get_reading_for_user(visitor, readings["verified"].pk)
    with pytest.raises(PermissionDenied):
        permissions.get_reading_for_user(funder, readings["returned"].pk, edit=True)
    with pytest.raises(PermissionDenied):
        permissions.get_reading_for_user(partner_staff, readings["submitted"].pk, verify=True)
    with pytest.raises(Http404):
        permissions.get_reading_for_user(funder, readings["draft"].pk)
    assert permissions.get_reading_for_user(partner_staff, readings["draft"].pk, edit=True)


def test_indicators_and_outcomes_of_hidden_partnerships_are_not_found(
    partnership, indicator, outsider, partner_staff, lead
):
    assert permissions.get_indicator_for_user(outsider, indicator.pk)
    with pytest.raises(PermissionDenied):
        permissions.get_indicator_for_user(outsider, indicator.pk, report=True)
    with pytest.raises(PermissionDenied):
        permissions.get_indicator_for_user(partner_staff, indicator.pk, define=True)
    assert permissions.get_indicator_for_user(lead, indicator.pk, define=True)
    partnership.visibility = Visibility.PRIVATE
    partnership.save()

    with pytest.raises(Http404):
        permissions.get_indicator_for_user(outsider, indicator.pk)
    with pytest.raises(Http404):
        permissions.get_outcome_for_user(outsider, indicator.outcome_id)
    with pytest.raises(PermissionDenied):
        permissions.get_outcome_for_user(partner_staff, indicator.outcome_id, define=True)
    with pytest.raises(Http404):
        permissions.get_scorecard_partnership_for_user(outsider, partnership.slug)
    with pytest.raises(PermissionDenied):
        permissions.get_scorecard_partnership_for_user(partner_staff, partnership.slug, define=True)


def test_internal_evidence_is_not_found_by_visitors_and_managed_by_reporters(
    evidence, visitor, funder, partner_staff
):
    internal = evidence["verified-internal"]

    with pytest.raises(Http404):
        permissions.get_evidence_for_user(visitor, internal.pk)
    assert permissions.get_evidence_for_user(visitor, evidence["verified-public"].pk)
    assert permissions.get_evidence_for_user(funder, internal.pk)
    with pytest.raises(PermissionDenied):
        permissions.get_evidence_for_user(funder, internal.pk, manage=True)
    assert permissions.get_evidence_for_user(partner_staff, internal.pk, manage=True)
