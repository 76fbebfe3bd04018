"""What is measured: outcomes, indicators, baselines, targets, rubrics and revisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from communities.models import Need
from harambee.content import author_language
from harambee.services import save_changes, save_new
from harambee.transitions import lock
from partnerships.models import Partner, Partnership
from scorecards import status
from scorecards.models import (
    Indicator,
    IndicatorMeasure,
    Intention,
    Outcome,
    Reading,
    ReadingStatus,
    ResultType,
    Revision,
    RevisionKind,
    RevisionReason,
    RubricLevel,
    Target,
)
from scorecards.selectors import eligible_needs
from scorecards.services.common import (
    fact_errors,
    measure_of,
    next_order,
    parse_number,
    public_changed,
)

# --- outcomes ------------------------------------------------------------------------------


def _check_needs(partnership: Partnership, needs: Iterable[Need]) -> list[Need]:
    needs = list(needs)
    allowed = set(
        eligible_needs(partnership)
        .filter(pk__in=[n.pk for n in needs])
        .values_list("pk", flat=True)
    )
    if any(need.pk not in allowed for need in needs):
        raise ValidationError(
            {
                "needs": _(
                    "Link only needs from assessments validated with the community and "
                    "linked to this partnership."
                )
            },
            code="need_not_eligible",
        )
    return needs


def _check_partners(partnership: Partnership, partners: Iterable[Partner]) -> list[Partner]:
    partners = list(partners)
    if any(partner.partnership_id != partnership.pk for partner in partners):
        raise ValidationError(
            {"responsible_partners": _("Choose partners of this partnership.")},
            code="partner_elsewhere",
        )
    return partners


@transaction.atomic
def outcome_create(
    *,
    partnership: Partnership,
    by: User | None,
    title: str,
    level: int = ResultType.OUTCOME,
    intention: str = Intention.INTENDED,
    description: str = "",
    responsible_partners: Iterable[Partner] = (),
    needs: Iterable[Need] = (),
    **fields: Any,
) -> Outcome:
    """Add an outcome to a partnership, with the partners responsible for it and the
    community needs it addresses. ``fields`` may hold translations (``title_fr``...) and
    ``source_language`` (default: the author's language)."""
    lock(partnership)  # outcomes are numbered one after the other
    partners = _check_partners(partnership, responsible_partners)
    linked = _check_needs(partnership, needs)
    fields.setdefault("source_language", author_language())
    fields.setdefault("order", next_order(Outcome.objects.filter(partnership=partnership)))
    outcome = save_new(
        Outcome(
            partnership=partnership,
            title=title,
            level=level,
            intention=intention,
            description=description,
            created_by=by,
            **fields,
        )
    )
    outcome.responsible_partners.set(partners)
    outcome.needs.set(linked)
    public_changed(partnership)
    return outcome


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    responsible_partners: Iterable[Partner] | None = None,
    needs: Iterable[Need] | None = None,
    **fields: Any,
) -> Outcome:
    """Change an outcome's text, level or intention, its responsible partners or the
    needs it addresses (None leaves a link list as it is)."""
    stored = lock(outcome)
    partnership = stored.partnership
    if "partnership" in fields or "partnership_id" in fields:
        raise ValueError("An outcome stays in its partnership.")
    partners = (
        None if responsible_partners is None else _check_partners(partnership, responsible_partners)
    )
    linked = None if needs is None else _check_needs(partnership, needs)
    if fields:
        save_changes(outcome, fields)
        # The link changes below are recorded in the history from this copy: the saved one.
        stored = lock(outcome)
    if partners is not None:
        stored.responsible_partners.set(partners)
    if linked is not None:
        stored.needs.set(linked)
    public_changed(partnership)
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome) -> None:
    """Remove an outcome defined by mistake; refused once any of its indicators has
    readings (the record stays: revise, or add an outcome, instead)."""
    stored = lock(outcome)
    if Reading.objects.filter(indicator__outcome=stored).exists():
        raise ValidationError(
            _("This outcome has readings and stays on the record."), code="has_readings"
        )
    partnership = stored.partnership
    stored.delete()
    public_changed(partnership)


# status.py names the target's fields "day" and "value"; indicator forms list targets.
IN_TARGET_LIST = {"day": "targets", "value": "targets", "cumulative": "cumulative"}
ON_TARGET = {"day": "date", "value": "value", "targets": "date"}


def _uses_levels(measure: int, level_numbers: Iterable[int]) -> bool:
    if measure == IndicatorMeasure.ORDINAL:
        return True
    return measure == IndicatorMeasure.QUALITATIVE and bool(list(level_numbers))


