"""Every write to communities, assessments, needs and assets goes through these functions.

Each validates before saving anything and runs in one transaction, so bad input changes
nothing. Once an assessment is validated with the community it is read-only: every
service that would change it, its participants, needs or assets refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from communities.breakdown import breakdown_problems
from communities.columns import need_fields_from_row
from communities.models import (
    AssessmentStatus,
    Community,
    CommunityAsset,
    CommunityRepresentative,
    Need,
    NeedsAssessment,
    ParticipantCount,
    ValidationMethod,
    normalise_language_list,
    validate_groups,
)
from harambee import pagecache
from harambee.bulk import bulk_insert
from harambee.content import author_language
from harambee.services import save_changes, save_new, unique_slug
from harambee.transitions import lock, transition
from partnerships.access import is_member
from partnerships.models import Organisation


def _check_editable(assessment: NeedsAssessment) -> None:
    if not assessment.is_editable:
        raise ValidationError(
            _(
                "This assessment was validated with the community and can no longer be "
                "changed. Start a new assessment to record what changed."
            ),
            code="validated",
        )


def _editable(assessment: NeedsAssessment) -> NeedsAssessment:
    """The assessment, locked and rechecked as stored: every write to it or to its needs,
    participants and assets starts here, so nothing lands after a concurrent validation
    and concurrent writers (two need adds, a rank move) run one after the other."""
    locked = lock(assessment)
    _check_editable(locked)
    assessment.status = locked.status
    return locked


# --- communities -----------------------------------------------------------------------------


@transaction.atomic
def community_create(
    *, by: User | None, organisation: Organisation, name: str, country: str, **fields
) -> Community:
    """Register a community; ``organisation`` (one of the creator's) starts working with it."""
    if by is not None and not by.is_superuser and not is_member(by, organisation.pk):
        raise ValidationError({"organisation": _("Choose one of the organisations you work for.")})
    if "languages" in fields:
        fields["languages"] = normalise_language_list(fields["languages"])
    fields.setdefault("source_language", author_language())
    slug = unique_slug(Community, name)
    community = save_new(Community(slug=slug, name=name, country=country, **fields))
    community.organisations.add(organisation)
    return community


@transaction.atomic
def community_update(*, community: Community, **fields) -> Community:
    """Change a community's description, place or languages."""
    if "languages" in fields:
        fields["languages"] = normalise_language_list(fields["languages"])
    save_changes(community, fields)
    return community


@transaction.atomic
def representative_add(
    *, community: Community, name: str, role: str = "", phone: str = "", email: str = ""
) -> CommunityRepresentative:
    """Record a person who speaks for the community (personal data: staff only)."""
    representative = CommunityRepresentative(
        community=community, name=name, role=role, phone=phone, email=email
    )
    return save_new(representative)


# --- assessments -----------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    by: User | None,
    community: Community,
    title: str,
    date: date,
    method: str,
    facilitating_organisation: Organisation,
    language: str,
    **fields,
) -> NeedsAssessment:
    """Start a needs assessment of a community, as a draft."""
    fields.setdefault("source_language", author_language())
    assessment = NeedsAssessment(
        community=community,
        title=title,
        date=date,
        method=method,
        facilitating_organisation=facilitating_organisation,
        language=language.strip().lower(),
        created_by=by,
        status=AssessmentStatus.DRAFT,
        **fields,
    )
    return save_new(assessment)


@transaction.atomic
def assessment_update(*, assessment: NeedsAssessment, **fields) -> NeedsAssessment:
    """Change an assessment's description (not its status: submit and validate do that)."""
    _editable(assessment)
    if "status" in fields:
        raise ValueError("Use assessment_submit or assessment_validate to change the status.")
    if "language" in fields:
        fields["language"] = fields["language"].strip().lower()
    if "participants_total" in fields:
        counts = {(c.dimension, c.category): c.count for c in assessment.participant_counts.all()}
        _check_breakdown(fields["participants_total"], counts)
    save_changes(assessment, fields)
    return assessment


def _check_breakdown(total: object, counts: Mapping[tuple[str, str], object]) -> None:
    """Refuse what ``communities.breakdown`` finds wrong with these participants."""
    problems = breakdown_problems(total, counts)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def assessment_set_participants(
    *,
    assessment: NeedsAssessment,
    total: int,
    counts: Mapping[tuple[str, str], int],
) -> NeedsAssessment:
    """Replace the number of participants and all their counts in one step.

    ``counts`` maps (dimension, category) to a count; leave a category out when it was not
    recorded. The categories of a dimension may not add up to more than ``total``.
    """
    _editable(assessment)
    _check_breakdown(total, counts)
    assessment.participant_counts.all().delete()
    ParticipantCount.objects.bulk_create(
        ParticipantCount(assessment=assessment, dimension=d, category=c, count=n)
        for (d, c), n in counts.items()
    )
    save_changes(assessment, {"participants_total": total})
    return assessment


