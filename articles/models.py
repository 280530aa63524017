import calendar
import datetime

import reversion
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from . import content_version, images
from .history import word_diff
from .phones import display_phone, normalize_phone
from .readability import reading_level
from .sanitize import clean_html, html_to_text


class RichTextFormField(forms.CharField):
    """Counts as changed only if the cleaned HTML differs, not CKEditor's formatting."""

    def has_changed(self, initial, data):
        return clean_html(initial or "") != clean_html(data or "")


class RichTextField(models.TextField):
    """HTML edited in CKEditor and cleaned against our allow-list on every save."""

    def pre_save(self, model_instance, add):
        cleaned = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, cleaned)
        return cleaned

    def formfield(self, **kwargs):
        # Replaces the admin's default textarea too: rich text is always edited in CKEditor.
        kwargs["widget"] = CKEditor5Widget(config_name="default")
        kwargs["form_class"] = RichTextFormField
        return super().formfield(**kwargs)


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the editor types a bare domain."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


def unique_slug(instance, text, siblings, max_length=80):
    """Slugify `text` and append -2, -3, ... until no other row in `siblings` has it."""
    base = slugify(text)[:max_length].strip("-") or "page"
    others = siblings.exclude(pk=instance.pk) if instance.pk else siblings
    slug, number = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)] + suffix
        number += 1
    return slug


def add_months(day, months):
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 → Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


