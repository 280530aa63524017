"""Short links that practices give their patients: /p/<practice>/<guide>/[<article>/]."""

from django.urls import path

from . import share

app_name = "share"

urlpatterns = [
    path(
        "<slug:practice_slug>/<slug:guide_slug>/",
        share.BrandedGuideView.as_view(),
        name="guide",
    ),
    path(
        "<slug:practice_slug>/<slug:guide_slug>/<slug:article_slug>/",
        share.BrandedArticleView.as_view(),
        name="article",
    ),
]
