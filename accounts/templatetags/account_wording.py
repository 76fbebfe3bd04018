"""allauth's page wording in the site's sentence case, in English.

The account pages are allauth's and keep allauth's msgids ("Sign In", "Reset My Password"),
which allauth's catalogues and ours (see ``accounts/allauth_strings.py``) translate in every
shipped language. English, the source language, has no catalogue that could reword them, so
the site's English wording for them is here. It is applied where allauth lets a site change
its pages without copying them: the element templates for headings, buttons and form fields
(``templates/allauth/elements/``) and the page titles (``templates/account/``). In any other
language the text is left as translated.
"""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()

# allauth's English (its msgid) -> the site's. Only strings the account pages show.
SENTENCE_CASE = {
    "Account Inactive": "Account inactive",
    "Add Email": "Add email",
    "Add Email Address": "Add an email address",
    "Bad Token": "Invalid link",
    "Change Password": "Change password",
    "Confirm Access": "Confirm access",
    "Confirm Email Address": "Confirm your email address",
    "Current Password": "Current password",
    "Email Addresses": "Email addresses",
    "Make Primary": "Make primary",
    "New Password": "New password",
    "New Password (again)": "New password (again)",
    "Password Reset": "Password reset",
    "Re-send Verification": "Re-send verification",
    "Remember Me": "Remember me",
    "Reset My Password": "Reset my password",
    "Set Password": "Set password",
    "Sign In": "Sign in",
    "Sign Out": "Sign out",
    "Sign Up": "Sign up",
    "Signup": "Sign up",
    "Verify Your Email Address": "Verify your email address",
}


def _in_english() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0] == "en"


@register.filter(is_safe=True)
def site_wording(text):
    """``text`` (allauth's, as rendered) in the site's wording when the page is in English."""
    if not _in_english():
        return text
    return SENTENCE_CASE.get(" ".join(str(text).split()), text)


@register.simple_tag
def site_label_tag(field):
    """The field's ``<label>``, its text in the site's wording."""
    return field.label_tag(contents=site_wording(field.label))
