"""Every write to organisations and partnerships goes through these functions.

Each validates the whole object before saving anything and runs in one
transaction, so bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from harambee.content import author_language
from harambee.ratelimit import allow
from harambee.services import save_changes, save_new, unique_slug
from harambee.transitions import transition
from partnerships import access, iati
from partnerships.codelists import OrganisationRole
from partnerships.models import (
    AccessGrant,
    Contribution,
    Invitation,
    MemberRole,
    Milestone,
    Organisation,
    OrganisationMember,
    Partner,
    PartnerInvitation,
    PartnerInvitationStatus,
    Partnership,
    Sector,
)
from partnerships.tasks import send_invitation, send_partner_invitation


@transaction.atomic
def organisation_create(*, by: User, name: str, type: int, **fields) -> Organisation:
    """Register an organisation; its creator becomes its first administrator."""
    fields.setdefault("source_language", author_language())
    _check_organisation_identifier(fields.get("iati_identifier"), organisation=None)
    organisation = Organisation(
        slug=unique_slug(Organisation, name), name=name, type=type, **fields
    )
    save_new(organisation)
    OrganisationMember.objects.create(user=by, organisation=organisation, role=MemberRole.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's profile."""
    if fields.get("iati_identifier"):
        stored = _lock(Organisation, organisation.pk).iati_identifier
        if fields["iati_identifier"] != stored:
            _check_organisation_identifier(fields["iati_identifier"], organisation=organisation)
    save_changes(organisation, fields)
    return organisation


def _check_organisation_identifier(identifier: str | None, *, organisation) -> None:
    """Refuse an organisation identifier that would take over activity identifiers that
    other organisations' partnerships already use.

    Organisation identifiers are self-declared. Without this, an organisation could take
    ``XX-1-2`` inside another's ``XX-1`` namespace and then probe, one guess at a time,
    which ``XX-1-2-...`` identifiers that organisation's hidden partnerships use. (Taking
    ``XX-1`` while ``XX-1-2`` is registered is fine: the longer one keeps its own.) The
    answer is one coarse refusal, whatever the partnerships are.
    """
    if not identifier:
        return
    inside = Partnership.objects.filter(iati_identifier__startswith=f"{identifier}-")
    if organisation is not None:
        led = Partner.objects.filter(organisation=organisation, is_lead=True)
        inside = inside.exclude(pk__in=led.values("partnership_id"))
    identifiers = list(inside.values_list("iati_identifier", flat=True))
    prefixes = {p for i in identifiers for p in iati.organisation_prefixes(i)}
    others = Organisation.objects.filter(iati_identifier__in=prefixes)
    if organisation is not None:
        others = others.exclude(pk=organisation.pk)
    registered = list(others.values_list("iati_identifier", flat=True))
    for taken in identifiers:
        owner = iati.namespace_owner(taken, registered)
        if owner is None or len(owner) < len(identifier):
            raise ValidationError(
                {
                    "iati_identifier": _(
                        "Activity identifiers that start with this organisation identifier "
                        "are already in use by other organisations. Check the identifier as "
                        "registered with IATI, or ask the platform administrators."
                    )
                }
            )


def _lock(model, pk: int):
    """Lock one row until the transaction ends, so that concurrent changes to what hangs
    off it (members, invitations, partners) run one after the other and see each other."""
    return model.objects.select_for_update().get(pk=pk)


@transaction.atomic
def organisation_member_add(
    *, organisation: Organisation, user: User, role: str = MemberRole.STAFF
) -> OrganisationMember:
    """Add a person to an organisation (or change their role if they are already in it)."""
    _lock(Organisation, organisation.pk)
    member, created = OrganisationMember.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created and member.role != role:
        return _set_role(member, role)
    return member


def _set_role(member: OrganisationMember, role: str) -> OrganisationMember:
    if member.role == MemberRole.ADMIN and role != MemberRole.ADMIN:
        _keep_an_administrator(member.organisation_id)
    save_changes(member, {"role": role})
    return member


def _keep_an_administrator(organisation_id: int) -> None:
    """Refuse to take away the last administrator; the caller holds the organisation's lock."""
    admins = OrganisationMember.objects.filter(
        organisation_id=organisation_id, role=MemberRole.ADMIN
    )
    if admins.count() <= 1:
        raise ValidationError(_("An organisation needs at least one administrator."))


