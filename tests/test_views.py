import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Status

from .factories import (
    ArticleFactory,
    DoctorFactory,
    FactFactory,
    GuideFactory,
    ImageFactory,
    LocationFactory,
    PracticeFactory,
    ReferenceFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def positions_in(text, *needles):
    """Index of each needle in text; fails the test if one is missing."""
    found = []
    for needle in needles:
        index = text.find(needle)
        assert index != -1, f"{needle!r} not on the page"
        found.append(index)
    return found


@pytest.fixture
def full_article():
    practice = PracticeFactory(name="Example Spine Center")
    LocationFactory(practice=practice, phone="+1 555 010 0100")
    doctor = DoctorFactory(name="Jordan Example", credentials="MD")
    doctor.practices.add(practice)
    guide = GuideFactory(title="Spinal Fractures Guide")
    article = ArticleFactory(
        guide=guide,
        title="How Balloon Kyphoplasty Works",
        subtitle="Step by Step",
        teaser="See each step.",
        introduction="<p>Kyphoplasty lifts the bone.</p>",
        hero_image=ImageFactory(alt_text="A balloon inside a spine bone"),
        hero_caption="The balloon lifts the bone.",
        steps_heading="The procedure, step by step",
        closing="<p>You rest afterwards.</p>",
        safety_notice="<p>Call if you get a fever.</p>",
        reviewed_by=doctor,
        practice=practice,
    )
    for heading in ["Making a path", "Inflating", "Deflating", "Filling", "Setting"]:
        StepFactory(article=article, heading=heading)
    FactFactory(article=article, label="How long it takes", value="About half an hour")
    ReferenceFactory(article=article, citation="A trusted source, 2024.")
    following = ArticleFactory(
        guide=guide, title="Benefits of Kyphoplasty", teaser="Why people choose it."
    )
    return article, following


def test_root_redirects_to_the_english_site(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_home_lists_published_guides_with_their_articles(client):
    guide = GuideFactory(title="Kyphoplasty Guide")
    article = ArticleFactory(guide=guide, title="First steps")
    GuideFactory(title="Unfinished Guide", status=Status.DRAFT)
    page = html(client.get(reverse("articles:home")))
    assert f'href="{guide.get_absolute_url()}"' in page
    assert f'href="{article.get_absolute_url()}"' in page
    assert "Unfinished Guide" not in page


def test_guide_lists_published_articles_in_order_with_teasers(client):
    guide = GuideFactory()
    first = ArticleFactory(
        guide=guide, title="Understanding fractures", teaser="What a VCF is."
    )
    second = ArticleFactory(guide=guide, title="How it works", teaser="Each step.")
    ArticleFactory(guide=guide, title="Secret draft", status=Status.DRAFT)
    page = html(client.get(guide.get_absolute_url()))
    first_at, second_at = positions_in(page, first.title, second.title)
    assert first_at < second_at
    assert "What a VCF is." in page and "Each step." in page
    assert "Secret draft" not in page
    assert "<h1>" + guide.title + "</h1>" in page


def test_article_page_shows_every_part_in_order(client, full_article):
    article, following = full_article
    page = html(client.get(article.get_absolute_url()))
    order = positions_in(
        page,
        f'<a href="{article.guide.get_absolute_url()}">Spinal Fractures Guide</a>',
        "<h1>How Balloon Kyphoplasty Works</h1>",
        '<p class="subtitle">Step by Step</p>',
        "Updated on",
        "Medically reviewed by",
        "<p>Kyphoplasty lifts the bone.</p>",
        "<figure",
        "The procedure, step by step",
        "<h3>Making a path</h3>",
        "<h3>Setting</h3>",
        "<p>You rest afterwards.</p>",
        "Key facts",
        "When to call your doctor",
        "References",
        "Questions about your treatment?",
        "Continue reading",
    )
    assert order == sorted(order)


def test_article_page_marks_up_dates_image_steps_and_facts(client, full_article):
    article, _following = full_article
    page = html(client.get(article.get_absolute_url()))
    assert len(re.findall(r'<time datetime="\d{4}-\d{2}-\d{2}">', page)) == 2
    assert 'alt="A balloon inside a spine bone"' in page
    assert "<figcaption>The balloon lifts the bone.</figcaption>" in page
    step_list = page[page.index('<ol class="step-list">') : page.index("</ol>")]
    assert step_list.count("<li") == 5
    assert "<dt>How long it takes</dt><dd>About half an hour</dd>" in page
    assert "Dr. Jordan Example, MD" in page
    assert f'href="{article.reviewed_by.get_absolute_url()}"' in page


def test_article_call_to_action_names_the_doctors_practice(client, full_article):
    article, _following = full_article
    page = html(client.get(article.get_absolute_url()))
    link = f'<a class="button" href="{article.practice.get_absolute_url()}">'
    assert link + "Learn about Dr. Jordan Example’s practice</a>" in page
    assert 'href="tel:+15550100100"' in page
    assert "click here" not in page.lower()


def test_continue_reading_teases_the_next_article(client, full_article):
    article, following = full_article
    page = html(client.get(article.get_absolute_url()))
    block = page[page.index('id="continue-heading"') :]
    assert following.title in block
    assert "Why people choose it." in block
    assert f'href="{following.get_absolute_url()}">Read more' in block


def test_last_article_leads_back_to_the_guide(client, full_article):
    article, following = full_article
    page = html(client.get(following.get_absolute_url()))
    block = page[page.index('id="continue-heading"') :]
    assert f'href="{article.guide.get_absolute_url()}">Back to' in block
    assert f'href="{article.get_absolute_url()}"' in block  # "Previous:" link


def test_continue_reading_skips_unpublished_articles(client):
    guide = GuideFactory()
    first = ArticleFactory(guide=guide)
    ArticleFactory(guide=guide, title="Not ready", status=Status.IN_REVIEW)
    third = ArticleFactory(guide=guide, title="Third part")
    page = html(client.get(first.get_absolute_url()))
    assert "Not ready" not in page
    assert f'href="{third.get_absolute_url()}">Read more' in page
    assert "Part 1 of 2" in page


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"publish_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "in-review", "scheduled"],
)
def test_never_published_articles_are_not_found(client, changes):
    article = ArticleFactory(**changes)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.ARCHIVED},
        {"status": Status.DRAFT},
        {"unpublish_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["archived", "back-to-draft", "unpublished"],
)
def test_withdrawn_articles_are_gone_and_point_to_their_guide(client, changes):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=2))
    for field, value in changes.items():
        setattr(article, field, value)
    article.save()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    page = html(response)
    assert "This article is no longer available" in page
    assert f'href="{article.guide.get_absolute_url()}"' in page
    assert '<meta name="robots" content="noindex">' in page


