"""
Stored XSS: every payload of tests/xss_payloads.py in every rich-text and
plain-text field of published content, saved through the admin and through the
models, and what the stored rows, every public page, the feed and the admin
then hold. Rich text must be stored clean; plain text is stored as typed and
must reach every page as text, never as markup.
"""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import (
    Article,
    ArticleReference,
    ArticleStep,
    GlossaryTerm,
    Guide,
)
from articles.sanitize import clean_html

from .admin_forms import article_form, assert_saved, form_data, post_article
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
from .xss_payloads import PAYLOADS, SINK, TEMPLATE_TEXT, chunks, corpus

pytestmark = pytest.mark.django_db

# --- What counts as executable --------------------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "xlink:href",
    "codebase",
    "longdesc",
    "manifest",
    "icon",
}
# Attributes that make the browser fetch or submit to their URL (and <link href>).
FETCHING_ATTRIBUTES = URL_ATTRIBUTES - {"href", "cite", "xlink:href", "longdesc"}
# Elements no patient page has, and that an injection would need.
NOT_ON_PATIENT_PAGES = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "style",
    "template",
    "noscript",
    "isindex",
    "xmp",
    "plaintext",
    "marquee",
    "textarea",
    "select",
    "video",
    "audio",
}
# Attributes whose value a reader sees (or a screen reader reads) as text.
TEXT_ATTRIBUTES = {"alt", "title", "content", "aria-label", "value"}
CONTROL_AND_SPACE = "".join(map(chr, range(0x21)))


def url_scheme(url):
    """The scheme a browser would see: tabs and newlines anywhere, and spaces around, ignored."""
    url = re.sub(r"[\t\n\r]", "", url).strip(CONTROL_AND_SPACE)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def on_this_site(url):
    url = re.sub(r"[\t\n\r]", "", url).strip(CONTROL_AND_SPACE).replace("\\", "/")
    parts = urlsplit(url)
    return parts.scheme in {"", "http", "https"} and parts.netloc in {"", "testserver"}


class PageReader(HTMLParser):
    """
    Reads a page as a browser would build it and lists every executable form in
    it. patient=True adds the rules of patient pages (no inline style, nothing
    fetched from another host, none of NOT_ON_PATIENT_PAGES); the admin has
    scripts and styles of its own, so there only what carries a payload counts.
    """

    def __init__(self, patient=True):
        super().__init__(convert_charrefs=True)
        self.patient = patient
        self.problems = []
        self.json_ld = []
        self.texts = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        where = f"<{tag} {' '.join(name for name, _value in attrs)}>"
        for name, value in attrs:
            self.check_attribute(tag, name, value, where)
            if name in TEXT_ATTRIBUTES:
                self.texts.append(value)
        if tag == "script":
            kind = dict(attrs).get("type", "")
            if self.patient and kind != "application/ld+json":
                self.problems.append(f"script element {where}")
            self._script = []
        if self.patient and tag in NOT_ON_PATIENT_PAGES:
            self.problems.append(f"{tag} element {where}")
        if tag == "meta" and "http-equiv" in dict(attrs):
            self.problems.append(f"meta http-equiv {where}")

    handle_startendtag = handle_starttag

    def check_attribute(self, tag, name, value, where):
        carries_payload = SINK in value or "evil.example" in value
        if name.startswith("on") and (self.patient or carries_payload):
            self.problems.append(f"event handler {name}={value!r} on {where}")
        if name in {"srcdoc", "style"} and (self.patient or carries_payload):
            self.problems.append(f"{name}={value!r} on {where}")
        if name not in URL_ATTRIBUTES:
            return
        urls = [item.split()[0] for item in value.split(",") if item.split()]
        for url in urls if name == "srcset" else [value]:
            if url_scheme(url) not in SAFE_SCHEMES | {""}:
                self.problems.append(f"{name}={url!r} on {where}")
            fetches = name in FETCHING_ATTRIBUTES or (tag == "link" and name == "href")
            if fetches and not on_this_site(url) and (self.patient or carries_payload):
                self.problems.append(
                    f"{name}={url!r} fetched from elsewhere by {where}"
                )

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            if self.patient:
                self.json_ld.append(text)
            elif SINK in text or "evil.example" in text:
                self.problems.append(f"script holding a payload: {text[:200]!r}")
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        else:
            self.texts.append(data)


