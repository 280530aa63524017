from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Doctor, Guide, Practice


class HomeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class GlossarySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["articles:glossary"]

    def location(self, item):
        return reverse(item)


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Guide.objects.published()

    def lastmod(self, guide):
        return guide.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return (
            Article.objects.published()
            .select_related("guide")
            .order_by("guide", "position")
        )

    def lastmod(self, article):
        return article.content_updated_at


class PracticeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Practice.objects.all()

    def lastmod(self, practice):
        return practice.updated_at


class DoctorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Doctor.objects.all()


SITEMAPS = {
    "home": HomeSitemap,
    "glossary": GlossarySitemap,
    "guides": GuideSitemap,
    "articles": ArticleSitemap,
    "practices": PracticeSitemap,
    "doctors": DoctorSitemap,
}
