"""
The XSS corpus in headless Chromium: published content holding every payload
in every rich-text and plain-text field, opened as a patient (with the site's
Content-Security-Policy and without it, so the markup has to be harmless on
its own) and as an editor in the admin with CKEditor running. Nothing may run,
open a dialog, leave the site or fetch from another host.
"""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article, Doctor, GlossaryTerm, Image, Practice

from ..factories import UserFactory
from ..test_xss import REFLECTED, branded_url, build_hostile_site
from ..xss_payloads import PAYLOADS

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"

# What the page holds that a payload could use, read by the browser itself:
# handlers, scripts, frames and plugins, and every URL as the browser resolved it.
READ_THE_DOM = """
(root) => {
  const found = [];
  const scope = root ? document.querySelectorAll(root) : [document];
  for (const top of scope) {
    for (const element of top.querySelectorAll("*")) {
      const tag = element.localName;
      for (const attribute of element.attributes) {
        if (attribute.name.startsWith("on")) {
          found.push(`${tag} ${attribute.name}=${attribute.value}`);
        }
      }
      if (tag === "script" && element.type !== "application/ld+json") {
        found.push(`script ${element.src || element.textContent.slice(0, 80)}`);
      }
      if (["iframe", "frame", "object", "embed", "base", "svg", "math"].includes(tag)) {
        found.push(`${tag} element`);
      }
      if (tag === "meta" && element.httpEquiv) {
        found.push(`meta http-equiv=${element.httpEquiv}`);
      }
      for (const name of ["href", "src", "action", "formAction"]) {
        const url = typeof element[name] === "string" ? element[name] : "";
        if (!url) continue;
        const parsed = new URL(url);
        if (!["http:", "https:", "mailto:", "tel:"].includes(parsed.protocol)) {
          found.push(`${tag} ${name}=${url.slice(0, 80)}`);
        }
        // A lazy picture is fetched only when scrolled to: its address counts.
        const fetched = name !== "href" || tag === "link";
        if (fetched && parsed.origin !== location.origin) {
          found.push(`${tag} ${name} fetches ${url.slice(0, 80)}`);
        }
      }
    }
  }
  return found;
}
"""


# In the admin, which has scripts and handlers of its own: only what carries a
# payload's marker counts.
FIND_PAYLOADS_IN_CODE = """
() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const code = attribute.name.startsWith("on")
        || ["href", "src", "action", "formaction", "srcdoc", "style"].includes(attribute.name);
      if (code && attribute.value.includes("__xss")) {
        found.push(`${element.localName} ${attribute.name}=${attribute.value}`);
      }
    }
    if (element.localName === "script" && element.textContent.includes("__xss")) {
      found.push(`script ${element.textContent.slice(0, 80)}`);
    }
  }
  return found;
}
"""


def outside_the_event_loop(function):
    """Django refuses database calls in the thread where Playwright runs its loop."""

    def call():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture(scope="module")
def hostile(demo_site, django_db_blocker):
    """
    The hostile content of tests/test_xss.py on the live server, and a superuser
    to open it in the admin. Removed afterwards: the other browser tests share
    the demo database.
    """

    def build():
        site = build_hostile_site()
        user = UserFactory(
            username="xss-editor", password=PASSWORD, is_staff=True, is_superuser=True
        )
        return site, user

    def remove():
        images = [article.hero_image_id for article in site.articles]
        Article.objects.filter(guide=site.guide).delete()
        site.guide.delete()
        Doctor.objects.filter(pk__in=[doctor.pk for doctor in site.doctors]).delete()
        Practice.objects.filter(pk__in=[p.pk for p in site.practices]).delete()
        GlossaryTerm.objects.filter(pk__in=[term.pk for term in site.terms]).delete()
        Image.objects.filter(pk__in=images).delete()
        user.delete()

    with django_db_blocker.unblock():
        site, user = outside_the_event_loop(build)
        yield site, user
        outside_the_event_loop(remove)