def read_page(html, patient=True):
    """The PageReader of html, with the JSON-LD blocks checked too."""
    reader = PageReader(patient=patient)
    reader.feed(html)
    reader.close()
    for block in reader.json_ld:
        if "<" in block:
            reader.problems.append(f"'<' in JSON-LD: {block[:200]!r}")
        try:
            json.loads(block)
        except ValueError:
            reader.problems.append(f"JSON-LD that is not JSON: {block[:200]!r}")
    if patient:
        # A second opinion that does not depend on this parser: every "<script"
        # in the source is one of the JSON-LD blocks.
        opened = len(re.findall(r"<script", html, re.IGNORECASE))
        if opened != len(reader.json_ld):
            reader.problems.append(f"{opened} <script in the source")
    return reader


def squeezed(text):
    """text without whitespace: pages may wrap, indent or break lines in plain text."""
    return "".join(text.split())


def shown_as_text(reader, value):
    return squeezed(value) in squeezed(" ".join(reader.texts))


def assert_shown_safely(response, texts=(), patient=True):
    """The page has no executable form and shows each of `texts` as text."""
    assert response.status_code == 200, response.status_code
    reader = read_page(response.content.decode(), patient=patient)
    assert reader.problems == []
    missing = [text for text in texts if not shown_as_text(reader, text)]
    assert missing == [], f"not shown as text: {missing}"
    return reader


def assert_stored_clean(value):
    """Rich text as stored: already what the cleaner makes of it, and nothing executable."""
    assert value == clean_html(value)
    assert read_page(value).problems == []


# --- Hostile content ----------------------------------------------------------------

TITLES = chunks(200)  # title, subtitle, step heading, names: 200 characters
LONG = chunks(300)  # teaser, caption, alt text, fact value: 300 characters
LABELS = chunks(120)  # fact label
TERMS = chunks(100)  # glossary term
CITATIONS = chunks(500)  # reference citation
CORPUS = corpus()


@dataclass
class HostileSite:
    """Published content holding every payload in every field, and where it shows."""

    guide: Guide
    articles: list
    practices: list
    doctors: list
    terms: list

    def article_texts(self, index):
        """The plain text article `index` shows, wherever the page is."""
        article = self.articles[index]
        texts = [
            article.title,
            article.subtitle,
            article.teaser,
            article.steps_heading,
            self.doctors[index].name,
            self.practices[index].name,
            *article.steps.values_list("heading", flat=True),
        ]
        if article.hero_image:
            texts += [article.hero_image.alt_text, article.hero_caption]
        for fact in article.facts.all():
            texts += [fact.label, fact.value]
        texts += article.references.values_list("citation", flat=True)
        if index == 0:
            texts += TEMPLATE_TEXT  # from the rich text, untouched by any template
        return texts


def build_hostile_site():
    """
    Every payload in every field, through the models (as the demo loader and a
    restore write). A field with a length limit gets the corpus in pieces that
    fit, one row per piece: an article (with its own practice, doctor, step and
    hero image) per 200-character piece; facts, references and glossary terms
    likewise; and one step per payload besides.
    """
    guide = GuideFactory(title=TITLES[-1], summary=LONG[0], introduction=CORPUS)
    practices, doctors, articles = [], [], []
    for index, title in enumerate(TITLES):
        practice = PracticeFactory(name=title, description=CORPUS)
        doctor = DoctorFactory(
            name=title, specialty=title, biography=CORPUS, honorific=""
        )
        doctor.practices.add(practice)
        has_image = index < len(LONG)
        article = ArticleFactory(
            guide=guide,
            title=title,
            subtitle=TITLES[-1 - index],
            teaser=LONG[index % len(LONG)],
            steps_heading=title,
            introduction=CORPUS if index == 0 else "<p>An introduction.</p>",
            closing=CORPUS if index == 0 else "",
            safety_notice=CORPUS if index == 0 else "",
            hero_image=ImageFactory(alt_text=LONG[index]) if has_image else None,
            hero_caption=LONG[-1 - index] if has_image else "",
            reviewed_by=doctor,
            practice=practice,
        )
        StepFactory(
            article=article,
            heading=title,
            body=CORPUS if index == 0 else "<p>A step.</p>",
        )
        if index == 0:
            # Each payload alone too: in one text, a few swallow what follows.
            for payload_id, payload in PAYLOADS:
                StepFactory(article=article, heading=payload_id, body=payload)
        practices.append(practice)
        doctors.append(doctor)
        articles.append(article)
    first = articles[0]
    for index, label in enumerate(LABELS):
        FactFactory(article=first, label=label, value=LONG[index % len(LONG)])
    for citation in CITATIONS:
        ReferenceFactory(article=first, citation=citation)
    first.mark_content_changed()
    terms = [
        GlossaryTerm.objects.create(
            term=term,
            definition=CORPUS if index == 0 else term,
            also_called=LONG[index] if index < len(LONG) else "",
        )
        for index, term in enumerate(TERMS)
    ]
    return HostileSite(guide, articles, practices, doctors, terms)


