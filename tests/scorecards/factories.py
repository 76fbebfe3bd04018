"""Builders for scorecards test data, through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scorecards import services
from scorecards.models import IndicatorMeasure, Reading

BASELINE_DAY = date(2026, 1, 1)
FINAL_DAY = date(2027, 1, 1)
LEVELS = [
    (1, "Not at all", "Nobody trusts the information."),
    (2, "A little", "Some people use it sometimes."),
    (3, "Somewhat", "Most people use it, with doubts."),
    (4, "Mostly", "People rely on it."),
    (5, "Fully", "People rely on it and tell others."),
]


def make_outcome(partnership, by, *, partners=(), needs=(), **fields):
    values = {"title": "Farmers get fair prices", **fields}
    return services.outcome_create(
        partnership=partnership, by=by, responsible_partners=partners, needs=needs, **values
    )


def make_indicator(outcome, reporting_partner, **fields):
    """DESIGN.md's worked indicator unless ``fields`` say otherwise."""
    values = {
        "title": "Farmers receiving daily prices",
        "measure": IndicatorMeasure.UNIT,
        "unit_label": "farmers",
        "baseline_value": Decimal(0),
        "baseline_date": BASELINE_DAY,
        "targets": [{"date": FINAL_DAY, "value": Decimal(100)}],
        **fields,
    }
    return services.indicator_create(outcome=outcome, reporting_partner=reporting_partner, **values)


def make_ordinal(outcome, reporting_partner, **fields):
    values = {
        "title": "Trust in the price messages",
        "measure": IndicatorMeasure.ORDINAL,
        "baseline_value": 2,
        "targets": [(FINAL_DAY, 4)],
        "levels": LEVELS,
        **fields,
    }
    return make_indicator(outcome, reporting_partner, **values)


def quarter(end: date) -> date:
    """The first day of the quarter that ends on ``end``."""
    return date(end.year, end.month - 2, 1)


def draft(indicator, by, end: date, value="60", **fields) -> Reading:
    if "period_start" not in fields:
        fields["period_start"] = quarter(end)
    return services.reading_create(
        indicator=indicator, by=by, period_end=end, value=value, **fields
    )


def submitted(indicator, by, end: date, value="60", **fields) -> Reading:
    reading = draft(indicator, by, end, value, **fields)
    return services.reading_submit(reading=reading, by=by)


def verified(indicator, by, verifier, end: date, value="60", **fields) -> Reading:
    reading = submitted(indicator, by, end, value, **fields)
    return services.reading_verify(reading=reading, by=verifier)
