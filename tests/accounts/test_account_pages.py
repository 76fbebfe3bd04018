"""The account pages and emails speak like the rest of the site: sentence case in English,
translated in every shipped language, and the emails name Harambee, not a host and port."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.allauth_strings import ALLAUTH_STRINGS
from accounts.templatetags.account_wording import SENTENCE_CASE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "wanjiru@example.org", "password1": "a long pass phrase 42"}
SIGNUP["password2"] = SIGNUP["password1"]


def texts(html: str) -> dict[str, list[str]]:
    """The page's title, headings and buttons, with the whitespace of templates removed."""

    def clean(found):
        return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in found]

    return {
        "title": clean(re.findall(r"<title>(.*?) · Harambee</title>", html, flags=re.S)),
        "headings": clean(re.findall(r"<h[12]>(.*?)</h[12]>", html, flags=re.S)),
        "buttons": clean(re.findall(r"<button[^>]*>(.*?)</button>", html, flags=re.S)),
    }


# --- sentence case in English --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "title", "heading", "button"),
    [
        ("account_login", "Sign in", "Sign in", "Sign in"),
        ("account_signup", "Sign up", "Sign up", "Sign up"),
        ("account_reset_password", "Password reset", "Password reset", "Reset my password"),
    ],
)
def test_the_entrance_pages_use_sentence_case(client, url_name, title, heading, button):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    found = texts(response.content.decode())
    assert found["title"] == [title]
    assert found["headings"] == [heading]
    assert found["buttons"] == [button]


def test_the_sign_in_form_uses_sentence_case(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Remember me" in html
    assert "Forgot your password?" in html
    assert "Remember Me" not in html


@pytest.mark.parametrize(
    ("url_name", "signed_in"),
    [
        ("account_login", False),
        ("account_signup", False),
        ("account_reset_password", False),
        ("account_reset_password_done", False),
        ("account_email_verification_sent", False),
        ("account_logout", True),
        ("account_change_password", True),
        ("account_email", True),
        ("account_reauthenticate", True),
    ],
)
def test_no_account_page_uses_title_case(client, url_name, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    found = texts(response.content.decode())
    for text in found["title"] + found["headings"] + found["buttons"]:
        words = text.split()
        assert all(not word[0].isupper() for word in words[1:]), (url_name, text)


def test_the_site_rewords_only_strings_allauth_uses_and_our_catalogues_translate():
    assert set(SENTENCE_CASE) <= set(ALLAUTH_STRINGS)
    for english, ours in SENTENCE_CASE.items():
        assert ours != english
        assert ours[0].isupper() and not any(w[0].isupper() for w in ours.split()[1:]), ours


# --- still translated elsewhere ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sign_in", "reset_button"),
    [
        ("fr", "Connexion", "Réinitialiser mon mot de passe"),
        ("es", "Iniciar sesión", "Restablecer mi contraseña"),
        ("sw", "Ingia", None),
    ],
)
def test_other_languages_keep_their_translations(client, language, sign_in, reset_button):
    login = texts(client.get(f"/{language}/accounts/login/").content.decode())
    assert login["headings"] == [sign_in]
    reset = texts(client.get(f"/{language}/accounts/password/reset/").content.decode())
    with translation.override(language):
        expected = reset_button or translation.gettext("Reset My Password")
    assert expected != "Reset My Password"
    assert reset["buttons"] == [expected]


# --- the emails name the site --------------------------------------------------------------


def test_the_verification_email_names_harambee_not_the_host(client):
    response = client.post(reverse("account_signup"), SIGNUP, HTTP_HOST="127.0.0.1")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[Harambee] Please Confirm Your Email Address"
    assert message.body.startswith("Hello from Harambee!")
    assert "Thank you for using Harambee!" in message.body
    assert "Hello from 127.0.0.1" not in message.body
    assert "using 127.0.0.1" not in message.body
    assert "127.0.0.1" not in message.subject


def test_the_password_reset_email_names_harambee(client):
    UserFactory(email="amina@example.org")
    client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    (message,) = mail.outbox
    assert message.subject == "[Harambee] Password Reset Email"
    assert message.body.startswith("Hello from Harambee!")


def test_a_french_verification_email_is_french_and_names_harambee(client):
    client.post("/fr/accounts/signup/", SIGNUP)
    (message,) = mail.outbox
    with translation.override("fr"):
        subject = translation.gettext("Please Confirm Your Email Address")
        greeting = translation.gettext("Hello from %(site_name)s!") % {"site_name": "Harambee"}
    assert subject != "Please Confirm Your Email Address"
    assert message.subject == f"[Harambee] {subject}"
    assert message.body.startswith(greeting)
    assert "testserver" not in message.subject
