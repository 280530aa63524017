"""Glossary terms: linked where articles first use them, listed A to Z, edited by site staff."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.glossary import mark_terms
from articles.models import Article, GlossaryTerm, PracticeMembership

from .factories import (
    ArticleFactory,
    FactFactory,
    LocationFactory,
    PracticeFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VCF = (["vertebral compression fracture", "VCF"], "/en/glossary/#vcf", "VCF term")
BONE = (["bone"], "/en/glossary/#bone", "bone")
CEMENT = (["bone cement", "cement"], "/en/glossary/#bone-cement", "bone cement")


def mark(html, *terms, seen=None):
    return mark_terms(html, list(terms), set() if seen is None else seen)


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def glossary_term(**fields):
    fields.setdefault("definition", "Explained in plain words.")
    return GlossaryTerm.objects.create(**fields)


# --- Marking terms in rich text -------------------------------------------------


def test_only_the_first_use_of_a_term_is_linked():
    marked = mark("<p>Bone is hard. A bone can break.</p>", BONE)
    assert marked == (
        '<p><a class="term" href="/en/glossary/#bone"><dfn>Bone</dfn></a> is hard.'
        " A bone can break.</p>"
    )


def test_the_first_use_counts_across_the_parts_of_a_page():
    seen = set()
    assert "<dfn>" in mark("<p>The bone.</p>", BONE, seen=seen)
    assert mark("<p>The bone again.</p>", BONE, seen=seen) == "<p>The bone again.</p>"
    assert seen == {"/en/glossary/#bone"}


def test_the_longest_name_wins():
    marked = mark("<p>Bone cement fills the bone.</p>", BONE, CEMENT)
    assert (
        '<a class="term" href="/en/glossary/#bone-cement"><dfn>Bone cement</dfn>'
        in (marked)
    )
    # "bone" inside "bone cement" was not taken; its first use on its own is.
    assert (
        'fills the <a class="term" href="/en/glossary/#bone"><dfn>bone</dfn></a>'
        in (marked)
    )


def test_a_term_marked_once_is_not_split_into_a_shorter_term_later():
    seen = set()
    mark("<p>Bone cement.</p>", BONE, CEMENT, seen=seen)
    html = "<p>More bone cement.</p>"
    assert mark(html, BONE, CEMENT, seen=seen) == html


def test_matching_ignores_case_but_needs_whole_words():
    assert "<dfn>BONE</dfn>" in mark("<p>BONE</p>", BONE)
    assert mark("<p>Bones and trombone.</p>", BONE) == "<p>Bones and trombone.</p>"


def test_names_match_across_any_spaces():
    assert "<dfn>bone&nbsp;cement</dfn>" in mark("<p>bone&nbsp;cement</p>", CEMENT)


def test_an_abbreviation_is_marked_with_the_term_as_its_title():
    marked = mark("<p>Doctors call it a VCF.</p>", VCF)
    assert marked == (
        '<p>Doctors call it a <a class="term" href="/en/glossary/#vcf">'
        '<abbr title="VCF term">VCF</abbr></a>.</p>'
    )


def test_an_abbreviation_matches_only_in_capitals():
    ultrasound = (["ultrasound", "US"], "/en/glossary/#ultrasound", "ultrasound")
    assert mark("<p>Call us.</p>", ultrasound) == "<p>Call us.</p>"


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://example.org/">bone</a></p>',
        "<h2>Bone</h2>",
        "<h3>About the bone</h3>",
        "<h4>Bone</h4>",
        "<p><abbr>bone</abbr></p>",
        "<p><dfn>bone</dfn></p>",
        '<p><a href="/bone" title="bone">a <strong>bone</strong> link</a></p>',
    ],
)
def test_nothing_is_marked_inside_links_headings_or_explained_words(html):
    assert mark(html, BONE) == html


def test_tags_and_attributes_are_never_marked():
    html = '<p><img src="/media/bone.png" alt="bone" width="10"></p>'
    assert mark(html, BONE) == html
    html = '<p><a href="/bone/" title="bone cement">link</a> then bone</p>'
    marked = mark(html, BONE)
    assert marked.startswith('<p><a href="/bone/" title="bone cement">link</a> then ')
    assert marked.endswith("<dfn>bone</dfn></a></p>")


def test_a_term_after_a_link_or_heading_is_marked():
    marked = mark("<h2>Bone</h2><p><a href='/x'>x</a> bone</p>", BONE)
    assert marked.endswith(
        '<a class="term" href="/en/glossary/#bone"><dfn>bone</dfn></a></p>'
    )


def test_text_without_terms_is_left_exactly_as_it_was():
    html = "<p>Fish &amp; chips &lt;3&nbsp;— “quotes”<br>next</p><ul><li>x</li></ul>"
    assert mark(html, BONE, VCF) == html
    assert mark(html) == html


def test_special_characters_in_names_and_titles_are_escaped():
    tricky = (['<script>alert("x")</script>', "XSS"], '/g/#"><b>', '"><img src=x>')
    marked = mark(
        '<p>&lt;script&gt;alert("x")&lt;/script&gt; and XSS</p>',
        tricky,
        seen=set(),
    )
    assert "<script" not in marked and "<img" not in marked and "<b>" not in marked
    assert '<a class="term" href="/g/#&quot;&gt;&lt;b&gt;">' in marked
    assert '<dfn>&lt;script&gt;alert("x")&lt;/script&gt;</dfn>' in marked
    abbreviation = mark("<p>XSS</p>", tricky)
    assert '<abbr title="&quot;&gt;&lt;img src=x&gt;">XSS</abbr>' in abbreviation


# --- The article page ----------------------------------------------------------


@pytest.fixture
def terms():
    return {
        "vcf": glossary_term(
            term="vertebral compression fracture",
            slug="vcf",
            abbreviation="VCF",
            also_called="compression fracture",
        ),
        "vertebra": glossary_term(term="vertebra", also_called="vertebrae, spine bone"),
        "cement": glossary_term(term="bone cement"),
        "bone": glossary_term(term="bone"),
    }


@pytest.fixture
def article(terms):
    article = ArticleFactory(
        title="Vertebra and VCF",
        introduction="<p>A VCF is a broken vertebra.</p>",
        closing="<p>The vertebrae heal. A VCF needs bone cement.</p>",
        safety_notice="<p>Call about a compression fracture or a spine bone.</p>",
        steps_heading="Bone cement, step by step",
    )
    StepFactory(
        article=article, heading="Fill with bone cement", body="<p>No term.</p>"
    )
    StepFactory(
        article=article, heading="Vertebra", body="<p>The bone cement and bone.</p>"
    )
    FactFactory(article=article, label="Bone cement", value="A VCF")
    return article


def term_links(page):
    return re.findall(
        r'<a class="term" href="([^"]+)">(<(?:dfn|abbr)[^>]*>[^<]*)', page
    )


def test_article_links_the_first_use_of_each_term_in_page_order(client, article):
    page = html(client.get(article.get_absolute_url()))
    glossary = reverse("articles:glossary")
    assert term_links(page) == [
        (f"{glossary}#vcf", '<abbr title="vertebral compression fracture">VCF'),
        (f"{glossary}#vertebra", "<dfn>vertebra"),
        (f"{glossary}#bone-cement", "<dfn>bone cement"),
        (f"{glossary}#bone", "<dfn>bone"),
    ]
    # Title, headings and facts stay as they were.
    assert "<h1>Vertebra and VCF</h1>" in page
    assert "<h3>Fill with bone cement</h3>" in page
    assert "<dt>Bone cement</dt><dd>A VCF</dd>" in page
    assert "<p>Call about a compression fracture or a spine bone.</p>" in page


def test_every_term_link_leads_to_its_entry_on_the_glossary_page(client, article):
    page = html(client.get(article.get_absolute_url()))
    for url, _text in term_links(page):
        path, anchor = url.split("#")
        assert f'<dfn id="{anchor}">' in html(client.get(path))


def test_marked_text_is_still_the_sanitised_text(client, terms):
    article = ArticleFactory(introduction="<p>bone</p>")
    # A row written around the model (raw SQL, an old backup) is cleaned on render.
    Article.objects.filter(pk=article.pk).update(
        introduction='<p onclick="x()">bone <script>alert(1)</script><b>bold</b></p>'
    )
    page = html(client.get(article.get_absolute_url()))
    assert "onclick" not in page and "alert(1)" not in page
    assert (
        '<p><a class="term" href="/en/glossary/#bone"><dfn>bone</dfn></a> <b>bold</b></p>'
        in page
    )


def test_an_escaped_definition_or_term_cannot_inject_markup(client):
    glossary_term(term='<script>alert("x")</script>', abbreviation="XSS", slug="xss")
    article = ArticleFactory(introduction="<p>The XSS word.</p>")
    page = html(client.get(article.get_absolute_url()))
    assert (
        '<abbr title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">XSS</abbr>'
        in page
    )
    assert "<script>alert" not in page


def test_terms_of_another_language_are_not_linked(client):
    glossary_term(term="bone", language="de")
    article = ArticleFactory(introduction="<p>A bone.</p>")
    assert 'class="term"' not in html(client.get(article.get_absolute_url()))


def test_the_guide_page_links_no_terms(client, article):
    article.guide.introduction = "<p>All about the vertebra.</p>"
    article.guide.save()
    assert 'class="term"' not in html(client.get(article.guide.get_absolute_url()))


def test_the_admin_preview_and_branded_pages_link_terms_too(client, editor, article):
    client.force_login(editor)
    preview = html(
        client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    )
    assert "<dfn>vertebra</dfn>" in preview
    practice = PracticeFactory(slug="riverside")
    patient = Client(headers={"User-Agent": "Mozilla/5.0 (X11; Linux) Firefox/128.0"})
    branded = html(
        patient.get(
            reverse(
                "share:article",
                kwargs={
                    "practice_slug": practice.slug,
                    "guide_slug": article.guide.slug,
                    "article_slug": article.slug,
                },
            )
        )
    )
    assert "<dfn>vertebra</dfn>" in branded


def test_article_query_count_does_not_grow_with_the_glossary(
    client, django_assert_max_num_queries, article
):
    article.practice = PracticeFactory()
    article.save()
    LocationFactory(practice=article.practice)
    for number in range(50):
        glossary_term(
            term=f"term {number}",
            abbreviation=f"T{number}",
            also_called=f"other {number}",
        )
    # As tests/test_views.py allows: the glossary is one query, whatever its size.
    with django_assert_max_num_queries(10):
        page = html(client.get(article.get_absolute_url()))
    assert len(term_links(page)) == 4


# --- The glossary page ---------------------------------------------------------


def test_glossary_lists_terms_a_to_z_under_a_letter_index(client):
    glossary_term(term="X-ray", also_called="X-rays")
    glossary_term(term="bone cement")
    glossary_term(term="vertebral compression fracture", abbreviation="VCF", slug="vcf")
    glossary_term(term="Bone density test")
    glossary_term(term="Knochen", language="de")
    page = html(client.get(reverse("articles:glossary")))
    assert re.findall(r'<dfn id="([^"]+)">', page) == [
        "bone-cement",
        "bone-density-test",
        "vcf",
        "x-ray",
    ]
    assert re.findall(r'<li><a href="#(letter-\w+)">(\w)</a></li>', page) == [
        ("letter-b", "B"),
        ("letter-v", "V"),
        ("letter-x", "X"),
    ]
    assert re.findall(r'<h2 id="(letter-\w+)">', page) == [
        "letter-b",
        "letter-v",
        "letter-x",
    ]
    assert (
        '<dt><dfn id="vcf">vertebral compression fracture</dfn> (<abbr>VCF</abbr>)</dt>'
        in page
    )
    assert "Also called: X-rays" in page
    assert "Knochen" not in page


def test_glossary_page_is_a_well_formed_public_page(client):
    glossary_term(term="bone")
    page = html(client.get(reverse("articles:glossary")))
    assert re.search(r"<title>Glossary: [^<]+</title>", page)
    assert re.search(r'<meta name="description" content="[^"]+">', page)
    assert page.count("<h1") == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert '<link rel="canonical" href="http://testserver/en/glossary/">' in page


def test_glossary_definitions_are_escaped(client):
    glossary_term(
        term="<b>bold</b>",
        slug="bold",
        definition="<script>alert(1)</script> & more",
        also_called="<i>x</i>",
    )
    page = html(client.get(reverse("articles:glossary")))
    assert "<script>alert(1)" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "Also called: &lt;i&gt;x&lt;/i&gt;" in page


def test_an_empty_glossary_says_so(client):
    page = html(client.get(reverse("articles:glossary")))
    assert "no words in the glossary yet" in page


def test_the_glossary_is_in_the_sitemap_and_the_footer(client):
    glossary = reverse("articles:glossary")
    assert f"<loc>http://testserver{glossary}</loc>" in html(client.get("/sitemap.xml"))
    assert f'<a href="{glossary}">Glossary</a>' in html(
        client.get(reverse("articles:home"))
    )


def test_glossary_query_count_is_constant(client, django_assert_max_num_queries):
    for number in range(30):
        glossary_term(term=f"term {number}")
    with django_assert_max_num_queries(1):
        html(client.get(reverse("articles:glossary")))


# --- Editors -------------------------------------------------------------------


def test_site_editors_add_change_and_delete_glossary_terms(editor_client):
    add = reverse("admin:articles_glossaryterm_add")
    response = editor_client.post(
        add,
        {
            "term": "kyphoplasty",
            "slug": "kyphoplasty",
            "abbreviation": "",
            "also_called": "balloon kyphoplasty",
            "definition": "A small balloon lifts the bone.",
            "language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()
    term = GlossaryTerm.objects.get(slug="kyphoplasty")
    listing = html(
        editor_client.get(
            reverse("admin:articles_glossaryterm_changelist"), {"q": "balloon"}
        )
    )
    assert "kyphoplasty" in listing
    change = reverse("admin:articles_glossaryterm_change", args=[term.pk])
    response = editor_client.post(
        change,
        {
            "term": "kyphoplasty",
            "slug": "kyphoplasty",
            "abbreviation": "",
            "also_called": "balloon kyphoplasty",
            "definition": "Changed in plain words.",
            "language": "en",
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition == "Changed in plain words."
    delete = reverse("admin:articles_glossaryterm_delete", args=[term.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not GlossaryTerm.objects.exists()


def test_a_slug_is_unique_per_language_in_the_admin(editor_client):
    glossary_term(term="bone", slug="bone")
    response = editor_client.post(
        reverse("admin:articles_glossaryterm_add"),
        {"term": "Bone", "slug": "bone", "definition": "Again.", "language": "en"},
    )
    assert response.status_code == 200
    assert GlossaryTerm.objects.count() == 1


def test_practice_editors_cannot_change_the_shared_glossary():
    practice = PracticeFactory()
    user = UserFactory(username="practice-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Practice editors"))
    PracticeMembership.objects.create(user=user, practice=practice)
    client = Client()
    client.force_login(user)
    term = glossary_term(term="bone")
    for url in [
        reverse("admin:articles_glossaryterm_changelist"),
        reverse("admin:articles_glossaryterm_add"),
        reverse("admin:articles_glossaryterm_change", args=[term.pk]),
        reverse("admin:articles_glossaryterm_delete", args=[term.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("admin:articles_glossaryterm_change", args=[term.pk]),
        {"term": "bone", "slug": "bone", "definition": "Changed.", "language": "en"},
    )
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.definition == "Explained in plain words."


# --- Demo content --------------------------------------------------------------


def test_demo_glossary_holds_the_words_the_demo_articles_use(client):
    call_command("load_demo", stdout=StringIO())
    english = GlossaryTerm.objects.filter(language="en")
    names = {name.lower() for term in english for name in term.names}
    for name in [
        "vcf",
        "vertebral compression fracture",
        "vertebra",
        "vertebrae",
        "vertebroplasty",
        "kyphoplasty",
        "balloon kyphoplasty",
        "bone cement",
        "osteoporosis",
        "anaesthesia",
        "x-ray",
        "mri",
        "bone density test",
    ]:
        assert name in names, name
    understanding = Article.objects.get(
        slug="understanding-spinal-compression-fractures"
    )
    page = html(client.get(understanding.get_absolute_url()))
    linked = [text for _url, text in term_links(page)]
    for text in ["<dfn>vertebra", "<dfn>compression fracture", "<dfn>osteoporosis"]:
        assert text in linked
    assert "<dfn>vertebroplasty" in linked and "<dfn>kyphoplasty" in linked
    glossary = html(client.get(reverse("articles:glossary")))
    # The English glossary page lists the English terms; /es/glosario/ the others.
    assert glossary.count("<dt>") == english.count()
