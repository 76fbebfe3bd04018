"""Who may do what with outcomes, indicators, readings and evidence.

Derived from the access layer (``partnerships.access``), checked per object:

- **define**: the lead partner's staff define outcomes, indicators, baselines, targets
  and rubrics (platform admins too);
- **report**: staff of the indicator's reporting partner, and the lead's staff, create,
  edit, submit and correct its readings and manage their evidence;
- **verify / return**: staff of the lead partner, never the reporter. Where the lead's
  only staff member reported, staff of a funding partner may verify (maker/checker even
  in a one-person lead). Platform admins do not verify: they are not the partnership;
- **read**: the partners' staff (funders among them) and grant holders read every
  reading but other people's drafts, and all evidence; everyone else reads the verified
  readings (and public evidence) of public partnerships only
  (``models.reading_visibility``).

Reads answer 404 whether the row is missing or hidden; a reader without the right to
change it gets 403.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from partnerships import access
from partnerships.codelists import OrganisationRole
from partnerships.models import OrganisationMember, Partner, Partnership
from partnerships.permissions import get_partnership_for_user
from scorecards.models import (
    Evidence,
    Indicator,
    Outcome,
    Reading,
    ReadingStatus,
)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def is_inside(user, partnership_id: int) -> bool:
    """Partner staff, grant holders and platform admins: they read the internal side."""
    if not _signed_in(user):
        return False
    if user.is_superuser or access.is_partner_staff(user, partnership_id):
        return True
    return bool(access.grant_capacities(user, partnership_id))


def may_define(user, partnership_id: int) -> bool:
    """The lead partner's staff (and platform admins) define what is measured."""
    if not _signed_in(user):
        return False
    return user.is_superuser or access.is_partner_staff(user, partnership_id, lead=True)


