from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from .images import process_image
from .models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    Image,
    Status,
)
from .sanitize import clean_html, images_missing_alt_text


class RichTextFormMixin:
    """Clean every rich-text field server-side and insist on alt text for its images."""

    def clean(self):
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field.widget, CKEditor5Widget) or not cleaned_data.get(
                name
            ):
                continue
            cleaned_data[name] = clean_html(cleaned_data[name])
            missing = images_missing_alt_text(cleaned_data[name])
            if missing:
                self.add_error(
                    name,
                    _(
                        "%(count)s image(s) in this text have no text alternative. "
                        "Select the image and use 'Change image text alternative' "
                        "to describe it."
                    )
                    % {"count": missing},
                )
        return cleaned_data


class PositionFormMixin(forms.Form):
    """
    Edit the position as a plain number. It is not the model field itself: two
    rows may briefly ask for the same number, and the admin saves them 1..n.
    """

    order = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Leave empty to add at the end."),
        widget=forms.NumberInput(attrs={"style": "width: 5em"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position

    @property
    def wanted_position(self):
        return self.cleaned_data.get("order")


def can_publish(user):
    return bool(user and user.has_perm("articles.publish_article"))


LIVE_CONTENT_MESSAGE = _(
    "This article is approved for patients, so only a medical reviewer can change "
    "what patients read in it. Your changes are still in this form: ask a reviewer "
    "to check and save them, or set the status to 'In review' to take the article "
    "off the site while it is checked."
)


class ArticleAdminForm(PositionFormMixin, RichTextFormMixin, forms.ModelForm):
    """The article form, enforcing medical sign-off and refusing stale saves."""

    # The editor replaces the textarea, so the browser must not insist on it.
    use_required_attribute = False
    # Set by ArticleAdmin.get_form to the user editing.
    user = None

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "guide",
            "title",
            "subtitle",
            "slug",
            "teaser",
            "introduction",
            "hero_image",
            "hero_caption",
            "steps_heading",
            "closing",
            "safety_notice",
            "status",
            "reviewed_by",
            "reviewed_at",
            "publish_at",
            "unpublish_at",
            "practice",
            "review_interval_months",
            "language",
            "translation_of",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_status = self.instance.status if self.instance.pk else None
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version
        if not can_publish(self.user):
            for name in ("reviewed_by", "reviewed_at"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Filled in by the medical reviewer."
                    )
        elif not self.instance.reviewed_by_id and hasattr(self.user, "doctor"):
            self.fields["reviewed_by"].initial = self.user.doctor.pk

    @property
    def was_approved(self):
        return self.stored_status == Status.PUBLISHED

    def patient_visible_changes(self):
        visible = {name.removesuffix("_id") for name in Article.PATIENT_VISIBLE_FIELDS}
        return [name for name in self.changed_data if name in visible]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("steps_heading") is not None:
            cleaned_data["steps_heading"] = cleaned_data["steps_heading"].strip()
        self.check_not_stale(cleaned_data)
        self.check_medical_sign_off(cleaned_data)
        return cleaned_data

    def check_not_stale(self, cleaned_data):
        seen = cleaned_data.get("seen_version")
        if not self.instance.pk or seen is None:
            return
        # Locks the row until the admin's transaction ends, so two saves cannot race.
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("version", "updated_at", "updated_by__username")
            .first()
        )
        if current is None or current["version"] == seen:
            return
        # A deliberate second save replaces the other version; the message says so.
        self.data = self.data.copy()
        self.data["seen_version"] = current["version"]
        self.add_error(
            None,
            ValidationError(
                _(
                    "%(who)s saved this article on %(when)s, after you opened it. "
                    "Your changes have not been saved and are still in this form. "
                    "Open the article's history in another tab to see what they "
                    "changed. To replace their version with yours, save again."
                ),
                code="stale",
                params={
                    "who": current["updated_by__username"] or _("Someone"),
                    "when": formats.date_format(
                        timezone.localtime(current["updated_at"]), "DATETIME_FORMAT"
                    ),
                },
            ),
        )

    def check_medical_sign_off(self, cleaned_data):
        publishing = cleaned_data.get("status") == Status.PUBLISHED
        if not publishing:
            return
        if not can_publish(self.user):
            if not self.was_approved:
                self.add_error(
                    "status",
                    _(
                        "Only medical reviewers can publish. Choose 'In review' and "
                        "a reviewer will check the article and publish it."
                    ),
                )
            elif self.patient_visible_changes():
                self.add_error(None, LIVE_CONTENT_MESSAGE)
            return
        if not self.was_approved or self.patient_visible_changes():
            # Publishing, or changing approved content, is the reviewer's sign-off.
            if not cleaned_data.get("reviewed_by") and hasattr(self.user, "doctor"):
                cleaned_data["reviewed_by"] = self.user.doctor
            if "reviewed_at" not in self.changed_data:
                cleaned_data["reviewed_at"] = timezone.localdate()


class ArticleContentFormSet(BaseInlineFormSet):
    """Steps, facts and references: patient content that needs sign-off when live."""

    user = None

    def clean(self):
        super().clean()
        article = self.instance
        # The article form has already put its new status on the instance, so an
        # editor who takes the article off the site may change its steps too.
        if (
            article.pk
            and article.status == Status.PUBLISHED
            and self.has_changed()
            and not can_publish(self.user)
            and Article.objects.filter(pk=article.pk, status=Status.PUBLISHED).exists()
        ):
            raise ValidationError(LIVE_CONTENT_MESSAGE, code="live")


class ArticleOrderForm(PositionFormMixin, forms.ModelForm):
    class Meta:
        model = Article
        fields = []


class ArticleStepForm(PositionFormMixin, RichTextFormMixin, forms.ModelForm):
    class Meta:
        model = ArticleStep
        fields = ["heading", "body"]


class ArticleFactForm(PositionFormMixin, forms.ModelForm):
    class Meta:
        model = ArticleFact
        fields = ["key", "label", "value", "source"]


class ArticleReferenceForm(PositionFormMixin, forms.ModelForm):
    class Meta:
        model = ArticleReference
        fields = ["citation", "url"]


class ImageAdminForm(forms.ModelForm):
    # A plain file field: articles.images does the checking, with clearer messages
    # than Django's ImageField (e.g. for decompression bombs).
    file = forms.FileField(
        label=_("file"), help_text=_("A JPEG, PNG or WebP picture, at most 10 MB.")
    )

    class Meta:
        model = Image
        fields = ["title", "file", "alt_text", "practice"]

    def clean_alt_text(self):
        alt_text = self.cleaned_data["alt_text"].strip()
        if (
            alt_text.lower() in {"image", "picture", "photo", "img"}
            or len(alt_text) < 5
        ):
            raise ValidationError(
                _(
                    "Describe what the picture shows in a few words, e.g. 'X-ray of a spine'."
                )
            )
        return alt_text

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            content, _width, _height = process_image(upload)
            return content
        return upload


class EditorImageUploadForm(forms.Form):
    upload = forms.FileField()

    def clean_upload(self):
        content, _width, _height = process_image(self.cleaned_data["upload"])
        return content