@pytest.fixture
def hostile_site():
    return build_hostile_site()


def branded_url(practice, article):
    return reverse(
        "share:article",
        kwargs={
            "practice_slug": practice.slug,
            "guide_slug": article.guide.slug,
            "article_slug": article.slug,
        },
    )


# --- The admin path ------------------------------------------------------------------


def add_row(data, prefix, **values):
    """Fill in one more 'Add another' row of the inline `prefix`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{key}": value for key, value in values.items()})


def step_rows():
    """(heading, body) of steps holding every payload, each alone and all together."""
    rows = [(TITLES[0], CORPUS)]
    for index, (payload_id, payload) in enumerate(PAYLOADS, start=1):
        heading = TITLES[index] if index < len(TITLES) else payload_id
        # A body the cleaner empties would be refused as missing, not as unsafe.
        rows.append((heading, f"<p>{payload_id}:</p>{payload}"))
    return rows


@pytest.fixture
def saved_in_the_admin(reviewer_client, reviewer, settings):
    """A live article a reviewer filled with every payload through its change form."""
    # ~130 steps and ~80 facts are more fields than Django accepts by default.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
    article = ArticleFactory(reviewed_by=reviewer.doctor, practice=PracticeFactory())
    data = article_form(reviewer_client, article)
    data.update(
        title=TITLES[0],
        subtitle=TITLES[1],
        teaser=LONG[0],
        introduction=CORPUS,
        hero_caption=LONG[1],
        steps_heading=TITLES[2],
        closing=CORPUS,
        safety_notice=CORPUS,
    )
    for heading, body in step_rows():
        add_row(data, "steps", heading=heading, body=body)
    for index, label in enumerate(LABELS):
        value = LONG[index % len(LONG)]
        add_row(data, "facts", key=f"fact-{index}", label=label, value=value)
    for citation in CITATIONS:
        add_row(data, "references", citation=citation, url="https://example.org/")
    assert_saved(post_article(reviewer_client, article, data))
    article.refresh_from_db()
    return article


def test_rich_text_saved_in_the_admin_is_stored_clean(saved_in_the_admin):
    article = saved_in_the_admin
    for value in (article.introduction, article.closing, article.safety_notice):
        assert_stored_clean(value)
    bodies = list(article.steps.values_list("body", flat=True))
    assert len(bodies) == len(PAYLOADS) + 1
    for body in bodies:
        assert_stored_clean(body)
    # The cleaner removed the markup, not the editor's words.
    assert "{{ 7*7 }}" in article.introduction


def test_plain_text_saved_in_the_admin_is_stored_as_typed(saved_in_the_admin):
    article = saved_in_the_admin
    assert (article.title, article.subtitle, article.teaser) == (
        TITLES[0].strip(),
        TITLES[1].strip(),
        LONG[0].strip(),
    )
    assert list(article.steps.values_list("heading", flat=True)) == [
        heading.strip() for heading, _body in step_rows()
    ]
    assert list(article.facts.values_list("label", flat=True)) == [
        label.strip() for label in LABELS
    ]
    assert list(article.references.values_list("citation", flat=True)) == [
        citation.strip() for citation in CITATIONS
    ]


def test_an_article_saved_in_the_admin_shows_every_payload_as_text(
    client, saved_in_the_admin
):
    article = saved_in_the_admin
    texts = [
        article.title,
        article.subtitle,
        article.teaser,
        article.hero_caption,
        article.steps_heading,
        *article.steps.values_list("heading", flat=True),
        *article.facts.values_list("label", "value").first(),
        *article.references.values_list("citation", flat=True),
        *TEMPLATE_TEXT,
    ]
    assert_shown_safely(client.get(article.get_absolute_url()), texts)


# --- Every public page -----------------------------------------------------------


def test_article_pages_show_the_payloads_as_text(client, hostile_site):
    for index, article in enumerate(hostile_site.articles):
        response = client.get(article.get_absolute_url())
        assert_shown_safely(response, hostile_site.article_texts(index))


def test_branded_links_show_the_payloads_as_text(client, hostile_site):
    for index, article in enumerate(hostile_site.articles):
        response = client.get(branded_url(hostile_site.practices[index], article))
        assert_shown_safely(response, hostile_site.article_texts(index))
    guide_link = reverse(
        "share:guide",
        kwargs={
            "practice_slug": hostile_site.practices[0].slug,
            "guide_slug": hostile_site.guide.slug,
        },
    )
    assert_shown_safely(
        client.get(guide_link), [article.title for article in hostile_site.articles]
    )


def test_guide_pages_show_the_payloads_as_text(client, hostile_site):
    guide = hostile_site.guide
    titles = [article.title for article in hostile_site.articles]
    teasers = [article.teaser for article in hostile_site.articles]
    assert_shown_safely(
        client.get(guide.get_absolute_url()),
        [guide.title, guide.summary, *titles, *teasers, *TEMPLATE_TEXT],
    )
    assert_shown_safely(
        client.get(reverse("articles:guide_print", args=[guide.slug])),
        [*titles, *hostile_site.article_texts(0)],
    )
    assert_shown_safely(client.get(reverse("articles:home")), [guide.title])


def test_practice_and_doctor_pages_show_the_payloads_as_text(client, hostile_site):
    pairs = zip(hostile_site.practices, hostile_site.doctors, strict=True)
    for practice, doctor in pairs:
        assert_shown_safely(
            client.get(practice.get_absolute_url()),
            [practice.name, practice.description, doctor.name],
        )
        assert_shown_safely(
            client.get(doctor.get_absolute_url()),
            [doctor.name, doctor.specialty, doctor.biography, practice.name],
        )


def test_the_glossary_shows_the_payloads_as_text(client, hostile_site):
    texts = [term.term for term in hostile_site.terms] + [CORPUS]
    assert_shown_safely(client.get(reverse("articles:glossary")), texts)


# Payloads made to break out of where a search query is shown: the page title,
# the search field's value attribute and the heading.
REFLECTED = [
    "script-closes-title",
    "attribute-breakout-double-quote",
    "attribute-breakout-single-quote",
    "attribute-breakout-to-tag",
    "img-onerror-unquoted",
]


def test_search_results_show_the_payloads_as_text(client, hostile_site):
    search = reverse("articles:search")
    reader = assert_shown_safely(client.get(search, {"q": "alert"}))
    shown = [a.title for a in hostile_site.articles if shown_as_text(reader, a.title)]
    assert len(shown) >= 10  # a full first page of results
    # What a visitor types is shown back too.
    for payload_id in REFLECTED:
        query = dict(PAYLOADS)[payload_id]
        assert_shown_safely(client.get(search, {"q": query}), [query])


def test_the_feed_carries_the_payloads_as_text(client, hostile_site):
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.content)  # noqa: S314 -- our own output
    entries = feed.findall(f"{atom}entry")
    # XML reads a carriage return as a line feed.
    by_title = {
        article.title.replace("\r", "\n"): article for article in hostile_site.articles
    }
    assert len(entries) == 30  # the feed's length
    for entry in entries:
        article = by_title[entry.findtext(f"{atom}title")]
        summary = entry.find(f"{atom}summary")
        # type="html": a feed reader decodes the XML and renders the result as HTML.
        assert summary.get("type") == "html"
        reader = read_page(summary.text)
        assert reader.problems == []
        assert shown_as_text(reader, article.teaser)
        author = entry.findtext(f"{atom}author/{atom}name")
        assert author == article.reviewed_by.display_name.replace("\r", "\n")


def test_structured_data_holds_the_payloads_as_plain_strings(client, hostile_site):
    article = hostile_site.articles[0]
    reader = read_page(client.get(article.get_absolute_url()).content.decode())
    # read_page has checked that "</script>" and every "<" are escaped; here,
    # that the strings come back whole.
    strings = json.dumps([json.loads(block) for block in reader.json_ld])
    texts = [
        article.title,
        article.teaser,
        article.hero_image.alt_text,
        hostile_site.doctors[0].name,
        hostile_site.guide.title,
    ]
    for text in texts:
        assert json.dumps(text)[1:-1] in strings


# --- The admin, where editors read each other's content ------------------------


def test_admin_pages_show_another_editors_payloads_as_text(
    reviewer_client, saved_in_the_admin
):
    article = saved_in_the_admin
    version = Version.objects.get_for_object(article).first()
    pages = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk]),
        reverse("admin:articles_article_restore", args=[article.pk, version.pk]),
    ]
    for page in pages:
        response = reviewer_client.get(page)
        assert_shown_safely(response, [article.title], patient=False)


# --- Revisions brought back ---------------------------------------------------------


def plant(version, **fields):
    """Put values in a stored version that no save would have let through."""
    data = json.loads(version.serialized_data)
    data[0]["fields"].update(fields)
    version.serialized_data = json.dumps(data)
    version.save()


def child_version(version, model):
    return next(
        child
        for child in version.revision.version_set.all()
        if child.content_type.model_class() is model
    )


def dirty_revision(article, user, link=True):
    """A revision of article whose rich text (and reference link) hold payloads."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.add_to_revision(article)
    version = Version.objects.get_for_object(article).first()
    plant(version, introduction=CORPUS, closing=CORPUS, safety_notice=CORPUS)
    plant(child_version(version, ArticleStep), body=CORPUS)
    if link:
        plant(child_version(version, ArticleReference), url=f"javascript:{SINK}")
    return version