def _stored_member(member: OrganisationMember) -> OrganisationMember:
    """The member as stored now, with its organisation locked (a page may show an old role)."""
    _lock(Organisation, member.organisation_id)
    return OrganisationMember.objects.get(pk=member.pk)


@transaction.atomic
def organisation_member_remove(*, member: OrganisationMember) -> None:
    """Remove a person from an organisation, keeping at least one administrator."""
    member = _stored_member(member)
    if member.role == MemberRole.ADMIN:
        _keep_an_administrator(member.organisation_id)
    member.delete()


@transaction.atomic
def organisation_member_set_role(*, member: OrganisationMember, role: str) -> OrganisationMember:
    """Make a member an administrator or staff, keeping at least one administrator."""
    return _set_role(_stored_member(member), role)


INVITATIONS_PER_HOUR = 30
INVITATIONS_PER_ADDRESS_PER_DAY = 3


@transaction.atomic
def invitation_send(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    """Invite a person by email to join the organisation.

    The answer is the same whether or not the address has an account; sending again
    renews the open invitation. The email leaves once the transaction commits. Limits per
    sender and per address keep the platform from being used to flood an inbox.
    """
    email = email.strip().lower()
    within_limits = allow(f"invite:by:{by.pk}", INVITATIONS_PER_HOUR, 3600) and allow(
        f"invite:to:{email}", INVITATIONS_PER_ADDRESS_PER_DAY, 86400
    )
    if not within_limits:
        raise ValidationError(
            _("Too many invitations were sent in a short time. Please try again later.")
        )
    _lock(Organisation, organisation.pk)
    invitation = organisation.invitations.filter(email=email, accepted_at__isnull=True).first()
    if invitation is None:
        invitation = save_new(
            Invitation(organisation=organisation, email=email, role=role, invited_by=by)
        )
    else:
        fields = {"role": role, "invited_by": by, "sent_at": timezone.now()}
        save_changes(invitation, {**fields, "token": Invitation._meta.get_field("token").default()})
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation.delay(invitation.pk, language))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> OrganisationMember:
    """Join the organisation; only the owner of the invited, verified address may accept."""
    _lock(Organisation, invitation.organisation_id)
    invitation = Invitation.objects.filter(pk=invitation.pk).first()
    if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired, was withdrawn or was already used. Ask for a new one.")
        )
    owns_address = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not owns_address:
        raise ValidationError(
            _(
                "This invitation was sent to another email address. Sign in with the address "
                "it was sent to, or ask for an invitation to yours."
            )
        )
    member = OrganisationMember.objects.filter(user=user, organisation=invitation.organisation)
    joined = member.first() or organisation_member_add(
        organisation=invitation.organisation, user=user, role=invitation.role
    )
    save_changes(invitation, {"accepted_at": timezone.now()})
    return joined


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an invitation that was not accepted yet."""
    _lock(Organisation, invitation.organisation_id)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


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
    """Start a partnership around a problem; the creator's organisation leads it.

    An IATI activity identifier, if given, must lie in the lead organisation's namespace
    (see ``_check_iati_identifier``).
    """
    fields.setdefault("source_language", author_language())
    identifier = fields.pop("iati_identifier", None) or None
    prefix = (
        _check_iati_identifier(identifier=identifier, lead=lead_organisation) if identifier else ""
    )
    partnership = Partnership(
        slug=unique_slug(Partnership, title),
        title=title,
        problem=problem,
        created_by=by,
        iati_identifier=identifier,
        **fields,
    )
    with _guard_identifier(identifier, prefix):
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
    """Change a partnership's description, dates, status or IATI identifier.

    Pages publish and unpublish through ``partnership_set_visibility``, the lead's decision.

    A new or changed IATI activity identifier must lie in the current lead's namespace.
    An unchanged one is not checked again: the lead may have changed hands since it was
    set, and that must not stop anyone saving the other fields.
    """
    claimed, prefix = None, ""
    if "iati_identifier" in fields:
        identifier = fields["iati_identifier"] = fields["iati_identifier"] or None
        # Compare with what is stored: a bound form has already put the new value on the
        # instance. The lock keeps the lead from being handed over while this is checked.
        stored = _lock(Partnership, partnership.pk).iati_identifier
        if identifier and identifier != stored:
            lead = partnership.partners.filter(is_lead=True).select_related("organisation").first()
            prefix = _check_iati_identifier(
                identifier=identifier,
                lead=lead.organisation if lead else None,
                partnership=partnership,
            )
            claimed = identifier
    with _guard_identifier(claimed, prefix, partnership):
        save_changes(partnership, fields)
    if sectors is not None:
        partnership.sectors.set(sectors)
    return partnership


@transaction.atomic
def partnership_set_visibility(
    *, partnership: Partnership, visibility: str, by: User | None
) -> Partnership:
    """Make the partnership public, private or a draft again: the lead partner's decision.

    Public means everyone sees it and it is published as open data; making it private or
    a draft again takes it off the site and out of the next exports, not out of copies
    already downloaded. Asking for the visibility it already has changes nothing.
    """
    # Lock the row so that two people publishing and unpublishing at once apply one after
    # the other and the history records each change from what was really stored.
    stored = _lock(Partnership, partnership.pk)
    if stored.visibility != visibility:
        if by is not None:
            stored._history_user = by  # who decided, even outside a request (a command)
        save_changes(stored, {"visibility": visibility})
    partnership.visibility = stored.visibility
    partnership.updated_at = stored.updated_at
    return partnership


def _check_iati_identifier(
    *, identifier: str, lead: Organisation | None, partnership: Partnership | None = None
) -> str:
    """Refuse an activity identifier outside the lead organisation's namespace, or in use;
    return the lead's organisation identifier it was checked against.

    The owner of an identifier is the longest registered organisation identifier it starts
    with (followed by "-"), so a clash can only be with the lead's own identifiers, and no
    answer confirms that another organisation's hidden partnership exists. The lead's row
    is locked so that its partnerships claim identifiers one at a time.
    """
    prefix = _lock(Organisation, lead.pk).iati_identifier if lead else None
    if not prefix:
        message = _(
            "Add the lead organisation's IATI organisation identifier to its profile first: "
            "a partnership's IATI activity identifier starts with it."
        )
        raise _identifier_error(message, "iati_lead_without_identifier")
    registered = Organisation.objects.filter(
        iati_identifier__in=iati.organisation_prefixes(identifier)
    ).values_list("iati_identifier", flat=True)
    owner = iati.namespace_owner(identifier, registered)
    if owner is None:
        message = _(
            "An IATI activity identifier starts with the lead organisation's IATI identifier, "
            "a hyphen and the activity's own part, for example %(prefix)s-001."
        )
        raise _identifier_error(message, "iati_outside_namespace", prefix=prefix)
    if owner != prefix:
        message = _(
            "Identifiers that start with %(other)s- belong to the organisation with the IATI "
            "identifier %(other)s. After %(prefix)s-, choose an activity part that does not "
            "start with %(part)s."
        )
        part = owner[len(prefix) + 1 :] + "-"
        raise _identifier_error(
            message, "iati_other_namespace", prefix=prefix, other=owner, part=part
        )
    if _identifier_taken(identifier, partnership):
        raise _identifier_in_use(prefix)
    return prefix


def _identifier_taken(identifier: str, partnership: Partnership | None) -> bool:
    others = Partnership.objects.filter(iati_identifier=identifier)
    return others.exclude(pk=partnership.pk).exists() if partnership else others.exists()


def _identifier_error(message: str, code: str, **params) -> ValidationError:
    return ValidationError({"iati_identifier": ValidationError(message, code=code, params=params)})


def _identifier_in_use(prefix: str) -> ValidationError:
    message = _(
        "Another partnership already uses this IATI activity identifier under %(prefix)s. "
        "Choose another activity part after %(prefix)s-."
    )
    return _identifier_error(message, "iati_identifier_in_use", prefix=prefix)


@contextmanager
def _guard_identifier(
    identifier: str | None, prefix: str, partnership: Partnership | None = None
) -> Iterator[None]:
    """Give a clash that slipped past ``_check_iati_identifier`` the same answer.

    A row written meanwhile without the lead's lock (the admin, a bulk load, an organisation
    identifier changed underneath) reaches the model's unique check or the database's
    unique constraint; neither may answer "already exists" or fail with a 500.
    """
    if not identifier:
        yield
        return
    try:
        with transaction.atomic():  # a savepoint, so the transaction stays usable
            yield
    except IntegrityError:
        if not _identifier_taken(identifier, partnership):
            raise
        raise _identifier_in_use(prefix) from None
    except ValidationError as error:
        errors = getattr(error, "error_dict", {}).get("iati_identifier", [])
        if not any(e.code == "unique" for e in errors):
            raise
        error.error_dict["iati_identifier"] = [
            *(e for e in errors if e.code != "unique"),
            *_identifier_in_use(prefix).error_dict["iati_identifier"],
        ]
        raise


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


PARTNER_INVITATIONS_PER_HOUR = 30
PARTNER_INVITATIONS_PER_ORGANISATION_PER_DAY = 10


@transaction.atomic
def partner_invite(
    *,
    partnership: Partnership,
    organisation: Organisation,
    role: int,
    by: User,
    responsibilities: str = "",
) -> PartnerInvitation:
    """Invite an organisation to join the partnership in one IATI role.

    Nothing is listed yet: each administrator of the organisation gets an email (in their
    own language, once the transaction commits), and the organisation becomes a partner
    only when one of them accepts (``partner_invitation_accept``). Limits per sender and
    per invited organisation keep the platform from being used to flood administrators'
    inboxes (inviting, withdrawing and inviting again, for instance).
    """
    within_limits = allow(
        f"partner-invite:by:{by.pk}", PARTNER_INVITATIONS_PER_HOUR, 3600
    ) and allow(
        # Per partnership and invited organisation: a limit on the organisation alone would
        # let anyone block everyone else's invitations to it with invite-withdraw loops.
        f"partner-invite:to:{partnership.pk}:{organisation.pk}",
        PARTNER_INVITATIONS_PER_ORGANISATION_PER_DAY,
        86400,
    )
    if not within_limits:
        raise ValidationError(
            _("Too many invitations were sent in a short time. Please try again later.")
        )
    # Invitations, acceptances and withdrawals of one partnership queue on its row, so the
    # checks below see partners and open invitations that a concurrent request just wrote.
    _lock(Partnership, partnership.pk)
    _check_invitable(partnership=partnership, organisation=organisation, role=role)
    invitation = save_new(
        PartnerInvitation(
            partnership=partnership,
            organisation=organisation,
            role=role,
            responsibilities=responsibilities,
            invited_by=by,
        )
    )
    admins = list(
        OrganisationMember.objects.filter(
            organisation=organisation, role=MemberRole.ADMIN
        ).values_list("user_id", flat=True)
    )
    for user_id in admins:
        transaction.on_commit(partial(send_partner_invitation.delay, invitation.pk, user_id))
    return invitation


def _check_invitable(*, partnership: Partnership, organisation: Organisation, role: int) -> None:
    """Refuse an invitation that could never become a new partner; the caller holds the
    partnership's lock."""
    name = {"organisation": organisation.name}
    partners = Partner.objects.filter(partnership=partnership, organisation=organisation)
    if partners.filter(is_lead=True).exists():
        message = _("%(organisation)s leads this partnership: it cannot be invited to it.")
        raise ValidationError({"organisation": message % name})
    existing = partners.filter(role=role).first()
    if existing is not None:
        if Partner.objects.current().filter(pk=existing.pk).exists():
            message = _("%(organisation)s is already a partner in this role.")
        else:
            message = _(
                "%(organisation)s was a partner in this role before: change its leaving "
                "date in the partner list instead."
            )
        raise ValidationError({"organisation": message % name})
    open_invitations = PartnerInvitation.objects.pending().filter(
        partnership=partnership, organisation=organisation, role=role
    )
    if open_invitations.exists():
        message = _("%(organisation)s already has an open invitation in this role.")
        raise ValidationError({"organisation": message % name})
    if not OrganisationMember.objects.filter(
        organisation=organisation, role=MemberRole.ADMIN
    ).exists():
        message = _(
            "Nobody can accept an invitation for %(organisation)s yet: it has no "
            "administrator on Harambee."
        )
        raise ValidationError({"organisation": message % name})


