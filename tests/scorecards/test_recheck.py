"""The daily recheck job, against the real database with a frozen clock: snapshots,
transitions, due mentions and digests, idempotent, whole days only, sent once.

The indicator is DESIGN.md's worked one (baseline 0 on 2026-01-01, target 100 on
2027-01-01, quarterly, band 0.10), reported by the implementer (``partner_staff``) and
verified by the lead. The clock is frozen on the day each step happens, ticking a
millisecond per reading so that rows written one after the other are ordered as in life.
"""

from __future__ import annotations

import time as time_module
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from harambee import pagecache
from partnerships import services as partnership_services
from partnerships.codelists import OrganisationRole
from partnerships.models import GrantCapacity, MemberRole, Visibility
from scorecards import recheck as job
from scorecards import services, tasks
from scorecards.models import DigestOutbox, IndicatorTransition, ScorecardSnapshot, TransitionKind
from scorecards.recheck import recheck
from tests.factories import MemberFactory, OrganisationFactory, PartnerFactory, PartnershipFactory
from tests.harambee.test_celery import broker  # noqa: F401 - the real broker, as a fixture
from tests.scorecards.factories import make_indicator, make_outcome, verified

pytestmark = pytest.mark.django_db

JUNE_END = date(2026, 6, 30)
JULY_5, JULY_10, JULY_11, JULY_12 = (date(2026, 7, d) for d in (5, 10, 11, 12))


class Clock:
    """``timezone.now`` frozen on a chosen day, a millisecond later at each call; it only
    moves forward, as time does (the digests rely on it: news is what came after the last
    digest)."""

    def __init__(self) -> None:
        self.moment = timezone.make_aware(datetime.combine(date(2026, 7, 1), time(12)))

    def now(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment

    def set(self, day: date, hour: int = 12) -> None:
        """On to that hour of ``day``, unless it is already later: time never goes back."""
        self.moment = max(self.moment, timezone.make_aware(datetime.combine(day, time(hour))))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen.now)
    return frozen


@pytest.fixture
def run(clock, django_capture_on_commit_callbacks):
    """Run the job on a day (at 3 in the morning, or later that day if the clock already
    is), with its after-commit sending."""

    def run_on(day: date, **options):
        clock.set(day, hour=3)
        with django_capture_on_commit_callbacks(execute=True):
            return recheck(day, **options)

    return run_on


@pytest.fixture
def outcome(partnership, lead, implementer):
    # Without needs: the recheck does not read them, and the cast stays small.
    return make_outcome(partnership, lead, partners=[implementer])


def report(clock, indicator, reporter, verifier, day: date, value: str, end=JUNE_END):
    clock.set(day)
    return verified(indicator, reporter, verifier, end, value)


def correct(clock, reading, reporter, verifier, day: date, value: str):
    clock.set(day)
    correction = services.reading_correct(reading=reading, by=reporter, value=value)
    services.reading_submit(reading=correction, by=reporter)
    return services.reading_verify(reading=correction, by=verifier)


def sent_to(*users) -> list[str]:
    return sorted(user.email for user in users)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def status_moves(indicator=None) -> list[tuple]:
    rows = IndicatorTransition.objects.filter(kind=TransitionKind.STATUS)
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    return list(rows.order_by("pk").values_list("day", "from_status", "to_status"))


def mentions(indicator) -> list[tuple]:
    rows = IndicatorTransition.objects.filter(indicator=indicator).exclude(kind="status")
    return list(rows.order_by("day", "pk").values_list("day", "kind", "due"))


@pytest.fixture
def off_track(clock, run, indicator, partner_staff, lead, funder, lead_colleague):
    """On track on 10 July (60 for the quarter), off track on the 11th once a correction
    to 30 is verified; the job ran on both days."""
    reading = report(clock, indicator, partner_staff, lead, JULY_5, "60")
    first = run(JULY_10)
    correct(clock, reading, partner_staff, lead, JULY_11, "30")
    second = run(JULY_11)
    return first, second


