"""What search engines, link previews and feed readers see of an article."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Status

from .factories import (
    ArticleFactory,
    DoctorFactory,
    GuideFactory,
    ImageFactory,
    PracticeFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def json_ld(page):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def procedure():
    article = ArticleFactory(
        title="How Kyphoplasty Works", hero_image=ImageFactory(alt_text="A balloon")
    )
    for heading in ["Making a path", "Inflating", "Filling"]:
        StepFactory(article=article, heading=heading, body=f"<p>{heading} text.</p>")
    return article


def test_article_is_a_reviewed_medical_web_page_about_a_procedure(client, procedure):
    page = client.get(procedure.get_absolute_url()).content.decode()
    graph = json_ld(page)["@graph"]
    web_page, breadcrumbs = graph
    assert web_page["@type"] == "MedicalWebPage"
    assert web_page["lastReviewed"] == procedure.reviewed_at.isoformat()
    assert web_page["reviewedBy"]["@type"] == "Physician"
    assert web_page["reviewedBy"]["name"] == procedure.reviewed_by.display_name
    assert web_page["inLanguage"] == "en"
    about = web_page["about"]
    assert about["@type"] == "MedicalProcedure"
    assert [step["name"] for step in about["step"]] == [
        "Making a path",
        "Inflating",
        "Filling",
    ]
    assert [step["position"] for step in about["step"]] == [1, 2, 3]
    assert about["step"][0]["text"] == "Making a path text."
    assert breadcrumbs["@type"] == "BreadcrumbList"
    names = [item["name"] for item in breadcrumbs["itemListElement"]]
    assert names == ["Home", procedure.guide.title, procedure.title]


def test_articles_without_steps_are_not_called_procedures(client):
    article = ArticleFactory()
    graph = json_ld(client.get(article.get_absolute_url()).content.decode())["@graph"]
    assert "about" not in graph[0]


def test_link_previews_use_the_hero_image_and_canonical_address(client, procedure):
    page = client.get(procedure.get_absolute_url() + "?from=qr").content.decode()
    url = f"http://testserver{procedure.get_absolute_url()}"
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:image" content="http://testserver/media/' in page
    assert '<meta property="og:image:alt" content="A balloon">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert f'<meta property="og:title" content="{procedure.title}">' in page


def test_a_title_with_script_cannot_escape_the_json_ld(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld(page)["@graph"][0]["name"] == article.title


def test_atom_feed_lists_published_articles_newest_change_first(client, procedure):
    older = ArticleFactory(title="Older article")
    ArticleFactory(title="Secret draft", status=Status.DRAFT)
    procedure.mark_content_changed()
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 -- our own output
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles[0] == procedure.title
    assert older.title in titles and "Secret draft" not in titles
    entry = next(feed.iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}link").get("href").endswith(procedure.get_absolute_url())


def test_every_page_advertises_the_feed(client):
    page = client.get(reverse("articles:home")).content.decode()
    assert 'type="application/atom+xml"' in page and reverse("articles:feed") in page


@pytest.fixture
def translated():
    """A published English article and its published Spanish translation."""
    english = ArticleFactory(title="What is a fracture", slug="what-is")
    guide = GuideFactory(
        title="Fracturas", slug="fracturas", language="es", translation_of=english.guide
    )
    spanish = ArticleFactory(
        guide=guide,
        language="es",
        slug="que-es",
        title="Qué es una fractura",
        translation_of=english,
    )
    return english, spanish


def test_json_ld_is_in_the_language_of_the_article(client, translated):
    english, spanish = translated
    for article, language in [(english, "en"), (spanish, "es")]:
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.get_absolute_url()
        graph = json_ld(response.content.decode())["@graph"]
        assert [node["inLanguage"] for node in graph] == [language, language]
    assert spanish.get_absolute_url() == "/es/guias/fracturas/que-es/"


def test_practice_and_doctor_json_ld_is_in_the_language_of_the_page(client):
    practice = PracticeFactory()
    doctor = DoctorFactory()
    doctor.practices.add(practice)
    for language in ["en", "es"]:
        for profile in [practice, doctor]:
            with translation.override(language):
                url = profile.get_absolute_url()
            data = json_ld(client.get(url).content.decode())
            assert data["inLanguage"] == language, url


def feed_entries(client, language):
    """(xml:lang, [(title, link)]) of the feed at its address in `language`."""
    with translation.override(language):
        url = reverse("articles:feed")
    response = client.get(url)
    assert response.status_code == 200, url
    feed = ElementTree.fromstring(response.content)  # noqa: S314 -- our own output
    entries = [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in feed.iter(f"{ATOM}entry")
    ]
    return feed.get(XML_LANG), entries


def test_each_language_feed_lists_only_its_own_published_articles(client, translated):
    english, spanish = translated
    ArticleFactory(
        guide=spanish.guide, language="es", title="Borrador", status=Status.DRAFT
    )
    unpublished_guide = GuideFactory(language="es", status=Status.DRAFT)
    ArticleFactory(guide=unpublished_guide, language="es", title="Guía sin publicar")

    with translation.override("es"):
        assert reverse("articles:feed") == "/es/novedades/"
    language, entries = feed_entries(client, "es")
    assert language == "es"
    assert entries == [
        (spanish.title, "http://testserver/es/guias/fracturas/que-es/"),
    ]

    language, entries = feed_entries(client, "en")
    assert language == "en"
    assert entries == [
        (english.title, f"http://testserver{english.get_absolute_url()}"),
    ]
