"""No create or edit form reveals that a hidden partnership or a community exists.

Slugs have one shape whether or not a name is taken, and an IATI activity identifier
is checked only within the lead organisation's own namespace.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError
from django.urls import reverse
from django.utils.text import slugify

from communities.models import Community
from harambee import services as shared
from partnerships import iati, services
from partnerships.codelists import OrganisationRole
from partnerships.models import Organisation, Partnership, Visibility
from tests.communities.factories import make_community
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SUFFIX = r"-[a-z0-9]{5}"
IN_USE = "Another partnership already uses this IATI activity identifier under"
NO_ORGANISATION_IDENTIFIER = "Add the lead organisation's IATI organisation identifier"


def assert_new_slug(slug: str, text: str) -> None:
    """The slugified text (or "item"), then "-" and five random lowercase letters or digits."""
    base = slugify(text)[:74].strip("-") or "item"
    assert re.fullmatch(re.escape(base) + SUFFIX, slug), slug
    assert len(slug) <= 80
    validate_slug(slug)


def lead_organisation_of(partnership) -> Organisation:
    return partnership.partners.get(is_lead=True).organisation


def start(organisation, *, title="Village phone charging", **fields) -> Partnership:
    by = MemberFactory(organisation=organisation).user
    return services.partnership_create(
        by=by, lead_organisation=organisation, title=title, problem="Phones die.", **fields
    )


def claim(organisation, identifier: str) -> Partnership:
    return start(organisation, iati_identifier=identifier)


def refusal(organisation, identifier: str) -> str:
    with pytest.raises(ValidationError) as refused:
        claim(organisation, identifier)
    return " ".join(refused.value.message_dict["iati_identifier"])


def with_identifier(organisation, identifier: str | None) -> Organisation:
    return services.organisation_update(organisation=organisation, iati_identifier=identifier)


# --- slugs -----------------------------------------------------------------------------------


def test_a_partnership_named_like_a_hidden_one_gets_a_slug_of_the_same_shape():
    hidden = start(OrganisationFactory(), title="Water point monitoring", visibility="draft")
    taken = start(OrganisationFactory(), title="Water point monitoring")
    fresh = start(OrganisationFactory(), title="Solar school labs")
    assert taken.slug != hidden.slug
    assert_new_slug(taken.slug, "Water point monitoring")
    assert_new_slug(fresh.slug, "Solar school labs")
    taken_suffix = taken.slug.removeprefix("water-point-monitoring")
    fresh_suffix = fresh.slug.removeprefix("solar-school-labs")
    assert len(taken_suffix) == len(fresh_suffix) == 6


def test_the_create_page_answers_a_taken_name_like_a_fresh_one(as_user, lead, partnership):
    start(OrganisationFactory(), title="Water point monitoring", visibility="private")
    organisation = lead_organisation_of(partnership)
    client = as_user(lead)
    for title in ["Water point monitoring", "Solar school labs"]:
        data = {"title": title, "problem": "p", "status": "1", "visibility": "draft"}
        response = client.post(
            reverse("partnerships:create"), {**data, "lead_organisation": organisation.pk}
        )
        assert response.status_code == 302
        slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        assert_new_slug(slug, title)


def test_a_community_named_like_one_of_another_organisation_gets_a_slug_of_the_same_shape():
    first, second = OrganisationFactory(), OrganisationFactory()
    other = make_community(by=MemberFactory(organisation=first).user, organisation=first)
    by = MemberFactory(organisation=second).user
    taken = make_community(by=by, organisation=second, name=other.name)
    fresh = make_community(by=by, organisation=second, name="Kaloleni ward")
    assert taken.slug != other.slug
    assert_new_slug(taken.slug, other.name)
    assert_new_slug(fresh.slug, "Kaloleni ward")


def test_organisations_get_slugs_of_the_same_shape():
    by = MemberFactory().user
    first = services.organisation_create(by=by, name="Tunza Network", type=22)
    second = services.organisation_create(by=by, name="Tunza Network", type=22)
    assert first.slug != second.slug
    assert_new_slug(first.slug, "Tunza Network")
    assert_new_slug(second.slug, "Tunza Network")


@pytest.mark.parametrize(
    "title",
    ["x" * 200, "water " * 33, "a" * 73 + " " + "b" * 20, "Ufuatiliaji " * 16],
)
def test_slugs_of_very_long_titles_stay_within_the_maximum_length(title):
    partnership = start(OrganisationFactory(), title=title)
    assert len(partnership.slug) <= Partnership._meta.get_field("slug").max_length
    assert_new_slug(partnership.slug, title)
    community = make_community(by=None, organisation=OrganisationFactory(), name=title[:200])
    assert len(community.slug) <= Community._meta.get_field("slug").max_length
    assert_new_slug(community.slug, title[:200])


@pytest.mark.parametrize("title", ["!!!", "💧🌍", "ማህበረሰብ", "---"])
def test_a_title_with_no_letters_for_an_address_still_gets_a_valid_slug(title):
    partnership = start(OrganisationFactory(), title=title)
    assert re.fullmatch("item" + SUFFIX, partnership.slug)
    community = make_community(by=None, organisation=OrganisationFactory(), name=title)
    assert re.fullmatch("item" + SUFFIX, community.slug)
    validate_slug(community.slug)


def test_a_suffix_already_used_is_drawn_again(monkeypatch):
    PartnershipFactory(slug="water-aaaaa")
    draws = iter("aaaaa" + "bbbbb")
    monkeypatch.setattr(shared.secrets, "choice", lambda alphabet: next(draws))
    assert shared.unique_slug(Partnership, "Water") == "water-bbbbb"


def test_a_reserved_address_is_never_given(monkeypatch):
    monkeypatch.setattr(shared, "RESERVED_SLUGS", frozenset({"new-aaaaa"}))
    draws = iter("aaaaa" + "ccccc")
    monkeypatch.setattr(shared.secrets, "choice", lambda alphabet: next(draws))
    assert shared.unique_slug(Partnership, "New") == "new-ccccc"


# --- the IATI namespace rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "registered", "owner"),
    [
        ("XX-1-2-abc", ["XX-1", "XX-1-2"], "XX-1-2"),
        ("XX-1-3-abc", ["XX-1", "XX-1-2"], "XX-1"),
        ("GB-CHC-12-x", ["GB-CHC-1"], None),
        ("GB-CHC-1-2", ["GB-CHC-1"], "GB-CHC-1"),
        ("GB-CHC-1", ["GB-CHC-1"], None),
        ("GB-CHC-1-", ["GB-CHC-1"], None),
    ],
)
def test_an_activity_identifier_belongs_to_the_longest_organisation_identifier_it_starts_with(
    identifier, registered, owner
):
    assert iati.namespace_owner(identifier, registered) == owner


def test_a_lead_cannot_claim_an_identifier_of_a_longer_organisation_identifier():
    """GB-CHC-1 is not a prefix of GB-CHC-12-x: the prefix must be followed by "-"."""
    short = OrganisationFactory(iati_identifier="GB-CHC-1")
    assert "GB-CHC-1-" in refusal(short, "GB-CHC-12-x")
    assert claim(short, "GB-CHC-1-2").iati_identifier == "GB-CHC-1-2"
    longer = OrganisationFactory(iati_identifier="GB-CHC-12")
    assert claim(longer, "GB-CHC-12-x").iati_identifier == "GB-CHC-12-x"


def test_an_identifier_in_another_organisations_namespace_is_refused():
    xx1 = OrganisationFactory(iati_identifier="XX-1")
    xx12 = OrganisationFactory(iati_identifier="XX-1-2")
    message = refusal(xx1, "XX-1-2-abc")
    assert "XX-1-2" in message and "does not start with 2-" in message
    assert claim(xx1, "XX-1-3-abc").iati_identifier == "XX-1-3-abc"
    assert claim(xx12, "XX-1-2-abc").iati_identifier == "XX-1-2-abc"


def test_a_hidden_partnerships_identifier_gets_the_same_answer_as_a_free_one():
    owner = OrganisationFactory(iati_identifier="GB-CHC-12")
    claim(owner, "GB-CHC-12-secret")  # a draft: nobody outside its partners sees it
    prober = OrganisationFactory(iati_identifier="GB-CHC-1")
    taken = refusal(prober, "GB-CHC-12-secret")
    free = refusal(prober, "GB-CHC-12-nothing")
    assert taken == free
    assert "already exists" not in taken


def test_a_clash_inside_the_leads_namespace_never_says_already_exists():
    """An identifier set before the rule (or by an organisation that changed its own)."""
    PartnershipFactory(iati_identifier="GB-CHC-1-legacy", visibility=Visibility.DRAFT)
    message = refusal(OrganisationFactory(iati_identifier="GB-CHC-1"), "GB-CHC-1-legacy")
    assert IN_USE in message and "GB-CHC-1" in message
    assert "already exists" not in message


def test_a_lead_without_an_organisation_identifier_is_asked_to_add_it_first():
    assert NO_ORGANISATION_IDENTIFIER in refusal(OrganisationFactory(), "XM-DAC-47066-1")
    assert not Partnership.objects.filter(iati_identifier="XM-DAC-47066-1").exists()


def test_a_clash_with_the_leads_own_partnership_gets_a_clear_message():
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    claim(organisation, "KE-NGO-1-0001")
    message = refusal(organisation, "KE-NGO-1-0001")
    assert IN_USE in message and "after KE-NGO-1-" in message
    assert Partnership.objects.filter(iati_identifier="KE-NGO-1-0001").count() == 1


def test_an_edit_to_an_identifier_in_use_is_refused_and_changes_nothing():
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    claim(organisation, "KE-NGO-1-0001")
    second = claim(organisation, "KE-NGO-1-0002")
    with pytest.raises(ValidationError) as refused:
        services.partnership_update(
            partnership=second, title="Renamed", iati_identifier="KE-NGO-1-0001"
        )
    assert IN_USE in " ".join(refused.value.message_dict["iati_identifier"])
    second.refresh_from_db()
    assert (second.title, second.iati_identifier) == ("Village phone charging", "KE-NGO-1-0002")


def handed_over(partnership: Partnership, to: Organisation) -> None:
    partner = PartnerFactory(
        partnership=partnership, organisation=to, role=OrganisationRole.FUNDING
    )
    services.partner_update(partner=partner, is_lead=True)


def test_a_new_lead_can_still_save_the_other_fields():
    first = OrganisationFactory(iati_identifier="KE-NGO-1")
    partnership = claim(first, "KE-NGO-1-0001")
    handed_over(partnership, OrganisationFactory())  # a new lead with no identifier at all
    services.partnership_update(
        partnership=partnership, title="Renamed", iati_identifier="KE-NGO-1-0001"
    )
    partnership.refresh_from_db()
    assert (partnership.title, partnership.iati_identifier) == ("Renamed", "KE-NGO-1-0001")


def test_an_unchanged_identifier_is_not_checked_again(monkeypatch):
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    partnership = claim(organisation, "KE-NGO-1-0001")
    with_identifier(organisation, None)  # the rule would now refuse it as new

    def must_not_run(**kwargs):
        raise AssertionError("an unchanged identifier was checked again")

    monkeypatch.setattr(services, "_check_iati_identifier", must_not_run)
    services.partnership_update(
        partnership=partnership, summary="Now with SMS", iati_identifier="KE-NGO-1-0001"
    )
    partnership.refresh_from_db()
    assert partnership.summary == "Now with SMS"


def test_a_changed_identifier_is_checked_against_the_current_lead():
    first = OrganisationFactory(iati_identifier="KE-NGO-1")
    partnership = claim(first, "KE-NGO-1-0001")
    handed_over(partnership, OrganisationFactory(iati_identifier="KE-NGO-2"))
    with pytest.raises(ValidationError):
        services.partnership_update(partnership=partnership, iati_identifier="KE-NGO-1-0002")
    services.partnership_update(partnership=partnership, iati_identifier="KE-NGO-2-0001")
    partnership.refresh_from_db()
    assert partnership.iati_identifier == "KE-NGO-2-0001"


def test_clearing_the_identifier_needs_no_organisation_identifier():
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    partnership = claim(organisation, "KE-NGO-1-0001")
    with_identifier(organisation, None)
    services.partnership_update(partnership=partnership, iati_identifier="")
    partnership.refresh_from_db()
    assert partnership.iati_identifier is None


def test_a_row_written_meanwhile_gets_the_same_message_not_a_500(monkeypatch):
    """Another writer's row appears after the check (and after the model's own check)."""
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    PartnershipFactory(iati_identifier="KE-NGO-1-0001")
    taken, looks = services._identifier_taken, []

    def first_look_misses_it(*args):
        looks.append(args)
        return len(looks) > 1 and taken(*args)

    monkeypatch.setattr(services, "_identifier_taken", first_look_misses_it)
    monkeypatch.setattr(Partnership, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        claim(organisation, "KE-NGO-1-0001")
    assert IN_USE in " ".join(refused.value.message_dict["iati_identifier"])
    assert len(looks) == 2  # the check, then the guard after the database refused the row
    assert Partnership.objects.filter(iati_identifier="KE-NGO-1-0001").count() == 1


def test_a_row_written_just_before_the_models_check_gets_the_same_message(monkeypatch):
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    PartnershipFactory(iati_identifier="KE-NGO-1-0001")
    monkeypatch.setattr(services, "_identifier_taken", lambda *args: False)
    with pytest.raises(ValidationError) as refused:
        claim(organisation, "KE-NGO-1-0001")
    message = " ".join(refused.value.message_dict["iati_identifier"])
    assert IN_USE in message and "already exists" not in message


def test_other_integrity_errors_are_not_disguised(monkeypatch):
    organisation = OrganisationFactory(iati_identifier="KE-NGO-1")
    PartnershipFactory(slug="clash-aaaaa")
    monkeypatch.setattr(services, "unique_slug", lambda model, text: "clash-aaaaa")
    monkeypatch.setattr(Partnership, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(IntegrityError):
        claim(organisation, "KE-NGO-1-0001")


# --- through the pages -----------------------------------------------------------------------


def create_data(organisation, **overrides) -> dict:
    data = {
        "title": "Village phone charging",
        "problem": "Phones die and people miss market days.",
        "status": "1",
        "visibility": "draft",
        "lead_organisation": organisation.pk,
    }
    return {**data, **overrides}


def edit_data(partnership, **overrides) -> dict:
    data = {
        "title": partnership.title,
        "problem": partnership.problem,
        "summary": partnership.summary,
        "status": str(partnership.status),
        "visibility": partnership.visibility,
        "planned_start": partnership.planned_start or "",
        "recipient_countries": list(partnership.recipient_countries),
        "iati_identifier": partnership.iati_identifier or "",
    }
    return {**data, **overrides}


def form_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("iati_identifier", []))


def test_the_create_page_never_confirms_a_hidden_partnerships_identifier(
    as_user, lead, partnership
):
    owner = OrganisationFactory(iati_identifier="XX-1-2")
    claim(owner, "XX-1-2-abc")
    organisation = with_identifier(lead_organisation_of(partnership), "XX-1")
    client = as_user(lead)
    before = Partnership.objects.count()
    answers = []
    for identifier in ["XX-1-2-abc", "XX-1-2-free"]:
        data = create_data(organisation, iati_identifier=identifier)
        response = client.post(reverse("partnerships:create"), data)
        assert response.status_code == 400
        answers.append(form_errors(response))
    assert answers[0] == answers[1]
    assert "already exists" not in answers[0]
    assert Partnership.objects.count() == before
    response = client.post(
        reverse("partnerships:create"), create_data(organisation, iati_identifier="XX-1-3-abc")
    )
    assert response.status_code == 302


def test_the_create_page_asks_for_the_organisation_identifier_first(as_user, lead, partnership):
    organisation = lead_organisation_of(partnership)
    data = create_data(organisation, iati_identifier="XM-DAC-47066-1")
    response = as_user(lead).post(reverse("partnerships:create"), data)
    assert response.status_code == 400
    assert NO_ORGANISATION_IDENTIFIER in form_errors(response)


def test_the_create_page_names_a_clash_with_the_leads_own_partnership(as_user, lead, partnership):
    organisation = with_identifier(lead_organisation_of(partnership), "GB-CHC-1")
    claim(organisation, "GB-CHC-1-0001")
    data = create_data(organisation, iati_identifier="GB-CHC-1-0001")
    response = as_user(lead).post(reverse("partnerships:create"), data)
    assert response.status_code == 400
    assert IN_USE in form_errors(response)
    assert "already exists" not in response.content.decode()


def test_a_refused_edit_changes_nothing(as_user, lead, partnership):
    with_identifier(lead_organisation_of(partnership), "GB-CHC-1")
    PartnershipFactory(iati_identifier="GB-CHC-12-x", visibility=Visibility.PRIVATE)
    before = Partnership.objects.values().get(pk=partnership.pk)
    data = edit_data(partnership, title="Renamed", iati_identifier="GB-CHC-12-x")
    response = as_user(lead).post(reverse("partnerships:edit", args=[partnership.slug]), data)
    assert response.status_code == 400
    assert "GB-CHC-1-" in form_errors(response)
    assert "already exists" not in response.content.decode()
    assert Partnership.objects.values().get(pk=partnership.pk) == before


def test_the_lead_sets_an_identifier_on_the_edit_page(as_user, lead, partnership):
    with_identifier(lead_organisation_of(partnership), "GB-CHC-1")
    data = edit_data(partnership, iati_identifier="GB-CHC-1-2")
    response = as_user(lead).post(reverse("partnerships:edit", args=[partnership.slug]), data)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.iati_identifier == "GB-CHC-1-2"


def test_after_a_handover_the_edit_page_still_saves_the_other_fields(
    as_user, lead, partner_staff, partnership
):
    with_identifier(lead_organisation_of(partnership), "GB-CHC-1")
    services.partnership_update(partnership=partnership, iati_identifier="GB-CHC-1-2")
    new_lead = partnership.partners.get(role=OrganisationRole.IMPLEMENTING)
    services.partner_update(partner=new_lead, is_lead=True)
    data = edit_data(partnership, summary="Now with SMS")
    response = as_user(partner_staff).post(
        reverse("partnerships:edit", args=[partnership.slug]), data
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.summary, partnership.iati_identifier) == ("Now with SMS", "GB-CHC-1-2")


def test_another_partner_cannot_change_the_identifier(as_user, lead, partner_staff, partnership):
    """Only the lead's staff may probe the lead's namespace."""
    organisation = with_identifier(lead_organisation_of(partnership), "GB-CHC-1")
    claim(organisation, "GB-CHC-1-hidden")
    data = edit_data(partnership, summary="Now with SMS", iati_identifier="GB-CHC-1-hidden")
    client = as_user(partner_staff)
    page = client.get(reverse("partnerships:edit", args=[partnership.slug]))
    assert page.context["form"].fields["iati_identifier"].disabled
    response = client.post(reverse("partnerships:edit", args=[partnership.slug]), data)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.summary, partnership.iati_identifier) == ("Now with SMS", None)


def test_an_organisation_cannot_take_an_identifier_inside_anothers_namespace_to_probe_it():
    first = with_identifier(OrganisationFactory(), "XM-DAC-1")
    claim(first, "XM-DAC-1-2-001")  # hidden: a draft
    prober = OrganisationFactory()

    with pytest.raises(ValidationError) as refused:
        with_identifier(prober, "XM-DAC-1-2")

    message = " ".join(refused.value.message_dict["iati_identifier"])
    assert "already in use by other organisations" in message
    assert "XM-DAC-1-2-001" not in message
    prober.refresh_from_db()
    assert prober.iati_identifier is None
    with pytest.raises(ValidationError):
        services.organisation_create(
            by=UserFactory(), name="Prober", type=22, iati_identifier="XM-DAC-1-2"
        )


def test_a_broader_identifier_may_be_taken_beside_a_longer_one_that_keeps_its_own():
    longer = with_identifier(OrganisationFactory(), "XX-1-2")
    claim(longer, "XX-1-2-abc")

    broader = with_identifier(OrganisationFactory(), "XX-1")

    assert broader.iati_identifier == "XX-1"
    assert refusal(broader, "XX-1-2-new")  # still XX-1-2's namespace
