"""Readings: drafts, disaggregated values, submission, verification, returns, corrections."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from communities.dimensions import DIMENSIONS, is_known
from harambee.numbers import normalise_digits
from harambee.services import save_changes, save_new
from harambee.transitions import CHANGE_REASON_MAX_LENGTH, lock, transition
from partnerships.models import Organisation
from scorecards import status
from scorecards.models import (
    EDITABLE_STATES,
    NUMERIC_MEASURES,
    DisaggregatedValue,
    Evidence,
    Indicator,
    IndicatorMeasure,
    Reading,
    ReadingStatus,
    RubricLevel,
)
from scorecards.permissions import verification_refusal, verifier_ids
from scorecards.services.common import (
    fact_errors,
    parse_number,
    plain,
    public_changed,
    whole_number,
)
from scorecards.tasks import notify_reading_returned, notify_reading_submitted

READING_FIELDS = (
    "period_start",
    "period_end",
    "value",
    "level",
    "narrative",
    "people",
    "value_missing",
    "comment",
    "reported_for",
)


def _level_of(indicator: Indicator, level: Any) -> RubricLevel | None:
    """The rubric level named by number (or given as a level of this indicator)."""
    if level is None or level == "":
        return None
    if isinstance(level, RubricLevel):
        number = level.number if level.indicator_id == indicator.pk else None
    else:
        try:
            number = int(normalise_digits(str(level).strip()))
        except ValueError:
            number = None
    found = indicator.levels.filter(number=number).first() if number is not None else None
    if found is None:
        raise ValidationError(
            {"level": _("Choose one of the indicator's rubric levels.")}, code="not_a_level"
        )
    return found


def _clean_reading(indicator: Indicator, values: dict, *, reading: Reading | None) -> dict:
    """Check a reading's values against its indicator; returns them normalised."""
    values = dict(values)
    values["value"] = parse_number(values.get("value"))
    values["level"] = _level_of(indicator, values.get("level"))
    values["narrative"] = (values.get("narrative") or "").strip()
    values["comment"] = (values.get("comment") or "").strip()
    values["value_missing"] = bool(values.get("value_missing"))
    values["people"] = whole_number(values.get("people"), field="people")
    _check_content(indicator, values)
    _check_period(indicator, values, reading=reading)
    return values


def _check_content(indicator: Indicator, values: dict) -> None:
    measure = IndicatorMeasure(indicator.measure)
    value, level, narrative = values["value"], values["level"], values["narrative"]
    if values["value_missing"]:
        if value is not None or level is not None or narrative:
            raise ValidationError(
                _("A reading marked “no value for this period” has no value, level or narrative."),
                code="missing_with_value",
            )
        if not values["comment"]:
            raise ValidationError(
                {"comment": _("Say in the comment why there is no value for this period.")},
                code="missing_without_reason",
            )
        return
    uses_levels = indicator.uses_levels
    if uses_levels:
        if value is not None:
            raise ValidationError(
                {"value": _("This indicator is scored with its rubric: choose a level.")}
            )
    elif level is not None:
        raise ValidationError({"level": _("This indicator has no rubric levels.")})
    if measure in (IndicatorMeasure.UNIT, IndicatorMeasure.PERCENTAGE, IndicatorMeasure.NOMINAL):
        if narrative:
            raise ValidationError(
                {"narrative": _("Put any explanation of a number in the comment.")}
            )
    elif measure == IndicatorMeasure.QUALITATIVE and not uses_levels and value is not None:
        raise ValidationError({"value": _("Qualitative indicators take a narrative.")})
    percentage = measure == IndicatorMeasure.PERCENTAGE
    if percentage and value is not None and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"value": _("A percentage is between 0 and 100.")})
    if indicator.cumulative and value is not None and value < 0:
        raise ValidationError(
            {"value": _("A cumulative indicator adds up what each period achieved: 0 or more.")}
        )


