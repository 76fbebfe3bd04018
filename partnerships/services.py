"""Every write to organisations and partnerships goes through these functions.

Each validates the whole object before saving anything and runs in one
transaction, so bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from harambee.services import save_changes, save_new, unique_slug
from partnerships.codelists import OrganisationRole
from partnerships.models import (
    Contribution,
    MemberRole,
    Milestone,
    Organisation,
    OrganisationMember,
    Partner,
    Partnership,
    Sector,
)


@transaction.atomic
def organisation_create(*, by: User, name: str, type: int, **fields) -> Organisation:
    """Register an organisation; its creator becomes its first administrator."""
    organisation = Organisation(
        slug=unique_slug(Organisation, name), name=name, type=type, **fields
    )
    save_new(organisation)
    OrganisationMember.objects.create(user=by, organisation=organisation, role=MemberRole.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's profile."""
    save_changes(organisation, fields)
    return organisation


@transaction.atomic
def organisation_member_add(
    *, organisation: Organisation, user: User, role: str = MemberRole.STAFF
) -> OrganisationMember:
    """Add a person to an organisation (or change their role if they are already in it)."""
    member, created = OrganisationMember.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created and member.role != role:
        if member.role == MemberRole.ADMIN:
            _keep_an_administrator(organisation)
        member.role = role
        member.full_clean()
        member.save(update_fields=["role"])
    return member


def _keep_an_administrator(organisation: Organisation) -> None:
    """Refuse to take away the last administrator (rows locked against a concurrent change)."""
    admins = list(
        organisation.members.select_for_update().filter(role=MemberRole.ADMIN).values("pk")
    )
    if len(admins) <= 1:
        raise ValidationError(_("An organisation needs at least one administrator."))


@transaction.atomic
def organisation_member_remove(*, member: OrganisationMember) -> None:
    """Remove a person from an organisation, keeping at least one administrator."""
    if member.role == MemberRole.ADMIN:
        _keep_an_administrator(member.organisation)
    member.delete()


@transaction.atomic
def partnership_create(
    *,
    by: User,
    lead_organisation: Organisation,
    title: str,
    problem: str,
    sectors: Iterable[Sector] = (),
    **fields,
) -> Partnership:
    """Start a partnership around a problem; the creator's organisation leads it."""
    partnership = Partnership(
        slug=unique_slug(Partnership, title), title=title, problem=problem, created_by=by, **fields
    )
    save_new(partnership)
    partnership.sectors.set(sectors)
    lead = Partner(
        partnership=partnership,
        organisation=lead_organisation,
        role=OrganisationRole.ACCOUNTABLE,
        is_lead=True,
        joined_on=partnership.actual_start or timezone.localdate(),
    )
    save_new(lead)
    return partnership


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, sectors: Iterable[Sector] | None = None, **fields
) -> Partnership:
    """Change a partnership's description, dates, status or visibility."""
    save_changes(partnership, fields)
    if sectors is not None:
        partnership.sectors.set(sectors)
    return partnership


@transaction.atomic
def partner_add(
    *,
    partnership: Partnership,
    organisation: Organisation,
    role: int,
    joined_on: date,
    responsibilities: str = "",
    left_on: date | None = None,
) -> Partner:
    """Bring an organisation into a partnership in one IATI role."""
    partner = Partner(
        partnership=partnership,
        organisation=organisation,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        responsibilities=responsibilities,
    )
    return save_new(partner)


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    """Change a partner's role, responsibilities or dates (set left_on when it leaves).

    ``is_lead=True`` hands the lead to this partner; the lead itself cannot be dropped,
    only handed over, so a partnership always has someone who manages it.
    """
    # Compare with the stored lead, not the instance: a bound form may already have changed it.
    lead = partner.partnership.partners.select_for_update().filter(is_lead=True).first()
    if lead is not None and lead.pk == partner.pk and fields.get("is_lead") is False:
        raise ValidationError(
            {"is_lead": _("A partnership needs a lead partner: make another partner the lead.")}
        )
    if fields.get("is_lead") and lead is not None and lead.pk != partner.pk:
        save_changes(lead, {"is_lead": False})
    save_changes(partner, fields)
    return partner


@transaction.atomic
def contribution_create(
    *, partner: Partner, kind: str, amount: Decimal, currency: str, **fields
) -> Contribution:
    """Record what a partner pledged or delivered."""
    contribution = Contribution(
        partner=partner, kind=kind, amount=amount, currency=currency.upper(), **fields
    )
    return save_new(contribution)


@transaction.atomic
def contribution_update(*, contribution: Contribution, **fields) -> Contribution:
    """Change a contribution, typically from pledged to delivered or defaulted."""
    if "currency" in fields:
        fields["currency"] = fields["currency"].upper()
    save_changes(contribution, fields)
    return contribution


@transaction.atomic
def milestone_create(*, partnership: Partnership, title: str, date: date, **fields) -> Milestone:
    """Put a dated event on the partnership's timeline."""
    return save_new(Milestone(partnership=partnership, title=title, date=date, **fields))


@transaction.atomic
def milestone_update(*, milestone: Milestone, **fields) -> Milestone:
    """Change a milestone, for example to mark it achieved."""
    save_changes(milestone, fields)
    return milestone
