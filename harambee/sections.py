"""Sections that apps add to the partnership page.

Later apps (communities now; scorecards, reviews and open data next) register a section
from their ``AppConfig.ready``, so the partnership page shows them without partnerships
naming another app's templates. A section's template gets the page's context plus
``section``: what the section's ``context`` function returns for this request and
partnership (a dict; keep it to a fixed number of queries, since every visitor of every
partnership page pays for it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SectionContext = Callable[[Any, Any], dict]


@dataclass(frozen=True)
class PartnershipSection:
    key: str
    template: str
    order: int
    context: SectionContext | None = None

    def render_context(self, request, partnership) -> dict:
        return self.context(request, partnership) if self.context else {}


_SECTIONS: dict[str, PartnershipSection] = {}


def register_partnership_section(
    key: str, template: str, *, order: int = 100, context: SectionContext | None = None
) -> None:
    """Add (or replace, by key) a section of the partnership page; lower ``order`` first."""
    _SECTIONS[key] = PartnershipSection(key, template, order, context)


def partnership_sections(request, partnership) -> list[tuple[PartnershipSection, dict]]:
    """The registered sections in page order, each with its context for this request."""
    sections = sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    return [(section, section.render_context(request, partnership)) for section in sections]
