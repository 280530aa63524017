"""The rich-text allow-list: what clean_html removes, what it keeps, and its helpers."""

import re

import pytest

from articles.models import Article
from articles.sanitize import clean_html, html_to_text, images_missing_alt_text

from .factories import ArticleFactory
from .xss_payloads import PAYLOAD_IDS, PAYLOADS

DANGEROUS_MARKERS = (
    "<script",
    "javascript:",
    "vbscript:",
    "data:",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onfocus",
    "ontoggle",
    "onbegin",
    "<iframe",
    "<frame",
    "<style",
    "<link",
    "<svg",
    "<math",
    "<object",
    "<embed",
    "<base",
    "<meta",
    "<form",
    "<input",
    "<button",
    "<textarea",
    "<video",
    "<audio",
    "<details",
    "<template",
    "<select",
    "<marquee",
    "<isindex",
    "<noscript",
    "<body",
    "formaction",
    "srcdoc",
    "expression(",
    "style=",
    "evil.example",
)

# The cleaner's output escapes every "<" of text, so each "<" left starts a real tag.
TAG = re.compile(r"<[^>]*>")
EVENT_HANDLER = re.compile(r"[\s/]on[a-z]+\s*=")

XSS_PAYLOADS = pytest.mark.parametrize(
    "payload", [payload for _id, payload in PAYLOADS], ids=PAYLOAD_IDS
)


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert len(set(PAYLOAD_IDS)) == len(PAYLOAD_IDS)


@XSS_PAYLOADS
def test_classic_xss_payloads_are_neutralised(payload):
    # Only in tags: text such as '" onmouseover="x' is harmless once escaped.
    tags = " ".join(TAG.findall(clean_html(payload))).lower()
    for marker in DANGEROUS_MARKERS:
        assert marker not in tags, f"{marker!r} survived in {tags!r}"
    assert not EVENT_HANDLER.search(tags), f"an event handler survived in {tags!r}"


@XSS_PAYLOADS
def test_cleaning_is_stable(payload):
    cleaned = clean_html(payload)
    assert clean_html(cleaned) == cleaned


# --- What editors may write ---------------------------------------------------------

ALLOWED_MARKUP = [
    "<h2>Before</h2><h3>The night before</h3><h4>Eating</h4>",
    "<p>Rest for a day.<br>Then walk a little.</p>",
    "<ul><li>Bring your <strong>medication list</strong></li><li><em>Wear</em> loose clothes</li></ul>",
    '<ol start="3"><li>Third</li><li>Fourth</li></ol>',
    "<p><b>Bold</b> and <i>italic</i></p>",
    "<blockquote><p>It was easier than I thought.</p></blockquote>",
    '<figure><img src="/media/editor/spine.png" alt="Side view of the spine" width="640" height="480" loading="lazy"><figcaption>The spine</figcaption></figure>',
    (
        "<table><caption>Recovery</caption>"
        '<thead><tr><th scope="col">Day</th><th scope="col">What you can do</th></tr></thead>'
        '<tbody><tr><td>1</td><td rowspan="2">Rest</td></tr><tr><td colspan="1">2</td></tr></tbody>'
        "</table>"
    ),
    '<p><a href="mailto:team@example.org" rel="noopener noreferrer">Write to us</a> or <a href="tel:+15550100" rel="noopener noreferrer">call</a></p>',
    '<p><a href="/en/guides/spinal-fractures/" rel="noopener noreferrer">the guide</a></p>',
]


@pytest.mark.parametrize("markup", ALLOWED_MARKUP)
def test_allowed_markup_survives_intact(markup):
    assert clean_html(markup) == markup


def test_links_get_noopener_noreferrer_and_keep_their_address():
    cleaned = clean_html(
        '<p><a href="https://www.example.org/spine" title="More" target="_blank">More</a></p>'
    )
    assert cleaned == (
        '<p><a href="https://www.example.org/spine" title="More" '
        'rel="noopener noreferrer">More</a></p>'
    )


def test_an_editors_own_rel_is_replaced():
    cleaned = clean_html('<a href="https://example.org" rel="opener">x</a>')
    assert cleaned == '<a href="https://example.org" rel="noopener noreferrer">x</a>'


def test_disallowed_tags_are_dropped_but_their_text_is_kept():
    cleaned = clean_html(
        '<div class="x"><span style="color:red">Keep</span> <u>this</u> <h1>text</h1></div>'
    )
    assert cleaned == "Keep this text"


