from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Article


class LatestArticlesFeed(Feed):
    """Newly published and updated articles, newest change first (Atom)."""

    feed_type = Atom1Feed
    title = _("New and updated patient guides")
    subtitle = _("Articles reviewed by doctors, in plain words.")

    def link(self):
        return reverse("articles:home")

    def items(self):
        return (
            Article.objects.published()
            .filter(guide__language=get_language())
            .select_related("guide", "reviewed_by")
            .order_by("-content_updated_at")[:30]
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Atom marks the summary type="html": feed readers render it as HTML, so
        # the plain-text teaser must reach them escaped ("<" as "&lt;").
        return escape(article.teaser)

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.content_updated_at

    def item_author_name(self, article):
        return article.reviewed_by.display_name if article.reviewed_by else None

    def item_categories(self, article):
        return [article.guide.title]
