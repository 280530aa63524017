"""
Every patient page runs a small, fixed number of SQL queries: the same for a
site with one article as for one with dozens of articles, steps, facts,
references, doctors, locations and glossary terms.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import (
    ArticleFact,
    ArticleReference,
    ArticleStep,
    GlossaryTerm,
)

from .factories import (
    ArticleFactory,
    DoctorFactory,
    GuideFactory,
    ImageFactory,
    LocationFactory,
    PracticeFactory,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"

# The queries each page runs, uncached, the first time a process renders it
# at a content version (later requests reuse what it keeps: see
# test_content_version.py). Guides and articles look up their versions in
# other languages, an article also the next scheduled publish time. A short
# link's page also counts its opening (one UPDATE) and looks up the branding
# practice, its locations, the language of its guide and, on an article,
# the practice's own values of its facts.
BUDGET = {
    "home": 2,
    "guide": 3,
    "guide print": 7,
    "article": 10,
    "practice": 4,
    "doctor": 3,
    "glossary": 1,
    "search": 3,
    "feed": 1,
    "short link to a guide": 7,
    "short link to an article": 15,
}


MANY = {
    "guides": 5,
    "articles": 30,
    "steps": 20,
    "doctors": 10,
    "locations": 5,
    "terms": 50,
}


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


class Site:
    """One practice with its doctors and locations, and one guide of articles."""

    def __init__(self):
        self.image = ImageFactory()
        self.practice = PracticeFactory(slug="riverside", logo=self.image)
        self.guide = GuideFactory(slug="recovery")
        self.doctors = []
        self.articles = []
        self.grow(guides=0, articles=1, steps=1, doctors=1, locations=1, terms=1)

    def grow(self, guides, articles, steps, doctors, locations, terms):
        """Add this many more of each; every article gets `steps` more steps, facts and references."""
        for _number in range(guides):
            ArticleFactory(guide=GuideFactory(), reviewed_by=self.doctors[0])
        LocationFactory.create_batch(locations, practice=self.practice)
        for _number in range(doctors):
            doctor = DoctorFactory(photo=self.image)
            doctor.practices.add(self.practice)
            self.doctors.append(doctor)
        for _number in range(articles):
            self.articles.append(
                ArticleFactory(
                    guide=self.guide,
                    reviewed_by=self.doctors[len(self.articles) % len(self.doctors)],
                    practice=self.practice,
                    hero_image=self.image,
                    introduction="<p>A vertebral compression fracture (VCF) heals.</p>",
                )
            )
        for article in self.articles:
            first = article.steps.count() + 1
            numbers = range(first, first + steps)
            ArticleStep.objects.bulk_create(
                ArticleStep(
                    article=article, position=n, heading=f"Step {n}", body="<p>VCF</p>"
                )
                for n in numbers
            )
            ArticleFact.objects.bulk_create(
                ArticleFact(
                    article=article, position=n, key=f"k{n}", label="L", value="V"
                )
                for n in numbers
            )
            ArticleReference.objects.bulk_create(
                ArticleReference(article=article, position=n, citation="A source.")
                for n in numbers
            )
            article.mark_content_changed()
        start = GlossaryTerm.objects.count()
        GlossaryTerm.objects.bulk_create(
            GlossaryTerm(
                term=f"Term {start + n}",
                slug=f"term-{start + n}",
                abbreviation=f"T{start + n}",
                also_called=f"Word {start + n}, Other {start + n}",
                definition="A plain definition.",
            )
            for n in range(terms)
        )

    def urls(self):
        article = self.articles[0]
        short = {"practice_slug": self.practice.slug, "guide_slug": self.guide.slug}
        return {
            "home": reverse("articles:home"),
            "guide": self.guide.get_absolute_url(),
            "guide print": reverse("articles:guide_print", args=[self.guide.slug]),
            "article": article.get_absolute_url(),
            "practice": self.practice.get_absolute_url(),
            "doctor": self.doctors[0].get_absolute_url(),
            "glossary": reverse("articles:glossary"),
            "search": reverse("articles:search") + "?q=fracture",
            "feed": reverse("articles:feed"),
            "short link to a guide": reverse("share:guide", kwargs=short),
            "short link to an article": reverse(
                "share:article", kwargs={**short, "article_slug": article.slug}
            ),
        }


def queries(client, url):
    """How many queries one patient's request for url runs, once the site is warm."""
    # The first request fills Django's own caches (content types) and creates
    # this week's referral row; the second is every later patient's.
    assert client.get(url, headers={"User-Agent": BROWSER}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers={"User-Agent": BROWSER})
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def site(db):
    return Site()


@pytest.mark.parametrize("page", BUDGET)
def test_page_runs_the_same_few_queries_however_much_content_exists(
    client, site, page, django_assert_max_num_queries
):
    url = site.urls()[page]
    small = queries(client, url)
    site.grow(**MANY)
    with django_assert_max_num_queries(BUDGET[page]):
        client.get(url, headers={"User-Agent": BROWSER})
    assert queries(client, url) == small


def test_a_grown_site_shows_everything_it_queried(client, site):
    # The budget is only meaningful if the pages really show the added content.
    site.grow(**MANY)
    urls = site.urls()
    article = client.get(urls["article"]).content.decode()
    assert article.count('class="step"') == 21
    assert article.count('class="fact"') == 21
    assert "Part 1 of 31" in article
    assert client.get(urls["guide"]).content.decode().count('class="card"') == 31
    practice = client.get(urls["practice"]).content.decode()
    assert practice.count('class="location"') == 6
    assert practice.count("Alex Doctor") >= 11
    assert client.get(urls["glossary"]).content.decode().count("<dt") == 51
    assert client.get(urls["home"]).content.decode().count('class="guide-summary"') == 6
