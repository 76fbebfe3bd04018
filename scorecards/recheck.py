"""The daily recheck: every indicator's status, one snapshot per partnership per day, what
changed, and the digests that tell the people responsible.

"Need not just to establish development outcomes from beginning, but build in mechanism to
recheck them throughout." ``recheck(day)`` is that mechanism; the Celery task
``scorecards.recheck_outcomes`` (daily, by beat) and ``manage.py recheck_outcomes`` call it.

How a run goes
--------------
* **Set-based, in chunks.** The indicators of every partnership that is not a draft are
  rechecked a chunk of partnerships at a time (about ``CHUNK_SIZE`` indicators, a
  partnership never split), so memory stays flat however many there are. A chunk costs
  eight queries whatever its size: ``selectors.facts_for`` (three), where each indicator
  sits (one), the snapshots it is compared with (one), the due mentions already made (one),
  and two bulk writes. Statuses come from ``scorecards.status``, the one definition.
* **Snapshots.** A ``ScorecardSnapshot`` per partnership and day holds the status counts,
  the worst status and each indicator's status and progress (four places). It is written
  only when it is new or differs from that day's stored one (an upsert); the trend reads
  the progress of the snapshot one cadence earlier where there is one (``earlier=``).
* **Transitions.** A status change is recorded against the latest snapshot known: that
  day's, on a second run, else the previous day's (or the last one before a gap). So a
  second run with no new data records nothing, and a run after a reading was verified
  records only what moved since. A partnership's first snapshot starts its history and
  records no change; so does an indicator's first appearance.
* **Due mentions.** A reading due on D is mentioned three times: 14 days before
  (``HARAMBEE_DUE_SOON_DAYS``), on D, and once overdue (D + grace + 1), each by the first
  run on or after its date, once per due date (a unique constraint says so too). A run
  that comes late mentions the latest stage reached: a reading found already overdue is
  not also announced as "due in 14 days". Closed and cancelled partnerships get none.
* **One transaction per day.** Snapshots, transitions and digests of the day are written
  in one transaction (serialised by an advisory lock on PostgreSQL), so a crash half-way
  leaves nothing of that day and the next run does it whole. The public page cache is
  bumped on commit when a snapshot changed (the history shows on public pages).
* **Digests through an outbox.** ``DigestOutbox`` rows are written in that transaction;
  after the commit ``send_digests`` sends the unsent ones, claiming each row (``sent_at``)
  before sending it, so a crash or a second worker never sends one twice, and a crash
  between the commit and the sending leaves rows the next run sends.

Who gets a digest
-----------------
One email per person per day at most, in their preferred language, to the staff of the
current partners responsible: the indicator's reporting partner and the outcome's
responsible partners (status changes and every due mention of those indicators), and the
lead partner's and the funding partners' staff (status changes and overdue readings of the
whole partnership; the lead's staff are also asked to record a lesson when an outcome's
worst status moves to off track or not achieved). Grant holders (reviewers, observers)
get none: the panel is independent and reads the scorecard itself; nobody outside the
partnership's current partners ever does. People who turned digests off, inactive
accounts and addresses left empty are skipped.

A digest holds what is new for that person: the transitions recorded after their last
digest was written, reaching back ``LOOKBACK`` at most (a first digest, or the first after
a pause, is not a month of old news). What a same-day second run finds waits for the next
day's digest.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from harambee import pagecache
from harambee.content import column, in_reader_language, language_codes
from harambee.urls_absolute import absolute_url
from partnerships.codelists import OrganisationRole
from partnerships.models import OrganisationMember, Partner, Partnership, Visibility
from scorecards import selectors, status
from scorecards.models import (
    DigestOutbox,
    Indicator,
    IndicatorTransition,
    Outcome,
    ScorecardSnapshot,
    TransitionKind,
)

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000  # indicators per chunk, about
LOOKBACK = timedelta(days=7)  # how far back a digest reaches at most
SEND_WITHIN = timedelta(days=7)  # unsent digests older than this are stale: left unsent
PROGRESS_PLACES = Decimal("0.0001")
LOCK_KEY = 7_011_011  # pg_advisory_xact_lock: one recheck writes at a time

MENTIONS = (TransitionKind.DUE_SOON, TransitionKind.DUE, TransitionKind.OVERDUE)
# What the lead's and the funders' staff hear about for every indicator of the partnership.
PARTNERSHIP_WIDE = frozenset({TransitionKind.STATUS, TransitionKind.OVERDUE})
ASK_FOR_A_LESSON = frozenset({status.Status.OFF_TRACK, status.Status.NOT_ACHIEVED})

SUBJECT_TEMPLATE = "scorecards/email/digest_subject.txt"
BODY_TEMPLATE = "scorecards/email/digest_body.txt"


def due_soon_days() -> int:
    """Days before a due date that a reading is first mentioned (as on "my work")."""
    return int(getattr(settings, "HARAMBEE_DUE_SOON_DAYS", selectors.DEFAULT_DUE_SOON_DAYS))


@dataclass
class RecheckResult:
    """What a run did: counts only, for the command, the task and the logs."""

    day: date
    partnerships: int = 0
    indicators: int = 0
    snapshots: int = 0  # written: new, or changed since that day's last run
    transitions: int = 0  # status changes recorded
    mentions: int = 0  # due mentions recorded
    digests: int = 0  # written to the outbox
    sent: int = 0  # sent after the commit (this run's and earlier unsent ones)

    def as_dict(self) -> dict:
        return {**asdict(self), "day": self.day.isoformat()}


# --- the pure parts (the demo history replays them too) ---------------------------------------


def progress_text(progress: Decimal | None) -> str | None:
    """Progress as a snapshot stores it: four places, as a string (JSON has no decimals)."""
    if progress is None:
        return None
    return str(progress.quantize(PROGRESS_PLACES, rounding=ROUND_HALF_UP))


def snapshot_fields(found: Mapping[int, status.IndicatorStatus]) -> dict:
    """A partnership's snapshot (``counts``, ``worst``, ``indicators``) from its statuses."""
    rolled = status.rollup(found.values())
    return {
        "counts": {str(state): count for state, count in rolled.counts.items()},
        "worst": str(rolled.worst or ""),
        "indicators": {
            str(pk): {"status": str(state.status), "progress": progress_text(state.progress)}
            for pk, state in sorted(found.items())
        },
    }


