import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone, translation
from PIL import Image as PillowImage

from articles import facts, share
from articles.demo import content, content_es
from articles.models import (
    Article,
    AuditEvent,
    Doctor,
    GlossaryTerm,
    Guide,
    Image,
    Location,
    Practice,
    PracticeFact,
    Status,
)

pytestmark = pytest.mark.django_db


def load_demo():
    from io import StringIO

    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [
            Guide,
            Article,
            Practice,
            Location,
            Doctor,
            Image,
            GlossaryTerm,
            get_user_model(),
        ]
    }


def test_demo_loads_the_guide_with_three_published_articles(client):
    load_demo()
    guide = Guide.objects.get(slug=content.GUIDE["slug"])
    assert guide.title == "Patients' Guide to Spinal Fractures & Kyphoplasty"
    articles = list(
        Article.objects.published().filter(guide=guide).order_by("position")
    )
    assert [a.slug for a in articles] == [a["slug"] for a in content.ARTICLES]
    how = Article.objects.get(slug="how-balloon-kyphoplasty-works")
    assert how.subtitle == "Step by Step"
    assert how.steps.count() == 5
    assert how.facts.filter(key="duration").exists()
    for article in articles:
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert article.hero_image.alt_text in response.content.decode()


def test_demo_practice_and_doctor_are_marked_as_example_data():
    load_demo()
    assert Practice.objects.get(slug=content.PRACTICE["slug"]).is_example
    doctor = Doctor.objects.get(slug=content.DOCTOR["slug"])
    assert doctor.is_example
    assert doctor.display_name == "Dr. Jordan Example"


def test_demo_images_are_real_processed_pictures():
    load_demo()
    for image in Image.objects.all():
        with PillowImage.open(image.file.path) as picture:
            assert picture.format == "PNG"
            assert picture.size == (image.width, image.height)
        assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.png", image.file.name)


def test_demo_loader_is_idempotent_and_keeps_editors_changes():
    load_demo()
    before = counts()
    article = Article.objects.get(slug="how-balloon-kyphoplasty-works")
    article.title = "Edited by an editor"
    article.save()
    step = article.steps.get(position=1)
    step.heading = "Edited step"
    step.save()
    output = load_demo()
    assert counts() == before
    article.refresh_from_db()
    assert article.title == "Edited by an editor"
    assert article.steps.get(position=1).heading == "Edited step"
    assert article.steps.count() == 5
    assert "0 objects created" in output


def test_demo_editor_gets_a_random_password_shown_once():
    output = load_demo()
    password = re.search(r"password: (\S+)", output).group(1)
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert editor.check_password(password)
    assert len(password) >= 12
    assert "password:" not in load_demo()


def test_each_demo_article_starts_with_a_revision_that_holds_its_steps():
    from reversion.models import Version

    load_demo()
    for article in Article.objects.all():
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 1
        held = versions[0].revision.version_set.filter(
            content_type__model="articlestep",
            object_id__in=[
                str(pk) for pk in article.steps.values_list("pk", flat=True)
            ],
        )
        assert held.count() == article.steps.count() > 0


def test_demo_glossary_is_loaded_once_and_keeps_editors_changes():
    load_demo()
    english = GlossaryTerm.objects.filter(language="en")
    assert english.count() == len(content.GLOSSARY)
    vcf = english.get(abbreviation="VCF")
    assert vcf.term == "vertebral compression fracture" and vcf.language == "en"
    vcf.definition = "Edited by an editor."
    vcf.save()
    english.get(term="osteoporosis").delete()
    load_demo()
    vcf.refresh_from_db()
    assert vcf.definition == "Edited by an editor."
    # A term an editor deleted comes back, like any other demo object.
    assert english.count() == len(content.GLOSSARY)


def test_demo_glossary_terms_are_in_the_loaders_revision():
    from reversion.models import Version

    load_demo()
    term = GlossaryTerm.objects.get(term="kyphoplasty")
    versions = Version.objects.get_for_object(term)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Loaded the demo content."


# --- Spanish ---------------------------------------------------------------------


def test_demo_loads_the_spanish_guide_as_a_published_translation():
    load_demo()
    english = Guide.objects.get(language="en", slug=content.GUIDE["slug"])
    spanish = Guide.objects.get(language="es")
    assert spanish.slug == content_es.GUIDE["slug"]
    assert spanish.title == content_es.GUIDE["title"]
    assert spanish.status == Status.PUBLISHED
    assert spanish.translation_of == english


