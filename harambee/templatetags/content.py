"""Content in the reader's language: ``{% text record "field" %}``.

The rule is ``harambee.content.in_reader_language``; this only renders its answer. A text
in the reader's language is plain escaped text; a fallback is wrapped in its ``lang`` and
labelled "written in <language>", so neither screen readers nor people are misled.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from harambee.content import Text, in_reader_language

register = template.Library()


def _resolve(value, field: str | None) -> Text | str:
    if isinstance(value, Text) or field is None:
        return value if isinstance(value, Text) else str(value or "")
    if value is None:
        return ""
    return in_reader_language(value, field, get_language())


@register.simple_tag
def text(value, field: str | None = None, *, linebreaks: bool = False) -> SafeString:
    """A record's field (or a ``Text``) in the reader's language, marked when it falls back.

    ``linebreaks=True`` keeps the line breaks of a multi-line field (``<br>``)."""
    shown = _resolve(value, field)
    body = linebreaksbr(str(shown), autoescape=True) if linebreaks else conditional_escape(shown)
    if not isinstance(shown, Text) or not shown.fallback:
        return body
    label = _("written in %(language)s") % {"language": shown.language_name}
    return format_html(
        '<span lang="{}">{}</span> <small class="written-in">{}</small>',
        shown.language,
        body,
        label,
    )


@register.simple_tag
def plain_text(value, field: str | None = None) -> str:
    """The same text without any markup, for a page title or an attribute (escaped as any
    variable is when output)."""
    return str(_resolve(value, field))
