from django.contrib import admin, messages
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from reversion.admin import VersionAdmin

from . import readability
from .admin_audit import AuditedDeletionMixin
from .admin_facts import ArticleFactFormSet, FactTokensAdminMixin
from .admin_history import ArticleHistoryAdminMixin
from .admin_preview import ArticlePreviewAdminMixin
from .admin_scope import (
    PracticeInviteAdminMixin,
    PracticeScopedAdminMixin,
    managed_practice_ids,
)
from .admin_share import PracticeShareAdminMixin
from .admin_translations import ArticleTranslationAdminMixin, TranslationStateFilter
from .forms import (
    ArticleAdminForm,
    ArticleContentFormSet,
    ArticleFactForm,
    ArticleOrderForm,
    ArticleReferenceForm,
    ArticleStepForm,
    ImageAdminForm,
    PositionFormMixin,
    can_publish,
)
from .models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    AuditEvent,
    Doctor,
    GlossaryTerm,
    Guide,
    Image,
    Location,
    Practice,
    PracticeMembership,
    Status,
)
from .ordering import close_gaps, place_at, save_in_order


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 30 days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.due_for_review(today)
        if self.value() == "soon":
            return queryset.due_for_review(today + timezone.timedelta(days=30)).filter(
                review_due_on__gt=today
            )
        return queryset


class OrderedInlinesMixin:
    """Save inlines whose forms use PositionFormMixin so positions stay 1..n."""

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.form, PositionFormMixin):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        deleted = {id(obj) for obj in formset.deleted_objects}
        kept = [
            (index, row)
            for index, row in enumerate(formset.forms)
            if id(row.instance) not in deleted
            and (row.instance.pk or row.has_changed())
            and not formset._should_delete_form(row)
        ]
        # Rows the editor renumbered go before rows that merely kept the same
        # number, so typing 1 into the last step moves it to the top.
        kept.sort(
            key=lambda item: (
                item[1].wanted_position or item[1].instance.position or 10**6,
                "order" not in item[1].changed_data,
                item[0],
            )
        )
        siblings = formset.model.objects.filter(**{formset.fk.name: formset.instance})
        save_in_order(
            [row.instance for _index, row in kept],
            siblings,
            changed=[row.instance for _index, row in kept if row.has_changed()],
        )
        formset.save_m2m()
        self.after_ordered_formset(formset)

    def after_ordered_formset(self, formset):
        pass


class ArticleContentInlineMixin:
    """Binds the editing user to the formset, which guards approved content."""

    formset = ArticleContentFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})


class StepInline(ArticleContentInlineMixin, admin.StackedInline):
    model = ArticleStep
    form = ArticleStepForm
    extra = 0
    fields = ["order", "heading", "body"]
    verbose_name = _("step")
    verbose_name_plural = _(
        "Steps (numbered in the order given; change the numbers to reorder)"
    )


class FactInline(ArticleContentInlineMixin, admin.TabularInline):
    model = ArticleFact
    form = ArticleFactForm
    formset = ArticleFactFormSet  # refuses text naming a fact the article lacks
    extra = 0
    fields = ["order", "key", "label", "value", "source"]


class ReferenceInline(ArticleContentInlineMixin, admin.TabularInline):
    model = ArticleReference
    form = ArticleReferenceForm
    extra = 0
    fields = ["order", "citation", "url"]


