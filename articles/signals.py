"""
Keep positions gap-free however a row is deleted (admin, cascade, shell), and
retire cached pages whenever something patients can see changes.
"""

import logging

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from . import content_version
from .images import delete_on_commit
from .models import Article, ArticleFact, ArticleReference, ArticleStep, Image
from .ordering import close_gaps

logger = logging.getLogger(__name__)


@receiver(post_delete, sender=ArticleStep)
@receiver(post_delete, sender=ArticleFact)
@receiver(post_delete, sender=ArticleReference)
def close_gaps_in_article(sender, instance, **kwargs):
    close_gaps(sender.objects.filter(article_id=instance.article_id))


@receiver(post_delete, sender=Article)
def close_gaps_in_guide(sender, instance, **kwargs):
    close_gaps(Article.objects.filter(guide_id=instance.guide_id))


# --- Image renditions ----------------------------------------------------------


@receiver(post_delete, sender=Image)
def delete_renditions(sender, instance, **kwargs):
    """
    Renditions go with their image. The original stays, so that "Recover deleted
    images" can bring the image back; its renditions are then made again.
    """
    delete_on_commit(instance.file.storage, [r["name"] for r in instance.renditions])


@receiver(post_save, sender=Image)
def renditions_after_restore(sender, instance, raw, **kwargs):
    """
    A restored revision or a loaded fixture is saved raw, past Image.save(), and
    may list renditions that were deleted since: make them again.
    """
    if not (raw and instance.file) or not instance.renditions_missing():
        return
    try:
        stale = instance.make_renditions()
    except OSError:
        logger.warning("Image %s: original %s unreadable", instance.pk, instance.file)
        return
    Image.objects.filter(pk=instance.pk).update(renditions=instance.renditions)
    delete_on_commit(instance.file.storage, stale)


# Models whose rows no patient page shows.
NOT_SHOWN_TO_PATIENTS = {"AuditEvent", "PracticeMembership", "ReferralCount"}


def content_changed(sender, using=None, **kwargs):
    """Every cached page is stale once this change commits (raw saves, i.e. restores, too)."""
    content_version.bump_on_commit(using)


for model in apps.get_app_config("articles").get_models():
    if model.__name__ in NOT_SHOWN_TO_PATIENTS:
        continue
    post_save.connect(content_changed, sender=model)
    post_delete.connect(content_changed, sender=model)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(content_changed, sender=field.remote_field.through)


@receiver(post_migrate)
def new_code_new_version(sender, using=None, **kwargs):
    """A deploy runs migrate: pages cached by the previous code's templates retire."""
    if sender.name == "articles":
        content_version.bump_on_commit(using)


PRACTICE_EDITOR_PERMISSIONS = {
    "view_practice",
    "change_practice",
    "view_location",
    "add_location",
    "change_location",
    "delete_location",
    "view_doctor",
    "add_doctor",
    "change_doctor",
    "view_article",
    "add_article",
    "change_article",
    "view_articlestep",
    "add_articlestep",
    "change_articlestep",
    "delete_articlestep",
    "view_articlefact",
    "add_articlefact",
    "change_articlefact",
    "delete_articlefact",
    "view_articlereference",
    "add_articlereference",
    "change_articlereference",
    "delete_articlereference",
    "view_practicefact",
    "add_practicefact",
    "change_practicefact",
    "delete_practicefact",
    "view_guide",
    "view_image",
    "add_image",
    "change_image",
}

# Medical sign-off: publishing an article, or a practice's own value of a fact.
SIGN_OFF_PERMISSIONS = {"publish_article", "sign_off_practicefact"}

EDITORIAL_GROUPS = {
    # Editors write and submit for review; reviewers may also publish.
    "Site editors": lambda perm: perm.codename not in SIGN_OFF_PERMISSIONS,
    "Medical reviewers": lambda perm: True,
    # Members of a practice, limited to its content by PracticeMembership.
    "Practice editors": lambda perm: perm.codename in PRACTICE_EDITOR_PERMISSIONS,
    # A practice's doctors also sign off its facts (only as the doctor their
    # login belongs to, and only for the practices that doctor works at).
    "Practice doctors": lambda perm: (
        perm.codename in PRACTICE_EDITOR_PERMISSIONS
        or perm.codename == "sign_off_practicefact"
    ),
}


def ensure_editorial_groups(sender, **kwargs):
    """Create the editorial groups after migrate, adding (never removing) their permissions."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.filter(content_type__app_label="articles"))
    for name, wanted in EDITORIAL_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*[perm for perm in permissions if wanted(perm)])
