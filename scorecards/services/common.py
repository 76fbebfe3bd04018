"""What the scorecards services share: numbers as people type them, the public version,
the order of new rows, and status.py's refusals as form errors."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from harambee import pagecache
from harambee.numbers import normalise_digits
from partnerships.models import Partnership
from scorecards import status
from scorecards.models import IndicatorMeasure

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def public_changed(partnership: Partnership) -> None:
    """What the public scorecard shows changed: replace cached public pages on commit.

    (``harambee.services.save_new``/``save_changes`` bump on every write too; this says
    which writes the scorecard depends on, and bumps once per transaction anyway.)"""
    if partnership.is_public:
        pagecache.bump()


def next_order(rows: QuerySet) -> int:
    """The ``order`` of a row added after ``rows``."""
    last = rows.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


# --- numbers -------------------------------------------------------------------------------


def parse_number(raw: Any, *, field: str = "value") -> Decimal | None:
    """A number typed by a person or sent by a program, as a ``Decimal`` (None if empty).

    Digits of any one script are read as ASCII (``harambee.numbers``); "N/A", words,
    thousands separators, exponents, NaN and infinity are refused with a message.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError({field: _not_a_number(raw)}, code="not_a_number")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValidationError({field: _not_a_number(raw)}, code="not_a_number")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        raw = repr(raw)
    text = normalise_digits(str(raw).strip())
    if not _NUMBER.match(text):
        raise ValidationError({field: _not_a_number(raw)}, code="not_a_number")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already refused it
        raise ValidationError({field: _not_a_number(raw)}, code="not_a_number") from error


def plain(number: Decimal) -> str:
    """A number as typed: 70, 12.5 (no exponent, no trailing zeros)."""
    return format(number.normalize(), "f")


def _not_a_number(raw: Any) -> str:
    return _(
        "“%(text)s” is not a number. Enter a number, for example 42 or 12.5. If there is "
        "no value for this period, tick “no value for this period” and say why in the comment."
    ) % {"text": str(raw)[:40]}


# --- indicators ----------------------------------------------------------------------------


def measure_of(measure: int) -> status.Measure:
    return status.Measure[IndicatorMeasure(measure).name]


def fact_errors(error: status.FactError, fields: Mapping[str, str]) -> ValidationError:
    """``scorecards.status`` refused some facts: its messages on this caller's fields."""
    errors: dict[str, list[str]] = defaultdict(list)
    for name, message in error.errors.items():
        errors[fields.get(name, name)].append(message)
    return ValidationError(dict(errors), code="refused_fact")


def whole_number(raw: Any, *, field: str) -> int | None:
    """A number of people: a whole number from 0 (None if not given)."""
    number = parse_number(raw, field=field)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValidationError(
            {field: _("Give the number of people as a whole number from 0.")}, code="people"
        )
    return int(number)
