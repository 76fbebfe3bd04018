"""Every translatable record knows the language it was written in: the author's."""

import pytest
from django.utils import translation

from communities import services as community_services
from partnerships import services
from tests.communities.factories import add_needs, make_assessment, make_community

pytestmark = pytest.mark.django_db


def test_what_staff_write_in_french_is_recorded_as_written_in_french(lead):
    organisation = lead.memberships.get().organisation
    with translation.override("fr"):
        partnership = services.partnership_create(
            by=lead, lead_organisation=organisation, title="Radio rurale", problem="Pas de prix"
        )
        milestone = services.milestone_create(
            partnership=partnership, title="Première émission", date=partnership.created_at.date()
        )
        community = make_community(by=lead, organisation=organisation, name="Pikine")
        assessment = make_assessment(community=community, organisation=organisation, by=lead)
        (need,) = add_needs(assessment, 1)
        asset = community_services.asset_add(
            community=community, assessment=assessment, kind="skills", title="Réparateurs"
        )
        created = services.organisation_create(by=lead, name="Radio Pikine", type=22)

    records = [partnership, milestone, community, assessment, need, asset, created]
    assert [record.source_language for record in records] == ["fr"] * len(records)
    partnership.refresh_from_db()
    assert partnership.title_fr == "Radio rurale"


def test_a_needs_import_records_the_importers_language(lead):
    organisation = lead.memberships.get().organisation
    community = make_community(by=lead, organisation=organisation)
    assessment = make_assessment(community=community, organisation=organisation, by=lead)
    rows = [{"title": "Maji safi", "priority_rank": 1, "severity": "high"}]
    with translation.override("sw"):
        community_services.needs_import(assessment=assessment, rows=rows)

    need = assessment.needs.get()
    assert (need.source_language, need.title_sw) == ("sw", "Maji safi")


def test_records_written_before_default_to_english(partnership):
    assert partnership.source_language == "en"
