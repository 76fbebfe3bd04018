"""Communities cast: the lead partner's organisation works with one community.

- ``staff`` (the conftest ``lead``) works for the organisation working with ``community``;
- ``outsider`` works for an unrelated organisation; visitors use ``client``.
"""

import pytest

from communities import services
from tests.communities.factories import make_assessment, make_community

REPRESENTATIVE_NAME = "Wanjiru Kamau"
REPRESENTATIVE_PHONE = "+254 700 111 222"


@pytest.fixture
def staff(lead):
    return lead


@pytest.fixture
def organisation(staff):
    return staff.memberships.get().organisation


@pytest.fixture
def community(staff, organisation):
    community = make_community(by=staff, organisation=organisation)
    services.representative_add(
        community=community,
        name=REPRESENTATIVE_NAME,
        role="Women's group chair",
        phone=REPRESENTATIVE_PHONE,
    )
    return community


@pytest.fixture
def assessment(community, organisation, partnership, staff):
    return make_assessment(
        community=community, organisation=organisation, partnership=partnership, by=staff
    )
