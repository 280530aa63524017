"""
Permission checks from the outside: every URL pattern of the site, enumerated
from the URLconf, is either public on purpose or refuses anonymous visitors
(302 to the admin login) and staff without permissions (403).

A new URL pattern fails test_every_url_pattern_is_accounted_for until it is
added below, with what each kind of visitor must get.
"""

from dataclasses import dataclass, field

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from reversion.models import Version

from articles.models import (
    Article,
    AuditEvent,
    Doctor,
    GlossaryTerm,
    Guide,
    Image,
    Practice,
    PracticeFact,
    PracticeMembership,
    Redirect,
)

from .factories import (
    ArticleFactory,
    DoctorFactory,
    FactFactory,
    GuideFactory,
    ImageFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

LOGIN = "302 to the admin login"

# Patient pages, and the few editor pages that must work before signing in.
PUBLIC = {
    "articles:home",
    "articles:guide",
    "articles:guide_print",
    "articles:article",
    "articles:glossary",
    "articles:feed",
    "articles:practice",
    "articles:doctor",
    "articles:search",
    "share:guide",
    "share:article",
    "sitemap",
    "robots",
    "healthz",
    "media",
    "admin:login",
    # An invited editor's one-time link: the token in it is the permission.
    "password_reset_confirm",
    "password_reset_complete",
}

# Every model in the admin and its views beyond the stock ModelAdmin ones.
STOCK_VIEWS = ["changelist", "add", "change", "delete", "history"]
VERSION_VIEWS = ["recoverlist", "recover", "revision"]  # reversion's VersionAdmin
ADMIN_MODELS = {
    "articles.article": [
        *VERSION_VIEWS,
        "preview",
        "preview_changes",
        "compare",
        "restore",
        "translate",
    ],
    "articles.guide": VERSION_VIEWS,
    "articles.practice": [
        *VERSION_VIEWS,
        "share",
        "share_qr",
        "share_handout",
        "invite",
    ],
    "articles.doctor": VERSION_VIEWS,
    "articles.practicefact": [*VERSION_VIEWS, "keep_up"],
    "articles.image": VERSION_VIEWS,
    "articles.glossaryterm": [*VERSION_VIEWS, "translate"],
    "articles.redirect": VERSION_VIEWS,
    "articles.auditevent": [],
    "auth.user": ["password_change"],
    "auth.group": [],
    "axes.accessattempt": [],
    "axes.accesslog": [],
    "axes.accessfailurelog": [],
}

# The admin site's own views, and the editor's image upload.
SITE_VIEWS = {
    "admin:index",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
    "admin/(?P<url>.*)$",  # anything else under /admin/
    "editor_image_upload",
}


def model_keys(label, extra_views):
    app, model = label.split(".")
    names = {f"admin:{app}_{model}_{view}" for view in STOCK_VIEWS + extra_views}
    # The stock redirect from <id>/ to <id>/change/, which has no name.
    return names | {f"admin/{app}/{model}/<path:object_id>/"}


COVERED = (
    PUBLIC
    | SITE_VIEWS
    | set().union(*(model_keys(label, views) for label, views in ADMIN_MODELS.items()))
)


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern as 'namespace:name', or as its route if it has no name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_patterns(pattern, route, inner)
        elif pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name]))
        else:
            yield route


def test_every_url_pattern_is_accounted_for():
    patterns = list(url_patterns())
    assert len(patterns) == len(set(patterns)), "two patterns share a key"
    assert set(patterns) - COVERED == set(), "new URLs: say who may open them"
    assert COVERED - set(patterns) == set(), "URLs that are gone"


# --- Concrete URLs, with real objects -------------------------------------------


@dataclass
class Page:
    """A concrete URL and what GET and POST answer each kind of visitor."""

    url: str
    anonymous: dict = field(default_factory=lambda: {"get": LOGIN, "post": LOGIN})
    bystander: dict = field(default_factory=lambda: {"get": 403, "post": 403})
    superuser: int = 200  # GET


@pytest.fixture
def world():
    """One object of every kind in the admin, a revision of each, and a deleted one."""
    with reversion.create_revision():
        guide = GuideFactory()
        objects = {
            Guide: guide,
            Article: ArticleFactory(guide=guide),
            Practice: PracticeFactory(),
            Doctor: DoctorFactory(),
            Image: ImageFactory(),
            GlossaryTerm: GlossaryTerm.objects.create(
                term="fracture", definition="A broken bone."
            ),
            Redirect: Redirect.objects.create(
                old_path="/en/old-leaflet/", new_path=guide.get_absolute_url()
            ),
        }
        fact = FactFactory(article=objects[Article], key="duration")
        objects[PracticeFact] = PracticeFact.objects.create(
            practice=objects[Practice],
            article=fact.article,
            key=fact.key,
            value="One to two hours",
        )
        doomed = [
            ArticleFactory(guide=guide),
            GuideFactory(),
            PracticeFactory(),
            DoctorFactory(),
            ImageFactory(),
            GlossaryTerm.objects.create(term="bone", definition="Hard tissue."),
            Redirect.objects.create(old_path="/en/gone/", new_path="/en/"),
            PracticeFact.objects.create(
                practice=objects[Practice],
                article=fact.article,
                key="gone",
                value="Gone",
            ),
        ]
    for obj in doomed:
        obj.delete()
    someone = UserFactory(username="someone", is_staff=True)
    attempt = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "x"}
    objects.update(
        {
            AuditEvent: AuditEvent.record(
                someone, AuditEvent.Action.PUBLISHED, objects[Article]
            ),
            User: someone,
            Group: Group.objects.get(name="Site editors"),
            AccessAttempt: AccessAttempt.objects.create(
                **attempt, failures_since_start=1, get_data="", post_data=""
            ),
            AccessLog: AccessLog.objects.create(**attempt),
            AccessFailureLog: AccessFailureLog.objects.create(**attempt),
        }
    )
    return objects


