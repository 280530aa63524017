"""The editors' admin: access, list pages, and saving articles, steps and guides."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleStep, Doctor, Guide, Image, Practice, Status

from .admin_forms import (
    add_step_row,
    article_form,
    assert_saved,
    change_url,
    form_data,
    post_article,
    row_index,
)
from .factories import (
    ArticleFactory,
    DoctorFactory,
    FactFactory,
    GuideFactory,
    ImageFactory,
    PracticeFactory,
    ReferenceFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page(client, article):
    article.refresh_from_db()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def step_headings(article):
    return list(article.steps.order_by("position").values_list("heading", flat=True))


def step_positions(article):
    return list(article.steps.order_by("position").values_list("position", flat=True))


def in_page_order(text, *needles):
    indexes = [text.find(needle) for needle in needles]
    assert -1 not in indexes, dict(zip(needles, indexes, strict=True))
    return indexes == sorted(indexes)


@pytest.fixture
def doctorless_reviewer_client(client):
    """A medical reviewer with no doctor profile: the form cannot guess the doctor."""
    user = UserFactory(username="lead-reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    client.force_login(user)
    return client


@pytest.fixture
def visitor():
    """A patient's browser, not logged in."""
    return Client()


@pytest.fixture
def article_with_steps():
    article = ArticleFactory(title="How Kyphoplasty Works", slug="how-it-works")
    for heading in ["Making a path", "Inflating", "Deflating", "Filling", "Setting"]:
        StepFactory(article=article, heading=heading)
    FactFactory(article=article)
    ReferenceFactory(article=article)
    return article


# --- Who may open the admin pages --------------------------------------------

ADMIN_MODELS = [Article, Guide, Practice, Doctor, Image]
FACTORIES = {
    Article: ArticleFactory,
    Guide: GuideFactory,
    Practice: PracticeFactory,
    Doctor: DoctorFactory,
    Image: ImageFactory,
}


def admin_pages(model):
    """The changelist, add and change URLs of one model."""
    obj = FACTORIES[model]()
    name = f"admin:articles_{model._meta.model_name}"
    return [
        reverse(f"{name}_changelist"),
        reverse(f"{name}_add"),
        reverse(f"{name}_change", args=[obj.pk]),
    ]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_editor_can_open_list_add_and_change_pages(editor_client, model):
    for url in admin_pages(model):
        response = editor_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_anonymous_visitors_are_sent_to_the_admin_login(client, model):
    for url in admin_pages(model):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_staff_without_permissions_are_refused(
    client, staff_without_permissions, model
):
    client.force_login(staff_without_permissions)
    for url in admin_pages(model):
        assert client.get(url).status_code == 403, url


# --- The article list ---------------------------------------------------------


def test_article_list_query_count_does_not_grow_with_articles(
    editor_client, django_assert_max_num_queries
):
    guides = GuideFactory.create_batch(4)
    doctors = DoctorFactory.create_batch(3)
    for number in range(200):
        ArticleFactory(guide=guides[number % 4], reviewed_by=doctors[number % 3])
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert "200 articles" in response.content.decode()


def test_article_list_searches_titles_and_guide_titles(editor_client):
    guide = GuideFactory(title="Spinal Fractures Guide")
    ArticleFactory(guide=guide, title="Recovery at Home")
    ArticleFactory(title="Balloon Kyphoplasty Explained")
    url = reverse("admin:articles_article_changelist")

    found = editor_client.get(url, {"q": "kyphoplasty"}).content.decode()
    assert "Balloon Kyphoplasty Explained" in found
    assert "Recovery at Home" not in found

    found = editor_client.get(url, {"q": "fractures"}).content.decode()
    assert "Recovery at Home" in found
    assert "Balloon Kyphoplasty Explained" not in found


def test_article_list_filters_by_status_and_guide(editor_client):
    guide = GuideFactory()
    ArticleFactory(guide=guide, title="Published in the guide")
    ArticleFactory(guide=guide, title="Draft in the guide", status=Status.DRAFT)
    ArticleFactory(title="Draft elsewhere", status=Status.DRAFT)
    url = reverse("admin:articles_article_changelist")

    drafts = editor_client.get(url, {"status": "draft"}).content.decode()
    assert "Draft in the guide" in drafts
    assert "Draft elsewhere" in drafts
    assert "Published in the guide" not in drafts

    in_guide = editor_client.get(url, {"guide__id__exact": guide.pk}).content.decode()
    assert "Published in the guide" in in_guide
    assert "Draft in the guide" in in_guide
    assert "Draft elsewhere" not in in_guide


