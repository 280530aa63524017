import re
import tracemalloc
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import GlossaryTerm, Status
from articles.search import (
    MAX_VARIANTS,
    ArticleSearch,
    clean_query,
    glossary_variants,
    search_articles,
)

from .factories import ArticleFactory, GuideFactory, StepFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def search_page(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params})


def html(response):
    return response.content.decode()


def found_titles(response):
    return [article.title for article in response.context["object_list"]]


@pytest.fixture
def vcf_term():
    return GlossaryTerm.objects.create(
        term="VCF",
        also_called="vertebral compression fracture, compression fracture",
        definition="A bone in the spine that has cracked and been squashed flat.",
    )


def test_title_matches_rank_above_body_only_matches(client):
    ArticleFactory(
        title="Living with back pain",
        teaser="Daily tips.",
        introduction="<p>Many people ask about kyphoplasty and kyphoplasty again.</p>",
    )
    ArticleFactory(
        title="Kyphoplasty step by step",
        teaser="The procedure explained.",
        introduction="<p>The doctor explains what happens.</p>",
    )
    ArticleFactory(
        title="After the procedure",
        teaser="Why people choose kyphoplasty.",
        introduction="<p>Rest at home.</p>",
    )
    ArticleFactory(title="Unrelated", teaser="Nothing to see.")
    assert found_titles(search_page(client, "kyphoplasty")) == [
        "Kyphoplasty step by step",
        "After the procedure",
        "Living with back pain",
    ]


def test_plural_and_singular_find_each_other(client):
    ArticleFactory(title="Spinal fractures", teaser="About breaks.")
    ArticleFactory(title="Healing", introduction="<p>A fracture heals slowly.</p>")
    assert found_titles(search_page(client, "fracture")) == [
        "Spinal fractures",
        "Healing",
    ]
    assert found_titles(search_page(client, "Fractures")) == [
        "Spinal fractures",
        "Healing",
    ]


@pytest.mark.parametrize(
    "query, marked",
    [
        ("Guillain-Barre", "<mark>Guillain</mark>-<mark>Barré</mark>"),
        ("cafe au lait", "<mark>café</mark>-<mark>au</mark>-<mark>lait</mark>"),
        ("Ménière", "<mark>Meniere</mark>"),
    ],
)
def test_accents_do_not_matter(client, query, marked):
    ArticleFactory(
        title="Other causes of back pain",
        introduction="<p>Rarely Guillain-Barré syndrome, café-au-lait spots or "
        "Meniere disease.</p>",
    )
    ArticleFactory(title="Bone health", introduction="<p>Eat well.</p>")
    response = search_page(client, query)
    assert found_titles(response) == ["Other causes of back pain"]
    assert marked in html(response)


def test_every_word_of_the_query_must_match(client):
    ArticleFactory(title="Cement in the bone", teaser="How cement sets.")
    ArticleFactory(title="Bone health", teaser="Calcium and vitamin D.")
    assert found_titles(search_page(client, "bone cement")) == ["Cement in the bone"]


def test_results_show_title_link_guide_and_highlighted_teaser(client):
    guide = GuideFactory(title="Spinal Fractures Guide")
    article = ArticleFactory(
        guide=guide,
        title="How Balloon Kyphoplasty Works",
        teaser="See each step of kyphoplasty & what follows.",
    )
    page = html(search_page(client, "kyphoplasty"))
    assert (
        f'<a href="{article.get_absolute_url()}">How Balloon Kyphoplasty Works</a>'
        in page
    )
    assert "From the guide: Spinal Fractures Guide" in page
    assert "See each step of <mark>kyphoplasty</mark> &amp; what follows." in page
    assert "1 article found" in page


def test_snippet_shows_the_text_around_the_first_match(client):
    ArticleFactory(
        title="After your visit",
        teaser="What comes next.",
        introduction="<p>" + "Rest well. " * 30 + "Keep moving gently every day.</p>",
    )
    page = html(search_page(client, "gently"))
    snippet = re.search(r'<p class="snippet">(.*?)</p>', page).group(1)
    assert snippet.startswith("… ")
    assert "Keep moving <mark>gently</mark> every day." in snippet
    assert len(snippet) < 260


def test_glossary_abbreviation_finds_articles_that_use_another_name(client, vcf_term):
    wanted = ArticleFactory(
        title="Healing at home",
        introduction="<p>A compression fracture usually heals in a few weeks.</p>",
    )
    ArticleFactory(title="Bone health", introduction="<p>Eat well.</p>")
    response = search_page(client, "VCF")
    assert found_titles(response) == [wanted.title]
    assert "A <mark>compression fracture</mark> usually" in html(response)


