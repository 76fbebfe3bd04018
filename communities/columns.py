"""The spreadsheet columns of needs and participant counts, and how a need maps to a row.

Imports, exports, the downloadable templates and later the API share this mapping, so a
column means the same thing everywhere. Column names are part of the file format people
keep in their survey tools: never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from communities.dimensions import DIMENSIONS
from communities.models import Need, NeedStatus

NEED_COLUMNS = [
    "title",
    "description",
    "sector",
    "priority_rank",
    "severity",
    "groups_affected",
    "people_affected",
    "status",
]
NEED_REQUIRED_COLUMNS = ["title", "priority_rank", "severity"]
NEED_OPTIONAL_COLUMNS = [c for c in NEED_COLUMNS if c not in NEED_REQUIRED_COLUMNS]
NEED_EXAMPLE = [
    "Affordable mobile data for the youth centre",
    "Young people share one phone to look for work.",
    "22040",
    1,
    "high",
    "youth;women",
    120,
    "open",
]
PARTICIPANT_COLUMNS = ["dimension", "category", "count"]
PARTICIPANT_EXAMPLE = ["sex", "female", 24]
PARTICIPANT_TOTAL_ROW = ["total", "total", 40]
GROUP_SEPARATOR = ";"
CODES_SHEET = "codes"  # the second sheet of the Excel template; imports read the first


def participant_codes() -> list[tuple[str, str, str]]:
    """Every (dimension, category) a participants file may use, with what it means in the
    active language, in the registry's order, then the total row."""
    rows = [
        (dimension.key, category, f"{dimension.label} — {label}")
        for dimension in DIMENSIONS.values()
        for category, label in dimension.categories
    ]
    rows.append(("total", "total", _("People who took part")))
    return rows


def need_to_row(need: Need) -> list:
    """One need as a row of NEED_COLUMNS, in the import format."""
    return [
        need.title,
        need.description,
        need.sector_id or "",
        need.priority_rank,
        need.severity,
        GROUP_SEPARATOR.join(need.groups_affected),
        "" if need.people_affected is None else need.people_affected,
        need.status,
    ]


def need_fields_from_row(row: Mapping) -> dict:
    """The Need fields of one cleaned import row (see ``forms.NeedRowForm``)."""
    sector = row.get("sector")
    return {
        "title": row["title"],
        "description": row.get("description") or "",
        "sector_id": getattr(sector, "pk", sector),
        "priority_rank": row["priority_rank"],
        "severity": row["severity"],
        "groups_affected": list(row.get("groups_affected") or []),
        "people_affected": row.get("people_affected"),
        "status": row.get("status") or NeedStatus.OPEN,
    }