def status_changes(before: Mapping[str, dict], after: Mapping[str, dict], day: date) -> list:
    """Unsaved ``IndicatorTransition`` rows for the indicators whose status differs between
    two snapshots' ``indicators``; one absent from ``before`` is new, not a change."""
    changes = []
    for key, now in after.items():
        then = before.get(key)
        if then is not None and then["status"] != now["status"]:
            changes.append(
                IndicatorTransition(
                    indicator_id=int(key),
                    day=day,
                    kind=TransitionKind.STATUS,
                    from_status=then["status"],
                    to_status=now["status"],
                )
            )
    return changes


def mention_for(state: status.IndicatorStatus, day: date, soon_days: int) -> str | None:
    """The due mention an indicator has reached on ``day`` for its current due date: the
    latest of due soon (``soon_days`` before), due, and overdue; None before any."""
    if state.due is None:
        return None
    if state.overdue_from is not None and day >= state.overdue_from:
        return TransitionKind.OVERDUE
    if day >= state.due:
        return TransitionKind.DUE
    if day >= state.due - timedelta(days=soon_days):
        return TransitionKind.DUE_SOON
    return None


# --- the run ----------------------------------------------------------------------------------


def recheck(day: date | None = None, *, chunk_size: int = CHUNK_SIZE) -> RecheckResult:
    """Recheck every indicator on ``day`` (default: today), write the day's snapshots,
    transitions and digests in one transaction, then send the unsent digests.

    Idempotent: a second run on the same day with no new data writes and sends nothing.
    """
    day = day or timezone.localdate()
    with transaction.atomic():
        result = recheck_day(day, chunk_size=chunk_size)

        def send() -> None:
            result.sent = send_digests(day=day)

        transaction.on_commit(send)
    return result


