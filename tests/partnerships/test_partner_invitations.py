"""Organisations become partners with their consent: the lead invites, an administrator of
the invited organisation accepts, and only then is the organisation a partner."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from partnerships import access, services
from partnerships.codelists import OrganisationRole
from partnerships.models import (
    Invitation,
    MemberRole,
    PartnerInvitation,
    PartnerInvitationStatus,
    Partnership,
    Visibility,
)
from partnerships.tasks import send_partner_invitation
from tests.factories import (
    ContributionFactory,
    MemberFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(db):
    """An organisation with two administrators (French and Swahili) and one staff member."""
    organisation = OrganisationFactory(name="Kilifi Community Radio")
    for language in ("fr", "sw"):
        user = UserFactory(preferred_language=language)
        MemberFactory(organisation=organisation, user=user, role=MemberRole.ADMIN)
    MemberFactory(organisation=organisation, role=MemberRole.STAFF)
    return organisation


def admin_of(organisation, language: str = "fr"):
    return organisation.members.get(role=MemberRole.ADMIN, user__preferred_language=language).user


def staff_of(organisation):
    return organisation.members.get(role=MemberRole.STAFF).user


def invite(client, partnership, organisation, *, role: int = OrganisationRole.IMPLEMENTING, **data):
    url = reverse("partnerships:partner_add", args=[partnership.slug])
    return client.post(url, {"organisation": organisation.pk, "role": role, **data})


def invitation_of(organisation) -> PartnerInvitation:
    return organisation.partner_invitations.get()


def answer(client, invitation, verb: str):
    return client.post(reverse(f"partnerships:partner_invitation_{verb}", args=[invitation.pk]))


def withdraw(client, invitation):
    url = reverse(
        "partnerships:partner_invitation_withdraw",
        args=[invitation.partnership.slug, invitation.pk],
    )
    return client.post(url, follow=True)


def hide(partnership, visibility: str) -> Partnership:
    Partnership.objects.filter(pk=partnership.pk).update(visibility=visibility)
    partnership.refresh_from_db()
    return partnership


# --- inviting and the emails -----------------------------------------------------------------


def test_inviting_emails_each_administrator_in_their_own_language(
    as_user, lead, partnership, invited, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_user(lead), partnership, invited, responsibilities="Radio shows")
    assert response.status_code == 302
    invitation = invitation_of(invited)
    emails = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == 2
    assert staff_of(invited).email not in emails
    for language in ("fr", "sw"):
        email = emails[admin_of(invited, language).email]
        with translation.override(language):
            link = settings.SITE_URL.rstrip("/") + invitation.get_absolute_url()
            role = str(OrganisationRole.IMPLEMENTING.label)
        assert link.startswith(f"{settings.SITE_URL.rstrip('/')}/{language}/partner-invitations/")
        assert link in email.body
        assert role in email.body
        assert partnership.title in email.subject
        assert invited.name in email.body


def test_a_line_break_in_a_title_cannot_break_the_email(
    as_user, lead, partnership, invited, mailoutbox, django_capture_on_commit_callbacks
):
    Partnership.objects.filter(pk=partnership.pk).update(title="Evil\nBcc: x@example.org")
    partnership.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(lead), partnership, invited)
    assert len(mailoutbox) == 2
    assert all("\n" not in message.subject and message.bcc == [] for message in mailoutbox)


def test_an_invitation_withdrawn_before_its_email_leaves_sends_nothing(
    lead, partnership, invited, mailoutbox
):
    invitation = services.partner_invite(
        partnership=partnership, organisation=invited, role=OrganisationRole.FUNDING, by=lead
    )
    services.partner_invitation_withdraw(invitation=invitation, by=lead)
    send_partner_invitation(invitation.pk, admin_of(invited).pk)
    assert mailoutbox == []


def test_only_current_administrators_are_emailed(lead, partnership, invited, mailoutbox):
    invitation = services.partner_invite(
        partnership=partnership, organisation=invited, role=OrganisationRole.FUNDING, by=lead
    )
    send_partner_invitation(invitation.pk, staff_of(invited).pk)
    assert mailoutbox == []


# --- pending: not a partner ------------------------------------------------------------------


def test_an_invited_organisation_is_not_a_partner_until_an_administrator_accepts(
    as_user, lead, partnership, invited
):
    before = partnership.partners.count()
    invite(as_user(lead), partnership, invited)
    assert partnership.partners.count() == before
    assert not partnership.partners.filter(organisation=invited).exists()
    assert invitation_of(invited).status == PartnerInvitationStatus.PENDING
    html = as_user(lead).get(partnership.get_absolute_url()).content.decode()
    assert "Pending invitations" in html
    assert invited.name in html


@pytest.mark.parametrize("visibility", [Visibility.DRAFT, Visibility.PRIVATE])
def test_a_pending_invitation_opens_nothing_of_a_hidden_partnership(
    as_user, lead, partnership, invited, visibility
):
    hide(partnership, visibility)
    invite(as_user(lead), partnership, invited)
    for user in (admin_of(invited, "fr"), admin_of(invited, "sw"), staff_of(invited)):
        client = as_user(user)
        assert client.get(partnership.get_absolute_url()).status_code == 404
        edit = reverse("partnerships:edit", args=[partnership.slug])
        assert client.get(edit).status_code == 404
        assert client.post(edit, {"title": "Taken over"}).status_code == 404
        assert partnership not in Partnership.objects.visible_to(user)
        assert partnership not in access.partnerships_of(user)
        assert not user.has_perm("partnerships.edit_partnership", partnership)
        assert not user.has_perm("partnerships.manage_partners", partnership)
        assert not access.is_partner_staff(user, partnership.pk)
    partnership.refresh_from_db()
    assert partnership.title != "Taken over"


def test_a_pending_invitation_gives_no_right_to_edit_a_public_partnership(
    as_user, lead, partnership, invited
):
    invite(as_user(lead), partnership, invited)
    client = as_user(staff_of(invited))
    assert client.get(reverse("partnerships:edit", args=[partnership.slug])).status_code == 403
    contribution = reverse("partnerships:contribution_add", args=[partnership.slug])
    assert client.get(contribution).status_code == 403
    assert invited.name not in client.get(partnership.get_absolute_url()).content.decode()


def test_only_the_leads_staff_see_the_pending_invitations(
    as_user, client, lead, partner_staff, partnership, invited
):
    invite(as_user(lead), partnership, invited)
    for browser in (as_user(partner_staff), client, as_user(admin_of(invited))):
        html = browser.get(partnership.get_absolute_url()).content.decode()
        assert "Pending invitations" not in html
        assert invited.name not in html


# --- the invitation page ---------------------------------------------------------------------


def test_the_invitation_page_shows_only_the_title_lead_and_role(
    as_user, lead, partnership, invited
):
    hide(partnership, Visibility.DRAFT)
    Partnership.objects.filter(pk=partnership.pk).update(problem="The secret problem statement")
    other = PartnerFactory(partnership=partnership, organisation=OrganisationFactory(name="Quiet"))
    ContributionFactory(partner=other, description="Undisclosed cash pledge")
    MilestoneFactory(partnership=partnership, title="Unannounced launch")
    invite(as_user(lead), partnership, invited, responsibilities="Weekly radio programme")
    invitation = invitation_of(invited)
    response = as_user(admin_of(invited)).get(invitation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    lead_organisation = partnership.partners.get(is_lead=True).organisation
    assert partnership.title in html
    assert lead_organisation.name in html
    assert "Implementing" in html
    assert "Weekly radio programme" in html
    for secret in ("secret problem", "Quiet", "Undisclosed", "Unannounced launch"):
        assert secret not in html


def test_only_administrators_of_the_invited_organisation_open_the_invitation(
    as_user, client, lead, partner_staff, outsider, partnership, invited
):
    invite(as_user(lead), partnership, invited)
    invitation = invitation_of(invited)
    url = invitation.get_absolute_url()
    for user in (staff_of(invited), outsider, lead, partner_staff):
        browser = as_user(user)
        assert browser.get(url).status_code == 404
        assert answer(browser, invitation, "accept").status_code == 404
        assert answer(browser, invitation, "decline").status_code == 404
    assert reverse("account_login") in client.get(url)["Location"]
    assert invitation_of(invited).status == PartnerInvitationStatus.PENDING
    assert not partnership.partners.filter(organisation=invited).exists()


def test_an_unknown_invitation_is_simply_not_found(as_user, outsider):
    missing = reverse("partnerships:partner_invitation", args=[987654])
    assert as_user(outsider).get(missing).status_code == 404


# --- answers ---------------------------------------------------------------------------------


def test_accepting_makes_the_organisation_a_partner_that_joined_today(
    as_user, lead, partnership, invited
):
    hide(partnership, Visibility.DRAFT)
    invite(
        as_user(lead),
        partnership,
        invited,
        role=OrganisationRole.EXTENDING,
        responsibilities="Training",
    )
    invitation = invitation_of(invited)
    admin = admin_of(invited, "sw")
    response = as_user(admin).post(
        reverse("partnerships:partner_invitation_accept", args=[invitation.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == partnership.get_absolute_url()
    assert f"{invited.name} is now a partner" in response.content.decode().replace("&#x27;", "'")
    partner = partnership.partners.get(organisation=invited)
    assert partner.role == OrganisationRole.EXTENDING
    assert partner.responsibilities == "Training"
    assert partner.joined_on == timezone.localdate()
    assert not partner.is_lead
    invitation.refresh_from_db()
    assert invitation.status == PartnerInvitationStatus.ACCEPTED
    assert invitation.accepted_at is not None
    assert invitation.closed_by == admin
    # Now a partner: its staff see the draft, and the lead's pending list is empty.
    assert as_user(staff_of(invited)).get(partnership.get_absolute_url()).status_code == 200
    assert partnership in Partnership.objects.visible_to(staff_of(invited))
    assert (
        "Pending invitations"
        not in as_user(lead).get(partnership.get_absolute_url()).content.decode()
    )


def test_an_administrator_declines_and_nothing_is_added(as_user, lead, partnership, invited):
    invite(as_user(lead), partnership, invited)
    invitation = invitation_of(invited)
    admin = admin_of(invited)
    response = as_user(admin).post(
        reverse("partnerships:partner_invitation_decline", args=[invitation.pk]), follow=True
    )
    assert response.status_code == 200
    assert "You declined the invitation." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == PartnerInvitationStatus.DECLINED
    assert invitation.declined_at is not None
    assert invitation.closed_by == admin
    assert not partnership.partners.filter(organisation=invited).exists()
    assert (
        "Pending invitations"
        not in as_user(lead).get(partnership.get_absolute_url()).content.decode()
    )


def test_the_lead_withdraws_a_pending_invitation(as_user, lead, partnership, invited):
    invite(as_user(lead), partnership, invited)
    invitation = invitation_of(invited)
    response = withdraw(as_user(lead), invitation)
    assert "The invitation to" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == PartnerInvitationStatus.WITHDRAWN
    assert invitation.withdrawn_at is not None
    assert invitation.closed_by == lead
    response = answer(as_user(admin_of(invited)), invitation, "accept")
    assert response.status_code == 400
    assert "already accepted, declined or withdrawn" in response.content.decode()
    assert not partnership.partners.filter(organisation=invited).exists()


def test_only_the_lead_partner_invites_and_withdraws(
    as_user, lead, partner_staff, outsider, partnership, invited
):
    assert invite(as_user(partner_staff), partnership, invited).status_code == 403
    assert invite(as_user(outsider), partnership, invited).status_code == 403
    assert not PartnerInvitation.objects.exists()
    invite(as_user(lead), partnership, invited)
    invitation = invitation_of(invited)
    assert withdraw(as_user(partner_staff), invitation).status_code == 403
    assert withdraw(as_user(admin_of(invited)), invitation).status_code == 403
    hide(partnership, Visibility.PRIVATE)
    assert withdraw(as_user(outsider), invitation).status_code == 404
    assert invitation_of(invited).status == PartnerInvitationStatus.PENDING


def test_an_answered_invitation_cannot_be_answered_again(as_user, lead, partnership, invited):
    invite(as_user(lead), partnership, invited)
    invitation = invitation_of(invited)
    assert answer(as_user(admin_of(invited, "fr")), invitation, "accept").status_code == 302
    other_admin = as_user(admin_of(invited, "sw"))
    for verb in ("accept", "decline"):
        response = other_admin.post(
            reverse(f"partnerships:partner_invitation_{verb}", args=[invitation.pk])
        )
        assert response.status_code == 400
        assert "already accepted, declined or withdrawn" in response.content.decode()
    response = withdraw(as_user(lead), invitation)
    assert "already accepted, declined or withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == PartnerInvitationStatus.ACCEPTED
    assert partnership.partners.filter(organisation=invited).count() == 1
    page = other_admin.get(invitation.get_absolute_url()).content.decode()
    assert "This invitation was accepted on" in page
    assert "Accept the invitation" not in page


def test_an_answer_decides_from_the_stored_invitation_not_the_page(lead, partnership, invited):
    """Accept and withdraw at once: whichever is stored first wins; the other is refused."""
    invitation = services.partner_invite(
        partnership=partnership, organisation=invited, role=OrganisationRole.FUNDING, by=lead
    )
    stale = PartnerInvitation.objects.get(pk=invitation.pk)
    services.partner_invitation_withdraw(invitation=invitation, by=lead)
    assert stale.status == PartnerInvitationStatus.PENDING  # what an open page still shows
    with pytest.raises(ValidationError):
        services.partner_invitation_accept(invitation=stale, by=admin_of(invited))
    assert not partnership.partners.filter(organisation=invited).exists()
    assert PartnerInvitation.objects.get(pk=invitation.pk).status == "withdrawn"


def test_only_an_administrator_of_the_invited_organisation_may_answer(lead, partnership, invited):
    invitation = services.partner_invite(
        partnership=partnership, organisation=invited, role=OrganisationRole.FUNDING, by=lead
    )
    for verb in (services.partner_invitation_accept, services.partner_invitation_decline):
        with pytest.raises(ValidationError, match="Only an administrator"):
            verb(invitation=invitation, by=staff_of(invited))
    assert invitation_of(invited).status == PartnerInvitationStatus.PENDING


def test_each_step_is_kept_in_the_history(as_user, lead, partnership, invited):
    invite(as_user(lead), partnership, invited)
    invitation = invitation_of(invited)
    answer(as_user(admin_of(invited)), invitation, "accept")
    statuses = list(invitation.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["pending", "accepted"]
    assert invitation.history.latest().history_user == admin_of(invited)


# --- refusals and bad input ------------------------------------------------------------------


def test_the_leads_own_organisation_cannot_be_invited(as_user, lead, partnership, mailoutbox):
    lead_organisation = partnership.partners.get(is_lead=True).organisation
    response = invite(as_user(lead), partnership, lead_organisation, role=OrganisationRole.FUNDING)
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    with pytest.raises(ValidationError, match="leads this partnership"):
        services.partner_invite(
            partnership=partnership,
            organisation=lead_organisation,
            role=OrganisationRole.FUNDING,
            by=lead,
        )
    assert not PartnerInvitation.objects.exists()
    assert mailoutbox == []


def test_a_current_partner_cannot_be_invited_again_in_its_role(
    as_user, lead, partner_staff, partnership
):
    existing = partner_staff.memberships.get().organisation
    MemberFactory(organisation=existing, role=MemberRole.ADMIN)
    response = invite(as_user(lead), partnership, existing, role=OrganisationRole.IMPLEMENTING)
    assert response.status_code == 400
    assert "is already a partner in this role" in " ".join(
        response.context["form"].errors["organisation"]
    )
    assert not PartnerInvitation.objects.exists()
    # Another role is a new part to play: that one may be offered.
    assert (
        invite(as_user(lead), partnership, existing, role=OrganisationRole.FUNDING).status_code
        == 302
    )


def test_a_role_taken_by_the_organisation_meanwhile_cannot_be_accepted(
    as_user, lead, partner_staff, partnership
):
    existing = partner_staff.memberships.get().organisation
    admin = MemberFactory(organisation=existing, role=MemberRole.ADMIN).user
    invite(as_user(lead), partnership, existing, role=OrganisationRole.FUNDING)
    invitation = invitation_of(existing)
    partner = partnership.partners.get(organisation=existing)
    services.partner_update(partner=partner, role=OrganisationRole.FUNDING)
    response = answer(as_user(admin), invitation, "accept")
    assert response.status_code == 400
    assert "is already a partner in this role" in response.content.decode()
    assert partnership.partners.filter(organisation=existing).count() == 1
    assert invitation_of(existing).status == PartnerInvitationStatus.PENDING


def test_a_former_partner_is_told_to_edit_its_partner_row(as_user, lead, partnership, invited):
    from datetime import date

    PartnerFactory(partnership=partnership, organisation=invited, left_on=date(2026, 2, 1))
    response = invite(as_user(lead), partnership, invited)
    assert response.status_code == 400
    assert "was a partner in this role before" in response.content.decode()
    assert not PartnerInvitation.objects.exists()


def test_one_open_invitation_per_organisation_and_role(
    as_user, lead, partnership, invited, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(as_user(lead), partnership, invited).status_code == 302
        response = invite(as_user(lead), partnership, invited)
    assert response.status_code == 400
    assert "already has an open invitation in this role" in response.content.decode()
    assert PartnerInvitation.objects.count() == 1
    assert len(mailoutbox) == 2  # the first invitation's, to its two administrators


def test_a_declined_invitation_may_be_sent_again(as_user, lead, partnership, invited):
    invite(as_user(lead), partnership, invited)
    answer(as_user(admin_of(invited)), invitation_of(invited), "decline")
    assert invite(as_user(lead), partnership, invited).status_code == 302
    assert invited.partner_invitations.pending().count() == 1


def test_an_organisation_without_an_administrator_cannot_be_invited(as_user, lead, partnership):
    nobody_in_charge = OrganisationFactory()
    MemberFactory(organisation=nobody_in_charge, role=MemberRole.STAFF)
    response = invite(as_user(lead), partnership, nobody_in_charge)
    assert response.status_code == 400
    assert "has no administrator on Harambee" in response.content.decode()
    assert not PartnerInvitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"organisation": "", "role": "4"}, "organisation"),
        ({"organisation": "987654", "role": "4"}, "organisation"),
        ({"role": "9"}, "role"),
        ({"role": ""}, "role"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    as_user, lead, partnership, invited, mailoutbox, data, field
):
    url = reverse("partnerships:partner_add", args=[partnership.slug])
    response = as_user(lead).post(url, {"organisation": invited.pk, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not PartnerInvitation.objects.exists()
    assert mailoutbox == []


def test_invitations_are_limited_so_nobody_can_flood_administrators(
    as_user, lead, partnership, monkeypatch
):
    monkeypatch.setattr(services, "PARTNER_INVITATIONS_PER_HOUR", 2)
    client = as_user(lead)
    organisations = [MemberFactory(role=MemberRole.ADMIN).organisation for _ in range(3)]
    assert invite(client, partnership, organisations[0]).status_code == 302
    assert invite(client, partnership, organisations[1]).status_code == 302
    response = invite(client, partnership, organisations[2])
    assert response.status_code == 400
    assert "Too many invitations" in response.content.decode()
    assert PartnerInvitation.objects.count() == 2


def test_one_organisation_cannot_be_flooded_with_invitations(
    as_user, lead, partnership, invited, monkeypatch
):
    monkeypatch.setattr(services, "PARTNER_INVITATIONS_PER_ORGANISATION_PER_DAY", 2)
    client = as_user(lead)
    assert invite(client, partnership, invited).status_code == 302
    withdraw(client, invitation_of(invited))
    assert invite(client, partnership, invited).status_code == 302
    withdraw(client, invited.partner_invitations.pending().get())
    response = invite(client, partnership, invited)
    assert response.status_code == 400
    assert "Too many invitations" in response.content.decode()
    assert not invited.partner_invitations.pending().exists()


# --- waiting for someone ---------------------------------------------------------------------


def test_waiting_for_lists_the_open_invitations_a_user_may_answer(
    lead, partnership, invited, outsider
):
    from django.contrib.auth.models import AnonymousUser

    invitation = services.partner_invite(
        partnership=partnership, organisation=invited, role=OrganisationRole.FUNDING, by=lead
    )
    admin = admin_of(invited)
    waiting = list(PartnerInvitation.objects.waiting_for(admin))
    assert waiting == [invitation]
    lead_organisation = partnership.partners.get(is_lead=True).organisation
    assert waiting[0].lead_name == lead_organisation.name
    for nobody in (staff_of(invited), outsider, lead, AnonymousUser()):
        assert not PartnerInvitation.objects.waiting_for(nobody).exists()
    services.partner_invitation_accept(invitation=invitation, by=admin)
    assert not PartnerInvitation.objects.waiting_for(admin).exists()


def test_the_leads_page_loads_its_pending_invitations_in_one_query(as_user, lead, partnership):
    client = as_user(lead)
    url = partnership.get_absolute_url()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.partner_invite(
        partnership=partnership,
        organisation=MemberFactory(role=MemberRole.ADMIN).organisation,
        role=OrganisationRole.FUNDING,
        by=lead,
    )
    queries()  # the site-wide figures it shows (the sector names) are read once per version
    at_one = queries()
    for _ in range(10):
        services.partner_invite(
            partnership=partnership,
            organisation=MemberFactory(role=MemberRole.ADMIN).organisation,
            role=OrganisationRole.FUNDING,
            by=lead,
        )
    assert queries() == at_one


# --- organisation member invitations speak the invited person's language ---------------------


def test_a_member_invitation_uses_the_invited_persons_language(
    as_user, lead, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = partnership.partners.get(is_lead=True).organisation
    UserFactory(email="neema@example.org", preferred_language="sw")
    url = reverse("partnerships:organisation_members", args=[organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        as_user(lead).post(url, {"email": "neema@example.org", "role": "staff"})
    invitation = Invitation.objects.get()
    with translation.override("sw"):
        link = invitation.get_absolute_url()
    assert link.startswith("/sw/")
    assert link in mailoutbox[0].body


def test_a_member_invitation_to_an_unknown_address_uses_the_senders_language(
    as_user, lead, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = partnership.partners.get(is_lead=True).organisation
    with translation.override("fr"):
        url = reverse("partnerships:organisation_members", args=[organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        as_user(lead).post(url, {"email": "nobody-yet@example.org", "role": "staff"})
    invitation = Invitation.objects.get()
    with translation.override("fr"):
        link = invitation.get_absolute_url()
    assert link.startswith("/fr/")
    assert link in mailoutbox[0].body


def test_a_withdrawn_invitation_no_longer_shows_the_partnership(
    lead, partnership, invited, as_user
):
    partnership.visibility = Visibility.PRIVATE
    partnership.save(update_fields=["visibility"])
    assert invite(as_user(lead), partnership, invited).status_code == 302
    invitation = invitation_of(invited)
    withdraw(as_user(lead), invitation)
    services.partnership_update(partnership=partnership, title="Renamed after the withdrawal")

    page = as_user(admin_of(invited)).get(invitation.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert "withdrew this invitation" in html
    assert "Renamed after the withdrawal" not in html
    assert partnership.title not in html


def test_invite_and_withdraw_loops_elsewhere_never_block_an_organisations_invitations(
    lead, partnership, invited, as_user
):
    other_lead = MemberFactory(role=MemberRole.ADMIN)
    other = services.partnership_create(
        by=other_lead.user, lead_organisation=other_lead.organisation, title="Noise", problem="x"
    )
    for _ in range(services.PARTNER_INVITATIONS_PER_ORGANISATION_PER_DAY):
        sent = services.partner_invite(
            partnership=other,
            organisation=invited,
            role=OrganisationRole.FUNDING,
            by=other_lead.user,
        )
        services.partner_invitation_withdraw(invitation=sent, by=other_lead.user)

    assert invite(as_user(lead), partnership, invited).status_code == 302
