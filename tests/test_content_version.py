"""
What the article page keeps between requests, per content version: its linked
text, steps, structured data and the parts of its template that only content
changes (articles.content_version.derived and {% keep %}). With the page cache
off, every change still shows on the next request: an edit in this process at
once, an edit in another one as soon as the content version moves. Previews
keep nothing, and without the cache nothing is kept at all.
"""

import json
import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import content_version
from articles.models import ArticleStep, GlossaryTerm, Location

from .admin_forms import article_form, row_index
from .factories import (
    ArticleFactory,
    DoctorFactory,
    LocationFactory,
    PracticeFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    practice = PracticeFactory(name="Riverside Spine")
    LocationFactory(practice=practice, phone="+15550100100")
    doctor = DoctorFactory(name="Jordan Example", credentials="MD")
    doctor.practices.add(practice)
    article = ArticleFactory(
        title="Recovery at home",
        introduction="<p>A VCF heals in about three months.</p>",
        reviewed_by=doctor,
        practice=practice,
    )
    StepFactory(article=article, heading="Resting", body="<p>Rest for a day.</p>")
    GlossaryTerm.objects.create(
        term="vertebral compression fracture",
        abbreviation="VCF",
        slug="vcf",
        definition="A spine bone that has collapsed.",
    )
    return article


def page(article):
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def structured_data(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
    return json.loads(found[1])


def step_names(html):
    (page_data, _breadcrumbs) = structured_data(html)["@graph"]
    return [step["name"] for step in page_data["about"]["step"]]


def test_an_edited_glossary_term_shows_on_the_article_at_once(article):
    assert '<abbr title="vertebral compression fracture">VCF</abbr>' in page(article)
    term = GlossaryTerm.objects.get(slug="vcf")
    term.term = "compression fracture of the spine"
    term.save()
    assert '<abbr title="compression fracture of the spine">VCF</abbr>' in page(article)


def test_an_edited_step_shows_at_once_in_the_text_and_the_structured_data(article):
    html = page(article)
    assert "<h3>Resting</h3>" in html and step_names(html) == ["Resting"]
    step = article.steps.get()
    step.heading = "Resting at home"
    step.body = "<p>Rest for two days.</p>"
    step.save()
    StepFactory(article=article, heading="Walking", body="<p>Walk a little.</p>")
    html = page(article)
    assert "<h3>Resting at home</h3>" in html and "Rest for two days." in html
    assert "<h3>Walking</h3>" in html
    assert step_names(html) == ["Resting at home", "Walking"]


def test_a_new_phone_number_and_a_renamed_doctor_show_at_once(article):
    html = page(article)
    assert "(555) 010-0100" in html
    assert "Learn about Dr. Jordan Example’s practice" in html
    Location.objects.filter(practice=article.practice).get().delete()
    LocationFactory(practice=article.practice, phone="+15550100222")
    doctor = article.reviewed_by
    doctor.name = "Jordan Sample"
    doctor.save()
    html = page(article)
    assert "(555) 010-0222" in html and "(555) 010-0100" not in html
    assert "Learn about Dr. Jordan Sample’s practice" in html
    assert "Dr. Jordan Sample, MD</a>" in html  # "Medically reviewed by"


def test_another_processs_change_shows_once_the_content_version_moves(article):
    assert "<h3>Resting</h3>" in page(article)
    # What another application process saves: this one hears no signal, only
    # the new content version once that process's transaction commits.
    ArticleStep.objects.filter(article=article).update(heading="Resting well")
    GlossaryTerm.objects.filter(slug="vcf").update(term="spine fracture")
    html = page(article)
    assert "<h3>Resting</h3>" in html  # kept for the version it was read at
    content_version.bump()
    html = page(article)
    assert "<h3>Resting well</h3>" in html and step_names(html) == ["Resting well"]
    assert '<abbr title="spine fracture">VCF</abbr>' in html


def test_a_branded_page_and_the_plain_page_keep_their_own_practice(article):
    other = PracticeFactory(name="Hillside Spine", slug="hillside")
    LocationFactory(practice=other, phone="+15550100333")
    branded = reverse(
        "share:article",
        kwargs={
            "practice_slug": "hillside",
            "guide_slug": article.guide.slug,
            "article_slug": article.slug,
        },
    )
    for _visit in range(2):
        assert "The team at Riverside Spine" in page(article)
        html = Client().get(branded).content.decode()
        assert "The team at Hillside Spine" in html and "(555) 010-0333" in html
        assert "Riverside Spine" not in html


def test_a_preview_of_unsaved_changes_never_reaches_patients(article, reviewer_client):
    data = article_form(reviewer_client, article)
    step = row_index(data, "steps", article.steps.get())
    data.update(
        introduction="<p>Unsaved introduction.</p>",
        **{f"steps-{step}-heading": "Unsaved step"},
    )
    preview_changes = reverse("admin:articles_article_preview_changes")
    # Before and after the patients' page has kept anything.
    for _visit in range(2):
        preview = reviewer_client.post(preview_changes + f"?id={article.pk}", data)
        assert "Unsaved step" in preview.content.decode()
        html = page(article)
        assert "Unsaved" not in html
        assert "<h3>Resting</h3>" in html and "heals in about three months" in html


def test_without_the_cache_every_request_reads_the_content_afresh(article, caplog):
    with mock.patch.object(
        content_version, "current", side_effect=ConnectionError("cache down")
    ):
        assert "<h3>Resting</h3>" in page(article)
        ArticleStep.objects.filter(article=article).update(heading="Resting well")
        assert "<h3>Resting well</h3>" in page(article)
    assert "The content version is unavailable." in caplog.text


def test_a_second_request_at_the_same_version_runs_no_query(
    article, django_assert_num_queries
):
    page(article)
    with django_assert_num_queries(0):
        html = page(article)
    assert "<h3>Resting</h3>" in html and "Part 1 of 1" in html


def test_a_scheduled_publish_time_shows_without_a_new_version(article):
    start = timezone.now().replace(microsecond=0)
    later = ArticleFactory(
        guide=article.guide,
        title="Back to walking",
        publish_at=start + timedelta(hours=1),
    )
    with time_machine.travel(start, tick=False):
        html = page(article)
        assert "Part 1 of 1" in html and "Back to walking" not in html
        assert Client().get(later.get_absolute_url()).status_code == 404
    # Nothing was saved in between: only the clock moved past the publish time.
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        html = page(article)
        assert "Part 1 of 2" in html and "Back to walking" in html
        assert Client().get(later.get_absolute_url()).status_code == 200


def test_a_scheduled_unpublish_time_withdraws_the_kept_article(article):
    start = timezone.now().replace(microsecond=0)
    type(article).objects.filter(pk=article.pk).update(
        unpublish_at=start + timedelta(minutes=5)
    )
    content_version.bump()
    with time_machine.travel(start, tick=False):
        assert "<h3>Resting</h3>" in page(article)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert Client().get(article.get_absolute_url()).status_code == 410
