"""Read models of communities: what the public pages, the API and the exports show.

Only validated assessments are published, and participant counts only through
``communities.disclosure``. Personal data (representatives, coordinates, internal notes)
is never loaded here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import BaseExpression

from communities.dimensions import DIMENSIONS
from communities.disclosure import PublicTable, protect_breakdown, public_count
from communities.models import (
    AssessmentStatus,
    Community,
    CommunityAsset,
    Need,
    NeedsAssessment,
    ParticipantCount,
)
from partnerships.models import Partnership


def validated_assessments(partnership: Partnership | OuterRef) -> QuerySet[NeedsAssessment]:
    """The assessments validated with the community and linked to the partnership (or, with
    ``OuterRef("pk")``, to each partnership of an outer query)."""
    return NeedsAssessment.objects.filter(
        partnership=partnership, status=AssessmentStatus.VALIDATED
    )


def section_annotations() -> dict[str, BaseExpression]:
    """The partnership page's figure of the communities section, read with the
    partnership's row: whether it has validated assessments (an EXISTS on the index of
    the assessments' partnership)."""
    return {"communities_published": Exists(validated_assessments(OuterRef("pk")))}


def has_published_side(partnership: Partnership) -> bool:
    """True when the partnership has validated assessments to show: no query when the
    partnership was fetched with ``section_annotations``, one otherwise."""
    published = getattr(partnership, "communities_published", None)
    if published is not None:
        return published
    return validated_assessments(partnership).exists()


@dataclass
class PublicAssessment:
    """One validated assessment and who took part, as the public may see it."""

    assessment: NeedsAssessment
    tables: list[PublicTable] = field(default_factory=list)
    total_display: str = ""

    def labelled_tables(self) -> list[tuple[str, PublicTable]]:
        return [(DIMENSIONS[table.dimension].label, table) for table in self.tables]


@dataclass
class PublicCommunity:
    """What visitors may see of one community in a public partnership."""

    community: Community
    assessments: list[PublicAssessment] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    assets: list[CommunityAsset] = field(default_factory=list)


def public_communities(partnership: Partnership) -> list[PublicCommunity]:
    """The published parts of a partnership's communities, per community (four queries):
    its validated assessments, their needs and assets, and who took part under the
    disclosure control. Never representatives, coordinates or internal notes.

    The caller reached ``partnership`` through the visibility rule: the public for public
    partnerships, partners and grant holders (see ``partnerships.access``) for the others.
    """
    assessments = list(
        validated_assessments(partnership)
        .select_related("community")
        .defer("internal_notes", "validation_note", "community__latitude", "community__longitude")
        .order_by("community__name", "community_id", "-date", "-pk")
    )
    by_community: dict[int, PublicCommunity] = {}
    by_assessment: dict[int, PublicAssessment] = {}
    for assessment in assessments:
        entry = by_community.setdefault(
            assessment.community_id, PublicCommunity(assessment.community)
        )
        by_assessment[assessment.pk] = PublicAssessment(assessment)
        entry.assessments.append(by_assessment[assessment.pk])
    order = {a.pk: n for n, a in enumerate(assessments)}
    community_of = {a.pk: a.community_id for a in assessments}
    needs = Need.objects.filter(assessment_id__in=order).select_related("sector")
    for need in sorted(needs, key=lambda n: (order[n.assessment_id], n.priority_rank, n.pk)):
        by_community[community_of[need.assessment_id]].needs.append(need)
    assets = CommunityAsset.objects.filter(assessment_id__in=order).order_by("kind", "pk")
    for asset in assets:
        by_community[community_of[asset.assessment_id]].assets.append(asset)
    _protect_participants(by_assessment)
    return list(by_community.values())


def _protect_participants(by_assessment: dict[int, PublicAssessment]) -> None:
    """Publish each assessment's counts on its own, only through the disclosure control.

    Never sums across assessments: a running total that grows when a small assessment is
    validated would let anyone subtract the old figures from the new ones.
    """
    recorded: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    counts = ParticipantCount.objects.filter(assessment_id__in=by_assessment)
    for row in counts.values_list("assessment_id", "dimension", "category", "count"):
        recorded[row[0]][(row[1], row[2])] = row[3]
    for pk, entry in by_assessment.items():
        cells = recorded[pk]
        dimensions = {
            d.key: [(c, label, cells.get((d.key, c), 0)) for c, label in d.categories]
            for d in DIMENSIONS.values()
            if any(dimension == d.key for dimension, _c in cells)
        }
        total = entry.assessment.participants_total
        entry.tables = protect_breakdown(dimensions, total=total)
        entry.total_display = entry.tables[0].total.display if entry.tables else public_count(total)


def assessments_waiting_for(user) -> QuerySet[NeedsAssessment]:
    """Assessments of the communities the user works with that wait for a next step: drafts
    to submit, and submitted ones to validate with the community."""
    waiting = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED)
    return (
        NeedsAssessment.objects.visible_to(user)
        .filter(status__in=waiting)
        .select_related("community")
        .defer("internal_notes")
        .order_by("status", "-date", "-pk")
    )
