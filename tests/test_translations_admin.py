"""
Translations in the admin: started from the original as a draft copy, reviewed
on their own, marked out of date when the original changes, measured in Spanish.
"""

from datetime import timedelta

import pytest
import textstat
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from reversion.models import Version

from articles import readability
from articles.models import (
    Article,
    GlossaryTerm,
    Guide,
    PracticeMembership,
    Status,
)
from articles.translations import translate_article

from .admin_forms import (
    article_form,
    assert_saved,
    change_url,
    form_data,
    post_article,
    row_index,
)
from .factories import (
    ArticleFactory,
    FactFactory,
    GuideFactory,
    ImageFactory,
    PracticeFactory,
    ReferenceFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Reviews and edits happen on different days, as they do for real: day(0) is
# 60 days ago, so sessions opened today stay valid while the clock travels.
START = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
START -= timedelta(days=60)


def day(number, hours=0):
    """9 o'clock (plus `hours`) local time on the day `number` days after START."""
    return time_machine.travel(START + timedelta(days=number, hours=hours), tick=False)


def translate_url(obj, language="es"):
    meta = obj._meta
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_translate", args=[obj.pk, language]
    )


def changelist(**query):
    url = reverse("admin:articles_article_changelist")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def member(practice, username):
    """A practice editor of `practice`, signed in."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Practice editors"))
    PracticeMembership.objects.create(user=user, practice=practice)
    client = Client()
    client.force_login(user)
    return client


def publish(client, article, **changes):
    """A reviewer approves the article through its change form, as of today."""
    data = article_form(client, article)
    if not article.reviewed_at:
        data.update(reviewed_by="", reviewed_at="")
    data.update(status=Status.PUBLISHED, **changes)
    assert_saved(post_article(client, article, data))
    article.refresh_from_db()
    return article


@pytest.fixture
def practice():
    return PracticeFactory(name="North Spine")


@pytest.fixture
def original(practice):
    """The second English article of a guide, with everything a copy must carry."""
    with day(0):
        guide = GuideFactory(title="Spinal fractures")
        ArticleFactory(guide=guide, title="What a fracture is", practice=practice)
        article = ArticleFactory(
            guide=guide,
            title="Kyphoplasty, step by step",
            introduction="<p>"
            + " ".join(f"Plain sentence number {n} about the bone." for n in range(8))
            + "</p>",
            hero_image=ImageFactory(),
            hero_caption="The spine from the side",
            steps_heading="The procedure",
            practice=practice,
        )
        StepFactory(article=article, heading="Numbing", body="<p>The doctor numbs.</p>")
        StepFactory(article=article, heading="Cement", body="<p>Cement goes in.</p>")
        FactFactory(article=article, key="duration", label="Time", value="An hour")
        FactFactory(article=article, key="stay", label="Stay", value="Same day")
        ReferenceFactory(article=article, citation="Spine Society, 2024.")
    return article


@pytest.fixture
def translation(original, reviewer):
    """The Spanish translation of `original`, translated and approved on day 1."""
    with day(0):
        spanish = translate_article(original, "es", guide_title="Fracturas")
    client = Client()
    client.force_login(reviewer)
    with day(1):
        publish(
            client,
            spanish,
            title="Cifoplastia, paso a paso",
            introduction="<p>Una explicación sencilla.</p>",
        )
    return spanish


def frozen(article):
    """What must not move when another language version is edited or published."""
    article.refresh_from_db()
    return (
        article.status,
        article.reviewed_by_id,
        article.reviewed_at,
        article.version,
        article.content_updated_at,
        article.title,
    )


# --- Creating an article's translation -------------------------------------------------


def test_an_editor_creates_the_spanish_translation_as_a_draft_copy(
    editor_client, editor, original
):
    before = frozen(original)
    change_page = page_text(editor_client, change_url(original))
    assert f'href="{translate_url(original)}"' in change_page
    assert "Create the Spanish translation" in change_page

    confirm = page_text(editor_client, translate_url(original))
    assert "Title of the Spanish guide" in confirm
    assert "“Spinal fractures” in Spanish" in confirm
    assert Article.objects.count() == 2  # asking creates nothing

    response = editor_client.post(
        translate_url(original), {"guide_title": "Fracturas de la columna"}
    )
    spanish = Article.objects.get(translation_of=original)
    assert response.status_code == 302
    assert response["Location"] == change_url(spanish)
    page = editor_client.get(response["Location"]).content.decode()
    assert "is a draft Spanish translation of “Kyphoplasty, step by step”" in page
    assert "send it for medical review" in page
    assert "The guide “Fracturas de la columna” was created as a draft too" in page

    assert spanish.language == "es"
    assert spanish.status == Status.DRAFT
    assert spanish.reviewed_by is None and spanish.reviewed_at is None
    assert spanish.publish_at is None and spanish.source_updated_at is None
    assert spanish.hero_image == original.hero_image
    assert spanish.practice == original.practice
    assert spanish.updated_by == editor
    assert (spanish.title, spanish.introduction, spanish.steps_heading) == (
        original.title,
        original.introduction,
        original.steps_heading,
    )
    copied = [
        (
            list(article.steps.values_list("position", "heading", "body")),
            list(article.facts.values_list("position", "key", "label", "value")),
            list(article.references.values_list("position", "citation", "url")),
        )
        for article in (original, spanish)
    ]
    assert copied[0] == copied[1] and copied[0][0]
    assert not set(spanish.steps.values_list("pk", flat=True)) & set(
        original.steps.values_list("pk", flat=True)
    )
    guide = spanish.guide
    assert (guide.language, guide.translation_of, guide.status) == (
        "es",
        original.guide,
        Status.DRAFT,
    )
    assert guide.title == "Fracturas de la columna" and guide.practice is None
    # Its history starts with the copy, saved by the editor.
    revision = Version.objects.get_for_object(spanish).get().revision
    assert revision.user == editor
    assert "Started as the Spanish translation" in revision.get_comment()
    assert frozen(original) == before


def test_translations_keep_the_reading_order_of_their_originals(
    editor_client, original
):
    first = original.guide.articles.get(position=1)
    editor_client.post(translate_url(original), {"guide_title": "Fracturas"})
    response = editor_client.post(translate_url(first))
    assert response.status_code == 302
    spanish_guide = Guide.objects.get(language="es")
    assert list(
        spanish_guide.articles.order_by("position").values_list(
            "translation_of", "position"
        )
    ) == [(first.pk, 1), (original.pk, 2)]


def test_the_guide_title_is_required_when_the_guide_is_new(editor_client, original):
    response = editor_client.post(translate_url(original), {"guide_title": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Article.objects.filter(language="es").exists()
    assert not Guide.objects.filter(language="es").exists()


def test_an_existing_spanish_guide_is_used(editor_client, original):
    spanish_guide = GuideFactory(
        title="Fracturas", language="es", translation_of=original.guide
    )
    confirm = page_text(editor_client, translate_url(original))
    assert "Title of the Spanish guide" not in confirm
    assert "It is placed in the guide “Fracturas”." in confirm
    editor_client.post(translate_url(original))
    assert Article.objects.get(translation_of=original).guide == spanish_guide
    assert Guide.objects.filter(language="es").count() == 1


def test_the_list_action_leads_to_the_confirmation(editor_client, original):
    url = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        url, {"action": "translate_into_es", "_selected_action": [original.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == translate_url(original)
    assert not Article.objects.filter(language="es").exists()

    two = [original.pk, original.guide.articles.get(position=1).pk]
    response = editor_client.post(
        url, {"action": "translate_into_es", "_selected_action": two}, follow=True
    )
    assert "Select one item" in response.content.decode()
    assert not Article.objects.filter(language="es").exists()


def test_a_second_translation_is_refused_with_a_link_to_the_first(
    editor_client, original
):
    editor_client.post(translate_url(original), {"guide_title": "Fracturas"})
    spanish = Article.objects.get(translation_of=original)
    for method in ("get", "post"):
        response = getattr(editor_client, method)(
            translate_url(original), {"guide_title": "Otra"}, follow=True
        )
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == change_url(original)
        assert "already has a Spanish translation" in page
        assert f'<a href="{change_url(spanish)}">Open the translation</a>' in page
    assert Article.objects.filter(translation_of=original).count() == 1
    assert Guide.objects.filter(language="es").count() == 1
    # The change form now leads to it instead of offering another.
    page = page_text(editor_client, change_url(original))
    assert "Open the Spanish translation" in page
    assert translate_url(original) not in page


def test_a_translation_is_not_translated_again(editor_client, original):
    spanish = translate_article(original, "es", guide_title="Fracturas")
    response = editor_client.post(translate_url(spanish), follow=True)
    page = response.content.decode()
    assert "is itself a translation" in page
    assert "Kyphoplasty, step by step" in page
    assert Article.objects.filter(language="es").count() == 1
    change_page = page_text(editor_client, change_url(spanish))
    assert "Open the original" in change_page
    assert "Create the Spanish translation" not in change_page


# --- Who may start one -------------------------------------------------------------------


def test_a_practice_editor_of_another_practice_gets_404_and_nothing_is_made(original):
    client = member(PracticeFactory(name="South Spine"), "south-editor")
    assert client.get(translate_url(original)).status_code == 404
    assert client.post(translate_url(original), {"guide_title": "X"}).status_code == 404
    assert not Article.objects.filter(language="es").exists()
    assert not Guide.objects.filter(language="es").exists()


def test_staff_without_the_right_to_add_articles_get_403(
    staff_without_permissions, original
):
    client = Client()
    client.force_login(staff_without_permissions)
    assert client.post(translate_url(original), {"guide_title": "X"}).status_code == 403
    assert not Article.objects.filter(language="es").exists()


def test_a_practice_editor_translates_their_article_into_the_existing_guide(
    practice, original
):
    client = member(practice, "north-editor")
    # Only site editors start guides: without a Spanish guide, a clear refusal.
    response = client.post(translate_url(original), {"guide_title": "X"}, follow=True)
    assert "only site editors may start one" in response.content.decode()
    assert not Guide.objects.filter(language="es").exists()
    assert not Article.objects.filter(language="es").exists()

    GuideFactory(title="Fracturas", language="es", translation_of=original.guide)
    response = client.post(translate_url(original))
    assert response.status_code == 302
    assert Article.objects.get(translation_of=original).practice == practice


def test_a_site_editor_creates_a_spanish_glossary_entry(editor_client):
    term = GlossaryTerm.objects.create(
        term="vertebral compression fracture",
        abbreviation="VCF",
        also_called="crushed vertebra",
        definition="A spine bone that has collapsed.",
    )
    assert f'href="{translate_url(term)}"' in page_text(editor_client, change_url(term))
    confirm = editor_client.get(translate_url(term))
    assert "In English: “A spine bone that has collapsed.”" in confirm.content.decode()
    data = form_data(confirm, "translate_form")
    assert data["abbreviation"] == "VCF" and data["term"] == ""
    assert not GlossaryTerm.objects.filter(language="es").exists()

    data.update(term="fractura vertebral por compresión", definition="")
    response = editor_client.post(translate_url(term), data)
    assert response.status_code == 200  # the definition is required
    assert not GlossaryTerm.objects.filter(language="es").exists()

    data["definition"] = "Un hueso de la columna que se ha aplastado."
    response = editor_client.post(translate_url(term), data, follow=True)
    spanish = GlossaryTerm.objects.get(language="es")
    assert response.redirect_chain[-1][0] == change_url(spanish)
    assert "is the Spanish glossary entry for" in response.content.decode()
    assert (spanish.translation_of, spanish.abbreviation, spanish.slug) == (
        term,
        "VCF",
        "fractura-vertebral-por-compresion",
    )
    assert "Open the original" in page_text(editor_client, change_url(spanish))

    again = editor_client.post(translate_url(term), data, follow=True)
    assert "already has a Spanish translation" in again.content.decode()
    assert GlossaryTerm.objects.filter(language="es").count() == 1


def test_practice_editors_cannot_translate_glossary_terms(practice):
    term = GlossaryTerm.objects.create(term="fracture", definition="A broken bone.")
    client = member(practice, "north-editor")
    response = client.post(translate_url(term), {"term": "x", "definition": "y"})
    assert response.status_code == 403
    assert not GlossaryTerm.objects.filter(language="es").exists()


# --- Each language version has its own state ---------------------------------------------


def test_publishing_the_translation_leaves_the_original_alone(reviewer, original):
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    spanish = translate_article(original, "es", guide_title="Fracturas")
    original_before = frozen(original)
    with day(3):
        publish(reviewer_client, spanish, title="Cifoplastia")
    assert frozen(original) == original_before
    assert spanish.status == Status.PUBLISHED
    assert spanish.reviewed_by == reviewer.doctor
    assert spanish.reviewed_at == (START + timedelta(days=3)).date()
    # The review notes the original as it read then.
    assert spanish.source_text == original.patient_text()
    assert spanish.source_updated_at == original.content_updated_at
    # Each has its own history: the approval is a revision of the translation only.
    assert Version.objects.get_for_object(original).count() == 0
    assert Version.objects.get_for_object(spanish).count() == 1


def test_publishing_or_editing_the_original_leaves_the_translation_alone(
    reviewer_client, original, translation
):
    translation_before = frozen(translation)
    with day(5):
        data = article_form(reviewer_client, original)
        data.update(status=Status.IN_REVIEW)
        assert_saved(post_article(reviewer_client, original, data))
        publish(reviewer_client, original, introduction="<p>New wording.</p>")
    assert original.reviewed_at == (START + timedelta(days=5)).date()
    assert frozen(translation) == translation_before


def test_patients_keep_the_reviewed_translation_when_the_original_changes(
    reviewer_client, original, translation
):
    Guide.objects.filter(pk=translation.guide_id).update(status=Status.PUBLISHED)
    assert Article.objects.published().filter(pk=translation.pk).exists()
    with day(5):
        publish(reviewer_client, original, introduction="<p>Brand new advice.</p>")
    translation.refresh_from_db()
    assert translation.is_out_of_date
    shown = Article.objects.published().for_page().get(pk=translation.pk)
    assert shown.title == "Cifoplastia, paso a paso"
    assert shown.introduction == "<p>Una explicación sencilla.</p>"
    assert shown.reviewed_at == (START + timedelta(days=1)).date()
    assert "Brand new advice" not in shown.search_text


# --- Out of date -------------------------------------------------------------------------


def test_editing_the_original_marks_the_translation_out_of_date(
    reviewer_client, original, translation
):
    assert not translation.is_out_of_date
    listing = page_text(reviewer_client, changelist(translation="current"))
    assert "Cifoplastia, paso a paso" in listing and "up to date" in listing
    with day(5):
        publish(
            reviewer_client,
            original,
            introduction=original.introduction.replace(
                "number 3 about the bone", "number 3 about the healing bone"
            ),
        )
    translation.refresh_from_db()
    assert translation.is_out_of_date
    changed_on = formats.date_format(timezone.localtime(original.content_updated_at))
    listing = page_text(reviewer_client, changelist())
    assert f"OUT OF DATE: original changed on {changed_on}" in listing
    outdated = page_text(reviewer_client, changelist(translation="outdated"))
    assert "Cifoplastia, paso a paso" in outdated
    assert "Kyphoplasty, step by step" not in outdated
    assert "Cifoplastia" not in page_text(
        reviewer_client, changelist(translation="current")
    )
    originals = page_text(reviewer_client, changelist(translation="original"))
    assert "Kyphoplasty, step by step" in originals and "Cifoplastia" not in originals


def test_a_changed_step_in_the_original_marks_the_translation_out_of_date(
    reviewer_client, original, translation
):
    with day(5):
        data = article_form(reviewer_client, original)
        row = row_index(data, "steps", original.steps.get(heading="Cement"))
        data[f"steps-{row}-body"] = "<p>Bone cement goes in slowly.</p>"
        assert_saved(post_article(reviewer_client, original, data))
    translation.refresh_from_db()
    assert translation.is_out_of_date
    panel = page_text(reviewer_client, change_url(translation))
    assert '<ins><span class="visually-hidden">Added: </span>Bone' in panel
    assert "slowly.<span" in panel


def test_the_translation_shows_what_changed_in_the_original(
    reviewer_client, original, translation
):
    with day(5):
        publish(
            reviewer_client,
            original,
            introduction=original.introduction.replace(
                "Plain sentence number 3 about the bone.", "A new sentence."
            ),
        )
    page = page_text(reviewer_client, change_url(translation))
    assert "OUT OF DATE: the original changed on" in page
    assert "after this translation was reviewed on" in page
    assert f'<a href="{change_url(original)}">Kyphoplasty, step by step</a>' in page
    diff = page[page.index('class="word-diff original-changes"') :]
    diff = diff[: diff.index("</p>")]
    assert (
        '<del><span class="visually-hidden">Removed: </span>Plain sentence number 3 '
        'about the bone.<span class="visually-hidden"> (end of removal)</span></del>'
    ) in diff
    assert (
        '<ins><span class="visually-hidden">Added: </span>A new sentence.'
        '<span class="visually-hidden"> (end of addition)</span></ins>'
    ) in diff
    # Long unchanged stretches are cut, so the change is easy to find.
    assert "…" in diff and "number 7 about the bone" not in diff
    assert "number 2 about the bone." in diff  # the words just before the change
    # The original lists its translation and its state.
    original_page = page_text(reviewer_client, change_url(original))
    assert "Translations of this article" in original_page
    assert f'<a href="{change_url(translation)}">Cifoplastia, paso a paso</a>' in (
        original_page
    )
    assert "<strong>OUT OF DATE: original changed on" in original_page


def test_a_translation_not_yet_reviewed_says_so(editor_client, original):
    spanish = translate_article(original, "es", guide_title="Fracturas")
    page = page_text(editor_client, change_url(spanish))
    assert "Not yet reviewed." in page
    assert "not yet reviewed" in page_text(editor_client, changelist())
    listing = page_text(editor_client, changelist(translation="unreviewed"))
    assert spanish.title in listing and "What a fracture is" not in listing


def test_the_dashboard_lists_out_of_date_translations_of_the_editors_practices(
    reviewer_client, practice, original, translation
):
    with day(5):
        publish(reviewer_client, original, introduction="<p>Changed.</p>")

    def section(client):
        page = page_text(client, reverse("admin:index"))
        start = page.index("Translations out of date")
        return page[start : page.index("</table>", start)]

    shown = section(reviewer_client)
    assert "Translations out of date (1)" in shown
    assert f'href="{change_url(translation)}"' in shown
    assert "original changed" in shown
    assert "Cifoplastia" in section(member(practice, "north-editor"))
    other = section(member(PracticeFactory(name="South Spine"), "south-editor"))
    assert "Cifoplastia" not in other and "Nothing here." in other


def test_a_new_review_of_the_translation_clears_out_of_date(
    reviewer_client, original, translation
):
    with day(5):
        publish(reviewer_client, original, introduction="<p>Changed advice.</p>")
    translation.refresh_from_db()
    assert translation.is_out_of_date
    with day(8):
        data = article_form(reviewer_client, translation)
        data["introduction"] = "<p>Consejo cambiado.</p>"
        assert_saved(post_article(reviewer_client, translation, data))
    translation.refresh_from_db()
    assert translation.reviewed_at == (START + timedelta(days=8)).date()
    assert not translation.is_out_of_date
    assert translation.source_text == original.patient_text()
    assert "Up to date" in page_text(reviewer_client, change_url(translation))
    assert "Cifoplastia" in page_text(
        reviewer_client, changelist(translation="current")
    )


def test_a_new_review_date_alone_clears_out_of_date(
    reviewer_client, original, translation
):
    """The original's change needed no new words: the reviewer confirms by date."""
    with day(5):
        publish(reviewer_client, original, hero_caption="A new caption")
    page = page_text(reviewer_client, change_url(translation))
    assert "OUT OF DATE" in page
    assert "The original's words are the same as at the review" in page
    with day(8):
        data = article_form(reviewer_client, translation)
        data["reviewed_at"] = (START + timedelta(days=8)).date().isoformat()
        assert_saved(post_article(reviewer_client, translation, data))
    translation.refresh_from_db()
    assert not translation.is_out_of_date


