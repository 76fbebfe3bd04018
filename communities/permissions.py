"""Who may see and change communities and their assessments.

Staff "work with" a community when they are members of one of
``community.organisations`` or of the facilitating organisation of one of its
assessments; any of them may read and write. Everyone else gets 404 on the staff
pages, whether the community exists or not; visitors use the public view of a
public partnership instead (``NeedsAssessment.objects.published()``).
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from communities.models import Community, CommunityAsset, Need, NeedsAssessment
from partnerships.access import is_member
from partnerships.permissions import has_an_organisation


@rules.predicate
def works_with_community(user, community: Community | None) -> bool:
    """The user is staff of an organisation working with the community."""
    if community is None or not user.is_authenticated:
        return False
    return Community.objects.visible_to(user).filter(pk=community.pk).exists()


@rules.predicate
def works_on_assessment(user, assessment: NeedsAssessment | None) -> bool:
    """The user works with the assessment's community or for its facilitating organisation."""
    if assessment is None or not user.is_authenticated:
        return False
    return is_member(user, assessment.facilitating_organisation_id) or works_with_community(
        user, assessment.community
    )


rules.add_perm("communities.edit_community", works_with_community | rules.is_superuser)
rules.add_perm("communities.edit_assessment", works_on_assessment | rules.is_superuser)
rules.add_perm("communities.create_community", has_an_organisation | rules.is_superuser)


def get_community_for_user(user, slug: str, *, write: bool = False) -> Community:
    """The community the user works with, or 404; with write, 403 if they may only read."""
    community = get_object_or_404(Community.objects.visible_to(user), slug=slug)
    if write and not user.has_perm("communities.edit_community", community):
        raise PermissionDenied
    return community


def get_assessment_for_user(user, pk: int, *, write: bool = False) -> NeedsAssessment:
    """An assessment of a community the user works with, or 404; with write, 403 if read-only.

    Comes with its community, facilitating organisation and partnership.
    """
    visible = NeedsAssessment.objects.visible_to(user).for_detail()
    assessment = get_object_or_404(visible, pk=pk)
    if write and not user.has_perm("communities.edit_assessment", assessment):
        raise PermissionDenied
    return assessment


def get_need_for_user(user, pk: int, *, write: bool = False) -> Need:
    """A need of an assessment the user may see, or 404 (403 with write if read-only)."""
    visible = NeedsAssessment.objects.visible_to(user)
    need = get_object_or_404(
        Need.objects.select_related("assessment__community", "sector"),
        pk=pk,
        assessment__in=visible.values("pk"),
    )
    if write and not user.has_perm("communities.edit_assessment", need.assessment):
        raise PermissionDenied
    return need


def get_asset_for_user(user, pk: int, *, write: bool = False) -> CommunityAsset:
    """An asset of a community the user works with, or 404 (403 with write if read-only)."""
    visible = Community.objects.visible_to(user)
    asset = get_object_or_404(
        CommunityAsset.objects.select_related("community", "assessment"),
        pk=pk,
        community__in=visible.values("pk"),
    )
    if write and not user.has_perm("communities.edit_community", asset.community):
        raise PermissionDenied
    return asset
