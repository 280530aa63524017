"""The admin site, whose index doubles as the editors' dashboard."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DASHBOARD_LIMIT = 15


class EditorAdminSite(admin.AdminSite):
    site_header = _("KyphoInfo editors")
    site_title = _("KyphoInfo admin")
    index_title = _("Editor dashboard")
    index_template = "admin/editor_dashboard.html"

    def get_urls(self):
        # Django's own "view on site" redirect follows any object's link for any
        # staff member, which would tell a bystander the address of a draft.
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """The "view on site" redirect, for those who may see the object in the admin."""
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError) as error:
            raise Http404 from error
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(
            request
        ):
            raise PermissionDenied
        obj = model_admin.get_object(request, object_id)  # within the user's scope
        if obj is None:
            raise Http404
        if not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def index(self, request, extra_context=None):
        from .admin_facts import fact_notices, facts_waiting
        from .admin_scope import managed_practice_ids
        from .models import Article, Status

        extra_context = extra_context or {}
        extra_context["fact_notices"] = fact_notices(request.user)
        extra_context["facts_waiting"] = facts_waiting(request.user, DASHBOARD_LIMIT)
        extra_context["next_url"] = request.get_full_path()
        if request.user.has_perm("articles.view_article"):
            articles = Article.objects.select_related(
                "guide", "reviewed_by", "updated_by", "translation_of"
            )
            practice_ids = managed_practice_ids(request.user)
            if practice_ids is not None:
                articles = articles.filter(practice__in=practice_ids)
            now = timezone.now()
            extra_context["dashboard"] = [
                (
                    _("Waiting for medical review"),
                    articles.filter(status=Status.IN_REVIEW).order_by("updated_at"),
                    "updated_at",
                ),
                (
                    _("Scheduled to publish"),
                    articles.scheduled(now).order_by("publish_at"),
                    "publish_at",
                ),
                (
                    _("Medical review overdue"),
                    articles.due_for_review(timezone.localdate()).order_by(
                        "review_due_on"
                    ),
                    "review_due_on",
                ),
                (
                    _("Translations out of date"),
                    articles.out_of_date().order_by("source_updated_at"),
                    "original_changed",
                ),
                (
                    _("Recently changed"),
                    articles.order_by("-updated_at"),
                    "updated_at",
                ),
            ]
            extra_context["dashboard"] = [
                (title, list(rows[:DASHBOARD_LIMIT]), date_field)
                for title, rows, date_field in extra_context["dashboard"]
            ]
        return super().index(request, extra_context)


class EditorAdminConfig(AdminConfig):
    default_site = "articles.admin_site.EditorAdminSite"