def test_classes_ids_and_styles_are_dropped_from_allowed_tags():
    cleaned = clean_html('<p class="lead" id="top" style="color: red">Hello</p>')
    assert cleaned == "<p>Hello</p>"


def test_images_from_another_host_are_dropped_entirely():
    cleaned = clean_html(
        '<p>Before<img src="https://cdn.example.org/a.png" alt="An x-ray">after</p>'
    )
    assert cleaned == "<p>Beforeafter</p>"


@pytest.mark.parametrize("value", ["50%", "-1", "1e3", "123456", "10px"])
def test_image_sizes_must_be_small_whole_numbers(value):
    cleaned = clean_html(f'<img src="/media/a.png" alt="A spine" width="{value}">')
    assert cleaned == '<img src="/media/a.png" alt="A spine" loading="lazy">'


def test_comments_are_removed():
    assert clean_html("<p>Visible<!-- editor note --></p>") == "<p>Visible</p>"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_input_gives_an_empty_string(value):
    assert clean_html(value) == ""


def test_text_is_escaped_not_interpreted():
    assert clean_html("<p>1 < 2 & 3 > 2</p>") == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"


# --- html_to_text -------------------------------------------------------------------


def test_html_to_text_puts_each_block_on_its_own_line():
    text = html_to_text(
        "<h2>Before</h2><p>Rest <strong>well</strong>.</p>"
        "<ul><li>One</li><li>Two</li></ul><p>Line<br>break</p>"
    )
    assert text.splitlines() == ["Before", "Rest well.", "One", "Two", "Line", "break"]


def test_html_to_text_keeps_words_of_neighbouring_cells_and_captions_apart():
    text = html_to_text(
        "<table><tr><th>Day 1</th><td>Rest</td></tr></table>"
        '<figure><img src="/media/a.png" alt="A spine"><figcaption>The spine</figcaption>'
        "</figure><p>After</p>"
    )
    words = text.split()
    assert "1Rest" not in words
    assert "spineAfter" not in words
    assert words == ["Day", "1", "Rest", "The", "spine", "After"]


def test_html_to_text_decodes_entities_and_drops_scripts_and_styles():
    text = html_to_text(
        "<p>Fish &amp; chips &lt;3</p><script>alert(1)</script><style>p{}</style>"
    )
    assert text == "Fish & chips <3"


@pytest.mark.parametrize("value", [None, "", "<p>  </p>"])
def test_html_to_text_of_nothing_is_empty(value):
    assert html_to_text(value) == ""


# --- images_missing_alt_text -----------------------------------------------------


@pytest.mark.parametrize(
    ("html", "missing"),
    [
        ("<p>No pictures</p>", 0),
        ('<img src="/media/a.png" alt="A spine">', 0),
        ('<img src="/media/a.png">', 1),
        ('<img src="/media/a.png" alt="">', 1),
        ('<img src="/media/a.png" alt="   ">', 1),
        (
            '<img src="/media/a.png" alt="A"><img src="/media/b.png"><img src="/media/c.png" alt="">',
            2,
        ),
        (None, 0),
    ],
)
def test_images_missing_alt_text_counts_images_without_a_description(html, missing):
    assert images_missing_alt_text(html) == missing


def test_alt_text_counting_works_on_cleaned_html():
    cleaned = clean_html(
        "<p><IMG SRC='/media/a.png'><img alt='A spine' src='/media/b.png'></p>"
    )
    assert images_missing_alt_text(cleaned) == 1


# --- Every save goes through the allow-list ------------------------------------------


@pytest.mark.django_db
def test_saving_an_article_stores_cleaned_rich_text():
    article = ArticleFactory(
        introduction=(
            '<p onclick="alert(1)">Hello<script>alert(2)</script></p>'
            '<a href="javascript:alert(3)">x</a>'
            '<img src="https://evil.example/t.png" alt="tracker">'
        ),
        closing="<iframe src='https://evil.example/'></iframe><p>Bye</p>",
    )
    stored = Article.objects.values("introduction", "closing").get(pk=article.pk)
    assert stored == {
        "introduction": '<p>Hello</p><a rel="noopener noreferrer">x</a>',
        "closing": "<p>Bye</p>",
    }
