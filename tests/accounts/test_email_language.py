"""Account emails are written in the recipient's language, whoever asks for them."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from partnerships.models import Invitation
from tests.factories import UserFactory


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_a_password_reset_asked_for_on_the_english_page_arrives_in_swahili(client, db):
    UserFactory(email="neema@example.org", preferred_language="sw")
    with translation.override("en"):
        url = reverse("account_reset_password")
    client.post(url, {"email": "neema@example.org"})
    (message,) = mail.outbox
    subject = in_language("sw", "Password Reset Email")
    assert subject != "Password Reset Email"
    assert message.subject == f"[Harambee] {subject}"
    greeting = in_language("sw", "Hello from %(site_name)s!") % {"site_name": "Harambee"}
    assert message.body.startswith(greeting)
    assert "/sw/accounts/password/reset/key/" in message.body
    assert "testserver/accounts/" not in message.body


def test_a_confirmation_re_sent_from_a_spanish_page_uses_the_accounts_language(client, db):
    user = UserFactory(email="aminata@example.org", preferred_language="fr")
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": False, "primary": True}
    )
    client.force_login(user)
    client.post("/es/accounts/email/", {"email": user.email, "action_send": ""})
    (message,) = mail.outbox
    subject = in_language("fr", "Please Confirm Your Email Address")
    assert subject != "Please Confirm Your Email Address"
    assert message.subject == f"[Harambee] {subject}"
    assert "/fr/accounts/confirm-email/" in message.body


def test_a_password_reset_for_an_english_account_stays_english(client, db):
    UserFactory(email="amina@example.org", preferred_language="en")
    client.post("/sw/accounts/password/reset/", {"email": "amina@example.org"})
    (message,) = mail.outbox
    assert message.subject == "[Harambee] Password Reset Email"
    assert "testserver/accounts/password/reset/key/" in message.body  # English has no prefix


def test_an_invitation_is_written_in_the_invited_persons_language_not_the_senders(
    as_user, lead, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = partnership.partners.get(is_lead=True).organisation
    UserFactory(email="neema@example.org", preferred_language="sw")
    with translation.override("fr"):
        url = reverse("partnerships:organisation_members", args=[organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        as_user(lead).post(url, {"email": "neema@example.org", "role": "staff"})
    (message,) = mailoutbox
    subject = in_language("sw", "Join %(organisation)s on Harambee") % {
        "organisation": organisation.name
    }
    assert subject != f"Join {organisation.name} on Harambee"
    assert message.subject == subject
    with translation.override("sw"):
        assert Invitation.objects.get().get_absolute_url() in message.body