def assessment_submit(*, assessment: NeedsAssessment) -> NeedsAssessment:
    """Draft -> submitted. Needs consent and at least one need."""
    return transition(
        assessment,
        allowed_from={AssessmentStatus.DRAFT},
        to=AssessmentStatus.SUBMITTED,
        refusal=_("Only a draft assessment can be submitted."),
        code="not_draft",
        check=_ready_to_submit,
    )


def _ready_to_submit(assessment: NeedsAssessment) -> None:
    problems = []
    if not assessment.consent_recorded:
        problems.append(
            _(
                "Record the participants' consent before submitting: edit the assessment "
                "and tick “consent recorded”."
            )
        )
    if not assessment.needs.exists():
        problems.append(_("Add at least one need before submitting."))
    if problems:
        raise ValidationError(problems)


def assessment_validate(
    *,
    assessment: NeedsAssessment,
    validation_method: str = ValidationMethod.COMMUNITY_MEETING,
    validated_on: date | None = None,
    validation_note: str = "",
) -> NeedsAssessment:
    """Submitted -> validated with the community; the assessment is read-only from then on.

    Records how (``validation_method``, a ``ValidationMethod``) and when (``validated_on``:
    not in the future, not before the assessment was held) the community confirmed it,
    with an internal ``validation_note`` (required for "other"; never published). The page
    always asks for both; callers that validate on the community's word without them (demo
    data, tests) get a community meeting, the usual way, held today.
    """
    changes = {
        "validation_method": validation_method,
        "validated_on": validated_on or timezone.localdate(),
        "validation_note": validation_note.strip(),
    }
    return transition(
        assessment,
        allowed_from={AssessmentStatus.SUBMITTED},
        to=AssessmentStatus.VALIDATED,
        refusal=_("Only a submitted assessment can be marked as validated with the community."),
        code="not_submitted",
        check=lambda locked: _check_validation(locked, **changes),
        changes=changes,
    )


def _check_validation(
    assessment: NeedsAssessment, *, validation_method: str, validated_on: date, validation_note: str
) -> None:
    errors: dict[str, str] = {}
    if validation_method not in ValidationMethod.values:
        errors["validation_method"] = _("Choose how the community confirmed the assessment.")
    elif validation_method == ValidationMethod.OTHER and not validation_note:
        errors["validation_note"] = _("Say in the note how the community confirmed it.")
    if validated_on > timezone.localdate():
        errors["validated_on"] = _("The date of the validation cannot be in the future.")
    elif validated_on < assessment.date:
        errors["validated_on"] = _(
            "The community cannot have validated the assessment before it was held on %(date)s."
        ) % {"date": date_format(assessment.date, "j F Y")}
    if errors:
        raise ValidationError(errors)


