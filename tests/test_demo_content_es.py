"""The Spanish demo content pairs up with the English and loads as patients should read it."""

from collections import Counter

import pytest
import textstat
from django.core.validators import validate_slug
from django.utils.text import slugify

from articles.demo import content, content_es
from articles.glossary import term_pattern
from articles.models import (
    Article,
    ArticleFact,
    ArticleStep,
    Doctor,
    GlossaryTerm,
    Guide,
    Image,
    Location,
)
from articles.readability import prepared
from articles.sanitize import clean_html, html_to_text

# Fernández-Huerta 60–70 is "fairly easy" (bastante fácil); the English demo
# articles read at about grade 2–3, and the Spanish ones must not be harder.
FAIRLY_EASY = 60

ARTICLE_IDS = [article["slug"] for article in content_es.ARTICLES]
RICH_TEXT_FIELDS = ("introduction", "closing", "safety_notice")
PLAIN_TEXT_FIELDS = ("title", "subtitle", "teaser", "steps_heading")


def english_article(spanish):
    return next(a for a in content.ARTICLES if a["slug"] == spanish["translation_of"])


def patient_text(article):
    """The words a patient reads, in the order of Article.patient_text()."""
    parts = [
        article["title"],
        article["subtitle"],
        html_to_text(article["introduction"]),
    ]
    parts.append(article["steps_heading"])
    for heading, body in article["steps"]:
        parts += [heading, html_to_text(body)]
    parts.append(html_to_text(article["closing"]))
    for fact in article["facts"]:
        parts += [fact["label"], fact["value"]]
    parts.append(html_to_text(article["safety_notice"]))
    return "\n".join(part for part in parts if part)


def rich_texts():
    yield "guide introduction", content_es.GUIDE["introduction"]
    for article in content_es.ARTICLES:
        for field in RICH_TEXT_FIELDS:
            yield f"{article['slug']} {field}", article[field]
        for number, (_heading, body) in enumerate(article["steps"], start=1):
            yield f"{article['slug']} step {number}", body


def plain_texts():
    yield content_es.GUIDE["title"]
    yield content_es.GUIDE["summary"]
    for article in content_es.ARTICLES:
        yield from (article[field] for field in PLAIN_TEXT_FIELDS)
        yield article["hero"]["alt"]
        yield article["hero"]["caption"]
        yield from (heading for heading, _body in article["steps"])
        for fact in article["facts"]:
            yield fact["label"]
            yield fact["value"]
    for term in content_es.GLOSSARY:
        yield from (term["term"], term["also_called"], term["definition"])
    yield content_es.PRACTICE["description"]
    for location in content_es.PRACTICE["locations"]:
        yield from location.values()
    yield from content_es.DOCTOR.values()


def max_length(model, field):
    return model._meta.get_field(field).max_length


def assert_slug(slug, model):
    validate_slug(slug)
    assert slug.isascii() and slug == slug.lower(), slug
    assert len(slug) <= max_length(model, "slug"), slug


def test_the_spanish_guide_translates_the_english_guide():
    guide = content_es.GUIDE
    assert guide["translation_of"] == content.GUIDE["slug"]
    assert_slug(guide["slug"], Guide)
    assert guide["slug"] != content.GUIDE["slug"]
    assert len(guide["title"]) <= max_length(Guide, "title")
    assert guide["summary"] and guide["introduction"]


def test_every_english_article_has_exactly_one_spanish_translation_in_the_same_order():
    originals = [article["translation_of"] for article in content_es.ARTICLES]
    assert Counter(originals) == Counter(a["slug"] for a in content.ARTICLES)
    assert originals == [a["slug"] for a in content.ARTICLES]


def test_spanish_articles_have_the_keys_of_the_english_ones():
    for article in content_es.ARTICLES:
        original = english_article(article)
        assert set(article) == set(original) | {"translation_of"}
        assert set(article["hero"]) == set(original["hero"])
        # The same drawing; only its text alternative changes language.
        assert article["hero"]["illustration"] == original["hero"]["illustration"]
        assert len(article["steps"]) == len(original["steps"])
        assert all(len(step) == 2 for step in article["steps"])
        assert article["references"] == original["references"]


def test_facts_pair_up_with_the_english_facts_by_key():
    for article in content_es.ARTICLES:
        original = english_article(article)
        assert [f["key"] for f in article["facts"]] == [
            f["key"] for f in original["facts"]
        ]
        for fact, english in zip(article["facts"], original["facts"], strict=True):
            assert set(fact) == set(english)
            assert fact["source"] == english["source"]
            # Translated, not left in English.
            assert fact["label"] != english["label"]
            assert fact["value"] != english["value"]


def test_article_slugs_are_valid_translated_and_unique():
    slugs = [article["slug"] for article in content_es.ARTICLES]
    for slug in slugs:
        assert_slug(slug, Article)
    assert len(set(slugs)) == len(slugs)
    assert not set(slugs) & {article["slug"] for article in content.ARTICLES}


@pytest.mark.parametrize(
    ("name", "html"), list(rich_texts()), ids=[name for name, _ in rich_texts()]
)
def test_rich_text_passes_the_sanitizer_unchanged(name, html):
    assert html
    assert clean_html(html) == html


