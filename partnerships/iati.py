"""IATI's rule for activity identifiers, as pure functions (no database).

An activity identifier is the reporting organisation's IATI organisation identifier,
then "-", then the activity's own part. Organisation identifiers contain "-" themselves
(``XX-1`` and ``XX-1-2`` can both be registered), so the organisation an activity
identifier belongs to is the longest registered one that it starts with, followed by "-".
"""

from __future__ import annotations

from collections.abc import Iterable


def organisation_prefixes(activity_identifier: str) -> list[str]:
    """Every organisation identifier the activity identifier could start with: each part
    before a "-" that has an activity part after it (``A-B-c`` gives ``A`` and ``A-B``)."""
    return [
        activity_identifier[:i]
        for i, char in enumerate(activity_identifier)
        if char == "-" and 0 < i < len(activity_identifier) - 1
    ]


def namespace_owner(activity_identifier: str, registered: Iterable[str]) -> str | None:
    """The registered organisation identifier whose namespace holds the activity identifier:
    the longest one followed by "-" and an activity part, or None when none is."""
    prefixes = set(organisation_prefixes(activity_identifier))
    owners = [identifier for identifier in registered if identifier in prefixes]
    return max(owners, key=len, default=None)