def test_a_second_re_review_on_the_same_day_clears_out_of_date(
    reviewer_client, original, translation
):
    """The review date stays the same: the reviewer's changed text is the sign-off."""
    for hour, english, spanish in [
        (0, "<p>Changed advice.</p>", "<p>Consejo cambiado.</p>"),
        (2, "<p>Changed again.</p>", "<p>Cambiado otra vez.</p>"),
    ]:
        with day(5, hours=hour):
            publish(reviewer_client, original, introduction=english)
        translation.refresh_from_db()
        assert translation.is_out_of_date
        with day(5, hours=hour + 1):
            data = article_form(reviewer_client, translation)
            data["introduction"] = spanish
            assert_saved(post_article(reviewer_client, translation, data))
        translation.refresh_from_db()
        assert translation.reviewed_at == (START + timedelta(days=5)).date()
        assert not translation.is_out_of_date, hour


def test_approving_a_translation_in_review_clears_out_of_date(
    reviewer_client, editor, original, translation
):
    editor_client = Client()  # the reviewer_client fixture is the same client
    editor_client.force_login(editor)
    with day(5):
        publish(reviewer_client, original, introduction="<p>Changed advice.</p>")
    with day(6):
        data = article_form(editor_client, translation)
        data.update(status=Status.IN_REVIEW)
        assert_saved(post_article(editor_client, translation, data))
        data = article_form(editor_client, translation)
        data["introduction"] = "<p>Consejo cambiado.</p>"
        assert_saved(post_article(editor_client, translation, data))
    translation.refresh_from_db()
    assert translation.is_out_of_date  # an editor's save is no review
    with day(7):
        publish(reviewer_client, translation)
    assert not translation.is_out_of_date


