"""
Starting a translation from its original. An article's translation begins as a
draft copy in the other language, which an editor translates and a medical
reviewer approves like any article; nothing here publishes anything.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Article, GlossaryTerm, Guide, Status
from .ordering import place_at


class TranslationRefused(Exception):
    """Why no translation was made; `existing` is the translation already there, if any."""

    def __init__(self, message, existing=None):
        super().__init__(message)
        self.message = message
        self.existing = existing


def language_name(code):
    """The language's name in the reader's language, e.g. 'Spanish'."""
    return str(dict(settings.LANGUAGES)[code])


def check_translatable(original, language):
    """Raise TranslationRefused unless `original` may get a new `language` translation."""
    name = language_name(language)
    if original.translation_of_id:
        raise TranslationRefused(
            _(
                "“%(title)s” is itself a translation. Translations are made from "
                "the original, “%(original)s”."
            )
            % {"title": original, "original": original.translation_of}
        )
    if original.language == language:
        raise TranslationRefused(
            _("“%(title)s” is already in %(language)s.")
            % {"title": original, "language": name}
        )
    existing = original.translations.filter(language=language).first()
    if existing is not None:
        raise TranslationRefused(
            _("“%(title)s” already has a %(language)s translation: “%(existing)s”.")
            % {"title": original, "language": name, "existing": existing},
            existing=existing,
        )


def guide_translation(guide, language):
    """The guide's version in `language` (the guide itself if it is in it), or None."""
    if guide.language == language:
        return guide
    return guide.translations.filter(language=language).first()


def translate_guide(original, language, title):
    """A draft copy of a guide in `language`, under the title the editor translated."""
    return Guide.objects.create(
        title=title,
        summary=original.summary,
        introduction=original.introduction,
        status=Status.DRAFT,
        position=original.position,
        practice=original.practice,
        language=language,
        translation_of=original,
    )


def translated_position(original, guide):
    """
    Where the translation goes in its guide: after the translations of the
    articles that come before the original, so both guides read in one order.
    """
    before = Article.objects.filter(
        guide=guide, translation_of__position__lt=original.position
    ).count()
    return before + 1


@transaction.atomic
def translate_article(original, language, guide_title="", user=None):
    """
    A new draft copy of `original` in `language`, with copies of its steps,
    facts and references, in the guide's `language` version (made as a draft
    titled `guide_title` when there is none). No reviewer, no review date.
    """
    # Locked, so that two editors confirming at once cannot make two copies.
    original = Article.objects.select_for_update().get(pk=original.pk)
    check_translatable(original, language)
    guide = guide_translation(original.guide, language)
    if guide is None:
        guide = translate_guide(original.guide, language, guide_title)
    translation = Article(
        guide=guide,
        title=original.title,
        subtitle=original.subtitle,
        teaser=original.teaser,
        introduction=original.introduction,
        hero_image=original.hero_image,
        hero_caption=original.hero_caption,
        steps_heading=original.steps_heading,
        closing=original.closing,
        safety_notice=original.safety_notice,
        status=Status.DRAFT,
        review_interval_months=original.review_interval_months,
        practice=original.practice,
        language=language,
        translation_of=original,
        updated_by=user,
    )
    place_at(
        translation,
        translated_position(original, guide),
        Article.objects.filter(guide=guide),
    )
    for step in original.steps.all():
        translation.steps.create(
            position=step.position, heading=step.heading, body=step.body
        )
    for fact in original.facts.all():
        translation.facts.create(
            position=fact.position,
            key=fact.key,
            label=fact.label,
            value=fact.value,
            source=fact.source,
        )
    for reference in original.references.all():
        translation.references.create(
            position=reference.position, citation=reference.citation, url=reference.url
        )
    # Search text and reading level, now with the steps and facts.
    translation.save()
    return translation


@transaction.atomic
def translate_term(original, language, **values):
    """
    A glossary term in `language` paired with `original`. Terms have no draft
    state, so the admin asks for the translated words (`values`) first.
    """
    original = GlossaryTerm.objects.select_for_update().get(pk=original.pk)
    check_translatable(original, language)
    return GlossaryTerm.objects.create(
        **{
            "term": original.term,
            "abbreviation": original.abbreviation,
            "also_called": original.also_called,
            "definition": original.definition,
            **values,
        },
        language=language,
        translation_of=original,
    )