@dataclass
class _Run:
    day: date
    started: datetime
    grace: int
    soon: int
    result: RecheckResult
    current: dict[int, status.Status] = field(default_factory=dict)
    outcome_indicators: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))


def recheck_day(day: date, *, chunk_size: int = CHUNK_SIZE) -> RecheckResult:
    """The writing part of :func:`recheck`, for a caller that holds the transaction."""
    _lock()
    run = _Run(
        day=day,
        started=timezone.now(),
        grace=selectors.grace_days(),
        soon=due_soon_days(),
        result=RecheckResult(day=day),
    )
    chunks, ended = _chunks(chunk_size)
    for chunk in chunks:
        _recheck_chunk(run, chunk, ended)
    if run.result.snapshots:
        pagecache.bump()
    run.result.digests = _write_digests(run)
    return run.result


def _lock() -> None:
    # Two runs at once (beat and a command) would both record the same changes; the second
    # waits here and then finds the first one's rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _chunks(chunk_size: int) -> tuple[list[list[int]], frozenset[int]]:
    """Partnerships (not drafts) with indicators, grouped into chunks of about
    ``chunk_size`` indicators; and those of them that are closed or cancelled."""
    rows = (
        Indicator.objects.exclude(outcome__partnership__visibility=Visibility.DRAFT)
        .values("outcome__partnership_id", "outcome__partnership__status")
        .annotate(n=Count("pk"))
        .order_by("outcome__partnership_id")
    )
    chunks: list[list[int]] = []
    size = 0
    ended = set()
    for row in rows:
        partnership_id = row["outcome__partnership_id"]
        if row["outcome__partnership__status"] in selectors.ENDED:
            ended.add(partnership_id)
        if not chunks or (chunks[-1] and size + row["n"] > chunk_size):
            chunks.append([])  # a partnership larger than a chunk gets one of its own
            size = 0
        chunks[-1].append(partnership_id)
        size += row["n"]
    return chunks, frozenset(ended)


def _recheck_chunk(run: _Run, partnership_ids: list[int], ended: frozenset[int]) -> None:
    indicators = Indicator.objects.filter(outcome__partnership_id__in=partnership_ids)
    facts = selectors.facts_for(indicators)
    places = {
        pk: (outcome_id, partnership_id)
        for pk, outcome_id, partnership_id in indicators.values_list(
            "pk", "outcome_id", "outcome__partnership_id"
        )
        if pk in facts
    }
    facts = {pk: facts[pk] for pk in places}
    trend_days = {status.trend_day(item, run.day) for item in facts.values()}
    known = _known_snapshots(run.day, partnership_ids, trend_days)
    found = status.statuses(
        facts.values(),
        run.day,
        grace_days=run.grace,
        earlier=_earlier_progress(facts, places, known, run.day),
    )
    by_partnership: dict[int, dict[int, status.IndicatorStatus]] = defaultdict(dict)
    for pk, (_outcome_id, partnership_id) in places.items():
        by_partnership[partnership_id][pk] = found[pk]
    snapshots, changes = [], []
    for partnership_id, statuses in by_partnership.items():
        fields = snapshot_fields(statuses)
        stored = known.get(partnership_id, {})
        today = stored.get(run.day)
        if today != fields:
            snapshots.append(
                ScorecardSnapshot(partnership_id=partnership_id, day=run.day, **fields)
            )
        base = today or _latest_before(stored, run.day)
        if base is not None:
            changes += status_changes(base["indicators"], fields["indicators"], run.day)
    mentions = _new_mentions(run, found, places, ended)
    if snapshots:
        _write_snapshots(snapshots)
    if changes or mentions:
        IndicatorTransition.objects.bulk_create(
            [*changes, *mentions], batch_size=1000, ignore_conflicts=True
        )
    result = run.result
    result.partnerships += len(by_partnership)
    result.indicators += len(found)
    result.snapshots += len(snapshots)
    result.transitions += len(changes)
    result.mentions += len(mentions)
    for pk, (outcome_id, _partnership_id) in places.items():
        run.current[pk] = found[pk].status
        run.outcome_indicators[outcome_id].append(pk)


