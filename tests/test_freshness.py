"""
Two application servers (separate gunicorn processes) share one database and
one cache, as production's do. An editor's change through one is what the
other serves next, although it had the page cached.

The database is a fresh one for this test: a SQLite file, or on PostgreSQL
(DATABASE_URL) a database created and dropped here. The cache is a directory
of files, or with REDIS_URL Redis under a key prefix of this test's own.
"""

import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from types import SimpleNamespace

import psycopg
import pytest
import redis
from django.conf import settings

from .admin_forms import form_data

BASE_DIR = settings.BASE_DIR
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ARTICLE = "/en/guides/spinal-fractures-and-kyphoplasty/how-balloon-kyphoplasty-works/"
GUIDE = "/en/guides/spinal-fractures-and-kyphoplasty/"
GLOSSARY = "/en/glossary/"
PASSWORD = uuid.uuid4().hex

SETUP = """
import json
from django.contrib.auth import get_user_model
from articles.models import Article, GlossaryTerm
get_user_model().objects.create_superuser("freshness", password="{password}")
print(json.dumps({{
    "article": Article.objects.get(slug="how-balloon-kyphoplasty-works").pk,
    "term": GlossaryTerm.objects.order_by("pk").first().pk,
}}))
"""


class Database:
    """A database of this test's own, on the engine the test suite runs on."""

    def __init__(self, tmp_path):
        default = settings.DATABASES["default"]
        self.postgres = default["ENGINE"] == "django.db.backends.postgresql"
        if self.postgres:
            self.name = f"{default['NAME']}_freshness_{os.getpid()}"
            self.server = {
                "host": default["HOST"] or None,
                "port": default["PORT"] or None,
                "user": default["USER"] or None,
                "password": default["PASSWORD"] or None,
            }
            with self.maintenance() as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
            self.url = url._replace(path=f"/{self.name}").geturl()
        else:
            self.path = tmp_path / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def maintenance(self):
        return psycopg.connect(dbname="postgres", autocommit=True, **self.server)

    def execute(self, statement, params):
        """Change a row behind Django's back: no signal, so no new content version."""
        if self.postgres:
            with psycopg.connect(dbname=self.name, autocommit=True, **self.server) as c:
                c.execute(statement.replace("?", "%s"), params)
        else:
            with sqlite3.connect(self.path) as connection:
                connection.execute(statement, params)

    def drop(self):
        if self.postgres:
            with self.maintenance() as connection:
                connection.execute(
                    f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'
                )


