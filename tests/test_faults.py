"""
Failures on our side: an unreachable database answers 503 with a retry page,
error pages give nothing away, and malformed requests get a 4xx, never a 5xx.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import Http404
from django.test import Client
from django.urls import path
from django.utils import timezone

from articles.models import Status
from kyphoinfo import urls as site_urls

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

# What a careless error page would give away: in a message, a setting, a path.
SECRET = "password=hunter2-from-the-exception"


def raise_exception(exception):
    def view(request):
        raise exception

    return view


def run_failing_query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM no_such_table_for_faults")


# tests.test_faults as a URLconf: the site's own URLs, plus views that fail.
urlpatterns = [
    *site_urls.urlpatterns,
    path("fail/400/", raise_exception(SuspiciousOperation(SECRET))),
    path("fail/bad-request/", raise_exception(BadRequest(SECRET))),
    path("fail/403/", raise_exception(PermissionDenied(SECRET))),
    path("fail/404/", raise_exception(Http404(SECRET))),
    path("fail/500/", raise_exception(ValueError(SECRET))),
    path("fail/503/", raise_exception(OperationalError(SECRET))),
    path("fail/sql/", run_failing_query),
]
handler400 = site_urls.handler400
handler500 = site_urls.handler500


@pytest.fixture
def failing_client(client, settings):
    """A client that gets the error page a visitor would, not the exception."""
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.fixture
def database_down():
    """Every new query fails as it does when the database server is unreachable."""
    error = OperationalError(f'connection to server at "db.internal" failed: {SECRET}')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


def html(response):
    return response.content.decode()


def assert_leaks_nothing(response):
    page = html(response)
    for leak in [
        SECRET,
        "hunter2",
        "Traceback",
        'File "',
        "secret_column",
        "SECRET_KEY",
        django_settings.SECRET_KEY,
        "DATABASES",
        str(django_settings.BASE_DIR),
    ]:
        assert leak not in page, f"the {response.status_code} page shows {leak!r}"


# --- The database is down ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/guides/living-with-a-fracture/",
        "/en/guides/living-with-a-fracture/the-procedure/",
        "/en/glossary/",
        "/en/search/?q=fracture",
        "/en/practices/spine-centre/",
        "/p/spine-centre/living-with-a-fracture/",
        # A 404 asks the redirect table: a failure inside a middleware.
        "/en/no-such-page/",
    ],
)
def test_patient_pages_answer_503_with_a_retry_page_when_the_database_is_down(
    failing_client, database_down, url
):
    response = failing_client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = html(response)
    assert "We will be back in a moment" in page
    assert 'href="/static/css/site.css"' in page  # the site's own design
    assert '<a class="site-name" href="/en/">KyphoInfo' in page
    assert f'<a class="button" href="{url.split("?")[0]}">Try again</a>' in page
    assert_leaks_nothing(response)


@pytest.fixture
def signed_in_before_the_outage(failing_client, editor):
    failing_client.force_login(editor)
    return failing_client


def test_a_signed_in_editor_reading_patient_pages_gets_the_retry_page_too(
    signed_in_before_the_outage, database_down
):
    response = signed_in_before_the_outage.get("/en/")
    assert response.status_code == 503
    assert "We will be back in a moment" in html(response)


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/login/", "/admin/articles/article/"]
)
def test_the_admin_says_the_site_is_temporarily_unavailable(
    signed_in_before_the_outage, database_down, url
):
    # The session is looked up in the database before any admin view runs.
    response = signed_in_before_the_outage.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = html(response)
    assert "The site is temporarily unavailable" in page
    assert "admin/css/base.css" in page
    assert "KyphoInfo editors" in page
    assert "We will be back in a moment" not in page
    assert_leaks_nothing(response)


def test_an_editor_saving_during_the_outage_is_told_the_change_may_be_lost(
    signed_in_before_the_outage, database_down
):
    response = signed_in_before_the_outage.post(
        "/admin/articles/guide/add/", {"title": "New guide"}
    )
    assert response.status_code == 503
    assert "it may not have been saved" in html(response)


def test_healthz_answers_503_while_the_database_is_down(failing_client, database_down):
    response = failing_client.get("/healthz")
    assert response.status_code == 503
    assert html(response) == "database unavailable\n"
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_200_again_once_the_database_is_back(failing_client):
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError
    ):
        assert failing_client.get("/healthz").status_code == 503
    response = failing_client.get("/healthz")
    assert response.status_code == 200
    assert html(response) == "ok\n"


# --- Error pages give nothing away ---------------------------------------------


@pytest.mark.urls("tests.test_faults")
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/fail/400/", 400, "We could not understand that request"),
        ("/fail/bad-request/", 400, "We could not understand that request"),
        ("/fail/403/", 403, "You cannot open this page"),
        ("/fail/404/", 404, "We could not find that page"),
        ("/fail/500/", 500, "Something went wrong on our side"),
        ("/fail/503/", 503, "We will be back in a moment"),
    ],
)
def test_error_pages_show_no_exception_text_traceback_or_settings(
    failing_client, url, status, heading
):
    response = failing_client.get(url)
    assert response.status_code == status
    assert heading in html(response)
    assert_leaks_nothing(response)


@pytest.mark.urls("tests.test_faults")
def test_a_failing_query_is_not_shown(failing_client):
    response = failing_client.get("/fail/sql/")
    # PostgreSQL reports a missing table as a ProgrammingError (500); SQLite calls
    # nearly every failure an OperationalError, which the site treats as an outage.
    assert response.status_code == (503 if connection.vendor == "sqlite" else 500)
    assert_leaks_nothing(response)


def test_the_410_page_shows_no_internals(failing_client):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=2))
    article.status = Status.ARCHIVED
    article.save()
    response = failing_client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert_leaks_nothing(response)


# --- Malformed requests get 4xx, never 5xx -------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/en/search/?q=kyphoplasty&page=abc", 200),
        ("/en/search/?q=kyphoplasty&page=99999", 200),
        ("/en/search/?q=kyphoplasty&page=-1", 200),
        ("/en/search/?q=kyphoplasty&page=" + "9" * 5000, 200),
        ("/en/search/?q=%00", 200),
        ("/en/search/?q=bone%00cement", 200),
        ("/en/search/?q=%ff%fe", 200),
        ("/en/search/?q=" + "fracture+" * 2000, 200),
        ("/en/search/?q=a&q=b&q[]=c", 200),
        ("/en/search/?" + "&".join(f"k{n}=v" for n in range(1500)), 400),
        ("/en/guides/" + "a" * 5000 + "/", 404),
        ("/en/guides/%ff%fe/", 404),
        ("/en/guides/%00/", 404),
        ("/en/practices/%c3/", 404),
        ("/p/%ff/%fe/", 404),
        ("/p/" + "a" * 5000 + "/" + "b" * 5000 + "/", 302),
        ("/sitemap.xml?p=abc", 404),
        ("/sitemap.xml?p=-1", 404),
        ("/sitemap.xml?p=%00", 404),
        ("/media/images/%00.png", 404),
        ("/media/../settings.py", 400),
    ],
)
def test_malformed_requests_get_a_client_error_or_a_normal_page(
    failing_client, url, status
):
    response = failing_client.get(url)
    assert response.status_code == status
    assert_leaks_nothing(response)


def test_a_media_file_name_too_long_for_the_disk_is_not_found(failing_client, settings):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    response = failing_client.get("/media/images/" + "a" * 300 + ".png")
    assert response.status_code == 404


def test_a_post_body_over_the_size_limit_is_a_bad_request(failing_client):
    body = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = failing_client.post(
        "/admin/login/",
        f"username=editor&password={body}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "We could not understand that request" in html(response)


def test_a_post_with_too_many_fields_is_a_bad_request(failing_client):
    fields = {f"field{n}": "x" for n in range(2000)}
    response = failing_client.post("/admin/login/", fields)
    assert response.status_code == 400


def test_posting_to_a_patient_page_is_not_allowed_rather_than_an_error():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert client.post("/en/", {"q": "x"}).status_code == 403  # no CSRF cookie
    assert Client().post("/en/search/", {"q": "x"}).status_code == 405


def test_an_unknown_method_is_not_allowed(failing_client):
    assert failing_client.generic("BREW", "/en/").status_code == 405


def test_a_host_we_do_not_serve_gets_the_400_page(failing_client):
    response = failing_client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "We could not understand that request" in html(response)
    assert "evil.example" not in html(response)