def _known_snapshots(
    day: date, partnership_ids: list[int], trend_days: Iterable[date]
) -> dict[int, dict[date, dict]]:
    """The chunk's snapshots of ``day``, of the trend days, and the latest before ``day``
    (one query), by partnership and day."""
    latest = (
        ScorecardSnapshot.objects.filter(partnership=OuterRef("partnership"), day__lt=day)
        .order_by("-day")
        .values("day")[:1]
    )
    rows = (
        ScorecardSnapshot.objects.filter(partnership_id__in=partnership_ids)
        .filter(Q(day=day) | Q(day__in=list(trend_days)) | Q(day=Subquery(latest)))
        .values_list("partnership_id", "day", "counts", "worst", "indicators")
    )
    known: dict[int, dict[date, dict]] = defaultdict(dict)
    for partnership_id, on, counts, worst, indicators in rows:
        known[partnership_id][on] = {"counts": counts, "worst": worst, "indicators": indicators}
    return known


def _latest_before(stored: Mapping[date, dict], day: date) -> dict | None:
    earlier = [on for on in stored if on < day]
    return stored[max(earlier)] if earlier else None


def _earlier_progress(facts, places, known, day: date) -> dict[int, Decimal | None]:
    """Each indicator's progress in the snapshot one cadence earlier, where that snapshot
    exists and lists it (status.py recomputes the others from the readings)."""
    earlier = {}
    for pk, item in facts.items():
        snapshot = known.get(places[pk][1], {}).get(status.trend_day(item, day))
        entry = snapshot["indicators"].get(str(pk)) if snapshot else None
        if entry is not None:
            progress = entry.get("progress")
            earlier[pk] = Decimal(progress) if progress is not None else None
    return earlier


def _new_mentions(run: _Run, found, places, ended: frozenset[int]) -> list[IndicatorTransition]:
    """Unsaved due mentions reached on the run's day and not yet made (one query)."""
    wanted = set()
    for pk, state in found.items():
        kind = mention_for(state, run.day, run.soon)
        if kind is not None and places[pk][1] not in ended:
            wanted.add((pk, kind, state.due))
    if not wanted:
        return []
    made = set(
        IndicatorTransition.objects.filter(
            indicator_id__in={pk for pk, _kind, _due in wanted},
            kind__in=MENTIONS,
            due__gte=min(due for _pk, _kind, due in wanted),
        ).values_list("indicator_id", "kind", "due")
    )
    return [
        IndicatorTransition(indicator_id=pk, day=run.day, kind=kind, due=due)
        for pk, kind, due in sorted(wanted - made)
    ]


def _write_snapshots(snapshots: list[ScorecardSnapshot]) -> None:
    ScorecardSnapshot.objects.bulk_create(
        snapshots,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["partnership", "day"],
        update_fields=["counts", "worst", "indicators", "computed_at"],
    )


# --- digests: who hears about what ------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    pk: int
    indicator_id: int
    outcome_id: int
    partnership_id: int
    reporting_partner_id: int
    kind: str
    from_status: str
    to_status: str
    due: date | None
    day: date
    created_at: datetime


