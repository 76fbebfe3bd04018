"""The admin cannot break what partnerships.services guards; repairs go through the services;
code lists and users stay editable."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from partnerships import services
from partnerships.codelists import OrganisationRole, OrganisationType
from partnerships.models import AccessGrant, GrantCapacity, MemberRole, Partner, Sector
from tests.factories import (
    ContributionFactory,
    MemberFactory,
    MilestoneFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GUARDED = [
    "organisation",
    "organisationmember",
    "partnership",
    "partner",
    "contribution",
    "milestone",
    "invitation",
    "partnerinvitation",
    "accessgrant",
]
WITH_HISTORY = [model for model in GUARDED if model != "invitation"]


@pytest.fixture
def grant(partnership, lead, outsider):
    return services.grant_create(
        partnership=partnership, capacity=GrantCapacity.REVIEWER, granted_by=lead, user=outsider
    )


@pytest.fixture
def rows(partnership, lead, partner_staff, grant):
    """One stored row of each guarded model, by admin model name."""
    membership = lead.memberships.get()
    partner = partnership.partners.get(is_lead=True)
    invitation = services.invitation_send(
        organisation=membership.organisation,
        email="new.colleague@example.org",
        role=MemberRole.STAFF,
        by=lead,
    )
    return {
        "organisation": membership.organisation,
        "organisationmember": membership,
        "partnership": partnership,
        "partner": partner,
        "contribution": ContributionFactory(partner=partner),
        "milestone": MilestoneFactory(partnership=partnership),
        "invitation": invitation,
        "partnerinvitation": services.partner_invite(
            partnership=partnership,
            organisation=MemberFactory(role=MemberRole.ADMIN).organisation,
            role=OrganisationRole.FUNDING,
            by=lead,
        ),
        "accessgrant": grant,
    }


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def url(name: str, *args, app: str = "partnerships") -> str:
    return reverse(f"admin:{app}_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def action_choices(response) -> list[str]:
    form = response.context["action_form"]
    return [] if form is None else [name for name, _label in form.fields["action"].choices]


def run_action(admin, model: str, action: str, *rows):
    data = {"action": action, "_selected_action": [row.pk for row in rows]}
    return admin.post(url(f"{model}_changelist"), data)


# --- nothing guarded is written through the admin ----------------------------------------------


@pytest.mark.parametrize("model", GUARDED)
def test_guarded_rows_cannot_be_added_in_the_admin(admin, rows, model):
    assert admin.get(url(f"{model}_add")).status_code == 403
    assert admin.post(url(f"{model}_add"), {}).status_code == 403


@pytest.mark.parametrize("model", GUARDED)
def test_guarded_rows_can_be_looked_up_but_not_changed(admin, rows, model):
    row = rows[model]

    assert admin.get(url(f"{model}_changelist")).status_code == 200
    assert admin.get(url(f"{model}_changelist"), {"q": "a"}).status_code == 200
    response = admin.get(url(f"{model}_change", row.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin.post(url(f"{model}_change", row.pk), {}).status_code == 403


@pytest.mark.parametrize("model", GUARDED)
def test_guarded_rows_cannot_be_deleted_in_the_admin(admin, rows, model):
    row = rows[model]

    assert admin.get(url(f"{model}_delete", row.pk)).status_code == 403
    assert admin.post(url(f"{model}_delete", row.pk), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    admin.post(url(f"{model}_changelist"), bulk)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", GUARDED)
def test_the_change_list_offers_no_delete_action(admin, rows, model):
    response = admin.get(url(f"{model}_changelist"))

    assert "delete_selected" not in action_choices(response)


def test_the_lead_cannot_be_dropped_by_editing_the_partner(admin, rows):
    partner = rows["partner"]
    altered = {
        "partnership": partner.partnership_id,
        "organisation": partner.organisation_id,
        "role": partner.role,
        "is_lead": "",
        "joined_on": "2026-01-01",
        "left_on": "2026-02-01",
    }

    response = admin.post(url("partner_change", partner.pk), altered)

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.is_lead
    assert partner.left_on is None


def test_the_last_administrator_cannot_be_demoted_by_editing_the_member(admin, rows):
    member = rows["organisationmember"]
    altered = {"user": member.user_id, "organisation": member.organisation_id, "role": "staff"}

    response = admin.post(url("organisationmember_change", member.pk), altered)

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == MemberRole.ADMIN


def test_the_invitation_token_is_never_shown(admin, rows):
    invitation = rows["invitation"]

    response = admin.get(url("invitation_change", invitation.pk))

    assert invitation.token not in response.content.decode()


@pytest.mark.parametrize("model", ["organisation", "partnership"])
def test_inlines_offer_no_add_change_or_delete(admin, rows, model):
    response = admin.get(url(f"{model}_change", rows[model].pk))

    inlines = response.context["inline_admin_formsets"]
    assert inlines
    for inline in inlines:
        assert inline.has_view_permission
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


@pytest.mark.parametrize("model", WITH_HISTORY)
def test_the_history_stays_viewable(admin, rows, model):
    response = admin.get(url(f"{model}_history", rows[model].pk))

    assert response.status_code == 200


def test_an_earlier_version_cannot_be_restored_from_the_history(admin, grant, admin_user):
    services.grant_revoke(grant=grant, by=admin_user)
    active = grant.history.earliest()
    revert = url("accessgrant_simple_history", grant.pk, active.history_id)

    response = admin.post(revert, {"revoked_at": "", "revoked_by": ""})

    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_at is not None


# --- making a member the administrator ---------------------------------------------------------


@pytest.fixture
def orphaned_member(db):
    """Staff of an organisation whose only administrator has left (their account is gone)."""
    founder, colleague = UserFactory(), UserFactory()
    organisation = services.organisation_create(
        by=founder, name="Coast Radio", type=OrganisationType.NATIONAL_NGO
    )
    member = services.organisation_member_add(organisation=organisation, user=colleague)
    founder.delete()
    return member


def test_a_member_can_be_made_administrator_of_an_orphaned_organisation(
    admin, admin_user, orphaned_member
):
    response = run_action(admin, "organisationmember", "make_administrator", orphaned_member)

    assert response.status_code == 302
    orphaned_member.refresh_from_db()
    assert orphaned_member.role == MemberRole.ADMIN
    assert orphaned_member.history.latest().history_user == admin_user
    assert f"“{orphaned_member}” is now an administrator." in messages_of(response)


def test_an_administrator_is_told_they_already_are_one(admin, rows):
    member = rows["organisationmember"]
    before = member.history.count()

    response = run_action(admin, "organisationmember", "make_administrator", member)

    assert f"“{member}” is already an administrator." in messages_of(response)
    assert member.history.count() == before


# --- handing over the lead ---------------------------------------------------------------------


def implementing_partner(partnership) -> Partner:
    return partnership.partners.get(role=OrganisationRole.IMPLEMENTING)


def test_the_lead_can_be_handed_to_another_partner(admin, admin_user, partnership, rows):
    old_lead, new_lead = rows["partner"], implementing_partner(partnership)

    response = run_action(admin, "partner", "make_lead", new_lead)

    assert response.status_code == 302
    old_lead.refresh_from_db()
    new_lead.refresh_from_db()
    assert not old_lead.is_lead
    assert new_lead.is_lead
    assert new_lead.history.latest().history_user == admin_user
    assert f"“{new_lead}” now leads “{partnership}”." in messages_of(response)


def test_handing_over_the_lead_needs_exactly_one_partner(admin, partnership, rows, funder):
    old_lead = rows["partner"]
    others = partnership.partners.filter(is_lead=False)

    response = run_action(admin, "partner", "make_lead", *others)

    assert "Select exactly one partner to make the lead. Nothing was changed." in messages_of(
        response
    )
    old_lead.refresh_from_db()
    assert old_lead.is_lead
    assert not others.filter(is_lead=True).exists()


def test_a_partner_that_has_left_cannot_become_the_lead(admin, partnership, rows):
    old_lead = rows["partner"]
    gone = PartnerFactory(
        partnership=partnership, joined_on=date(2026, 1, 1), left_on=date(2026, 2, 1)
    )

    response = run_action(admin, "partner", "make_lead", gone)

    refusal = "The lead partner cannot leave: first make another partner the lead."
    assert f"“{gone}”: {refusal}" in messages_of(response)
    old_lead.refresh_from_db()
    gone.refresh_from_db()
    assert old_lead.is_lead
    assert not gone.is_lead


# --- revoking access grants --------------------------------------------------------------------


def test_a_grant_can_be_revoked(admin, admin_user, grant):
    response = run_action(admin, "accessgrant", "revoke", grant)

    assert response.status_code == 302
    grant.refresh_from_db()
    assert not grant.is_active
    assert grant.revoked_by == admin_user
    assert grant.history.latest().history_user == admin_user
    assert not AccessGrant.objects.active().filter(pk=grant.pk).exists()


def test_a_revoked_grant_keeps_who_revoked_it_first(admin, grant, lead):
    services.grant_revoke(grant=grant, by=lead)

    response = run_action(admin, "accessgrant", "revoke", grant)

    assert f"“{grant}” was already revoked." in messages_of(response)
    grant.refresh_from_db()
    assert grant.revoked_by == lead


def test_staff_with_view_permission_only_cannot_revoke_a_grant(client, grant):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_accessgrant"))
    client.force_login(viewer)

    response = client.get(url("accessgrant_changelist"))
    assert response.status_code == 200
    assert "revoke" not in action_choices(response)
    run_action(client, "accessgrant", "revoke", grant)

    grant.refresh_from_db()
    assert grant.is_active


# --- code lists and users stay editable --------------------------------------------------------


def test_sectors_stay_editable(admin):
    sector = Sector.objects.get(code="11110")
    data = {"code": "11110", "category": "111", "name_en": "Education policy", "name_fr": ""}
    data |= {"name_es": "", "name_sw": ""}

    assert admin.get(url("sector_add")).status_code == 200
    response = admin.post(url("sector_change", sector.pk), data)

    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name_en == "Education policy"
    assert "delete_selected" in action_choices(admin.get(url("sector_changelist")))


def user_form(user: User, **changes) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_users_stay_editable_with_profile_changes_through_the_service(admin, monkeypatch):
    person = UserFactory(full_name="Amina Odhiambo")
    calls = []
    update_profile = account_services.user_update_profile

    def spy(**kwargs):
        calls.append(kwargs)
        return update_profile(**kwargs)

    monkeypatch.setattr(account_services, "user_update_profile", spy)
    changes = {"full_name": "Amina Wekesa", "preferred_language": "sw", "is_staff": "on"}

    response = admin.post(
        url("user_change", person.pk, app="accounts"), user_form(person, **changes)
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.preferred_language) == ("Amina Wekesa", "sw")
    assert person.is_staff
    assert [call["full_name"] for call in calls] == ["Amina Wekesa"]


def test_a_user_can_be_deactivated_without_touching_the_profile(admin, monkeypatch):
    person = UserFactory(full_name="Amina Odhiambo")
    monkeypatch.setattr(account_services, "user_update_profile", None)

    form = user_form(person, is_active=None)
    response = admin.post(url("user_change", person.pk, app="accounts"), form)

    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert person.full_name == "Amina Odhiambo"


def test_a_users_password_can_be_set_in_the_admin(admin):
    person = UserFactory()
    data = {"password1": "a new long passphrase", "password2": "a new long passphrase"}

    response = admin.post(reverse("admin:auth_user_password_change", args=[person.pk]), data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a new long passphrase")


def test_editing_a_sector_in_the_admin_replaces_the_cached_public_pages(
    admin, django_capture_on_commit_callbacks
):
    from harambee import pagecache

    sector = Sector.objects.first() or Sector.objects.create(code="11110", name="Education")
    before = pagecache.version()
    url = reverse("admin:partnerships_sector_change", args=[sector.pk])
    data = {"code": sector.code, "name_en": "Renamed sector", "category": sector.category or ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)

    assert response.status_code == 302, response.content[:2000]
    assert pagecache.version() != before