def test_glossary_names_widen_only_their_own_part_of_the_query(client, vcf_term):
    ArticleFactory(title="Pain after a VCF", teaser="What helps.")
    ArticleFactory(
        title="Managing pain",
        teaser="What helps.",
        introduction="<p>Pain from a compression fracture.</p>",
    )
    ArticleFactory(title="Compression fracture", introduction="<p>Causes.</p>")
    ArticleFactory(title="Back pain", introduction="<p>Causes.</p>")
    assert sorted(found_titles(search_page(client, "vcf pain"))) == [
        "Managing pain",
        "Pain after a VCF",
    ]


def test_a_long_glossary_name_is_replaced_whole(vcf_term):
    search = ArticleSearch("Vertebral compression fracture", "en")
    assert search.variants == [
        "Vertebral compression fracture",
        "compression fracture",
        "VCF",
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.ARCHIVED},
        {"publish_at": timezone.now() + timedelta(days=1)},
        {"unpublish_at": timezone.now() - timedelta(minutes=1)},
        {"guide": lambda: GuideFactory(status=Status.DRAFT)},
        {"guide": lambda: GuideFactory(language="es")},
    ],
    ids=[
        "draft",
        "review",
        "archived",
        "scheduled",
        "unpublished",
        "draft-guide",
        "es",
    ],
)
def test_only_published_articles_in_the_language_are_found(client, changes):
    changes = {k: v() if callable(v) else v for k, v in changes.items()}
    ArticleFactory(title="Hidden kyphoplasty", **changes)
    visible = ArticleFactory(title="Visible kyphoplasty")
    assert found_titles(search_page(client, "kyphoplasty")) == [visible.title]
    assert list(search_articles("hidden", "en")) == []


def test_empty_query_shows_the_search_page(client, django_assert_num_queries):
    ArticleFactory(title="Kyphoplasty")
    with django_assert_num_queries(0):
        response = search_page(client, "   ")
    page = html(response)
    assert response.status_code == 200
    assert "<h1" in page and ">Search</h1>" in page
    assert "article found" not in page
    assert 'href="/en/"' in page


def test_search_page_is_not_indexed_and_has_its_own_title(client):
    page = html(search_page(client, "cement"))
    assert '<meta name="robots" content="noindex">' in page
    assert "<title>Search results for “cement” | " in page
    assert page.count("<h1") == 1
    assert 'value="cement"' in page


def test_no_results_suggest_the_glossary_and_the_guides(client):
    page = html(search_page(client, "zebra"))
    assert "0 articles found" in page
    assert "No articles found" in page
    assert f'href="{reverse("articles:home")}"' in page
    assert f'href="{reverse("articles:glossary")}"' in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "' OR 1=1 --",
        "kyphoplasty'); DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "back pain 😣",
        "😣",
        "!@#$%^&*()[]{}|\\:;<>?,./~`",
        "-kyphoplasty",
        "kyphoplasty OR",
        "a & | ! <-> :* b",
        "x" * 10_000,
        "kyphoplasty \x00 pain",
        "\x00",
        "tab\there\nnewline\x1b[31m",
        "\u202eevil",
    ],
)
def test_odd_queries_give_a_normal_page(client, query):
    ArticleFactory(title="Kyphoplasty", teaser="Back pain help.")
    response = search_page(client, query)
    assert response.status_code == 200
    page = html(response)
    assert "<script>alert" not in page
    assert "\x00" not in page


def test_markup_in_the_query_is_escaped(client):
    page = html(search_page(client, "<script>alert(1)</script>"))
    assert "Search results for “&lt;script&gt;alert(1)&lt;/script&gt;”" in page
    assert "<script>" not in page


def test_long_queries_are_cut_at_200_characters(client):
    response = search_page(client, "word " * 2000)
    assert response.status_code == 200
    assert len(response.context["query"]) <= 200


def test_clean_query_drops_control_characters_and_extra_space():
    assert clean_query("  back\x00pain\t\n now ") == "back pain now"
    assert clean_query("a" * 500) == "a" * 200
    assert clean_query(None) == ""


def test_highlighting_escapes_first_and_never_marks_inside_entities():
    search = ArticleSearch("amp lt quot bone", "en")
    marked = search.highlight('Bones & "joints" <3 bone-amp amplifier')
    assert marked == (
        "<mark>Bones</mark> &amp; &quot;joints&quot; &lt;3 <mark>bone</mark>-"
        "<mark>amp amplifier</mark>"
    )