# --- Steps in the article form ------------------------------------------------


def test_editing_a_step_changes_the_article_page(
    reviewer_client, visitor, article_with_steps
):
    article = article_with_steps
    step = article.steps.get(heading="Inflating")
    data = article_form(reviewer_client, article)
    row = row_index(data, "steps", step)
    data[f"steps-{row}-heading"] = "Inflating the balloon"
    data[f"steps-{row}-body"] = "<p>The balloon lifts the <strong>bone</strong>.</p>"

    assert_saved(post_article(reviewer_client, article, data))

    step.refresh_from_db()
    assert step.heading == "Inflating the balloon"
    assert step.body == "<p>The balloon lifts the <strong>bone</strong>.</p>"
    assert step.position == 2
    text = page(visitor, article)
    assert "<h3>Inflating the balloon</h3>" in text
    assert "The balloon lifts the <strong>bone</strong>." in text


def reorder_steps(client, article, new_numbers):
    """Post the article form with {heading: number} typed into the steps' order boxes."""
    data = article_form(client, article)
    for step in article.steps.all():
        if step.heading in new_numbers:
            data[f"steps-{row_index(data, 'steps', step)}-order"] = str(
                new_numbers[step.heading]
            )
    assert_saved(post_article(client, article, data))


def assert_steps_shown_in_order(client, article, headings):
    assert step_headings(article) == headings
    assert step_positions(article) == list(range(1, len(headings) + 1))
    text = page(client, article)
    assert in_page_order(text, *[f"<h3>{heading}</h3>" for heading in headings])


def test_swapping_two_step_numbers_swaps_the_steps(
    reviewer_client, visitor, article_with_steps
):
    reorder_steps(
        reviewer_client, article_with_steps, {"Making a path": 2, "Inflating": 1}
    )
    assert_steps_shown_in_order(
        visitor,
        article_with_steps,
        ["Inflating", "Making a path", "Deflating", "Filling", "Setting"],
    )


def test_renumbering_every_step_moves_the_last_step_first(
    reviewer_client, visitor, article_with_steps
):
    reorder_steps(
        reviewer_client,
        article_with_steps,
        {
            "Setting": 1,
            "Making a path": 2,
            "Inflating": 3,
            "Deflating": 4,
            "Filling": 5,
        },
    )
    assert_steps_shown_in_order(
        visitor,
        article_with_steps,
        ["Setting", "Making a path", "Inflating", "Deflating", "Filling"],
    )


def test_giving_the_last_step_number_one_moves_it_first(
    reviewer_client, visitor, article_with_steps
):
    reorder_steps(reviewer_client, article_with_steps, {"Setting": 1})
    assert_steps_shown_in_order(
        visitor,
        article_with_steps,
        ["Setting", "Making a path", "Inflating", "Deflating", "Filling"],
    )


def test_steps_given_the_same_number_keep_their_form_order(
    reviewer_client, visitor, article_with_steps
):
    reorder_steps(
        reviewer_client, article_with_steps, {"Making a path": 9, "Inflating": 9}
    )
    assert_steps_shown_in_order(
        visitor,
        article_with_steps,
        ["Deflating", "Filling", "Setting", "Making a path", "Inflating"],
    )


def test_a_new_step_numbered_one_is_added_first(reviewer_client, article_with_steps):
    article = article_with_steps
    data = add_step_row(
        article_form(reviewer_client, article),
        article=str(article.pk),
        order="1",
        heading="Arriving",
        body="<p>You arrive an hour early.</p>",
    )

    assert_saved(post_article(reviewer_client, article, data))

    assert step_headings(article)[:2] == ["Arriving", "Making a path"]


def test_deleting_a_step_closes_the_gap(reviewer_client, visitor, article_with_steps):
    article = article_with_steps
    data = article_form(reviewer_client, article)
    row = row_index(data, "steps", article.steps.get(heading="Inflating"))
    data[f"steps-{row}-DELETE"] = "on"

    assert_saved(post_article(reviewer_client, article, data))

    assert_steps_shown_in_order(
        visitor, article, ["Making a path", "Deflating", "Filling", "Setting"]
    )
    assert "Inflating" not in page(visitor, article)


