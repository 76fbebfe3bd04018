"""The shared cache of anonymous pages, and compression of what the site sends.

Order in ``MIDDLEWARE``: after SecurityMiddleware and WhiteNoise (HTTPS redirects and
static files come first), ``PageCacheMiddleware``, then ``CompressionMiddleware``, then
everything else. So a cached page is served before sessions, languages, CSRF or users
are looked at (no database query), and it is stored compressed, once per encoding,
with the headers that the inner middleware added (CSP, X-Frame-Options, Content-Language);
SecurityMiddleware adds its own on every response, cached or not.

See docs/performance.md for the reasoning, and what a proxy in front should do.
"""

from __future__ import annotations

from collections.abc import Callable

import brotli
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import get_urlconf
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.text import compress_string
from django.utils.translation import get_language_from_path

from harambee import pagecache
from harambee.decorators import BREACH_SENSITIVE, PUBLIC_PAGE

# --- compression -----------------------------------------------------------------------------

COMPRESSIBLE_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/csv",
        "text/xml",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/ld+json",
        "application/xml",
        "image/svg+xml",
    }
)
# Below this, compression costs more than it saves (Django's GZipMiddleware says so too).
MIN_LENGTH = 200
# Brotli's default (11) takes ~30 times longer than 5 for a few per cent less: pages are
# compressed as they are sent, not ahead of time like the static files.
BROTLI_QUALITY = 5
# Django's "Heal the BREACH" padding: a random-length gzip file name.
GZIP_RANDOM_BYTES = 100


