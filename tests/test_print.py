"""A guide printed whole, and the print stylesheet's promises."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Status

from .factories import (
    ArticleFactory,
    FactFactory,
    GuideFactory,
    LocationFactory,
    PracticeFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


def test_the_whole_guide_prints_every_published_article_in_order(
    client, django_assert_max_num_queries
):
    guide = GuideFactory(title="Spine Guide")
    practice = PracticeFactory(name="North Spine")
    LocationFactory(practice=practice, phone="+15550100177")
    first = ArticleFactory(guide=guide, title="First part", practice=practice)
    second = ArticleFactory(guide=guide, title="Second part")
    ArticleFactory(guide=guide, title="Hidden draft", status=Status.DRAFT)
    for article in (first, second):
        for _ in range(4):
            StepFactory(article=article)
        FactFactory(article=article, label="How long", value="Half an hour")
    url = reverse("articles:guide_print", kwargs={"guide_slug": guide.slug})
    with django_assert_max_num_queries(8):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("First part</h2>") < page.index("Second part</h2>")
    assert "Hidden draft" not in page
    assert page.count('<li class="step">') == 8
    assert "Medically reviewed by" in page
    assert "Questions? Contact North Spine" in page
    assert 'href="tel:+15550100177"' in page
    assert f"http://testserver{first.get_absolute_url()}" in page
    assert (
        f'<link rel="canonical" href="http://testserver{guide.get_absolute_url()}">'
        in page
    )


def test_the_guide_page_links_to_the_printable_guide(client):
    guide = GuideFactory(title="Spine Guide")
    ArticleFactory(guide=guide)
    page = client.get(guide.get_absolute_url()).content.decode()
    url = reverse("articles:guide_print", kwargs={"guide_slug": guide.slug})
    assert f'<a href="{url}">Print the whole of Spine Guide</a>' in page


def test_the_print_stylesheet_hides_navigation_and_shows_link_addresses():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".site-footer .footer-links" in print_rules and ".continue" in print_rules
    assert 'content: " (" attr(href) ")"' in print_rules
    assert "break-inside: avoid" in print_rules
