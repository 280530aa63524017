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