def _check_period(indicator: Indicator, values: dict, *, reading: Reading | None) -> None:
    start, end = values["period_start"], values["period_end"]
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if end > timezone.localdate():
        raise ValidationError(
            {"period_end": _("Report a period once it has ended (it ends on a later date).")}
        )
    try:
        status.check_reading_period(indicator.baseline_date, end)
    except status.FactError as error:
        raise fact_errors(error, {}) from error
    others = Reading.objects.filter(
        indicator=indicator, period_start__lte=end, period_end__gte=start
    ).exclude(status=ReadingStatus.SUPERSEDED)
    if reading is not None and reading.pk:
        others = others.exclude(pk=reading.pk)
    corrected = values.get("supersedes") or (reading.supersedes if reading else None)
    if corrected is not None:
        others = others.exclude(pk=corrected.pk)
    if others.exists():
        raise ValidationError(
            {
                "period_start": _(
                    "Another reading of this indicator covers part of this period. Correct "
                    "or complete that reading instead."
                )
            },
            code="overlap",
        )


def _clean_disaggregations(
    indicator: Indicator, values: dict, rows: Iterable[Mapping]
) -> list[dict]:
    """Disaggregated values: known categories of the indicator's dimensions, each once,
    with the group's number of people. The groups of a dimension hold no more people
    than the reading is about, and, for counts, add up to no more than its value."""
    rows = list(rows)
    if not rows:
        return []
    if values["value_missing"] or indicator.measure not in NUMERIC_MEASURES:
        raise ValidationError(
            {"disaggregations": _("Only readings with a number are disaggregated.")}
        )
    if values["people"] is None:
        raise ValidationError(
            {"people": _("Give the number of people the value is about, to break it down.")},
            code="people_required",
        )
    cleaned = [_clean_cell(indicator, row) for row in rows]
    cells = [(cell["dimension"], cell["category"]) for cell in cleaned]
    if len(set(cells)) != len(cells):
        raise ValidationError({"disaggregations": _("Give each group one value.")}, code="twice")
    people: dict[str, int] = defaultdict(int)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for cell in cleaned:
        people[cell["dimension"]] += cell["people"]
        sums[cell["dimension"]] += cell["value"] or 0
    for dimension, held in people.items():
        label = str(DIMENSIONS[dimension].label).lower()
        if held > values["people"]:
            raise ValidationError(
                {
                    "disaggregations": _(
                        "The %(dimension)s groups hold %(sum)s people, more than the "
                        "%(total)s the value is about."
                    )
                    % {"dimension": label, "sum": held, "total": values["people"]}
                },
                code="too_many_people",
            )
        total = values["value"]
        counts = indicator.measure == IndicatorMeasure.UNIT and total is not None and total >= 0
        if counts and sums[dimension] > total:
            raise ValidationError(
                {
                    "disaggregations": _(
                        "The %(dimension)s values add up to %(sum)s, more than the "
                        "reading's %(total)s."
                    )
                    % {"dimension": label, "sum": plain(sums[dimension]), "total": plain(total)}
                },
                code="more_than_total",
            )
    return cleaned


def _clean_cell(indicator: Indicator, row: Mapping) -> dict:
    dimension, category = row.get("dimension", ""), row.get("category", "")
    if dimension not in indicator.dimensions:
        raise ValidationError(
            {
                "disaggregations": _("This indicator is not disaggregated by “%(dimension)s”.")
                % {"dimension": dimension}
            }
        )
    if not is_known(dimension, category):
        raise ValidationError(
            {
                "disaggregations": _("“%(category)s” is not a category of %(dimension)s.")
                % {"category": category, "dimension": DIMENSIONS[dimension].label}
            }
        )
    value = parse_number(row.get("value"), field="disaggregations")
    people = whole_number(row.get("people"), field="disaggregations")
    if people is None:
        raise ValidationError(
            {"disaggregations": _("Give the number of people in each group.")}, code="people"
        )
    if value is not None:
        percentage = indicator.measure == IndicatorMeasure.PERCENTAGE
        if percentage and not 0 <= value <= 100:
            raise ValidationError({"disaggregations": _("A percentage is between 0 and 100.")})
        if people == 0:
            raise ValidationError({"disaggregations": _("A group of no people has no value.")})
    return {"dimension": dimension, "category": category, "value": value, "people": people}


def _save_disaggregations(reading: Reading, rows: list[dict]) -> None:
    reading.disaggregations.all().delete()
    for row in rows:
        save_new(DisaggregatedValue(reading=reading, **row))


