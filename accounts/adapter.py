"""allauth adapter: accounts start in the visitor's language and sign in to their own, and
the emails allauth sends name Harambee."""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import translation


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
        super().send_mail(template_prefix, email, {**context, "current_site": site})
