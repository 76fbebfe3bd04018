"""A visitor browses partnerships in French, reads them in Swahili and in English, and
follows one to what its community said and to a partner organisation."""

import pytest

from partnerships.codelists import OrganisationRole
from partnerships.models import Visibility
from tests.communities.factories import make_community, make_validated
from tests.factories import MemberFactory, OrganisationFactory, PartnerFactory, PartnershipFactory

TITLE = "Solar chargers for Mnarani"


@pytest.fixture
def world():
    """Two public partnerships, in Kenya and in Senegal; the Kenyan one has an assessment
    validated with its community."""
    organisation = OrganisationFactory(name="Kilifi Digital Trust", acronym="KDT")
    staff = MemberFactory(organisation=organisation, role="admin").user
    kenyan = PartnershipFactory(
        title=TITLE,
        title_fr="Chargeurs solaires pour Mnarani",
        title_sw="Chaja za jua kwa Mnarani",
        visibility=Visibility.PUBLIC,
        recipient_countries=["KE"],
    )
    PartnerFactory(
        partnership=kenyan,
        organisation=organisation,
        role=OrganisationRole.ACCOUNTABLE,
        is_lead=True,
    )
    senegalese = PartnershipFactory(
        title="Radio lessons in Thiès",
        title_fr="Cours à la radio à Thiès",
        visibility=Visibility.PUBLIC,
        recipient_countries=["SN"],
    )
    PartnerFactory(partnership=senegalese, role=OrganisationRole.ACCOUNTABLE, is_lead=True)
    community = make_community(by=staff, organisation=organisation)
    make_validated(
        community=community,
        organisation=organisation,
        partnership=kenyan,
        total=43,
        counts={("sex", "female"): 23, ("sex", "male"): 20},
    )
    return kenyan


def test_a_visitor_browses_in_three_languages_and_reads_a_partnership_its_community_and_partner(
    journey, world
):
    visitor = journey.person()

    visitor.open("/fr/partnerships/")
    assert visitor.heading() == "Partenariats"
    assert visitor.sees("Cours à la radio à Thiès")
    visitor.choose("Pays", "Kenya")
    visitor.click_button("Filtrer")
    assert visitor.sees("1 partenariat")
    assert visitor.sees("Chargeurs solaires pour Mnarani")
    assert not visitor.sees("Cours à la radio à Thiès")

    visitor.click_link("Kiswahili", within="nav.lang")
    assert visitor.heading() == "Ushirikiano"
    assert visitor.sees("Chaja za jua kwa Mnarani")
    visitor.click_link("English", within="nav.lang")
    assert visitor.heading() == "Partnerships"

    visitor.click_link(TITLE, within="main")
    assert visitor.heading() == TITLE
    visitor.click_link("Needs, assets and participation validated with the community")
    assert visitor.heading() == "What the community said it needs"
    assert visitor.sees("Mnarani village")
    visitor.click_link(TITLE, within="main")
    visitor.click_link("Kilifi Digital Trust (KDT)", within="main")
    assert visitor.heading().startswith("Kilifi Digital Trust")
    assert visitor.sees(TITLE)
