import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    Doctor,
    Guide,
    Image,
    Location,
    Practice,
    Status,
)


def png_bytes(width=40, height=30, color=(20, 120, 200)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Picture {n}")
    alt_text = "Side view of the spine with one flattened bone"
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="picture.png"))


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Spine Practice {n}")
    description = "A spine practice."
    website = "https://practice.example.org/"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    practice = factory.SubFactory(PracticeFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = "Main clinic"
    address = "1 Test Street\nTestville"
    phone = "+1 555 010 0199"
    opening_hours = "Weekdays 9 to 5"


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Doctor

    name = factory.Sequence(lambda n: f"Alex Doctor{n}")
    credentials = "MD"
    specialty = "Spine surgery"


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    title = factory.Sequence(lambda n: f"Guide {n}")
    summary = "A guide for patients."
    introduction = "<p>Welcome to the guide.</p>"
    status = Status.PUBLISHED


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published, reviewed article; pass status=Status.DRAFT etc. for others."""

    class Meta:
        model = Article

    guide = factory.SubFactory(GuideFactory)
    # An article is written in its guide's language.
    language = factory.SelfAttribute("guide.language")
    position = factory.LazyAttribute(
        lambda article: Article.objects.filter(guide=article.guide).count() + 1
    )
    title = factory.Sequence(lambda n: f"Article {n}")
    subtitle = "What you need to know"
    teaser = factory.LazyAttribute(lambda article: f"Teaser of {article.title}.")
    introduction = "<p>An introduction in plain words.</p>"
    closing = "<p>Closing words.</p>"
    status = Status.PUBLISHED
    reviewed_by = factory.SubFactory(DoctorFactory)
    reviewed_at = factory.LazyFunction(timezone.localdate)
    publish_at = factory.LazyFunction(
        lambda: timezone.now() - timezone.timedelta(days=1)
    )


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleStep

    article = factory.SubFactory(ArticleFactory)
    position = factory.LazyAttribute(lambda step: step.article.steps.count() + 1)
    heading = factory.Sequence(lambda n: f"Step heading {n}")
    body = "<p>What happens in this step.</p>"


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleFact

    article = factory.SubFactory(ArticleFactory)
    position = factory.LazyAttribute(lambda fact: fact.article.facts.count() + 1)
    key = factory.Sequence(lambda n: f"fact-{n}")
    label = "How long it takes"
    value = "About half an hour"


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleReference

    article = factory.SubFactory(ArticleFactory)
    position = factory.LazyAttribute(lambda ref: ref.article.references.count() + 1)
    citation = "A trusted source, 2024."
    url = "https://source.example.org/"
