"""
Security headers on every kind of page: the strict Content-Security-Policy on
patient pages and the admin's own, Permissions-Policy, and the headers and
cookies Django's SecurityMiddleware, sessions and CSRF protection set.
"""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .factories import (
    ArticleFactory,
    DoctorFactory,
    LocationFactory,
    PracticeFactory,
    UserFactory,
    png_bytes,
)
from .test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

PATIENT_POLICY = {
    "default-src": {"'none'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "font-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}

DENIED_FEATURES = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "bluetooth",
    "browsing-topics",
    "interest-cohort",
]

PATIENT_PAGES = [
    "home",
    "guide",
    "guide-print",
    "article",
    "practice",
    "doctor",
    "glossary",
    "search",
    "short-link-guide",
    "short-link-article",
    "feed",
    "sitemap",
    "robots",
    "not-found",
]


def policy(response):
    """The Content-Security-Policy header as {directive: {sources}}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def permissions(response):
    """The Permissions-Policy header as {feature: allow-list}."""
    features = {}
    for part in response["Permissions-Policy"].split(","):
        feature, _equals, allowed = part.strip().partition("=")
        features[feature] = allowed
    return features


def assert_common_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = permissions(response)
    for feature in DENIED_FEATURES:
        assert features[feature] == "()", feature


@pytest.fixture
def site():
    """The path of one page of each public kind, by name."""
    practice = PracticeFactory(slug="riverside")
    LocationFactory(practice=practice)
    doctor = DoctorFactory(slug="jordan-example")
    doctor.practices.add(practice)
    article = ArticleFactory(reviewed_by=doctor, practice=practice)
    guide = article.guide
    short = {"practice_slug": practice.slug, "guide_slug": guide.slug}
    return {
        "home": reverse("articles:home"),
        "guide": guide.get_absolute_url(),
        "guide-print": reverse("articles:guide_print", args=[guide.slug]),
        "article": article.get_absolute_url(),
        "practice": practice.get_absolute_url(),
        "doctor": doctor.get_absolute_url(),
        "glossary": reverse("articles:glossary"),
        "search": reverse("articles:search") + "?q=kyphoplasty",
        "short-link-guide": reverse("share:guide", kwargs=short),
        "short-link-article": reverse(
            "share:article", kwargs={**short, "article_slug": article.slug}
        ),
        "feed": reverse("articles:feed"),
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots"),
        "not-found": "/en/no-such-page/",
    }


@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_patient_page_has_the_strict_policy_and_security_headers(client, site, name):
    response = client.get(site[name])
    assert response.status_code == (404 if name == "not-found" else 200)
    assert policy(response) == PATIENT_POLICY
    assert_common_headers(response)


def test_page_from_the_page_cache_has_the_same_headers(
    client,
    settings,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Cached and still protected")
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        cached = client.get(article.get_absolute_url())
    cache.clear()
    assert cached.content == first.content
    assert policy(cached) == PATIENT_POLICY
    assert_common_headers(cached)


def test_admin_login_has_the_admin_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["style-src"] == {"'self'", "'unsafe-inline'"}
    assert directives["img-src"] == {"'self'", "data:"}
    assert directives["connect-src"] == {"'self'"}
    # Only the one event handler the handout's Print button needs.
    assert directives["script-src-attr"] == {
        "'unsafe-hashes'",
        "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",
    }
    for directive in [
        "default-src",
        "script-src",
        "font-src",
        "object-src",
        "base-uri",
        "form-action",
        "frame-ancestors",
    ]:
        assert directives[directive] == PATIENT_POLICY[directive], directive
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert_common_headers(response)


def test_article_change_form_has_the_admin_policy(editor_client):
    article = ArticleFactory()
    response = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    assert response.status_code == 200
    assert "'unsafe-inline'" in policy(response)["style-src"]


def png_upload():
    return SimpleUploadedFile("picture.png", png_bytes(), content_type="image/png")


def test_editor_image_upload_has_the_admin_policy(editor_client):
    response = editor_client.post(
        reverse("editor_image_upload"), {"upload": png_upload()}
    )
    assert response.status_code == 200
    assert policy(response)["connect-src"] == {"'self'"}


def test_patient_page_under_a_path_mentioning_admin_keeps_the_strict_policy(client):
    response = client.get(reverse("articles:search") + "?q=/admin/")
    assert policy(response) == PATIENT_POLICY


def test_admin_login_refuses_a_post_without_csrf_token(db):
    UserFactory(username="editor", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "a-long-test-password"},
    )
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content
    assert "_auth_user_id" not in client.session


def test_admin_login_accepts_the_same_post_with_its_csrf_token(db):
    UserFactory(username="editor", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_editor_image_upload_refuses_a_post_without_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        reverse("editor_image_upload"),
        {"upload": png_upload()},
    )
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content


@pytest.fixture
def https(settings):
    """What DJANGO_HTTPS=1 sets (kyphoinfo/settings.py)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def test_https_pages_send_hsts(client, site, https):
    for path in [site["home"], site["article"], reverse("admin:login")]:
        response = client.get(path, secure=True)
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), path


def test_plain_http_is_redirected_to_https(client, site, https):
    response = client.get(site["article"])
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_https_login_sets_secure_httponly_session_and_csrf_cookies(https, db):
    UserFactory(username="editor", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    login_page = client.get(reverse("admin:login"), secure=True)
    csrf_cookie = login_page.cookies["csrftoken"]
    assert csrf_cookie["secure"] is True
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": csrf_cookie.value,
        },
        secure=True,
        headers={"referer": "https://testserver/admin/login/"},
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_production_over_https_asks_browsers_to_upgrade_requests():
    """The real settings with DJANGO_HTTPS on, read in a fresh process."""
    script = (
        "from django.test import Client;"
        "response = Client().get('/robots.txt', secure=True,"
        " headers={'host': 'patients.example.org'});"
        "print(response.status_code);"
        "print(response['Strict-Transport-Security']);"
        "print(response['Content-Security-Policy'])"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        **PRODUCTION,
        DJANGO_HTTPS="1",
        KYPHOINFO_PAGE_CACHE_SECONDS="0",
    )
    assert result.returncode == 0, result.stderr
    status, hsts, csp = result.stdout.strip().splitlines()[-3:]
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "upgrade-insecure-requests" in csp.split("; ")
    assert "unsafe" not in csp
