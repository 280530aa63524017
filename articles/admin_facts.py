"""
A practice's own values of the shared guide's key facts, in the admin.

Practice editors write a value; patients go on reading the value a doctor of
the practice signed off last until one of its doctors, signed in as themselves,
signs off the new one (articles.facts.sign_off). When the shared guide changes
a fact or the text around it, the practice's "Share with patients" page and the
editor dashboard say so, and keep, change or drop is one POST to keep_up_view.

The article form refuses text that names a fact the article does not define.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from . import facts
from .admin_audit import AuditedDeletionMixin
from .admin_scope import PracticeScopedAdminMixin, managed_practice_ids
from .forms import ArticleContentFormSet
from .models import Article, ArticleFact, ArticleStep, AuditEvent, PracticeFact

# --- The article form: every {{ fact:key }} names one of the article's facts ------


class ArticleFactFormSet(ArticleContentFormSet):
    """
    The article's key facts. Validated after the article form, so self.instance
    holds the new text; the steps' new bodies come from the step formset, which
    FactTokensAdminMixin hands over as a sibling.
    """

    sibling_formsets = ()

    def clean(self):
        super().clean()
        if any(self._errors):
            return  # a broken fact row says so itself; its key is unknown
        kept, removed = self.kept_and_removed_keys()
        uses = fact_uses(self.instance, self.step_texts())
        errors = []
        for key in sorted(set(uses) - kept):
            params = {"key": key, "token": facts.token(key), "places": uses[key]}
            if key in removed:
                message = _(
                    "The text still uses the fact “%(key)s” (%(token)s in "
                    "%(places)s), so it cannot be deleted or renamed. Take it out "
                    "of the text first, or keep the fact."
                )
            else:
                message = _(
                    "The text uses %(token)s in %(places)s, but this article has "
                    "no fact “%(key)s”. Add a key fact with the key “%(key)s”, or "
                    "correct the name in the text."
                )
            errors.append(ValidationError(message, code="unknown_fact", params=params))
        if errors:
            raise ValidationError(errors)

    def kept_and_removed_keys(self):
        """The keys the facts will have after saving, and stored keys going away."""
        kept, stored = set(), set()
        for form in self.forms:
            if form.instance.pk:
                stored.add((form.initial.get("key") or "").lower())
            if self.can_delete and self._should_delete_form(form):
                continue
            key = (getattr(form, "cleaned_data", None) or {}).get("key")
            if key:
                kept.add(key.lower())  # saved lower-case, as the text names it
        return kept, stored - kept

    def step_texts(self):
        """(name, body) of each step the article will have after saving."""
        steps = next(
            (fs for fs in self.sibling_formsets if fs.model is ArticleStep), None
        )
        if steps is None:
            stored = self.instance.steps.all() if self.instance.pk else []
            return [(step_place(step.heading), step.body) for step in stored]
        steps.is_valid()  # validated already, or now: the result is kept
        texts = []
        for form in steps.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or (steps.can_delete and steps._should_delete_form(form)):
                continue
            body = data.get("body", form.instance.body)
            texts.append((step_place(data.get("heading", form.instance.heading)), body))
        return texts


def step_place(heading):
    return _("step “%(heading)s”") % {"heading": heading}


def fact_uses(article, step_texts):
    """{key: where the text uses it, e.g. "introduction, step “Going home”"}."""
    texts = [
        (Article._meta.get_field(name).verbose_name, getattr(article, name))
        for name in facts.TEXT_FIELDS
    ] + list(step_texts)
    places = {}
    for place, text in texts:
        for key in sorted(facts.keys_in(text)):
            places.setdefault(key, []).append(str(place))
    return {key: ", ".join(found) for key, found in places.items()}


class FactTokensAdminMixin:
    """Lets the facts formset see the steps formset (Django validates them apart)."""

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.sibling_formsets = formsets
        return formsets, inline_instances

    def render_change_form(self, request, context, *args, **kwargs):
        # The error sits with the facts, far down the page; say it at the top too.
        form = getattr(context.get("adminform"), "form", None)
        for inline in context.get("inline_admin_formsets", []):
            unknown = [
                error
                for error in inline.formset.non_form_errors().as_data()
                if error.code == "unknown_fact"
            ]
            if unknown and form is not None and form.is_bound:
                form.add_error(None, unknown)
        return super().render_change_form(request, context, *args, **kwargs)


# --- Who may do what --------------------------------------------------------------


def may_change_facts(user, practice):
    """Whether user may write practice's own fact values (not: sign them off)."""
    practice_ids = managed_practice_ids(user)
    return user.has_perm("articles.change_practicefact") and (
        practice_ids is None or practice.pk in practice_ids
    )