def test_demo_spanish_articles_translate_the_english_ones_and_are_up_to_date():
    load_demo()
    guide = Guide.objects.get(language="es")
    articles = list(
        Article.objects.published().filter(guide=guide).order_by("position")
    )
    assert [a.slug for a in articles] == [a["slug"] for a in content_es.ARTICLES]
    for article, data in zip(articles, content_es.ARTICLES, strict=True):
        original = article.translation_of
        assert original.language == "en" and original.slug == data["translation_of"]
        assert article.language == "es"
        assert article.title == data["title"]
        assert article.reviewed_by == original.reviewed_by
        assert article.reviewed_at == timezone.localdate()
        assert article.practice == original.practice
        assert not article.is_out_of_date
        # Reviewed against the original as it reads now: editors see no changes.
        assert article.source_text == original.patient_text()
        assert article.steps.count() == len(data["steps"])
        assert list(article.facts.values_list("key", flat=True)) == list(
            original.facts.values_list("key", flat=True)
        )
        # The same drawing, stored again under the Spanish text alternative.
        assert article.hero_image != original.hero_image
        assert article.hero_image.alt_text == data["hero"]["alt"]
        assert original.hero_image.alt_text != data["hero"]["alt"]
        # Measured as Spanish.
        assert article.fernandez_huerta and article.reading_grade is None
    assert not Article.objects.out_of_date().exists()


def test_demo_loads_the_spanish_glossary_as_translations_of_the_english():
    load_demo()
    spanish = GlossaryTerm.objects.filter(language="es")
    assert sorted(spanish.values_list("slug", flat=True)) == sorted(
        term["slug"] for term in content_es.GLOSSARY
    )
    for term in spanish.select_related("translation_of"):
        data = next(t for t in content_es.GLOSSARY if t["slug"] == term.slug)
        assert term.translation_of.language == "en"
        assert term.translation_of.slug == data["translation_of"]
        assert term.definition == data["definition"]


def test_demo_practice_and_doctor_read_in_spanish_too():
    load_demo()
    practice = Practice.objects.get(slug=content.PRACTICE["slug"])
    location = practice.locations.get()
    doctor = Doctor.objects.get(slug=content.DOCTOR["slug"])
    assert practice.description_en == content.PRACTICE["description"]
    assert practice.description_es == content_es.PRACTICE["description"]
    spanish_location = content_es.PRACTICE["locations"][0]
    assert location.name_es == spanish_location["name"]
    assert location.opening_hours_es == spanish_location["opening_hours"]
    assert doctor.specialty_es == content_es.DOCTOR["specialty"]
    assert doctor.biography_es == content_es.DOCTOR["biography"]
    with translation.override("es"):
        assert practice.description == content_es.PRACTICE["description"]
        assert location.name == "Clínica principal"
        assert doctor.biography == content_es.DOCTOR["biography"]
    with translation.override("en"):
        assert practice.description == content.PRACTICE["description"]
        assert location.name == "Main clinic"
        assert doctor.biography == content.DOCTOR["biography"]


def test_demo_loader_keeps_editors_spanish_changes_and_fills_in_what_is_missing():
    load_demo()
    before = counts()
    article = Article.objects.get(slug="como-funciona-la-cifoplastia-con-balon")
    article.title = "Editado por un editor"
    article.save()
    doctor = Doctor.objects.get(slug=content.DOCTOR["slug"])
    doctor.specialty_es = "Columna"
    doctor.save()
    # As on a site whose demo was loaded before it had Spanish text.
    Practice.objects.update(description_es=None)

    output = load_demo()

    assert counts() == before
    assert "0 objects created" in output
    article.refresh_from_db()
    assert article.title == "Editado por un editor"
    doctor.refresh_from_db()
    assert doctor.specialty_es == "Columna"
    assert (
        Practice.objects.get(slug=content.PRACTICE["slug"]).description_es
        == content_es.PRACTICE["description"]
    )


# --- A second example practice with its own facts ---------------------------------

LAKESIDE = content.PRACTICE_2["slug"]
HOW_IT_WORKS = "how-balloon-kyphoplasty-works"
LAKESIDE_VALUES = {
    "duration": "one to two hours per treated level",
    "hospital_stay": "usually one night in hospital",
}


def shared_values(slug):
    """The facts of a demo article as content.py defines them: {key: value}."""
    data = next(article for article in content.ARTICLES if article["slug"] == slug)
    return {fact["key"]: fact["value"] for fact in data["facts"]}


def own_facts(practice_slug):
    return {
        override.key: override
        for override in PracticeFact.objects.filter(practice__slug=practice_slug)
    }


