from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles import views
from articles.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("editor/images/", views.editor_image_upload, name="editor_image_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("healthz", views.healthz, name="healthz"),
    re_path(r"^media/(?P<path>.+)$", views.serve_media, name="media"),
]

# Patient pages carry a language prefix; "/" redirects to it (LocaleMiddleware).
urlpatterns += i18n_patterns(path("", include("articles.urls")))
