"""Links never break: moved and deleted pages answer 301, and editors' redirects stay on-site."""

import pytest
import reversion
from django.core import serializers
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import reverse
from reversion.models import Version

from articles.admin_redirects import RedirectAdminForm
from articles.models import Redirect, Status
from articles.redirects import RedirectFallbackMiddleware, record_move

from .factories import ArticleFactory, DoctorFactory, GuideFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def assert_moved(client, old_url, new_url):
    """old_url answers 301 straight to new_url, which is a live page."""
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == new_url
    assert client.get(new_url).status_code == 200, new_url


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


# --- Pages whose address changes ----------------------------------------------


def test_renamed_article_answers_its_old_address_with_a_permanent_redirect(client):
    article = ArticleFactory(slug="what-is-kyphoplasty")
    old_url = article.get_absolute_url()

    rename(article, "kyphoplasty-explained")

    assert_moved(client, old_url, article.get_absolute_url())
    redirect = Redirect.objects.get(old_path=old_url)
    assert redirect.is_automatic
    assert not redirect.is_external


def test_renamed_guide_redirects_its_page_and_every_article_in_it(client):
    guide = GuideFactory(slug="fractures")
    first = ArticleFactory(guide=guide, slug="causes")
    second = ArticleFactory(guide=guide, slug="treatment")
    old_urls = [guide.get_absolute_url(), first.get_absolute_url()]
    old_urls.append(second.get_absolute_url())

    rename(guide, "spinal-fractures")

    assert_moved(client, old_urls[0], "/en/guides/spinal-fractures/")
    assert_moved(client, old_urls[1], "/en/guides/spinal-fractures/causes/")
    assert_moved(client, old_urls[2], "/en/guides/spinal-fractures/treatment/")


def test_renamed_practice_answers_its_old_address(client):
    practice = PracticeFactory(slug="spine-center")
    old_url = practice.get_absolute_url()

    rename(practice, "riverside-spine-center")

    assert_moved(client, old_url, "/en/practices/riverside-spine-center/")


def test_renamed_doctor_answers_its_old_address(client):
    doctor = DoctorFactory(slug="dr-smith")
    old_url = doctor.get_absolute_url()

    rename(doctor, "jane-smith")

    assert_moved(client, old_url, "/en/doctors/jane-smith/")


def test_article_moved_to_another_guide_answers_its_old_address(client):
    article = ArticleFactory(guide=GuideFactory(slug="fractures"), slug="recovery")
    old_url = article.get_absolute_url()

    article.guide = GuideFactory(slug="after-surgery")
    article.save()

    assert_moved(client, old_url, "/en/guides/after-surgery/recovery/")


def test_saving_without_changing_the_address_records_no_redirect():
    article = ArticleFactory(slug="recovery")
    article.title = "Recovery at home"
    article.save()
    article.save(update_fields=["title"])
    rename(article.guide, article.guide.slug)

    assert not Redirect.objects.exists()


def test_a_chain_of_renames_answers_the_first_address_in_one_hop(client):
    article = ArticleFactory(slug="a")
    url_a = article.get_absolute_url()
    url_b = rename(article, "b").get_absolute_url()
    url_c = rename(article, "c").get_absolute_url()

    assert_moved(client, url_a, url_c)
    assert_moved(client, url_b, url_c)
    assert set(Redirect.objects.values_list("new_path", flat=True)) == {url_c}


def test_renaming_back_to_an_old_slug_leaves_no_loop(client):
    article = ArticleFactory(slug="a")
    url_a = article.get_absolute_url()
    url_b = rename(article, "b").get_absolute_url()

    rename(article, "a")

    assert client.get(url_a).status_code == 200
    assert_moved(client, url_b, url_a)
    assert not Redirect.objects.filter(old_path=url_a).exists()


def test_record_move_never_stores_a_redirect_to_the_same_address():
    record_move("/en/guides/a/", "/en/guides/a/")
    assert not Redirect.objects.exists()


