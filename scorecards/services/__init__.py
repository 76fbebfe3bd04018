"""Every write to outcomes, indicators, targets, readings and evidence goes through here.

One package by subdomain: ``plans`` (outcomes, indicators, targets, revisions),
``readings`` (readings and their verification) and ``evidence``; import the functions
from here (``from scorecards import services``; ``services.reading_verify(...)``).

Each function validates everything before it saves anything, in one transaction, so bad
input changes nothing. Writes that hang off a row lock it first
(``harambee.transitions.lock``), and reading states move only through ``transition``,
so every return keeps its reason in the reading's history. Whatever the public scorecard
shows bumps the public page cache on commit (``harambee.pagecache.bump``).

Rules kept here:
- an outcome links only needs of assessments validated with the community and linked to
  its partnership (``selectors.eligible_needs``);
- a target is never on the wrong side of its baseline, nor dated on or before it
  (``scorecards.status.check_target``); once readings exist, a baseline or target
  changes only with a reason, and leaves a ``Revision``;
- numeric readings take numbers only (the digits of any one script, as
  ``harambee.numbers``), a missing value is said so, and no period ends before the
  baseline date or overlaps another reading of the indicator;
- a verified reading never changes: ``reading_correct`` starts a new reading that
  supersedes it when verified; both stay;
- the verifier is never the reporter (``permissions.verification_refusal``).
"""

from scorecards.selectors import eligible_needs
from scorecards.services.common import parse_number
from scorecards.services.evidence import evidence_add, evidence_remove, evidence_set_public
from scorecards.services.lessons import lesson_create, lesson_delete, lesson_update
from scorecards.services.plans import (
    baseline_change,
    has_readings,
    indicator_create,
    indicator_update,
    outcome_create,
    outcome_delete,
    outcome_update,
    target_add,
    target_change,
    target_remove,
)
from scorecards.services.readings import (
    READING_FIELDS,
    reading_correct,
    reading_create,
    reading_delete,
    reading_return,
    reading_submit,
    reading_update,
    reading_verify,
)

__all__ = [
    "READING_FIELDS",
    "baseline_change",
    "eligible_needs",
    "evidence_add",
    "evidence_remove",
    "evidence_set_public",
    "has_readings",
    "indicator_create",
    "indicator_update",
    "lesson_create",
    "lesson_delete",
    "lesson_update",
    "outcome_create",
    "outcome_delete",
    "outcome_update",
    "parse_number",
    "reading_correct",
    "reading_create",
    "reading_delete",
    "reading_return",
    "reading_submit",
    "reading_update",
    "reading_verify",
    "target_add",
    "target_change",
    "target_remove",
]