def _answered(by: User, stamp: str) -> dict:
    return {stamp: timezone.now(), "closed_by": by}


def _refusal() -> str:
    return _("This invitation was already accepted, declined or withdrawn.")


@transaction.atomic
def partner_invitation_accept(*, invitation: PartnerInvitation, by: User) -> Partner:
    """Accept for the invited organisation: it becomes a partner, joining today.

    Only an administrator of the invited organisation may accept. Of concurrent answers
    (accept, decline, withdraw) exactly one wins; the others are refused.
    """
    _lock(Partnership, invitation.partnership_id)  # the same order as partner_invite
    transition(
        invitation,
        allowed_from=[PartnerInvitationStatus.PENDING],
        to=PartnerInvitationStatus.ACCEPTED,
        refusal=_refusal(),
        check=partial(_check_can_join, by=by),
        changes=_answered(by, "accepted_at"),
    )
    return partner_add(
        partnership=invitation.partnership,
        organisation=invitation.organisation,
        role=invitation.role,
        responsibilities=invitation.responsibilities,
        joined_on=timezone.localdate(),
    )


@transaction.atomic
def partner_invitation_decline(*, invitation: PartnerInvitation, by: User) -> PartnerInvitation:
    """Decline for the invited organisation; only one of its administrators may."""
    _lock(Partnership, invitation.partnership_id)
    return transition(
        invitation,
        allowed_from=[PartnerInvitationStatus.PENDING],
        to=PartnerInvitationStatus.DECLINED,
        refusal=_refusal(),
        check=partial(_check_answerer, by=by),
        changes=_answered(by, "declined_at"),
    )


