"""
Practice editors see and change only their own practice's content. Everyone
with the 'manage all practices' permission (site editors, medical reviewers)
and superusers see everything.
"""

from django.db.models import Q
from django.http import Http404

from .models import Doctor, Guide, Image, Practice


def managed_practice_ids(user):
    """None when user may see every practice; otherwise the ids of their practices."""
    if user.is_superuser or user.has_perm("articles.manage_all_practices"):
        return None
    cached = getattr(user, "_managed_practice_ids", None)
    if cached is None:
        cached = frozenset(
            user.practice_memberships.values_list("practice_id", flat=True)
        )
        user._managed_practice_ids = cached
    return cached


def administered_practice_ids(user):
    """The practices in which user may invite editors (all, as None, for site staff)."""
    if user.is_superuser or (
        user.has_perm("articles.manage_all_practices")
        and user.has_perm("auth.add_user")
    ):
        return None
    return frozenset(
        user.practice_memberships.filter(role="admin").values_list(
            "practice_id", flat=True
        )
    )


def scoped_choices(model, practice_ids):
    """The rows of `model` a practice-scoped user may choose in a form."""
    if model is Practice:
        return Practice.objects.filter(pk__in=practice_ids)
    if model is Doctor:
        return Doctor.objects.filter(practices__in=practice_ids).distinct()
    if model is Image:
        return Image.objects.filter(Q(practice__in=practice_ids) | Q(practice=None))
    if model is Guide:
        return Guide.objects.filter(Q(practice__in=practice_ids) | Q(practice=None))
    return None


class PracticeScopedAdminMixin:
    """
    Filters lists, search, autocomplete, choices and direct URLs to the user's
    practices. `practice_scope` is the lookup from the model to its practice;
    `shared_rows_visible` also shows rows that belong to no practice.
    """

    practice_scope = None
    shared_rows_visible = False

    def scope_filter(self, practice_ids):
        condition = Q(**{f"{self.practice_scope}__in": practice_ids})
        if self.shared_rows_visible:
            condition |= Q(**{f"{self.practice_scope}__isnull": True})
        return condition

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        practice_ids = managed_practice_ids(request.user)
        if practice_ids is None:
            return queryset
        return queryset.filter(self.scope_filter(practice_ids)).distinct()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        # Another practice's object is simply not there, even by direct URL;
        # someone without any right to these objects still gets a plain 403.
        if (
            obj is None
            and managed_practice_ids(request.user) is not None
            and self.has_view_or_change_permission(request)
        ):
            raise Http404
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        practice_ids = managed_practice_ids(request.user)
        if not allowed or obj is None or practice_ids is None:
            return allowed
        # Shared rows (a shared guide, a shared image) are read-only for practices.
        return (
            type(obj)
            ._default_manager.filter(
                Q(pk=obj.pk) & Q(**{f"{self.practice_scope}__in": practice_ids})
            )
            .exists()
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.has_change_permission(request, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        practice_ids = managed_practice_ids(request.user)
        if practice_ids is not None:
            choices = scoped_choices(db_field.related_model, practice_ids)
            if choices is not None:
                kwargs["queryset"] = choices
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if practice_ids is not None and db_field.related_model is Practice and field:
            # Content of a practice editor always belongs to one of their practices.
            field.required = True
            field.empty_label = None
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        practice_ids = managed_practice_ids(request.user)
        if practice_ids is not None:
            choices = scoped_choices(db_field.related_model, practice_ids)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)
