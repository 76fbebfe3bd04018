"""A partnership's evolution can be traced."""

import pytest

from partnerships import services
from partnerships.models import Partnership, Visibility

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


def test_saving_a_stale_copy_never_records_the_old_values_in_the_history(lead, partnership):
    partnership.visibility = Visibility.DRAFT
    partnership.save(update_fields=["visibility"])
    stale = Partnership.objects.get(pk=partnership.pk)  # a partner's edit page loads it
    services.partnership_set_visibility(
        partnership=Partnership.objects.get(pk=partnership.pk),
        visibility=Visibility.PUBLIC,
        by=lead,
    )

    services.partnership_update(partnership=stale, summary="A clearer summary")

    latest = partnership.history.order_by("-history_id").first()
    assert (latest.visibility, latest.summary) == (Visibility.PUBLIC, "A clearer summary")
    assert Partnership.objects.get(pk=partnership.pk).visibility == Visibility.PUBLIC