def accepted_encoding(request: HttpRequest) -> str:
    """The best coding the client accepts: "br", "gzip" or "identity". A q-value of 0
    refuses a coding, ``*`` stands for those not named, and Brotli wins a tie."""
    weights: dict[str, float] = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        if coding:
            weights[coding.lower()] = _weight(parameters)
    best, best_weight = "identity", 0.0
    for coding in ("br", "gzip"):
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def _weight(parameters: list[str]) -> float:
    """The q-value among a coding's parameters (1 without one, 0 when unreadable)."""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _compress(content: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    return compress_string(content, max_random_bytes=GZIP_RANDOM_BYTES)


def signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def reflects_input(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response may echo what the request's sender chose.

    Pages marked ``breach_sensitive`` do (a search box). So does any page requested with
    a query string: base.html's language links repeat the page's full address. POSTed
    input is echoed too (a form with its errors), but nobody can make another person's
    browser send a POST here without the CSRF token, which is what BREACH needs.
    """
    return getattr(response, BREACH_SENSITIVE, False) or bool(request.META.get("QUERY_STRING"))


def _media_type(response: HttpResponseBase) -> str:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower()


class CompressionMiddleware:
    """Compress text responses with Brotli or gzip, as the client prefers.

    Every compressible response says ``Vary: Accept-Encoding``, compressed or not. The
    one exception (BREACH): a response to a signed-in user that reflects request input is
    sent uncompressed, since it may hold secrets (their drafts, their colleagues' emails)
    next to text an attacker chose. Django already masks the CSRF token per response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or _media_type(response) not in COMPRESSIBLE_TYPES
            or len(response.content) < MIN_LENGTH
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if signed_in(request) and reflects_input(request, response):
            return response
        encoding = accepted_encoding(request)
        if encoding == "identity":
            return response
        compressed = _compress(response.content, encoding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        response.headers["Content-Encoding"] = encoding
        # A strong ETag names the uncompressed bytes (RFC 9110 8.8.1): make it weak.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        return response


# --- the cache of anonymous pages ------------------------------------------------------------

# What a shared page may vary on, and why the cache key covers it: Cookie (only requests
# without a session or a messages cookie are served from the cache or stored), the
# language (in the address here, see _language_by_path) and Accept-Encoding (in the key).
_COVERED_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})


def _anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD from someone who is surely not signed in and has no message waiting:
    no session cookie, no messages cookie, no credentials of another kind."""
    personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    return (
        request.method in ("GET", "HEAD")
        and not personal.intersection(request.COOKIES)
        and "Authorization" not in request.headers
    )


def _language_by_path() -> bool:
    """True when the address alone decides the language: with i18n_patterns and
    ``prefix_default_language=False``, LocaleMiddleware takes the language from the path
    prefix and the default language without one, never from a cookie or Accept-Language."""
    used, prefixed_default = is_language_prefix_patterns_used(
        get_urlconf() or settings.ROOT_URLCONF
    )
    return used and not prefixed_default


def _page_language(request: HttpRequest) -> str:
    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _directives(response: HttpResponseBase, header: str) -> set[str]:
    values = cc_delim_re.split(response.get(header, ""))
    return {value.split("=", 1)[0].strip().lower() for value in values if value.strip()}


def _messages_shown(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or storage.added_new)


def _shareable(request: HttpRequest, response: HttpResponseBase, language: str) -> bool:
    """Whether every visitor who sends this request may get this very response."""
    if not getattr(response, PUBLIC_PAGE, False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if signed_in(request) or _messages_shown(request):
        return False
    if _directives(response, "Cache-Control") & {"private", "no-store"}:
        return False
    vary = _directives(response, "Vary")
    if not vary <= _COVERED_VARY or ("accept-language" in vary and not _language_by_path()):
        return False
    return response.get("Content-Language", language) == language


def _make_public(response: HttpResponseBase) -> None:
    """Headers for a page every visitor gets: any cache may keep it but must ask again
    before each use (``no-cache``, with an ETag, so the answer is usually a bodyless 304),
    and so it varies only on Accept-Encoding. Whether the requester is signed in is
    decided here on each request, not by a cache."""
    vary = [
        value
        for value in cc_delim_re.split(response.get("Vary", ""))
        if value.strip() and value.strip().lower() not in {"cookie", "accept-language"}
    ]
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    elif response.has_header("Vary"):
        del response.headers["Vary"]
    if not response.has_header("Cache-Control"):
        response.headers["Cache-Control"] = "no-cache"
    if not response.has_header("ETag"):
        set_response_etag(response)


def _keep_private(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """A response to a request with a session, or one that sets a cookie (a message
    shown and cleared, a CSRF token), is for that browser only: no shared cache may
    keep it."""
    personal = settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies
    if personal and not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _entry(response: HttpResponseBase) -> tuple[bytes, list[tuple[str, str]]]:
    return response.content, list(response.items())


def _from_entry(entry: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = entry
    return HttpResponse(content, headers=dict(headers))


class PageCacheMiddleware:
    """Serve anonymous GETs of ``public_page`` views from the shared page cache.

    The key (``pagecache.page_key``) is the full address, the language and the content
    encoding, under the public version, the release and today's date. It is fixed before
    the view runs, so a page rendered while a change commits is stored under the version
    that the change's bump replaces. Signed-in requests are never served from it nor stored in it.
    Not stored either: any status but 200, a response that sets a cookie or shows a flash
    message, says ``private`` or ``no-store``, or varies on something the key does not
    cover. ``HARAMBEE_CACHE_PAGES=false`` switches the cache off, not the headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return self._respond(request)
        finally:
            pagecache.end_request()

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        if not _anonymous_read(request):
            return _keep_private(request, self.get_response(request))
        language = _page_language(request)
        cache_key = None
        if pagecache.pages_enabled():
            cache_key = pagecache.page_key(
                url=request.build_absolute_uri(),
                language=language,
                encoding=accepted_encoding(request),
            )
            entry = pagecache.page_cache().get(cache_key)
            if entry is not None:
                return _conditional(request, _from_entry(entry))
        response = self.get_response(request)
        if not _shareable(request, response, language):
            return _keep_private(request, response)
        _make_public(response)
        if cache_key is not None and request.method == "GET":
            pagecache.page_cache().set(cache_key, _entry(response), timeout=pagecache.TIMEOUT)
        return _conditional(request, response)


def _conditional(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """A bodyless 304 when the client already holds this version (If-None-Match)."""
    return get_conditional_response(request, etag=response.get("ETag"), response=response)