def may_report(user, indicator: Indicator) -> bool:
    """Staff of the indicator's (current) reporting partner, the lead's staff, admins."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    partnership_id = indicator.outcome.partnership_id
    if access.is_partner_staff(user, partnership_id, lead=True):
        return True
    return access.partner_roles(user).filter(pk=indicator.reporting_partner_id).exists()


def verification_refusal(user, reading: Reading) -> str | None:
    """Why ``user`` may not verify or return ``reading`` (None when they may).

    The one statement of the maker/checker rule; the services refuse with it and the
    predicates below answer from it.
    """
    if not _signed_in(user):
        return _("Sign in to verify readings.")
    if reading.reported_by_id is not None and reading.reported_by_id == user.pk:
        return _("You reported this reading: someone else must verify it.")
    partnership_id = reading.indicator.outcome.partnership_id
    if access.is_partner_staff(user, partnership_id, lead=True):
        return None
    if _lead_only_staff_reported(reading, partnership_id) and access.is_funder_staff(
        user, partnership_id
    ):
        return None
    return _(
        "Only staff of the lead partner can verify or return readings; where the lead's "
        "only staff member reported, staff of a funding partner can."
    )


def _lead_only_staff_reported(reading: Reading, partnership_id: int) -> bool:
    if reading.reported_by_id is None:
        return False
    members = OrganisationMember.objects.filter(
        organisation__partner_roles__partnership_id=partnership_id,
        organisation__partner_roles__is_lead=True,
    )
    staff = list(members.values_list("user_id", flat=True).distinct()[:2])
    return staff == [reading.reported_by_id]


# --- rule predicates -------------------------------------------------------------------------


@rules.predicate
def can_read_inside(user, partnership: Partnership | None) -> bool:
    return partnership is not None and is_inside(user, partnership.pk)


@rules.predicate
def can_define(user, partnership: Partnership | None) -> bool:
    return partnership is not None and may_define(user, partnership.pk)


@rules.predicate
def can_report(user, indicator: Indicator | None) -> bool:
    return indicator is not None and may_report(user, indicator)


@rules.predicate
def can_edit_reading(user, reading: Reading | None) -> bool:
    return reading is not None and reading.is_editable and may_report(user, reading.indicator)


@rules.predicate
def can_verify_reading(user, reading: Reading | None) -> bool:
    if reading is None or reading.status != ReadingStatus.SUBMITTED:
        return False
    return verification_refusal(user, reading) is None


@rules.predicate
def can_correct_reading(user, reading: Reading | None) -> bool:
    if reading is None or reading.status != ReadingStatus.VERIFIED:
        return False
    return may_report(user, reading.indicator)


@rules.predicate
def can_manage_evidence(user, evidence: Evidence | None) -> bool:
    """Mark public or internal (any state), or remove (editable readings only: the view
    checks ``reading.is_editable`` too, and the service refuses otherwise)."""
    return evidence is not None and may_report(user, evidence.reading.indicator)


rules.add_perm("scorecards.read_internal", can_read_inside)
rules.add_perm("scorecards.define", can_define)
rules.add_perm("scorecards.report", can_report)
rules.add_perm("scorecards.edit_reading", can_edit_reading)
rules.add_perm("scorecards.verify_reading", can_verify_reading)
rules.add_perm("scorecards.correct_reading", can_correct_reading)
rules.add_perm("scorecards.manage_evidence", can_manage_evidence)


# --- get_*_for_user --------------------------------------------------------------------------


def get_scorecard_partnership_for_user(user, slug: str, *, define: bool = False) -> Partnership:
    """The partnership whose scorecard the user may see, or 404; with ``define``, 403
    unless they may define its outcomes and indicators."""
    partnership = get_partnership_for_user(user, slug)
    if define and not user.has_perm("scorecards.define", partnership):
        raise PermissionDenied
    return partnership


def get_outcome_for_user(user, pk: int, *, define: bool = False) -> Outcome:
    """An outcome of a partnership the user may see, or 404; with ``define``, 403 unless
    they may change it. Comes with its partnership."""
    visible = Partnership.objects.visible_to(user).values("pk")
    outcome = get_object_or_404(
        Outcome.objects.select_related("partnership"), pk=pk, partnership__in=visible
    )
    if define and not user.has_perm("scorecards.define", outcome.partnership):
        raise PermissionDenied
    return outcome


def get_indicator_for_user(
    user, pk: int, *, define: bool = False, report: bool = False
) -> Indicator:
    """An indicator the user may see, or 404; 403 with ``define`` unless they may change
    it, with ``report`` unless they may report it. Comes with its outcome, partnership
    and reporting partner, and its targets and levels prefetched."""
    visible = Partnership.objects.visible_to(user).values("pk")
    indicator = get_object_or_404(
        Indicator.objects.select_related(
            "outcome__partnership", "reporting_partner__organisation"
        ).prefetch_related("targets", "levels"),
        pk=pk,
        outcome__partnership__in=visible,
    )
    if define and not user.has_perm("scorecards.define", indicator.outcome.partnership):
        raise PermissionDenied
    if report and not user.has_perm("scorecards.report", indicator):
        raise PermissionDenied
    return indicator


def get_reading_for_user(
    user, pk: int, *, edit: bool = False, verify: bool = False, correct: bool = False
) -> Reading:
    """A reading the user may see (``Reading.objects.visible_to``), or 404; 403 with
    ``edit``, ``verify`` or ``correct`` unless they may do that to it now."""
    readings = Reading.objects.visible_to(user).select_related(
        "indicator__outcome__partnership",
        "indicator__reporting_partner__organisation",
        "level",
        "reported_by",
        "reported_for",
        "verified_by",
        "returned_by",
        "supersedes",
    )
    reading = get_object_or_404(readings.prefetch_related("evidence", "disaggregations"), pk=pk)
    wanted = [
        ("scorecards.edit_reading", edit),
        ("scorecards.verify_reading", verify),
        ("scorecards.correct_reading", correct),
    ]
    for permission, asked in wanted:
        if asked and not user.has_perm(permission, reading):
            raise PermissionDenied
    return reading


def get_evidence_for_user(user, pk: int, *, manage: bool = False) -> Evidence:
    """A piece of evidence the user may open (``Evidence.objects.visible_to``), or 404;
    with ``manage``, 403 unless they may mark it public or remove it. The download view
    starts here and sends the file as an attachment."""
    evidence = get_object_or_404(
        Evidence.objects.visible_to(user).select_related("reading__indicator__outcome"), pk=pk
    )
    if manage and not user.has_perm("scorecards.manage_evidence", evidence):
        raise PermissionDenied
    return evidence


def verifier_ids(reading: Reading) -> list[int]:
    """The people who may verify ``reading`` now (for telling them it waits): the lead's
    staff but the reporter; where the lead's only staff member reported, funders' staff."""
    partnership_id = reading.indicator.outcome.partnership_id
    lead = OrganisationMember.objects.filter(
        organisation__partner_roles__partnership_id=partnership_id,
        organisation__partner_roles__is_lead=True,
    )
    ids = set(lead.exclude(user_id=reading.reported_by_id).values_list("user_id", flat=True))
    if not ids and _lead_only_staff_reported(reading, partnership_id):
        funders = Partner.objects.current().filter(
            partnership_id=partnership_id, role=OrganisationRole.FUNDING
        )
        members = OrganisationMember.objects.filter(
            organisation__in=funders.values("organisation_id")
        ).exclude(user_id=reading.reported_by_id)
        ids = set(members.values_list("user_id", flat=True))
    return sorted(ids)
