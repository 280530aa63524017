"""
Random paths and query strings at every public URL pattern: never a 5xx.

The patterns are read from the URL resolver, so a new page is fuzzed as soon
as it is routed. Hypothesis runs derandomized (the same examples on every run,
in CI too); the number of requests sent is printed at the end of the module.
"""

import re
from collections import Counter
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import GlossaryTerm

from .factories import (
    ArticleFactory,
    DoctorFactory,
    LocationFactory,
    PracticeFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db

# Not public: everything under /admin/ needs a signed-in editor.
PRIVATE_NAMESPACES = {"admin"}
PRIVATE_PREFIXES = ("admin/",)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Statuses of the fuzzed responses, for the figure printed at the end.
statuses = Counter()


def public_routes(resolver=None, prefix="", namespaces=()):
    """
    Every routed public path as a template such as
    "en/guides/<slug:guide_slug>/<slug:article_slug>/", from the URL resolver.
    """
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            route = pattern.language_prefix
        elif isinstance(pattern, RoutePattern):
            route = str(pattern)
        else:
            # A regex such as ^media/(?P<path>.+)$: its groups become placeholders.
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<path:\1>", str(pattern))
            route = route.strip("^$")
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace not in PRIVATE_NAMESPACES:
                yield from public_routes(
                    entry, prefix + route, (*namespaces, namespace)
                )
        elif isinstance(entry, URLPattern):
            if not (prefix + route).startswith(PRIVATE_PREFIXES):
                yield prefix + route


ROUTES = sorted(set(public_routes()))
PLACEHOLDER = re.compile(r"<(?:\w+:)?\w+>")


def test_the_fuzzer_sees_every_kind_of_public_page():
    expected = {
        "en/",
        "en/guides/<slug:guide_slug>/",
        "en/guides/<slug:guide_slug>/<slug:article_slug>/",
        "en/guides/<slug:guide_slug>/print/",
        "en/glossary/",
        "en/feed/",
        "en/practices/<slug:slug>/",
        "en/doctors/<slug:slug>/",
        "en/search/",
        "p/<slug:practice_slug>/<slug:guide_slug>/",
        "p/<slug:practice_slug>/<slug:guide_slug>/<slug:article_slug>/",
        "sitemap.xml",
        "robots.txt",
        "healthz",
        "media/<path:path>",
    }
    assert expected <= set(ROUTES)
    assert not [route for route in ROUTES if route.startswith("admin")]


@pytest.fixture
def site(client, settings):
    """One of each public object, and a client that sees what visitors see."""
    settings.DEBUG = False
    client.raise_request_exception = False
    article = ArticleFactory(
        slug="the-procedure", publish_at=timezone.now() - timedelta(days=1)
    )
    StepFactory(article=article)
    practice = PracticeFactory(slug="spine-centre")
    LocationFactory(practice=practice)
    doctor = DoctorFactory(slug="dr-lee")
    doctor.practices.add(practice)
    GlossaryTerm.objects.create(
        term="Kyphoplasty", slug="kyphoplasty", definition="A repair of a bone."
    )
    client.slugs = [article.guide.slug, article.slug, practice.slug, doctor.slug]
    return client


@pytest.fixture(scope="module", autouse=True)
def report_the_count(request):
    yield
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    if reporter is None or not statuses:
        return
    # Past pytest's output capture, so that the figure shows in every CI log.
    with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        by_status = ", ".join(
            f"{n}× {status}" for status, n in sorted(statuses.items())
        )
        reporter.write_line(
            f"\ntest_fuzz: {statuses.total()} fuzzed requests, {server_errors} "
            f"answered 5xx ({by_status})"
        )


# --- What a visitor, a crawler or an attacker might put in a URL ---------------

percent_encoded_bytes = st.binary(min_size=1, max_size=12).map(
    lambda data: "".join(f"%{byte:02X}" for byte in data)
)
unicode_text = st.text(min_size=1, max_size=40).map(lambda text: quote(text, safe=""))
long_strings = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "-", "%00", "%FF", "é", "../"]),
    st.integers(min_value=100, max_value=5000),
)
oddities = st.sampled_from(
    ["", ".", "..", "%2F", "%2e%2e", "%00", "%", "%zz", "%C0%AF", "~", "%20", ";x=1"]
)


def segments(real_slugs):
    garbage = st.one_of(percent_encoded_bytes, unicode_text, long_strings, oddities)
    real = st.sampled_from(real_slugs)
    return st.one_of(
        real,
        garbage,
        st.builds(lambda slug, junk: slug + junk, real, garbage),
    )


query_keys = st.one_of(
    st.sampled_from(["page", "q", "p", "format", "utm_source", "page[]", ""]),
    unicode_text,
    percent_encoded_bytes,
)
query_values = st.one_of(
    st.integers().map(str),
    st.sampled_from(["abc", "-1", "0", "99999", "last", "1e9", "NaN", "%00", "%"]),
    unicode_text,
    percent_encoded_bytes,
    long_strings,
)
query_strings = st.lists(st.tuples(query_keys, query_values), max_size=6).map(
    lambda pairs: "&".join(f"{key}={value}" for key, value in pairs)
)


def fill(route, draw_segment):
    return "/" + PLACEHOLDER.sub(lambda _match: draw_segment(), route)


def fetch(client, path, query):
    url = f"{path}?{query}" if query else path
    response = client.get(url)
    statuses[response.status_code] += 1
    assert response.status_code < 500, f"{response.status_code} for {url!r}"


@FUZZ
@given(data=st.data(), route=st.sampled_from(ROUTES), query=query_strings)
def test_random_path_segments_never_give_a_server_error(site, data, route, query):
    path = fill(route, lambda: data.draw(segments(site.slugs)))
    fetch(site, path, query)


@FUZZ
@given(route=st.sampled_from(ROUTES), query=query_strings)
def test_random_query_strings_on_real_pages_never_give_a_server_error(
    site, route, query
):
    guide, article, practice, doctor = site.slugs
    real = {
        "guide_slug": guide,
        "article_slug": article,
        "practice_slug": practice,
        "slug": practice if "practices" in route else doctor,
        "path": "nothing.png",
    }
    path = "/" + PLACEHOLDER.sub(
        lambda match: real[match.group().strip("<>").split(":")[-1]], route
    )
    fetch(site, path, query)


@FUZZ
@given(
    data=st.data(),
    depth=st.integers(min_value=0, max_value=6),
    language=st.sampled_from(["en/", "p/", "", "xx/", "EN/", "media/"]),
    query=query_strings,
)
def test_random_paths_anywhere_never_give_a_server_error(
    site, data, depth, language, query
):
    parts = [data.draw(segments(site.slugs)) for _ in range(depth)]
    trailing = data.draw(st.sampled_from(["/", ""]))
    fetch(site, "/" + language + "/".join(parts) + trailing, query)