# --- Spanish readability -------------------------------------------------------------------

PLAIN_SPANISH = (
    "<p>La cifoplastia arregla un hueso roto de la espalda. El médico pone un "
    "globo en el hueso. Luego pone cemento. Casi siempre vuelve a casa el mismo "
    "día. Camine un poco cada día.</p>"
)
HARD_SPANISH = (
    "<p>La vertebroplastia percutánea constituye un procedimiento terapéutico "
    "mínimamente invasivo, caracterizado por la inyección intraósea de "
    "polimetilmetacrilato bajo control fluoroscópico, particularmente indicado en "
    "fracturas osteoporóticas sintomáticas refractarias al tratamiento "
    "conservador convencional.</p>"
)


def test_spanish_articles_are_measured_with_spanish_formulas():
    spanish = ArticleFactory(
        language="es", title="Cifoplastia", subtitle="", introduction=PLAIN_SPANISH
    )
    english = ArticleFactory(introduction="<p>The bone is broken. Rest helps.</p>")
    measured = readability.measurer("es")
    text = readability.prepared(spanish.search_text)
    assert spanish.fernandez_huerta == round(measured.fernandez_huerta(text), 1)
    assert spanish.szigriszt_pazos == round(measured.szigriszt_pazos(text), 1)
    assert spanish.fernandez_huerta >= readability.SPANISH_TARGET_EASE
    assert spanish.reading_grade is None and spanish.smog_grade is None
    assert english.reading_grade is not None and english.fernandez_huerta is None
    # Changing the language picks the other formulas on the next save.
    english.language = "es"
    english.save()
    assert english.reading_grade is None and english.fernandez_huerta is not None