@transaction.atomic
def partner_invitation_withdraw(*, invitation: PartnerInvitation, by: User) -> PartnerInvitation:
    """Withdraw an invitation nobody has answered yet (the lead partner's staff decide;
    the view checks that through ``get_partnership_for_user(..., manage=True)``)."""
    _lock(Partnership, invitation.partnership_id)
    return transition(
        invitation,
        allowed_from=[PartnerInvitationStatus.PENDING],
        to=PartnerInvitationStatus.WITHDRAWN,
        refusal=_refusal(),
        changes=_answered(by, "withdrawn_at"),
    )


def _check_can_join(invitation: PartnerInvitation, *, by: User) -> None:
    _check_answerer(invitation, by=by)
    # A partner row may have taken this role meanwhile (the lead changed another role).
    taken = Partner.objects.filter(
        partnership_id=invitation.partnership_id,
        organisation_id=invitation.organisation_id,
        role=invitation.role,
    )
    if taken.exists():
        message = _("%(organisation)s is already a partner in this role.")
        raise ValidationError(message % {"organisation": invitation.organisation.name})


def _check_answerer(invitation: PartnerInvitation, *, by: User) -> None:
    if not access.is_member(by, invitation.organisation_id, admin=True):
        raise ValidationError(
            _("Only an administrator of the invited organisation can answer this invitation."),
            code="not_an_administrator",
        )


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    """Change a partner's role, responsibilities or dates (set left_on when it leaves).

    ``is_lead=True`` hands the lead to this partner; the lead itself cannot be dropped,
    only handed over, so a partnership always has someone who manages it.
    """
    # Decide from what is stored, with the partnership locked: a bound form may already have
    # changed the instance, and a concurrent request may have moved the lead meanwhile.
    _lock(Partnership, partner.partnership_id)
    lead = Partner.objects.filter(partnership_id=partner.partnership_id, is_lead=True).first()
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
    fields.setdefault("source_language", author_language())
    return save_new(Milestone(partnership=partnership, title=title, date=date, **fields))