def _changes_since(moment: datetime, first_day: date) -> list[_Change]:
    """Transitions recorded after ``moment`` for a day from ``first_day`` on (which the
    day index finds), of partnerships that are not drafts."""
    rows = (
        IndicatorTransition.objects.filter(created_at__gt=moment, day__gte=first_day)
        .exclude(indicator__outcome__partnership__visibility=Visibility.DRAFT)
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "indicator_id",
            "indicator__outcome_id",
            "indicator__outcome__partnership_id",
            "indicator__reporting_partner_id",
            "kind",
            "from_status",
            "to_status",
            "due",
            "day",
            "created_at",
        )
    )
    return [_Change(*row) for row in rows]


@dataclass
class _Audience:
    """The current partners of the partnerships concerned and their staff who take
    digests (four queries)."""

    organisation_of: dict[int, int]  # current partner -> its organisation
    responsible: dict[int, set[int]]  # outcome -> its responsible partners
    wide: dict[int, set[int]]  # partnership -> organisations of the lead and the funders
    lead: dict[int, int]  # partnership -> organisation of the lead partner
    staff: dict[int, set[int]]  # organisation -> users who take digests
    organisations: dict[int, set[int]]  # user -> organisations (among the above)

    @classmethod
    def load(cls, day: date, changes: list[_Change]) -> _Audience:
        partnership_ids = {change.partnership_id for change in changes}
        current = Q(left_on__isnull=True) | Q(left_on__gt=day)
        partners = Partner.objects.filter(current, partnership_id__in=partnership_ids)
        organisation_of, wide, lead = {}, defaultdict(set), {}
        for pk, partnership_id, organisation_id, role, is_lead in partners.values_list(
            "pk", "partnership_id", "organisation_id", "role", "is_lead"
        ):
            organisation_of[pk] = organisation_id
            if is_lead:
                lead[partnership_id] = organisation_id
            if is_lead or role == OrganisationRole.FUNDING:
                wide[partnership_id].add(organisation_id)
        responsible = defaultdict(set)
        for outcome_id, partner_id in Outcome.responsible_partners.through.objects.filter(
            outcome_id__in={change.outcome_id for change in changes}
        ).values_list("outcome_id", "partner_id"):
            responsible[outcome_id].add(partner_id)
        staff, organisations = defaultdict(set), defaultdict(set)
        for organisation_id, user_id in (
            OrganisationMember.objects.filter(
                organisation_id__in=set(organisation_of.values()),
                user__is_active=True,
                user__digests_enabled=True,
            )
            .exclude(user__email="")
            .values_list("organisation_id", "user_id")
        ):
            staff[organisation_id].add(user_id)
            organisations[user_id].add(organisation_id)
        return cls(organisation_of, responsible, wide, lead, staff, organisations)

    def organisations_for(self, change: _Change) -> set[int]:
        partners = {change.reporting_partner_id, *self.responsible.get(change.outcome_id, ())}
        found = {self.organisation_of[pk] for pk in partners if pk in self.organisation_of}
        if change.kind in PARTNERSHIP_WIDE:
            found |= self.wide.get(change.partnership_id, set())
        return found

    def users_for(self, change: _Change) -> set[int]:
        users = set()
        for organisation_id in self.organisations_for(change):
            users |= self.staff.get(organisation_id, set())
        return users

    def leads(self, user_id: int, partnership_id: int) -> bool:
        return self.lead.get(partnership_id) in self.organisations.get(user_id, ())


def _write_digests(run: _Run) -> int:
    """One outbox row per person with something new, in their language (one per day)."""
    floor = run.started - LOOKBACK
    changes = _changes_since(floor, run.day - LOOKBACK)
    if not changes:
        return 0
    audience = _Audience.load(run.day, changes)
    marks = _digest_marks(set(audience.organisations), run.day, floor)
    picked: dict[int, list[_Change]] = defaultdict(list)
    for change in changes:
        for user_id in audience.users_for(change):
            if user_id in marks and change.created_at > marks[user_id]:
                picked[user_id].append(change)
    if not picked:
        return 0
    texts = _Texts.load(picked)
    digests = [
        _digest(run, texts.users[user_id], found, texts, audience)
        for user_id, found in picked.items()
    ]
    DigestOutbox.objects.bulk_create(digests, batch_size=500, ignore_conflicts=True)
    return len(digests)