def assessment_validation_withdraw(*, assessment: NeedsAssessment, reason: str) -> NeedsAssessment:
    """Validated -> submitted again, for a repair (a validation recorded by mistake).

    The assessment leaves the public pages and can be corrected; how and when it was
    validated are cleared with it. The reason, and the withdrawn record, are kept in its
    change history, so the withdrawal is never silent.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing the validation."), code="reason")
    return transition(
        assessment,
        allowed_from={AssessmentStatus.VALIDATED},
        to=AssessmentStatus.SUBMITTED,
        refusal=_("Only a validated assessment can have its validation withdrawn."),
        code="not_validated",
        changes={"validation_method": "", "validated_on": None, "validation_note": ""},
        reason=reason,
    )


# --- needs -----------------------------------------------------------------------------------


def _next_rank(assessment: NeedsAssessment) -> int:
    last = assessment.needs.order_by("-priority_rank").values_list("priority_rank", flat=True)
    return (last.first() or 0) + 1


@transaction.atomic
def need_add(
    *,
    assessment: NeedsAssessment,
    title: str,
    severity: str,
    priority_rank: int | None = None,
    groups_affected: Iterable[str] = (),
    **fields,
) -> Need:
    """Add a need to an assessment; without a rank it goes after the others."""
    _editable(assessment)
    fields.setdefault("source_language", author_language())
    need = Need(
        assessment=assessment,
        title=title,
        severity=severity,
        priority_rank=priority_rank if priority_rank is not None else _next_rank(assessment),
        groups_affected=list(groups_affected),
        **fields,
    )
    return save_new(need)


@transaction.atomic
def need_update(*, need: Need, **fields) -> Need:
    """Change a need (its status may change after validation, nothing else may)."""
    assessment = lock(need.assessment)
    if set(fields) - {"status"}:
        _check_editable(assessment)
    if "groups_affected" in fields:
        fields["groups_affected"] = list(fields["groups_affected"])
    save_changes(need, fields)
    return need


@transaction.atomic
def need_move(*, need: Need, direction: str) -> Need:
    """Swap the need's priority rank with its neighbour's ("up" is towards rank 1)."""
    _editable(need.assessment)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a need up or down."), code="direction")
    needs = list(need.assessment.needs.select_for_update().order_by("priority_rank", "pk"))
    index = next(i for i, other in enumerate(needs) if other.pk == need.pk)
    neighbour_index = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour_index < len(needs):
        return need  # already first or last
    if needs[index].priority_rank == needs[neighbour_index].priority_rank:
        # Tied ranks cannot be swapped meaningfully: number everyone 1..n first.
        for rank, other in enumerate(needs, start=1):
            other.priority_rank = rank
        Need.objects.bulk_update(needs, ["priority_rank"])
    mine, theirs = needs[index], needs[neighbour_index]
    mine.priority_rank, theirs.priority_rank = theirs.priority_rank, mine.priority_rank
    Need.objects.bulk_update([mine, theirs], ["priority_rank"])
    pagecache.bump()  # bulk_update goes around save_changes
    need.priority_rank = mine.priority_rank
    return need


@transaction.atomic
def asset_add(
    *,
    community: Community,
    kind: str,
    title: str,
    assessment: NeedsAssessment | None = None,
    description: str = "",
    source_language: str | None = None,
) -> CommunityAsset:
    """Record something the community already has (skills, devices, a network...)."""
    if assessment is not None:
        _editable(assessment)
        if assessment.community_id != community.pk:
            raise ValueError("The assessment belongs to another community.")
    asset = CommunityAsset(
        community=community,
        assessment=assessment,
        kind=kind,
        title=title,
        description=description,
        source_language=source_language or author_language(),
    )
    return save_new(asset)


# --- imports ---------------------------------------------------------------------------------


@transaction.atomic
def needs_import(*, assessment: NeedsAssessment, rows: Iterable[Mapping]) -> int:
    """Add many needs at once (rows already cleaned by ``forms.NeedRowForm``); all or nothing.

    Each row has title, description, sector (a code, a Sector or None), priority_rank,
    severity, groups_affected (list), people_affected (int or None), status. The text is
    stored as written in the active language. Returns the number added.
    """
    _editable(assessment)
    language = author_language()
    needs = [_import_need(assessment, row, language) for row in rows]
    pagecache.bump()  # bulk_insert goes around save_new
    return bulk_insert(Need, needs)


def _import_need(assessment: NeedsAssessment, row: Mapping, language: str) -> dict:
    need = {"assessment_id": assessment.pk, **need_fields_from_row(row)}
    need["source_language"] = language
    need[f"title_{language}"] = need["title"]
    need[f"description_{language}"] = need["description"]
    _check_imported(need)
    return need


# The fields whose limits (length, range, choices) the model declares: the one place
# they are written down. NeedRowForm takes the same limits from the model's constants.
# groups_affected is a JSONField, whose clean() serialises the value: only its own
# validator runs, which is the rule.
_CHECKED_ON_IMPORT = ("title", "priority_rank", "severity", "people_affected", "status")


def _check_imported(need: dict) -> None:
    """The model's own field rules, checked without a query.

    Rows come cleaned from ``forms.NeedRowForm``; this guards other callers cheaply
    (``full_clean`` on 10,000 rows would also run a uniqueness query per row).
    """
    errors = {}
    for name in _CHECKED_ON_IMPORT:
        try:
            Need._meta.get_field(name).clean(need[name], None)
        except ValidationError as error:
            errors[name] = error.messages
    try:
        validate_groups(need["groups_affected"])
    except ValidationError as error:
        errors["groups_affected"] = error.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def participants_import(
    *, assessment: NeedsAssessment, rows: Iterable[Mapping], total: int | None = None
) -> NeedsAssessment:
    """Replace the counts of the dimensions the rows contain (rows of dimension, category,
    count); the counts of the other dimensions are kept.

    A dimension in the rows replaces all of its categories: a category left out was not
    recorded. A row ``total,total,N`` sets the number of participants; without one
    ``total`` (or the assessment's current total) is kept. The breakdown rule holds for the
    merged result, or nothing changes.
    """
    stored = _editable(assessment)
    imported: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["dimension"], row["category"])
        if key == ("total", "total"):
            total = row["count"]
            continue
        if key in imported:
            raise ValidationError(
                _("%(dimension)s / %(category)s appears more than once.")
                % {"dimension": key[0], "category": key[1]}
            )
        imported[key] = row["count"]
    replaced = {dimension for dimension, _category in imported}
    kept = {
        (count.dimension, count.category): count.count
        for count in stored.participant_counts.all()
        if count.dimension not in replaced
    }
    total = stored.participants_total if total is None else total
    return assessment_set_participants(
        assessment=assessment, total=total, counts={**kept, **imported}
    )
