from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from .admin_history import ArticleHistoryAdminMixin
from .forms import (
    ArticleAdminForm,
    ArticleFactForm,
    ArticleOrderForm,
    ArticleReferenceForm,
    ArticleStepForm,
    ImageAdminForm,
    PositionFormMixin,
)
from .models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    Doctor,
    Guide,
    Image,
    Location,
    Practice,
)
from .ordering import close_gaps, place_at, save_in_order

admin.site.site_header = _("KyphoInfo editors")
admin.site.site_title = _("KyphoInfo admin")
admin.site.index_title = _("Patient guides")


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


class StepInline(admin.StackedInline):
    model = ArticleStep
    form = ArticleStepForm
    extra = 0
    fields = ["order", "heading", "body"]
    verbose_name = _("step")
    verbose_name_plural = _(
        "Steps (numbered in the order given; change the numbers to reorder)"
    )


class FactInline(admin.TabularInline):
    model = ArticleFact
    form = ArticleFactForm
    extra = 0
    fields = ["order", "key", "label", "value", "source"]


class ReferenceInline(admin.TabularInline):
    model = ArticleReference
    form = ArticleReferenceForm
    extra = 0
    fields = ["order", "citation", "url"]


@admin.register(Article)
class ArticleAdmin(ArticleHistoryAdminMixin, OrderedInlinesMixin, VersionAdmin):
    form = ArticleAdminForm
    inlines = [StepInline, FactInline, ReferenceInline]
    list_display = [
        "title",
        "guide",
        "position",
        "status",
        "reviewed_by",
        "reviewed_at",
        "content_updated_at",
    ]
    list_display_links = ["title"]
    list_filter = ["status", "guide", "language", "practice", "reviewed_by"]
    search_fields = ["title", "subtitle", "teaser", "slug", "guide__title"]
    list_select_related = ["guide", "reviewed_by"]
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
    readonly_fields = ["content_updated_at", "hero_preview"]
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": [
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

    def save_model(self, request, obj, form, change):
        previous_guide_id = form.initial.get("guide") if change else None
        wanted = form.wanted_position
        if wanted is None and change and previous_guide_id == obj.guide_id:
            wanted = obj.position
        place_at(obj, wanted, Article.objects.filter(guide=obj.guide_id))
        if previous_guide_id and previous_guide_id != obj.guide_id:
            close_gaps(Article.objects.filter(guide_id=previous_guide_id))

    def after_ordered_formset(self, formset):
        if formset.has_changed():
            formset.instance.mark_content_changed()


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


@admin.register(Guide)
class GuideAdmin(OrderedInlinesMixin, VersionAdmin):
    inlines = [ArticleOrderInline]
    list_display = [
        "title",
        "status",
        "language",
        "article_count",
        "position",
        "updated_at",
    ]
    list_filter = ["status", "language", "practice"]
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

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    fields = ["position", "name", "address", "phone", "opening_hours"]


@admin.register(Practice)
class PracticeAdmin(VersionAdmin):
    inlines = [LocationInline]
    list_display = ["name", "doctor_count", "website", "is_example", "updated_at"]
    list_filter = ["is_example"]
    search_fields = ["name", "description", "locations__address"]
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

    @admin.display(description=_("doctors"), ordering="doctor_total")
    def doctor_count(self, obj):
        return obj.doctor_total


@admin.register(Doctor)
class DoctorAdmin(VersionAdmin):
    list_display = [
        "display_name",
        "credentials",
        "specialty",
        "practice_names",
        "is_example",
    ]
    list_filter = ["practices", "is_example"]
    search_fields = ["name", "specialty", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    filter_horizontal = ["practices"]
    fieldsets = [
        (
            None,
            {"fields": ["honorific", "name", "slug", "credentials", "specialty"]},
        ),
        (None, {"fields": ["biography", "photo", "practices"]}),
        (_("Advanced"), {"classes": ["collapse"], "fields": ["is_example"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("practices")

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
class ImageAdmin(VersionAdmin):
    form = ImageAdminForm
    list_display = ["title", "thumbnail", "alt_text", "dimensions", "created_at"]
    list_filter = ["practice"]
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
