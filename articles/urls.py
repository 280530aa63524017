from django.urls import path

from . import views
from .feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("guides/<slug:guide_slug>/", views.GuideDetailView.as_view(), name="guide"),
    path(
        "guides/<slug:guide_slug>/<slug:article_slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice"),
    path("doctors/<slug:slug>/", views.DoctorDetailView.as_view(), name="doctor"),
]
