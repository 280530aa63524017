"""Keep positions gap-free however a row is deleted (admin, cascade, shell)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Article, ArticleFact, ArticleReference, ArticleStep
from .ordering import close_gaps


@receiver(post_delete, sender=ArticleStep)
@receiver(post_delete, sender=ArticleFact)
@receiver(post_delete, sender=ArticleReference)
def close_gaps_in_article(sender, instance, **kwargs):
    close_gaps(sender.objects.filter(article_id=instance.article_id))


@receiver(post_delete, sender=Article)
def close_gaps_in_guide(sender, instance, **kwargs):
    close_gaps(Article.objects.filter(guide_id=instance.guide_id))


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
    "view_guide",
    "view_image",
    "add_image",
    "change_image",
}

EDITORIAL_GROUPS = {
    # Editors write and submit for review; reviewers may also publish.
    "Site editors": lambda perm: perm.codename != "publish_article",
    "Medical reviewers": lambda perm: True,
    # Members of a practice, limited to its content by PracticeMembership.
    "Practice editors": lambda perm: perm.codename in PRACTICE_EDITOR_PERMISSIONS,
}


def ensure_editorial_groups(sender, **kwargs):
    """Create the editorial groups after migrate, adding (never removing) their permissions."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.filter(content_type__app_label="articles"))
    for name, wanted in EDITORIAL_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*[perm for perm in permissions if wanted(perm)])
