"""The language switcher: plain links to the same page in each shipped language."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in the language itself: "Kiswahili", "français"
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def language_links(context) -> tuple[LanguageLink, ...]:
    """The current page in every shipped language.

    Visitors get the page's own address in that language, so the link works without
    JavaScript and a cached page carries no form or token. A signed-in user's link goes
    through the ``language`` view, which keeps the choice on their profile first.
    """
    request = context["request"]
    # A page shown in answer to a form (a refusal, say) has an address that only takes
    # POSTs: link to the home page in each language instead.
    here = request.get_full_path() if request.method in ("GET", "HEAD") else "/"
    signed_in = request.user.is_authenticated
    return _links(here, signed_in, get_language(), get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=2048)
def _links(
    here: str, signed_in: bool, active: str, script_prefix: str, urlconf: str | None
) -> tuple[LanguageLink, ...]:
    """The links for one address, language and kind of reader. Every page shows them and
    they depend on nothing else (the script prefix and the URLconf, which ``reverse``
    reads, are in the key), so a process works them out once per address: resolving the
    address and reversing it in each language was most of what the links cost."""
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(here, code)
        if signed_in:
            url = f"{reverse('language', args=[code])}?{urlencode({'next': url})}"
        name = get_language_info(code)["name_local"]
        links.append(LanguageLink(code, name, url, code == active))
    return tuple(links)