# --- status changes and the digest that tells them -------------------------------------------


def test_a_partnership_going_off_track_is_recorded_and_told_once_to_each_person(
    off_track, indicator, partner_staff, lead, funder, lead_colleague, outsider, panel_member
):
    first, second = off_track

    assert (first.snapshots, first.transitions, first.digests) == (1, 0, 0)  # history starts
    assert status_moves() == [(JULY_11, "on_track", "off_track")]
    assert (second.snapshots, second.transitions, second.digests, second.sent) == (1, 1, 4, 4)
    assert recipients() == sent_to(partner_staff, lead, funder, lead_colleague)
    body = next(m.body for m in mail.outbox if m.to == [partner_staff.email])
    assert "Farmers receiving daily prices: On track → Off track" in body
    assert f"/partnerships/{indicator.outcome.partnership.slug}/scorecard/" in body
    assert "/accounts/profile/" in body  # how to turn it off
    assert DigestOutbox.objects.filter(sent_at__isnull=True).count() == 0


def test_the_leads_staff_are_asked_for_a_lesson_when_an_outcome_goes_off_track(
    off_track, partner_staff, lead, funder, outcome
):
    by_person = {m.to[0]: m.body for m in mail.outbox}

    assert "Record a lesson" in by_person[lead.email]
    assert f"“{outcome.title}” has moved to: Off track" in by_person[lead.email]
    create = reverse("scorecards:lesson_create", kwargs={"slug": outcome.partnership.slug})
    assert f"{create}?outcome={outcome.pk}&kind=failure" in by_person[lead.email]
    assert "Record a lesson" not in by_person[partner_staff.email]
    assert "Record a lesson" not in by_person[funder.email]


def test_a_second_run_the_same_day_records_and_sends_nothing(off_track, run):
    sent = len(mail.outbox)
    snapshot = ScorecardSnapshot.objects.get(day=JULY_11)

    again = run(JULY_11)

    assert (again.snapshots, again.transitions, again.mentions, again.digests, again.sent) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert len(mail.outbox) == sent
    assert ScorecardSnapshot.objects.get(day=JULY_11).computed_at == snapshot.computed_at
    assert len(status_moves()) == 1


def test_new_data_the_same_day_updates_the_snapshot_and_records_only_the_new_change(
    off_track, clock, run, indicator, partner_staff, lead
):
    correction = indicator.readings.get(status="verified")
    correct(clock, correction, partner_staff, lead, JULY_11, "50")  # short 2.3: at risk
    sent = len(mail.outbox)

    again = run(JULY_11)

    assert (again.snapshots, again.transitions) == (1, 1)
    snapshot = ScorecardSnapshot.objects.get(day=JULY_11)
    assert snapshot.indicators[str(indicator.pk)]["status"] == "at_risk"
    assert snapshot.counts == {"at_risk": 1}
    assert status_moves() == [
        (JULY_11, "on_track", "off_track"),
        (JULY_11, "off_track", "at_risk"),
    ]
    assert len(mail.outbox) == sent  # one digest a day: the news waits for tomorrow's

    run(JULY_12)

    later = {m.to[0]: m.body for m in mail.outbox[sent:]}
    assert "Off track → At risk" in later[partner_staff.email]
    assert "On track → Off track" not in later[partner_staff.email]  # told yesterday


def test_snapshots_accumulate_one_per_partnership_per_day(run, indicator):
    for day in (JULY_10, JULY_11, JULY_12, JULY_12):
        run(day)

    assert list(ScorecardSnapshot.objects.order_by("day").values_list("day", flat=True)) == [
        JULY_10,
        JULY_11,
        JULY_12,
    ]
    snapshot = ScorecardSnapshot.objects.get(day=JULY_12)  # no reading since the baseline
    assert (snapshot.worst, snapshot.counts) == ("overdue", {"overdue": 1})
    assert snapshot.indicators == {str(indicator.pk): {"status": "overdue", "progress": None}}


