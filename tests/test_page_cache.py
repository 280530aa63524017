"""
The page cache: anonymous patient pages come from the shared cache without a
database query, every change patients could see retires them, editors and
previews never see or leave a cached copy, and the headers let browsers and a
CDN revalidate cheaply.

Edits here run inside django_capture_on_commit_callbacks(execute=True): the
cache hears of a change only once it commits, as in production.
"""

import gzip
import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import reversion
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import http_date
from reversion.models import Version

from articles import content_version
from articles.models import Article, GlossaryTerm, ReferralCount, Status
from articles.ordering import place_at
from articles.page_cache import PageCacheMiddleware

from .admin_forms import article_form, assert_saved, post_article
from .factories import (
    ArticleFactory,
    DoctorFactory,
    GuideFactory,
    LocationFactory,
    PracticeFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit hooks as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def riverside():
    practice = PracticeFactory(name="Riverside Spine", slug="riverside")
    LocationFactory(practice=practice, phone="+15550100100")
    return practice


@pytest.fixture
def article(riverside):
    guide = GuideFactory(title="Spinal fractures", slug="fractures")
    article = ArticleFactory(
        guide=guide,
        slug="recovery",
        title="Recovery at home",
        introduction="<p>Rest for a day, then walk a little more each day.</p>",
        practice=riverside,
    )
    for heading in ["Walking", "Lifting"]:
        StepFactory(article=article, heading=heading)
    return article


def change_behind_its_back(article, **fields):
    """
    Change an article without the signals that start a new content version,
    and without this process's kept copy of it (content_version.derived): what
    another process that has not read it yet would see. Only the page cache's
    own rules then decide what a patient gets.
    """
    Article.objects.filter(pk=article.pk).update(**fields)
    content_version.forget_derived()


def patient(**headers):
    """A patient's browser: no cookies."""
    return Client(headers={"User-Agent": BROWSER, **headers})


def page(url, **headers):
    response = patient(**headers).get(url)
    assert response.status_code == 200
    return response.content.decode()


def short(practice, guide, article=None):
    kwargs = {"practice_slug": practice, "guide_slug": guide}
    if article:
        return reverse("share:article", kwargs={**kwargs, "article_slug": article})
    return reverse("share:guide", kwargs=kwargs)


def patient_pages(article):
    return {
        "home": reverse("articles:home"),
        "guide": article.guide.get_absolute_url(),
        "guide print": reverse("articles:guide_print", args=[article.guide.slug]),
        "article": article.get_absolute_url(),
        "practice": article.practice.get_absolute_url(),
        "doctor": article.reviewed_by.get_absolute_url(),
        "glossary": reverse("articles:glossary"),
        "feed": reverse("articles:feed"),
        "short link to a guide": short("riverside", "fractures"),
        "short link to an article": short("riverside", "fractures", "recovery"),
    }


# --- Hits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "guide",
        "guide print",
        "article",
        "practice",
        "doctor",
        "glossary",
        "feed",
    ],
)
def test_a_second_visitor_is_served_the_page_without_a_database_query(
    article, name, django_assert_num_queries
):
    url = patient_pages(article)[name]
    first = patient().get(url)
    with django_assert_num_queries(0):
        second = patient().get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_keeps_its_headers(article):
    first = patient().get(article.get_absolute_url())
    second = patient().get(article.get_absolute_url())
    for header in ["Content-Type", "Content-Language", "X-Frame-Options", "ETag"]:
        assert second[header] == first[header]


def test_search_results_are_not_cached(article, django_assert_max_num_queries):
    url = reverse("articles:search") + "?q=recovery"
    assert "Recovery at home" in page(url)
    with django_assert_max_num_queries(3) as captured:
        assert "Recovery at home" in page(url)
    assert len(captured) > 0


def test_a_query_string_makes_another_copy(article):
    url = article.get_absolute_url()
    page(url)
    # Changed without a signal: only a copy made from now on shows it.
    change_behind_its_back(article, title="Renamed behind its back")
    assert "Renamed behind its back" not in page(url)
    assert "Renamed behind its back" in page(url + "?utm_source=leaflet")


# --- Editors and previews -----------------------------------------------------


def test_an_editor_is_never_served_a_cached_copy(article, editor_client):
    url = article.get_absolute_url()
    page(url)
    # Changed without a signal, so the patients' copy is stale on purpose.
    change_behind_its_back(article, title="Edited title")
    assert "Edited title" not in page(url)
    response = editor_client.get(url)
    assert "Edited title" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_an_editors_visit_leaves_nothing_in_the_cache(article, editor_client):
    url = article.get_absolute_url()
    assert editor_client.get(url).status_code == 200
    change_behind_its_back(article, title="Edited title")
    assert "Edited title" in page(url)


