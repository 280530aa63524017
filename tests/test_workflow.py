"""Medical sign-off, schedules, review dates, previews, no lost edits, audit."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEvent, Status

from .admin_forms import (
    article_form,
    assert_saved,
    form_errors,
    post_article,
)
from .factories import ArticleFactory, GuideFactory, StepFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    article = ArticleFactory(
        status=Status.DRAFT, reviewed_by=None, reviewed_at=None, publish_at=None
    )
    StepFactory(article=article, heading="First step")
    return article


@pytest.fixture
def live():
    article = ArticleFactory(
        title="Live article",
        reviewed_at=timezone.localdate() - timedelta(days=30),
        publish_at=timezone.now() - timedelta(days=30),
    )
    StepFactory(article=article, heading="Approved step")
    return article


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# --- Who may publish -----------------------------------------------------------------


def test_an_editor_cannot_publish_and_is_told_why(editor_client, draft):
    data = article_form(editor_client, draft)
    data["status"] = Status.PUBLISHED
    response = post_article(editor_client, draft, data)
    assert response.status_code == 200
    assert "Only medical reviewers can publish" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_can_submit_for_review(editor_client, draft):
    data = article_form(editor_client, draft)
    data["status"] = Status.IN_REVIEW
    assert_saved(post_article(editor_client, draft, data))
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.updated_by.username == "editor"


def test_an_editor_cannot_fill_in_the_medical_review(editor_client, draft, reviewer):
    data = article_form(editor_client, draft)
    data.update(reviewed_by=str(reviewer.doctor.pk), reviewed_at="2020-01-01")
    assert_saved(post_article(editor_client, draft, data))
    draft.refresh_from_db()
    assert draft.reviewed_by is None and draft.reviewed_at is None


def test_publishing_records_the_reviewing_doctor_and_date(
    reviewer_client, reviewer, draft
):
    data = article_form(reviewer_client, draft)
    data.update(status=Status.PUBLISHED, reviewed_by="", reviewed_at="")
    assert_saved(post_article(reviewer_client, draft, data))
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.reviewed_by == reviewer.doctor
    assert draft.reviewed_at == timezone.localdate()
    page = Client().get(draft.get_absolute_url()).content.decode()
    assert "Dr. Riley Reviewer" in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert event.actor == reviewer and event.object_id == str(draft.pk)
    assert "Riley Reviewer" in event.message


def test_an_editor_cannot_change_what_patients_read_in_an_approved_article(
    editor_client, live
):
    data = article_form(editor_client, live)
    data["introduction"] = "<p>Unreviewed claim.</p>"
    response = post_article(editor_client, live, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "only a medical reviewer can change what patients read" in text
    assert "Unreviewed claim." in text  # the typed text is still in the form
    live.refresh_from_db()
    assert "Unreviewed claim." not in live.introduction


def test_an_editor_cannot_change_approved_steps(editor_client, live):
    data = article_form(editor_client, live)
    data["steps-0-heading"] = "Unreviewed step"
    response = post_article(editor_client, live, data)
    assert response.status_code == 200
    assert "only a medical reviewer" in str(form_errors(response))
    assert live.steps.get().heading == "Approved step"


def test_an_editor_may_fix_internal_fields_of_an_approved_article(editor_client, live):
    updated_on = live.content_updated_at
    data = article_form(editor_client, live)
    data["review_interval_months"] = "6"
    assert_saved(post_article(editor_client, live, data))
    live.refresh_from_db()
    assert live.review_interval_months == 6
    assert live.content_updated_at == updated_on


def test_an_editor_may_take_an_article_off_the_site_and_that_is_audited(
    editor_client, editor, live
):
    data = article_form(editor_client, live)
    data.update(status=Status.IN_REVIEW, **{"steps-0-heading": "Step being fixed"})
    assert_saved(post_article(editor_client, live, data))
    live.refresh_from_db()
    assert live.status == Status.IN_REVIEW
    assert Client().get(live.get_absolute_url()).status_code == 410
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNPUBLISHED)
    assert event.actor == editor


def test_a_reviewer_changing_approved_content_signs_it_off_again(reviewer_client, live):
    data = article_form(reviewer_client, live)
    data["steps-0-heading"] = "Reviewed new step"
    assert_saved(post_article(reviewer_client, live, data))
    live.refresh_from_db()
    assert live.reviewed_at == timezone.localdate()
    assert live.steps.get().heading == "Reviewed new step"


# --- Scheduling ------------------------------------------------------------------


def test_a_scheduled_article_appears_and_disappears_on_the_second(client):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    guide = GuideFactory()
    first = ArticleFactory(guide=guide, title="Always there")
    scheduled = ArticleFactory(
        guide=guide,
        title="Timed article",
        publish_at=start,
        unpublish_at=start + timedelta(days=7),
    )

    def visible_everywhere():
        article_page = client.get(scheduled.get_absolute_url()).status_code == 200
        guide_page = (
            "Timed article" in client.get(guide.get_absolute_url()).content.decode()
        )
        sitemap = (
            scheduled.get_absolute_url() in client.get("/sitemap.xml").content.decode()
        )
        continue_reading = (
            "Timed article" in client.get(first.get_absolute_url()).content.decode()
        )
        return {article_page, guide_page, sitemap, continue_reading}

    with time_machine.travel(start - timedelta(seconds=1), tick=False):
        assert visible_everywhere() == {False}
        assert client.get(scheduled.get_absolute_url()).status_code == 404
    with time_machine.travel(start, tick=False):
        assert visible_everywhere() == {True}
    with time_machine.travel(
        start + timedelta(days=7) - timedelta(seconds=1), tick=False
    ):
        assert visible_everywhere() == {True}
    with time_machine.travel(start + timedelta(days=7), tick=False):
        assert visible_everywhere() == {False}
        assert client.get(scheduled.get_absolute_url()).status_code == 410


# --- Review due ----------------------------------------------------------------------


def test_review_due_date_follows_the_interval():
    article = ArticleFactory(reviewed_at=timezone.datetime(2026, 1, 31).date())
    assert article.review_due_on == timezone.datetime(2027, 1, 31).date()
    article.review_interval_months = 1
    article.save()
    assert article.review_due_on == timezone.datetime(2026, 2, 28).date()


def test_overdue_articles_are_flagged_in_the_list_and_filter(editor_client):
    overdue = ArticleFactory(
        title="Old review", reviewed_at=timezone.localdate() - timedelta(days=400)
    )
    ArticleFactory(title="Fresh review")
    url = reverse("admin:articles_article_changelist")
    listing = editor_client.get(url).content.decode()
    assert "Overdue since" in listing
    filtered = editor_client.get(url, {"review": "overdue"}).content.decode()
    assert "Old review" in filtered and "Fresh review" not in filtered
    assert overdue in Article.objects.due_for_review()


def test_the_dashboard_lists_review_scheduled_overdue_and_recent(editor_client):
    ArticleFactory(title="Waiting article", status=Status.IN_REVIEW)
    ArticleFactory(
        title="Future article", publish_at=timezone.now() + timedelta(days=3)
    )
    ArticleFactory(
        title="Stale article", reviewed_at=timezone.localdate() - timedelta(days=500)
    )
    page = editor_client.get(reverse("admin:index")).content.decode()
    dashboard = page[page.index('id="editor-dashboard"') :]

    def section(title):
        start = dashboard.index(title)
        return dashboard[start : dashboard.index("</table>", start)]

    assert "Waiting article" in section("Waiting for medical review")
    assert "Future article" in section("Scheduled to publish")
    assert "Stale article" in section("Medical review overdue")
    assert "Waiting article" in section("Recently changed")
    assert "Future article" not in section("Waiting for medical review")


# --- Preview ---------------------------------------------------------------------


def test_an_editor_previews_a_draft_as_patients_would_see_it(editor_client, draft):
    response = editor_client.get(
        reverse("admin:articles_article_preview", args=[draft.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not published" in page
    assert f"<h1>{draft.title}</h1>" in page
    assert "<h3>First step</h3>" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert (
        "no-cache" in response["Cache-Control"]
        and "private" in response["Cache-Control"]
    )


def test_an_editor_previews_unsaved_changes_without_saving_them(editor_client, draft):
    data = article_form(editor_client, draft)
    data.update(title="Unsaved new title", **{"steps-0-heading": "Unsaved step"})
    response = editor_client.post(
        reverse("admin:articles_article_preview_changes") + f"?id={draft.pk}", data
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Unsaved new title</h1>" in page and "Unsaved step" in page
    draft.refresh_from_db()
    assert draft.title != "Unsaved new title"
    assert draft.steps.get().heading == "First step"


def test_previews_do_not_work_for_anonymous_people(client, draft):
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(draft.get_absolute_url()).status_code == 404


# --- No lost edits ---------------------------------------------------------------


def test_two_reviewers_saving_the_same_article_do_not_overwrite_each_other(
    reviewer, live
):
    colleague = UserFactory(username="colleague", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Medical reviewers"))
    mine, theirs = client_for(reviewer), client_for(colleague)
    opened_by_me = article_form(mine, live)
    opened_by_them = article_form(theirs, live)

    opened_by_them["title"] = "Their title"
    assert_saved(post_article(theirs, live, opened_by_them))
    opened_by_me["introduction"] = "<p>My careful rewrite.</p>"
    response = post_article(mine, live, opened_by_me)

    assert response.status_code == 200
    text = response.content.decode()
    assert "colleague saved this article on" in text
    assert "My careful rewrite." in text
    live.refresh_from_db()
    assert live.title == "Their title"
    assert "My careful rewrite." not in live.introduction

    # Saving again, deliberately, replaces their version with mine.
    retry = dict(opened_by_me, seen_version=str(live.version))
    assert_saved(post_article(mine, live, retry))
    live.refresh_from_db()
    assert "My careful rewrite." in live.introduction


def test_validation_errors_keep_everything_typed(reviewer_client, live):
    data = article_form(reviewer_client, live)
    data.update(
        title="",
        introduction="<p>Typed introduction.</p>",
        **{"steps-0-heading": "Typed step heading"},
    )
    response = post_article(reviewer_client, live, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Typed introduction." in text and "Typed step heading" in text


# --- Deletion and audit ----------------------------------------------------------


def test_deleting_asks_with_the_public_pages_that_disappear(
    reviewer_client, reviewer, live
):
    url = reverse("admin:articles_article_delete", args=[live.pk])
    confirmation = reviewer_client.get(url).content.decode()
    assert "Patients will no longer find these pages" in confirmation
    assert live.get_absolute_url() in confirmation
    assert reviewer_client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=live.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETED)
    assert event.actor == reviewer and live.get_absolute_url() in event.message


def test_bulk_delete_is_not_offered(editor_client):
    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "delete_selected" not in listing.content.decode()


def test_the_audit_trail_is_read_only_and_filterable(editor_client, live):
    event = AuditEvent.record(None, AuditEvent.Action.PUBLISHED, live, "test")
    listing = reverse("admin:articles_auditevent_changelist")
    assert editor_client.get(listing, {"action": "published"}).status_code == 200
    assert (
        editor_client.get(reverse("admin:articles_auditevent_add")).status_code == 403
    )
    change = editor_client.post(
        reverse("admin:articles_auditevent_change", args=[event.pk]), {"message": "x"}
    )
    assert change.status_code == 403
    event.refresh_from_db()
    assert event.message == "test"


def test_permission_changes_are_audited(admin_client, admin_user):
    user = UserFactory(username="newcomer")
    data = {
        "username": "newcomer",
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(Group.objects.get(name="Medical reviewers").pk)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSIONS)
    assert event.actor == admin_user
    assert "staff: False → True" in event.message
    assert "groups added: Medical reviewers" in event.message


def test_the_editors_own_markup_noise_is_not_a_change(editor_client, live):
    """CKEditor adds attributes such as data-list-item-id; cleaned, nothing changed."""
    live.safety_notice = "<ul><li>Fever</li></ul>"
    live.save()
    updated_on = live.content_updated_at
    data = article_form(editor_client, live)
    data["safety_notice"] = '<ul><li data-list-item-id="e49bd22a">Fever</li></ul>'
    data["review_interval_months"] = "6"
    assert_saved(post_article(editor_client, live, data))
    live.refresh_from_db()
    assert live.review_interval_months == 6
    assert live.content_updated_at == updated_on
