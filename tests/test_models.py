from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, ArticleStep, Status
from articles.ordering import close_gaps, place_at, save_in_order

from .factories import ArticleFactory, DoctorFactory, GuideFactory, StepFactory

pytestmark = pytest.mark.django_db


def test_published_includes_only_reviewed_current_articles_of_published_guides():
    visible = ArticleFactory()
    ArticleFactory(status=Status.DRAFT)
    ArticleFactory(status=Status.IN_REVIEW)
    ArticleFactory(status=Status.ARCHIVED)
    ArticleFactory(publish_at=timezone.now() + timedelta(days=1))
    ArticleFactory(unpublish_at=timezone.now() - timedelta(seconds=1))
    ArticleFactory(guide=GuideFactory(status=Status.DRAFT))
    assert list(Article.objects.published()) == [visible]


def test_published_follows_the_clock_on_the_second():
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    article = ArticleFactory(publish_at=start, unpublish_at=start + timedelta(hours=1))
    with time_machine.travel(start - timedelta(seconds=1), tick=False):
        assert article not in Article.objects.published()
    with time_machine.travel(start, tick=False):
        assert article in Article.objects.published()
    with time_machine.travel(
        start + timedelta(hours=1) - timedelta(seconds=1), tick=False
    ):
        assert article in Article.objects.published()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert article not in Article.objects.published()


def test_publishing_without_a_publish_time_starts_now():
    article = ArticleFactory(status=Status.DRAFT, publish_at=None)
    article.status = Status.PUBLISHED
    article.save()
    assert article.publish_at is not None
    assert article in Article.objects.published()


def test_database_refuses_a_published_article_without_medical_review():
    with pytest.raises(IntegrityError):
        ArticleFactory(reviewed_by=None, reviewed_at=None)


def test_clean_explains_a_missing_review_and_a_backwards_schedule():
    article = ArticleFactory.build(
        reviewed_by=None, reviewed_at=None, guide=GuideFactory()
    )
    with pytest.raises(ValidationError, match="reviewing doctor"):
        article.full_clean()
    article = ArticleFactory.build(
        status=Status.DRAFT,
        publish_at=timezone.now(),
        unpublish_at=timezone.now() - timedelta(hours=1),
        guide=GuideFactory(),
        reviewed_by=DoctorFactory(),
    )
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "unpublish_at" in error.value.message_dict


def test_slugs_come_from_titles_and_are_unique_within_their_guide():
    guide = GuideFactory()
    first = ArticleFactory(guide=guide, title="After Surgery", slug="")
    second = ArticleFactory(guide=guide, title="After surgery!", slug="")
    elsewhere = ArticleFactory(guide=GuideFactory(), title="After Surgery", slug="")
    assert first.slug == "after-surgery"
    assert second.slug == "after-surgery-2"
    assert elsewhere.slug == "after-surgery"


def test_duplicate_slug_in_one_guide_is_refused_by_the_database():
    guide = GuideFactory()
    ArticleFactory(guide=guide, slug="same")
    with pytest.raises(IntegrityError):
        ArticleFactory(guide=guide, slug="same")


def test_guide_slugs_are_generated_and_unique():
    assert GuideFactory(title="Back Pain", slug="").slug == "back-pain"
    assert GuideFactory(title="Back pain", slug="").slug == "back-pain-2"


def test_updated_on_moves_only_when_patients_would_notice():
    article = ArticleFactory()
    first = article.content_updated_at
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        article.review_interval_months = 6
        article.save()
        assert article.content_updated_at == first
        article.introduction = "<p>New words.</p>"
        article.save()
        assert article.content_updated_at > first


def test_each_save_bumps_the_version():
    article = ArticleFactory()
    version = article.version
    article.save()
    assert article.version == version + 1


def step_headings(article):
    return list(article.steps.order_by("position").values_list("position", "heading"))


def test_save_in_order_renumbers_without_breaking_uniqueness():
    article = ArticleFactory()
    steps = [StepFactory(article=article, heading=name) for name in "ABCD"]
    save_in_order(list(reversed(steps)), article.steps.all())
    assert step_headings(article) == [(1, "D"), (2, "C"), (3, "B"), (4, "A")]


def test_place_at_moves_one_row_and_shifts_the_rest():
    article = ArticleFactory()
    a, b, c = (StepFactory(article=article, heading=name) for name in "ABC")
    place_at(c, 1, article.steps.all())
    assert step_headings(article) == [(1, "C"), (2, "A"), (3, "B")]
    place_at(
        ArticleStep(article=article, heading="D", body="<p>d</p>"),
        None,
        article.steps.all(),
    )
    assert step_headings(article)[-1] == (4, "D")
    place_at(a, 99, article.steps.all())
    assert step_headings(article) == [(1, "C"), (2, "B"), (3, "D"), (4, "A")]


def test_deleting_a_step_closes_the_gap():
    article = ArticleFactory()
    steps = [StepFactory(article=article, heading=name) for name in "ABC"]
    steps[0].delete()
    assert step_headings(article) == [(1, "B"), (2, "C")]


def test_deleting_an_article_closes_the_gap_in_its_guide():
    guide = GuideFactory()
    first, second, third = (ArticleFactory(guide=guide) for _ in range(3))
    second.delete()
    assert list(guide.articles.values_list("position", "pk")) == [
        (1, first.pk),
        (2, third.pk),
    ]


def test_close_gaps_keeps_order_and_does_nothing_when_already_tidy(
    django_assert_num_queries,
):
    article = ArticleFactory()
    StepFactory(article=article, heading="A", position=3)
    StepFactory(article=article, heading="B", position=7)
    close_gaps(article.steps.all())
    assert step_headings(article) == [(1, "A"), (2, "B")]
    with django_assert_num_queries(1):
        close_gaps(article.steps.all())


def test_rich_text_is_cleaned_whatever_saves_it():
    article = ArticleFactory(
        introduction='<p onclick="steal()">Hi<script>alert(1)</script></p>'
    )
    stored = Article.objects.get(pk=article.pk).introduction
    assert stored == "<p>Hi</p>"
    step = StepFactory(body='<a href="javascript:alert(1)">x</a>')
    assert "javascript" not in ArticleStep.objects.get(pk=step.pk).body


def test_patient_text_holds_what_the_page_shows():
    article = ArticleFactory(title="Title", introduction="<p>Intro &amp; more</p>")
    StepFactory(article=article, heading="First step", body="<p>Do this.</p>")
    text = article.patient_text()
    assert "Intro & more" in text
    assert "First step" in text and "Do this." in text
    assert "<p>" not in text
