"""Content in the reader's language: every translatable record knows the language it was
written in (its original), and its other languages' columns hold translations.

The columns are django-modeltranslation's (``title_en``, ``title_fr``, ...). A record's
``source_language`` says which of them is the original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from harambee.i18n import language_codes


def source_language_field() -> models.CharField:
    """The language a record was written in; set by the services from the author's
    interface language (existing records were written in English)."""
    return models.CharField(
        _("written in"),
        max_length=7,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the original text; the others are translations."),
    )


def author_language() -> str:
    """The interface language of whoever writes now: the source language of what they write."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    return language if language in language_codes() else settings.LANGUAGE_CODE
