"""Email login through allauth, verification, and the preferred language."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_sends_a_verification_email_and_keeps_the_user_out_until_verified(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Wanjiru@Example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="wanjiru@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "wanjiru@example.org" in mail.outbox[0].to
    assert "_auth_user_id" not in client.session


def test_a_verified_user_logs_in_with_their_email(client):
    user = UserFactory(email="amina@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "amina@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="amina@example.org")
    response = client.post(
        reverse("account_login"), {"login": "amina@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_a_mismatched_signup_saves_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "password1": "a long pass phrase 42",
            "password2": "different one 43",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_password_reset_sends_an_email(client):
    UserFactory(email="amina@example.org")
    client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    assert len(mail.outbox) == 1


def test_allauth_rate_limits_are_on():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert settings.ACCOUNT_RATE_LIMITS is not False


def test_signing_up_in_french_keeps_french_as_the_preferred_language(client):
    client.post(
        "/fr/accounts/signup/",
        {
            "email": "aminata@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert User.objects.get(email="aminata@example.org").preferred_language == "fr"


def test_the_profile_saves_the_preferred_language_and_answers_in_it(as_user):
    user = UserFactory()
    client = as_user(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Juma", "preferred_language": "sw"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sw/")
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Juma", "sw")


def test_an_unknown_language_is_refused(as_user):
    user = UserFactory()
    response = as_user(user).post(
        reverse("accounts:profile"), {"full_name": "Juma", "preferred_language": "xx"}
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.preferred_language == "en"


def switcher_link(html: str, code: str) -> str:
    """The address the language switcher links to for ``code``."""
    match = re.search(rf'<a href="([^"]+)" lang="{code}" hreflang="{code}"', html)
    assert match, f"no switcher link for {code}"
    return unescape(match[1])


def test_the_language_switcher_remembers_a_signed_in_users_choice(as_user):
    user = UserFactory()
    client = as_user(user)
    page = client.get("/partnerships/").content.decode()
    response = client.get(switcher_link(page, "es"))
    assert response.status_code == 302
    assert response["Location"] == "/es/partnerships/"
    user.refresh_from_db()
    assert user.preferred_language == "es"


def test_the_language_switcher_works_for_visitors(client):
    page = client.get("/partnerships/").content.decode()
    assert switcher_link(page, "fr") == "/fr/partnerships/"


def test_signing_in_takes_the_user_to_pages_in_their_preferred_language(client):
    UserFactory(email="juma@example.org", preferred_language="sw")
    response = client.post(
        reverse("account_login"),
        {
            "login": "juma@example.org",
            "password": "correct horse battery staple",
            "next": "/partnerships/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/sw/partnerships/"