def test_plain_text_fields_hold_no_markup_or_stray_spaces():
    for text in plain_texts():
        assert text, "an empty patient-facing text"
        assert "<" not in text and ">" not in text, text
        assert text == text.strip() and "  " not in text, text


def test_every_text_fits_the_database_column_it_is_stored_in():
    checks = [(Guide, "title", content_es.GUIDE["title"])]
    for article in content_es.ARTICLES:
        checks += [(Article, field, article[field]) for field in PLAIN_TEXT_FIELDS]
        checks += [
            (Article, "hero_caption", article["hero"]["caption"]),
            (Image, "alt_text", article["hero"]["alt"]),
        ]
        checks += [(ArticleStep, "heading", heading) for heading, _ in article["steps"]]
        for fact in article["facts"]:
            checks += [
                (ArticleFact, name, fact[name]) for name in ("key", "label", "value")
            ]
    for term in content_es.GLOSSARY:
        checks += [
            (GlossaryTerm, name, term[name])
            for name in ("term", "slug", "abbreviation", "also_called")
        ]
    checks.append((Doctor, "specialty", content_es.DOCTOR["specialty"]))
    checks += [
        (Location, "name", location["name"])
        for location in content_es.PRACTICE["locations"]
    ]
    too_long = [
        (model.__name__, field, text)
        for model, field, text in checks
        if len(text) > max_length(model, field)
    ]
    assert too_long == []


def test_every_hero_image_has_spanish_alt_text_and_caption():
    for article in content_es.ARTICLES:
        hero, original = article["hero"], english_article(article)["hero"]
        assert hero["alt"].strip() and hero["caption"].strip()
        assert hero["alt"] != original["alt"]
        assert hero["caption"] != original["caption"]


def test_practice_and_doctor_translate_what_patients_read():
    practice = content_es.PRACTICE
    assert practice["description"] != content.PRACTICE["description"]
    assert len(practice["locations"]) == len(content.PRACTICE["locations"])
    for location, english in zip(
        practice["locations"], content.PRACTICE["locations"], strict=True
    ):
        assert set(location) <= set(english)
        assert location["name"] != english["name"]
    doctor = content_es.DOCTOR
    assert set(doctor) == {"specialty", "biography"}
    assert doctor["specialty"] != content.DOCTOR["specialty"]
    assert doctor["biography"] != content.DOCTOR["biography"]


def test_every_english_glossary_term_has_exactly_one_spanish_term():
    english_slugs = [slugify(term["term"]) for term in content.GLOSSARY]
    originals = Counter(term["translation_of"] for term in content_es.GLOSSARY)
    assert originals == Counter(english_slugs)


def test_spanish_glossary_terms_are_complete_with_unique_slugs_and_names():
    keys = set(content.GLOSSARY[0]) | {"slug", "translation_of"}
    slugs = [term["slug"] for term in content_es.GLOSSARY]
    names = []
    for term in content_es.GLOSSARY:
        assert set(term) == keys
        assert term["definition"]
        # As load_demo derives the English slugs, so either way gives the same one.
        assert term["slug"] == slugify(term["term"])
        assert_slug(term["slug"], GlossaryTerm)
        assert term["abbreviation"] == term["abbreviation"].upper()
        names += [term["term"].casefold(), term["abbreviation"].casefold()]
        names += [n.strip().casefold() for n in term["also_called"].split(",")]
    assert len(set(slugs)) == len(slugs)
    # A name that belonged to two terms would link the article to either.
    names = [name for name in names if name]
    assert [name for name, count in Counter(names).items() if count > 1] == []


def glossary_terms_used(article, glossary, key):
    """The terms whose names occur in the article, found as the glossary links find them."""
    terms = [
        (
            [term["term"], term["abbreviation"], *term["also_called"].split(",")],
            key(term),
            term["term"],
        )
        for term in glossary
    ]
    pattern, targets = term_pattern(
        [
            ([n.strip() for n in names if n.strip()], url, title)
            for names, url, title in terms
        ]
    )
    return {
        targets[match.lastindex - 1][0]
        for match in pattern.finditer(patient_text(article))
    }


@pytest.mark.parametrize("article", content_es.ARTICLES, ids=ARTICLE_IDS)
def test_spanish_articles_explain_every_word_their_original_explains(article):
    # Names match whole words, so each form an article uses ("fractura por
    # compresión", "vértebras") must be one of its term's names.
    english = glossary_terms_used(
        english_article(article), content.GLOSSARY, lambda t: slugify(t["term"])
    )
    spanish = glossary_terms_used(
        article, content_es.GLOSSARY, lambda t: t["translation_of"]
    )
    assert english - spanish == set()


@pytest.fixture
def spanish_textstat():
    textstat.set_lang("es")
    yield textstat
    textstat.set_lang("en")


@pytest.mark.parametrize("article", content_es.ARTICLES, ids=ARTICLE_IDS)
def test_spanish_articles_read_fairly_easy(article, spanish_textstat):
    text = prepared(patient_text(article))
    assert spanish_textstat.fernandez_huerta(text) >= FAIRLY_EASY
