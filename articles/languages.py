"""
A patient page's versions in the site's other languages: the language
switcher and the hreflang alternates in its head.

A version is the same page in another language that patients may read: for
guides and articles, a published translation (or the published original);
for pages every language has (home, glossary, search, practices, doctors),
the same address translated. Where an article has no published translation,
the switcher leads to the guide in that language, or to that language's home
page, and says so; the hreflang alternates list real versions only.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Article, Guide


def same_page(request):
    """The request's page in every language: the path, its first segment translated."""
    return {
        code: translate_url(request.path, code) for code, _name in settings.LANGUAGES
    }


def translation_group(queryset, obj):
    """obj, its original and the original's other translations, from `queryset`."""
    original = obj.translation_of_id or obj.pk
    return queryset.filter(Q(pk=original) | Q(translation_of=original))


def guide_versions(guide):
    """{language: guide} of the published guides that are this guide in a language."""
    group = translation_group(Guide.objects.published(), guide)
    return {version.language: version for version in group.only("slug", "language")}


def article_versions(article):
    """
    ({language: article} of the article's published versions, {language: guide}
    for the languages without one) in one query each.
    """
    group = (
        translation_group(Article.objects.published(), article)
        .select_related("guide")
        .only("slug", "language", "guide__slug", "guide__language")
    )
    versions = {version.language: version for version in group}
    missing = {code for code, _name in settings.LANGUAGES} - versions.keys()
    guides = guide_versions(article.guide) if missing else {}
    return versions, {code: guides[code] for code in missing if code in guides}


def page_languages(request, versions, fallbacks=None):
    """
    The context base.html needs for the switcher ("language_links") and the
    head's alternates ("alternates", "default_alternate"): absolute addresses.
    """
    current = translation.get_language()
    fallbacks = fallbacks or {}
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        name = translation.get_language_info(code)["name_local"]
        with translation.override(code):
            if code in versions:
                url, note = versions[code], ""
            elif code in fallbacks:
                url = fallbacks[code]
                note = _("This page is not translated yet; this link opens the guide.")
            else:
                url = reverse("articles:home")
                note = _(
                    "This page is not translated yet; this link opens the home page."
                )
        links.append(
            {
                "code": code,
                "name": capfirst(name),
                "url": url,
                "note": note,
            }
        )
    build = request.build_absolute_uri
    alternates = [
        {"code": code, "url": build(versions[code])}
        for code, _name in settings.LANGUAGES
        if code in versions
    ]
    # x-default: where search engines send a visitor whose language the site lacks.
    default = versions.get(settings.LANGUAGE_CODE)
    return {
        "language_links": links,
        # A page in one language only has no alternates to declare.
        "alternates": alternates if len(alternates) > 1 else [],
        "default_alternate": build(default) if default and len(alternates) > 1 else "",
    }


class LanguageVersionsMixin:
    """For patient views: the page's language versions in the context."""

    def get_language_versions(self):
        """{language: path}; by default, the same page exists in every language."""
        return same_page(self.request)

    def get_language_fallbacks(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_languages(
                self.request,
                self.get_language_versions(),
                self.get_language_fallbacks(),
            )
        )
        return context
