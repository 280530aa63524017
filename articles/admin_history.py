"""Article history in the admin: compare two revisions and restore an old one."""

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from .forms import can_publish
from .history import diff_snapshots
from .models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    AuditEvent,
    RichTextField,
    Status,
)
from .ordering import PARKING_OFFSET
from .sanitize import clean_html

# A restore brings back what patients read. The article's place (guide, position,
# slug) and its review and publishing state stay as they are: restoring must not
# publish, unpublish or move an article behind the reviewers' backs.
RESTORED_FIELDS = (*Article.PATIENT_VISIBLE_FIELDS, "practice_id")
CHILD_MODELS = {
    "steps": ArticleStep,
    "facts": ArticleFact,
    "references": ArticleReference,
}

ITEM_SUMMARIES = {
    "added": gettext_lazy("%(noun)s %(new)s '%(title)s' was added"),
    "removed": gettext_lazy("%(noun)s %(old)s '%(title)s' was removed"),
    "moved": gettext_lazy("%(noun)s '%(title)s' moved from %(old)s to %(new)s"),
    "edited": gettext_lazy("%(noun)s %(new)s '%(title)s' was edited"),
}


def readable_fields(values):
    """The restorable article fields by name, related objects as their names."""
    readable = {}
    for attname in RESTORED_FIELDS:
        field, value = Article._meta.get_field(attname), values.get(attname)
        if field.is_relation and value is not None:
            target = field.related_model._default_manager.filter(pk=value).first()
            value = str(target) if target else _("(deleted)")
        readable[field.name] = value if value is not None else ""
    return readable


def version_snapshot(version):
    """A stored article version and its steps, facts and references, for history.py."""
    snapshot = {"fields": readable_fields(version.field_dict)}
    snapshot.update({name: [] for name in CHILD_MODELS})
    content_types = ContentType.objects.get_for_models(*CHILD_MODELS.values())
    kinds = {content_types[model].pk: name for name, model in CHILD_MODELS.items()}
    for child in version.revision.version_set.filter(content_type__in=list(kinds)):
        values = dict(child.field_dict)
        if str(values.pop("article_id")) == version.object_id:
            snapshot[kinds[child.content_type_id]].append(values)
    return snapshot


def live_snapshot(article):
    """The article as stored now, in the same shape as version_snapshot()."""
    values = {attname: getattr(article, attname) for attname in RESTORED_FIELDS}
    snapshot = {"fields": readable_fields(values)}
    for name, model in CHILD_MODELS.items():
        attnames = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname != "article_id"
        ]
        snapshot[name] = list(model.objects.filter(article=article).values(*attnames))
    return snapshot


def existing_or_none(attname, value):
    """`value`, or None for a foreign key to a row that was deleted since."""
    field = Article._meta.get_field(attname)
    if field.is_relation and value is not None:
        if not field.related_model._default_manager.filter(pk=value).exists():
            return None
    return value


def without_refused_links(obj):
    """
    obj with every link its field would refuse (javascript:, ...) emptied. A
    stored version is not checked by any form, and a template puts a link in
    an href as it is.
    """
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.URLField) and value:
            try:
                field.run_validators(value)
            except ValidationError:
                setattr(obj, field.attname, "")
    return obj


def clean_rich_text_of(article):
    """
    Clean the stored rich text of the article and its steps, facts and
    references. Reversion's recovery writes rows raw, past the cleaning that
    RichTextField does on save, and the admin form then saves only the rows it
    changed.
    """
    for model in (Article, *CHILD_MODELS.values()):
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, RichTextField)
        ]
        rows = model.objects.filter(
            **({"pk": article.pk} if model is Article else {"article": article})
        )
        for pk, *values in rows.values_list("pk", *names):
            cleaned = {
                name: clean_html(value)
                for name, value in zip(names, values, strict=True)
            }
            if list(cleaned.values()) != values:
                model.objects.filter(pk=pk).update(**cleaned)


def describe_revision(revision):
    """'Nov. 24, 2026, 2:03 p.m. by editor': how editors tell revisions apart."""
    return _("%(when)s by %(who)s") % {
        "when": formats.date_format(
            timezone.localtime(revision.date_created), "DATETIME_FORMAT"
        ),
        "who": revision.user.get_username() if revision.user else _("unknown"),
    }


