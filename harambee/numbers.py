"""The one rule for digits typed into number fields, on pages, in imports and in the API.

People type numbers on phones with Arabic, Persian or Devanagari keyboards, or paste them
from documents written in those scripts, so a number field accepts the decimal digits of
any script (Unicode category Nd: "١٢٣", "१२३", "１２３") and reads them as ASCII digits.
The Arabic decimal separator "٫" counts as a decimal point. Nothing else is converted:

- All digits of one number must come from the same script. "1٢3" is refused: no keyboard
  produces it, and mixed digits are how a number is made to look like another (Unicode
  UTS #39, "mixed-number detection": Bengali "৪" is 4 but looks like 8, and Arabic-Indic
  "٠" is 0 but looks like a dot, so "1٠5" reads as 1.5 and would be 105).
- Superscripts ("²"), circled digits ("①"), fractions, Roman and CJK numerals are not
  decimal digits and stay refused. NFKC normalisation would turn "1²" into "12", which is
  why it is not used.
- Thousands separators ("1,234", "12 345" with a no-break space, "١٢٬٣٤٥") stay refused,
  as ASCII "1,234" already is: a comma is a thousands separator in English and a decimal
  comma in French and Spanish. Spaces around the number are ignored, as before.

Python's ``int()`` and ``Decimal()`` already accept any Nd digits (mixed ones too), and so
do Django's number fields by way of them. The fields here convert first and check the
script, so the result never depends on those internals.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "DecimalField",
    "DigitRuleMixin",
    "FloatField",
    "IntegerField",
    "apply_digit_rule",
    "normalise_digits",
]

_ARABIC_DECIMAL_SEPARATOR = "\u066b"


def normalise_digits(text: str) -> str:
    """Return ``text`` with every Unicode decimal digit replaced by its ASCII digit.

    The Arabic decimal separator becomes ".". Raises ``ValidationError`` (code
    ``"mixed_digits"``) when the digits come from more than one script. Every other
    character is left alone, for the number field to accept or refuse.
    """
    if text.isascii():
        return text
    scripts = set()
    converted = []
    for char in text:
        if char.isdecimal():  # exactly the Unicode category Nd
            value = unicodedata.decimal(char)
            # Each script's digits are ten consecutive code points, so the zero names it.
            scripts.add(ord(char) - value)
            converted.append(str(value))
        elif char == _ARABIC_DECIMAL_SEPARATOR:
            converted.append(".")
        else:
            converted.append(char)
    if len(scripts) > 1:
        raise ValidationError(_mixed_digits_message(), code="mixed_digits")
    return "".join(converted)


def _mixed_digits_message() -> str:
    return _("Write all the digits of this number in the same script, for example 125 or ١٢٥.")


class DigitRuleMixin:
    """Apply ``normalise_digits`` to the submitted text before the field parses it."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalise_digits(value)
        return super().to_python(value)  # type: ignore[misc]


class IntegerField(DigitRuleMixin, forms.IntegerField):
    """``forms.IntegerField`` that accepts the digits of any one script."""


class DecimalField(DigitRuleMixin, forms.DecimalField):
    """``forms.DecimalField`` that accepts the digits of any one script."""


class FloatField(DigitRuleMixin, forms.FloatField):
    """``forms.FloatField`` that accepts the digits of any one script."""


_RULE_CLASSES: dict[type, type] = {
    forms.IntegerField: IntegerField,
    forms.DecimalField: DecimalField,
    forms.FloatField: FloatField,
}


def apply_digit_rule(form: forms.BaseForm) -> None:
    """Give every number field of this form instance the digit rule, in place.

    For forms whose fields were not declared with the classes above (the spreadsheet
    import applies it to each row form). Fields that already have the rule are left
    alone, so calling this twice, or on a form that uses the classes above, changes
    nothing. ``form.fields`` is the instance's own copy, so the form class is untouched.
    """
    for field in form.fields.values():
        # DecimalField and FloatField are subclasses of IntegerField in Django.
        if isinstance(field, forms.IntegerField) and not isinstance(field, DigitRuleMixin):
            # Swapping the class keeps every option the field was built with (limits,
            # messages, widget), which rebuilding it from arguments could not.
            field.__class__ = _with_digit_rule(type(field))


@functools.cache
def _with_digit_rule(field_class: type) -> type:
    if field_class in _RULE_CLASSES:
        return _RULE_CLASSES[field_class]
    return type(field_class.__name__, (DigitRuleMixin, field_class), {"__module__": __name__})
