"""The disaggregation dimensions of participant counts, and their categories.

One registry, so forms, imports, pages and exports agree on keys, labels and order.
Add a dimension (or a category) by adding an entry here; nothing else needs to change.
Keys are stored in the database and used in import files: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str | Promise
    categories: tuple[tuple[str, str | Promise], ...]

    def category_keys(self) -> list[str]:
        return [key for key, _label in self.categories]

    def category_label(self, category: str) -> str | Promise:
        return dict(self.categories).get(category, category)


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension(
            "sex",
            _("Sex"),
            (
                ("female", _("Female")),
                ("male", _("Male")),
                ("other", _("Other or prefer not to say")),
            ),
        ),
        Dimension(
            "age_group",
            _("Age group"),
            (
                ("children", _("Children (0–14)")),
                ("youth", _("Youth (15–24)")),
                ("adults", _("Adults (25–59)")),
                ("older", _("Older people (60+)")),
            ),
        ),
        Dimension(
            "disability",
            _("Disability"),
            (
                ("with_disability", _("With a disability")),
                ("without_disability", _("Without a disability")),
            ),
        ),
        Dimension(
            "wealth_group",
            _("Wealth group"),
            (
                ("poorest", _("Poorest")),
                ("poor", _("Poor")),
                ("middle", _("Middle")),
                ("better_off", _("Better off")),
            ),
        ),
    )
}


def dimension_choices() -> list[tuple[str, str | Promise]]:
    return [(d.key, d.label) for d in DIMENSIONS.values()]


def is_known(dimension: str, category: str) -> bool:
    """True when ``category`` is one of the categories of ``dimension``."""
    return dimension in DIMENSIONS and category in DIMENSIONS[dimension].category_keys()


def all_cells() -> list[tuple[str, str]]:
    """Every (dimension, category) pair, in display order."""
    return [(d.key, key) for d in DIMENSIONS.values() for key in d.category_keys()]
