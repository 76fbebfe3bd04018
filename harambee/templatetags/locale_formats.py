"""Amounts of money as each language writes them: "KES 250,000", "250 000 KES", "250.000 KES".

The order of the amount and its ISO 4217 code is ``MONEY_FORMAT`` in the language's module
under harambee/formats/ (after CLDR's currency patterns); the digits are the language's
number format. A no-break space keeps the code on the amount's line.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format

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
