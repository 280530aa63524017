from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from .images import process_image
from .models import Article, ArticleFact, ArticleReference, ArticleStep, Image
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


class ArticleAdminForm(PositionFormMixin, RichTextFormMixin, forms.ModelForm):
    # The editor replaces the textarea, so the browser must not insist on it.
    use_required_attribute = False

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

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("steps_heading") is not None:
            cleaned_data["steps_heading"] = cleaned_data["steps_heading"].strip()
        return cleaned_data


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
