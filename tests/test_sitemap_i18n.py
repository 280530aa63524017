"""
/sitemap.xml in every language: each published language version of a page at
its own address, with hreflang links to the others and an English x-default.
"""

from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Status

from .factories import ArticleFactory, DoctorFactory, GuideFactory, PracticeFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ORIGIN = "http://testserver"


def sitemap(client):
    """{address: {hreflang: address}} of every <url> in /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 -- our own output
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        location = url.find(f"{SITEMAP}loc").text
        assert location not in entries, f"{location} is listed twice"
        entries[location] = {
            link.get("hreflang"): link.get("href")
            for link in url.iter(f"{XHTML}link")
            if link.get("rel") == "alternate"
        }
    return entries


def translated_article(english_guide, spanish_guide, title, **spanish):
    """An English article and its Spanish translation (published unless told)."""
    original = ArticleFactory(guide=english_guide, title=title)
    translation = ArticleFactory(
        guide=spanish_guide,
        language="es",
        title=f"{title} (es)",
        translation_of=original,
        **spanish,
    )
    return original, translation


@pytest.fixture
def guides():
    english = GuideFactory(title="Spinal fractures", slug="fractures")
    spanish = GuideFactory(
        title="Fracturas de columna",
        slug="fracturas",
        language="es",
        translation_of=english,
    )
    return english, spanish


def test_every_page_is_listed_in_english_and_spanish_with_reciprocal_alternates(
    client, guides
):
    english_guide, spanish_guide = guides
    original, translation = translated_article(
        english_guide, spanish_guide, "What is a fracture", slug="que-es"
    )
    practice = PracticeFactory(slug="north-spine")
    doctor = DoctorFactory(slug="kim-careful")
    entries = sitemap(client)

    pairs = {
        "home": ("/en/", "/es/"),
        "glossary": ("/en/glossary/", "/es/glosario/"),
        "guide": ("/en/guides/fractures/", "/es/guias/fracturas/"),
        "article": (
            original.get_absolute_url(),
            "/es/guias/fracturas/que-es/",
        ),
        "practice": ("/en/practices/north-spine/", "/es/clinicas/north-spine/"),
        "doctor": ("/en/doctors/kim-careful/", "/es/medicos/kim-careful/"),
    }
    assert translation.get_absolute_url() == pairs["article"][1]
    assert practice.slug in pairs["practice"][0] and doctor.slug in pairs["doctor"][0]
    for page, (english, spanish) in pairs.items():
        alternates = {
            "en": ORIGIN + english,
            "es": ORIGIN + spanish,
            "x-default": ORIGIN + english,
        }
        assert entries[ORIGIN + english] == alternates, page
        assert entries[ORIGIN + spanish] == alternates, page


def test_an_unpublished_spanish_translation_is_not_listed_nor_an_alternate(
    client, guides
):
    english_guide, spanish_guide = guides
    original, draft = translated_article(
        english_guide, spanish_guide, "Treatment", status=Status.DRAFT
    )
    _original, scheduled = translated_article(
        english_guide,
        spanish_guide,
        "Recovery",
        publish_at=timezone.now() + timezone.timedelta(days=3),
    )
    entries = sitemap(client)

    assert ORIGIN + draft.get_absolute_url() not in entries
    assert ORIGIN + scheduled.get_absolute_url() not in entries
    english = ORIGIN + original.get_absolute_url()
    assert entries[english] == {"en": english, "x-default": english}


def test_a_spanish_article_of_an_unpublished_guide_is_not_listed(client, guides):
    english_guide, _spanish_guide = guides
    draft_guide = GuideFactory(
        slug="borrador",
        language="es",
        status=Status.DRAFT,
        translation_of=english_guide,
    )
    original, orphan = translated_article(english_guide, draft_guide, "Pain")
    entries = sitemap(client)

    assert ORIGIN + orphan.get_absolute_url() not in entries
    assert ORIGIN + draft_guide.get_absolute_url() not in entries
    english = ORIGIN + original.get_absolute_url()
    assert entries[english] == {"en": english, "x-default": english}
    # The published Spanish guide stays the guide's only Spanish version.
    guide = ORIGIN + english_guide.get_absolute_url()
    assert entries[guide]["es"] == f"{ORIGIN}/es/guias/fracturas/"


def test_a_page_only_in_spanish_has_no_english_default(client):
    guide = GuideFactory(slug="solo", language="es")
    article = ArticleFactory(guide=guide, language="es", slug="unico")
    entries = sitemap(client)

    location = ORIGIN + article.get_absolute_url()
    assert location == f"{ORIGIN}/es/guias/solo/unico/"
    assert entries[location] == {"es": location}


def test_the_sitemap_takes_the_same_queries_for_many_articles(
    client, guides, django_assert_max_num_queries
):
    english_guide, spanish_guide = guides
    for number in range(25):
        translated_article(english_guide, spanish_guide, f"Article {number}")
    for _number in range(5):
        PracticeFactory()
    # Guides, articles, practices, doctors: one query each, whatever their number.
    with django_assert_max_num_queries(4):
        entries = sitemap(client)
    # Two per language: home, glossary, the guide, 25 articles, 5 practices and
    # 50 reviewing doctors.
    assert len(entries) == 2 * (1 + 1 + 1 + 25 + 5 + 50)