@admin.register(Article)
class ArticleAdmin(
    PracticeScopedAdminMixin,
    ArticleTranslationAdminMixin,
    ArticlePreviewAdminMixin,
    ArticleHistoryAdminMixin,
    AuditedDeletionMixin,
    FactTokensAdminMixin,
    OrderedInlinesMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    inlines = [StepInline, FactInline, ReferenceInline]
    list_display = [
        "title",
        "guide",
        "position",
        "status",
        "reviewed_by",
        "reviewed_at",
        "review_due",
        "reading_level",
        "translation_state",
        "content_updated_at",
    ]
    list_display_links = ["title"]
    # Only related rows are offered, so a practice editor's filters name no
    # other practice and no other practice's doctor.
    list_filter = [
        "status",
        ReviewDueFilter,
        ("guide", admin.RelatedOnlyFieldListFilter),
        "language",
        TranslationStateFilter,
        ("practice", admin.RelatedOnlyFieldListFilter),
        ("reviewed_by", admin.RelatedOnlyFieldListFilter),
    ]
    practice_scope = "practice"
    search_fields = ["title", "subtitle", "teaser", "slug", "guide__title"]
    list_select_related = ["guide", "reviewed_by", "translation_of"]
    list_per_page = 50
    ordering = ["guide__title", "position"]
    autocomplete_fields = [
        "guide",
        "hero_image",
        "reviewed_by",
        "practice",
        "translation_of",
    ]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "content_updated_at",
        "updated_by",
        "hero_preview",
        "reading_level_report",
    ]
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "seen_version",
                    "guide",
                    "order",
                    "title",
                    "subtitle",
                    "slug",
                    "teaser",
                    "introduction",
                ]
            },
        ),
        (_("Hero image"), {"fields": ["hero_image", "hero_preview", "hero_caption"]}),
        (
            _("Steps, closing and safety"),
            {"fields": ["steps_heading", "closing", "safety_notice"]},
        ),
        (_("Plain language"), {"fields": ["reading_level_report"]}),
        (
            _("Review and publishing"),
            {
                "fields": [
                    "status",
                    "reviewed_by",
                    "reviewed_at",
                    "publish_at",
                    "unpublish_at",
                    "practice",
                    "content_updated_at",
                    "updated_by",
                ]
            },
        ),
        (
            _("Advanced"),
            {
                "classes": ["collapse"],
                "fields": ["review_interval_months", "language", "translation_of"],
            },
        ),
    ]

    @admin.display(description=_("preview"))
    def hero_preview(self, obj):
        return image_thumbnail(obj.hero_image)

    @admin.display(description=_("review due"), ordering="review_due_on")
    def review_due(self, obj):
        if not obj.review_due_on:
            return "–"
        if obj.status == Status.PUBLISHED and obj.review_due_on <= timezone.localdate():
            return format_html(
                '<strong style="color: #ba2121">{} {}</strong>',
                _("Overdue since"),
                formats.date_format(obj.review_due_on),
            )
        return formats.date_format(obj.review_due_on)

    def public_pages(self, article):
        return [article.get_absolute_url()] if article.is_published else []

    @admin.display(description=_("reading level"), ordering="reading_grade")
    def reading_level(self, obj):
        if obj.language == "es" and obj.fernandez_huerta is not None:
            # Ease scores: 0–100, higher is easier (not grades).
            text = _("FH %(fh)s · SP %(sp)s") % {
                "fh": obj.fernandez_huerta,
                "sp": obj.szigriszt_pazos,
            }
        elif obj.language != "es" and obj.reading_grade is not None:
            text = _("FK %(fk)s · SMOG %(smog)s") % {
                "fk": obj.reading_grade,
                "smog": obj.smog_grade,
            }
        else:
            return "–"
        if readability.too_hard(obj):
            return format_html('<strong style="color: #ba2121">⚠ {}</strong>', text)
        return text

    @admin.display(description=_("reading level"))
    def reading_level_report(self, obj):
        if obj is None or (obj.reading_grade is None and obj.fernandez_huerta is None):
            return _("Measured when the article is saved.")
        known = [
            word
            for term in GlossaryTerm.objects.filter(language=obj.language)
            for word in " ".join(term.names).split()
        ]
        context = {
            "article": obj,
            "spanish": obj.language == "es",
            "too_hard": readability.too_hard(obj),
            "minutes": readability.reading_minutes(obj.word_count),
            "longest": readability.longest_sentences(obj.search_text),
            "hard_words": readability.hard_words(
                obj.search_text, known=known, language=obj.language
            ),
            "hard_syllables": readability.hard_syllables(obj.language),
            "warning_grade": readability.WARNING_GRADE,
            "warning_ease": readability.SPANISH_WARNING_EASE,
            "target_ease": readability.SPANISH_TARGET_EASE,
        }
        if context["spanish"]:
            context["fernandez_huerta_band"] = readability.ease_band(
                obj.fernandez_huerta, readability.FERNANDEZ_HUERTA_BANDS
            )
            context["szigriszt_pazos_band"] = readability.ease_band(
                obj.szigriszt_pazos, readability.SZIGRISZT_PAZOS_BANDS
            )
        # The template escapes what it shows; its own markup is trusted.
        return mark_safe(  # noqa: S308
            render_to_string("admin/articles/article/reading_level.html", context)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        previous_guide_id = form.initial.get("guide") if change else None
        wanted = form.wanted_position
        if wanted is None and change and previous_guide_id == obj.guide_id:
            wanted = obj.position
        place_at(obj, wanted, Article.objects.filter(guide=obj.guide_id))
        if previous_guide_id and previous_guide_id != obj.guide_id:
            close_gaps(Article.objects.filter(guide_id=previous_guide_id))
        self.audit_status_change(request, obj, form.stored_status)

    def audit_status_change(self, request, article, stored_status):
        now_published = article.status == Status.PUBLISHED
        if now_published and stored_status != Status.PUBLISHED:
            when = formats.date_format(
                timezone.localtime(article.publish_at), "DATETIME_FORMAT"
            )
            AuditEvent.record(
                request.user,
                AuditEvent.Action.PUBLISHED,
                article,
                _(
                    "Visible to patients from %(when)s; reviewed by %(doctor)s on %(date)s."
                )
                % {
                    "when": when,
                    "doctor": article.reviewed_by,
                    "date": formats.date_format(article.reviewed_at),
                },
            )
        elif stored_status == Status.PUBLISHED and not now_published:
            AuditEvent.record(
                request.user,
                AuditEvent.Action.UNPUBLISHED,
                article,
                _("Status changed to %(status)s.")
                % {"status": article.get_status_display()},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        article.refresh_from_db(
            fields=[
                "reading_grade",
                "smog_grade",
                "fernandez_huerta",
                "szigriszt_pazos",
            ]
        )
        if article.language == "es" and readability.too_hard(article):
            self.message_user(
                request,
                _(
                    "“%(title)s” reads at %(ease)s on the Fernández-Huerta scale "
                    "(Szigriszt-Pazos %(sp)s; higher is easier). Spanish patient "
                    "materials should read at %(limit)s or above, better %(target)s: "
                    "see 'Plain language' for the longest sentences and hardest words."
                )
                % {
                    "title": article,
                    "ease": article.fernandez_huerta,
                    "sp": article.szigriszt_pazos,
                    "limit": readability.SPANISH_WARNING_EASE,
                    "target": readability.SPANISH_TARGET_EASE,
                },
                messages.WARNING,
            )
        elif readability.too_hard(article):
            self.message_user(
                request,
                _(
                    "“%(title)s” reads at grade %(grade)s (SMOG %(smog)s). Patient "
                    "materials should be at grade %(limit)s or below: see 'Plain "
                    "language' for the longest sentences and hardest words."
                )
                % {
                    "title": article,
                    "grade": article.reading_grade,
                    "smog": article.smog_grade,
                    "limit": readability.WARNING_GRADE,
                },
                messages.WARNING,
            )

    def after_ordered_formset(self, formset):
        if not formset.has_changed():
            return
        article = formset.instance
        article.mark_content_changed()
        if article.status == Status.PUBLISHED and can_publish(formset.user):
            # A reviewer changing approved steps or facts signs them off by saving.
            article.reviewed_at = timezone.localdate()
            signed_off = {"reviewed_at": article.reviewed_at}
            if article.translation_of_id:
                article.record_original_reviewed()
                signed_off |= {
                    "source_text": article.source_text,
                    "source_updated_at": article.source_updated_at,
                }
            Article.objects.filter(pk=article.pk).update(**signed_off)


class ArticleOrderInline(admin.TabularInline):
    """The guide's articles in reading order; reorder them by number."""

    model = Article
    form = ArticleOrderForm
    fields = ["order", "title", "status"]
    readonly_fields = ["title", "status"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("Articles in reading order")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        practice_ids = managed_practice_ids(request.user)
        if practice_ids is None:
            return queryset
        return queryset.filter(practice__in=practice_ids)


@admin.register(Guide)
class GuideAdmin(
    PracticeScopedAdminMixin, AuditedDeletionMixin, OrderedInlinesMixin, VersionAdmin
):
    practice_scope = "practice"
    shared_rows_visible = True
    inlines = [ArticleOrderInline]
    list_display = [
        "title",
        "status",
        "language",
        "article_count",
        "position",
        "updated_at",
    ]
    list_filter = ["status", "language", ("practice", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["practice", "translation_of"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "introduction", "status"]}),
        (
            _("Advanced"),
            {
                "classes": ["collapse"],
                "fields": ["position", "practice", "language", "translation_of"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    def public_pages(self, guide):
        if guide.status != Status.PUBLISHED:
            return []
        articles = (
            Article.objects.published().filter(guide=guide).select_related("guide")
        )
        return [guide.get_absolute_url()] + [a.get_absolute_url() for a in articles]

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


class MembershipInline(admin.TabularInline):
    model = PracticeMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name_plural = _("Members who edit this practice")


# The Translation* admins show a field per language in place of each field of
# articles/model_translations.py ("name (English)", "name (Spanish)"), English
# required where the field is. Not the "tabbed" variants: they load jQuery UI
# from another host, which the admin's content security policy refuses.
class LocationInline(TranslationStackedInline):
    model = Location
    extra = 0
    fields = ["position", "name", "address", "phone", "opening_hours"]


@admin.register(Practice)
class PracticeAdmin(
    PracticeShareAdminMixin,
    PracticeInviteAdminMixin,
    PracticeScopedAdminMixin,
    AuditedDeletionMixin,
    TranslationAdmin,
    VersionAdmin,
):
    inlines = [LocationInline, MembershipInline]
    practice_scope = "pk"
    list_display = ["name", "doctor_count", "website", "is_example", "updated_at"]
    list_filter = ["is_example"]
    search_fields = [
        "name",
        "description_en",
        "description_es",
        "locations__address",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["logo"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "logo"]}),
        (_("Links"), {"fields": ["website", "booking_url"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["is_example"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(doctor_total=Count("doctors", distinct=True))
        )

    def public_pages(self, practice):
        return [practice.get_absolute_url()]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            managed_practice_ids(request.user) is None
        )

    def get_inline_instances(self, request, obj=None):
        # Who belongs to a practice is decided by site staff, never by its members.
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if not isinstance(inline, MembershipInline)
            or managed_practice_ids(request.user) is None
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if managed_practice_ids(request.user) is None:
            return fieldsets
        return [fieldset for fieldset in fieldsets if fieldset[0] != _("Advanced")]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is PracticeMembership and formset.has_changed():
            changes = [
                f"{membership.user}: {membership.get_role_display()}"
                for membership in formset.new_objects
                + [c[0] for c in formset.changed_objects]
            ] + [
                f"{membership.user}: removed" for membership in formset.deleted_objects
            ]
            AuditEvent.record(
                request.user,
                AuditEvent.Action.PERMISSIONS,
                form.instance,
                _("Practice members: %(changes)s") % {"changes": "; ".join(changes)},
            )

    @admin.display(description=_("doctors"), ordering="doctor_total")
    def doctor_count(self, obj):
        return obj.doctor_total


@admin.register(Doctor)
class DoctorAdmin(
    PracticeScopedAdminMixin, AuditedDeletionMixin, TranslationAdmin, VersionAdmin
):
    practice_scope = "practices"
    list_display = [
        "display_name",
        "credentials",
        "specialty",
        "practice_names",
        "is_example",
    ]
    list_filter = [("practices", admin.RelatedOnlyFieldListFilter), "is_example"]
    search_fields = ["name", "specialty_en", "specialty_es", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
    filter_horizontal = ["practices"]
    fieldsets = [
        (
            None,
            {"fields": ["honorific", "name", "slug", "credentials", "specialty"]},
        ),
        (None, {"fields": ["biography", "photo", "practices"]}),
        (
            _("Advanced"),
            {"classes": ["collapse"], "fields": ["user", "is_example"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("practices")

    def public_pages(self, doctor):
        return [doctor.get_absolute_url()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if managed_practice_ids(request.user) is None:
            return fieldsets
        # Linking a login to a doctor is for site staff.
        return [fieldset for fieldset in fieldsets if fieldset[0] != _("Advanced")]

    def save_model(self, request, obj, form, change):
        self.hidden_practices = []
        practice_ids = managed_practice_ids(request.user)
        if change and practice_ids is not None:
            # The form offered only the user's practices; keep the doctor's others.
            self.hidden_practices = list(obj.practices.exclude(pk__in=practice_ids))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if self.hidden_practices:
            form.instance.practices.add(*self.hidden_practices)

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description=_("practices"))
    def practice_names(self, obj):
        return ", ".join(practice.name for practice in obj.practices.all())


def image_thumbnail(image):
    if not image or not image.file:
        return "–"
    return format_html(
        '<img src="{}" alt="{}" style="max-width: 240px; height: auto;">',
        image.file.url,
        image.alt_text,
    )


@admin.register(Image)
class ImageAdmin(PracticeScopedAdminMixin, AuditedDeletionMixin, VersionAdmin):
    practice_scope = "practice"
    shared_rows_visible = True
    form = ImageAdminForm
    list_display = ["title", "thumbnail", "alt_text", "dimensions", "created_at"]
    list_filter = [("practice", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "alt_text"]
    readonly_fields = ["thumbnail", "dimensions"]
    fields = ["title", "file", "thumbnail", "dimensions", "alt_text", "practice"]

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "–"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


# Imported for their admin.register side effect.
from . import (  # noqa: E402
    admin_glossary,  # noqa: F401
    admin_redirects,  # noqa: F401
)