def test_articles_of_a_draft_guide_are_withdrawn(client):
    article = ArticleFactory()
    guide = article.guide
    guide.status = Status.DRAFT
    guide.save()
    assert client.get(guide.get_absolute_url()).status_code == 404
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert f'href="{guide.get_absolute_url()}"' not in html(response)


@pytest.mark.parametrize(
    "path",
    [
        "/en/guides/no-such-guide/",
        "/en/guides/no-such-guide/no-such-article/",
        "/en/practices/nobody/",
        "/en/doctors/nobody/",
        "/en/nothing-here/",
    ],
)
def test_unknown_pages_get_the_sites_own_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = html(response)
    assert "We could not find that page" in page
    assert 'class="skip-link"' in page
    assert 'href="/en/"' in page


def test_practice_page_shows_contact_doctors_and_reviewed_articles(client):
    practice = PracticeFactory(name="North Spine Clinic")
    LocationFactory(
        practice=practice, address="5 Bone Road\nTown", phone="+1 555 010 0111"
    )
    doctor = DoctorFactory(name="Sam Reviewer")
    doctor.practices.add(practice)
    reviewed = ArticleFactory(reviewed_by=doctor, title="Reviewed article")
    ArticleFactory(reviewed_by=doctor, title="Draft review", status=Status.DRAFT)
    page = html(client.get(practice.get_absolute_url()))
    assert "<h1>North Spine Clinic</h1>" in page
    assert 'href="tel:+15550100111"' in page
    assert "5 Bone Road<br>Town" in page
    assert f'href="{doctor.get_absolute_url()}"' in page
    # Through the practice's short link, which shows the practice's own facts.
    short = f"/p/{practice.slug}/{reviewed.guide.slug}/{reviewed.slug}/"
    assert f'href="{short}">Reviewed article</a>' in page
    assert "Draft review" not in page


