"""Template helpers for the public community side; counts only through communities.disclosure."""

from django import template

from communities import disclosure
from communities.models import AffectedGroup, Need

register = template.Library()


@register.filter
def people_affected(need: Need) -> str:
    """A need's people affected; a need of people with disabilities uses the sensitive
    threshold, since the number then counts people with a disability."""
    if need.people_affected is None:
        return ""
    sensitive = AffectedGroup.DISABILITIES in (need.groups_affected or [])
    dimension = "disability" if sensitive else ""
    return disclosure.public_count(need.people_affected, dimension=dimension)