def _check_plan(
    *,
    measure: int,
    higher_is_better: bool,
    cumulative: bool,
    baseline_value: Decimal | None,
    baseline_date: date,
    targets: list[tuple[date, Decimal | None]],
    level_numbers: list[int],
    fields: Mapping[str, str] = IN_TARGET_LIST,
) -> None:
    """The measure, the baseline, the targets and the rubric fit each other; target
    errors land on ``fields`` (status.py's names mapped to the caller's)."""
    measure = IndicatorMeasure(measure)
    levels = _uses_levels(measure, level_numbers)
    try:
        status.check_measure(measure=measure_of(measure), cumulative=cumulative)
    except status.FactError as error:
        raise fact_errors(error, fields) from error
    if measure == IndicatorMeasure.ORDINAL and len(level_numbers) < 2:
        raise ValidationError(
            {"levels": _("An ordinal indicator needs a rubric of at least two levels.")}
        )
    if measure == IndicatorMeasure.QUALITATIVE and len(level_numbers) == 1:
        raise ValidationError({"levels": _("A rubric needs at least two levels.")})
    if level_numbers and measure not in (IndicatorMeasure.ORDINAL, IndicatorMeasure.QUALITATIVE):
        raise ValidationError(
            {"levels": _("Only ordinal and qualitative indicators have rubric levels.")}
        )
    if len(set(level_numbers)) != len(level_numbers):
        raise ValidationError({"levels": _("Number each rubric level once.")})
    if not targets:
        raise ValidationError(
            {fields.get("targets", "targets"): _("Give at least one dated target.")}
        )
    # Everything but a qualitative indicator without a rubric has a baseline and targets
    # with values; that one has dated targets only (its status is reported or not).
    scored = levels or measure != IndicatorMeasure.QUALITATIVE
    _check_value(measure, levels, level_numbers, baseline_value, "baseline_value", scored)
    for _day, value in targets:
        _check_value(measure, levels, level_numbers, value, fields.get("value", "value"), scored)
    try:
        status.check_targets(
            baseline=status.Point(baseline_date, baseline_value),
            targets=[status.Point(day, value) for day, value in targets],
            higher_is_better=higher_is_better,
            measure=measure_of(measure),
            has_rubric=levels,
        )
    except status.FactError as error:
        raise fact_errors(error, fields) from error


def _check_value(measure, levels: bool, level_numbers, value, field: str, required: bool):
    if value is None:
        if required:
            raise ValidationError({field: _("Enter a value.")}, code="required")
        return
    if levels and value not in level_numbers:
        raise ValidationError(
            {field: _("Use the number of one of the rubric levels.")}, code="not_a_level"
        )
    if not required and not levels:
        raise ValidationError(
            {field: _("Qualitative indicators without a rubric take no value.")}, code="no_value"
        )
    if measure == IndicatorMeasure.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({field: _("A percentage is between 0 and 100.")}, code="range")


def _targets_from(targets: Iterable[Mapping | tuple]) -> list[dict]:
    """Targets as dicts of date, value (parsed) and comment; tuples are (date, value)."""
    rows = []
    for target in targets:
        if not isinstance(target, Mapping):
            target = {"date": target[0], "value": target[1]}
        rows.append(
            {
                "date": target["date"],
                "value": parse_number(target.get("value"), field="targets"),
                "comment": target.get("comment", "") or "",
            }
        )
    return sorted(rows, key=lambda row: row["date"])


def _levels_from(levels: Iterable[Mapping | tuple]) -> list[dict]:
    """Rubric levels as dicts of number, label, description (and translations)."""
    rows = []
    for level in levels:
        if not isinstance(level, Mapping):
            level = dict(zip(("number", "label", "description"), level, strict=False))
        rows.append({"description": "", **level, "number": int(level["number"])})
    return sorted(rows, key=lambda row: row["number"])


def _check_reporting_partner(outcome: Outcome, partner: Partner) -> None:
    if partner.partnership_id != outcome.partnership_id:
        raise ValidationError(
            {"reporting_partner": _("Choose a partner of this partnership.")},
            code="partner_elsewhere",
        )


