"""What search engines, link previews and feed readers see of an article."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Status

from .factories import ArticleFactory, ImageFactory, StepFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


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