def test_a_new_page_at_an_old_address_wins_over_the_redirect(client):
    moved = ArticleFactory(slug="recovery", title="Old recovery page")
    guide = moved.guide
    old_url = moved.get_absolute_url()
    rename(moved, "recovery-at-home")

    ArticleFactory(guide=guide, slug="recovery", title="A new recovery page")

    response = client.get(old_url)
    assert response.status_code == 200
    assert "A new recovery page" in response.content.decode()


def test_restoring_an_old_revision_moves_the_page_back_and_old_links_follow(client):
    with reversion.create_revision():
        article = ArticleFactory(slug="first")
    url_first = article.get_absolute_url()
    for slug in ["second", "first", "second"]:
        with reversion.create_revision():
            rename(article, slug)
    url_second = article.get_absolute_url()
    oldest_first = list(Version.objects.get_for_object(article).order_by("pk"))

    # Redirects follow the pages, so they are never stored in a page's revision
    # (restoring one would bring back a stale row, clashing with a newer one).
    oldest_first[1].revision.revert()
    assert not Version.objects.get_for_model(Redirect).exists()
    oldest_first[0].revision.revert()

    article.refresh_from_db()
    assert article.slug == "first"
    assert_moved(client, url_second, url_first)


def test_a_raw_save_as_in_loaddata_that_changes_a_slug_records_the_move(client):
    article = ArticleFactory(slug="before")
    old_url = article.get_absolute_url()
    data = serializers.serialize("json", [article])

    for restored in serializers.deserialize("json", data.replace("before", "after")):
        restored.save()  # raw=True, as loaddata does

    assert_moved(client, old_url, old_url.replace("/before/", "/after/"))


# --- Deleted articles ---------------------------------------------------------


def test_deleted_published_article_redirects_to_its_guide(client):
    article = ArticleFactory(slug="old-advice")
    guide_url = article.guide.get_absolute_url()
    old_url = article.get_absolute_url()

    article.delete()

    assert_moved(client, old_url, guide_url)


def test_deleted_article_that_was_renamed_sends_both_addresses_to_the_guide(client):
    article = ArticleFactory(slug="a")
    url_a = article.get_absolute_url()
    url_b = rename(article, "b").get_absolute_url()
    guide_url = article.guide.get_absolute_url()

    article.delete()

    assert_moved(client, url_a, guide_url)
    assert_moved(client, url_b, guide_url)


def test_deleted_article_that_was_never_published_is_simply_gone(client):
    article = ArticleFactory(status=Status.DRAFT, publish_at=None)
    url = article.get_absolute_url()

    article.delete()

    assert client.get(url).status_code == 404
    assert not Redirect.objects.exists()


# --- The fallback middleware -----------------------------------------------------


def test_the_query_string_is_kept(client):
    article = ArticleFactory(slug="a")
    old_url = article.get_absolute_url()
    rename(article, "b")

    response = client.get(old_url, {"utm_source": "leaflet", "page": "2"})

    assert response.status_code == 301
    assert (
        response["Location"]
        == f"{article.get_absolute_url()}?utm_source=leaflet&page=2"
    )


def test_the_query_string_is_added_to_one_the_redirect_already_has(client):
    Redirect.objects.create(
        old_path="/en/leaflet/", new_path="/en/guides/fractures/?from=leaflet#steps"
    )

    response = client.get("/en/leaflet/", {"page": "2"})

    assert response["Location"] == "/en/guides/fractures/?from=leaflet&page=2#steps"


def test_an_address_without_its_trailing_slash_is_redirected_in_one_hop(client):
    article = ArticleFactory(slug="a")
    old_url = article.get_absolute_url()
    rename(article, "b")

    response = client.get(old_url.rstrip("/"))

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_head_requests_are_redirected_too(client):
    Redirect.objects.create(old_path="/en/leaflet/", new_path="/en/")
    assert client.head("/en/leaflet/").status_code == 301