def test_the_snapshot_keeps_progress_and_the_trend_reads_it_a_cadence_later(
    clock, run, indicator, partner_staff, lead, monkeypatch
):
    report(clock, indicator, partner_staff, lead, JULY_5, "45")
    run(JULY_10)
    assert ScorecardSnapshot.objects.get(day=JULY_10).indicators[str(indicator.pk)] == {
        "status": "at_risk",
        "progress": "0.4500",
    }
    statuses, given = job.status.statuses, []

    def spy(many, today, **options):
        given.append(options["earlier"])
        return statuses(many, today, **options)

    monkeypatch.setattr(job.status, "statuses", spy)
    run(date(2026, 10, 10))  # one quarter later: that snapshot gives the earlier progress
    run(date(2026, 10, 11))  # no snapshot on 11 July: status.py recomputes it

    assert given == [{indicator.pk: Decimal("0.4500")}, {}]


def test_a_draft_partnership_is_not_rechecked(partnership, run, indicator):
    partnership.visibility = Visibility.DRAFT
    partnership.save(update_fields=["visibility"])

    result = run(JULY_10)

    assert (result.partnerships, result.indicators) == (0, 0)
    assert not ScorecardSnapshot.objects.exists()


def test_a_changed_snapshot_bumps_the_page_cache_and_an_unchanged_one_does_not(
    run, indicator, monkeypatch
):
    bumps = []
    monkeypatch.setattr(pagecache, "bump", lambda: bumps.append(1))

    run(JULY_10)
    run(JULY_10)

    assert bumps == [1]


# --- whole days only ---------------------------------------------------------------------------


def second_partnership(visibility=Visibility.PUBLIC):
    """Another partnership with its own lead (two staff: a reporter and a verifier)."""
    partnership = PartnershipFactory(visibility=visibility)
    organisation = OrganisationFactory()
    partner = PartnerFactory(
        partnership=partnership,
        organisation=organisation,
        role=OrganisationRole.ACCOUNTABLE,
        is_lead=True,
    )
    reporter = MemberFactory(organisation=organisation, role=MemberRole.ADMIN).user
    checker = MemberFactory(organisation=organisation).user
    outcome = make_outcome(partnership, reporter, partners=[partner])
    return make_indicator(outcome, partner), reporter, checker


def test_a_crash_half_way_leaves_no_partial_day_and_the_next_run_completes(
    run, indicator, monkeypatch
):
    second_partnership()
    write = job._write_snapshots
    calls = []

    def crash_after_the_first_chunk(snapshots):
        calls.append(len(snapshots))
        if len(calls) > 1:
            raise RuntimeError("the worker died")
        write(snapshots)

    monkeypatch.setattr(job, "_write_snapshots", crash_after_the_first_chunk)
    with pytest.raises(RuntimeError):
        run(JULY_10, chunk_size=1)  # one partnership per chunk

    assert calls == [1, 1]
    assert not ScorecardSnapshot.objects.exists()
    assert not IndicatorTransition.objects.exists()
    assert not DigestOutbox.objects.exists()

    monkeypatch.setattr(job, "_write_snapshots", write)
    result = run(JULY_10, chunk_size=1)

    assert (result.partnerships, result.snapshots) == (2, 2)
    assert ScorecardSnapshot.objects.filter(day=JULY_10).count() == 2


def test_chunks_never_split_a_partnership_and_give_the_same_day(run, indicator, outcome):
    make_indicator(outcome, indicator.reporting_partner, title="Second indicator")
    second_partnership()

    small = run(JULY_10, chunk_size=1)
    whole = {s.partnership_id: s.indicators for s in ScorecardSnapshot.objects.all()}
    ScorecardSnapshot.objects.all().delete()
    large = run(JULY_10)

    assert (small.partnerships, small.indicators) == (large.partnerships, large.indicators)
    assert whole == {s.partnership_id: s.indicators for s in ScorecardSnapshot.objects.all()}