def model_pages(obj):
    """The stock admin pages of one object's model, and its VersionAdmin pages."""
    opts = obj._meta
    info = f"admin:{opts.app_label}_{opts.model_name}"
    change = reverse(f"{info}_change", args=[obj.pk])
    has_add = opts.model not in {AuditEvent, AccessAttempt, AccessLog, AccessFailureLog}
    pages = {
        f"{info}_changelist": Page(reverse(f"{info}_changelist")),
        f"{info}_add": Page(reverse(f"{info}_add"), superuser=200 if has_add else 403),
        f"{info}_change": Page(change),
        # Nobody deletes from the audit trail, not even a superuser.
        f"{info}_delete": Page(
            reverse(f"{info}_delete", args=[obj.pk]),
            superuser=403 if opts.model is AuditEvent else 200,
        ),
        f"{info}_history": Page(reverse(f"{info}_history", args=[obj.pk])),
        # Leads to the change page, which then refuses.
        f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/": Page(
            change.removesuffix("change/"),
            bystander={"get": change, "post": change},
            superuser=change,
        ),
    }
    if "recover" in ADMIN_MODELS[opts.label_lower]:
        current = Version.objects.get_for_object(obj).get()
        deleted = Version.objects.get_deleted(opts.model).first()
        pages |= {
            f"{info}_recoverlist": Page(reverse(f"{info}_recoverlist")),
            f"{info}_recover": Page(reverse(f"{info}_recover", args=[deleted.pk])),
            f"{info}_revision": Page(
                reverse(f"{info}_revision", args=[obj.pk, current.pk])
            ),
        }
    return pages


def concrete_pages(world):
    article, practice, guide = world[Article], world[Practice], world[Guide]
    version = Version.objects.get_for_object(article).get()
    target = f"guide-{guide.pk}"
    pages = {
        "admin:index": Page(reverse("admin:index"), bystander={"get": 200}),
        # Signing out needs no permission; GET is not allowed (Django 5).
        "admin:logout": Page(
            reverse("admin:logout"),
            anonymous={"get": reverse("admin:index"), "post": reverse("admin:index")},
            bystander={"get": 405, "post": 200},
            superuser=405,
        ),
        # Every staff member may change their own password.
        "admin:password_change": Page(
            reverse("admin:password_change"), bystander={"get": 200, "post": 200}
        ),
        "admin:password_change_done": Page(
            reverse("admin:password_change_done"), bystander={"get": 200}
        ),
        "admin:autocomplete": Page(
            reverse("admin:autocomplete")
            + "?app_label=articles&model_name=article&field_name=reviewed_by",
            bystander={"get": 403},
        ),
        # The admin's translations for JavaScript: the same for everyone.
        "admin:jsi18n": Page(reverse("admin:jsi18n"), bystander={"get": 200}),
        "admin:view_on_site": Page(
            reverse(
                "admin:view_on_site",
                args=[ContentType.objects.get_for_model(Guide).pk, guide.pk],
            ),
            superuser="http://testserver" + guide.get_absolute_url(),
        ),
        "admin:app_list": Page(
            reverse("admin:app_list", kwargs={"app_label": "articles"}),
            bystander={"get": 404, "post": 404},
        ),
        "admin/(?P<url>.*)$": Page(
            reverse("admin:index") + "no-such-page/",
            bystander={"get": 404, "post": 404},
            superuser=404,
        ),
        # CKEditor's upload takes POSTs only and answers in JSON, never a redirect.
        "editor_image_upload": Page(
            reverse("editor_image_upload"),
            anonymous={"get": 405, "post": 403},
            bystander={"get": 405, "post": 403},
            superuser=405,
        ),
        # Article pages beyond the stock ones.
        "admin:articles_article_preview": Page(
            reverse("admin:articles_article_preview", args=[article.pk])
        ),
        "admin:articles_article_preview_changes": Page(
            reverse("admin:articles_article_preview_changes"),
            bystander={"get": 405, "post": 403},
            superuser=405,
        ),
        "admin:articles_article_compare": Page(
            reverse("admin:articles_article_compare", args=[article.pk])
        ),
        "admin:articles_article_restore": Page(
            reverse("admin:articles_article_restore", args=[article.pk, version.pk])
        ),
        # Starting a translation: a confirmation page, then a POST that makes it.
        "admin:articles_article_translate": Page(
            reverse("admin:articles_article_translate", args=[article.pk, "es"])
        ),
        "admin:articles_glossaryterm_translate": Page(
            reverse(
                "admin:articles_glossaryterm_translate",
                args=[world[GlossaryTerm].pk, "es"],
            )
        ),
        # A practice's share and invite pages.
        "admin:articles_practice_share": Page(
            reverse("admin:articles_practice_share", args=[practice.pk])
        ),
        "admin:articles_practice_share_qr": Page(
            reverse("admin:articles_practice_share_qr", args=[practice.pk, target])
        ),
        "admin:articles_practice_share_handout": Page(
            reverse("admin:articles_practice_share_handout", args=[practice.pk, target])
        ),
        "admin:articles_practice_invite": Page(
            reverse("admin:articles_practice_invite", args=[practice.pk])
        ),
        # Keep, change or drop a practice's value of a fact: POST only.
        "admin:articles_practicefact_keep_up": Page(
            reverse(
                "admin:articles_practicefact_keep_up", args=[world[PracticeFact].pk]
            ),
            superuser=405,
        ),
        "admin:auth_user_password_change": Page(
            reverse("admin:auth_user_password_change", args=[world[User].pk])
        ),
    }
    for obj in world.values():
        pages |= model_pages(obj)
    # Every restore goes through the restore page, which then refuses.
    restore = pages["admin:articles_article_restore"].url
    pages["admin:articles_article_revision"].bystander = {
        "get": restore,
        "post": restore,
    }
    pages["admin:articles_article_revision"].superuser = restore
    return pages


