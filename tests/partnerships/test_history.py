"""A partnership's evolution can be traced."""

import pytest

from partnerships import services
from partnerships.models import Visibility

pytestmark = pytest.mark.django_db


def test_each_change_to_a_partnership_is_kept_in_its_history(partnership):
    services.partnership_update(
        partnership=partnership, title="Renamed", visibility=Visibility.PRIVATE
    )
    services.partnership_update(partnership=partnership, status=4)
    history = list(partnership.history.order_by("history_date"))
    assert [h.title for h in history] == [history[0].title, "Renamed", "Renamed"]
    assert [h.status for h in history][-1] == 4
    assert history[1].visibility == Visibility.PRIVATE


def test_translations_are_part_of_the_history(partnership):
    from django.utils import translation

    with translation.override("fr"):
        services.partnership_update(partnership=partnership, title="Radio rurale")
    latest = partnership.history.latest()
    assert latest.title_fr == "Radio rurale"


def test_partners_joining_and_leaving_are_recorded(partnership, partner_staff):
    from datetime import date

    partner = partnership.partners.get(role=4)
    services.partner_update(partner=partner, left_on=date(2026, 9, 1))
    assert partner.history.latest().left_on == date(2026, 9, 1)