def readable_diff(diff):
    """Template context for a diff: labels, one summary sentence per change, sections."""
    summary, sections = [], []
    for change in diff.fields:
        change.label = capfirst(Article._meta.get_field(change.name).verbose_name)
        summary.append(_("%(field)s was changed") % {"field": change.label})
    for name, model in CHILD_MODELS.items():
        noun = capfirst(model._meta.verbose_name)
        sections.append(
            {
                "title": capfirst(model._meta.verbose_name_plural),
                "changes": getattr(diff, name),
            }
        )
        for change in getattr(diff, name):
            change.summary = ITEM_SUMMARIES[change.kind] % {
                "noun": noun,
                "title": change.title,
                "old": change.old_position,
                "new": change.new_position,
            }
            summary.append(change.summary)
            for field_change in change.fields:
                field_change.label = capfirst(
                    model._meta.get_field(field_change.name).verbose_name
                )
    return {"diff": diff, "summary": summary, "sections": sections}


class RevisionCompareForm(forms.Form):
    """Pick the two revisions to compare; sent by GET, so the address can be shared."""

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(version.pk, self.label(version.revision)) for version in versions]
        self.fields["from"] = forms.ChoiceField(label=_("Older"), choices=choices)
        self.fields["to"] = forms.ChoiceField(label=_("Newer"), choices=choices)

    @staticmethod
    def label(revision):
        # Two saves in the same minute read alike; their notes tell them apart.
        note = Truncator(revision.get_comment()).chars(60)
        return (
            f"{describe_revision(revision)} – {note}"
            if note
            else describe_revision(revision)
        )


