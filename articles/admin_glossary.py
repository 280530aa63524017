"""Glossary terms in the admin: shared by all practices, so edited by site staff only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from .models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(VersionAdmin):
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
