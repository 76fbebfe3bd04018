"""People join an organisation by accepting an emailed invitation with their own address."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.models import Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(lead, partnership):
    return partnership.partners.get(is_lead=True).organisation


def invite(client, organisation, email, role="staff"):
    url = reverse("partnerships:organisation_members", args=[organisation.slug])
    return client.post(url, {"email": email, "role": role}, follow=True)


def test_an_invitation_is_emailed_with_a_link(
    as_user, lead, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_user(lead), organisation, "Neema@Example.org")
    assert "Invitation sent to neema@example.org" in response.content.decode()
    invitation = Invitation.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neema@example.org"]
    assert invitation.get_absolute_url() in mail.outbox[0].body
    assert organisation.name in mail.outbox[0].subject


def test_the_answer_does_not_reveal_whether_an_address_has_an_account(as_user, lead, organisation):
    UserFactory(email="known@example.org", full_name="Known Person")
    known = invite(as_user(lead), organisation, "known@example.org").content.decode()
    unknown = invite(as_user(lead), organisation, "unknown@example.org").content.decode()
    assert "Invitation sent to known@example.org" in known
    assert "Invitation sent to unknown@example.org" in unknown
    assert "Known Person" not in known
    assert organisation.members.count() == 1


def test_the_invited_person_joins_by_accepting(as_user, lead, organisation):
    invite(as_user(lead), organisation, "neema@example.org", role="admin")
    invitation = Invitation.objects.get()
    neema = UserFactory(email="neema@example.org")
    response = as_user(neema).post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert organisation.members.get(user=neema).role == "admin"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert as_user(neema).post(invitation.get_absolute_url()).status_code == 400


def test_someone_else_cannot_accept_an_invitation(as_user, lead, organisation, outsider):
    invite(as_user(lead), organisation, "neema@example.org")
    invitation = Invitation.objects.get()
    response = as_user(outsider).post(invitation.get_absolute_url())
    assert response.status_code == 400
    html = response.content.decode()
    assert "sent to another email address" in html
    assert "neema@example.org" not in html
    assert not organisation.members.filter(user=outsider).exists()


def test_an_expired_invitation_cannot_be_accepted(as_user, lead, organisation):
    invite(as_user(lead), organisation, "neema@example.org")
    invitation = Invitation.objects.get()
    Invitation.objects.update(sent_at=invitation.sent_at - timedelta(days=15))
    neema = UserFactory(email="neema@example.org")
    assert as_user(neema).post(invitation.get_absolute_url()).status_code == 400
    assert not organisation.members.filter(user=neema).exists()


def test_inviting_again_renews_the_one_open_invitation(as_user, lead, organisation):
    invite(as_user(lead), organisation, "neema@example.org")
    first = Invitation.objects.get().token
    invite(as_user(lead), organisation, "neema@example.org", role="admin")
    invitation = Invitation.objects.get()
    assert invitation.token != first
    assert invitation.role == "admin"


def test_an_administrator_withdraws_an_invitation(as_user, lead, organisation):
    invite(as_user(lead), organisation, "neema@example.org")
    invitation = Invitation.objects.get()
    url = reverse("partnerships:invitation_revoke", args=[organisation.slug, invitation.pk])
    as_user(lead).post(url)
    assert not Invitation.objects.exists()


def test_staff_cannot_invite_or_change_roles(as_user, partner_staff, lead, organisation):
    url = reverse("partnerships:organisation_members", args=[organisation.slug])
    response = as_user(partner_staff).post(url, {"email": "x@example.org", "role": "admin"})
    assert response.status_code == 403
    member = organisation.members.get()
    role = reverse("partnerships:organisation_member_role", args=[organisation.slug, member.pk])
    assert as_user(partner_staff).post(role, {"role": "staff"}).status_code == 403
    assert not Invitation.objects.exists()


def test_a_bad_email_is_refused(as_user, lead, organisation):
    response = invite(as_user(lead), organisation, "not an address")
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_administrator_promotes_a_member(as_user, lead, organisation):
    from partnerships import services

    colleague = UserFactory()
    member = services.organisation_member_add(organisation=organisation, user=colleague)
    url = reverse("partnerships:organisation_member_role", args=[organisation.slug, member.pk])
    as_user(lead).post(url, {"role": "admin"})
    member.refresh_from_db()
    assert member.role == "admin"


def test_an_invitation_address_with_odd_characters_is_simply_not_found(as_user, outsider):
    assert as_user(outsider).get("/invitations/abc%00def/").status_code == 404


def test_a_line_break_in_an_organisation_name_cannot_break_the_email(
    as_user, lead, organisation, django_capture_on_commit_callbacks
):
    type(organisation).objects.filter(pk=organisation.pk).update(name="Evil\nBcc: x@example.org")
    organisation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(lead), organisation, "neema@example.org")
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


def test_invitations_are_limited_so_nobody_can_flood_an_inbox(as_user, lead, organisation):
    client = as_user(lead)
    for _ in range(3):
        assert (
            "Invitation sent" in invite(client, organisation, "neema@example.org").content.decode()
        )
    response = invite(client, organisation, "neema@example.org")
    assert response.status_code == 400
    assert "Too many invitations" in response.content.decode()


def test_a_role_change_decides_from_the_stored_role_not_the_page(as_user, lead, organisation):
    """A page loaded before a promotion must not let the last administrator go."""
    from partnerships import services

    colleague = UserFactory()
    stale = services.organisation_member_add(organisation=organisation, user=colleague)
    services.organisation_member_set_role(member=stale, role="admin")  # colleague promoted
    first = organisation.members.get(user=lead)
    services.organisation_member_set_role(member=first, role="staff")  # lead steps down
    # ``stale`` still says "staff": demoting from it must see the stored "admin" and refuse.
    stale.role = "staff"
    with pytest.raises(ValidationError):
        services.organisation_member_remove(member=stale)
    assert organisation.members.filter(role="admin").count() == 1


def test_an_invitation_withdrawn_meanwhile_cannot_be_accepted(as_user, lead, organisation):
    from partnerships import services

    invite(as_user(lead), organisation, "neema@example.org")
    invitation = Invitation.objects.get()
    services.invitation_revoke(invitation=invitation)
    neema = UserFactory(email="neema@example.org")
    response = as_user(neema).post(invitation.get_absolute_url())
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=neema)
    assert not organisation.members.filter(user=neema).exists()
