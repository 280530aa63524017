"""
The Content-Security-Policy in a real browser: patient pages and the admin
(with CKEditor) load without one refused resource, CKEditor works under the
admin's policy, and what the patient policy forbids is really refused.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from articles.demo import content
from articles.models import Article, Guide, Practice

from ..factories import UserFactory, png_bytes
from .conftest import PAGES

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"

# Patient pages beyond the conftest's list: the whole guide on one page and the
# guide's short link.
MORE_PAGES = ["guide-print", "short-link-guide"]

# Records every violation the page reports. Playwright runs it before the
# page's own scripts, and the page's policy does not apply to it.
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class ViolationWatcher:
    """A browser tab that records CSP violations, both as events and in the console."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console = []
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", self.console_message)

    def console_message(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def goto(self, path):
        """Load path and wait until the network is quiet, so late violations are in."""
        self.console.clear()
        return self.page.goto(self.base_url + path, wait_until="networkidle")

    def violations(self):
        return self.page.evaluate("window.cspViolations") + self.console


def outside_the_event_loop(function):
    """
    Run function in a thread of its own: once Playwright runs its event loop in
    this thread, Django refuses database calls here.
    """

    def call():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture(scope="module")
def demo_objects(demo_site, django_db_blocker):
    """The demo article and practice, and a superuser to open them in the admin."""

    def find():
        return {
            "article": Article.objects.get(slug=content.ARTICLES[0]["slug"]),
            "practice": Practice.objects.get(slug=content.PRACTICE["slug"]),
            "guide": Guide.objects.get(slug=content.GUIDE["slug"]),
            "user": UserFactory(
                username="csp-editor",
                password=PASSWORD,
                is_staff=True,
                is_superuser=True,
            ),
        }

    with django_db_blocker.unblock():
        return outside_the_event_loop(find)


@pytest.fixture(scope="module")
def patient_tab(browser, demo_site):
    context = browser.new_context()
    yield ViolationWatcher(context.new_page(), demo_site.server.url)
    context.close()


@pytest.fixture(scope="module")
def admin_tab(browser, demo_site, demo_objects):
    """A tab signed in to the admin through its login form."""
    context = browser.new_context()
    watcher = ViolationWatcher(context.new_page(), demo_site.server.url)
    watcher.goto(reverse("admin:login"))
    watcher.page.fill("#id_username", demo_objects["user"].username)
    watcher.page.fill("#id_password", PASSWORD)
    watcher.page.click("input[type=submit]")
    watcher.page.wait_for_url("**" + reverse("admin:index"))
    yield watcher
    context.close()


def patient_page(demo_site, name):
    """The path and expected status of a patient page, by name."""
    if name == "guide-print":
        return reverse("articles:guide_print", args=[content.GUIDE["slug"]]), 200
    if name == "short-link-guide":
        kwargs = {
            "practice_slug": content.PRACTICE["slug"],
            "guide_slug": content.GUIDE["slug"],
        }
        return reverse("share:guide", kwargs=kwargs), 200
    return demo_site.pages[name]


@pytest.mark.parametrize("name", PAGES + MORE_PAGES)
def test_patient_page_loads_without_a_refused_resource(patient_tab, demo_site, name):
    path, status = patient_page(demo_site, name)
    response = patient_tab.goto(path)
    assert response.status == status
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert patient_tab.violations() == []


def test_structured_data_on_an_article_raises_no_violation(patient_tab, demo_site):
    path, _status = demo_site.pages["article"]
    patient_tab.goto(path)
    assert patient_tab.page.locator('script[type="application/ld+json"]').count() >= 1
    assert patient_tab.violations() == []


def test_patient_page_refuses_injected_script_style_and_foreign_images(
    patient_tab, demo_site
):
    path, _status = demo_site.pages["article"]
    patient_tab.goto(path)
    patient_tab.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injectedScriptRan = true";
          document.body.append(script);
          document.querySelector("h1").setAttribute("style", "color: rgb(255, 0, 0)");
          const image = document.createElement("img");
          image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.body.append(image);
        }"""
    )
    patient_tab.page.wait_for_function("window.cspViolations.length >= 3")
    assert patient_tab.page.evaluate("window.injectedScriptRan") is None
    heading_color = patient_tab.page.eval_on_selector(
        "h1", "heading => getComputedStyle(heading).color"
    )
    assert heading_color != "rgb(255, 0, 0)"
    refused = " ".join(patient_tab.page.evaluate("window.cspViolations"))
    assert "script-src-elem refused inline" in refused
    assert "style-src-attr refused inline" in refused
    assert "img-src refused data" in refused


def test_ckeditor_starts_on_the_article_form_without_a_refused_resource(
    admin_tab, demo_objects
):
    response = admin_tab.goto(
        reverse("admin:articles_article_change", args=[demo_objects["article"].pk])
    )
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    editable = admin_tab.page.locator(".ck-editor__editable").first
    editable.wait_for()
    assert editable.get_attribute("contenteditable") == "true"
    assert admin_tab.violations() == []


def test_image_uploaded_in_ckeditor_appears_without_a_refused_resource(
    admin_tab, demo_objects
):
    admin_tab.goto(
        reverse("admin:articles_article_change", args=[demo_objects["article"].pk])
    )
    editable = admin_tab.page.locator(".ck-editor__editable").first
    editable.click()
    file_input = admin_tab.page.locator(".ck-file-dialog-button input[type=file]")
    file_input.first.set_input_files(
        files=[{"name": "upload.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    editable.locator("img[src^='/media/']").wait_for()
    assert admin_tab.violations() == []


def test_share_page_and_printable_handout_work_without_a_refused_resource(
    admin_tab, demo_objects
):
    practice = demo_objects["practice"]
    admin_tab.goto(reverse("admin:articles_practice_share", args=[practice.pk]))
    assert admin_tab.violations() == []
    handout = reverse(
        "admin:articles_practice_share_handout",
        args=[practice.pk, f"guide-{demo_objects['guide'].pk}"],
    )
    admin_tab.goto(handout)
    # Headless Chromium has no print dialog; calling window.print() is what counts.
    admin_tab.page.evaluate(
        "() => { window.print = () => { window.printed = true; }; }"
    )
    admin_tab.page.get_by_role("button", name="Print").click()
    assert admin_tab.page.evaluate("window.printed") is True
    assert admin_tab.violations() == []
