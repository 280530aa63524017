"""
Links typed into plain fields (a reference's link, a practice's website and
appointment link) are checked on save; one written around the model (an
import, a fixture, a raw update) is checked again where it becomes an href.
A link that would run script shows as text, with no link at all.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles import share
from articles.models import ArticleReference, Practice
from articles.sanitize import web_link

from .factories import (
    ArticleFactory,
    GuideFactory,
    LocationFactory,
    PracticeFactory,
    ReferenceFactory,
)

pytestmark = pytest.mark.django_db

BAD_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
]
BAD_LINK_IDS = [
    "javascript",
    "mixed-case",
    "leading-space",
    "leading-control",
    "tab-inside",
    "entity",
    "data",
    "vbscript",
    "other-host",
]
# What each of BAD_LINKS carries that must reach no link on the page.
PAYLOAD = re.compile(r"alert\(1\)|msgbox|evil\.example")
CONTROL_AND_SPACE = "".join(map(chr, range(0x21)))


def scheme(url):
    """The scheme a browser sees: tabs and newlines anywhere, spaces around, ignored."""
    url = re.sub(r"[\t\n\r]", "", url).strip(CONTROL_AND_SPACE)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


class Links(HTMLParser):
    """Every <a> of a page as (href as the browser reads it, its text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.json_ld = []
        self._open = None
        self._script = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href"), []]
        elif tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._script = []

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open
            self.links.append((href, " ".join("".join(text).split())))
            self._open = None
        elif tag == "script" and self._script is not None:
            self.json_ld.append(json.loads("".join(self._script)))
            self._script = None

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)
        if self._script is not None:
            self._script.append(data)


def read_links(response):
    assert response.status_code == 200
    parser = Links()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def assert_shown_as_text(response, text):
    """No link on the page runs script or leaves by a payload; `text` is there, unlinked."""
    page = read_links(response)
    for href, _text in page.links:
        assert href is not None
        assert scheme(href) in {"", "http", "https", "tel"}, href
        assert not PAYLOAD.search(href), href
        assert not href.startswith("//"), href
    assert text in " ".join(response.content.decode().split())
    assert text not in [link_text for _href, link_text in page.links]
    return page


@pytest.fixture
def practice():
    practice = PracticeFactory(
        name="Riverside Spine",
        slug="riverside",
        booking_url="https://book.example.org/riverside",
    )
    LocationFactory(practice=practice)
    return practice


@pytest.fixture
def article(practice):
    article = ArticleFactory(guide=GuideFactory(practice=practice))
    ReferenceFactory(article=article, citation="Bone health study, 2024.")
    return article


@pytest.mark.parametrize("bad", BAD_LINKS, ids=BAD_LINK_IDS)
def test_a_bad_reference_link_leaves_the_citation_as_text(client, article, bad):
    ArticleReference.objects.filter(article=article).update(url=bad)
    assert_shown_as_text(
        client.get(article.get_absolute_url()), "Bone health study, 2024."
    )


@pytest.mark.parametrize("bad", BAD_LINKS, ids=BAD_LINK_IDS)
def test_bad_practice_links_leave_their_text_on_the_practice_page(
    client, practice, bad
):
    Practice.objects.filter(pk=practice.pk).update(website=bad, booking_url=bad)
    response = client.get(practice.get_absolute_url())
    assert_shown_as_text(response, "Book an appointment with Riverside Spine")
    page = assert_shown_as_text(response, "Visit the Riverside Spine website")
    (clinic,) = page.json_ld
    assert clinic["@type"] == "MedicalClinic"
    assert "sameAs" not in clinic


@pytest.mark.parametrize("bad", BAD_LINKS, ids=BAD_LINK_IDS)
def test_bad_links_leave_their_text_on_branded_pages(client, article, bad):
    Practice.objects.filter(pk=article.guide.practice_id).update(website=bad)
    ArticleReference.objects.filter(article=article).update(url=bad)
    practice = Practice.objects.get(pk=article.guide.practice_id)
    for page in (article.guide, article):
        response = client.get(share.short_link(practice, page))
        if page is article.guide:
            assert_shown_as_text(response, "Visit the Riverside Spine website")
        else:
            assert_shown_as_text(response, "Bone health study, 2024.")


@pytest.mark.parametrize("bad", BAD_LINKS, ids=BAD_LINK_IDS)
def test_the_admin_shows_a_bad_website_as_text(admin_client, practice, bad):
    Practice.objects.filter(pk=practice.pk).update(website=bad)
    for path in (
        reverse("admin:articles_practice_changelist"),
        reverse("admin:articles_practice_change", args=[practice.pk]),
    ):
        for href, _text in read_links(admin_client.get(path)).links:
            assert scheme(href or "") in {"", "http", "https"}, href
            assert not PAYLOAD.search(href or ""), href


def test_good_links_stay_links(client, article, practice):
    Practice.objects.filter(pk=practice.pk).update(website="http://riverside.example")
    links = read_links(client.get(practice.get_absolute_url())).links
    assert (
        "https://book.example.org/riverside",
        "Book an appointment with Riverside Spine",
    ) in links
    assert ("http://riverside.example", "Visit the Riverside Spine website") in links
    clinic = read_links(client.get(practice.get_absolute_url())).json_ld[0]
    assert clinic["sameAs"] == "http://riverside.example"
    links = read_links(client.get(article.get_absolute_url())).links
    assert ("https://source.example.org/", "Bone health study, 2024.") in links


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        (" https://example.org/ \n", "https://example.org/"),
        ("/en/guides/fractures/", "/en/guides/fractures/"),
        ("javascript:alert(1)", ""),
        ("JAVASCRIPT:alert(1)", ""),
        ("\tjava\nscript:alert(1)", ""),
        ("\x00javascript:alert(1)", ""),
        ("data:text/html;base64,PHNjcmlwdD4=", ""),
        ("mailto:someone@example.org", ""),
        ("//evil.example/", ""),
        ("/\\evil.example/", ""),
        ("www.example.org", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_link_keeps_only_web_pages_and_our_own_paths(url, kept):
    assert web_link(url) == kept