def test_short_words_are_marked_only_whole(client):
    search = ArticleSearch("CT scan", "en")
    assert search.highlight("A CT scan, or CTA scanning") == (
        "A <mark>CT scan</mark>, or CTA <mark>scanning</mark>"
    )


@pytest.fixture
def many_matches():
    guide = GuideFactory()
    return [
        ArticleFactory(guide=guide, title=f"Cement {number:02}", teaser="Cement sets.")
        for number in range(25)
    ]


def test_results_are_paginated(client, many_matches):
    first = search_page(client, "cement")
    page = html(first)
    assert found_titles(first) == [f"Cement {n:02}" for n in range(10)]
    assert "25 articles found" in page
    assert '<nav class="pagination" aria-label="Pages of search results">' in page
    assert "Page 1 of 3" in page
    assert 'rel="next" href="/en/search/?q=cement&amp;page=2">Next page' in page
    assert 'rel="prev"' not in page

    last = search_page(client, "cement", page=3)
    assert found_titles(last) == [f"Cement {n:02}" for n in range(20, 25)]
    assert "Page 3 of 3" in html(last)
    assert 'rel="prev" href="/en/search/?q=cement&amp;page=2">Previous page' in html(
        last
    )
    assert "<title>Search results for “cement” – page 3 | " in html(last)


@pytest.mark.parametrize(
    "page, shown",
    [("abc", 1), ("", 1), ("1.5", 1), ("0", 3), ("-1", 3), ("9999", 3), ("last", 3)],
)
def test_invalid_page_numbers_show_the_first_or_last_page(
    client, many_matches, page, shown
):
    response = search_page(client, "cement", page=page)
    assert response.status_code == 200
    assert f"Page {shown} of 3" in html(response)


def test_search_page_query_count_is_constant(
    client, django_assert_max_num_queries, vcf_term
):
    guide = GuideFactory()
    for number in range(30):
        article = ArticleFactory(guide=guide, title=f"Compression fracture {number}")
        StepFactory(article=article)
    # The glossary terms, the count and the page.
    with django_assert_max_num_queries(3):
        response = search_page(client, "VCF", page=2)
    assert response.status_code == 200
    assert len(response.context["results"]) == 10


@pytest.mark.parametrize("page", ["home", "article"])
def test_every_page_has_the_search_box(client, page):
    article = ArticleFactory()
    path = reverse("articles:home") if page == "home" else article.get_absolute_url()
    text = html(client.get(path))
    form = re.search(r'<form class="site-search" role="search".*?</form>', text, re.S)
    assert form, "no search form in the header"
    assert 'action="/en/search/"' in form.group()
    assert 'method="get"' in form.group()
    assert '<input type="search" id="site-search-query" name="q" maxlength="200">' in (
        form.group()
    )
    assert ">Search the guides</label>" in form.group()
    assert '<button class="button" type="submit">Search</button>' in form.group()


# The demo guide, searched as patients would: PostgreSQL and the fallback agree.
UNDERSTANDING = "understanding-spinal-compression-fractures"
HOW_IT_WORKS = "how-balloon-kyphoplasty-works"
BENEFITS = "benefits-of-balloon-kyphoplasty"
DEMO_SEARCHES = {
    "kyphoplasty": [HOW_IT_WORKS, BENEFITS, UNDERSTANDING],
    "Balloon": [HOW_IT_WORKS, BENEFITS],
    "VCF": [UNDERSTANDING],
    "compression fractures": [UNDERSTANDING],
    "bone cement": [HOW_IT_WORKS, UNDERSTANDING, BENEFITS],
    "back pain": [UNDERSTANDING, BENEFITS, HOW_IT_WORKS],
    "how long is recovery": [HOW_IT_WORKS],
    "walking": [BENEFITS, UNDERSTANDING],
    "x-ray": [UNDERSTANDING, HOW_IT_WORKS],
    "MRI": [UNDERSTANDING],
    "vertebrae": [UNDERSTANDING, HOW_IT_WORKS],
    "risks": [BENEFITS],
    "call your doctor": [UNDERSTANDING, HOW_IT_WORKS, BENEFITS],
    "surgery": [],
    "zebra": [],
}


@pytest.mark.parametrize("query, slugs", DEMO_SEARCHES.items())
def test_demo_content_gives_the_same_results_on_every_database(query, slugs):
    call_command("load_demo", stdout=StringIO())
    if not GlossaryTerm.objects.filter(abbreviation="VCF").exists():
        GlossaryTerm.objects.create(
            term="Vertebral compression fracture",
            abbreviation="VCF",
            also_called="compression fracture",
            definition="A bone in the spine that has cracked and been squashed flat.",
        )
    assert [article.slug for article in search_articles(query, "en")] == slugs


