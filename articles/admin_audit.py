"""The audit trail: read-only in the admin, fed by publishing, restores, deletions
and every change to who may do what."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_repr", "message"]
    list_filter = ["action", "created_at", "actor"]
    search_fields = ["object_repr", "actor_name", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedDeletionMixin:
    """
    Deleting asks for confirmation naming the pages patients will lose, and is
    recorded in the audit trail. Bulk deletion is switched off so that every
    deletion passes through that confirmation.
    """

    delete_confirmation_template = "admin/articles/delete_confirmation.html"

    def public_pages(self, obj):
        """The patient-facing URLs that disappear with obj."""
        return []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "public_pages": self.public_pages(obj) if obj else [],
        }
        return super().delete_view(request, object_id, extra_context)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            pages = self.public_pages(obj)
            AuditEvent.record(
                request.user,
                AuditEvent.Action.DELETED,
                obj,
                _("Removed from the public site: %(pages)s")
                % {"pages": ", ".join(pages)}
                if pages
                else "",
            )
        return super().log_deletions(request, queryset)

    def recover_view(self, request, version_id, extra_context=None):
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = Version.objects.filter(pk=unquote(version_id)).first()
            # Reversion redirects after a failed recovery too; log only a real one.
            if (
                version
                and self.model._default_manager.filter(pk=version.object_id).exists()
            ):
                AuditEvent.objects.create(
                    actor=request.user,
                    actor_name=request.user.get_username(),
                    action=AuditEvent.Action.RECOVERED,
                    content_type_id=version.content_type_id,
                    object_id=version.object_id,
                    object_repr=version.object_repr[:300],
                )
        return response


def describe_access(user):
    return {
        "active": user.is_active,
        "staff": user.is_staff,
        "superuser": user.is_superuser,
        "groups": set(user.groups.values_list("name", flat=True)),
        "permissions": set(user.user_permissions.values_list("codename", flat=True)),
    }


def describe_changes(before, after):
    changes = []
    for key in ("active", "staff", "superuser"):
        if before[key] != after[key]:
            changes.append(f"{key}: {before[key]} → {after[key]}")
    for key in ("groups", "permissions"):
        added, removed = after[key] - before[key], before[key] - after[key]
        if added:
            changes.append(f"{key} added: {', '.join(sorted(added))}")
        if removed:
            changes.append(f"{key} removed: {', '.join(sorted(removed))}")
    return "; ".join(changes)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        stored = User.objects.filter(pk=obj.pk).first() if obj.pk else None
        self._access_before = (
            describe_access(stored)
            if stored
            # A new user had no access; an unsaved User cannot be asked for groups.
            else {"active": False, "staff": False, "superuser": False}
            | {"groups": set(), "permissions": set()}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        message = describe_changes(self._access_before, describe_access(form.instance))
        if message:
            AuditEvent.record(
                request.user, AuditEvent.Action.PERMISSIONS, form.instance, message
            )


@admin.register(Group)
class AuditedGroupAdmin(GroupAdmin):
    def save_model(self, request, obj, form, change):
        self._permissions_before = (
            set(obj.permissions.values_list("codename", flat=True)) if obj.pk else set()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after = set(form.instance.permissions.values_list("codename", flat=True))
        message = describe_changes(
            {"active": True, "staff": True, "superuser": False, "groups": set()}
            | {"permissions": self._permissions_before},
            {"active": True, "staff": True, "superuser": False, "groups": set()}
            | {"permissions": after},
        )
        if message:
            AuditEvent.record(
                request.user, AuditEvent.Action.PERMISSIONS, form.instance, message
            )
