"""Template helpers for the public community side; counts only through communities.disclosure."""

from django import template

from communities import disclosure
from communities.models import NeedsAssessment

register = template.Library()


@register.filter
def public_count(value: int | None) -> str:
    """A standalone count as the public may see it ('<5' for small numbers)."""
    return "" if value is None else disclosure.public_count(value)


@register.simple_tag
def has_public_community_side(partnership) -> bool:
    """True when a public partnership has validated assessments to show (one query)."""
    if not partnership.is_public:
        return False
    return NeedsAssessment.objects.published().filter(partnership=partnership).exists()
