"""Scorecards cast, on top of tests/conftest.py's partnership and people.

- ``lead`` (admin of the lead, accountable organisation) defines outcomes and verifies;
- ``partner_staff`` works for the implementing partner that reports the indicator;
- ``lead_colleague``: a second member of the lead, so the lead has a checker besides the
  reporter;
- ``funder``: staff of a funding partner; ``panel_member`` and ``outsider`` are strangers.

The indicator is DESIGN.md's worked one: ascending, baseline 0 on 2026-01-01, target 100
on 2027-01-01, quarterly, band 0.10.
"""

from __future__ import annotations

import pytest

from partnerships.models import Partner
from tests.communities.factories import make_community, make_validated
from tests.factories import MemberFactory
from tests.scorecards.factories import make_indicator, make_outcome


@pytest.fixture
def lead_partner(partnership, lead) -> Partner:
    return partnership.partners.get(is_lead=True)


@pytest.fixture
def implementer(partnership, partner_staff) -> Partner:
    return partnership.partners.get(organisation=partner_staff.memberships.get().organisation)


@pytest.fixture
def lead_colleague(lead_partner):
    return MemberFactory(organisation=lead_partner.organisation).user


@pytest.fixture
def validated(lead, lead_partner, partnership):
    """A community's assessment, validated and linked to the partnership, with 3 needs."""
    organisation = lead_partner.organisation
    community = make_community(by=lead, organisation=organisation)
    return make_validated(
        community=community,
        organisation=organisation,
        partnership=partnership,
        total=40,
        counts={("sex", "female"): 25, ("sex", "male"): 15},
        needs=3,
    )


@pytest.fixture
def needs(validated) -> list:
    return list(validated.needs.order_by("priority_rank"))


@pytest.fixture
def outcome(partnership, lead, implementer, needs):
    return make_outcome(partnership, lead, partners=[implementer], needs=needs[:1])


@pytest.fixture
def indicator(outcome, implementer):
    return make_indicator(outcome, implementer)
