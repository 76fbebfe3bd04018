"""The access layer: the one answer to "which organisations is this user in" and "which
partnerships may they see or act on, in which capacity".

Every view, API endpoint and export starts from here (through
``Partnership.objects.visible_to`` and the predicates in ``permissions.py``); no other
module works out memberships, partners or grants for itself.

The visibility rule is public ∪ partnered ∪ granted:

- **public**: partnerships whose visibility is public, for everyone, signed in or not;
- **partnered**: partnerships in which an organisation the user works for is a current
  partner (it has not left). Partner staff read everything and edit; the lead partner's
  staff also manage the partners and publish;
- **granted**: partnerships opened to the user, or to an organisation they work for, by an
  active ``AccessGrant`` (not revoked, not expired). Later apps open a partnership by
  writing a grant through ``services.grant_create`` (a review panel seat does), so
  partnerships never imports them.

What each grant capacity opens:

- ``reviewer`` and ``observer`` read the partnership as partners see it, without
  changing anything; later apps open its internal readings and lessons to them too
  (reviewers also write reviews, which the reviews app decides);
- a grant opens only the published parts of the partnership's communities: those with a
  validated assessment linked to the partnership, as
  ``communities.selectors.public_communities`` defines them;
- no grant ever opens community representatives' contacts, coordinates or internal
  notes: those stay with the staff of the organisations working with the community
  (``Community.objects.visible_to``), and grants count for nothing there.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from partnerships.codelists import OrganisationRole
from partnerships.models import (
    AccessGrant,
    MemberRole,
    Organisation,
    OrganisationMember,
    Partner,
    Partnership,
    Visibility,
)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def organisation_ids(user) -> QuerySet:
    """The ids of the organisations the user works for, as a subquery."""
    return OrganisationMember.objects.filter(user=user).values("organisation_id")


def administered_ids(user) -> QuerySet:
    """The ids of the organisations the user administers, as a subquery."""
    if not _signed_in(user):
        return OrganisationMember.objects.none().values("organisation_id")
    return organisation_ids(user).filter(role=MemberRole.ADMIN)


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations the user works for (all of them for a platform admin)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids(user))


def is_member(user, organisation_id: int | None, *, admin: bool = False) -> bool:
    """The user works for the organisation (as an administrator, with ``admin``)."""
    if organisation_id is None or not _signed_in(user):
        return False
    members = OrganisationMember.objects.filter(user=user, organisation_id=organisation_id)
    return (members.filter(role=MemberRole.ADMIN) if admin else members).exists()


def has_an_organisation(user) -> bool:
    return _signed_in(user) and OrganisationMember.objects.filter(user=user).exists()


def partner_roles(user, *, lead: bool = False, roles=None) -> QuerySet[Partner]:
    """The current partner rows of the organisations the user works for."""
    partners = Partner.objects.current().filter(organisation_id__in=organisation_ids(user))
    if lead:
        partners = partners.filter(is_lead=True)
    if roles is not None:
        partners = partners.filter(role__in=roles)
    return partners


def partnered_ids(user, *, lead: bool = False) -> QuerySet:
    """Ids of the partnerships the user's organisations are current partners in."""
    return partner_roles(user, lead=lead).values("partnership_id")


def grants_of(user) -> QuerySet[AccessGrant]:
    """The active grants held by the user or by an organisation they work for."""
    return AccessGrant.objects.active().filter(
        Q(user=user) | Q(organisation_id__in=organisation_ids(user))
    )


def visibility_filter(user) -> Q:
    """The visibility rule as a filter on partnerships: public ∪ partnered ∪ granted."""
    public = Q(visibility=Visibility.PUBLIC)
    if not _signed_in(user):
        return public
    if user.is_superuser:
        return Q()
    partnered = Q(pk__in=partnered_ids(user))
    granted = Q(pk__in=grants_of(user).values("partnership_id"))
    return public | partnered | granted


def partnerships_of(user) -> QuerySet[Partnership]:
    """Partnerships the user's organisations are current partners in (all for an admin):
    what a user may link their work to, drafts included."""
    if not _signed_in(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=partnered_ids(user))


def is_partner_staff(user, partnership_id: int, *, lead: bool = False) -> bool:
    """The user works for a current partner (the lead partner, with ``lead``)."""
    if not _signed_in(user):
        return False
    return partner_roles(user, lead=lead).filter(partnership_id=partnership_id).exists()


def is_funder_staff(user, partnership_id: int) -> bool:
    """The user works for a current funding partner."""
    if not _signed_in(user):
        return False
    funders = partner_roles(user, roles=[OrganisationRole.FUNDING])
    return funders.filter(partnership_id=partnership_id).exists()


def grant_capacities(user, partnership_id: int) -> frozenset[str]:
    """The capacities in which active grants open the partnership to the user."""
    if not _signed_in(user):
        return frozenset()
    grants = grants_of(user).filter(partnership_id=partnership_id)
    return frozenset(grants.values_list("capacity", flat=True))
