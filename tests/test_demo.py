import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image as PillowImage

from articles.demo import content
from articles.models import Article, Doctor, Guide, Image, Practice

pytestmark = pytest.mark.django_db


def load_demo():
    from io import StringIO

    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Guide, Article, Practice, Doctor, Image, get_user_model()]
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
    assert Practice.objects.get().is_example
    doctor = Doctor.objects.get()
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
    from articles.models import GlossaryTerm

    load_demo()
    assert GlossaryTerm.objects.count() == len(content.GLOSSARY)
    vcf = GlossaryTerm.objects.get(abbreviation="VCF")
    assert vcf.term == "vertebral compression fracture" and vcf.language == "en"
    vcf.definition = "Edited by an editor."
    vcf.save()
    GlossaryTerm.objects.get(term="osteoporosis").delete()
    load_demo()
    vcf.refresh_from_db()
    assert vcf.definition == "Edited by an editor."
    # A term an editor deleted comes back, like any other demo object.
    assert GlossaryTerm.objects.count() == len(content.GLOSSARY)


def test_demo_glossary_terms_are_in_the_loaders_revision():
    from reversion.models import Version

    from articles.models import GlossaryTerm

    load_demo()
    term = GlossaryTerm.objects.get(term="kyphoplasty")
    versions = Version.objects.get_for_object(term)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Loaded the demo content."