# --- due mentions ------------------------------------------------------------------------------


DUE = date(2026, 4, 1)  # no reading: due one quarter after the baseline date
DUE_SOON = DUE - timedelta(days=14)
OVERDUE = DUE + timedelta(days=31)  # past due + 30 days of grace


def days(first: date, last: date):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_a_due_reading_is_mentioned_at_14_days_at_due_and_overdue_and_on_no_other_day(
    run, indicator, partner_staff, funder
):
    told = {}
    for day in days(date(2026, 3, 1), date(2026, 5, 10)):
        before = len(mail.outbox)
        run(day)
        told[day] = sorted(address for m in mail.outbox[before:] for address in m.to)

    assert mentions(indicator) == [
        (DUE_SOON, "due_soon", DUE),
        (DUE, "due", DUE),
        (OVERDUE, "overdue", DUE),
    ]
    assert {day: who for day, who in told.items() if who} == {
        DUE_SOON: [partner_staff.email],
        DUE: [partner_staff.email],
        # The funder and the lead hear of overdue readings, not of every due date.
        OVERDUE: sorted([partner_staff.email, funder.email, *lead_emails(indicator)]),
    }
    assert status_moves(indicator) == [(OVERDUE, "no_data", "overdue")]
    to_reporter = [m for m in mail.outbox if m.to == [partner_staff.email]]
    overdue_mail = next(m for m in to_reporter if "overdue" in m.body)
    assert "the reading due on April 1, 2026 is overdue" in overdue_mail.body
    assert "No data → Overdue" not in overdue_mail.body  # said once, by the mention


def lead_emails(indicator) -> list[str]:
    lead = indicator.outcome.partnership.partners.get(is_lead=True)
    return [member.user.email for member in lead.organisation.members.select_related("user")]


def test_a_mention_whose_day_the_job_missed_comes_with_the_next_run(run, indicator, partner_staff):
    run(DUE_SOON - timedelta(days=1))
    run(DUE_SOON + timedelta(days=2))  # the 14-day mark was missed
    run(DUE + timedelta(days=1))  # and the due date too

    assert mentions(indicator) == [
        (DUE_SOON + timedelta(days=2), "due_soon", DUE),
        (DUE + timedelta(days=1), "due", DUE),
    ]
    assert recipients() == sent_to(partner_staff, partner_staff)
    assert "a reading fell due on April 1, 2026" in mail.outbox[-1].body


def test_a_run_that_comes_late_mentions_only_the_stage_reached(run, indicator):
    run(date(2026, 3, 1))
    run(OVERDUE + timedelta(days=3))

    assert mentions(indicator) == [(OVERDUE + timedelta(days=3), "overdue", DUE)]


def test_a_submitted_reading_stops_the_mentions(clock, run, indicator, partner_staff):
    run(DUE_SOON)
    clock.set(DUE - timedelta(days=2))
    services.reading_submit(
        reading=services.reading_create(
            indicator=indicator,
            by=partner_staff,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            value="20",
        ),
        by=partner_staff,
    )
    for day in days(DUE, OVERDUE):
        run(day)

    assert mentions(indicator) == [(DUE_SOON, "due_soon", DUE)]


def test_closed_partnerships_get_no_due_mentions(partnership, run, indicator):
    partnership.status = 4  # closed
    partnership.save(update_fields=["status"])

    run(DUE_SOON)
    run(DUE)

    assert mentions(indicator) == []
    assert ScorecardSnapshot.objects.count() == 2  # still rechecked


# --- who gets a digest -------------------------------------------------------------------------


def test_a_person_who_turned_digests_off_gets_none(
    clock, run, indicator, partner_staff, lead, funder, lead_colleague
):
    partner_staff.digests_enabled = False
    partner_staff.save(update_fields=["digests_enabled"])
    reading = report(clock, indicator, partner_staff, lead, JULY_5, "60")
    run(JULY_10)
    correct(clock, reading, partner_staff, lead, JULY_11, "30")

    run(JULY_11)

    assert recipients() == sent_to(lead, funder, lead_colleague)
    assert not DigestOutbox.objects.filter(user=partner_staff).exists()