def test_previews_are_never_cached(article, editor_client):
    draft = ArticleFactory(
        guide=article.guide,
        title="Draft in progress",
        status=Status.DRAFT,
        reviewed_by=None,
        reviewed_at=None,
        publish_at=None,
    )
    preview = reverse("admin:articles_article_preview", args=[draft.pk])
    response = editor_client.get(preview)
    assert "Preview — not published" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    change_behind_its_back(draft, title="Previewed again")
    assert "Previewed again" in editor_client.get(preview).content.decode()
    assert patient().get(draft.get_absolute_url()).status_code == 404


def test_a_page_that_sets_a_cookie_is_not_stored(article):
    url = article.get_absolute_url()
    calls = []

    def view_with_cookie(request):
        calls.append(request)
        request.resolver_match = resolve(url)
        response = HttpResponse("<p>A page that remembers you.</p>" * 10)
        response.set_cookie("seen", "yes")
        return response

    middleware = PageCacheMiddleware(view_with_cookie)
    for _visit in range(2):
        assert middleware(RequestFactory().get(url)).status_code == 200
    assert len(calls) == 2


# --- Every change patients could see retires the copies -----------------------


def test_a_reviewers_edit_in_the_admin_shows_at_once(
    article, reviewer_client, committed
):
    url = article.get_absolute_url()
    assert "walk a little more" in page(url)
    data = article_form(reviewer_client, article)
    data["introduction"] = "<p>Walk twice a day from the first day.</p>"
    with committed():
        assert_saved(post_article(reviewer_client, article, data))
    assert "Walk twice a day" in page(url)


def test_publishing_shows_the_article_on_its_guide(article, committed):
    draft = ArticleFactory(
        guide=article.guide,
        title="Pain relief",
        status=Status.DRAFT,
        reviewed_by=None,
        reviewed_at=None,
        publish_at=None,
    )
    guide_url = article.guide.get_absolute_url()
    assert "Pain relief" not in page(guide_url)
    with committed():
        draft.status = Status.PUBLISHED
        draft.reviewed_by = DoctorFactory()
        draft.reviewed_at = timezone.localdate()
        draft.save()
    assert "Pain relief" in page(guide_url)
    assert "Pain relief" in page(draft.get_absolute_url())


def test_unpublishing_takes_the_article_down_at_once(article, committed):
    url = article.get_absolute_url()
    page(url)
    with committed():
        article.status = Status.ARCHIVED
        article.save()
    assert patient().get(url).status_code == 410
    assert "Recovery at home" not in page(article.guide.get_absolute_url())


def test_reordering_steps_shows_the_new_order(article, committed):
    url = article.get_absolute_url()
    text = page(url)
    assert text.index("Walking") < text.index("Lifting")
    with committed():
        lifting = article.steps.get(heading="Lifting")
        place_at(lifting, 1, article.steps.all())
    text = page(url)
    assert text.index("Lifting") < text.index("Walking")


def test_a_new_glossary_term_is_linked_at_once(article, committed):
    url = article.get_absolute_url()
    assert 'href="/en/glossary/#walk"' not in page(url)
    with committed():
        GlossaryTerm.objects.create(term="Walk", definition="Moving on foot.")
    assert 'href="/en/glossary/#walk"' in page(url)
    assert "Moving on foot." in page(reverse("articles:glossary"))


def test_renaming_a_practice_shows_on_its_articles_and_short_links(
    article, riverside, committed
):
    urls = [article.get_absolute_url(), short("riverside", "fractures", "recovery")]
    for url in urls:
        assert "Riverside Spine" in page(url)
    with committed():
        riverside.name = "Riverside Spine and Pain"
        riverside.save()
    for url in urls:
        assert "Riverside Spine and Pain" in page(url)


def test_a_doctor_joining_a_practice_shows_on_its_page(article, riverside, committed):
    url = riverside.get_absolute_url()
    assert "Casey Newcomer" not in page(url)
    with committed():
        DoctorFactory(name="Casey Newcomer").practices.add(riverside)
    assert "Casey Newcomer" in page(url)