def test_a_new_step_without_a_number_is_added_at_the_end(
    reviewer_client, visitor, article_with_steps
):
    article = article_with_steps
    data = add_step_row(
        article_form(reviewer_client, article),
        article=str(article.pk),
        order="",
        heading="Going home",
        body="<p>You go home the same day.</p>",
    )

    assert_saved(post_article(reviewer_client, article, data))

    assert_steps_shown_in_order(
        visitor,
        article,
        ["Making a path", "Inflating", "Deflating", "Filling", "Setting", "Going home"],
    )
    assert "You go home the same day." in page(visitor, article)


# --- Articles in their guide ----------------------------------------------------


@pytest.fixture
def guide_of_four():
    guide = GuideFactory(title="Kyphoplasty Guide")
    for title in ["Overview", "Procedure", "Recovery", "Risks"]:
        ArticleFactory(guide=guide, title=title)
    return guide


def titles_in(guide):
    return list(guide.articles.order_by("position").values_list("title", flat=True))


def positions_in(guide):
    return list(guide.articles.order_by("position").values_list("position", flat=True))


def assert_guide_reads(client, guide, titles):
    assert titles_in(guide) == titles
    assert positions_in(guide) == list(range(1, len(titles) + 1))
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert in_page_order(response.content.decode(), *titles)


def test_deleting_an_article_closes_the_gap_in_its_guide(
    editor_client, visitor, guide_of_four
):
    article = guide_of_four.articles.get(title="Procedure")
    StepFactory(article=article)
    url = reverse("admin:articles_article_delete", args=[article.pk])

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleStep.objects.filter(article_id=article.pk).exists()
    assert_guide_reads(visitor, guide_of_four, ["Overview", "Recovery", "Risks"])


def test_article_order_field_moves_it_within_its_guide(
    editor_client, visitor, guide_of_four
):
    article = guide_of_four.articles.get(title="Risks")
    data = article_form(editor_client, article)
    assert data["order"] == "4"
    data["order"] = "2"

    assert_saved(post_article(editor_client, article, data))

    assert_guide_reads(
        visitor, guide_of_four, ["Overview", "Risks", "Procedure", "Recovery"]
    )


def test_article_order_beyond_the_end_puts_it_last(
    editor_client, visitor, guide_of_four
):
    article = guide_of_four.articles.get(title="Overview")
    data = article_form(editor_client, article)
    data["order"] = "99"

    assert_saved(post_article(editor_client, article, data))

    assert_guide_reads(
        visitor, guide_of_four, ["Procedure", "Recovery", "Risks", "Overview"]
    )


def test_moving_an_article_to_another_guide_closes_the_gap_in_the_old_one(
    editor_client, visitor, guide_of_four
):
    other = GuideFactory(title="Osteoporosis Guide")
    ArticleFactory(guide=other, title="Bone Health")
    article = guide_of_four.articles.get(title="Procedure")
    data = article_form(editor_client, article)
    data["guide"] = str(other.pk)
    data["order"] = ""

    assert_saved(post_article(editor_client, article, data))

    assert_guide_reads(visitor, guide_of_four, ["Overview", "Recovery", "Risks"])
    assert_guide_reads(visitor, other, ["Bone Health", "Procedure"])


def test_guide_page_inline_reorders_its_articles(editor_client, visitor, guide_of_four):
    response = editor_client.get(change_url(guide_of_four))
    assert "Articles in reading order" in response.content.decode()
    data = form_data(response, "guide_form")
    new_numbers = {"Overview": 3, "Procedure": 1, "Recovery": 4, "Risks": 2}
    for article in guide_of_four.articles.all():
        row = row_index(data, "articles", article)
        data[f"articles-{row}-order"] = str(new_numbers[article.title])

    assert_saved(editor_client.post(change_url(guide_of_four), data))

    assert_guide_reads(
        visitor, guide_of_four, ["Procedure", "Risks", "Overview", "Recovery"]
    )


def test_guide_page_inline_moves_the_last_article_first(
    editor_client, visitor, guide_of_four
):
    data = form_data(editor_client.get(change_url(guide_of_four)), "guide_form")
    risks = guide_of_four.articles.get(title="Risks")
    data[f"articles-{row_index(data, 'articles', risks)}-order"] = "1"

    assert_saved(editor_client.post(change_url(guide_of_four), data))

    assert_guide_reads(
        visitor, guide_of_four, ["Risks", "Overview", "Procedure", "Recovery"]
    )


