from django.urls import path

from . import views
from .feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("guides/<slug:guide_slug>/", views.GuideDetailView.as_view(), name="guide"),
    path(
        "guides/<slug:guide_slug>/print/",
        views.GuidePrintView.as_view(),
        name="guide_print",
    ),
    path(
        "guides/<slug:guide_slug>/<slug:article_slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice"),
    path("doctors/<slug:slug>/", views.DoctorDetailView.as_view(), name="doctor"),
    path("search/", views.SearchView.as_view(), name="search"),
]
