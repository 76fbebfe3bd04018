"""Sections that apps add to the partnership page.

Later apps (communities now; scorecards, reviews and open data next) register a section
from their ``AppConfig.ready``, so the partnership page shows them without partnerships
naming another app's templates. A section's template gets the page's context plus
``section``: what the section's ``context`` function returns for this request and
partnership (a dict; keep it to a fixed number of queries, since every visitor of every
partnership page pays for it).

A section's figures that are one value per partnership (whether it has a published side,
how many outcomes it has) are ``annotations``: query expressions the partnership page adds
to its own detail query (``partnership_section_annotations``), so they are read with the
partnership's row and cost the section no query of its own. Name them after the section's
key (``communities_published``) so two sections never clash. The ``context`` function
reads the annotation when the partnership has it and runs its own query when it does not
(a partnership fetched elsewhere, without them). ``add_section_figures`` reads them all in
one query for a partnership fetched without them.

A section's output may depend on the reader only through whether they are signed in and
the page's ``can_edit`` and ``can_manage``: the partnership page keeps the body of a
public partnership, sections included, for the readers who may not edit it
(``partnerships.views.PartnershipDetailView``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models.expressions import BaseExpression

SectionContext = Callable[[Any, Any], dict]
SectionAnnotations = Callable[[], dict[str, BaseExpression]]


@dataclass(frozen=True)
class PartnershipSection:
    key: str
    template: str
    order: int
    context: SectionContext | None = None
    annotations: SectionAnnotations | None = None

    def render_context(self, request, partnership) -> dict:
        return self.context(request, partnership) if self.context else {}


_SECTIONS: dict[str, PartnershipSection] = {}


def register_partnership_section(
    key: str,
    template: str,
    *,
    order: int = 100,
    context: SectionContext | None = None,
    annotations: SectionAnnotations | None = None,
) -> None:
    """Add (or replace, by key) a section of the partnership page; lower ``order`` first.
    ``annotations`` returns the section's per-partnership figures as query expressions,
    by names that start with ``key``."""
    _SECTIONS[key] = PartnershipSection(key, template, order, context, annotations)
    _merged.clear()


def partnership_sections(request, partnership) -> list[tuple[PartnershipSection, dict]]:
    """The registered sections in page order, each with its context for this request."""
    sections = sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    return [(section, section.render_context(request, partnership)) for section in sections]


# The merged annotations, built once per process (a queryset copies an expression it is
# given before resolving it, so one set serves every query); emptied by a registration.
_merged: dict[str, BaseExpression] = {}


def partnership_section_annotations() -> dict[str, BaseExpression]:
    """The annotations of every registered section, for the partnership page's query."""
    if not _merged:
        _merged.update(_merge())
    return dict(_merged)


def add_section_figures(partnership) -> None:
    """Set the sections' figures on a partnership fetched without them (one query; none
    when it has them all already)."""
    annotations = partnership_section_annotations()
    missing = {name: e for name, e in annotations.items() if not hasattr(partnership, name)}
    if missing:
        rows = type(partnership).objects.filter(pk=partnership.pk).order_by()
        for name, value in rows.values(**missing).get().items():
            setattr(partnership, name, value)


def _merge() -> dict[str, BaseExpression]:
    merged: dict[str, BaseExpression] = {}
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if section.annotations is None:
            continue
        annotations = section.annotations()
        clashes = merged.keys() & annotations.keys()
        if clashes:
            raise ValueError(f"Section {section.key!r} repeats annotations {sorted(clashes)}")
        merged.update(annotations)
    return merged
