"""Who may do what, derived from memberships and checked per object.

Every view, and later the API and the exports, asks these predicates or the
access functions below; none re-implements them. Reads answer 404 whether a
partnership is missing or hidden, so its existence is never revealed; a
member without write rights gets 403.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from partnerships import access
from partnerships.models import Organisation, Partnership


@rules.predicate
def is_partner_staff(user, partnership: Partnership | None) -> bool:
    """The user works for an organisation that is a current partner."""
    return partnership is not None and access.is_partner_staff(user, partnership.pk)


@rules.predicate
def is_lead_staff(user, partnership: Partnership | None) -> bool:
    """The user works for the partnership's lead partner."""
    return partnership is not None and access.is_partner_staff(user, partnership.pk, lead=True)


@rules.predicate
def is_public_partnership(user, partnership: Partnership | None) -> bool:
    return partnership is not None and partnership.is_public


@rules.predicate
def is_organisation_admin(user, organisation: Organisation | None) -> bool:
    return organisation is not None and access.is_member(user, organisation.pk, admin=True)


@rules.predicate
def is_organisation_member(user, organisation: Organisation | None) -> bool:
    return organisation is not None and access.is_member(user, organisation.pk)


@rules.predicate
def has_an_organisation(user) -> bool:
    return access.has_an_organisation(user)


is_superuser = rules.is_superuser

rules.add_perm("partnerships.edit_partnership", is_partner_staff | is_superuser)
rules.add_perm("partnerships.manage_partners", is_lead_staff | is_superuser)
rules.add_perm("partnerships.create_partnership", has_an_organisation | is_superuser)
rules.add_perm("partnerships.create_organisation", rules.is_authenticated)
rules.add_perm("partnerships.edit_organisation", is_organisation_admin | is_superuser)
rules.add_perm("partnerships.manage_members", is_organisation_admin | is_superuser)
rules.add_perm("partnerships.grant_access", is_lead_staff | is_superuser)


def get_partnership_for_user(
    user, slug: str, *, write: bool = False, manage: bool = False, queryset=None
) -> Partnership:
    """The partnership the user may see, or 404; with write/manage, 403 if they may only read.

    Starts from ``visible_to`` so a hidden partnership is indistinguishable from a missing one;
    ``queryset`` (e.g. ``Partnership.objects.for_detail()``) only adds what a page prefetches.
    """
    base = queryset if queryset is not None else Partnership.objects.all()
    partnership = get_object_or_404(base.visible_to(user), slug=slug)
    if write and not user.has_perm("partnerships.edit_partnership", partnership):
        raise PermissionDenied
    if manage and not user.has_perm("partnerships.manage_partners", partnership):
        raise PermissionDenied
    return partnership


def get_organisation_for_user(user, slug: str, *, manage: bool = False) -> Organisation:
    """An organisation (organisations are public); with manage, 403 unless the user is its admin."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if manage and not user.has_perm("partnerships.edit_organisation", organisation):
        raise PermissionDenied
    return organisation