def test_other_methods_are_not_redirected(client):
    Redirect.objects.create(old_path="/en/leaflet/", new_path="/en/")
    assert client.post("/en/leaflet/").status_code == 404


def test_a_live_page_is_never_redirected(client):
    article = ArticleFactory()
    Redirect.objects.create(old_path=article.get_absolute_url(), new_path="/en/")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_withdrawn_article_still_answers_gone(client):
    article = ArticleFactory()
    Redirect.objects.create(old_path=article.get_absolute_url(), new_path="/en/")
    article.status = Status.ARCHIVED
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 410


def test_the_fallback_leaves_other_responses_alone(rf):
    Redirect.objects.create(old_path="/en/leaflet/", new_path="/en/")
    middleware = RedirectFallbackMiddleware(lambda request: HttpResponse("ok"))
    assert middleware(rf.get("/en/leaflet/")).status_code == 200


@pytest.mark.parametrize("path", ["/en/nothing-here/", "/en/leaflet/"])
def test_the_fallback_costs_one_query(rf, django_assert_num_queries, path):
    Redirect.objects.create(old_path="/en/leaflet/", new_path="/en/")
    middleware = RedirectFallbackMiddleware(lambda request: HttpResponseNotFound())
    with django_assert_num_queries(1):
        middleware(rf.get(path))


@pytest.mark.parametrize(
    "path",
    [
        "/en/guides/" + "a" * 5000 + "/",
        "/en/guides/%ff/",
        "/en/guides/%ff%fe/x%c3/",
        "/en/guides/%00/",
        "/en/%E2%80%AE/",
    ],
    ids=["very-long", "ff-byte", "broken-utf8", "nul", "bidi"],
)
def test_strange_addresses_are_not_found_rather_than_errors(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("new_path", "is_external"),
    [
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", True),
    ],
)
def test_unsafe_rows_saved_outside_the_admin_are_ignored(client, new_path, is_external):
    Redirect.objects.create(
        old_path="/en/leaflet/", new_path=new_path, is_external=is_external
    )
    assert client.get("/en/leaflet/").status_code == 404


def test_a_redirect_that_only_adds_a_slash_does_not_loop(client):
    # Found through the slash-less lookup, it would send /en/leaflet/ to itself.
    Redirect.objects.create(old_path="/en/leaflet", new_path="/en/leaflet/")
    assert client.get("/en/leaflet/").status_code == 404


def test_an_external_redirect_leads_off_site(client):
    Redirect.objects.create(
        old_path="/en/partner/",
        new_path="https://partner.example.org/spine/",
        is_external=True,
    )
    response = client.get("/en/partner/")
    assert response.status_code == 301
    assert response["Location"] == "https://partner.example.org/spine/"


# --- Manual redirects in the admin ----------------------------------------------


def redirect_form(old_path="/en/leaflet/", new_path="/en/", is_external=False):
    return RedirectAdminForm(
        data={
            "old_path": old_path,
            "new_path": new_path,
            "is_external": is_external,
            "note": "",
        }
    )


def test_a_path_on_this_site_is_accepted():
    assert redirect_form(new_path="/en/guides/fractures/").is_valid()


@pytest.mark.parametrize(
    "new_path",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "en/guides/fractures/",
        "/en/guides/\nfractures/",
    ],
)
def test_an_off_site_or_unsafe_address_is_refused_unless_marked_external(new_path):
    form = redirect_form(new_path=new_path)
    assert not form.is_valid()
    assert "points to another site" in form.errors["new_path"][0]


@pytest.mark.parametrize(
    "new_path",
    ["https://partner.example.org/spine/", "http://partner.example.org/?a=1"],
)
def test_an_external_address_is_accepted_when_marked(new_path):
    assert redirect_form(new_path=new_path, is_external=True).is_valid()


@pytest.mark.parametrize(
    "new_path",
    ["javascript:alert(1)", "//evil.example", "partner.example.org", "ftp://x.org/"],
)
def test_an_external_address_must_be_a_web_address(new_path):
    form = redirect_form(new_path=new_path, is_external=True)
    assert not form.is_valid()
    assert "https://" in form.errors["new_path"][0]