def assert_answer(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login") + "?next="), url
    elif isinstance(expected, str):
        assert response.status_code in {301, 302}, url
        assert response["Location"] == expected, url
    else:
        assert response.status_code == expected, url


def test_the_concrete_urls_cover_every_protected_pattern(world):
    assert set(concrete_pages(world)) == COVERED - PUBLIC


def test_anonymous_visitors_are_sent_to_the_login_or_refused(world):
    client = Client()
    for key, page in concrete_pages(world).items():
        for method, expected in page.anonymous.items():
            response = getattr(client, method)(page.url)
            assert_answer(response, expected, f"{method.upper()} {key} {page.url}")


@pytest.fixture
def bystander(staff_without_permissions):
    """A staff user in no group and with no permission."""
    return staff_without_permissions


def test_staff_without_permissions_are_refused(world, bystander):
    for key, page in concrete_pages(world).items():
        for method, expected in page.bystander.items():
            client = Client()  # signing out (POST to logout) ends only its session
            client.force_login(bystander)
            response = getattr(client, method)(page.url)
            assert_answer(response, expected, f"{method.upper()} {key} {page.url}")


def test_staff_without_permissions_see_no_models_on_the_dashboard(world, bystander):
    client = Client()
    client.force_login(bystander)
    page = client.get(reverse("admin:index")).content.decode()
    assert "You don’t have permission to view or edit anything." in page
    for model in ADMIN_MODELS:
        app, name = model.split(".")
        assert f"/admin/{app}/{name}/" not in page


def test_a_superuser_opens_every_url(world):
    """The concrete URLs are real: whoever may, gets the page."""
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for key, page in concrete_pages(world).items():
        assert_answer(client.get(page.url), page.superuser, f"GET {key} {page.url}")


# --- Staff with some permissions, but not these -------------------------------


@pytest.fixture(params=["Site editors", "Medical reviewers", "Practice editors"])
def editor_of_a_group(request, world):
    user = UserFactory(username="member", is_staff=True)
    user.groups.add(Group.objects.get(name=request.param))
    if request.param == "Practice editors":
        PracticeMembership.objects.create(
            user=user, practice=world[Practice], role=PracticeMembership.Role.ADMIN
        )
    return user


@pytest.mark.parametrize("app", ["auth", "axes"])
def test_editors_cannot_open_accounts_groups_or_sign_in_records(
    world, editor_of_a_group, app
):
    client = Client()
    client.force_login(editor_of_a_group)
    pages = {
        key: page
        for key, page in concrete_pages(world).items()
        if key.startswith((f"admin:{app}_", f"admin/{app}/"))
    }
    assert len(pages) >= 6
    for key, page in pages.items():
        expected = page.bystander
        for method in ["get", "post"]:
            response = getattr(client, method)(page.url)
            assert_answer(response, expected[method], f"{method.upper()} {key}")


def test_view_on_site_leads_a_practice_editor_only_to_their_own_articles(world):
    own, other = PracticeFactory(name="North Spine"), PracticeFactory()
    user = UserFactory(username="north-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Practice editors"))
    PracticeMembership.objects.create(user=user, practice=own)
    client = Client()
    client.force_login(user)
    article_type = ContentType.objects.get_for_model(Article).pk
    for practice, expected in [(own, 302), (other, 404)]:
        article = ArticleFactory(practice=practice)
        url = reverse("admin:view_on_site", args=[article_type, article.pk])
        response = client.get(url)
        assert response.status_code == expected, practice
    assert response.get("Location") is None
