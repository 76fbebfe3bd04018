"""Lessons: who records and publishes them, what visitors read, and who is asked for one.

"We should pay more attention to failure — everyone has a vested interest in success."

Who may do what (checked per partnership, from ``partnerships.access``):

- **record**: the staff of any current partner (the lead, implementers, funders...) and
  platform admins. A lesson starts internal;
- **publish**: only the lead partner's staff (and platform admins) make a lesson public
  or internal again: what the partnership says in public is the lead's to say, as
  publishing the partnership is. ``services.lesson_create``/``lesson_update`` refuse
  anyone else;
- **edit**: the lead's staff edit every lesson of the partnership; other partners' staff
  edit the internal lessons they recorded themselves. Removing one is the lead's;
- **read**: everyone reads the public lessons of public partnerships; the partners' staff
  and grant holders (reviewers, observers) also read the internal ones.

The public "What worked and what did not" page lists failures first, then adaptations,
then successes, newest first within each kind (``KIND_ORDER``): a page of new success
stories never pushes the failures out of sight, and the kind is said in words on every
lesson. Everything a visitor sees is counted and offered as a filter from public lessons
of public partnerships only (``Lesson.objects.public()``), so a hidden lesson cannot show
even as a count or a country in the filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from harambee.i18n import translated_fields
from partnerships import access
from partnerships.models import HasCountry, Partnership, Sector, Visibility
from partnerships.permissions import get_partnership_for_user
from partnerships.selectors import country_codes
from scorecards import status
from scorecards.models import (
    Indicator,
    IndicatorTransition,
    Lesson,
    LessonKind,
    Outcome,
    TransitionKind,
)
from scorecards.permissions import is_inside
from scorecards.selectors import facts_for, statuses_of

# Failures first, then what the partners changed, then what worked.
KIND_ORDER = Case(
    When(kind=LessonKind.FAILURE, then=Value(0)),
    When(kind=LessonKind.ADAPTATION, then=Value(1)),
    default=Value(2),
)
KINDS_IN_ORDER = (LessonKind.FAILURE, LessonKind.ADAPTATION, LessonKind.SUCCESS)
# The outcome statuses that ask the lead for a lesson.
WANTING_A_LESSON = frozenset({status.Status.OFF_TRACK, status.Status.NOT_ACHIEVED})


# --- who may do what ---------------------------------------------------------------------------


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def may_record_lesson(user, partnership_id: int) -> bool:
    """Staff of a current partner of the partnership, and platform admins."""
    if not _signed_in(user):
        return False
    return user.is_superuser or access.is_partner_staff(user, partnership_id)


def may_publish_lesson(user, partnership_id: int) -> bool:
    """The lead partner's staff (and platform admins) make lessons public or internal."""
    if not _signed_in(user):
        return False
    return user.is_superuser or access.is_partner_staff(user, partnership_id, lead=True)


def may_edit_lesson(user, lesson: Lesson) -> bool:
    """The lead's staff, any lesson; another partner's staff, the internal ones they
    recorded (once public, a lesson's words are the lead's to change)."""
    if may_publish_lesson(user, lesson.partnership_id):
        return True
    own = lesson.recorded_by_id is not None and lesson.recorded_by_id == user.pk
    return own and not lesson.is_public and may_record_lesson(user, lesson.partnership_id)


def lessons_visible_to(user) -> QuerySet[Lesson]:
    """Public lessons of public partnerships for everyone; every lesson of the
    partnerships the user's organisations are partners in or a grant opens to them."""
    if not _signed_in(user):
        return Lesson.objects.public()
    if user.is_superuser:
        return Lesson.objects.all()
    inside = Q(partnership__in=access.partnered_ids(user)) | Q(
        partnership__in=access.grants_of(user).values("partnership_id")
    )
    return Lesson.objects.filter(
        inside | Q(is_public=True, partnership__visibility=Visibility.PUBLIC)
    )


