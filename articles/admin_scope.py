"""
Practice editors see and change only their own practice's content. Everyone
with the 'manage all practices' permission (site editors, medical reviewers)
and superusers see everything.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Doctor, Guide, Image, Practice, PracticeMembership


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


class InviteEditorForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is already taken."))
        return username


class PracticeInviteAdminMixin:
    """Practice admins invite editors for their own practice, and only as editors."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="articles_practice_invite",
            )
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        practice = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "may_invite": practice is not None and self.may_invite(request, practice),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def may_invite(self, request, practice):
        allowed = administered_practice_ids(request.user)
        return allowed is None or practice.pk in allowed

    def invite_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        practice = self.get_object(request, unquote(object_id))
        if practice is None:
            raise Http404
        if not self.may_invite(request, practice):
            raise PermissionDenied
        form = InviteEditorForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": practice,
            "title": _("Invite an editor for %(practice)s") % {"practice": practice},
            "form": form,
            "members": practice.memberships.select_related("user"),
        }
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=None,
                    is_staff=True,
                )
                user.groups.add(Group.objects.get(name="Practice editors"))
                PracticeMembership.objects.create(
                    user=user, practice=practice, role=PracticeMembership.Role.EDITOR
                )
                AuditEvent.record(
                    request.user,
                    AuditEvent.Action.PERMISSIONS,
                    user,
                    _("Invited as practice editor of %(practice)s.")
                    % {"practice": practice},
                )
            context["invited"] = user
            context["set_password_url"] = request.build_absolute_uri(
                reverse(
                    "password_reset_confirm",
                    kwargs={
                        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                        "token": default_token_generator.make_token(user),
                    },
                )
            )
        return TemplateResponse(request, "admin/articles/practice/invite.html", context)