def test_restoring_a_revision_shows_the_old_text_again(
    article, reviewer_client, committed
):
    with reversion.create_revision():
        reversion.add_to_revision(article)
    old = Version.objects.get_for_object(article).first()
    with committed():
        article.introduction = "<p>A newer introduction.</p>"
        article.save()
    url = article.get_absolute_url()
    assert "A newer introduction." in page(url)
    restore = reverse("admin:articles_article_restore", args=[article.pk, old.pk])
    with committed():
        assert reviewer_client.post(restore).status_code == 302
    assert "walk a little more" in page(url)


def test_loading_the_demo_content_shows_on_the_home_page(db, committed):
    assert "No guides have been published yet." in page(reverse("articles:home"))
    with committed():
        call_command("load_demo", stdout=io.StringIO())
    assert "Spinal Fractures" in page(reverse("articles:home"))


def test_a_scheduled_article_appears_the_moment_its_time_comes(
    article, django_assert_num_queries
):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    ArticleFactory(guide=article.guide, title="Timed article", publish_at=moment)
    guide_url = article.guide.get_absolute_url()
    with time_machine.travel(moment - timedelta(minutes=1), tick=False):
        assert "Timed article" not in page(guide_url)
    with time_machine.travel(moment - timedelta(milliseconds=1), tick=False):
        with django_assert_num_queries(0):
            assert "Timed article" not in page(guide_url)
    with time_machine.travel(moment, tick=False):
        assert "Timed article" in page(guide_url)


def test_a_scheduled_unpublish_takes_the_article_down_on_time(article):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    Article.objects.filter(pk=article.pk).update(unpublish_at=moment)
    url = article.get_absolute_url()
    with time_machine.travel(moment - timedelta(minutes=1), tick=False):
        page(url)
    with time_machine.travel(moment, tick=False):
        assert patient().get(url).status_code == 410


def test_a_lost_content_version_never_brings_back_old_copies(article):
    url = article.get_absolute_url()
    page(url)
    change_behind_its_back(article, title="Changed meanwhile")
    cache.delete(content_version.VERSION_KEY)  # evicted, or the cache restarted
    assert "Changed meanwhile" in page(url)


# --- Short links ----------------------------------------------------------------


def test_short_links_of_two_practices_never_share_a_copy(article):
    PracticeFactory(name="Lakeside Clinic", slug="lakeside")
    for _round in range(2):
        riverside = page(short("riverside", "fractures", "recovery"))
        lakeside = page(short("lakeside", "fractures", "recovery"))
        assert "Riverside Spine" in riverside and "Lakeside Clinic" not in riverside
        assert "Lakeside Clinic" in lakeside and "Riverside Spine" not in lakeside


def test_openings_served_from_the_cache_are_counted(article, django_assert_num_queries):
    url = short("riverside", "fractures", "recovery")
    page(url)
    with django_assert_num_queries(1):  # the count, nothing else
        page(url)
    page(url)
    assert ReferralCount.objects.get().opens == 3


def test_bots_and_head_requests_served_from_the_cache_are_not_counted(article):
    url = short("riverside", "fractures", "recovery")
    page(url)
    Client(headers={"User-Agent": "Googlebot/2.1"}).get(url)
    assert patient().head(url).status_code == 200
    assert ReferralCount.objects.get().opens == 1


# --- Headers for browsers and CDNs ----------------------------------------------


def test_patient_pages_tell_a_cdn_to_revalidate_every_second(article):
    for _visit in ["miss", "hit"]:
        response = patient().get(article.get_absolute_url())
        assert response["Cache-Control"] == (
            "public, max-age=0, s-maxage=1, stale-if-error=86400"
        )
        assert response["Vary"] == "Accept-Encoding"


def test_short_links_do_not_vary_on_the_browsers_language(article):
    url = short("riverside", "fractures", "recovery")
    for _visit in ["miss", "hit"]:
        assert patient().get(url)["Vary"] == "Accept-Encoding"


def test_a_returning_browser_gets_not_modified(article, django_assert_num_queries):
    url = article.get_absolute_url()
    first = patient().get(url)
    assert first["ETag"] and first["Last-Modified"]
    with django_assert_num_queries(0):
        again = patient(**{"If-None-Match": first["ETag"]}).get(url)
    assert again.status_code == 304
    assert again.content == b""
    since = patient(**{"If-Modified-Since": first["Last-Modified"]}).get(url)
    assert since.status_code == 304


