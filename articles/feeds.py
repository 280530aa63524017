from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Article


class LatestArticlesFeed(Feed):
    """
    Newly published and updated articles of the request's language, newest
    change first (Atom). /es/novedades/ lists only Spanish articles.
    """

    feed_type = Atom1Feed
    # Left unset, Feed marks the feed xml:lang with the request's language.
    language = None
    title = _("New and updated patient guides")
    subtitle = _("Articles reviewed by doctors, in plain words.")

    def link(self):
        return reverse("articles:home")

    def items(self):
        language = get_language()
        return (
            Article.objects.published()
            # Each at its own address, which is in its guide's language.
            .filter(language=language, guide__language=language)
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
