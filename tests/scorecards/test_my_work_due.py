"""Readings on "my work": due from partner staff, to verify for the lead's staff, and
returned to their reporters, each linking to the page where the work is done.

Today is the real date; the worked indicator (baseline 2026-01-01, quarterly, target
2027-01-01) is due one quarter after its last reported period.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scorecards import services
from tests.scorecards.factories import make_indicator, make_outcome, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Mid-2026, while the worked indicator's readings are still due."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 7, 15))


def my_work(client) -> str:
    response = client.get(reverse("my_work"))
    assert response.status_code == 200
    return response.content.decode()


def test_partner_staff_see_the_readings_due_from_them(as_user, partner_staff, indicator):
    html = my_work(as_user(partner_staff))

    assert "Readings due" in html
    assert reverse("scorecards:reading_create", args=[indicator.pk]) in html
    assert "Overdue: was due" in html  # due 2026-04-01, overdue from 2026-05-02


def test_a_started_reading_links_to_itself(as_user, partner_staff, indicator):
    reading = services.reading_create(
        indicator=indicator,
        by=partner_staff,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
    )

    html = my_work(as_user(partner_staff))

    assert reverse("scorecards:reading_detail", args=[reading.pk]) in html
    assert "Started: Draft" in html


def test_a_submitted_reading_stops_the_due_clock(as_user, partner_staff, indicator):
    submitted(indicator, partner_staff, date(2026, 6, 30))

    assert "Readings due" not in my_work(as_user(partner_staff))


def test_people_who_report_nothing_see_no_due_list(as_user, funder, outsider, indicator):
    assert "Readings due" not in my_work(as_user(funder))
    assert "Readings due" not in my_work(as_user(outsider))


def test_the_lead_sees_readings_to_verify_and_the_reporter_what_came_back(
    as_user, lead, partner_staff, indicator
):
    reading = submitted(indicator, partner_staff, date(2026, 3, 31))
    link = reverse("scorecards:reading_detail", args=[reading.pk])

    lead_page = my_work(as_user(lead))
    assert "Readings to verify" in lead_page and link in lead_page
    assert "Readings to verify" not in my_work(as_user(partner_staff))

    services.reading_return(reading=reading, by=lead, reason="Add the attendance sheet.")
    staff_page = my_work(as_user(partner_staff))
    assert "Returned to you" in staff_page and link in staff_page
    assert "Add the attendance sheet." in staff_page
    assert "Readings to verify" not in my_work(as_user(lead))


def test_my_work_links_each_partnership_to_its_outcomes_and_indicators(
    as_user, partner_staff, partnership
):
    html = my_work(as_user(partner_staff))

    assert reverse("scorecards:manage", args=[partnership.slug]) in html


@pytest.mark.parametrize(("reader", "expected"), [("lead", 15), ("partner_staff", 16)])
def test_my_work_runs_a_fixed_number_of_queries_however_many_readings(
    request, as_user, lead, partner_staff, partnership, implementer, reader, expected
):
    client = as_user(request.getfixturevalue(reader))

    def add(n: int) -> None:
        for i in range(n):
            outcome = make_outcome(partnership, lead, title=f"Outcome {i}")
            for j in range(2):
                indicator = make_indicator(outcome, implementer, title=f"Indicator {i}.{j}")
                returned = submitted(indicator, partner_staff, date(2026, 3, 31))
                services.reading_return(reading=returned, by=lead, reason="Check it.")
                submitted(indicator, partner_staff, date(2026, 6, 30))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            my_work(client)
        return len(queries)

    add(1)
    small = count()
    add(3)

    # The house's 8 (session, user, memberships, partnerships, communities, assessments,
    # two kinds of invitations), then the readings: due (the indicators the user reports,
    # and for partner staff, who report some, their status facts: indicators, targets,
    # readings; then the open readings), to verify, and returned: one query each; then
    # the lessons wanted (the indicators of the partnerships the user leads: 1, and for the
    # lead, who leads some, their status facts: 3; nothing is off track here, so no
    # lessons are looked up), whatever their number.
    assert small == expected
    assert count() == expected