def test_a_person_turns_digests_off_and_on_on_their_profile(as_user, partner_staff):
    client = as_user(partner_staff)
    profile = reverse("accounts:profile")
    assert "digests_enabled" in client.get(profile).content.decode()

    client.post(profile, {"full_name": "Juma", "preferred_language": "en"})
    partner_staff.refresh_from_db()
    assert not partner_staff.digests_enabled

    client.post(profile, {"full_name": "Juma", "preferred_language": "en", "digests_enabled": "on"})
    partner_staff.refresh_from_db()
    assert partner_staff.digests_enabled


def test_digests_go_only_to_the_staff_of_current_partners(
    clock, run, partnership, indicator, partner_staff, lead, funder, outsider, panel_member
):
    partnership_services.grant_create(
        partnership=partnership,
        capacity=GrantCapacity.REVIEWER,
        granted_by=lead,
        user=panel_member,
    )
    former = MemberFactory(
        organisation=PartnerFactory(
            partnership=partnership, joined_on=date(2026, 1, 1), left_on=date(2026, 6, 1)
        ).organisation
    ).user
    _elsewhere, reporter, checker = second_partnership()  # an unrelated organisation's staff
    reading = report(clock, indicator, partner_staff, lead, JULY_5, "60")
    run(JULY_10)
    correct(clock, reading, partner_staff, lead, JULY_11, "30")

    run(JULY_11)

    told = set(recipients())
    assert {partner_staff.email, lead.email, funder.email} <= told
    assert not {outsider.email, panel_member.email, former.email} & told
    for message in mail.outbox:  # the other partnership's staff hear of their own only
        if message.to[0] in (reporter.email, checker.email):
            assert partnership.slug not in message.body


def test_a_private_partnerships_digest_goes_only_to_its_partners(
    clock, run, partnership, indicator, partner_staff, lead, funder, outsider, panel_member
):
    partnership.visibility = Visibility.PRIVATE
    partnership.save(update_fields=["visibility"])
    reading = report(clock, indicator, partner_staff, lead, JULY_5, "60")
    run(JULY_10)
    correct(clock, reading, partner_staff, lead, JULY_11, "30")

    run(JULY_11)

    assert recipients() == sent_to(partner_staff, lead, funder)


