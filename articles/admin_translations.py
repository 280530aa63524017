"""
Translations in the admin: start one from its original (a button on the change
form, an action in the list, then a confirmation page), and see whether a
reviewed translation still matches its original and what changed there since.
"""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin_scope import managed_practice_ids
from .translations import (
    TranslationRefused,
    check_translatable,
    guide_translation,
    language_name,
    translate_article,
)

# Unchanged words kept on each side of a change in the diff of the original.
CONTEXT_WORDS = 12


def translation_languages():
    """The languages translations are made into: every site language but the default."""
    return [
        code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


def state_of(article):
    """'original', 'unreviewed', 'outdated' or 'current' (reviewed and up to date)."""
    if not article.translation_of_id:
        return "original"
    if article.source_updated_at is None:
        return "unreviewed"
    return "outdated" if article.is_out_of_date else "current"


def local_date(moment):
    return formats.date_format(timezone.localtime(moment))


def state_label(article):
    """How the article list and the change form name a translation's state."""
    state = state_of(article)
    if state == "outdated":
        return _("OUT OF DATE: original changed on %(date)s") % {
            "date": local_date(article.translation_of.content_updated_at)
        }
    return {
        "original": "—",
        "unreviewed": _("not yet reviewed"),
        "current": _("up to date"),
    }[state]


def readable_changes(pieces, context=CONTEXT_WORDS):
    """
    word_diff() pieces with long unchanged stretches cut down to the words next
    to a change, the cut marked as a "gap"; [] when no word changed.
    """
    if all(op == "equal" for op, _text in pieces):
        return []
    shown = []
    for index, (op, text) in enumerate(pieces):
        words = text.split()
        if op != "equal" or len(words) <= 2 * context:
            shown.append((op, text))
            continue
        head = words[:context] if index > 0 else []
        tail = words[-context:] if index < len(pieces) - 1 else []
        if head:
            shown.append(("equal", " ".join(head)))
        shown.append(("gap", "…"))
        if tail:
            shown.append(("equal", " ".join(tail)))
    return shown


class TranslationStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("original", gettext_lazy("Originals")),
            ("current", gettext_lazy("Up to date")),
            ("outdated", gettext_lazy("Out of date")),
            ("unreviewed", gettext_lazy("Not yet reviewed")),
        ]

    def queryset(self, request, queryset):
        translations = queryset.filter(translation_of__isnull=False)
        if self.value() == "original":
            return queryset.filter(translation_of__isnull=True)
        if self.value() == "outdated":
            return queryset.out_of_date()
        if self.value() == "current":
            return translations.filter(
                source_updated_at__isnull=False,
                translation_of__content_updated_at__lte=F("source_updated_at"),
            )
        if self.value() == "unreviewed":
            return translations.filter(source_updated_at__isnull=True)
        return queryset