class Server:
    """`gunicorn kyphoinfo.wsgi` on a free port of 127.0.0.1."""

    def __init__(self, env, log):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kyphoinfo.wsgi"]
            + ["--bind", "127.0.0.1:0", "--workers", "1", "--chdir", str(BASE_DIR)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )

    def wait_until_listening(self, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(
                r"Listening at: (http://127\.0\.0\.1:\d+)", self.log.read_text()
            )
            if found:
                self.url = found[1]
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Requests to one server, keeping cookies (for the editor) like a browser."""

    def __init__(self, server):
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        # Only ever http://127.0.0.1 of our own servers.
        request = urllib.request.Request(  # noqa: S310
            self.server.url + path, data=body, headers={"User-Agent": BROWSER}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return SimpleNamespace(
                    status_code=response.status, content=response.read()
                )
        except urllib.error.HTTPError as error:
            return SimpleNamespace(status_code=error.code, content=error.read())

    def text(self, path):
        response = self.request(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content.decode()

    def log_in(self, username, password):
        page = self.request("/admin/login/")
        data = form_data(page, "login-form")
        data.update(username=username, password=password)
        assert self.request("/admin/login/?next=/admin/", data).status_code == 302

    def save(self, change_path, form_id, **changes):
        """Change fields in an admin change form and save it, as an editor would."""
        data = form_data(self.request(change_path), form_id)
        data.update(changes)
        response = self.request(change_path, data)
        assert response.status_code == 302, response.content.decode()[-3000:]


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("freshness")
    database = Database(tmp_path)
    prefix = f"freshness-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "KYPHOINFO_CACHE_DIR": str(tmp_path / "cache"),
        "KYPHOINFO_CACHE_KEY_PREFIX": prefix,
        "KYPHOINFO_PAGE_CACHE_SECONDS": "300",
    }
    servers = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        ids = json.loads(
            manage(env, "shell", "--no-imports", "-c", SETUP.format(password=PASSWORD))
        )
        servers = [Server(env, tmp_path / f"gunicorn-{name}.log") for name in "ab"]
        for server in servers:
            server.wait_until_listening()
        editor = Browser(servers[0])
        editor.log_in("freshness", PASSWORD)
        yield SimpleNamespace(
            editor=editor, patient=Browser(servers[1]), database=database, **ids
        )
    finally:
        for server in servers:
            server.stop()
        database.drop()
        if os.environ.get("REDIS_URL"):
            client = redis.Redis.from_url(os.environ["REDIS_URL"])
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


def article_change(site):
    return f"/admin/articles/article/{site.article}/change/"


def test_the_other_process_serves_its_cached_copy_until_an_edit(site):
    original = site.patient.text(ARTICLE)
    site.database.execute(
        "UPDATE articles_article SET title = ? WHERE id = ?",
        ["Changed behind Django's back", site.article],
    )
    # Served from the cache: nothing told the application about this change.
    assert site.patient.text(ARTICLE) == original


def test_an_article_edited_through_one_process_shows_through_the_other(site):
    assert "Read a new first paragraph" not in site.patient.text(ARTICLE)
    site.patient.text(ARTICLE)  # the copy every later patient gets
    site.editor.save(
        article_change(site),
        "article_form",
        introduction="<p>Read a new first paragraph before the procedure.</p>",
    )
    # At once, not after a delay: the edit's commit retired the copy.
    assert "Read a new first paragraph" in site.patient.text(ARTICLE)


def test_a_glossary_term_edited_through_one_process_shows_through_the_other(site):
    site.patient.text(GLOSSARY)
    site.editor.save(
        f"/admin/articles/glossaryterm/{site.term}/change/",
        "glossaryterm_form",
        definition="A definition rewritten by an editor.",
    )
    assert "A definition rewritten by an editor." in site.patient.text(GLOSSARY)


def test_a_glossary_term_added_through_one_process_links_on_the_others_new_pages(
    site,
):
    # Query strings the page cache has not seen: the other process renders the
    # article anew, from what it keeps for the content version it reads.
    assert "#recovery-room" not in site.patient.text(ARTICLE + "?before")
    site.editor.save(
        "/admin/articles/glossaryterm/add/",
        "glossaryterm_form",
        term="recovery room",
        definition="Where nurses watch over you while you wake up after a procedure.",
    )
    assert (
        '<a class="term" href="/en/glossary/#recovery-room">'
        "<dfn>recovery room</dfn></a>"
    ) in site.patient.text(ARTICLE + "?after")


def test_unpublishing_and_publishing_through_one_process_show_through_the_other(site):
    assert ARTICLE in site.patient.text(GUIDE)
    site.editor.save(article_change(site), "article_form", status="archived")
    assert site.patient.request(ARTICLE).status_code == 410
    assert ARTICLE not in site.patient.text(GUIDE)

    site.editor.save(article_change(site), "article_form", status="published")
    assert site.patient.request(ARTICLE).status_code == 200
    assert ARTICLE in site.patient.text(GUIDE)


def test_a_scheduled_publish_time_shows_through_the_other_within_a_second(site):
    moment = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    moment += datetime.timedelta(seconds=3)
    site.editor.save(
        article_change(site),
        "article_form",
        publish_at_0=moment.strftime("%Y-%m-%d"),
        publish_at_1=moment.strftime("%H:%M:%S"),
    )
    # Cached while it waits: the guide is read twice before the time comes.
    for _read in range(2):
        assert ARTICLE not in site.patient.text(GUIDE)
    assert site.patient.request(ARTICLE).status_code == 410
    time.sleep(max(0, moment.timestamp() + 1 - time.time()))
    assert ARTICLE in site.patient.text(GUIDE)
    assert site.patient.request(ARTICLE).status_code == 200