def signing_doctor_practices(user):
    """The practices of the doctor user is, within what user may see."""
    doctor = getattr(user, "doctor", None)
    if doctor is None:
        return []
    practices = doctor.practices.all()
    practice_ids = managed_practice_ids(user)
    if practice_ids is not None:
        practices = practices.filter(pk__in=practice_ids)
    return list(practices)


def sign_off_refusal(practice):
    if practice is None:
        return _(
            "Only a doctor of the practice, signed in with their own login, can "
            "sign off its facts."
        )
    return _(
        "Only a doctor of %(practice)s, signed in with their own login, can sign "
        "this off."
    ) % {"practice": practice}


def overridable_articles(user):
    """Published articles with facts, in shared guides or guides of user's practices."""
    articles = Article.objects.published().filter(
        pk__in=ArticleFact.objects.values("article")
    )
    practice_ids = managed_practice_ids(user)
    if practice_ids is not None:
        articles = articles.filter(
            Q(guide__practice__isnull=True) | Q(guide__practice__in=practice_ids)
        )
    return articles.select_related("guide").order_by(
        "language", "guide__position", "guide__title", "position"
    )


def day(moment):
    return formats.date_format(timezone.localtime(moment))


def article_label(article):
    return f"{article.title} – {article.guide.title} ({article.get_language_display()})"


def current_fact(override):
    """The shared fact the override replaces, from the prefetched facts, or None."""
    return next(
        (fact for fact in override.article.facts.all() if fact.key == override.key),
        None,
    )


# --- The practice's own values ----------------------------------------------------

# What a sign-off sets, and how a value no doctor signed off has it.
NOT_SIGNED = {
    "signed_value": "",
    "signed_by_id": None,
    "signed_at": None,
    "default_at_sign_off": "",
    "context_at_sign_off": "",
}
SIGNED_FIELDS = tuple(NOT_SIGNED)

VALUE_CHANGED = _(
    "%(practice)s's value of “%(key)s” in “%(article)s”: “%(value)s”, waiting "
    "for sign-off."
)