@pytest.fixture
def article_with_children():
    article = ArticleFactory()
    StepFactory(article=article)
    FactFactory(article=article)
    ReferenceFactory(article=article)
    return article


def assert_article_stored_clean(client, article):
    article.refresh_from_db()
    for value in (article.introduction, article.closing, article.safety_notice):
        assert_stored_clean(value)
        assert "{{ 7*7 }}" in value
    for body in article.steps.values_list("body", flat=True):
        assert_stored_clean(body)
    for url in article.references.values_list("url", flat=True):
        assert url_scheme(url) in SAFE_SCHEMES | {""}
    assert_shown_safely(client.get(article.get_absolute_url()), TEMPLATE_TEXT)


def test_restoring_a_dirty_revision_stores_it_clean(
    reviewer_client, reviewer, article_with_children
):
    article = article_with_children
    version = dirty_revision(article, reviewer)
    article.introduction = "<p>Newer words.</p>"
    article.save()

    response = reviewer_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, version.pk])
    )

    assert response.status_code == 302
    assert_article_stored_clean(Client(), article)
    # The link no form checked is dropped; the citation stays.
    reference = article.references.get()
    assert (reference.citation, reference.url) == ("A trusted source, 2024.", "")


def test_recovering_a_deleted_article_from_a_dirty_revision_stores_it_clean(
    article_with_children,
):
    article = article_with_children
    superuser = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    # The recovery form refuses a javascript: link itself ("Enter a valid URL").
    version = dirty_revision(article, superuser, link=False)
    pk = article.pk
    article.delete()
    recover = reverse("admin:articles_article_recover", args=[version.pk])

    # As a browser does: open the recovery form, then send it unchanged.
    response = client.post(recover, form_data(client.get(recover), "article_form"))

    assert response.status_code == 302
    assert_article_stored_clean(Client(), Article.objects.get(pk=pk))


def test_reverting_a_guide_to_a_dirty_revision_stores_it_clean(client):
    guide = GuideFactory()
    superuser = UserFactory(username="admin", is_staff=True, is_superuser=True)
    editor = Client()
    editor.force_login(superuser)
    with reversion.create_revision():
        reversion.add_to_revision(guide)
    version = Version.objects.get_for_object(guide).first()
    plant(version, introduction=CORPUS)
    revert = reverse("admin:articles_guide_revision", args=[guide.pk, version.pk])

    response = editor.post(revert, form_data(editor.get(revert), "guide_form"))

    assert response.status_code == 302
    guide.refresh_from_db()
    assert_stored_clean(guide.introduction)
    assert_shown_safely(client.get(guide.get_absolute_url()), TEMPLATE_TEXT)