@pytest.mark.parametrize(
    "old_path",
    [
        "en/leaflet/",
        "https://kyphoinfo.example/en/leaflet/",
        "//kyphoinfo.example/en/leaflet/",
        "/en/leaflet/?page=2",
        "/admin/",
        "/admin",
        "/static/css/site.css",
        "/media/images/x.png",
        "/" + "a" * 400,
    ],
)
def test_the_old_address_must_be_a_path_on_this_site_outside_admin_and_files(
    old_path,
):
    form = redirect_form(old_path=old_path)
    assert not form.is_valid()
    assert form.errors["old_path"]


@pytest.mark.parametrize("new_path", ["/en/leaflet/", "/en/leaflet"])
def test_the_new_address_must_differ_from_the_old_one(new_path):
    form = redirect_form(old_path="/en/leaflet/", new_path=new_path)
    assert not form.is_valid()
    assert "must differ" in form.errors["new_path"][0]


def test_pointing_at_another_redirect_is_refused_naming_the_final_address():
    Redirect.objects.create(old_path="/en/b/", new_path="/en/c/")

    form = redirect_form(old_path="/en/a/", new_path="/en/b/")

    assert not form.is_valid()
    message = form.errors["new_path"][0]
    assert "Refused" in message
    assert "/en/c/" in message


def test_a_loop_cannot_be_typed_in():
    Redirect.objects.create(old_path="/en/b/", new_path="/en/a/")
    assert not redirect_form(old_path="/en/a/", new_path="/en/b/").is_valid()


def test_an_editor_adds_a_working_redirect_in_the_admin(editor_client):
    article = ArticleFactory()

    response = editor_client.post(
        reverse("admin:articles_redirect_add"),
        {
            "old_path": "/en/kyphoplasty-leaflet/",
            "new_path": article.get_absolute_url(),
            "note": "Printed on the 2024 leaflet",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    redirect = Redirect.objects.get(old_path="/en/kyphoplasty-leaflet/")
    assert not redirect.is_automatic
    assert_moved(editor_client, "/en/kyphoplasty-leaflet/", article.get_absolute_url())


def test_an_admin_redirect_refused_shows_the_reason(editor_client):
    response = editor_client.post(
        reverse("admin:articles_redirect_add"),
        {"old_path": "/en/leaflet/", "new_path": "//evil.example", "_save": "Save"},
    )
    assert response.status_code == 200
    assert "points to another site" in response.content.decode()
    assert not Redirect.objects.exists()


def test_redirects_leading_to_a_newly_redirected_address_lead_straight_on(
    editor_client,
):
    Redirect.objects.create(old_path="/en/first-leaflet/", new_path="/en/old-page/")

    editor_client.post(
        reverse("admin:articles_redirect_add"),
        {"old_path": "/en/old-page/", "new_path": "/en/", "_save": "Save"},
    )

    assert Redirect.objects.get(old_path="/en/first-leaflet/").new_path == "/en/"


def test_editors_can_list_and_search_redirects(editor_client):
    Redirect.objects.create(old_path="/en/leaflet/", new_path="/en/", note="2024")
    Redirect.objects.create(old_path="/en/poster/", new_path="/en/")
    url = reverse("admin:articles_redirect_changelist")

    found = editor_client.get(url, {"q": "leaflet", "is_automatic__exact": "0"})

    assert found.status_code == 200
    assert "/en/leaflet/" in found.content.decode()
    assert "/en/poster/" not in found.content.decode()


def test_deleting_the_guide_later_sends_old_article_links_to_the_guide_list(client):
    article = ArticleFactory()
    guide = article.guide
    article_url, guide_url = article.get_absolute_url(), guide.get_absolute_url()
    article.delete()
    guide.delete()
    for old in (article_url, guide_url):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == reverse("articles:home")