class PracticeFactForm(forms.ModelForm):
    """A practice's value for one fact of a shared article, chosen by article and key."""

    key = forms.CharField(
        label=_("fact"),
        max_length=50,
        widget=forms.Select,
        help_text=_("One of the chosen article's key facts."),
    )

    class Meta:
        model = PracticeFact
        fields = ["practice", "article", "key", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "article" not in self.fields:
            return
        self.fields["article"].label_from_instance = article_label
        articles = self.fields["article"].queryset
        grouped = {}
        for fact in ArticleFact.objects.filter(article__in=articles).order_by(
            "article", "position"
        ):
            grouped.setdefault(fact.article_id, []).append(
                (fact.key, f"{fact.label} ({fact.key}): {fact.value}")
            )
        self.fields["key"].widget.choices = [("", "---------")] + [
            (article_label(article), grouped[article.pk])
            for article in articles
            if article.pk in grouped
        ]

    def clean(self):
        cleaned_data = super().clean()
        article, key = cleaned_data.get("article"), cleaned_data.get("key")
        if article and key:
            keys = dict(article.facts.values_list("key", "label"))
            if key not in keys:
                self.add_error(
                    "key",
                    _("“%(article)s” has no fact “%(key)s”. Its facts are: %(keys)s.")
                    % {
                        "article": article,
                        "key": key,
                        "keys": ", ".join(
                            f"{label} ({name})" for name, label in keys.items()
                        ),
                    },
                )
        return cleaned_data


@admin.register(PracticeFact)
class PracticeFactAdmin(PracticeScopedAdminMixin, AuditedDeletionMixin, VersionAdmin):
    form = PracticeFactForm
    practice_scope = "practice"
    change_form_template = "admin/articles/practicefact/change_form.html"
    list_display = [
        "fact_label",
        "practice",
        "article",
        "shared_value",
        "patients_read",
        "waiting",
        "shared_guide_moved",
    ]
    list_filter = [("practice", admin.RelatedOnlyFieldListFilter), "pending"]
    search_fields = ["key", "value", "signed_value", "article__title", "practice__name"]
    list_select_related = ["practice", "article__guide", "signed_by"]
    actions = ["sign_off_selected"]
    status_fields = [
        "shared_value",
        "patients_read",
        "waiting",
        "shared_guide_moved",
        "shared_text",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("practice", "article__guide", "signed_by")
            .prefetch_related("article__facts", "article__steps")
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["practice", "article", "key", "value"]})]
        return [
            (None, {"fields": ["practice", "article", "fact_label", "value"]}),
            (_("What patients read"), {"fields": self.status_fields}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # An override stays the value of one fact of one practice ("key" is
        # listed so that the admin drops the form's declared field).
        if obj is None:
            return []
        return ["practice", "article", "key", "fact_label", *self.status_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = overridable_articles(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Deleting a signed-off value would change patients' pages unsigned: drop it.
        return super().has_delete_permission(request, obj) and not (
            obj is not None and obj.is_signed_off
        )

    def has_sign_off_permission(self, request):
        return request.user.has_perm("articles.sign_off_practicefact") and hasattr(
            request.user, "doctor"
        )

    # --- Columns and read-only fields

    @admin.display(description=_("fact"), ordering="key")
    def fact_label(self, obj):
        fact = current_fact(obj)
        return f"{fact.label} ({obj.key})" if fact else obj.key

    @admin.display(description=_("shared value now"))
    def shared_value(self, obj):
        fact = current_fact(obj)
        return fact.value if fact else _("(no longer in the shared article)")

    @admin.display(description=_("value patients read"))
    def patients_read(self, obj):
        if not obj.is_signed_off:
            return _("The shared value: this practice value is not signed off yet.")
        return _("“%(value)s”, signed off by %(doctor)s on %(date)s") % {
            "value": obj.signed_value,
            "doctor": obj.signed_by,
            "date": day(obj.signed_at),
        }

    @admin.display(description=_("waiting for sign-off"), ordering="pending")
    def waiting(self, obj):
        return describe_pending(obj) or "–"

    @admin.display(description=_("shared guide changed the fact"))
    def shared_guide_moved(self, obj):
        changes = facts.shared_changes([obj])
        if not changes:
            return "–"
        return _("Changed on %(date)s") % {"date": day(changes[0].changed_at)}

    @admin.display(description=_("shared text around the fact now"))
    def shared_text(self, obj):
        return (
            facts.shared_context(obj.article, obj.article.steps.all(), obj.key) or "–"
        )

    # --- Saving, signing off

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is not None:
            may_sign_off = facts.can_sign_off(request.user, obj.practice)
        else:
            may_sign_off = any(
                facts.can_sign_off(request.user, practice)
                for practice in signing_doctor_practices(request.user)
            )
        extra_context = {
            **(extra_context or {}),
            "may_sign_off": may_sign_off,
            "sign_off_refusal": sign_off_refusal(obj.practice if obj else None),
            "signing_doctor": getattr(request.user, "doctor", None),
            "keep_up_url": reverse("admin:articles_practicefact_keep_up", args=[obj.pk])
            if obj and obj.is_signed_off
            else None,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    # Restoring an old version or recovering a deleted one brings back a value,
    # never a sign-off: patients go on reading what they read before.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = PracticeFact.objects.filter(pk=unquote(object_id)).first()
            request.signed_before_restore = (
                {name: getattr(current, name) for name in SIGNED_FIELDS}
                if current
                else NOT_SIGNED
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if request.method == "POST":
            request.signed_before_restore = NOT_SIGNED
        return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if "_signoff" in request.POST and not facts.can_sign_off(
            request.user, obj.practice
        ):
            raise PermissionDenied
        value_changed = not change or "value" in form.changed_data
        restored = getattr(request, "signed_before_restore", None)
        if restored is not None:
            for name, value in restored.items():
                setattr(obj, name, value)
            value_changed = True
        if value_changed:
            obj.pending = PracticeFact.Pending.VALUE
        super().save_model(request, obj, form, change)
        if value_changed:
            AuditEvent.record(
                request.user,
                AuditEvent.Action.FACT_CHANGED,
                obj,
                VALUE_CHANGED
                % {
                    "practice": obj.practice,
                    "key": obj.key,
                    "article": obj.article,
                    "value": obj.value,
                },
            )
            if "_signoff" not in request.POST:
                self.message_user(request, waiting_message(obj), messages.INFO)

    def response_add(self, request, obj, post_url_continue=None):
        if "_signoff" in request.POST:
            return self.sign_off_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_signoff" in request.POST:
            return self.sign_off_response(request, obj)
        return super().response_change(request, obj)

    def sign_off_response(self, request, obj):
        """After "Save and sign off" (save_model has checked who signs)."""
        if obj.pending == PracticeFact.Pending.NONE:
            self.message_user(request, _("Nothing was waiting for sign-off."))
        else:
            self.message_user(
                request,
                signed_message(obj, facts.sign_off(obj, request.user)),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_practicefact_changelist"))

    @admin.action(
        description=_("Sign off the selected facts"), permissions=["sign_off"]
    )
    def sign_off_selected(self, request, queryset):
        signed, refused = 0, set()
        with self.create_revision(request):
            for override in queryset.filter(~Q(pending=PracticeFact.Pending.NONE)):
                if facts.can_sign_off(request.user, override.practice):
                    facts.sign_off(override, request.user)
                    signed += 1
                else:
                    refused.add(override.practice)
        self.message_user(
            request,
            ngettext(
                "Signed off %(count)d fact.",
                "Signed off %(count)d facts.",
                signed,
            )
            % {"count": signed},
        )
        for practice in sorted(refused, key=str):
            self.message_user(request, sign_off_refusal(practice), messages.WARNING)

    # --- Keeping up with the shared guide

    def get_urls(self):
        return [
            path(
                "<path:object_id>/keep-up/",
                self.admin_site.admin_view(self.keep_up_view),
                name="articles_practicefact_keep_up",
            )
        ] + super().get_urls()

    def keep_up_view(self, request, object_id):
        """Keep, change or drop a value in one step; signed off too by its doctor."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        override = self.get_object(request, unquote(object_id))
        if override is None:
            raise Http404
        if not self.has_change_permission(request, override):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, request.is_secure()
        ):
            next_url = reverse("admin:articles_practicefact_change", args=[override.pk])
        form = KeepUpForm(request.POST, override=override)
        if not form.is_valid():
            for error in form.errors.values():
                self.message_user(request, " ".join(error), messages.ERROR)
            return HttpResponseRedirect(next_url)
        with transaction.atomic(), self.create_revision(request):
            form.apply(request.user)
            if facts.can_sign_off(request.user, override.practice):
                result = facts.sign_off(override, request.user)
                self.message_user(
                    request, signed_message(override, result), messages.SUCCESS
                )
                if result is None and override_url_in(next_url):
                    next_url = reverse("admin:articles_practicefact_changelist")
            else:
                self.message_user(request, waiting_message(override), messages.INFO)
        return HttpResponseRedirect(next_url)


def override_url_in(url):
    return url.startswith(reverse("admin:articles_practicefact_changelist"))


class KeepUpForm(forms.Form):
    """What a practice does about a fact the shared guide changed."""

    action = forms.ChoiceField(
        choices=[("keep", _("Keep")), ("change", _("Change")), ("drop", _("Drop"))]
    )
    value = forms.CharField(
        label=_("your value in plain words"), max_length=300, required=False
    )

    def __init__(self, *args, override, **kwargs):
        super().__init__(*args, **kwargs)
        self.override = override

    def clean(self):
        cleaned_data = super().clean()
        action = cleaned_data.get("action")
        if action == "change" and not cleaned_data.get("value"):
            self.add_error("value", _("Enter the new value to change to."))
        if action in {"keep", "change"} and current_fact(self.override) is None:
            self.add_error(
                "action",
                _(
                    "The shared article no longer has the fact “%(key)s”: it can "
                    "only be dropped."
                )
                % {"key": self.override.key},
            )
        elif action == "keep" and not self.override.is_signed_off:
            self.add_error(
                "action", _("There is no signed-off value to keep yet: sign it off.")
            )
        return cleaned_data

    def apply(self, user):
        override, action = self.override, self.cleaned_data["action"]
        fact = current_fact(override)
        params = {
            "practice": override.practice,
            "key": override.key,
            "article": override.article,
            "default": fact.value if fact else "",
        }
        if action == "keep":
            override.value = override.signed_value
            override.pending = PracticeFact.Pending.KEEP
            message = _(
                "%(practice)s keeps its value of “%(key)s” in “%(article)s”, "
                "“%(value)s”, after the shared guide changed; waiting for sign-off."
            )
        elif action == "change":
            override.value = self.cleaned_data["value"]
            override.pending = PracticeFact.Pending.VALUE
            message = VALUE_CHANGED
        else:
            override.pending = PracticeFact.Pending.DROP
            message = _(
                "%(practice)s drops its value of “%(key)s” in “%(article)s” for the "
                "shared value “%(default)s”; waiting for sign-off."
            )
        override.save()
        AuditEvent.record(
            user,
            AuditEvent.Action.FACT_CHANGED,
            override,
            message % {**params, "value": override.value},
        )


def describe_pending(override):
    """What waits for sign-off, in words, or ""."""
    Pending = PracticeFact.Pending
    if override.pending == Pending.VALUE:
        return _("New value “%(value)s”") % {"value": override.value}
    if override.pending == Pending.KEEP:
        return _("Keep “%(value)s”") % {"value": override.value}
    if override.pending == Pending.DROP:
        return _("Drop: back to the shared value")
    return ""


def waiting_message(override):
    return _(
        "Waiting for sign-off: %(what)s. Patients of %(practice)s read %(now)s until "
        "a doctor of %(practice)s signs it off."
    ) % {
        "what": describe_pending(override),
        "practice": override.practice,
        "now": f"“{override.signed_value}”"
        if override.is_signed_off
        else _("the shared value"),
    }


def signed_message(override, result):
    if result is None:
        return _(
            "Signed off: patients of %(practice)s read the shared value of “%(key)s” again."
        ) % {"practice": override.practice, "key": override.key}
    return _(
        "Signed off: patients of %(practice)s now read “%(value)s” for “%(key)s”."
    ) % {"practice": override.practice, "value": result.signed_value, "key": result.key}


# --- Notices: the shared guide moved on -------------------------------------------


@dataclass
class FactNotice:
    """One SharedChange, with what the page needs to show and act on it."""

    change: facts.SharedChange
    label: str
    text_now: str
    may_change: bool
    may_sign_off: bool
    refusal: str
    keep_up_url: str
    change_url: str

    @property
    def override(self):
        return self.change.override

    @property
    def removed(self):
        return self.change.fact is None

    @property
    def pending(self):
        return describe_pending(self.change.override)


class SignOffAnswers:
    """facts.can_sign_off, asked once per practice."""

    def __init__(self, user):
        self.user, self.answers = user, {}

    def __call__(self, practice):
        if practice.pk not in self.answers:
            self.answers[practice.pk] = facts.can_sign_off(self.user, practice)
        return self.answers[practice.pk]


def fact_notices(user, practices=None):
    """The shared changes to the overrides of practices user may see (or of `practices`)."""
    if not user.has_perm("articles.view_practicefact"):
        return []
    overrides = (
        PracticeFact.objects.signed_off()
        .select_related("practice", "article__guide", "signed_by")
        .prefetch_related("article__facts", "article__steps")
        .order_by("practice__name", "article__title", "key")
    )
    practice_ids = managed_practice_ids(user)
    if practice_ids is not None:
        overrides = overrides.filter(practice__in=practice_ids)
    if practices is not None:
        overrides = overrides.filter(practice__in=practices)
    may_sign_off = SignOffAnswers(user)
    notices = []
    for change in facts.shared_changes(overrides):
        override = change.override
        notices.append(
            FactNotice(
                change=change,
                label=change.fact.label if change.fact else override.key,
                text_now=change.text_now,
                may_change=may_change_facts(user, override.practice),
                may_sign_off=may_sign_off(override.practice),
                refusal=sign_off_refusal(override.practice),
                keep_up_url=reverse(
                    "admin:articles_practicefact_keep_up", args=[override.pk]
                ),
                change_url=reverse(
                    "admin:articles_practicefact_change", args=[override.pk]
                ),
            )
        )
    return notices


def facts_waiting(user, limit=None):
    """Practice values waiting for sign-off that user may see, for the dashboard."""
    if not user.has_perm("articles.view_practicefact"):
        return []
    overrides = PracticeFact.objects.awaiting_sign_off().select_related(
        "practice", "article"
    )
    practice_ids = managed_practice_ids(user)
    if practice_ids is not None:
        overrides = overrides.filter(practice__in=practice_ids)
    may_sign_off = SignOffAnswers(user)
    return [
        (override, describe_pending(override), may_sign_off(override.practice))
        for override in overrides.order_by("updated_at")[:limit]
    ]
