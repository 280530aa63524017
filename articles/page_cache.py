"""
The page cache: anonymous patient pages served from the shared cache without
touching the database.

A copy is kept with the content version it was rendered at (see
content_version) and served only while that is still the version, so an
editor's change retires it in every process the moment the change commits. A copy also never outlives the next scheduled publish or
unpublish time. Requests that carry a session cookie (editors) never read or
write copies, and previews live under /admin/, which is never cached.

It sits right after WhiteNoise and GZipMiddleware: a hit skips the sessions,
CSRF, authentication and every view, and is stored already compressed.
"""

import datetime
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django.utils.text import compress_string
from django.utils.translation import get_language_from_path

from . import content_version
from .models import Article
from .share import count_referral, counts_as_opening

logger = logging.getLogger(__name__)

# Patient pages whose content depends on nothing but the URL and the database.
# Search is left out: its long tail of query strings, which anyone can vary,
# would push the pages patients actually read out of the cache.
CACHED_NAMESPACES = {"articles", "share"}
UNCACHED_VIEWS = {"articles:search"}

# For a CDN in front: it may keep a page for a second, then must revalidate
# (cheap: a 304 from our cache); browsers revalidate every time. A stale copy
# may stand in for a day while we answer with errors.
CACHE_CONTROL = {"public": True, "max_age": 0, "s_maxage": 1, "stale_if_error": 86400}

REFUSED_DIRECTIVES = {"private", "no-cache", "no-store"}


class PageCacheMiddleware:
    """Serve anonymous patient pages from the shared cache, and store them there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            if is_cacheable_page(request, response):
                # An editor's view of a patient page: not for shared caches either.
                patch_cache_control(response, private=True)
            return response
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)

        started = time.time()
        key = page_key(request)
        version, found = shielded(content_version.current_with, [key]) or (None, {})
        entry = found.get(key)
        if entry and entry["version"] == version and started < entry["expires"]:
            return serve(request, entry)

        response = self.get_response(request)
        if not is_cacheable_page(request, response) or not add_caching_headers(
            request, response, started
        ):
            return response
        if version and request.method == "GET":
            store(key, version, response, started)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(started),
            response=response,
        )


def shielded(function, *args):
    """Call a cache function; an unreachable cache means an uncached page, not an error."""
    try:
        return function(*args)
    # The cache backends share no exception class (redis, OSError, pickle...).
    except Exception:
        logger.warning("The page cache is unavailable.", exc_info=True)
        return None


def page_key(request):
    """
    A copy's key: language and the full URL (scheme, host, path, query string).
    A short link's path holds its practice, so practices never share a copy.
    The copy itself names the content version it was rendered at.
    """
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
    return f"page:{language}:{url.hexdigest()}"


def is_cacheable_page(request, response):
    match = request.resolver_match
    return (
        match is not None
        and match.namespace in CACHED_NAMESPACES
        and match.view_name not in UNCACHED_VIEWS
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not REFUSED_DIRECTIVES & cache_control_directives(response)
    )


def cache_control_directives(response):
    return {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
        if directive.strip()
    }


def add_caching_headers(request, response, started):
    """
    ETag, Last-Modified and Cache-Control for a patient page; False when the
    page depends on more than its URL (e.g. the session) and must not be cached.
    """
    if request.resolver_match.namespace == "share":
        # A short link always shows the default language, whatever the browser asks.
        drop_vary(response, "Accept-Language")
    if {header.lower() for header in vary_headers(response)} - {"accept-encoding"}:
        return False
    set_response_etag(response)
    response["Last-Modified"] = http_date(started)
    patch_cache_control(response, **CACHE_CONTROL)
    return True


def store(key, version, response, started):
    """Keep a copy until PAGE_CACHE_SECONDS pass or the next scheduled change, if sooner."""
    try:
        change = next_scheduled_change(version, started)
    except DatabaseError:
        return
    expires = started + settings.PAGE_CACHE_SECONDS
    if change is not None:
        expires = min(expires, change)
    content = response.content
    # Compressed once here rather than by GZipMiddleware on every hit.
    gzipped = compress_string(content, max_random_bytes=GZipMiddleware.max_random_bytes)
    entry = {
        "version": version,
        "headers": list(response.items()),
        "content": content,
        "gzipped": gzipped if len(gzipped) < len(content) else None,
        "etag": response["ETag"],
        "last_modified": int(started),
        "expires": expires,
        "referral": getattr(response, "referral", None),
    }
    timeout = math.ceil(expires - time.time())
    if timeout > 0:
        shielded(cache.set, key, entry, timeout)


def next_scheduled_change(version, since):
    """
    The next publish or unpublish time after `since` (a timestamp), or None.
    Kept per content version, which any edit of a schedule replaces.
    """
    key = f"page-next-change:{version}"
    stored = shielded(cache.get, key)
    # A value computed for a later start could miss a moment between the two.
    if stored is not None and stored[0] <= since and (stored[1] or math.inf) > since:
        return stored[1]
    moment = Article.objects.next_scheduled_change(
        after=datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    )
    moment = moment and moment.timestamp()
    shielded(cache.set, key, (since, moment), settings.PAGE_CACHE_SECONDS)
    return moment


def serve(request, entry):
    """The stored copy, counted as an opening if it is a short link's page."""
    if entry["referral"] and counts_as_opening(request):
        try:
            count_referral(*entry["referral"])
        except DatabaseError:
            # The page is served all the same; one opening goes uncounted.
            logger.warning("A short link's opening was not counted.", exc_info=True)
    response = HttpResponse(status=200)
    for header, value in entry["headers"]:
        response[header] = value
    # The same headers GZipMiddleware gives a fresh page (it skips encoded ones).
    if len(entry["content"]) >= 200:
        patch_vary_headers(response, ["Accept-Encoding"])
    accepts_gzip = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if entry["gzipped"] and accepts_gzip:
        response.content = entry["gzipped"]
        response["Content-Encoding"] = "gzip"
        response["ETag"] = f"W/{entry['etag']}"
    else:
        response.content = entry["content"]
    response["Content-Length"] = str(len(response.content))
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=entry["last_modified"],
        response=response,
    )


def vary_headers(response):
    return [
        header.strip()
        for header in cc_delim_re.split(response.get("Vary", ""))
        if header.strip()
    ]


def drop_vary(response, name):
    kept = [
        header for header in vary_headers(response) if header.lower() != name.lower()
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]