def test_measuring_spanish_leaves_textstats_shared_language_alone():
    english_text = "The procedure takes about an hour. Most people go home."
    before = textstat.flesch_reading_ease(english_text)
    readability.reading_level(HARD_SPANISH, "es")
    readability.hard_words(HARD_SPANISH, language="es")
    assert textstat.flesch_reading_ease(english_text) == before
    assert readability.reading_level(english_text)["reading_grade"] is not None


def test_spanish_figures_are_shown_and_flagged_like_the_english_grade(reviewer_client):
    GlossaryTerm.objects.create(
        term="vertebroplastia", definition="Cemento en el hueso.", language="es"
    )
    ArticleFactory(title="Fácil", language="es", introduction=PLAIN_SPANISH)
    hard = ArticleFactory(title="Difícil", language="es", subtitle="")
    listing = page_text(reviewer_client, changelist())
    assert "FH " in listing and "SP " in listing
    assert listing.count("⚠") == 0

    data = article_form(reviewer_client, hard)
    data["introduction"] = HARD_SPANISH
    response = post_article(reviewer_client, hard, data)
    assert_saved(response)
    hard.refresh_from_db()
    assert hard.fernandez_huerta < readability.SPANISH_WARNING_EASE
    listing = reviewer_client.get(response["Location"]).content.decode()
    assert "on the Fernández-Huerta scale" in listing  # the warning after saving
    assert listing.count("⚠") == 1
    page = page_text(reviewer_client, change_url(hard))
    report = page[page.index('class="reading-level"') :]
    report = report[: report.index("</div>")]
    assert f"Fernández-Huerta reading ease: {hard.fernandez_huerta}" in report
    assert f"Szigriszt-Pazos perspicuity: {hard.szigriszt_pazos}" in report
    assert "(very difficult)" in report
    assert "Flesch–Kincaid" not in report
    assert "aim for 70 or above" in report
    hard_words = report[report.index("does not explain") :]
    assert "polimetilmetacrilato" in hard_words
    assert "vertebroplastia" not in hard_words  # the Spanish glossary explains it


def test_a_plain_spanish_article_reads_fairly_easy_in_the_panel(reviewer_client):
    article = ArticleFactory(title="Fácil", language="es", introduction=PLAIN_SPANISH)
    page = page_text(reviewer_client, change_url(article))
    report = page[page.index('class="reading-level"') :]
    assert "Good: 70 or above" in report
    assert "(very easy)" in report or "(easy)" in report
