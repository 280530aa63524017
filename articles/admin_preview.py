"""Editors preview an article exactly as patients would see it, before publishing."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from .views import article_page_context


class ArticlePreviewAdminMixin:
    """Adds a preview of the saved article and of unsaved changes in the change form."""

    def get_urls(self):
        opts = self.opts
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_changes_view)),
                name=f"{prefix}_preview_changes",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{prefix}_preview",
            ),
        ] + super().get_urls()

    def preview_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return self.render_preview(
            request,
            article,
            steps=article.steps.all(),
            facts=article.facts.all(),
            references=article.references.all(),
        )

    def preview_changes_view(self, request):
        """Render what the change form holds right now, without saving any of it."""
        object_id = request.GET.get("id")
        article = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and article is None:
            raise Http404
        if not (
            self.has_change_permission(request, article)
            if article
            else self.has_add_permission(request)
        ):
            raise PermissionDenied
        # Validation locks the row (optimistic locking); roll back to be sure
        # nothing of the preview is ever stored.
        with transaction.atomic():
            form_class = self.get_form(request, article, change=article is not None)
            form = form_class(request.POST, request.FILES, instance=article)
            formsets, _inlines = self._create_formsets(
                request, form.instance, change=article is not None
            )
            form.is_valid()
            if form.errors.get("guide"):
                transaction.set_rollback(True)
                return render(
                    request,
                    "admin/articles/article/preview_error.html",
                    {"form": form, "opts": self.opts},
                    status=400,
                )
            children = {
                formset.prefix: self.preview_rows(formset) for formset in formsets
            }
            transaction.set_rollback(True)
        return self.render_preview(
            request,
            form.instance,
            steps=children.get("steps", []),
            facts=children.get("facts", []),
            references=children.get("references", []),
        )

    @staticmethod
    def preview_rows(formset):
        formset.is_valid()
        rows = [
            (form.cleaned_data.get("order") or 10**6, index, form.instance)
            for index, form in enumerate(formset.forms)
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        return [instance for _order, _index, instance in sorted(rows)]

    def render_preview(self, request, article, steps, facts, references):
        context = article_page_context(article, steps, facts, references)
        context.update(article=article, preview=True)
        response = render(request, "articles/article_detail.html", context)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
