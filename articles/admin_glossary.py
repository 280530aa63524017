"""Glossary terms in the admin: shared by all practices, so edited by site staff only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from .admin_translations import TranslationAdminMixin
from .models import GlossaryTerm
from .translations import language_name, translate_term


class GlossaryTranslationForm(forms.ModelForm):
    """The term in the new language: terms have no draft, so it is asked for first."""

    class Meta:
        model = GlossaryTerm
        fields = ["term", "abbreviation", "also_called", "definition"]


class GlossaryTranslationAdminMixin(TranslationAdminMixin):
    """Glossary term translations, entered on the confirmation page."""

    def translation_form(self, request, original, language):
        name = language_name(language)

        class Form(GlossaryTranslationForm):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, initial={"abbreviation": original.abbreviation})
                for field_name, field in self.fields.items():
                    value = getattr(original, field_name)
                    field.help_text = (
                        gettext("In %(language)s: “%(value)s”.")
                        % {
                            "language": language_name(original.language),
                            "value": value,
                        }
                        if value
                        else ""
                    )
                self.fields["term"].label = gettext("Term in %(language)s") % {
                    "language": name
                }

        return Form

    def consequences(self, request, original, language):
        return [
            gettext(
                "A %(language)s glossary entry paired with “%(term)s”, with the "
                "words you give below. Patients see it in the %(language)s glossary "
                "as soon as you confirm."
            )
            % {"language": language_name(language), "term": original}
        ]

    def make_translation(self, request, original, language, cleaned_data):
        return translate_term(original, language, **cleaned_data)

    def made_message(self, translation, original, language):
        return gettext(
            "“%(term)s” is the %(language)s glossary entry for “%(original)s”."
        ) % {
            "term": translation,
            "language": language_name(language),
            "original": original,
        }


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(GlossaryTranslationAdminMixin, VersionAdmin):
    # Practice editors have no glossary permission (see signals.py), so they get 403.
    list_display = ["term", "abbreviation", "also_called", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["term", "abbreviation", "also_called", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    fieldsets = [
        (
            None,
            {"fields": ["term", "abbreviation", "also_called", "definition"]},
        ),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["slug", "language"]}),
    ]