def test_a_changed_page_is_sent_in_full_to_a_returning_browser(article, committed):
    url = article.get_absolute_url()
    first = patient().get(url)
    with committed():
        article.title = "A clearer title"
        article.save()
    again = patient(**{"If-None-Match": first["ETag"]}).get(url)
    assert again.status_code == 200
    assert "A clearer title" in again.content.decode()
    later = http_date(timezone.now().timestamp() - 3600)
    assert patient(**{"If-Modified-Since": later}).get(url).status_code == 200


def test_pages_are_compressed_for_browsers_that_accept_it(article):
    url = article.get_absolute_url()
    plain = patient().get(url).content
    for _visit in ["miss", "hit"]:
        response = patient(**{"Accept-Encoding": "gzip, deflate, br"}).get(url)
        assert response["Content-Encoding"] == "gzip"
        assert response["ETag"].startswith('W/"')
        assert int(response["Content-Length"]) == len(response.content)
        assert gzip.decompress(response.content) == plain
    response = patient().get(url)
    assert "Content-Encoding" not in response
    assert response.content == plain


def test_compressed_etags_match_the_plain_page(article):
    url = article.get_absolute_url()
    compressed = patient(**{"Accept-Encoding": "gzip"}).get(url)
    plain = patient(**{"If-None-Match": compressed["ETag"]}).get(url)
    assert plain.status_code == 304


def test_every_demo_article_and_its_stylesheet_transfer_under_40_kb(db):
    call_command("load_demo", stdout=io.StringIO())
    stylesheet = Path(settings.BASE_DIR, "static", "css", "site.css").read_bytes()
    for article in Article.objects.published():
        browser = patient(**{"Accept-Encoding": "gzip"})
        response = browser.get(article.get_absolute_url())
        assert response["Content-Encoding"] == "gzip"
        assert len(response.content) + len(gzip.compress(stylesheet)) < 40 * 1024


# --- Failures ----------------------------------------------------------------


def test_cached_pages_are_served_while_the_database_is_down(article, caplog):
    urls = [article.get_absolute_url(), short("riverside", "fractures", "recovery")]
    for url in urls:
        page(url)
    down = OperationalError("could not connect to server")
    with (
        mock.patch.object(connection, "cursor", side_effect=down),
        mock.patch.object(connection, "ensure_connection", side_effect=down),
        caplog.at_level(logging.WARNING, logger="articles.page_cache"),
    ):
        for url in urls:
            response = patient().get(url)
            assert response.status_code == 200
            assert "Recovery at home" in response.content.decode()
    assert "opening was not counted" in caplog.text


def test_pages_are_served_uncached_while_the_cache_is_down(article, caplog):
    refused = ConnectionError("refused")
    with (
        mock.patch.object(cache, "get", side_effect=refused),
        mock.patch.object(cache, "get_many", side_effect=refused),
        caplog.at_level(logging.WARNING, logger="articles.page_cache"),
    ):
        assert "Recovery at home" in page(article.get_absolute_url())
    assert "page cache is unavailable" in caplog.text


def test_the_page_cache_can_be_switched_off(settings, article):
    settings.PAGE_CACHE_SECONDS = 0
    url = article.get_absolute_url()
    page(url)
    change_behind_its_back(article, title="Fresh every time")
    response = patient().get(url)
    assert "Fresh every time" in response.content.decode()
    assert "Cache-Control" not in response


# --- Configuration -------------------------------------------------------------

CACHE_SETTINGS = """
import json
from kyphoinfo import settings
print(json.dumps([settings.CACHES["default"], settings.PAGE_CACHE_SECONDS]))
"""


def configured(**env):
    """CACHES and PAGE_CACHE_SECONDS as a fresh process reads them from env."""
    names = ("REDIS_URL", "KYPHOINFO_CACHE_DIR", "KYPHOINFO_PAGE_CACHE_SECONDS")
    environment = {k: v for k, v in os.environ.items() if k not in names}
    result = subprocess.run(
        [sys.executable, "-c", CACHE_SETTINGS],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_redis_every_process_shares_a_file_cache():
    cache_settings, seconds = configured()
    assert cache_settings["BACKEND"].endswith("FileBasedCache")
    assert cache_settings["LOCATION"] == str(Path(settings.BASE_DIR, "var", "cache"))
    assert seconds == 300


def test_redis_is_the_cache_when_configured():
    cache_settings, seconds = configured(
        REDIS_URL="redis://127.0.0.1:6379/3", KYPHOINFO_PAGE_CACHE_SECONDS="0"
    )
    assert cache_settings["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache_settings["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert seconds == 0
