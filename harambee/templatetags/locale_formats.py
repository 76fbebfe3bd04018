"""Amounts of money and country names as each language writes them.

Amounts: "KES 250,000", "250 000 KES", "250.000 KES". The order of the amount and its ISO
4217 code is ``MONEY_FORMAT`` in the language's module under harambee/formats/ (after
CLDR's currency patterns); the digits are the language's number format. A no-break space
keeps the code on the amount's line.

Country names: django-countries' own (``Country.name``), remembered per language.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django_countries import countries

register = template.Library()

_DEFAULT_MONEY_FORMAT = "{amount}\xa0{currency}"


def money_text(amount, currency: str) -> str:
    """``amount`` in whole units with the active language's grouping, and its currency code."""
    pattern = get_format("MONEY_FORMAT")
    if pattern == "MONEY_FORMAT":  # a language without one: Django returns the name
        pattern = _DEFAULT_MONEY_FORMAT
    return pattern.format(amount=floatformat(amount, "0g"), currency=currency)


@register.filter
def money(amount, currency: str) -> str:
    """``{{ contribution.amount|money:contribution.currency }}``."""
    if amount is None or amount == "":
        return ""
    return money_text(amount, currency)


# (language, code) -> name. django-countries translates a name on every ``Country.name``,
# some 50 µs, and a list of cards names dozens of countries; the catalogues do not change
# while a process runs, so each name is looked up once per process and language.
_country_names: dict[tuple[str | None, str], str] = {}


def country_name(code) -> str:
    """The name of a country (a code or a ``Country``) in the active language, exactly as
    ``Country.name`` says it; empty for an unknown code."""
    key = (get_language(), str(code))
    name = _country_names.get(key)
    if name is None:
        name = _country_names.setdefault(key, countries.name(key[1]))
    return name


@register.filter(name="country_name")
def country_name_filter(code) -> str:
    """``{{ partnership.recipient_countries.0|country_name }}``."""
    return country_name(code) if code else ""