def test_the_lesson_link_falls_back_to_the_scorecard_until_the_lessons_pages_exist(
    monkeypatch,
):
    real = job.reverse

    def without_lessons(name, *args, **kwargs):
        if name == "scorecards:lesson_create":
            raise job.NoReverseMatch(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(job, "reverse", without_lessons)

    assert job._lesson_url("maize", 7).endswith("/partnerships/maize/scorecard/")


def test_the_digest_is_in_the_recipients_language(off_track, partner_staff, clock, run, indicator):
    # A fresh step for a French reader: the due date of the next quarter comes near.
    partner_staff.preferred_language = "fr"
    partner_staff.save(update_fields=["preferred_language"])
    mail.outbox.clear()

    run(date(2026, 9, 16))  # 14 days before 30 September

    message = next(m for m in mail.outbox if m.to == [partner_staff.email])
    assert "30 septembre 2026" in message.body
    assert "/fr/partnerships/" in message.body
    assert "/fr/accounts/profile/" in message.body
    assert DigestOutbox.objects.get(user=partner_staff, day=date(2026, 9, 16)).language == "fr"


def test_one_digest_per_person_per_day_however_many_partnerships(
    clock, run, partnership, indicator, partner_staff, lead, implementer
):
    other = make_outcome(partnership, lead, partners=[implementer], title="Second outcome")
    make_indicator(other, implementer, title="Second indicator")

    run(DUE_SOON)

    assert recipients() == sent_to(partner_staff)
    assert mail.outbox[0].body.count("a reading is due on April 1, 2026") == 2


# --- the outbox --------------------------------------------------------------------------------


def test_a_crash_between_commit_and_send_leaves_digests_the_next_run_sends_once(
    run, indicator, partner_staff, monkeypatch
):
    def crash(**kwargs):
        raise SystemExit("killed after the commit")

    monkeypatch.setattr(job, "send_digests", crash)
    with pytest.raises(SystemExit):
        run(DUE_SOON)
    assert DigestOutbox.objects.filter(sent_at__isnull=True).count() == 1
    assert mail.outbox == []
    monkeypatch.undo()

    again = run(DUE_SOON)
    run(DUE_SOON + timedelta(days=1))

    assert (again.digests, again.sent) == (0, 1)
    assert recipients() == sent_to(partner_staff)
    assert DigestOutbox.objects.get().sent_at is not None


def test_a_failed_send_is_retried_by_the_next_run(run, indicator, partner_staff, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(job, "send_mail", refuse)
    first = run(DUE_SOON)
    assert (first.digests, first.sent) == (1, 0)
    assert DigestOutbox.objects.get().sent_at is None
    monkeypatch.undo()

    second = run(DUE_SOON)

    assert second.sent == 1
    assert recipients() == sent_to(partner_staff)


def test_no_mail_connection_leaves_every_digest_for_the_next_run(
    run, indicator, partner_staff, monkeypatch
):
    class Away:
        def __enter__(self):
            raise ConnectionRefusedError("no mail server")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(job, "get_connection", Away)
    first = run(DUE_SOON)
    monkeypatch.undo()
    second = run(DUE_SOON)

    assert (first.digests, first.sent, second.sent) == (1, 0, 1)
    assert recipients() == sent_to(partner_staff)


def test_a_claimed_digest_is_never_sent_again(run, indicator, partner_staff):
    run(DUE_SOON)
    DigestOutbox.objects.update(sent_at=None)  # as if a second sender read it before the claim
    claimed = DigestOutbox.objects.get()
    DigestOutbox.objects.filter(pk=claimed.pk).update(sent_at=timezone.now())

    assert job.send_digests(day=DUE_SOON) == 0
    assert len(mail.outbox) == 1


# --- the task, beat and the command ------------------------------------------------------------


def test_the_task_runs_the_recheck(clock, django_capture_on_commit_callbacks, indicator):
    clock.set(JULY_10, hour=3)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.recheck_outcomes.delay("2026-07-10").get()

    assert result["day"] == "2026-07-10"
    assert result["snapshots"] == 1
    assert tasks.recheck_outcomes.acks_late
    assert tasks.recheck_outcomes.soft_time_limit < tasks.recheck_outcomes.time_limit


def test_beat_schedules_the_recheck_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["recheck-outcomes"]

    assert entry["task"] == tasks.recheck_outcomes.name
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].day_of_week == set(range(7))


def test_the_command_rechecks_a_given_day(clock, django_capture_on_commit_callbacks, indicator):
    out = []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recheck_outcomes", "--date", "2026-07-10", stdout=Writer(out))

    assert "Rechecked 1 indicators of 1 partnerships on 2026-07-10" in "".join(out)
    assert ScorecardSnapshot.objects.get().day == JULY_10


class Writer:
    def __init__(self, into: list) -> None:
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        pass


def test_the_command_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("recheck_outcomes", "--date", "10/07/2026")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker")
def test_the_task_travels_through_the_broker_to_a_real_worker(indicator):
    app = tasks.recheck_outcomes.app
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        tasks.recheck_outcomes.delay("2026-07-10")
        deadline = time_module.monotonic() + 30
        while not ScorecardSnapshot.objects.exists() and time_module.monotonic() < deadline:
            time_module.sleep(0.2)

    assert ScorecardSnapshot.objects.get().day == JULY_10