@transaction.atomic
def milestone_update(*, milestone: Milestone, **fields) -> Milestone:
    """Change a milestone, for example to mark it achieved."""
    save_changes(milestone, fields)
    return milestone


@transaction.atomic
def grant_create(
    *,
    partnership: Partnership,
    capacity: str,
    granted_by: User | None,
    user: User | None = None,
    organisation: Organisation | None = None,
    expires_at: datetime | None = None,
) -> AccessGrant:
    """Open the partnership to a person or an organisation outside its partners.

    What the grant opens is said in ``partnerships.access``. Granting again to the same
    holder in the same capacity renews the active grant (its expiry) instead of adding one.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    # One active grant per holder and capacity: concurrent grants queue on the partnership.
    _lock(Partnership, partnership.pk)
    existing = AccessGrant.objects.active().filter(
        partnership=partnership, user=user, organisation=organisation, capacity=capacity
    )
    grant = existing.first()
    if grant is not None:
        save_changes(grant, {"expires_at": expires_at, "granted_by": granted_by})
        return grant
    grant = AccessGrant(
        partnership=partnership,
        user=user,
        organisation=organisation,
        capacity=capacity,
        granted_by=granted_by,
        expires_at=expires_at,
    )
    return save_new(grant)


@transaction.atomic
def grant_revoke(*, grant: AccessGrant, by: User | None) -> AccessGrant:
    """End a grant now; it stays in the history with who revoked it."""
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        save_changes(grant, {"revoked_at": timezone.now(), "revoked_by": by})
    return grant