@transaction.atomic
def indicator_create(
    *,
    outcome: Outcome,
    title: str,
    measure: int,
    reporting_partner: Partner,
    baseline_date: date,
    targets: Iterable[Mapping | tuple],
    baseline_value: Any = None,
    levels: Iterable[Mapping | tuple] = (),
    **fields: Any,
) -> Indicator:
    """Define how an outcome is measured: the measure, the baseline, one or more dated
    targets (mappings of date, value, comment; or (date, value) pairs) and, for ordinal
    and rubric-scored qualitative indicators, the rubric levels (number, label,
    description). ``fields`` are the indicator's other fields and translations."""
    stored = lock(outcome)
    _check_reporting_partner(stored, reporting_partner)
    baseline = parse_number(baseline_value, field="baseline_value")
    target_rows = _targets_from(targets)
    level_rows = _levels_from(levels)
    _check_plan(
        measure=measure,
        higher_is_better=fields.get("higher_is_better", True),
        cumulative=fields.get("cumulative", False),
        baseline_value=baseline,
        baseline_date=baseline_date,
        targets=[(row["date"], row["value"]) for row in target_rows],
        level_numbers=[row["number"] for row in level_rows],
    )
    fields.setdefault("source_language", author_language())
    fields.setdefault("order", next_order(Indicator.objects.filter(outcome=stored)))
    if "dimensions" in fields:
        fields["dimensions"] = list(fields["dimensions"])
    indicator = save_new(
        Indicator(
            outcome=stored,
            title=title,
            measure=measure,
            reporting_partner=reporting_partner,
            baseline_date=baseline_date,
            baseline_value=baseline,
            **fields,
        )
    )
    for row in level_rows:
        row.setdefault("source_language", indicator.source_language)
        save_new(RubricLevel(indicator=indicator, **row))
    for row in target_rows:
        save_new(Target(indicator=indicator, **row))
    public_changed(stored.partnership)
    return indicator


# Once readings exist these stay: the readings were made against them. Baselines and
# targets change through baseline_change and target_* (with a reason).
FIXED_ONCE_READ = ("measure", "cumulative", "higher_is_better", "band")
PLAN_FIELDS = ("baseline_value", "baseline_date", "baseline_comment", "targets")


def has_readings(indicator: Indicator) -> bool:
    """Any reading, draft or not: from then on the goalposts move only with a reason."""
    return Reading.objects.filter(indicator_id=indicator.pk).exists()


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, levels: Iterable[Mapping | tuple] | None = None, **fields: Any
) -> Indicator:
    """Change an indicator's definition, plan, cadence, reporting partner or
    disaggregation; ``levels`` replaces the rubric (None keeps it).

    Once readings exist the measure, direction, cumulation, band and rubric stay as they
    are; the baseline and targets never change here (``baseline_change``, ``target_*``).
    """
    stored = lock(indicator)
    if set(fields) & set(PLAN_FIELDS) or "outcome" in fields:
        raise ValueError("Use baseline_change and target_* for the baseline and targets.")
    read = has_readings(stored)
    if read:
        fixed = [
            name
            for name in FIXED_ONCE_READ
            if name in fields and fields[name] != getattr(stored, name)
        ]
        if fixed or levels is not None:
            raise ValidationError(
                _(
                    "Readings exist: the measure, direction, cumulation, at-risk band and "
                    "rubric of this indicator can no longer change. Define a new indicator "
                    "instead."
                ),
                code="fixed_once_read",
            )
    if "reporting_partner" in fields:
        _check_reporting_partner(stored.outcome, fields["reporting_partner"])
    if "dimensions" in fields:
        fields["dimensions"] = list(fields["dimensions"])
    level_rows = None if levels is None else _levels_from(levels)
    numbers = (
        [row["number"] for row in level_rows]
        if level_rows is not None
        else list(stored.levels.values_list("number", flat=True))
    )
    _check_plan(
        measure=fields.get("measure", stored.measure),
        higher_is_better=fields.get("higher_is_better", stored.higher_is_better),
        cumulative=fields.get("cumulative", stored.cumulative),
        baseline_value=stored.baseline_value,
        baseline_date=stored.baseline_date,
        targets=list(stored.targets.values_list("date", "value")),
        level_numbers=numbers,
    )
    if fields:
        save_changes(indicator, fields)
    if level_rows is not None:
        stored.levels.all().delete()
        for row in level_rows:
            row.setdefault("source_language", stored.source_language)
            save_new(RubricLevel(indicator=stored, **row))
    public_changed(stored.outcome.partnership)
    return indicator


def _reason(reason: str, reason_text: str) -> tuple[str, str]:
    """A revision reason from the list, and its explanation (required for "other")."""
    reason_text = (reason_text or "").strip()
    if reason not in RevisionReason.values:
        raise ValidationError(
            {
                "reason": _(
                    "Readings exist, so say why this changes: choose a reason from the list."
                )
            },
            code="reason_required",
        )
    if reason == RevisionReason.OTHER and not reason_text:
        raise ValidationError(
            {"reason_text": _("Explain the reason in a few words.")}, code="reason_text"
        )
    return reason, reason_text


def _revision(indicator: Indicator, kind: str, by, reason: tuple[str, str], **values) -> Revision:
    return save_new(
        Revision(
            indicator=indicator, kind=kind, by=by, reason=reason[0], reason_text=reason[1], **values
        )
    )