@transaction.atomic
def reading_create(
    *,
    indicator: Indicator,
    by: User | None,
    period_start: date,
    period_end: date,
    value: Any = None,
    level: Any = None,
    narrative: str = "",
    people: Any = None,
    value_missing: bool = False,
    comment: str = "",
    disaggregations: Iterable[Mapping] = (),
    reported_for: Organisation | None = None,
    supersedes: Reading | None = None,
) -> Reading:
    """Record a reading as a draft: a number (unit, percentage, nominal), a rubric level
    (by number) or a narrative, or ``value_missing`` with a comment saying why.
    ``disaggregations`` are mappings of dimension, category, value and people (the
    group's size); ``people`` is how many people the value is about (required with them).
    ``reported_for`` defaults to the indicator's reporting partner's organisation."""
    stored = lock(indicator)  # serialises the overlap check of concurrent readings
    if supersedes is not None and supersedes.indicator_id != stored.pk:
        raise ValueError("A correction corrects a reading of the same indicator.")
    values = _clean_reading(
        stored,
        {
            "period_start": period_start,
            "period_end": period_end,
            "value": value,
            "level": level,
            "narrative": narrative,
            "people": people,
            "value_missing": value_missing,
            "comment": comment,
            "supersedes": supersedes,
        },
        reading=None,
    )
    cells = _clean_disaggregations(stored, values, disaggregations)
    if reported_for is None:
        reported_for = stored.reporting_partner.organisation
    reading = save_new(
        Reading(
            indicator=stored,
            reported_by=by,
            reported_for=reported_for,
            status=ReadingStatus.DRAFT,
            **values,
        )
    )
    _save_disaggregations(reading, cells)
    return reading


def _editable_reading(reading: Reading) -> Reading:
    locked = lock(reading)
    if locked.status not in EDITABLE_STATES:
        raise ValidationError(
            _(
                "Only a draft or returned reading can be changed. A verified reading is "
                "corrected with a new reading that supersedes it."
            ),
            code="not_editable",
        )
    return locked


@transaction.atomic
def reading_update(
    *, reading: Reading, disaggregations: Iterable[Mapping] | None = None, **fields: Any
) -> Reading:
    """Change a draft or returned reading (None keeps its disaggregated values)."""
    lock(reading.indicator)
    stored = _editable_reading(reading)
    unknown = set(fields) - set(READING_FIELDS)
    if unknown:
        raise ValueError(f"Not a field a reporter changes: {sorted(unknown)}")
    indicator = stored.indicator
    current = {name: getattr(stored, name) for name in READING_FIELDS}
    values = _clean_reading(indicator, {**current, **fields}, reading=stored)
    if disaggregations is None:
        disaggregations = stored.disaggregations.values("dimension", "category", "value", "people")
    cells = _clean_disaggregations(indicator, values, disaggregations)
    save_changes(reading, {name: values[name] for name in READING_FIELDS})
    _save_disaggregations(stored, cells)
    return reading


@transaction.atomic
def reading_delete(*, reading: Reading) -> None:
    """Discard a draft that was never submitted (submitted ones stay on the record)."""
    stored = lock(reading)
    if stored.status != ReadingStatus.DRAFT or stored.submitted_at is not None:
        raise ValidationError(
            _("Only a draft that was never submitted can be discarded."), code="not_draft"
        )
    files = [e.file.name for e in stored.evidence.all() if e.file]
    storage = Evidence._meta.get_field("file").storage
    stored.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


def _ready_to_submit(indicator: Indicator):
    def check(locked: Reading) -> None:
        if not locked.value_missing and not locked.has_value:
            raise ValidationError(
                _(
                    "Enter the value before submitting, or tick “no value for this period” "
                    "and say why in the comment."
                ),
                code="no_value",
            )
        current = {name: getattr(locked, name) for name in READING_FIELDS}
        _clean_reading(indicator, current, reading=locked)

    return check


