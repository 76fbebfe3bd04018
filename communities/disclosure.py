"""Statistical disclosure control for public participation counts.

DRAFT
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
HIDDEN_MARK = "–"  # en dash: "withheld", deliberately not a number or a bound

REASON_PRIMARY = "primary"
REASON_SECONDARY = "secondary"
REASON_DIMENSION = "dimension"


@dataclass(frozen=True)
class PublicCell:
    """One count as the public may see it."""

    category: str
    label: str
    display: str
    value: int | None
    percent: float | None
    suppressed: bool
    reason: str


@dataclass(frozen=True)
class PublicTable:
    """One dimension (e.g. sex) of a participants total, protected for publication."""

    dimension: str
    threshold: int
    total: PublicCell
    cells: tuple[PublicCell, ...]
    hidden: bool


# --- thresholds ------------------------------------------------------------------------------


def _check_threshold(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"A suppression threshold must be a positive integer, got {value!r}.")
    return value


def threshold_for(dimension: str) -> int:
    """Return the suppression threshold T for a dimension, read from settings at call time.

    Sensitive dimensions (``HARAMBEE_SENSITIVE_DIMENSIONS``, default ``{"disability"}``) use
    ``HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD`` (default 10), all others
    ``HARAMBEE_SUPPRESSION_THRESHOLD`` (default 5). A sensitive dimension is never protected
    less than an ordinary one, so it gets the larger of the two.
    """
    base = _check_threshold(getattr(settings, "HARAMBEE_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))
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
        raise TypeError(f"A {what} must be an integer, got {value!r}.")
    if value < 0:
        raise ValueError(f"A {what} cannot be negative, got {value}.")
    return value


def _below(threshold: int) -> str:
    return f"<{threshold}"


def public_count(value: int, *, dimension: str = "", threshold: int | None = None) -> str:
    """Display text of one standalone count (no table): '<5' style or the number; 0 -> '0'.

    Use this only for a count that is published on its own. Counts that belong to a table
    with a published total must go through :func:`protect_table`, otherwise the hidden
    count can be recovered by subtraction.
    """
    count = _check_count(value)
    limit = _resolve_threshold(dimension, threshold)
    return _below(limit) if 0 < count < limit else str(count)


# --- suppression pattern ---------------------------------------------------------------------


def _secondary_cap(index: int, values: Sequence[int], published: Sequence[int]) -> int | None:
    """Largest value a reader can rule in for the secondary cell ``index``.

    Secondary cells are taken smallest first (ties: first in display order), so a reader
    knows each one sorts before every cell still published.
    """
    caps = [values[j] if j > index else values[j] - 1 for j in published]
    return min(caps, default=None)


def _is_safe(
    values: Sequence[int], reasons: Mapping[int, str], published: Sequence[int], t: int
) -> bool:
    """True when no primary cell can be narrowed below [1, t-1] from the published table.

    The hidden cells' sum S is known. A primary cell p ranges over [1, t-1] iff the other
    hidden cells can absorb the t-2 difference in both directions: S - sum(lower bounds)
    >= t-2 and sum(upper bounds) - S >= t-2 (the bounds of all hidden cells, p included;
    every primary cell has the same bounds, so one check covers them all).
    """
    hidden_sum = sum(values[i] for i in reasons)
    low = high = 0
    for index, reason in reasons.items():
        if reason == REASON_PRIMARY:
            low, high = low + 1, high + t - 1
        else:
            cap = _secondary_cap(index, values, published)
            low, high = low + t, high + (hidden_sum if cap is None else cap)
    return hidden_sum - low >= t - 2 and high - hidden_sum >= t - 2


def _suppression_reasons(values: Sequence[int], t: int) -> list[str]:
    """Reason per cell ("" = published) for a table whose total is published."""
    reasons = {i: REASON_PRIMARY for i, v in enumerate(values) if 0 < v < t}
    if not reasons:
        return [""] * len(values)
    published = sorted((i for i, v in enumerate(values) if v >= t), key=lambda i: (values[i], i))
    while not _is_safe(values, reasons, published, t):
        if not published:
            return [REASON_DIMENSION] * len(values)
        # Hiding the smallest remaining cell costs the reader the least information.
        reasons[published.pop(0)] = REASON_SECONDARY
    return [reasons.get(i, "") for i in range(len(values))]


# --- tables ----------------------------------------------------------------------------------


def _rows(counts: Sequence[tuple[str, Any, int]], total: int) -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for category, label, count in counts:
        if category in seen or category in (TOTAL_KEY, UNRECORDED_KEY):
            raise ValueError(f"Category {category!r} is duplicated or reserved.")
        seen.add(category)
        rows.append((category, str(label), _check_count(count)))
    remainder = total - sum(count for _, _, count in rows)
    if remainder < 0:
        raise ValueError(f"The categories sum to more than the total ({total}).")
    if remainder:
        rows.append((UNRECORDED_KEY, str(_("Not recorded")), remainder))
    return rows


def _published(category: str, label: str, value: int, total: int | None) -> PublicCell:
    percent = round(100 * value / total, 1) if total else None
    return PublicCell(category, label, str(value), value, percent, False, "")


def _withheld(category: str, label: str, reason: str, t: int) -> PublicCell:
    display = _below(t) if reason == REASON_PRIMARY else HIDDEN_MARK
    return PublicCell(category, label, display, None, None, True, reason)


def _protect(
    dimension: str,
    counts: Sequence[tuple[str, Any, int]],
    total: int,
    t: int,
    total_threshold: int,
) -> PublicTable:
    total = _check_count(total, "total")
    rows = _rows(counts, total)
    label = str(_("Total"))
    if 0 < total < total_threshold:
        # Too few participants: even the split of zeros would describe a small group.
        cells = tuple(_withheld(c, lbl, REASON_DIMENSION, t) for c, lbl, _v in rows)
        total_cell = _withheld(TOTAL_KEY, label, REASON_PRIMARY, total_threshold)
        return PublicTable(dimension, t, total_cell, cells, hidden=True)
    reasons = _suppression_reasons([v for _c, _l, v in rows], t)
    cells = tuple(
        _withheld(c, lbl, reason, t) if reason else _published(c, lbl, v, total)
        for (c, lbl, v), reason in zip(rows, reasons, strict=True)
    )
    total_cell = _published(TOTAL_KEY, label, total, None)
    hidden = bool(reasons) and reasons[0] == REASON_DIMENSION
    return PublicTable(dimension, t, total_cell, cells, hidden=hidden)


def protect_table(
    dimension: str,
    counts: Sequence[tuple[str, Any, int]],
    *,
    total: int,
    threshold: int | None = None,
) -> PublicTable:
    """counts: (category, label, count) in display order."""
    t = _resolve_threshold(dimension, threshold)
    return _protect(dimension, counts, total, t, t)


def protect_breakdown(
    dimensions: Mapping[str, Sequence[tuple[str, Any, int]]], *, total: int
) -> list[PublicTable]:
    """Several dimensions sharing one participants total (the total is the same for all, so one is hidden iff all are)."""
    thresholds = {dimension: threshold_for(dimension) for dimension in dimensions}
    total_threshold = max(thresholds.values(), default=DEFAULT_THRESHOLD)
    return [
        _protect(dimension, counts, total, thresholds[dimension], total_threshold)
        for dimension, counts in dimensions.items()
    ]
