"""allauth adapter: accounts start in the visitor's language and sign in to their own, and
the emails allauth sends name Harambee."""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import translation

from accounts.models import User


@dataclass(frozen=True)
class EmailSite:
    """What allauth's email templates read as ``current_site``."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)

    def post_login(self, request, user, **kwargs):
        """After signing in, show the page the user is going to in their preferred language."""
        response = super().post_login(request, user, **kwargs)
        location = response.get("Location", "") if response is not None else ""
        if location.startswith("/") and user.preferred_language in dict(settings.LANGUAGES):
            response["Location"] = translate_url(location, user.preferred_language)
        return response

    def send_mail(self, template_prefix, email, context):
        """Greet and sign off as Harambee. Without django.contrib.sites, allauth names the site
        after the request's host ("Hello from 127.0.0.1:8000!"); the domain stays the host,
        which the links in the email use too."""
        domain = get_current_site(allauth_context.request).domain
        site = EmailSite(name=settings.HARAMBEE_SITE_NAME, domain=domain)
        context = {**context, "current_site": site}
        language = _recipient_language(email, context.get("user"))
        if not language:
            super().send_mail(template_prefix, email, context)
            return
        # Whoever asked (a visitor on the English page, an admin re-sending a confirmation),
        # a known account's emails are written in its own language, links included.
        for key in _LINKS:
            if context.get(key):
                context[key] = translate_url(context[key], language)
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


# The links allauth puts in its emails, built in the language of the request.
_LINKS = ("activate_url", "password_reset_url", "signup_url")


def _recipient_language(email: str, user) -> str:
    """The preferred language of the account the email goes to ("" when it is nobody's)."""
    if user is None or not getattr(user, "pk", None):
        user = User.objects.filter(email__iexact=email).only("preferred_language").first()
    language = user.preferred_language if user is not None else ""
    return language if language in dict(settings.LANGUAGES) else ""
