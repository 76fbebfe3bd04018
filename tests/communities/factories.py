"""Builders for communities test data; complex states are reached through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from communities import services
from communities.models import AssessmentMethod, Community, Severity
from tests.factories import OrganisationFactory

SECRET_NOTE = "Chief asked us not to share the land dispute"
LATITUDE = "12.345678"
LONGITUDE = "-76.543219"


class CommunityFactory(factory.django.DjangoModelFactory):
    """A bare community; pass ``organisations=[...]`` to say who works with it."""

    class Meta:
        model = Community
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    country = "KE"
    admin_area = "Kilifi County"

    @factory.post_generation
    def organisations(community, create, extracted, **kwargs):
        if create:
            community.organisations.set(extracted or [OrganisationFactory()])


def make_community(*, by, organisation, **fields) -> Community:
    values = {
        "name": "Mnarani village",
        "country": "KE",
        "admin_area": "Kilifi County",
        "latitude": Decimal(LATITUDE),
        "longitude": Decimal(LONGITUDE),
        "languages": "sw,en",
        **fields,
    }
    return services.community_create(by=by, organisation=organisation, **values)


def make_assessment(*, community, organisation, partnership=None, by=None, **fields):
    values = {
        "title": "Village meeting on connectivity",
        "date": date(2026, 3, 1),
        "method": AssessmentMethod.COMMUNITY_MEETING,
        "language": "sw",
        "consent_recorded": True,
        "internal_notes": SECRET_NOTE,
        **fields,
    }
    return services.assessment_create(
        by=by,
        community=community,
        facilitating_organisation=organisation,
        partnership=partnership,
        **values,
    )


def add_needs(assessment, n: int, **fields) -> list:
    return [
        services.need_add(
            assessment=assessment,
            title=f"Need {i}",
            severity=Severity.HIGH,
            groups_affected=["women", "youth"],
            people_affected=40 + i,
            **fields,
        )
        for i in range(1, n + 1)
    ]


def make_validated(*, community, organisation, partnership, total, counts, needs=2, **fields):
    """An assessment taken through submit and validate, with participants and needs."""
    assessment = make_assessment(
        community=community, organisation=organisation, partnership=partnership, **fields
    )
    services.assessment_set_participants(assessment=assessment, total=total, counts=counts)
    add_needs(assessment, needs)
    services.asset_add(
        community=community, assessment=assessment, kind="skills", title="Youth repair phones"
    )
    services.assessment_submit(assessment=assessment)
    return services.assessment_validate(assessment=assessment)
