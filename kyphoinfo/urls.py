from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, reverse_lazy

from articles import views
from articles.sitemaps import SITEMAPS

urlpatterns = [
    # Invited editors choose their own password (Django's password reset views).
    path(
        "admin/password-set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "admin/password-set/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("editor/images/", views.editor_image_upload, name="editor_image_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("p/", include("articles.share_urls")),
    re_path(r"^media/(?P<path>.+)$", views.serve_media, name="media"),
]

# Patient pages carry a language prefix; "/" redirects to it (LocaleMiddleware).
urlpatterns += i18n_patterns(path("", include("articles.urls")))

# An unreachable database answers 503, not 500; a bad Host header gets the
# 400 page rather than a second error while rendering it (articles.faults).
handler400 = "articles.faults.bad_request"
handler500 = "articles.faults.server_error"