@reversion.register()
class Image(models.Model):
    """A picture stored only after articles.images has verified and re-encoded it."""

    title = models.CharField(
        _("title"), max_length=200, help_text=_("For finding the image in the admin.")
    )
    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        max_length=200,
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    # Smaller WebP and JPEG/PNG copies, listed on the row so that pages render
    # them without another query: [{"width", "height", "format", "name"}, ...].
    renditions = models.JSONField(default=list, blank=True, editable=False)
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        help_text=_(
            "Describe what the picture shows for people who cannot see it, "
            "e.g. 'Side view of the spine with a collapsed vertebra'."
        ),
    )
    practice = models.ForeignKey(
        "Practice",
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="images",
        help_text=_("Leave empty for images shared by all practices."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="image_alt_text_required"
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # What FileField.pre_save would do, done first: renditions are made
            # from the stored file and named after it.
            self.file.save(self.file.name, self.file.file, save=False)
        stale = []
        if not images.renditions_fit(self.file.name, self.width, self.renditions):
            stale = self.make_renditions()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "renditions"}
        super().save(*args, **kwargs)
        images.delete_on_commit(self.file.storage, stale)

    def make_renditions(self):
        """Make renditions of the current file; return the names of the ones they replace."""
        old = {item["name"] for item in self.renditions}
        self.__dict__.pop("rendition_list", None)
        self.renditions = (
            images.make_renditions(self.file.storage, self.file.name)
            if self.file
            else []
        )
        return old - {item["name"] for item in self.renditions}

    def renditions_missing(self):
        """Whether a rendition is outdated or missing from storage (asks the storage)."""
        return not images.renditions_fit(
            self.file.name, self.width, self.renditions
        ) or not all(self.file.storage.exists(item["name"]) for item in self.renditions)

    @cached_property
    def rendition_list(self):
        storage = self.file.storage
        return [
            images.Rendition(
                item["width"], item["height"], item["format"], storage.url(item["name"])
            )
            for item in self.renditions
        ]

    @property
    def default_rendition(self):
        """The JPEG (PNG if transparent) for link previews and old browsers, or None."""
        return images.default_rendition(self.rendition_list)


@reversion.register(follow=["locations"])
class Practice(models.Model):
    """A medical practice: the owner of doctors, locations and assigned articles."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    description = models.TextField(_("short description"), blank=True)
    logo = models.ForeignKey(
        Image,
        verbose_name=_("photo or logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = HttpsURLField(_("website"), blank=True)
    booking_url = HttpsURLField(_("appointment link"), blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Shown to patients as example data, not a real practice."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        permissions = [
            (
                "manage_all_practices",
                _("Can see and change the content of every practice"),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, Practice.objects.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:practice", kwargs={"slug": self.slug})


@reversion.register()
class Location(models.Model):
    """A place where a practice sees patients."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="locations"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"))
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        help_text=_("Stored as +country code and number, e.g. +15550100100."),
    )
    opening_hours = models.TextField(_("opening hours"), blank=True)

    class Meta:
        ordering = ["practice", "position", "pk"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return f"{self.practice} – {self.name}"

    def save(self, *args, **kwargs):
        # Stored in one form whatever the path (admin, loader, import); the admin
        # has already refused what cannot be read.
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError:
            pass
        super().save(*args, **kwargs)

    def clean(self):
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None

    @property
    def phone_href(self):
        return f"tel:{self.phone}" if self.phone else ""

    @property
    def phone_display(self):
        return display_phone(self.phone)


@reversion.register()
class Doctor(models.Model):
    """A doctor who works at practices and medically reviews articles."""

    honorific = models.CharField(
        _("honorific"), max_length=20, default="Dr.", blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    credentials = models.CharField(
        _("credentials"), max_length=100, blank=True, help_text=_("e.g. MD, DO")
    )
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    biography = models.TextField(_("short biography"), blank=True)
    photo = models.ForeignKey(
        Image,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices"), related_name="doctors", blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="doctor",
        help_text=_(
            "The doctor's own admin login, so their reviews are recorded as theirs."
        ),
    )
    is_example = models.BooleanField(_("example data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, Doctor.objects.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:doctor", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return f"{self.honorific} {self.name}".strip()


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


@reversion.register()
class Guide(models.Model):
    """A series of articles that patients read in order."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, blank=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_(
            "One or two plain sentences, shown in lists and to search engines."
        ),
    )
    introduction = RichTextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order on the home page.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
    )
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("owning practice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guides",
        help_text=_("Leave empty for a guide shared by all practices."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="guide_slug_unique_per_language"
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                self, self.title, Guide.objects.filter(language=self.language)
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # In the guide's own language, whatever language the request is in.
        with translation.override(self.language):
            return reverse("articles:guide", kwargs={"guide_slug": self.slug})

    def get_print_url(self):
        with translation.override(self.language):
            return reverse("articles:guide_print", kwargs={"guide_slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Articles a patient may read at `now`: the single definition used everywhere."""
        now = now or timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Status.PUBLISHED,
            publish_at__lte=now,
            guide__status=Status.PUBLISHED,
        )

    def for_page(self):
        """With everything an article's page shows, in a fixed number of queries."""
        # The children's own Meta.ordering starts with their parent, whose ordering
        # would join the article and guide (or practice) to every prefetch only to
        # sort rows that share one parent; their position alone gives the same order.
        return self.select_related(
            "guide", "hero_image", "reviewed_by", "practice"
        ).prefetch_related(
            models.Prefetch("steps", ArticleStep.objects.order_by("position")),
            models.Prefetch("facts", ArticleFact.objects.order_by("position")),
            models.Prefetch(
                "references", ArticleReference.objects.order_by("position")
            ),
            models.Prefetch(
                "practice__locations", Location.objects.order_by("position", "pk")
            ),
        )

    def next_scheduled_change(self, after):
        """
        The first moment after `after` at which an approved article appears or
        disappears by its publish or unpublish time, or None: when cached pages expire.
        """
        moments = self.filter(status=Status.PUBLISHED).aggregate(
            publish=Min("publish_at", filter=Q(publish_at__gt=after)),
            unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=after)),
        )
        return min(filter(None, moments.values()), default=None)

    def scheduled(self, now=None):
        """Approved articles waiting for their publish time."""
        return self.filter(
            status=Status.PUBLISHED, publish_at__gt=now or timezone.now()
        )

    def due_for_review(self, today=None):
        """Published articles whose medical review interval has run out."""
        return self.filter(
            status=Status.PUBLISHED, review_due_on__lte=today or timezone.localdate()
        )

    def out_of_date(self):
        """Reviewed translations whose original has changed since: is_out_of_date."""
        return self.filter(
            translation_of__isnull=False,
            source_updated_at__isnull=False,
            translation_of__content_updated_at__gt=models.F("source_updated_at"),
        )


@reversion.register(follow=["steps", "facts", "references"])
class Article(models.Model):
    """One page of a guide, medically reviewed before patients may read it."""

    # Fields whose change a patient would notice; changing them moves "Updated on".
    PATIENT_VISIBLE_FIELDS = (
        "title",
        "subtitle",
        "teaser",
        "introduction",
        "hero_image_id",
        "hero_caption",
        "steps_heading",
        "closing",
        "safety_notice",
    )

    guide = models.ForeignKey(
        Guide,
        verbose_name=_("guide"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Reading order within the guide.")
    )
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, blank=True)
    teaser = models.CharField(
        _("teaser"),
        max_length=300,
        help_text=_(
            "One or two plain sentences for lists, 'Continue reading' and search engines."
        ),
    )
    introduction = RichTextField(_("introduction"))
    hero_image = models.ForeignKey(
        Image,
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hero_caption = models.CharField(_("hero caption"), max_length=300, blank=True)
    steps_heading = models.CharField(
        _("heading above the steps"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'The procedure, step by step'. Needed when there are steps."),
    )
    closing = RichTextField(_("closing text"), blank=True)
    safety_notice = RichTextField(
        _("when to call your doctor"),
        blank=True,
        help_text=_("Warning signs that need a call to the doctor or emergency care."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Filled in with the current time when left empty on publishing."),
    )
    unpublish_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Doctor,
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
    )
    reviewed_at = models.DateField(_("medically reviewed on"), null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12
    )
    review_due_on = models.DateField(
        _("review due on"), null=True, blank=True, editable=False
    )
    first_published_at = models.DateTimeField(
        _("first published at"), null=True, blank=True, editable=False
    )
    content_updated_at = models.DateTimeField(
        _("updated on"), default=timezone.now, editable=False
    )
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("responsible practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("Its call to action and contact details close the article."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
    )
    # A translation's review covers the original as it read then: when the
    # original changes afterwards, the translation is out of date, and editors
    # see what changed (original_changes). Patients keep the reviewed text.
    source_text = models.TextField(
        _("original at the translation's review"), blank=True, editable=False
    )
    source_updated_at = models.DateTimeField(
        _("original updated on, at the translation's review"),
        null=True,
        blank=True,
        editable=False,
    )
    # Computed from patient_text() by articles.readability whenever content changes.
    reading_grade = models.FloatField(
        _("reading grade (Flesch–Kincaid)"), null=True, blank=True, editable=False
    )
    smog_grade = models.FloatField(
        _("reading grade (SMOG)"), null=True, blank=True, editable=False
    )
    # Spanish text is measured with formulas made for Spanish (0–100, higher is
    # easier); the English grades above stay empty for it, and the reverse.
    fernandez_huerta = models.FloatField(
        _("reading ease (Fernández-Huerta)"), null=True, blank=True, editable=False
    )
    szigriszt_pazos = models.FloatField(
        _("perspicuity (Szigriszt-Pazos)"), null=True, blank=True, editable=False
    )
    word_count = models.PositiveIntegerField(_("words"), default=0, editable=False)
    # The patient-visible text in one field, for search.
    search_text = models.TextField(blank=True, editable=False)
    # Incremented on every save; the admin refuses an edit based on an older version.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["guide", "position"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish articles and record medical review")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "slug"], name="article_slug_unique_in_guide"
            ),
            models.UniqueConstraint(
                fields=["guide", "position"], name="article_position_unique_in_guide"
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="published_article_is_reviewed",
                violation_error_message=_(
                    "A published article needs the reviewing doctor and the review date."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                self, self.title, Article.objects.filter(guide=self.guide_id)
            )
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.status == Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = self.publish_at
        self.review_due_on = (
            add_months(self.reviewed_at, self.review_interval_months)
            if self.reviewed_at
            else None
        )
        stored = self._stored_values()
        if self.pk and self._patient_visible_fields_changed(stored):
            self.content_updated_at = timezone.now()
        if self.translation_of_id and self._review_recorded(stored):
            self.record_original_reviewed()
        self.set_derived_text()
        if self.pk:
            self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse(
                "articles:article",
                kwargs={"guide_slug": self.guide.slug, "article_slug": self.slug},
            )

    def clean(self):
        if (
            self.publish_at
            and self.unpublish_at
            and self.unpublish_at <= self.publish_at
        ):
            raise ValidationError(
                {
                    "unpublish_at": _(
                        "The unpublish time must be after the publish time."
                    )
                }
            )

    def _stored_values(self):
        """The stored row's patient-visible fields and review, or None for a new article."""
        if not self.pk:
            return None
        return (
            Article.objects.filter(pk=self.pk)
            .values(*self.PATIENT_VISIBLE_FIELDS, "reviewed_at", "status")
            .first()
        )

    def _patient_visible_fields_changed(self, stored):
        if stored is None:
            return True
        return any(
            stored[name] != getattr(self, name) for name in self.PATIENT_VISIBLE_FIELDS
        )

    def _review_recorded(self, stored):
        """Whether this save records a (new) medical review or approval."""
        if not self.reviewed_at:
            return False
        if stored is None or self.source_updated_at is None:
            return True
        # A reviewer changing what patients read in an approved article signs it
        # off by saving, even on the day of the previous review (ArticleAdminForm).
        return (
            stored["reviewed_at"] != self.reviewed_at
            or (
                self.status == Status.PUBLISHED and stored["status"] != Status.PUBLISHED
            )
            or (
                self.status == Status.PUBLISHED
                and self._patient_visible_fields_changed(stored)
            )
        )

    def record_original_reviewed(self):
        """Note that this translation's review covers its original as it reads now."""
        original = self.translation_of
        self.source_text = original.patient_text()
        self.source_updated_at = original.content_updated_at

    @property
    def is_out_of_date(self):
        """A reviewed translation whose original has changed since the review."""
        return bool(
            self.translation_of_id
            and self.source_updated_at
            and self.translation_of.content_updated_at > self.source_updated_at
        )

    def original_changes(self):
        """
        What the original's patient text gained and lost since this translation
        was reviewed, as history.word_diff() pieces.
        """
        if not self.translation_of_id:
            return []
        return word_diff(self.source_text, self.translation_of.patient_text())

    def mark_content_changed(self):
        """Record that patient-visible content outside the article row (steps, facts) changed."""
        self.content_updated_at = timezone.now()
        self.set_derived_text()
        Article.objects.filter(pk=self.pk).update(
            content_updated_at=self.content_updated_at,
            **{name: getattr(self, name) for name in self.DERIVED_TEXT_FIELDS},
        )
        # update() sends no signal; "Updated on" is shown to patients.
        content_version.bump_on_commit()

    DERIVED_TEXT_FIELDS = (
        "search_text",
        "reading_grade",
        "smog_grade",
        "fernandez_huerta",
        "szigriszt_pazos",
        "word_count",
    )

    def set_derived_text(self):
        """Recompute the search text and reading level (by language) from what patients read."""
        self.search_text = self.patient_text()
        for name, value in reading_level(self.search_text, self.language).items():
            setattr(self, name, value)

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
            and self.guide.status == Status.PUBLISHED
        )

    def next_published(self):
        return (
            Article.objects.published()
            .filter(guide=self.guide_id, position__gt=self.position)
            .order_by("position")
            .first()
        )

    def previous_published(self):
        return (
            Article.objects.published()
            .filter(guide=self.guide_id, position__lt=self.position)
            .order_by("-position")
            .first()
        )

    def patient_text(self):
        """The words a patient reads on the page, as plain text (for reading level and search)."""
        from .facts import fill_text  # it imports this module

        # A new article has no steps or facts yet.
        facts = list(self.facts.all()) if self.pk else []
        values = {fact.key: fact.value for fact in facts}

        def text(html):
            # The shared values of the facts the text names ({{ fact:key }}).
            return fill_text(html_to_text(html), values)

        parts = [self.title, self.subtitle, text(self.introduction)]
        parts += [self.steps_heading]
        for step in self.steps.all() if self.pk else []:
            parts += [step.heading, text(step.body)]
        parts.append(text(self.closing))
        for fact in facts:
            parts += [fact.label, fact.value]
        parts.append(text(self.safety_notice))
        return "\n".join(part for part in parts if part)


@reversion.register()
class ArticleStep(models.Model):
    """One step of the procedure an article explains: a heading and a paragraph."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=200)
    body = RichTextField(_("text"))

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="step_position_unique_in_article"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.heading}"

    @property
    def plain_body(self):
        return " ".join(html_to_text(self.body).split())


@reversion.register()
class ArticleFact(models.Model):
    """A key fact closing an article, e.g. 'How long it takes: about half an hour'."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="facts")
    position = models.PositiveIntegerField(_("position"))
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_("A short name for the fact, e.g. 'duration'."),
    )
    label = models.CharField(_("label"), max_length=120)
    value = models.CharField(_("value in plain words"), max_length=300)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("key fact")
        verbose_name_plural = _("key facts")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="fact_position_unique_in_article"
            ),
            models.UniqueConstraint(
                fields=["article", "key"], name="fact_key_unique_in_article"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"

    def save(self, *args, **kwargs):
        # The text names a fact in any case ({{ fact:Duration }}); one spelling.
        self.key = self.key.lower()
        super().save(*args, **kwargs)


class PracticeFactQuerySet(models.QuerySet):
    def signed_off(self):
        """Overrides patients of the practice read: signed off by one of its doctors."""
        return self.filter(signed_by__isnull=False, signed_at__isnull=False)

    def awaiting_sign_off(self):
        """A new value, a keep or a drop that no doctor of the practice has signed yet."""
        return self.exclude(pending=PracticeFact.Pending.NONE)


@reversion.register()
class PracticeFact(models.Model):
    """
    A practice's own value for one key fact of a shared article ("one to two
    hours per treated level"). Its patients read it, instead of the shared
    default, once a doctor of the practice has signed it off; a later change,
    keep or drop waits for the next sign-off while patients go on reading the
    value signed last. The shared default and the text around the fact at
    sign-off are kept, so the practice sees when the shared guide moves on.
    """

    class Pending(models.TextChoices):
        NONE = "", _("Nothing waiting")
        VALUE = "value", _("New value waiting for sign-off")
        KEEP = "keep", _("Keep, waiting for sign-off")
        DROP = "drop", _("Drop, waiting for sign-off")

    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="facts",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("shared article"),
        on_delete=models.CASCADE,
        related_name="practice_facts",
    )
    key = models.SlugField(
        _("fact"), max_length=50, help_text=_("The key of the article's fact.")
    )
    value = models.CharField(
        _("your value in plain words"),
        max_length=300,
        help_text=_("What your patients should read instead of the shared value."),
    )
    pending = models.CharField(
        _("waiting for sign-off"),
        max_length=10,
        choices=Pending.choices,
        default=Pending.VALUE,
        blank=True,
    )
    signed_value = models.CharField(
        _("value patients read"), max_length=300, blank=True, editable=False
    )
    signed_by = models.ForeignKey(
        Doctor,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_facts",
        editable=False,
    )
    signed_at = models.DateTimeField(
        _("signed off on"), null=True, blank=True, editable=False
    )
    default_at_sign_off = models.CharField(
        _("shared value at sign-off"), max_length=300, blank=True, editable=False
    )
    context_at_sign_off = models.TextField(
        _("shared text around the fact at sign-off"), blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeFactQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "article", "key"]
        verbose_name = _("practice fact")
        verbose_name_plural = _("practice facts")
        permissions = [
            ("sign_off_practicefact", _("Can sign off a practice's facts")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "article", "key"],
                name="one_practice_value_per_fact",
            )
        ]

    def __str__(self):
        return f"{self.practice}: {self.key} = {self.signed_value or self.value}"

    @property
    def is_signed_off(self):
        return self.signed_by_id is not None and self.signed_at is not None