def _digest_marks(user_ids: set[int], day: date, floor: datetime) -> dict[int, datetime]:
    """Per user, the moment after which transitions are news to them: their last digest,
    or ``floor``; users who already have a digest for ``day`` (or later) are left out."""
    marks = dict.fromkeys(user_ids, floor)
    for user_id, last_at, last_day in (
        DigestOutbox.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(at=Max("created_at"), on=Max("day"))
        .values_list("user_id", "at", "on")
    ):
        if last_day >= day:
            del marks[user_id]
        else:
            marks[user_id] = max(last_at, floor)
    return marks


def _title_columns() -> list[str]:
    return ["title", "source_language", *(column("title", code) for code in language_codes())]


@dataclass
class _Texts:
    """The titles and recipients a batch of digests names (four queries)."""

    users: dict[int, User]
    indicators: dict[int, Indicator]
    outcomes: dict[int, Outcome]
    partnerships: dict[int, Partnership]

    @classmethod
    def load(cls, picked: Mapping[int, list[_Change]]) -> _Texts:
        changes = [change for found in picked.values() for change in found]
        titles = _title_columns()
        return cls(
            users=User.objects.in_bulk(list(picked)),
            indicators=Indicator.objects.only(*titles).in_bulk(
                {change.indicator_id for change in changes}
            ),
            outcomes=Outcome.objects.only(*titles).in_bulk(
                {change.outcome_id for change in changes}
            ),
            partnerships=Partnership.objects.only("slug", *titles).in_bulk(
                {change.partnership_id for change in changes}
            ),
        )


# --- digests: what they say -------------------------------------------------------------------


def _digest(run: _Run, user: User, changes, texts: _Texts, audience: _Audience) -> DigestOutbox:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        sections = [
            _section(run, user, texts, audience, partnership_id, found, language)
            for partnership_id, found in _by_partnership(changes, texts).items()
        ]
        context = {
            "name": user.full_name,
            "day": date_format(run.day),
            "count": sum(len(s["changes"]) + len(s["due"]) for s in sections),
            "partnerships": sections,
            "profile_url": absolute_url(reverse("accounts:profile")),
        }
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
    return DigestOutbox(
        user_id=user.pk, day=run.day, subject=subject[:200], body=body, language=language
    )


def _by_partnership(changes: list[_Change], texts: _Texts) -> dict[int, list[_Change]]:
    grouped: dict[int, list[_Change]] = defaultdict(list)
    for change in changes:
        grouped[change.partnership_id].append(change)
    language = translation.get_language()
    return dict(
        sorted(
            grouped.items(),
            key=lambda item: in_reader_language(
                texts.partnerships[item[0]], "title", language
            ).text.casefold(),
        )
    )


def _section(run, user, texts, audience, partnership_id, changes, language) -> dict:
    partnership = texts.partnerships[partnership_id]

    def title(record) -> str:
        # Titles are typed by users: one line each in a plain-text email.
        return " ".join(in_reader_language(record, "title", language).text.split())

    overdue = {c.indicator_id for c in changes if c.kind == TransitionKind.OVERDUE}
    moves = [c for c in changes if c.kind == TransitionKind.STATUS]
    shown = [  # an overdue mention already says what a move to "overdue" would
        c for c in moves if not (c.to_status == status.Status.OVERDUE and c.indicator_id in overdue)
    ]
    mentions = sorted((c for c in changes if c.kind in MENTIONS), key=lambda c: (c.due, c.pk))
    lessons = []
    if audience.leads(user.pk, partnership_id):
        lessons = [
            {
                "outcome": title(texts.outcomes[pk]),
                "status": _label(worst),
                "url": _lesson_url(partnership.slug, pk),
            }
            for pk, worst in _outcomes_gone_wrong(run, moves)
        ]
    return {
        "title": title(partnership),
        "url": absolute_url(reverse("scorecards:scorecard", kwargs={"slug": partnership.slug})),
        "changes": [
            {
                "indicator": title(texts.indicators[c.indicator_id]),
                "old": _label(c.from_status),
                "new": _label(c.to_status),
                "day": date_format(c.day),
            }
            for c in sorted(shown, key=lambda c: (c.day, c.pk))
        ],
        "due": [
            {
                "indicator": title(texts.indicators[c.indicator_id]),
                "kind": str(c.kind),
                "due": date_format(c.due),
            }
            for c in mentions
        ],
        "lessons": lessons,
    }