# --- What the article form accepts ----------------------------------------------

MALICIOUS_INTRODUCTION = (
    "<p>Before surgery.<script>alert('intro')</script></p>"
    '<p><img src="/media/editor/x.png" alt="A spine" onerror="alert(1)"></p>'
    '<p onclick="alert(2)"><a href="javascript:alert(3)">Click me</a></p>'
)


def test_rich_text_from_the_admin_is_stored_and_shown_clean(
    reviewer_client, visitor, article_with_steps
):
    article = article_with_steps
    step = article.steps.first()
    data = article_form(reviewer_client, article)
    data["introduction"] = MALICIOUS_INTRODUCTION
    data[f"steps-{row_index(data, 'steps', step)}-body"] = (
        '<p>Step text<img src="/media/editor/y.png" alt="Needle" onload="alert(4)"></p>'
    )

    assert_saved(post_article(reviewer_client, article, data))

    stored = Article.objects.values_list("introduction", flat=True).get(pk=article.pk)
    stored_step = ArticleStep.objects.values_list("body", flat=True).get(pk=step.pk)
    # Our own JSON-LD is the one script element a page may have.
    text = re.sub(
        r'<script type="application/ld\+json">.*?</script>',
        "",
        page(visitor, article),
        flags=re.S,
    )
    for html in (stored, stored_step, text):
        lowered = html.lower()
        for marker in (
            "<script",
            "alert(",
            "onerror",
            "onclick",
            "onload",
            "javascript:",
        ):
            assert marker not in lowered
    assert stored == (
        "<p>Before surgery.</p>"
        '<p><img src="/media/editor/x.png" alt="A spine" loading="lazy"></p>'
        '<p><a rel="noopener noreferrer">Click me</a></p>'
    )
    assert '<img src="/media/editor/x.png" alt="A spine" loading="lazy">' in text