class ArticleHistoryAdminMixin:
    """Compare and restore article revisions, on top of reversion's VersionAdmin."""

    object_history_template = "admin/articles/article/object_history.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{prefix}_restore",
            ),
        ] + super().get_urls()

    def article_versions(self, article):
        """The article's stored versions, newest first."""
        return (
            Version.objects.get_for_object(article)
            .select_related("revision__user")
            .order_by("-pk")
        )

    def has_restore_permission(self, request, article):
        # A restore changes what patients read: on a live article, a reviewer's call.
        return self.has_change_permission(request, article) and (
            article.status != Status.PUBLISHED or can_publish(request.user)
        )

    def url_name(self, view):
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def compare_url(self, article, **versions):
        url = reverse(self.url_name("compare"), args=[quote(article.pk)])
        return f"{url}?{urlencode(versions)}" if versions else url

    def restore_url(self, article, version_id):
        return reverse(self.url_name("restore"), args=[quote(article.pk), version_id])

    def get_article(self, request, object_id):
        # Someone with no right to articles at all learns nothing, not even a 404.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("There is no article with this ID."))
        return article

    def history_context(self, request, article, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
            "subtitle": str(article),
        }

    def compare_view(self, request, object_id):
        article = self.get_article(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = list(self.article_versions(article))
        by_id = {str(version.pk): version for version in versions}
        for key in ("from", "to"):
            if request.GET.get(key) and request.GET[key] not in by_id:
                raise Http404(_("This revision belongs to another article."))
        newer = by_id.get(request.GET.get("to")) or (versions[0] if versions else None)
        older = by_id.get(request.GET.get("from"))
        if older is None and newer is not None:
            # By default: the revision just before the newer one.
            older = versions[min(versions.index(newer) + 1, len(versions) - 1)]
        context = self.history_context(request, article, _("Compare revisions"))
        if newer is not None:
            diff = diff_snapshots(version_snapshot(older), version_snapshot(newer))
            context.update(
                readable_diff(diff),
                form=RevisionCompareForm(
                    initial={"from": older.pk, "to": newer.pk}, versions=versions
                ),
                older=older,
                newer=newer,
                older_label=describe_revision(older.revision),
                newer_label=describe_revision(newer.revision),
                restore_older_url=self.restore_url(article, older.pk)
                if self.has_restore_permission(request, article)
                else None,
            )
        return TemplateResponse(
            request, "admin/articles/article/history_compare.html", context
        )

    def restore_view(self, request, object_id, version_id):
        """GET asks for confirmation, showing what will change; POST restores."""
        article = self.get_article(request, object_id)
        if not self.has_restore_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(self.article_versions(article), pk=version_id)
        if request.method == "POST":
            message = self.restore_revision(request, article, version)
            messages.success(request, message)
            return redirect(self.url_name("change"), quote(article.pk))
        diff = diff_snapshots(live_snapshot(article), version_snapshot(version))
        context = self.history_context(request, article, _("Restore a revision"))
        context.update(
            readable_diff(diff),
            version=version,
            revision_label=describe_revision(version.revision),
            is_live=article.status == Status.PUBLISHED,
        )
        return TemplateResponse(
            request, "admin/articles/article/restore_confirm.html", context
        )

    @transaction.atomic
    def restore_revision(self, request, article, version):
        """
        Put the content of `version` back, as a new revision. Steps, facts and
        references come back as they were: deleted ones are recreated, later ones
        removed. Every row is saved with save(), so the rich-text cleaner runs.
        """
        article = Article.objects.select_for_update().get(pk=article.pk)
        stored = version_snapshot(version)
        diff = diff_snapshots(live_snapshot(article), stored)
        message = _("Restored the revision of %(revision)s.") % {
            "revision": describe_revision(version.revision)
        }
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(message)
            for name, model in CHILD_MODELS.items():
                rows = model.objects.filter(article=article)
                rows.exclude(pk__in=[child["id"] for child in stored[name]]).delete()
                # Out of the way first, so that putting the old positions back never
                # clashes with the unique (article, position), e.g. after a swap.
                rows.update(position=F("position") + PARKING_OFFSET)
                for child in stored[name]:
                    without_refused_links(model(article=article, **child)).save()
            for attname in RESTORED_FIELDS:
                value = existing_or_none(attname, version.field_dict.get(attname))
                setattr(article, attname, value)
            if diff and article.status == Status.PUBLISHED:
                # As when a reviewer edits live content: saving it is their sign-off.
                article.reviewed_at = timezone.localdate()
            if diff.steps or diff.facts or diff.references:
                article.mark_content_changed()  # save() notices only its own fields
            # article.version is the current number, never the revision's: save()
            # adds one, so every change form opened before the restore is stale.
            article.updated_by = request.user
            article.save()
        AuditEvent.record(request.user, AuditEvent.Action.RESTORED, article, message)
        return message

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion's own revert form saves the old row raw (version number and
        # status included); every restore goes through restore_view instead.
        return redirect(self.url_name("restore"), object_id, version_id)

    def history_view(self, request, object_id, extra_context=None):
        """Reversion's revision list, with compare and restore links per row."""
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        article = context.get("object")
        if not context.get("action_list") or article is None:
            return response
        version_ids = dict(
            Version.objects.get_for_object(article).values_list("revision_id", "pk")
        )
        oldest = min(version_ids.values())
        may_restore = self.has_restore_permission(request, article)
        for action in context["action_list"]:
            version_id = version_ids[action["revision"].pk]
            if version_id != oldest:
                action["compare_url"] = self.compare_url(article, to=version_id)
            if may_restore:
                action["restore_url"] = self.restore_url(article, version_id)
        context["compare_url"] = self.compare_url(article)
        return response

    def recover_view(self, request, version_id, extra_context=None):
        """
        Reversion's recover form, after making room at the article's old place:
        the articles after it moved up when it was deleted, so putting it back
        would otherwise clash with the unique (guide, position).
        """
        version = get_object_or_404(
            Version.objects.get_for_model(Article), pk=version_id
        )
        if Article.objects.filter(pk=version.object_id).exists():
            return super().recover_view(request, version_id, extra_context)
        with transaction.atomic():
            stored = version.field_dict
            Article.objects.filter(
                guide=stored["guide_id"], position__gte=stored["position"]
            ).update(position=F("position") + PARKING_OFFSET)
            Article.objects.filter(
                guide=stored["guide_id"], position__gt=PARKING_OFFSET
            ).update(position=F("position") - PARKING_OFFSET + 1)
            response = super().recover_view(request, version_id, extra_context)
            recovered = Article.objects.filter(pk=version.object_id).first()
            if not (request.method == "POST" and recovered):
                # Only showed the form, or the recovery failed: keep the old order.
                transaction.set_rollback(True)
            else:
                clean_rich_text_of(recovered)
        return response