class TranslationAdminMixin:
    """
    "Create the Spanish translation" of an original: a link on its change form,
    an action in its list and a confirmation page that makes the copy on POST.
    Subclasses say how the copy is made (make_translation).
    """

    translate_template = "admin/articles/translate_confirm.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.translate_view),
                name=f"{prefix}_translate",
            )
        ] + super().get_urls()

    def translation_url(self, view, *args):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}",
            args=args,
        )

    def may_translate(self, request, original):
        """Adding is allowed, and for practice content, in the original's practice."""
        if not self.has_add_permission(request):
            return False
        practice_ids = managed_practice_ids(request.user)
        if practice_ids is None or not hasattr(original, "practice_id"):
            return True
        return original.practice_id in practice_ids

    # --- Extension points ---------------------------------------------------------

    def check_may_create(self, request, original, language):
        """Raise TranslationRefused for what only this kind of object needs."""

    def translation_form(self, request, original, language):
        """The form of the confirmation page: what the editor must say first."""
        return forms.Form

    def make_translation(self, request, original, language, cleaned_data):
        raise NotImplementedError

    def consequences(self, request, original, language):
        """What confirming will do, one sentence each, for the confirmation page."""
        return []

    def made_message(self, translation, original, language):
        raise NotImplementedError

    # --- Views --------------------------------------------------------------------

    def refuse(self, request, refusal):
        if refusal.existing is None:
            messages.error(request, refusal.message)
            return
        messages.error(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                refusal.message,
                self.translation_url("change", quote(refusal.existing.pk)),
                _("Open the translation"),
            ),
        )

    def translate_view(self, request, object_id, language):
        """GET asks for confirmation (and what the copy needs); POST makes the copy."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        original = self.get_object(request, unquote(object_id))  # within the scope
        if original is None or language not in dict(settings.LANGUAGES):
            raise Http404
        if not self.may_translate(request, original):
            raise PermissionDenied
        back = self.translation_url("change", quote(original.pk))
        try:
            check_translatable(original, language)
            self.check_may_create(request, original, language)
        except TranslationRefused as refusal:
            self.refuse(request, refusal)
            return redirect(back)
        form_class = self.translation_form(request, original, language)
        form = form_class(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    reversion.set_comment(
                        _("Started as the %(language)s translation of “%(original)s”.")
                        % {"language": language_name(language), "original": original}
                    )
                    translation = self.make_translation(
                        request, original, language, form.cleaned_data
                    )
            except TranslationRefused as refusal:  # made by someone else meanwhile
                self.refuse(request, refusal)
                return redirect(back)
            messages.success(
                request, self.made_message(translation, original, language)
            )
            return redirect(self.translation_url("change", quote(translation.pk)))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": original,
            "title": _("Create the %(language)s translation")
            % {"language": language_name(language)},
            "subtitle": str(original),
            "form": form,
            "consequences": self.consequences(request, original, language),
            "cancel_url": back,
        }
        return TemplateResponse(request, self.translate_template, context)

    def translation_tools(self, request, obj):
        """Object-tools links: to the original, to each translation, or to make one."""
        if obj is None:
            return []
        if obj.translation_of_id:
            return [
                (
                    self.translation_url("change", quote(obj.translation_of_id)),
                    _("Open the original"),
                )
            ]
        existing = {item.language: item for item in obj.translations.all()}
        tools = []
        for language in translation_languages():
            name = language_name(language)
            if language in existing:
                url = self.translation_url("change", quote(existing[language].pk))
                label = _("Open the %(language)s translation") % {"language": name}
            elif language != obj.language and self.may_translate(request, obj):
                url = self.translation_url("translate", quote(obj.pk), language)
                label = _("Create the %(language)s translation") % {"language": name}
            else:
                continue
            tools.append((url, label))
        return tools

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "translation_tools": self.translation_tools(request, obj),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_add_permission(request):
            return actions
        for language in translation_languages():
            name = f"translate_into_{language}"
            description = _("Create the %(language)s translation (select one)") % {
                "language": language_name(language)
            }
            actions[name] = (self.translation_action(language), name, description)
        return actions

    @staticmethod
    def translation_action(language):
        def start_translation(modeladmin, request, queryset):
            # Each translation is confirmed on its own page, one original at a time.
            if queryset.count() != 1:
                modeladmin.message_user(
                    request,
                    _(
                        "Select one item: each translation is started and "
                        "confirmed on its own page."
                    ),
                    messages.WARNING,
                )
                return None
            return redirect(
                modeladmin.translation_url(
                    "translate", quote(queryset.get().pk), language
                )
            )

        return start_translation


class ArticleTranslationAdminMixin(TranslationAdminMixin):
    """Article translations: made as drafts; their state against the original."""

    def check_may_create(self, request, original, language):
        if guide_translation(original.guide, language) is None and not (
            request.user.has_perm("articles.add_guide")
        ):
            raise TranslationRefused(
                _(
                    "The guide “%(guide)s” has no %(language)s version yet, and only "
                    "site editors may start one. Ask a site editor to create this "
                    "translation: the %(language)s guide is made with it."
                )
                % {"guide": original.guide, "language": language_name(language)}
            )

    def translation_form(self, request, original, language):
        if guide_translation(original.guide, language) is not None:
            return forms.Form
        name = language_name(language)

        class GuideTitleForm(forms.Form):
            """The guide's title in the new language, for its draft version."""

            guide_title = forms.CharField(
                label=_("Title of the %(language)s guide") % {"language": name},
                max_length=200,
                help_text=_(
                    "“%(title)s” in %(language)s. The guide is created as a draft: "
                    "translate its summary and introduction under Guides before "
                    "publishing it."
                )
                % {"title": original.guide.title, "language": name},
            )

        return GuideTitleForm

    def consequences(self, request, original, language):
        name = language_name(language)
        guide = guide_translation(original.guide, language)
        return [
            _(
                "A new draft article in %(language)s, a copy of “%(title)s” with its "
                "hero image, steps, key facts and references, for you to translate."
            )
            % {"language": name, "title": original},
            _("It is placed in the guide “%(guide)s”.") % {"guide": guide}
            if guide
            else _(
                "The guide has no %(language)s version yet: one is created as a "
                "draft, under the title you give below."
            )
            % {"language": name},
            _(
                "It has no medical review: patients see it only once a medical "
                "reviewer publishes it. “%(title)s” itself does not change."
            )
            % {"title": original},
        ]

    def make_translation(self, request, original, language, cleaned_data):
        guide_was_missing = guide_translation(original.guide, language) is None
        translation = translate_article(
            original,
            language,
            guide_title=cleaned_data.get("guide_title", ""),
            user=request.user,
        )
        translation.guide_was_missing = guide_was_missing  # for made_message
        return translation

    def made_message(self, translation, original, language):
        message = _(
            "“%(title)s” is a draft %(language)s translation of “%(original)s”. "
            "Translate its text, steps, key facts and references, then send it for "
            "medical review: patients see it only once a reviewer publishes it."
        ) % {
            "title": translation,
            "language": language_name(language),
            "original": original,
        }
        if translation.guide_was_missing:
            message += " " + _(
                "The guide “%(guide)s” was created as a draft too: translate its "
                "summary and introduction, and publish it with its first article."
            ) % {"guide": translation.guide}
        return message

    # --- The article list and change form ----------------------------------------

    @admin.display(description=gettext_lazy("translation"))
    def translation_state(self, obj):
        label = state_label(obj)
        if state_of(obj) == "outdated":
            return format_html('<strong style="color: #ba2121">{}</strong>', label)
        return label

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_report"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not (obj.translation_of_id or obj.translations.exists()):
            return fieldsets
        # Right after the text, where the editor translating it will look.
        section = (_("Translation"), {"fields": ["translation_report"]})
        return [*fieldsets[:1], section, *fieldsets[1:]]

    @admin.display(description=gettext_lazy("translation"))
    def translation_report(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        if obj.translation_of_id:
            original = obj.translation_of
            context = {
                "original": original,
                "original_url": self.translation_url("change", quote(original.pk)),
                "language": language_name(obj.language),
                "state": state_of(obj),
                "original_changed_on": local_date(original.content_updated_at),
                "reviewed_on": formats.date_format(obj.reviewed_at)
                if obj.reviewed_at
                else "",
                "changes": readable_changes(obj.original_changes())
                if obj.is_out_of_date
                else [],
            }
        else:
            context = {
                "translations": [
                    {
                        "article": translation,
                        "url": self.translation_url("change", quote(translation.pk)),
                        "state": state_label(translation),
                        "outdated": state_of(translation) == "outdated",
                    }
                    for translation in obj.translations.select_related(
                        "translation_of"
                    ).order_by("language")
                ]
            }
        # The template escapes what it shows; its own markup is trusted.
        return mark_safe(  # noqa: S308
            render_to_string("admin/articles/article/translation.html", context)
        )