def test_demo_loads_two_example_practices_each_with_its_own_example_doctor(client):
    load_demo()
    practices = Practice.objects.order_by("slug")
    assert [practice.slug for practice in practices] == [
        content.PRACTICE["slug"],
        LAKESIDE,
    ]
    assert all(practice.is_example for practice in practices)
    lakeside = Practice.objects.get(slug=LAKESIDE)
    assert "invented for this demo" in lakeside.description
    assert lakeside.locations.get().name == "Lakeside clinic"
    doctor = lakeside.doctors.get()
    assert doctor.slug == content.DOCTOR_2["slug"]
    assert doctor.is_example and doctor.user is None
    assert list(doctor.practices.all()) == [lakeside]
    with translation.override("es"):
        assert lakeside.description == content_es.PRACTICE_2["description"]
        assert lakeside.locations.get().name == "Clínica del lago"
        assert doctor.biography == content_es.DOCTOR_2["biography"]
    page = client.get(lakeside.get_absolute_url())
    assert page.status_code == 200
    assert "Dr. Riley Sample" in page.content.decode()


def test_the_second_demo_practice_has_signed_off_its_own_kyphoplasty_facts():
    load_demo()
    article = Article.objects.get(language="en", slug=HOW_IT_WORKS)
    doctor = Doctor.objects.get(slug=content.DOCTOR_2["slug"])
    own = own_facts(LAKESIDE)
    assert {key: override.signed_value for key, override in own.items()} == (
        LAKESIDE_VALUES
    )
    shared = shared_values(HOW_IT_WORKS)
    for key, override in own.items():
        assert override.article == article and override.is_signed_off
        assert override.signed_by == doctor
        assert override.value == override.signed_value
        assert override.pending == PracticeFact.Pending.NONE
        # Checked against the shared value and text as they read now.
        assert override.default_at_sign_off == shared[key]
        assert override.context_at_sign_off == facts.shared_context(
            article, article.steps.all(), key
        )
    assert facts.shared_changes(own.values()) == []
    # Everyone else reads the shared values, unchanged.
    assert dict(article.facts.values_list("key", "value")) == shared
    assert own_facts(content.PRACTICE["slug"]) == {}


def test_the_demo_article_reads_each_practices_facts_side_by_side(client):
    load_demo()
    article = Article.objects.get(language="en", slug=HOW_IT_WORKS)
    shared = shared_values(HOW_IT_WORKS)

    def closing(practice_slug=None):
        url = (
            share.short_link(Practice.objects.get(slug=practice_slug), article)
            if practice_slug
            else article.get_absolute_url()
        )
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def sentences(values):
        duration, stay = (
            f'<span class="fact-value">{values[key]}</span>'
            for key in ("duration", "hospital_stay")
        )
        return [
            f"From start to finish, the procedure takes {duration}.",
            f"when you are ready to leave ({stay}).",
        ]

    lakeside = closing(LAKESIDE)
    assert all(sentence in lakeside for sentence in sentences(LAKESIDE_VALUES))
    assert "Facts for Lakeside Spine Clinic checked by Dr. Riley Sample" in lakeside
    for page in (closing(), closing(content.PRACTICE["slug"])):
        assert all(sentence in page for sentence in sentences(shared))
        assert LAKESIDE_VALUES["duration"] not in page
        assert "checked by" not in page


def test_loading_the_demo_again_keeps_the_practices_facts_as_its_editors_left_them():
    load_demo()
    before = counts()
    signed = AuditEvent.objects.filter(action=AuditEvent.Action.FACT_SIGNED)
    assert "0 objects created" in load_demo()
    assert counts() == before
    own = own_facts(LAKESIDE)
    assert len(own) == len(content.FACT_OVERRIDES) == 2
    assert signed.count() == 2
    # The practice changes one value (it waits for sign-off) and drops the other.
    own["duration"].value = "two hours per treated level"
    own["duration"].pending = PracticeFact.Pending.VALUE
    own["duration"].save()
    own["hospital_stay"].delete()

    output = load_demo()

    assert "0 objects created" in output and counts() == before
    after = own_facts(LAKESIDE)
    assert list(after) == ["duration"]
    assert after["duration"].value == "two hours per treated level"
    assert after["duration"].signed_value == LAKESIDE_VALUES["duration"]
    assert after["duration"].pending == PracticeFact.Pending.VALUE
    assert signed.count() == 2


@pytest.mark.parametrize("language", ["en", "es"])
def test_demo_articles_name_facts_in_their_text_that_they_define(language):
    load_demo()
    for article in Article.objects.filter(language=language):
        named = facts.article_keys(article, article.steps.all())
        assert named <= set(article.facts.values_list("key", flat=True)), article
    kyphoplasty = (
        Article.objects.filter(language=language)
        .filter(Q(slug=HOW_IT_WORKS) | Q(translation_of__slug=HOW_IT_WORKS))
        .get()
    )
    assert {"duration", "hospital_stay"} <= facts.article_keys(
        kyphoplasty, kyphoplasty.steps.all()
    )
    assert facts.token("duration") in kyphoplasty.closing
