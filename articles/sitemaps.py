"""
/sitemap.xml: every language version of every public page, each <url> with
hreflang links to all published versions of the same page and an x-default.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from .models import Article, Doctor, Guide, Practice


class LanguageVersionsSitemap(Sitemap):
    """A sitemap whose entries link to each other's language versions (hreflang)."""

    def versions(self, item):
        """{language code: path} of each published version of `item`, itself too."""
        raise NotImplementedError

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            versions = self.versions(url["item"])
            url["alternates"] = [
                {"lang_code": code, "location": origin + versions[code]}
                for code, _name in settings.LANGUAGES
                if code in versions
            ]
            # Search engines send readers of other languages to the original.
            if settings.LANGUAGE_CODE in versions:
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": origin + versions[settings.LANGUAGE_CODE],
                    }
                )
        return urls


class EveryLanguageSitemap(LanguageVersionsSitemap):
    """Pages that exist in every language: one entry per language (Django's i18n)."""

    i18n = True

    def versions(self, item):
        obj, _language = item
        versions = {}
        for code in self._languages():
            with translation.override(code):
                versions[code] = self.location(obj)
        return versions


class TranslationsSitemap(LanguageVersionsSitemap):
    """
    Rows with a `language` and a `translation_of` original: each published row
    at its own address, linked to the other published rows of the same original.
    """

    def published(self):
        raise NotImplementedError

    @cached_property
    def rows(self):
        # One query for the whole sitemap: the page's entries and every entry's
        # alternates come from this same list.
        return list(self.published())

    def items(self):
        return self.rows

    @cached_property
    def families(self):
        families = defaultdict(dict)
        for row in self.rows:
            families[row.translation_of_id or row.pk][row.language] = (
                row.get_absolute_url()
            )
        return families

    def versions(self, row):
        # The row itself even if an original has two translations in its language.
        family = self.families[row.translation_of_id or row.pk]
        return {**family, row.language: row.get_absolute_url()}


class HomeSitemap(EveryLanguageSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class GlossarySitemap(EveryLanguageSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["articles:glossary"]

    def location(self, item):
        return reverse(item)


class GuideSitemap(TranslationsSitemap):
    changefreq = "weekly"
    priority = 0.8

    def published(self):
        return Guide.objects.published().order_by("language", "position", "title")

    def lastmod(self, guide):
        return guide.updated_at


class ArticleSitemap(TranslationsSitemap):
    changefreq = "weekly"
    priority = 1.0

    def published(self):
        return (
            Article.objects.published()
            # Its address is in its guide: only there is it served.
            .filter(guide__language=F("language"))
            .select_related("guide")
            .order_by("language", "guide__position", "guide__title", "position")
        )

    def lastmod(self, article):
        return article.content_updated_at


class PracticeSitemap(EveryLanguageSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Practice.objects.all()

    def lastmod(self, practice):
        return practice.updated_at


class DoctorSitemap(EveryLanguageSitemap):
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
