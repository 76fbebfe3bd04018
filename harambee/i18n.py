"""Language helpers shared by the apps."""

from django.conf import settings
from django.db.models import Q


def language_codes() -> list[str]:
    """The codes of the languages Harambee ships, the default first."""
    return [code for code, _name in settings.LANGUAGES]


def translated_icontains(field: str, text: str) -> Q:
    """Match text in any language's copy of a modeltranslation field.

    modeltranslation rewrites a lookup on ``field`` to the active language only,
    so a French visitor would not find a partnership written in English.
    """
    query = Q()
    for code in language_codes():
        query |= Q(**{f"{field}_{code}__icontains": text})
    return query


def translated_fields(field: str) -> list[str]:
    """A modeltranslation field and every language's copy of it (for ``defer()``)."""
    return [field, *(f"{field}_{code}" for code in language_codes())]
