"""Lessons: what a partnership learnt, a failure, a success or an adaptation.

Who may record, edit and publish is said in ``scorecards.lessons``; the one rule kept
here as well is publishing's, since it changes what the public reads: only the lead
partner's staff (or a platform admin, or a caller acting for nobody, such as the demo
world) make a lesson public or internal. A lesson links an outcome or an indicator of its
own partnership only; linked to an indicator alone, it is linked to that indicator's
outcome too, so the outcome's scorecard and "my work" see it. Saving bumps the public
page cache (``harambee.services``), so the lessons page and the scorecard show the change
on the next visit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from harambee import pagecache
from harambee.content import author_language
from harambee.services import save_changes, save_new
from harambee.transitions import lock
from partnerships.models import Partnership
from scorecards.lessons import may_publish_lesson
from scorecards.models import Indicator, Lesson, Outcome

# What ``lesson_update`` changes; the partnership and who recorded it stay.
LESSON_FIELDS = frozenset(
    {"kind", "title", "what_happened", "why", "what_changed", "outcome", "indicator", "is_public"}
)


def _links(
    partnership: Partnership, outcome: Outcome | None, indicator: Indicator | None
) -> tuple[Outcome | None, Indicator | None]:
    """The outcome and indicator, checked as stored to belong to the partnership (and to
    each other); an indicator alone brings its outcome."""
    errors = {}
    if outcome is not None:
        stored = Outcome.objects.filter(pk=outcome.pk).values_list("partnership_id", flat=True)
        if stored.first() != partnership.pk:
            errors["outcome"] = _("Choose an outcome of this partnership.")
    if indicator is not None:
        row = Indicator.objects.filter(pk=indicator.pk).values_list(
            "outcome_id", "outcome__partnership_id"
        )
        outcome_id, partnership_id = row.first() or (None, None)
        if partnership_id != partnership.pk:
            errors["indicator"] = _("Choose an indicator of this partnership.")
        elif outcome is None:
            outcome = Outcome.objects.get(pk=outcome_id)
        elif outcome.pk != outcome_id and "outcome" not in errors:
            errors["indicator"] = _(
                "Choose an indicator of the outcome you linked, or link the indicator alone."
            )
    if errors:
        raise ValidationError(errors, code="elsewhere")
    return outcome, indicator


def _check_publisher(partnership: Partnership, by: User | None) -> None:
    if by is not None and not may_publish_lesson(by, partnership.pk):
        raise ValidationError(
            {"is_public": _("Only the lead partner's staff can make a lesson public or internal.")},
            code="not_publisher",
        )


@transaction.atomic
def lesson_create(
    *,
    partnership: Partnership,
    by: User | None,
    kind: str,
    title: str,
    what_happened: str,
    why: str = "",
    what_changed: str = "",
    outcome: Outcome | None = None,
    indicator: Indicator | None = None,
    is_public: bool = False,
    **fields: Any,
) -> Lesson:
    """Record a lesson of ``partnership``, internal unless ``is_public`` (which only the
    lead's staff may ask for). ``fields`` may hold translations (``title_fr``...) and
    ``source_language`` (default: the author's language)."""
    if is_public:
        _check_publisher(partnership, by)
    outcome, indicator = _links(partnership, outcome, indicator)
    fields.setdefault("source_language", author_language())
    return save_new(
        Lesson(
            partnership=partnership,
            kind=kind,
            title=(title or "").strip(),
            what_happened=(what_happened or "").strip(),
            why=(why or "").strip(),
            what_changed=(what_changed or "").strip(),
            outcome=outcome,
            indicator=indicator,
            is_public=bool(is_public),
            recorded_by=by,
            **fields,
        )
    )


@transaction.atomic
def lesson_update(*, lesson: Lesson, by: User | None, **fields: Any) -> Lesson:
    """Change a lesson's kind, texts, links or (the lead's staff only) whether it is
    public. Texts are saved in the active language's column, as on every edit page."""
    unknown = set(fields) - LESSON_FIELDS
    if unknown:
        raise ValueError(f"Not a field of a lesson that changes: {sorted(unknown)}")
    stored = lock(lesson)
    partnership = stored.partnership
    if "is_public" in fields:
        fields["is_public"] = bool(fields["is_public"])
        if fields["is_public"] != stored.is_public:
            _check_publisher(partnership, by)
    if "outcome" in fields or "indicator" in fields:
        outcome, indicator = _links(
            partnership,
            fields.get("outcome", stored.outcome),
            fields.get("indicator", stored.indicator),
        )
        fields.update(outcome=outcome, indicator=indicator)
    for name in ("title", "what_happened", "why", "what_changed"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    save_changes(lesson, fields)
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    """Remove a lesson (its change history keeps what it said)."""
    lock(lesson).delete()
    pagecache.bump()  # a delete goes around save_changes
