"""
Logs: JSON lines on stderr in production, each carrying the id of the request
it was written for (the X-Request-ID response header), with enough to debug an
error and none of the request's secrets.
"""

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import path
from django.utils.module_loading import import_string

from articles.request_id import SANE_REQUEST_ID
from kyphoinfo import urls as site_urls

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-42"
CSRF_TOKEN = "csrf" + "7" * 60
BEARER = "Bearer secret-bearer-token-from-the-proxy"


def fail_after_reading_the_user(request):
    request.user.get_username()  # as every admin view does before it gets to work
    raise ValueError("the view failed")


# tests.test_logging as a URLconf: the site's own URLs, plus a view that fails.
urlpatterns = [*site_urls.urlpatterns, path("fail/", fail_after_reading_the_user)]


@pytest.fixture
def json_log():
    """
    The console handler of settings.LOGGING with its production JSON formatter
    (test_production_logs_json_lines_to_stderr shows where it writes); returns
    a reader of the lines written so far.
    """
    handler = next(
        h for h in logging.getLogger("django").handlers if h.name == "console"
    )
    options = dict(django_settings.LOGGING["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)
    written = io.StringIO()
    old_formatter, old_stream = handler.formatter, handler.setStream(written)
    handler.setFormatter(formatter)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    handler.setFormatter(old_formatter)
    handler.setStream(old_stream)


@pytest.fixture
def failing_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.urls("tests.test_logging")
def test_an_error_is_logged_as_json_with_request_id_and_traceback_but_no_secrets(
    failing_client, editor, json_log
):
    failing_client.force_login(editor)
    session_id = failing_client.cookies[django_settings.SESSION_COOKIE_NAME].value
    failing_client.cookies[django_settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    response = failing_client.post(
        "/fail/",
        {"username": "editor", "password": PASSWORD},
        HTTP_AUTHORIZATION=BEARER,
        HTTP_X_CSRFTOKEN=CSRF_TOKEN,
    )
    assert response.status_code == 500

    lines = json_log()
    [error] = [line for line in lines if line["levelname"] == "ERROR"]
    assert error["name"] == "django.request"
    assert error["message"] == "Internal Server Error: /fail/"
    assert error["request_id"] == response["X-Request-ID"]
    assert error["method"] == "POST"
    assert error["path"] == "/fail/"
    assert error["status_code"] == 500
    assert error["user_id"] == editor.pk
    assert "Traceback (most recent call last)" in error["exc_info"]
    assert "ValueError: the view failed" in error["exc_info"]
    assert "timestamp" in error

    logged = json.dumps(lines)
    for secret in [PASSWORD, session_id, CSRF_TOKEN, "secret-bearer-token"]:
        assert secret not in logged
    assert "WSGIRequest" not in logged


def test_lines_logged_after_the_response_carry_its_request_id(client, json_log):
    # Django logs a 404 once the middleware has returned the response.
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    [line] = json_log()
    assert line["message"] == "Not Found: /en/no-such-page/"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] is None


def test_every_response_has_its_own_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/en/")["X-Request-ID"]
    assert first != second
    assert uuid.UUID(first) and uuid.UUID(second)


def test_a_sane_request_id_from_the_proxy_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="9f1c2b7e-proxy.42")
    assert response["X-Request-ID"] == "9f1c2b7e-proxy.42"


@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "x" * 129,
        "forged\nERROR a line of our own",
        "has spaces in it",
        '"quotes"<and>{braces}',
        "ümlaut-1234",
    ],
)
def test_an_odd_request_id_from_outside_is_replaced(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert uuid.UUID(response["X-Request-ID"])
    assert SANE_REQUEST_ID.fullmatch(response["X-Request-ID"])


SCRIPT = """
import django, logging
django.setup()
logging.getLogger("articles").warning("Checked %s", "the logs")
"""


def log_a_warning(**env):
    """Start Django in a fresh process, with env, and log one warning there."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KYPHOINFO_LOG"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={**environment, "DJANGO_SETTINGS_MODULE": "kyphoinfo.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 50}


def test_production_logs_json_lines_to_stderr():
    result = log_a_warning(**PRODUCTION)
    assert result.stdout == ""
    line = json.loads(result.stderr)
    assert line["message"] == "Checked the logs"
    assert line["levelname"] == "WARNING"
    assert line["name"] == "articles"
    assert line["request_id"] is None  # not written during a request


def test_development_logs_plain_lines_unless_json_is_asked_for():
    result = log_a_warning(DJANGO_DEBUG="1")
    assert result.stderr.rstrip().endswith("WARNING articles [None] Checked the logs")
    result = log_a_warning(DJANGO_DEBUG="1", KYPHOINFO_LOG_FORMAT="json")
    assert json.loads(result.stderr)["message"] == "Checked the logs"


def test_an_unknown_log_format_is_refused_at_startup():
    result = log_a_warning(**PRODUCTION, KYPHOINFO_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "KYPHOINFO_LOG_FORMAT must be json or text" in result.stderr