@transaction.atomic
def reading_submit(*, reading: Reading, by: User | None) -> Reading:
    """Draft or returned -> submitted for verification; ``by`` becomes the reporter,
    whom the maker/checker rule keeps from verifying it. The verifiers are told."""
    indicator = lock(reading.indicator)
    transition(
        reading,
        allowed_from=EDITABLE_STATES,
        to=ReadingStatus.SUBMITTED,
        refusal=_("Only a draft or returned reading can be submitted."),
        code="not_editable",
        check=_ready_to_submit(indicator),
        changes={"submitted_at": timezone.now(), "reported_by": by},
    )
    for user_id in verifier_ids(reading):
        transaction.on_commit(partial(notify_reading_submitted.delay, reading.pk, user_id))
    return reading


def _checker(by: User | None):
    def check(locked: Reading) -> None:
        refusal = verification_refusal(by, locked)
        if refusal:
            raise ValidationError(refusal, code="not_a_verifier")

    return check


@transaction.atomic
def reading_verify(*, reading: Reading, by: User) -> Reading:
    """Submitted -> verified by staff of the lead partner who did not report it (or, when
    the lead's only staff member reported, of a funding partner). A correction, once
    verified, supersedes the reading it corrects; both stay in the history."""
    indicator = lock(reading.indicator)

    def check(locked: Reading) -> None:
        _checker(by)(locked)
        _ready_to_submit(indicator)(locked)

    now = timezone.now()
    locked = transition(
        reading,
        allowed_from={ReadingStatus.SUBMITTED},
        to=ReadingStatus.VERIFIED,
        refusal=_("Only a submitted reading can be verified."),
        code="not_submitted",
        check=check,
        changes={"verified_by": by, "verified_at": now},
    )
    if locked.supersedes_id is not None:
        transition(
            locked.supersedes,
            allowed_from={ReadingStatus.VERIFIED},
            to=ReadingStatus.SUPERSEDED,
            refusal=_("The reading this one corrects is no longer the verified one."),
            code="not_verified",
            changes={"superseded_at": now},
            reason=_("Corrected by a verified reading"),
        )
    public_changed(indicator.outcome.partnership)
    return reading


@transaction.atomic
def reading_return(*, reading: Reading, by: User, reason: str) -> Reading:
    """Submitted -> returned to the reporter with a reason, which stays in the reading's
    history with every earlier return. The reporter is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the reading goes back, so the reporter can correct it.")},
            code="reason",
        )
    lock(reading.indicator)
    transition(
        reading,
        allowed_from={ReadingStatus.SUBMITTED},
        to=ReadingStatus.RETURNED,
        refusal=_("Only a submitted reading can be returned."),
        code="not_submitted",
        # Platform admins may return a reading stuck with its verifiers (an admin
        # repair); verifying stays with the partnership.
        check=None if by.is_superuser else _checker(by),
        changes={"returned_by": by, "returned_at": timezone.now(), "return_reason": reason},
        reason=_short(reason),
    )
    transaction.on_commit(partial(notify_reading_returned.delay, reading.pk))
    return reading


def _short(text: str) -> str:
    """``text`` as a history change reason (the whole text stays in ``return_reason``)."""
    text = " ".join(text.split())
    if len(text) <= CHANGE_REASON_MAX_LENGTH:
        return text
    return text[: CHANGE_REASON_MAX_LENGTH - 1].rstrip() + "…"


@transaction.atomic
def reading_correct(*, reading: Reading, by: User | None, **fields: Any) -> Reading:
    """Start the correction of a verified reading: a new draft that supersedes it once
    verified (submit and verify it as any reading). Unspecified values, and the
    disaggregated ones, start as the verified reading's."""
    stored = lock(reading)
    if stored.status != ReadingStatus.VERIFIED:
        raise ValidationError(
            _("Only a verified reading is corrected; change a draft or returned one directly."),
            code="not_verified",
        )
    if Reading.objects.filter(supersedes=stored).exists():
        raise ValidationError(
            _("A correction of this reading is already under way: complete that one."),
            code="correction_exists",
        )
    unknown = set(fields) - set(READING_FIELDS) - {"disaggregations"}
    if unknown:
        raise ValueError(f"Not a field a reporter changes: {sorted(unknown)}")
    values = {name: getattr(stored, name) for name in READING_FIELDS}
    values["disaggregations"] = list(
        stored.disaggregations.values("dimension", "category", "value", "people")
    )
    values.update(fields)
    return reading_create(indicator=stored.indicator, by=by, supersedes=stored, **values)