def test_example_practices_are_marked_as_example_data(client):
    practice = PracticeFactory(is_example=True)
    assert "Example data." in html(client.get(practice.get_absolute_url()))
    real = PracticeFactory(is_example=False)
    assert "Example data." not in html(client.get(real.get_absolute_url()))


def test_doctor_page_lists_practices_and_reviewed_articles(client):
    practice = PracticeFactory(name="South Spine")
    doctor = DoctorFactory(name="Kim Careful", credentials="DO")
    doctor.practices.add(practice)
    article = ArticleFactory(reviewed_by=doctor)
    page = html(client.get(doctor.get_absolute_url()))
    assert "<h1>Dr. Kim Careful, DO</h1>" in page
    assert f'href="{practice.get_absolute_url()}">South Spine</a>' in page
    assert f'href="{article.get_absolute_url()}"' in page


def test_every_public_page_has_unique_title_description_and_canonical(
    client, full_article
):
    article, following = full_article
    pages = [
        reverse("articles:home"),
        article.guide.get_absolute_url(),
        article.get_absolute_url(),
        following.get_absolute_url(),
        article.practice.get_absolute_url(),
        article.reviewed_by.get_absolute_url(),
    ]
    titles = set()
    for path in pages:
        page = html(client.get(path))
        titles.add(re.search(r"<title>(.*?)</title>", page).group(1))
        description = re.search(r'<meta name="description" content="([^"]*)">', page)
        assert description and description.group(1).strip(), path
        assert f'<link rel="canonical" href="http://testserver{path}">' in page
        assert page.count("<h1") == 1, path
        assert '<html lang="en">' in page
    assert len(titles) == len(pages)


def test_canonical_url_drops_the_query_string(client, full_article):
    article, _following = full_article
    page = html(client.get(article.get_absolute_url() + "?utm_source=handout"))
    assert (
        f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">'
        in page
    )


def test_sitemap_lists_every_public_page_and_nothing_else(client, full_article):
    article, following = full_article
    draft = ArticleFactory(guide=article.guide, status=Status.DRAFT, title="Hidden")
    xml = html(client.get("/sitemap.xml"))
    for obj in [
        article,
        following,
        article.guide,
        article.practice,
        article.reviewed_by,
    ]:
        assert f"<loc>http://testserver{obj.get_absolute_url()}</loc>" in xml
    assert "<loc>http://testserver/en/</loc>" in xml
    assert draft.get_absolute_url() not in xml
    assert "<lastmod>" in xml


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in html(response)


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert html(response) == "ok\n"


@pytest.mark.parametrize("step_count", [3, 40])
def test_article_page_query_count_does_not_grow_with_steps(
    client, django_assert_max_num_queries, full_article, step_count
):
    article, _following = full_article
    for _ in range(step_count):
        StepFactory(article=article)
        FactFactory(article=article)
    for _ in range(10):
        ArticleFactory(guide=article.guide)
    # Among them the glossary terms, in one query for the whole page, the
    # article's versions in other languages and the next scheduled change.
    with django_assert_max_num_queries(10):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_guide_and_home_query_counts_are_constant(
    client, django_assert_max_num_queries
):
    guide = GuideFactory()
    for _ in range(25):
        ArticleFactory(guide=guide)
    GuideFactory.create_batch(5)
    with django_assert_max_num_queries(3):
        assert client.get(guide.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("articles:home")).status_code == 200


def test_practice_page_query_count_is_constant(client, django_assert_max_num_queries):
    practice = PracticeFactory()
    for _ in range(3):
        LocationFactory(practice=practice)
    for _ in range(8):
        doctor = DoctorFactory()
        doctor.practices.add(practice)
        ArticleFactory(reviewed_by=doctor)
    with django_assert_max_num_queries(6):
        assert client.get(practice.get_absolute_url()).status_code == 200