@postgresql_only
def test_full_text_index_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_english'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    assert "to_tsvector('english_unaccent'::regconfig" in definition


@postgresql_only
def test_search_uses_the_full_text_index(vcf_term):
    guide = GuideFactory()
    for number in range(60):
        ArticleFactory(guide=guide, title=f"Recovery {number}")
    ArticleFactory(guide=guide, title="Kyphoplasty")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        # Rows that earlier tests inserted wait in the index's pending list
        # (autovacuum would merge them); the planner prices that list in.
        cursor.execute("SELECT gin_clean_pending_list('article_search_english')")
        # On a table this small the planner rightly prefers reading every row;
        # without that choice it shows whether the index matches the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
    for query in ["kyphoplasty", "VCF", "compression fracture -recovery"]:
        plan = search_articles(query, "en").explain()
        assert "Bitmap Index Scan on article_search_english" in plan, plan


@postgresql_only
def test_websearch_operators_work_on_postgresql(client):
    ArticleFactory(title="Kyphoplasty", teaser="Balloon and cement.")
    ArticleFactory(title="Vertebroplasty", teaser="Cement only.")
    assert found_titles(search_page(client, "cement -balloon")) == ["Vertebroplasty"]
    assert found_titles(search_page(client, '"balloon and cement"')) == ["Kyphoplasty"]
    assert found_titles(search_page(client, "kyphoplasty or vertebroplasty")) == [
        "Kyphoplasty",
        "Vertebroplasty",
    ]


def numbered_words(count):
    return [f"term{number:02}" for number in range(count)]


@pytest.mark.parametrize(
    "query",
    [
        " ".join(numbered_words(28)),
        # 10,000 characters; only the first 200 are looked at.
        (" ".join(numbered_words(100)) + " ") * 14,
    ],
    ids=["200-characters", "10000-characters"],
)
def test_a_long_query_searches_its_first_ten_words(client, query):
    ArticleFactory(title="First ten", teaser=" ".join(numbered_words(10)))
    ArticleFactory(title="All of them", teaser=" ".join(numbered_words(30)))
    ArticleFactory(title="Without the first", teaser=" ".join(numbered_words(11)[1:]))
    response = search_page(client, query)
    assert response.status_code == 200
    assert sorted(found_titles(response)) == ["All of them", "First ten"]
    first_ten = " ".join(numbered_words(10))
    assert (
        f'<p class="search-note">Your search is long. We looked for its first 10 '
        f"words only: “{first_ten}”.</p>"
    ) in html(response)


def test_stop_words_and_repeats_do_not_count_towards_the_ten(client):
    question = "how long does it take before I can walk again after my kyphoplasty"
    ArticleFactory(title="Walking after kyphoplasty", teaser="How long it takes.")
    response = search_page(client, f"{question} kyphoplasty")
    assert found_titles(response) == ["Walking after kyphoplasty"]
    assert "search-note" not in html(response)
    assert ArticleSearch(question, "en").searched == question


def test_a_query_of_glossary_words_keeps_a_handful_of_variants():
    terms = [
        GlossaryTerm(term=f"name{n}a", also_called=f"name{n}b, name{n}c, name{n}d")
        for n in range(8)
    ]
    query = " ".join(term.term for term in terms)
    tracemalloc.start()
    try:
        variants = glossary_variants(query, terms)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert variants[:4] == [
        query,
        query.replace("name0a", "name0b"),
        query.replace("name0a", "name0c"),
        query.replace("name0a", "name0d"),
    ]
    assert len(variants) == MAX_VARIANTS
    # Expanding every combination first, as before, took 4⁸ = 65,536 strings.
    assert peak < 1_000_000


def test_a_page_of_glossary_words_finds_articles_by_their_other_names(client):
    for n in range(11):
        GlossaryTerm.objects.create(
            term=f"name{n}a",
            also_called=f"name{n}b, name{n}c, name{n}d",
            definition="A word for the test.",
        )
    words = [f"name{n}a" for n in range(11)]
    ArticleFactory(title="Other names", teaser=" ".join(["name0c", *words[1:]]))
    response = search_page(client, " ".join(words))
    assert response.status_code == 200
    assert found_titles(response) == ["Other names"]
    assert "We looked for its first 10 words only" in html(response)
