"""
Links never break: a page whose address changes (or a published article that is
deleted) leaves a permanent redirect behind, answered when the old address 404s.
"""

from urllib.parse import urlsplit, urlunsplit

import reversion
from django.conf import settings
from django.core.exceptions import DisallowedRedirect, ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Article, Doctor, Guide, Practice, Redirect, Status

# The fields a page's address is built from: a save that names none of them in
# update_fields cannot move the page.
URL_FIELDS = {
    Article: ["slug", "guide", "guide__slug", "guide__language"],
    Guide: ["slug", "language"],
    Practice: ["slug"],
    Doctor: ["slug"],
}
URL_FIELD_NAMES = {"slug", "language", "guide", "guide_id"}


def record_move(old_path, new_path):
    """
    Make old_path answer with new_path from now on: redirects that led to
    old_path lead straight to new_path (no chains), and new_path, a live page
    again, stops redirecting anywhere (no loops).
    """
    if not old_path or not new_path or old_path == new_path:
        return
    # An atomic block that keeps these rows out of the page's revision: automatic
    # redirects follow the pages, and restoring a revision that held one would
    # bring back a stale row (clashing with a newer one for the same old_path).
    with reversion.create_revision(manage_manually=True, atomic=True):
        Redirect.objects.filter(old_path=new_path).delete()
        Redirect.objects.update_or_create(
            old_path=old_path,
            defaults={"new_path": new_path, "is_external": False, "is_automatic": True},
        )
        repoint(old_path, new_path)


def repoint(old_path, new_path, is_external=False):
    """Redirects that lead to old_path lead to new_path instead, in one hop."""
    return (
        Redirect.objects.filter(new_path=old_path)
        .exclude(old_path=new_path)
        .update(new_path=new_path, is_external=is_external, updated_at=timezone.now())
    )


def page_url(obj):
    """
    obj's patient address in its own language (reverse() would use the active
    one), or None when it cannot be built, e.g. a guide not yet loaded by loaddata.
    """
    try:
        if isinstance(obj, Article):
            language = obj.guide.language
        else:
            language = getattr(obj, "language", settings.LANGUAGE_CODE)
        with translation.override(language):
            return obj.get_absolute_url()
    except (ObjectDoesNotExist, NoReverseMatch):
        return None


def page_urls(obj):
    """The addresses that contain obj's slug: its own page and a guide's articles."""
    urls = {(type(obj), obj.pk): page_url(obj)}
    if isinstance(obj, Guide):
        # The related manager sets article.guide to obj, so this is one query.
        for article in obj.articles.only("pk", "slug", "guide"):
            urls[(Article, article.pk)] = page_url(article)
    return urls


@receiver(pre_save, sender=Article)
@receiver(pre_save, sender=Guide)
@receiver(pre_save, sender=Practice)
@receiver(pre_save, sender=Doctor)
def remember_stored_urls(sender, instance, update_fields=None, **kwargs):
    # Raw saves (loaddata, reversion restores) are included: a restore can change a slug.
    if instance.pk is None:
        return
    if update_fields is not None and not URL_FIELD_NAMES & set(update_fields):
        return
    queryset = sender._default_manager.filter(pk=instance.pk).only(*URL_FIELDS[sender])
    if sender is Article:
        queryset = queryset.select_related("guide")
    stored = queryset.first()
    if stored is not None:
        instance._urls_before_save = page_urls(stored)


@receiver(post_save, sender=Article)
@receiver(post_save, sender=Guide)
@receiver(post_save, sender=Practice)
@receiver(post_save, sender=Doctor)
def record_moves(sender, instance, **kwargs):
    before = instance.__dict__.pop("_urls_before_save", None)
    if not before:
        return
    after = page_urls(instance)
    with transaction.atomic():  # a guide's articles move with it, or none does
        for page, old_url in before.items():
            record_move(old_url, after.get(page))


@receiver(post_delete, sender=Article)
def redirect_deleted_article_to_guide(sender, instance, **kwargs):
    """A printed link to a deleted article leads to its guide rather than nowhere."""
    if instance.first_published_at is not None:
        record_move(page_url(instance), page_url(instance.guide))


@receiver(post_delete, sender=Guide)
def redirect_deleted_guide_home(sender, instance, **kwargs):
    """Links to a deleted guide, and to its deleted articles, lead to the guide list."""
    if Redirect.objects.filter(new_path=page_url(instance)).exists() or (
        instance.status == Status.PUBLISHED
    ):
        with translation.override(instance.language):
            record_move(page_url(instance), reverse("articles:home"))


class RedirectFallbackMiddleware(MiddlewareMixin):
    """
    Answer a 404 with a permanent redirect when the path is an old address.
    Modelled on django.contrib.redirects, without the sites framework.
    """

    response_redirect_class = HttpResponsePermanentRedirect

    def process_response(self, request, response):
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path
        max_length = Redirect._meta.get_field("old_path").max_length
        # Addresses the table cannot hold are not redirected (PostgreSQL refuses NUL).
        if len(path) > max_length or "\x00" in path:
            return response
        other = path[:-1] if path.endswith("/") else f"{path}/"
        found = {
            old_path: (new_path, is_external)
            for old_path, new_path, is_external in Redirect.objects.filter(
                old_path__in=[path, other]
            ).values_list("old_path", "new_path", "is_external")
        }
        new_path, is_external = found.get(path) or found.get(other) or (None, False)
        if new_path is None or not is_safe_target(request, new_path, is_external):
            return response
        try:
            return self.response_redirect_class(
                with_query(new_path, request.META.get("QUERY_STRING", ""))
            )
        except (DisallowedRedirect, ValueError):
            # e.g. a javascript: address saved from the shell: never a 500.
            return response


def is_safe_target(request, new_path, is_external):
    """Off-site only when marked external, and never back to the same path."""
    try:
        target = urlsplit(new_path)
    except ValueError:
        return False
    if is_external:
        return target.scheme in ("http", "https") and bool(target.netloc)
    return (
        new_path.startswith("/")
        and url_has_allowed_host_and_scheme(new_path, allowed_hosts=None)
        # A trailing-slash pair such as /a -> /a/ would loop through the fallback.
        and target.path != request.path
    )


def with_query(url, query_string):
    """url with the request's query string added to its own (before any #fragment)."""
    if not query_string:
        return url
    parts = urlsplit(url)
    query = "&".join(part for part in (parts.query, query_string) if part)
    return urlunsplit(parts._replace(query=query))
