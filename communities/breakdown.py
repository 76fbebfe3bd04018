"""The participant breakdown rule, in one place for the grid, the import and the services.

An assessment's participants are a total and, per dimension (sex, age group, ...), counts
per category. A count is a whole number from 0 up; a dimension's counts may add up to less
than the total (not everyone answered) but never to more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from django.utils.translation import gettext as _

from communities.dimensions import DIMENSIONS, is_known
from communities.models import MAX_PEOPLE


def _is_count(value: object, *, maximum: int = MAX_PEOPLE) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum


def breakdown_problems(total: object, counts: Mapping[tuple[str, str], object]) -> list[str]:
    """Every way ``total`` and ``counts`` ((dimension, category) -> count) break the rule,
    as messages for the person who typed them; empty when they are fine."""
    if not _is_count(total):
        return [
            _("The number of people who took part must be between 0 and %(max)s.")
            % {"max": MAX_PEOPLE}
        ]
    problems: list[str] = []
    sums: dict[str, int] = defaultdict(int)
    for (dimension, category), count in counts.items():
        if not is_known(dimension, category):
            problems.append(
                _("“%(dimension)s / %(category)s” is not a known dimension and category.")
                % {"dimension": dimension, "category": category}
            )
        elif not _is_count(count):
            problems.append(
                _("The count for %(category)s must be 0 or more.")
                % {"category": DIMENSIONS[dimension].category_label(category)}
            )
        else:
            sums[dimension] += count
    for dimension, added_up in sums.items():
        if added_up > total:
            problems.append(
                _(
                    "The %(dimension)s counts add up to %(sum)s, more than the %(total)s "
                    "people who took part."
                )
                % {
                    "dimension": str(DIMENSIONS[dimension].label).lower(),
                    "sum": added_up,
                    "total": total,
                }
            )
    return problems