class Watcher:
    """A tab that records what a payload that ran would leave behind."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.events = []
        page.on("dialog", self.dialog)
        page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        page.on("console", self.console)
        page.on("request", self.request)
        page.on("popup", lambda popup: self.events.append(f"popup: {popup.url}"))
        page.on("framenavigated", self.navigated)

    def dialog(self, dialog):
        self.events.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def console(self, message):
        if message.type != "error":
            return
        # The cleaner keeps <img src="/media/x.png">: a missing picture on our
        # own site, not code that ran.
        source = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and source.startswith(
            self.base_url
        ):
            return
        self.events.append(f"console error: {message.text}")

    def request(self, request):
        if urlsplit(request.url).scheme in {"data", "blob"}:
            return  # CKEditor's own icons and the like; never another host
        if not request.url.startswith(self.base_url + "/"):
            self.events.append(f"request to {request.url}")

    def navigated(self, frame):
        if frame == self.page.main_frame and not frame.url.startswith(self.base_url):
            self.events.append(f"navigated to {frame.url}")

    def visit(self, path, wait_for=None):
        """Open path, let it settle and return what happened and what the DOM holds."""
        self.events.clear()
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response.status == 200, f"{path} answered {response.status}"
        if wait_for:
            wait_for(self.page)
        ran = self.page.evaluate("typeof window.__xss")
        if ran != "undefined":
            self.events.append(f"window.__xss is {ran}")
        return self.events[:]


def patient_paths(site):
    search = reverse("articles:search")
    guide = site.guide
    paths = {
        "guide": guide.get_absolute_url(),
        "guide-print": reverse("articles:guide_print", args=[guide.slug]),
        "glossary": reverse("articles:glossary"),
        "search": f"{search}?{urlencode({'q': 'alert'})}",
        "branded-guide": reverse(
            "share:guide",
            kwargs={"practice_slug": site.practices[0].slug, "guide_slug": guide.slug},
        ),
        "practice": site.practices[0].get_absolute_url(),
        "doctor": site.doctors[0].get_absolute_url(),
    }
    payloads = dict(PAYLOADS)
    for payload_id in REFLECTED:
        paths[f"search-{payload_id}"] = (
            f"{search}?{urlencode({'q': payloads[payload_id]})}"
        )
    for index, article in enumerate(site.articles):
        paths[f"article-{index}"] = article.get_absolute_url()
        paths[f"branded-article-{index}"] = branded_url(site.practices[index], article)
    return paths


@pytest.fixture(scope="module", params=["markup-alone", "with-csp"])
def patient_tab(request, browser, demo_site):
    """
    A patient's tab, once without the Content-Security-Policy (bypass_csp), so
    that the markup itself must be harmless, and once with it, as patients get it.
    """
    context = browser.new_context(bypass_csp=request.param == "markup-alone")
    yield Watcher(context.new_page(), demo_site.server.url)
    context.close()


def test_no_payload_runs_on_any_patient_page(patient_tab, hostile):
    site, _user = hostile
    found = {}
    for name, path in patient_paths(site).items():
        events = patient_tab.visit(path)
        holds = patient_tab.page.evaluate(READ_THE_DOM, None)
        if events or holds:
            found[name] = events + holds
    assert found == {}


def test_the_payloads_reach_the_browser_as_text(patient_tab, hostile):
    """Otherwise the test above could pass on pages that show none of it."""
    site, _user = hostile
    patient_tab.visit(site.articles[0].get_absolute_url())
    text = patient_tab.page.inner_text("main")
    assert "{{ 7*7 }}" in text
    assert (
        site.articles[0].title.split()[0] in text
    )  # "<script>__xss=1,alert(1)</script>"
    assert patient_tab.page.locator(".step").count() == len(PAYLOADS) + 1


@pytest.fixture(scope="module")
def admin_tab(browser, demo_site, hostile):
    """A tab signed in to the admin as a superuser, through the login form."""
    _site, user = hostile
    context = browser.new_context()
    watcher = Watcher(context.new_page(), demo_site.server.url)
    watcher.page.goto(demo_site.server.url + reverse("admin:login"))
    watcher.page.fill("#id_username", user.username)
    watcher.page.fill("#id_password", PASSWORD)
    watcher.page.click("input[type=submit]")
    watcher.page.wait_for_url("**" + reverse("admin:index"))
    yield watcher
    context.close()


def editors_started(page):
    """Wait until every rich-text field has become a CKEditor editing area."""
    # Not the hidden template row behind "Add another step".
    fields = page.locator(
        'textarea.django_ckeditor_5:not([name*="__prefix__"])'
    ).count()
    assert fields > 0
    page.locator(".ck-editor__editable").nth(fields - 1).wait_for(timeout=60_000)


def article_editors_started(page):
    """The editors are up, and what they hold is the stored text, payloads included."""
    editors_started(page)
    introduction = page.locator(".field-introduction .ck-editor__editable")
    assert introduction.get_attribute("contenteditable") == "true"
    assert "{{ 7*7 }}" in introduction.inner_text()


def test_no_payload_runs_in_the_admin_for_the_next_editor(admin_tab, hostile):
    site, _user = hostile
    article = site.articles[0]
    found = {}
    pages = {
        "changelist": (reverse("admin:articles_article_changelist"), None),
        "change form": (
            reverse("admin:articles_article_change", args=[article.pk]),
            article_editors_started,
        ),
        "guide change form": (
            reverse("admin:articles_guide_change", args=[site.guide.pk]),
            editors_started,
        ),
        "glossary": (reverse("admin:articles_glossaryterm_changelist"), None),
    }
    for name, (path, wait_for) in pages.items():
        events = admin_tab.visit(path, wait_for=wait_for)
        # Inside the editing areas nothing but content; around them, the admin's own code.
        holds = admin_tab.page.evaluate(READ_THE_DOM, ".ck-editor__editable")
        holds += admin_tab.page.evaluate(FIND_PAYLOADS_IN_CODE)
        if events or holds:
            found[name] = events + holds
    assert found == {}
