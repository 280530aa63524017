"""
The demo site on a live server, for tests that look at patient pages in a real
browser (Debian's Chromium driven by Playwright) and through the Nu HTML Checker.

Outside CI a missing browser or Java only skips these tests, with the command
that installs them; in CI (CI=true) it fails them, so a broken install step
cannot pass as green.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import (
    modify_settings,
    override_settings,
    setup_databases,
    teardown_databases,
)
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.live_server_helper import LiveServer

from articles.demo import content, content_es
from articles.models import Article, Doctor, Guide, Status

from ..factories import ArticleFactory

CHROMIUM = Path("/usr/bin/chromium")
# No sign-in, sync, updates or other calls home: this machine has no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VNU_JAR = (
    Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)

# The database the site itself uses, before any test database replaces it.
SITE_DATABASE = settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]

# Every kind of public page, by the name the tests show for it.
PAGES = [
    "home",
    "guide",
    "article",
    "practice",
    "doctor",
    "glossary",
    "search",
    "not-found",
    "gone",
    "short-link",
    # The same kinds in Spanish, and a practice's short link with its own facts.
    "home-es",
    "guide-es",
    "article-es",
    "practice-es",
    "glossary-es",
    "search-es",
    "not-found-es",
    "practice-facts",
]


def in_ci():
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


def require(available, what):
    """Skip a test that needs `what` when it is missing, except in CI, where it fails."""
    if available:
        return
    message = f"{what} is missing; `sudo make browser-deps` installs it"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class DemoSite:
    """The live server's address and the path and expected status of each page."""

    def __init__(self, server, pages):
        self.server = server
        self.pages = pages

    def url(self, name):
        """The page's full address and its HTTP status."""
        path, status = self.pages[name]
        return self.server.url + path, status


def demo_pages():
    """Paths of the demo content, plus an article taken off the site (410)."""
    guide = Guide.objects.get(slug=content.GUIDE["slug"])
    article = Article.objects.published().filter(guide=guide).order_by("position")[0]
    withdrawn = ArticleFactory(
        guide=guide,
        title="An article taken off the site",
        reviewed_by=Doctor.objects.get(slug=content.DOCTOR["slug"]),
        publish_at=timezone.now() - timezone.timedelta(days=2),
    )
    withdrawn.status = Status.ARCHIVED
    withdrawn.save()
    short_link = reverse(
        "share:article",
        kwargs={
            "practice_slug": content.PRACTICE["slug"],
            "guide_slug": guide.slug,
            "article_slug": article.slug,
        },
    )
    pages = {
        "home": (reverse("articles:home"), 200),
        "guide": (guide.get_absolute_url(), 200),
        "article": (article.get_absolute_url(), 200),
        "practice": (
            reverse("articles:practice", args=[content.PRACTICE["slug"]]),
            200,
        ),
        "doctor": (reverse("articles:doctor", args=[content.DOCTOR["slug"]]), 200),
        "glossary": (reverse("articles:glossary"), 200),
        "search": (reverse("articles:search") + "?q=kyphoplasty", 200),
        "not-found": ("/en/no-such-page/", 404),
        "gone": (withdrawn.get_absolute_url(), 410),
        "short-link": (short_link, 200),
    }
    guia = Guide.objects.get(slug=content_es.GUIDE["slug"])
    articulo = Article.objects.published().filter(guide=guia).order_by("position")[0]
    procedure = Article.objects.get(guide=guide, slug=content.ARTICLES[1]["slug"])
    with translation.override("es"):
        pages |= {
            "home-es": (reverse("articles:home"), 200),
            "guide-es": (guia.get_absolute_url(), 200),
            "article-es": (articulo.get_absolute_url(), 200),
            "practice-es": (
                reverse("articles:practice", args=[content.PRACTICE["slug"]]),
                200,
            ),
            "glossary-es": (reverse("articles:glossary"), 200),
            "search-es": (reverse("articles:search") + "?q=vertebra", 200),
            "not-found-es": ("/es/no-existe/", 404),
        }
    pages["practice-facts"] = (
        reverse(
            "share:article",
            kwargs={
                "practice_slug": content.PRACTICE_2["slug"],
                "guide_slug": guide.slug,
                "article_slug": procedure.slug,
            },
        ),
        200,
    )
    return pages


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """
    The demo content, loaded once for the whole package and served on 127.0.0.1.

    pytest-django's `live_server` fixture would make every test transactional,
    and so empty the database after each one; loading the demo again for each of
    ~100 page checks would cost a second each. Here the data lives as long as the
    package, and the database is flushed afterwards, as a transactional test
    would, so the rest of the suite starts from the same empty database.
    """
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    hosts = modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"})
    # The server thread reads the database while the tests run.
    with django_db_blocker.unblock(), media, hosts, translation.override("en"):
        # pytest-django creates the test database only when a collected test asks
        # for `db`; when only browser tests run, none does, and the demo would be
        # loaded into (and flushed from) the site's own database.
        own_test_database = None
        if connections[DEFAULT_DB_ALIAS].settings_dict["NAME"] == SITE_DATABASE:
            own_test_database = setup_databases(
                verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS}
            )
        try:
            call_command("load_demo", stdout=StringIO())
            pages = demo_pages()
            server = LiveServer("127.0.0.1")
            yield DemoSite(server, pages)
            server.stop()
        finally:
            if own_test_database is None:
                call_command("flush", interactive=False, verbosity=0)
            else:
                teardown_databases(own_test_database, verbosity=0)


@pytest.fixture(autouse=True)
def media_in_tmp(demo_site):
    """Replaces the suite's per-test media folder: pages show the demo's images."""


@pytest.fixture(params=PAGES)
def page_name(request):
    return request.param


@pytest.fixture(scope="package")
def browser(demo_site):
    """
    One headless Chromium for the package. It starts after the demo content is
    loaded and stops before the database is flushed: Playwright runs an event
    loop in this thread, and Django refuses database calls beside one.
    """
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def tab(browser):
    """
    One browser tab for the package; a new context per check would cost a
    renderer start (~0.3 s) each time, for ~130 checks.
    """
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def open_page(tab, demo_site):
    """
    open_page(name, width=1280, ...) loads a page anew in the window size and
    with the user's preferences given, checks its HTTP status and returns it.
    """

    def open_page(
        name,
        width=1280,
        height=900,
        color_scheme="light",
        reduced_motion="no-preference",
    ):
        url, status = demo_site.url(name)
        tab.set_viewport_size({"width": width, "height": height})
        tab.emulate_media(color_scheme=color_scheme, reduced_motion=reduced_motion)
        response = tab.goto(url, wait_until="load")
        assert response.status == status, f"{url} answered {response.status}"
        return tab

    return open_page


@pytest.fixture(scope="session")
def vnu():
    """The command that runs the Nu HTML Checker (npm's vnu-jar, on Debian's Java)."""
    java = shutil.which("java")
    require(java, "Java (the `java` command)")
    require(VNU_JAR.exists(), f"The Nu HTML Checker ({VNU_JAR})")
    return [java, "-jar", str(VNU_JAR)]
