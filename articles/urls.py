from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views
from .feeds import LatestArticlesFeed

app_name = "articles"


def route(segment, rest=""):
    """A route whose first segment is translated: /es/guias/... for /en/guides/..."""
    return format_lazy("{}{}", segment, rest)


# The context tells translators these are web addresses: lower case, no
# accents or spaces, ending in "/".
GUIDES = pgettext_lazy("URL path", "guides/")
PRINT = pgettext_lazy("URL path", "print/")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        route(GUIDES, "<slug:guide_slug>/"),
        views.GuideDetailView.as_view(),
        name="guide",
    ),
    path(
        format_lazy("{}<slug:guide_slug>/{}", GUIDES, PRINT),
        views.GuidePrintView.as_view(),
        name="guide_print",
    ),
    path(
        route(GUIDES, "<slug:guide_slug>/<slug:article_slug>/"),
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path(
        route(pgettext_lazy("URL path", "glossary/")),
        views.GlossaryView.as_view(),
        name="glossary",
    ),
    path(route(pgettext_lazy("URL path", "feed/")), LatestArticlesFeed(), name="feed"),
    path(
        route(pgettext_lazy("URL path", "practices/"), "<slug:slug>/"),
        views.PracticeDetailView.as_view(),
        name="practice",
    ),
    path(
        route(pgettext_lazy("URL path", "doctors/"), "<slug:slug>/"),
        views.DoctorDetailView.as_view(),
        name="doctor",
    ),
    path(
        route(pgettext_lazy("URL path", "search/")),
        views.SearchView.as_view(),
        name="search",
    ),
]