@reversion.register()
class ArticleReference(models.Model):
    """A numbered source cited at the end of an article."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveIntegerField(_("position"))
    citation = models.CharField(_("citation"), max_length=500)
    url = HttpsURLField(_("link"), blank=True)

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"],
                name="reference_position_unique_in_article",
            )
        ]

    def __str__(self):
        return self.citation


@reversion.register()
class Redirect(models.Model):
    """An old address that answers 301 with a new one, so printed links keep working."""

    old_path = models.CharField(
        _("old path"),
        max_length=400,
        unique=True,
        help_text=_("A path on this site, e.g. /en/guides/old-name/."),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=500,
        help_text=_(
            "A path on this site, or a full https:// address if marked external."
        ),
    )
    is_external = models.BooleanField(
        _("points to another site"),
        default=False,
        help_text=_(
            "Tick only when the new address is deliberately on another website."
        ),
    )
    is_automatic = models.BooleanField(
        _("made automatically"), default=False, editable=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_path=models.F("new_path")),
                name="redirect_is_not_a_loop",
            )
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


class AuditEvent(models.Model):
    """Who published, unpublished, restored, deleted or changed permissions, and when."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RESTORED = "restored", _("Restored a revision")
        RECOVERED = "recovered", _("Recovered after deletion")
        DELETED = "deleted", _("Deleted")
        PERMISSIONS = "permissions", _("Changed permissions")
        FACT_CHANGED = "fact changed", _("Changed a practice fact")
        FACT_SIGNED = "fact signed", _("Signed off a practice fact")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the trail still names a user who was later deleted.
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300)
    message = models.TextField(_("details"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @classmethod
    def record(cls, actor, action, obj, message=""):
        actor = actor if actor is not None and actor.is_authenticated else None
        return cls.objects.create(
            actor=actor,
            actor_name=actor.get_username() if actor else "",
            action=action,
            content_type=ContentType.objects.get_for_model(obj) if obj.pk else None,
            object_id=str(obj.pk or ""),
            object_repr=str(obj)[:300],
            message=message,
        )


class PracticeMembership(models.Model):
    """A user who edits one practice's profile, doctors and assigned articles."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Practice editor")
        ADMIN = "admin", _("Practice admin (can invite editors)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_memberships",
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.EDITOR
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "user__username"]
        verbose_name = _("practice membership")
        verbose_name_plural = _("practice memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"], name="one_membership_per_practice"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.practice} ({self.get_role_display()})"


class ReferralCount(models.Model):
    """
    How often a practice's short link was opened in a week. Counts only: no
    address, cookie or browser detail of the person is ever stored.
    """

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="referral_counts"
    )
    # "guide:<id>" or "article:<id>": stable across renames of either.
    target = models.CharField(max_length=40)
    week = models.DateField(help_text=_("The Monday the week starts on."))
    opens = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "practice", "target"]
        verbose_name = _("referral count")
        verbose_name_plural = _("referral counts")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "target", "week"],
                name="one_count_per_link_and_week",
            )
        ]

    def __str__(self):
        return f"{self.practice} {self.target} {self.week}: {self.opens}"


@reversion.register()
class GlossaryTerm(models.Model):
    """A medical word explained in plain language, linked where articles use it."""

    term = models.CharField(_("term"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, blank=True, help_text=_("e.g. VCF")
    )
    also_called = models.CharField(
        _("also called"),
        max_length=300,
        blank=True,
        help_text=_("Other names patients may meet, separated by commas."),
    )
    definition = models.TextField(_("plain-language definition"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="glossary_slug_unique_per_language"
            )
        ]

    def __str__(self):
        return f"{self.term} ({self.abbreviation})" if self.abbreviation else self.term

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                self, self.term, GlossaryTerm.objects.filter(language=self.language)
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("articles:glossary") + f"#{self.slug}"

    @property
    def names(self):
        """Every name the term goes by: term, abbreviation and the 'also called' names."""
        others = [name.strip() for name in self.also_called.split(",") if name.strip()]
        return [self.term] + ([self.abbreviation] if self.abbreviation else []) + others
