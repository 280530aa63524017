"""
The text patients read on practice and doctor pages, in every language of
settings.LANGUAGES (django-modeltranslation). Practices, locations and doctors
are shared between languages, unlike guides, articles and glossary terms,
which are one row per language.

Each field below gets a column per language (description_en, description_es);
reading `practice.description` gives the active language's text, or the
English text where there is no translation yet (MODELTRANSLATION_FALLBACK_LANGUAGES).
Named in MODELTRANSLATION_TRANSLATION_FILES: articles/translations.py is the
editors' translation workflow, not this.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Doctor, Location, Practice


@register(Practice)
class PracticeTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(Location)
class LocationTranslationOptions(TranslationOptions):
    fields = ("name", "opening_hours")


@register(Doctor)
class DoctorTranslationOptions(TranslationOptions):
    fields = ("specialty", "biography")
