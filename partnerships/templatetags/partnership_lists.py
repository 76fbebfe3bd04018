"""The parts of the list pages that every visitor sees alike, kept as fragments.

``{% partnership_cards page %}`` and ``{% organisation_rows page %}``: the cards of a page
of partnerships, the rows of a page of organisations. A public partnership's card, and an
organisation's row, look the same to every visitor and signed-in user, so each is kept
under the public version (``pagecache.key``): every change through a service replaces them
all, and so do the date (current partners), the language and a new release. The page's
own rows are read on every request and their fragments fetched in one round trip; only
the missing ones are completed (a card's partners and sectors, a row's public
partnerships: one or two queries over those rows) and rendered. A crawler walking the
filters and pages meets the same ones again and again. Drafts and private partnerships,
which only some people see, are rendered each time.

``{% filter_fields form %}``: a list's filter form (``includes/_form.html``). For visitors
it depends only on the filters sent, the language and the choices offered (site-wide
figures under the same version), so it is kept per filters: every page of a list shares
it. A signed-in user's choices include their own partnerships' countries: rendered each
time.

Nothing is kept with ``HARAMBEE_CACHE_FRAGMENTS`` off (the default with DEBUG on, so that
an edited template shows at once; the tests render everything too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from harambee import pagecache
from partnerships import selectors
from partnerships.models import Organisation, Partnership

register = template.Library()

CARD = "partnerships/_partnership_card.html"
ORGANISATION_ROW = "partnerships/_organisation_row.html"
FORM = "includes/_form.html"


@register.simple_tag(takes_context=True)
def partnership_cards(context, partnerships: Iterable[Partnership]) -> SafeString:
    """The ``<li>`` cards of ``partnerships`` (a page of rows from ``for_list()``); only
    public ones are kept."""
    return _each(
        context,
        CARD,
        "partnership",
        list(partnerships),
        selectors.partnership_cards,
        keep=lambda partnership: partnership.is_public,
    )


@register.simple_tag(takes_context=True)
def organisation_rows(context, organisations: Iterable[Organisation]) -> SafeString:
    """The table rows of ``organisations`` (a page of rows from ``for_list()``), each with
    its public partnerships. Organisations are public: every row is kept."""
    return _each(
        context,
        ORGANISATION_ROW,
        "organisation",
        list(organisations),
        selectors.with_public_partnership_counts,
    )


def _each(context, template_name, name, rows, complete, keep=lambda row: True) -> SafeString:
    """Each row rendered with ``template_name`` (as ``name``), after ``complete`` added
    what it shows to the rows that need rendering; kept ones come from the cache."""
    item = context.template.engine.get_template(template_name)

    def render(missing: list) -> dict[int, str]:
        return {
            row.pk: item.render(Context({name: row}, autoescape=context.autoescape))
            for row in complete(missing)
        }

    if pagecache.fragments_enabled():
        rendered = _kept(f"{name}:{get_language()}", rows, render, keep)
    else:
        rendered = render(rows)
    # Each is the template's own output, escaped there.
    return mark_safe("".join(rendered[row.pk] for row in rows))  # noqa: S308


def _kept(under: str, rows: list, render, keep) -> dict[int, str]:
    """The rows' fragments from the cache, the missing ones rendered (and kept)."""
    prefix = pagecache.key(under)
    keys = {row.pk: f"{prefix}:{row.pk}" for row in rows if keep(row)}
    found = pagecache.get_many(keys.values()) if keys else {}
    rendered = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [row for row in rows if row.pk not in rendered]
    if missing:
        new = render(missing)
        rendered.update(new)
        kept = {keys[pk]: html for pk, html in new.items() if pk in keys}
        if kept:
            pagecache.set_many(kept)
    return rendered


@register.simple_tag(takes_context=True)
def filter_fields(context, form) -> SafeString:
    """The fields of a list's filter form, as ``includes/_form.html`` renders them."""
    fields = context.template.engine.get_template(FORM)

    def render() -> str:
        return fields.render(Context({"form": form}, autoescape=context.autoescape))

    if not pagecache.fragments_enabled() or context["request"].user.is_authenticated:
        return mark_safe(render())  # noqa: S308 - the template's own output
    sent = sorted((name, form.data.getlist(name)) for name in form.fields if name in form.data)
    digest = hashlib.sha256(repr((form.is_bound, sent)).encode()).hexdigest()[:32]
    name = f"filters:{type(form).__name__}:{get_language()}:{digest}"
    return mark_safe(pagecache.remember(name, render))  # noqa: S308 - the template's output