def get_lesson_partnership_for_user(user, slug: str, *, record: bool = False) -> Partnership:
    """The partnership whose lessons the user reads inside (its partners' staff, grant
    holders, admins), or 404 (hidden, or a visitor of a public one: the public lessons
    are on the scorecard); with ``record``, 403 unless they may record one."""
    partnership = get_partnership_for_user(user, slug)
    if not is_inside(user, partnership.pk):
        raise Http404
    if record and not may_record_lesson(user, partnership.pk):
        raise PermissionDenied
    return partnership


def get_lesson_for_user(user, pk: int, *, edit: bool = False, remove: bool = False) -> Lesson:
    """A lesson the user reads inside its partnership, or 404; 403 with ``edit`` unless
    they may change it, with ``remove`` unless they may remove it (the lead's staff).
    Comes with its partnership, outcome and indicator."""
    lesson = get_object_or_404(
        lessons_visible_to(user).select_related("partnership", "outcome", "indicator"), pk=pk
    )
    if not is_inside(user, lesson.partnership_id):
        raise Http404
    if edit and not may_edit_lesson(user, lesson):
        raise PermissionDenied
    if remove and not may_publish_lesson(user, lesson.partnership_id):
        raise PermissionDenied
    return lesson


# --- what visitors read ------------------------------------------------------------------------


def _list_columns() -> list[str]:
    """What a lesson card shows; the partnership's problem and summary, the outcome's
    description and the indicator's definitions stay in the database."""
    texts = [name for field in ("title", "what_happened", "why", "what_changed")
             for name in translated_fields(field)]  # fmt: skip
    return [
        *texts,
        "kind",
        "is_public",
        "created_at",
        "source_language",
        "recorded_by",
        "partnership",
        "outcome",
        "indicator",
        "partnership__slug",
        "partnership__visibility",
        "partnership__recipient_countries",
        "partnership__source_language",
        *(f"partnership__{name}" for name in translated_fields("title")),
        "outcome__source_language",
        *(f"outcome__{name}" for name in translated_fields("title")),
        "indicator__source_language",
        *(f"indicator__{name}" for name in translated_fields("title")),
    ]


