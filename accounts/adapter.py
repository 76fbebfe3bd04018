"""allauth adapter: accounts start in the visitor's language and sign in to their own."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils import translation


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