def _plan_of(indicator: Indicator) -> dict:
    return {
        "measure": indicator.measure,
        "higher_is_better": indicator.higher_is_better,
        "cumulative": indicator.cumulative,
        "baseline_value": indicator.baseline_value,
        "baseline_date": indicator.baseline_date,
        "targets": list(indicator.targets.order_by("date").values_list("date", "value")),
        "level_numbers": list(indicator.levels.values_list("number", flat=True)),
    }


@transaction.atomic
def baseline_change(
    *,
    indicator: Indicator,
    by: User | None,
    value: Any,
    date: date,
    comment: str | None = None,
    reason: str = "",
    reason_text: str = "",
) -> Indicator:
    """Set the baseline (value and date; ``comment`` None keeps it). Once readings exist
    a reason is required and a ``Revision`` records the change."""
    stored = lock(indicator)
    new_value = parse_number(value, field="baseline_value")
    plan = {**_plan_of(stored), "baseline_value": new_value, "baseline_date": date}
    _check_plan(**plan)
    early = Reading.objects.filter(indicator=stored, period_end__lt=date).exclude(
        status__in=[ReadingStatus.SUPERSEDED]
    )
    if early.exists():
        raise ValidationError(
            {"baseline_date": _("Readings end before this date: the baseline comes first.")},
            code="readings_before_baseline",
        )
    changes: dict[str, Any] = {"baseline_value": new_value, "baseline_date": date}
    if comment is not None:
        changes["baseline_comment"] = comment
    moved = (new_value, date) != (stored.baseline_value, stored.baseline_date)
    if moved and has_readings(stored):
        why = _reason(reason, reason_text)
        _revision(
            stored,
            RevisionKind.BASELINE,
            by,
            why,
            old_value=stored.baseline_value,
            old_date=stored.baseline_date,
            new_value=new_value,
            new_date=date,
        )
    save_changes(indicator, changes)
    public_changed(stored.outcome.partnership)
    return indicator


@transaction.atomic
def target_add(
    *,
    indicator: Indicator,
    by: User | None,
    date: date,
    value: Any,
    comment: str = "",
    reason: str = "",
    reason_text: str = "",
) -> Target:
    """Add a dated target; once readings exist, with a reason (a ``Revision``)."""
    stored = lock(indicator)
    new_value = parse_number(value, field="value")
    plan = _plan_of(stored)
    plan["targets"] = [*plan["targets"], (date, new_value)]
    _check_target_plan(plan)
    why = _reason(reason, reason_text) if has_readings(stored) else None
    target = save_new(Target(indicator=stored, date=date, value=new_value, comment=comment))
    if why:
        _revision(
            stored,
            RevisionKind.TARGET_ADDED,
            by,
            why,
            target=target,
            new_value=new_value,
            new_date=date,
        )
    public_changed(stored.outcome.partnership)
    return target


def _check_target_plan(plan: dict) -> None:
    """``_check_plan`` with the errors on the target's own fields (date, value)."""
    _check_plan(**plan, fields=ON_TARGET)


@transaction.atomic
def target_change(
    *,
    target: Target,
    by: User | None,
    date: date,
    value: Any,
    comment: str | None = None,
    reason: str = "",
    reason_text: str = "",
) -> Target:
    """Change a target's date or value; once readings exist, with a reason."""
    indicator = lock(target.indicator)
    stored = lock(target)
    new_value = parse_number(value, field="value")
    plan = _plan_of(indicator)
    plan["targets"] = [(day, old) for day, old in plan["targets"] if day != stored.date] + [
        (date, new_value)
    ]
    _check_target_plan(plan)
    changes: dict[str, Any] = {"date": date, "value": new_value}
    if comment is not None:
        changes["comment"] = comment
    moved = (date, new_value) != (stored.date, stored.value)
    if moved and has_readings(indicator):
        why = _reason(reason, reason_text)
        _revision(
            indicator,
            RevisionKind.TARGET_CHANGED,
            by,
            why,
            target=stored,
            old_value=stored.value,
            old_date=stored.date,
            new_value=new_value,
            new_date=date,
        )
    save_changes(target, changes)
    public_changed(indicator.outcome.partnership)
    return target


@transaction.atomic
def target_remove(
    *, target: Target, by: User | None, reason: str = "", reason_text: str = ""
) -> None:
    """Remove a target (never the last one); once readings exist, with a reason."""
    indicator = lock(target.indicator)
    stored = lock(target)
    if indicator.targets.count() <= 1:
        raise ValidationError(
            _("An indicator keeps at least one target: change this one instead."),
            code="last_target",
        )
    if has_readings(indicator):
        why = _reason(reason, reason_text)
        _revision(
            indicator,
            RevisionKind.TARGET_REMOVED,
            by,
            why,
            target=stored,
            old_value=stored.value,
            old_date=stored.date,
        )
    stored.delete()
    public_changed(indicator.outcome.partnership)