def _label(value: str) -> str:
    return str(status.STATUS_LABELS.get(status.Status(value), value))


def _rank(state: status.Status | None) -> int:
    return status.WORST_FIRST.index(state) if state is not None else len(status.WORST_FIRST)


def _outcomes_gone_wrong(run: _Run, moves: list[_Change]) -> list[tuple[int, status.Status]]:
    """Outcomes whose worst status the moves in a digest took down to off track or not
    achieved: their worst before the first of those moves against their worst now."""
    before: dict[int, str] = {}
    for change in sorted(moves, key=lambda c: (c.created_at, c.pk)):
        before.setdefault(change.indicator_id, change.from_status)
    gone_wrong = []
    for outcome_id in sorted({change.outcome_id for change in moves}):
        ids = [pk for pk in run.outcome_indicators.get(outcome_id, ()) if pk in run.current]
        now = status.rollup(run.current[pk] for pk in ids).worst
        then = status.rollup(status.Status(before.get(pk, run.current[pk])) for pk in ids).worst
        if now in ASK_FOR_A_LESSON and _rank(now) < _rank(then):
            gone_wrong.append((outcome_id, now))
    return gone_wrong


def _lesson_url(slug: str, outcome_id: int) -> str:
    """Where the lead records a lesson; the scorecard until the lessons pages exist."""
    try:
        path = reverse("scorecards:lesson_create", kwargs={"slug": slug})
    except NoReverseMatch:
        return absolute_url(reverse("scorecards:scorecard", kwargs={"slug": slug}))
    return absolute_url(f"{path}?outcome={outcome_id}&kind=failure")


# --- sending ----------------------------------------------------------------------------------


def send_digests(*, day: date | None = None) -> int:
    """Send the unsent digests of the last ``SEND_WITHIN`` days; returns how many went.

    Each row is claimed (``sent_at`` set, if still empty) before its email goes, so two
    senders never send one twice; a failed send empties ``sent_at`` again for the next
    run. A digest whose recipient has since turned digests off stays unsent.
    """
    day = day or timezone.localdate()
    pending = list(
        DigestOutbox.objects.filter(
            sent_at__isnull=True,
            day__gte=day - SEND_WITHIN,
            user__is_active=True,
            user__digests_enabled=True,
        )
        .select_related("user")
        .order_by("day", "pk")
    )
    if not pending:
        return 0
    try:
        with get_connection() as mail:  # one connection for them all
            return _send(pending, mail)
    except OSError:  # the mail server is away: every unclaimed row waits for the next run
        logger.warning("Scorecard digests not sent: no mail connection; the next run retries.")
        return 0


def _send(pending: list[DigestOutbox], mail) -> int:
    sent = 0
    for digest in pending:
        claimed = DigestOutbox.objects.filter(pk=digest.pk, sent_at__isnull=True)
        if not claimed.update(sent_at=timezone.now()):
            continue  # another sender took it
        try:
            send_mail(
                digest.subject,
                digest.body,
                settings.DEFAULT_FROM_EMAIL,
                [digest.user.email],
                connection=mail,
            )
        except OSError:  # SMTP errors are OSErrors: leave it for the next run
            DigestOutbox.objects.filter(pk=digest.pk).update(sent_at=None)
            logger.warning("Scorecard digest %s not sent; the next run retries.", digest.pk)
            continue
        sent += 1
    return sent
