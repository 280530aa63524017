"""Manual redirects in the admin: old address → a page on this site, or another site."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from .models import Redirect
from .redirects import repoint


def slash_variants(path):
    """path with and without its trailing slash: the fallback answers both."""
    other = path[:-1] if path.endswith("/") else f"{path}/"
    return [path, other]


class RedirectAdminForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path", "is_external", "note"]

    def clean_old_path(self):
        old_path = self.cleaned_data["old_path"]
        if not old_path.startswith("/") or old_path.startswith("//"):
            raise ValidationError(
                _(
                    "Enter the old address as a path on this site, starting with one /"
                    " and without the domain, e.g. /en/guides/old-name/."
                )
            )
        if "?" in old_path or "#" in old_path:
            raise ValidationError(
                _("Leave out the part from ? or # on: only the path is matched.")
            )
        reserved = [reverse("admin:index"), settings.STATIC_URL, settings.MEDIA_URL]
        # "/admin" counts too: the fallback would also try it with a slash.
        if any(f"{old_path.rstrip('/')}/".startswith(prefix) for prefix in reserved):
            raise ValidationError(
                _("The admin, static files and uploaded media cannot be redirected.")
            )
        return old_path

    def clean(self):
        cleaned_data = super().clean()
        old_path = cleaned_data.get("old_path")
        new_path = cleaned_data.get("new_path")
        if not new_path:
            return cleaned_data
        if cleaned_data.get("is_external"):
            error = self.external_error(new_path)
        else:
            error = self.on_site_error(new_path)
            if error is None and old_path and new_path in slash_variants(old_path):
                error = _(
                    "The new address must differ from the old one (not only by a /)."
                )
            if error is None:
                error = self.chain_error(new_path)
        if error is not None:
            self.add_error("new_path", error)
        return cleaned_data

    def external_error(self, new_path):
        validate = URLValidator(schemes=["https", "http"])
        try:
            validate(new_path)
        except ValidationError:
            return _(
                "Enter the full address on the other website, starting with https://."
            )
        return None

    def on_site_error(self, new_path):
        if (
            new_path.startswith("/")
            and not any(char.isspace() for char in new_path)
            and url_has_allowed_host_and_scheme(new_path, allowed_hosts=None)
        ):
            return None
        return _(
            "Enter a path on this site, starting with one / and without the domain,"
            " e.g. /en/guides/spinal-fractures/. To send visitors to another"
            " website, tick 'points to another site' and enter its full https://"
            " address."
        )

    def chain_error(self, new_path):
        # Refused rather than collapsed silently, so that the editor sees where
        # visitors will really arrive (and a loop cannot be typed in).
        onward = (
            Redirect.objects.filter(old_path__in=slash_variants(new_path))
            .exclude(pk=self.instance.pk)
            .first()
        )
        if onward is None:
            return None
        return _(
            "%(new)s itself redirects to %(onward)s. Refused: enter %(onward)s"
            " instead, so that visitors arrive in one step."
        ) % {"new": onward.old_path, "onward": onward.new_path}


@admin.register(Redirect)
class RedirectAdmin(VersionAdmin):
    form = RedirectAdminForm
    list_display = ["old_path", "new_path", "is_external", "is_automatic", "updated_at"]
    list_filter = ["is_external", "is_automatic"]
    search_fields = ["old_path", "new_path", "note"]
    readonly_fields = ["is_automatic", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["old_path", "new_path", "is_external", "note"]}),
        (
            _("Advanced"),
            {
                "classes": ["collapse"],
                "fields": ["is_automatic", "created_at", "updated_at"],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Redirects that led to the old address now lead straight on (no chain).
        count = repoint(obj.old_path, obj.new_path, is_external=obj.is_external)
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d redirect that led to %(old)s now leads to %(new)s.",
                    "%(count)d redirects that led to %(old)s now lead to %(new)s.",
                    count,
                )
                % {"count": count, "old": obj.old_path, "new": obj.new_path},
            )
