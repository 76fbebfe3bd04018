"""What a view says about how its pages may be cached and compressed.

Both decorators only mark the response; ``harambee.middleware`` acts on the marks. They
wrap any view callable, so urls.py can apply them to class-based views too:
``public_page(PartnershipListView.as_view())``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponseBase

from harambee import pagecache

PUBLIC_PAGE = "harambee_public_page"
BREACH_SENSITIVE = "harambee_breach_sensitive"


def _marking(view: Callable, mark: str) -> Callable:
    @wraps(view)
    def marked(request, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        setattr(response, mark, True)
        return response

    return marked


def public_page(view: Callable) -> Callable:
    """Opt the page into the shared cache of anonymous pages (``PageCacheMiddleware``).

    Only for pages that show an anonymous visitor public content and nothing else: what
    they show changes only through a service that calls ``pagecache.bump()``, or with the
    date. They carry no form that needs a CSRF token and set no cookie for visitors (a
    page that must, such as a feedback form, lives on an uncached page of its own, linked
    from the cached one). Signed-in users always get the page rendered for them.

    The view runs under the public version read before it reads any data (with fragments
    on, ``pagecache.fragments_enabled``): a fragment rendered while a change commits is
    then kept under the version that the change's bump replaces, never under the new one.
    """
    marked = _marking(view, PUBLIC_PAGE)

    @wraps(view)
    def public(request, *args, **kwargs) -> HttpResponseBase:
        if pagecache.fragments_enabled():
            pagecache.version()  # read once, kept to the end of the request
        return marked(request, *args, **kwargs)

    return public


def breach_sensitive(view: Callable) -> Callable:
    """The page reflects request input (a search box echoing the query) and, to a
    signed-in user, shows what is not public (their drafts and private partnerships): its
    responses to signed-in users are sent uncompressed, so that the compressed length
    cannot reveal those secrets to someone who chooses the input (BREACH). Visitors, who
    see only public content, still get it compressed."""
    return _marking(view, BREACH_SENSITIVE)