def test_an_image_without_alt_text_is_refused_and_nothing_typed_is_lost(
    editor_client, article_with_steps
):
    article = article_with_steps
    step = article.steps.first()
    before = Article.objects.values().get(pk=article.pk)
    data = article_form(editor_client, article)
    data["title"] = "A New Title Typed Carefully"
    data["introduction"] = (
        '<p>Look at this picture.</p><p><img src="/media/editor/spine.png"></p>'
    )
    data[f"steps-{row_index(data, 'steps', step)}-heading"] = "A step heading typed"

    response = post_article(editor_client, article, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "1 image(s) in this text have no text alternative" in str(
        form.errors["introduction"]
    )
    text = response.content.decode()
    assert "no text alternative" in text
    assert 'value="A New Title Typed Carefully"' in text
    assert 'value="A step heading typed"' in text
    assert "&lt;p&gt;Look at this picture.&lt;/p&gt;" in text
    assert Article.objects.values().get(pk=article.pk) == before
    step.refresh_from_db()
    assert step.heading != "A step heading typed"


def test_an_image_without_alt_text_in_a_step_is_refused(
    editor_client, article_with_steps
):
    article = article_with_steps
    step = article.steps.first()
    body_before = step.body
    data = article_form(editor_client, article)
    data[f"steps-{row_index(data, 'steps', step)}-body"] = (
        '<p><img src="/media/editor/spine.png" alt="  "></p>'
    )

    response = post_article(editor_client, article, data)

    assert response.status_code == 200
    assert "no text alternative" in response.content.decode()
    step.refresh_from_db()
    assert step.body == body_before


def test_publishing_without_a_medical_review_is_refused_with_a_reason(
    doctorless_reviewer_client,
):
    article = ArticleFactory(status=Status.DRAFT, reviewed_by=None, reviewed_at=None)
    before = Article.objects.values().get(pk=article.pk)
    data = article_form(doctorless_reviewer_client, article)
    data["status"] = Status.PUBLISHED

    response = post_article(doctorless_reviewer_client, article, data)

    assert response.status_code == 200
    assert (
        "A published article needs the reviewing doctor and the review date."
        in response.content.decode()
    )
    assert Article.objects.values().get(pk=article.pk) == before


def test_publishing_without_a_review_shows_only_the_plain_reason(
    doctorless_reviewer_client,
):
    article = ArticleFactory(status=Status.DRAFT, reviewed_by=None, reviewed_at=None)
    data = article_form(doctorless_reviewer_client, article)
    data["status"] = Status.PUBLISHED

    response = post_article(doctorless_reviewer_client, article, data)

    assert response.context["adminform"].form.non_field_errors() == [
        "A published article needs the reviewing doctor and the review date."
    ]


def test_publishing_with_a_review_fills_in_the_publish_time(reviewer_client, visitor):
    doctor = DoctorFactory(name="Jordan Example")
    article = ArticleFactory(
        status=Status.DRAFT, reviewed_by=None, reviewed_at=None, publish_at=None
    )
    data = article_form(reviewer_client, article)
    data.update(
        status=Status.PUBLISHED,
        reviewed_by=str(doctor.pk),
        reviewed_at=timezone.localdate().isoformat(),
    )

    assert_saved(post_article(reviewer_client, article, data))

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.publish_at is not None
    assert "Jordan Example" in page(visitor, article)


# --- Slugs ------------------------------------------------------------------------


def add_article_data(guide, **values):
    data = {
        "guide": str(guide.pk),
        "order": "",
        "title": "After Surgery",
        "slug": "",
        "teaser": "What to expect at home.",
        "introduction": "<p>Rest for a day.</p>",
        "status": Status.DRAFT,
        "review_interval_months": "12",
        "language": "en",
    }
    for prefix in ("steps", "facts", "references"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(values)
    return data


ADD_ARTICLE = reverse("admin:articles_article_add")


def test_an_empty_slug_is_made_from_the_title(editor_client):
    guide = GuideFactory()
    ArticleFactory(guide=guide)

    assert_saved(editor_client.post(ADD_ARTICLE, add_article_data(guide)))

    article = Article.objects.get(title="After Surgery")
    assert article.slug == "after-surgery"
    assert article.position == 2


def test_a_slug_already_used_in_the_guide_is_refused(editor_client):
    guide = GuideFactory()
    ArticleFactory(guide=guide, slug="after-surgery")

    response = editor_client.post(
        ADD_ARTICLE, add_article_data(guide, slug="after-surgery")
    )

    assert response.status_code == 200
    assert "Article with this Guide and Slug already exists." in (
        response.content.decode()
    )
    assert guide.articles.count() == 1


def test_a_slug_used_in_another_guide_is_fine(editor_client):
    ArticleFactory(guide=GuideFactory(), slug="after-surgery")
    guide = GuideFactory()

    assert_saved(
        editor_client.post(ADD_ARTICLE, add_article_data(guide, slug="after-surgery"))
    )

    assert guide.articles.get().slug == "after-surgery"


# --- "Updated on" -------------------------------------------------------------------


@pytest.fixture
def last_week(article_with_steps):
    """The article as last touched a week ago."""
    week_ago = timezone.now() - timedelta(days=7)
    Article.objects.filter(pk=article_with_steps.pk).update(content_updated_at=week_ago)
    return week_ago


def updated_on(article):
    return Article.objects.values_list("content_updated_at", flat=True).get(
        pk=article.pk
    )


def test_changing_the_introduction_moves_updated_on(
    reviewer_client, visitor, article_with_steps, last_week
):
    data = article_form(reviewer_client, article_with_steps)
    data["introduction"] = "<p>A clearer introduction.</p>"

    assert_saved(post_article(reviewer_client, article_with_steps, data))

    assert updated_on(article_with_steps) > last_week
    today = timezone.localdate().isoformat()
    assert f'<time datetime="{today}">' in page(visitor, article_with_steps)


def test_changing_a_step_moves_updated_on(
    reviewer_client, article_with_steps, last_week
):
    data = article_form(reviewer_client, article_with_steps)
    step = article_with_steps.steps.first()
    data[f"steps-{row_index(data, 'steps', step)}-heading"] = "A clearer heading"

    assert_saved(post_article(reviewer_client, article_with_steps, data))

    assert updated_on(article_with_steps) > last_week


def test_changing_only_internal_fields_keeps_updated_on(
    editor_client, visitor, article_with_steps, last_week
):
    data = article_form(editor_client, article_with_steps)
    data["review_interval_months"] = "6"

    assert_saved(post_article(editor_client, article_with_steps, data))

    article_with_steps.refresh_from_db()
    assert article_with_steps.review_interval_months == 6
    assert updated_on(article_with_steps) == last_week
    assert f'<time datetime="{last_week.date().isoformat()}">' in page(
        visitor, article_with_steps
    )