def for_list(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Lessons as cards: failures first (``KIND_ORDER``), newest first within a kind, with
    their partnership, outcome and indicator in the same query."""
    return (
        lessons.select_related("partnership", "outcome", "indicator")
        .only(*_list_columns())
        .order_by(KIND_ORDER, "-created_at", "-pk")
    )


def public_lessons() -> QuerySet[Lesson]:
    """The public lessons of public partnerships, as cards."""
    return for_list(Lesson.objects.public())


def public_lessons_of(partnership: Partnership) -> list[Lesson]:
    """The public lessons of one partnership, for its scorecard (one query; none while
    the partnership is not public)."""
    if not partnership.is_public:
        return []
    return list(public_lessons().filter(partnership=partnership))


def filter_public(
    lessons: QuerySet[Lesson], *, country: str = "", sector: str = ""
) -> QuerySet[Lesson]:
    """Lessons of partnerships working in ``country`` and in ``sector`` (codes)."""
    if country:
        lessons = lessons.filter(HasCountry(F("partnership__recipient_countries"), country))
    if sector:
        lessons = lessons.filter(partnership__sectors=sector)
    return lessons


def kind_counts(lessons: QuerySet[Lesson]) -> dict[str, int]:
    """How many of ``lessons`` are of each kind (one grouped query), in ``KINDS_IN_ORDER``
    with every kind present, zeros included: a page with no failure says so."""
    found = dict(lessons.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {kind: found.get(kind, 0) for kind in KINDS_IN_ORDER}


def public_filter_choices() -> tuple[set[str], list[Sector]]:
    """The countries and sectors of the partnerships that have public lessons (two
    queries): the filter offers nothing that would lead to an empty page, and nothing
    learnt from a hidden lesson."""
    partnerships = Partnership.objects.public().filter(
        pk__in=Lesson.objects.public().values("partnership_id")
    )
    sectors = Sector.objects.filter(partnership__in=partnerships.values("pk")).distinct()
    return country_codes(partnerships), list(sectors.order_by("code"))


# --- who is asked to record one ----------------------------------------------------------------


@dataclass(frozen=True)
class LessonWanted:
    """An outcome of a partnership the user's organisation leads that is off track or not
    achieved, with no lesson recorded since (``since``: the day the recheck job found it
    so, None when it has not recorded that yet)."""

    outcome: Outcome
    status: status.Status
    since: date | None

    @property
    def partnership(self) -> Partnership:
        return self.outcome.partnership

    @property
    def status_label(self) -> str:
        return str(status.STATUS_LABELS[self.status])


def lessons_wanted_for(user, *, today: date | None = None) -> list[LessonWanted]:
    """The outcomes of partnerships led by one of the user's organisations whose worst
    indicator is off track or not achieved (``scorecards.status``, as on the scorecard)
    and for which no lesson was recorded since: since the latest day the recheck job
    recorded one of its indicators moving to that status (``IndicatorTransition``), or at
    all when the job has not recorded it yet. A lesson counts for an outcome when it is
    linked to the outcome or to one of its indicators. At most eight queries, however
    many partnerships, outcomes and indicators."""
    if not _signed_in(user):
        return []
    indicators = Indicator.objects.filter(
        outcome__partnership__in=access.partnered_ids(user, lead=True)
    )
    outcome_of = dict(indicators.values_list("pk", "outcome_id"))
    if not outcome_of:
        return []
    found = statuses_of(facts_for(Indicator.objects.filter(pk__in=list(outcome_of))), today)
    keys: dict[int, list[int]] = {}
    for pk, outcome_id in outcome_of.items():
        keys.setdefault(outcome_id, []).append(pk)
    worst = {
        outcome_id: rolled.worst
        for outcome_id, rolled in status.rollup_by(found, keys).items()
        if rolled.worst in WANTING_A_LESSON
    }
    if not worst:
        return []
    since = _went_wrong_on(list(worst))
    last_lesson = _last_lesson_on(list(worst))
    wanted = []
    for outcome in Outcome.objects.filter(pk__in=list(worst)).select_related("partnership"):
        recorded = last_lesson.get(outcome.pk)
        went_wrong = since.get(outcome.pk)
        if recorded is not None and (went_wrong is None or recorded >= went_wrong):
            continue
        wanted.append(LessonWanted(outcome, worst[outcome.pk], went_wrong))
    return sorted(
        wanted, key=lambda item: (item.partnership.pk, item.outcome.order, item.outcome.pk)
    )


def _went_wrong_on(outcome_ids: list[int]) -> dict[int, date]:
    """Per outcome, the latest day the recheck job recorded one of its indicators moving
    to off track or not achieved."""
    rows = (
        IndicatorTransition.objects.filter(
            indicator__outcome__in=outcome_ids,
            kind=TransitionKind.STATUS,
            to_status__in=[str(item) for item in WANTING_A_LESSON],
        )
        .order_by()
        .values("indicator__outcome_id")
        .annotate(day=Max("day"))
        .values_list("indicator__outcome_id", "day")
    )
    return dict(rows)


def _last_lesson_on(outcome_ids: list[int]) -> dict[int, date]:
    """Per outcome, the day (local) of the latest lesson linked to it or to one of its
    indicators."""
    rows = (
        Lesson.objects.filter(Q(outcome__in=outcome_ids) | Q(indicator__outcome__in=outcome_ids))
        .annotate(about=Coalesce("outcome_id", "indicator__outcome_id"))
        .order_by()
        .values("about")
        .annotate(last=Max("created_at"))
        .values_list("about", "last")
    )
    return {outcome_id: timezone.localdate(last) for outcome_id, last in rows}
