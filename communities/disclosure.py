"""Statistical disclosure control: the one place that decides what a public count looks like.

NGO staff record how many people took part in a needs assessment, broken down by dimensions
(sex, age group, disability, wealth group). Public pages, the API and exports show these
counts only through this module, so that nobody in a small group can be singled out.

Rules (T is the threshold of the dimension, see :func:`threshold_for`)
-----------------------------------------------------------------------
* Primary suppression: a count ``1 <= c < T`` is shown as ``"<T"``, never as the number.
  Zero is shown as ``"0"``.
* The total (the number of participants) is shown when it is at least T. A smaller total
  is shown as ``"<T"`` and every cell of the table, zeros included, is withheld: even "0
  women" would describe everyone in a group of fewer than T people.
* Secondary suppression: further cells are withheld (shown as ``"–"``) so that a ``"<T"``
  cell cannot be worked out from the total and the other cells. When that cannot be done,
  the whole dimension is withheld and only the total remains.
* Categories that do not add up to the total leave a remainder; it is published as its own
  ``"_unrecorded"`` cell ("Not recorded") under the same rules, so the cells of a table
  always add up to its total and the arithmetic below is honest.

Attacker model
--------------
The reader knows the published total, every published cell, that every ``"<T"`` cell lies
in [1, T-1], that every ``"–"`` cell is a non-zero count of at least T (cells below T are
primary), and this algorithm. In particular they know that ``"–"`` cells are taken
smallest first (ties: first in display order), so each one sorts before every non-zero cell
still published. The reader therefore knows the hidden sum S = total - sum(published cells)
and a range [lo, hi] for every hidden cell:

* ``"<T"`` cell: [1, T-1];
* ``"–"`` cell: [T, cap], cap being the smallest non-zero published value (one less if that
  cell comes earlier in display order); with no non-zero cell published, only S bounds it.

The rule
--------
A ``"<T"`` cell keeps its full range [1, T-1] while the other hidden cells can absorb its
whole swing: at their lowest they must leave it *more* than T-1, at their highest *less*
than 1. All ``"<T"`` cells share one range, so for the hidden set as a whole this reads::

    S - sum(lo) >= T - 1   and   sum(hi) - S >= T - 1

While this fails, the smallest non-zero published cell is withheld as well (``"–"``); when
no such cell is left, the whole dimension is withheld.

Why this is stronger than "S - (T-1) >= the lower bounds of the other hidden cells":

* That condition only stops the reader from pushing a ``"<T"`` cell up. A lone 4 passes it
  (4 - 4 >= 0), yet a total of 9 next to a published 5 gives it away; ``4, 4`` out of 8
  passes it, yet 8 can only be 4 + 4. The upper side (``sum(hi) - S``) catches both.
* A ``"–"`` cell is not unbounded above. ``4, 6, 6`` out of 16 would withhold the 4 and the
  first 6 (S = 10), but that cell was picked before the published 6, so it is 5 or 6 and
  the ``"<5"`` is a 4. The cap catches this and the second 6 is withheld too.
* A reader who re-runs the algorithm on every table that fits the publication also learns
  that the algorithm did not stop with fewer cells withheld. With a margin of T-2 (exactly
  the width of the range) such an earlier failed check would rule out the extreme values
  of a ``"<T"`` cell (with T=3, pin it down). With T-1, such a failure can always be explained
  by the other hidden cells sitting at their bounds, whatever the ``"<T"`` cell holds, so
  it rules nothing out.

This last point is checked by brute force rather than proven: for T=5,
``tests/communities/test_disclosure.py`` rebuilds every table consistent with a
publication, re-runs this module on each, and asserts that every ``"<T"`` cell can still
take every value in [1, T-1].

Scope: each dimension is a separate one-way table of the same participants; they share only
the total, which :func:`protect_breakdown` shows or hides in all of them at once. Cross
tabulations (sex by age group) are not covered and must not be published with this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_THRESHOLD = 5
DEFAULT_SENSITIVE_THRESHOLD = 10
DEFAULT_SENSITIVE_DIMENSIONS = frozenset({"disability"})

TOTAL_KEY = "_total"
UNRECORDED_KEY = "_unrecorded"
WITHHELD = "–"  # en dash: withheld, deliberately neither a number nor a bound

REASON_PRIMARY = "primary"
REASON_SECONDARY = "secondary"
REASON_DIMENSION = "dimension"

Counts = Sequence[tuple[str, Any, int]]


@dataclass(frozen=True)
class PublicCell:
    """One count as the public may see it."""

    category: str  # key, e.g. "female"; "_total" for the total
    label: str
    display: str  # "12", "0", "<5" or "–"
    value: int | None  # the number if published, else None
    percent: float | None  # share of the total, only when both are published
    suppressed: bool
    reason: str  # "", "primary", "secondary" or "dimension"


@dataclass(frozen=True)
class PublicTable:
    """One dimension of a participants total, protected for publication."""

    dimension: str
    threshold: int
    total: PublicCell
    cells: tuple[PublicCell, ...]
    hidden: bool  # every cell withheld; only the total (if any) remains


# --- thresholds ------------------------------------------------------------------------------


def _check_threshold(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"A suppression threshold must be a positive integer, not {value!r}.")
    return value


def threshold_for(dimension: str) -> int:
    """Return the suppression threshold T of a dimension, read from the settings at call time.

    Dimensions in ``HARAMBEE_SENSITIVE_DIMENSIONS`` (default ``{"disability"}``) use
    ``HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD`` (default 10), all others
    ``HARAMBEE_SUPPRESSION_THRESHOLD`` (default 5). A sensitive dimension is never protected
    less than an ordinary one: it gets the larger of the two.
    """
    base = getattr(settings, "HARAMBEE_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD)
    base = _check_threshold(base)
    sensitive = getattr(settings, "HARAMBEE_SENSITIVE_DIMENSIONS", DEFAULT_SENSITIVE_DIMENSIONS)
    if dimension not in sensitive:
        return base
    raw = getattr(settings, "HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD", DEFAULT_SENSITIVE_THRESHOLD)
    return max(base, _check_threshold(raw))


def _resolve_threshold(dimension: str, threshold: int | None) -> int:
    return threshold_for(dimension) if threshold is None else _check_threshold(threshold)


# --- single counts ---------------------------------------------------------------------------


def _check_count(value: Any, what: str = "count") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"A {what} must be an integer, not {value!r}.")
    if value < 0:
        raise ValueError(f"A {what} cannot be negative, got {value}.")
    return value


def _below(threshold: int) -> str:
    return f"<{threshold}"


def public_count(value: int, *, dimension: str = "", threshold: int | None = None) -> str:
    """Display text of one standalone count (no table): '<5' style or the number; 0 -> '0'.

    Only for a count published on its own. Counts that belong to a table with a published
    total must go through :func:`protect_table`, or a hidden one can be recovered by
    subtraction.
    """
    count = _check_count(value)
    limit = _resolve_threshold(dimension, threshold)
    return _below(limit) if 0 < count < limit else str(count)


# --- the suppression pattern -----------------------------------------------------------------


def _secondary_cap(index: int, values: Sequence[int], published: Sequence[int]) -> int | None:
    """What a reader knows bounds the withheld cell ``index`` from above (None: only S does).

    Cells are withheld smallest first, ties in display order, so the cell sorts before every
    non-zero cell still published: at most equal to a later one, below an earlier one.
    """
    return min((values[j] if j > index else values[j] - 1 for j in published), default=None)


def _is_safe(
    values: Sequence[int], reasons: Mapping[int, str], published: Sequence[int], t: int
) -> bool:
    """True when no "<T" cell can be narrowed below [1, t-1] (see the module docstring).

    The hidden cells' sum must sit at least t-1 above the sum of their lower bounds and at
    least t-1 below the sum of their upper bounds: then the other hidden cells can absorb the
    whole swing of any primary cell, with one to spare so that the algorithm's earlier, failed
    checks do not give a primary cell away either.
    """
    hidden_sum = sum(values[i] for i in reasons)
    low = high = 0
    for index, reason in reasons.items():
        if reason == REASON_PRIMARY:
            low, high = low + 1, high + t - 1
        else:
            cap = _secondary_cap(index, values, published)
            low, high = low + t, high + (hidden_sum if cap is None else cap)
    return hidden_sum - low >= t - 1 and high - hidden_sum >= t - 1


def _suppression_reasons(values: Sequence[int], t: int) -> list[str]:
    """The reason each cell is withheld ("" when published), for a table with a public total."""
    reasons = {i: REASON_PRIMARY for i, value in enumerate(values) if 0 < value < t}
    if not reasons:
        return [""] * len(values)
    # Non-zero cells still published, smallest first: withholding a small cell costs the
    # public the least, and zeros are never worth withholding (they hide nothing).
    published = sorted((i for i, v in enumerate(values) if v >= t), key=lambda i: (values[i], i))
    while not _is_safe(values, reasons, published, t):
        if not published:
            return [REASON_DIMENSION] * len(values)
        reasons[published.pop(0)] = REASON_SECONDARY
    return [reasons.get(i, "") for i in range(len(values))]


# --- tables ----------------------------------------------------------------------------------


def _rows(counts: Counts, total: int) -> list[tuple[str, str, int]]:
    """(category, label, count) per cell, plus the "not recorded" remainder when there is one."""
    rows: list[tuple[str, str, int]] = []
    for category, label, count in counts:
        if category in (TOTAL_KEY, UNRECORDED_KEY) or any(category == r[0] for r in rows):
            raise ValueError(f"Category {category!r} is reserved or given twice.")
        rows.append((category, str(label), _check_count(count)))
    remainder = total - sum(count for _category, _label, count in rows)
    if remainder < 0:
        raise ValueError(f"The categories add up to more than the total of {total}.")
    if remainder:
        rows.append((UNRECORDED_KEY, str(_("Not recorded")), remainder))
    return rows


def _shown(category: str, label: str, value: int, total: int | None) -> PublicCell:
    percent = round(100 * value / total, 1) if total else None
    return PublicCell(category, label, str(value), value, percent, False, "")


def _withheld(category: str, label: str, reason: str, t: int) -> PublicCell:
    # Only a primary cell is known to be small; a secondary one is >= T, so "<T" would lie.
    display = _below(t) if reason == REASON_PRIMARY else WITHHELD
    return PublicCell(category, label, display, None, None, True, reason)


def _protect(dimension: str, counts: Counts, total: int, t: int, total_t: int) -> PublicTable:
    """Protect one dimension; ``total_t`` decides whether the (shared) total is shown."""
    total = _check_count(total, "total")
    rows = _rows(counts, total)
    label = str(_("Total"))
    if 0 < total < total_t:
        cells = tuple(_withheld(c, lbl, REASON_DIMENSION, t) for c, lbl, _v in rows)
        total_cell = _withheld(TOTAL_KEY, label, REASON_PRIMARY, total_t)
        return PublicTable(dimension, t, total_cell, cells, hidden=True)
    reasons = _suppression_reasons([value for _c, _l, value in rows], t)
    cells = tuple(
        _withheld(c, lbl, reason, t) if reason else _shown(c, lbl, value, total)
        for (c, lbl, value), reason in zip(rows, reasons, strict=True)
    )
    hidden = REASON_DIMENSION in reasons
    return PublicTable(dimension, t, _shown(TOTAL_KEY, label, total, None), cells, hidden)


def protect_table(
    dimension: str, counts: Counts, *, total: int, threshold: int | None = None
) -> PublicTable:
    """Protect the counts of one dimension for publication.

    ``counts`` holds ``(category, label, count)`` in display order, which is kept; labels may
    be lazy translations. ``threshold`` overrides :func:`threshold_for`. Raises ValueError for
    a negative count or total and for categories that add up to more than the total.
    """
    t = _resolve_threshold(dimension, threshold)
    return _protect(dimension, counts, total, t, t)


def protect_breakdown(dimensions: Mapping[str, Counts], *, total: int) -> list[PublicTable]:
    """Protect several dimensions of one participants total, in the given order.

    Each dimension uses its own threshold for its cells. The total is the same number in
    every table, so it is shown or withheld everywhere at once, judged by the largest
    threshold among the dimensions present.
    """
    thresholds = {dimension: threshold_for(dimension) for dimension in dimensions}
    total_t = max(thresholds.values(), default=DEFAULT_THRESHOLD)
    return [
        _protect(dimension, counts, total, thresholds[dimension], total_t)
        for dimension, counts in dimensions.items()
    ]
