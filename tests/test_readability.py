"""Plain language, measured offline, shown to editors and patients."""

import socket

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import readability
from articles.models import Article, GlossaryTerm

from .admin_forms import article_form, assert_saved, post_article
from .factories import ArticleFactory, StepFactory

pytestmark = pytest.mark.django_db

HARD = (
    "<p>Percutaneous vertebral augmentation necessitates meticulous fluoroscopic "
    "visualisation, comprehensive preoperative consideration of osteoporotic "
    "comorbidities, and interdisciplinary coordination regarding anticoagulation "
    "management, particularly considering polypharmacy in elderly individuals.</p>"
)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_grades_are_computed_without_any_network(no_network):
    level = readability.reading_level("The bone is broken. It can heal. Rest helps.")
    assert level["word_count"] == 9
    assert level["reading_grade"] < 3
    assert level["smog_grade"] is not None


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_articles_are_written_plainly(no_network):
    load_demo()
    articles = Article.objects.filter(language="en")
    assert articles.count() == 3
    for article in articles:
        assert article.word_count > 300
        assert article.reading_grade <= 7, article.title
        assert article.smog_grade <= 9, article.title


def test_the_spanish_demo_articles_are_written_plainly(no_network):
    load_demo()
    articles = Article.objects.filter(language="es")
    assert articles.count() == 3
    for article in articles:
        assert article.word_count > 300
        # Ease, 0–100, higher is easier: "easy" on Fernández-Huerta's scale,
        # at least "fairly easy" on Szigriszt-Pazos's (INFLESZ).
        assert article.fernandez_huerta >= 80, article.title
        assert article.szigriszt_pazos >= 65, article.title
        assert article.reading_grade is None and article.smog_grade is None


def test_grades_follow_the_steps_too():
    article = ArticleFactory(introduction="<p>Rest.</p>")
    before = Article.objects.get(pk=article.pk).word_count
    StepFactory(article=article, body="<p>Walk a little every day after you rest.</p>")
    article.mark_content_changed()
    article.refresh_from_db()
    assert article.word_count > before
    assert "Walk a little" in article.search_text


def test_patients_see_an_estimated_reading_time(client):
    words = " ".join(["Rest and walk a little."] * 120)  # 600 words: 4 minutes
    article = ArticleFactory(introduction=f"<p>{words}</p>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "About 4 minutes to read" in page


def test_the_article_list_shows_and_flags_reading_grades(reviewer_client):
    ArticleFactory(title="Plain one", introduction="<p>Rest. Walk. Eat well.</p>")
    ArticleFactory(title="Hard one", introduction=HARD)
    listing = reviewer_client.get(reverse("admin:articles_article_changelist"))
    text = listing.content.decode()
    assert "FK " in text and "SMOG " in text
    assert text.count("⚠") == 1


def test_saving_a_hard_article_warns_but_does_not_block(reviewer_client):
    article = ArticleFactory(title="Plain")
    GlossaryTerm.objects.create(term="osteoporotic", definition="Thin bones.")
    data = article_form(reviewer_client, article)
    data["introduction"] = HARD
    response = post_article(reviewer_client, article, data)
    assert_saved(response)
    article.refresh_from_db()
    assert article.reading_grade > readability.WARNING_GRADE
    listing = reviewer_client.get(response["Location"]).content.decode()
    assert "Patient materials should be at grade 8 or below" in listing
    change_page = reviewer_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    report = change_page[change_page.index("Longest sentences") :]
    assert "Percutaneous vertebral augmentation" in report
    hard_words = report[report.index("does not explain:") :]
    assert "fluoroscopic" in hard_words
    assert "osteoporotic" not in hard_words.split("</p>")[0]


def test_hard_words_leave_out_known_words():
    text = "Osteoporosis weakens bones. Ask about osteoporosis medicine."
    assert readability.hard_words(text) == ["osteoporosis", "medicine"]
    assert readability.hard_words(text, known=["Osteoporosis"]) == ["medicine"]
