"""Article history: revisions on every save, readable diffs, restore and recovery."""

import html
import json
from datetime import timedelta

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.history import diff_items, diff_snapshots, plain_text, word_diff
from articles.models import Article, ArticleStep, AuditEvent, Status

from .admin_forms import (
    add_step_row,
    article_form,
    assert_saved,
    change_url,
    form_data,
    post_article,
    row_index,
)
from .factories import (
    ArticleFactory,
    FactFactory,
    GuideFactory,
    ImageFactory,
    ReferenceFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


# --- Helpers ------------------------------------------------------------------


@pytest.fixture
def draft():
    """A draft with three steps, a fact and a reference, and no revision yet."""
    article = ArticleFactory(
        title="How Kyphoplasty Works",
        introduction="<p>The doctor numbs the skin.</p>",
        status=Status.DRAFT,
        reviewed_by=None,
        reviewed_at=None,
        publish_at=None,
    )
    for heading in ["Making a path", "Inflating", "Filling"]:
        StepFactory(article=article, heading=heading)
    FactFactory(article=article, label="How long it takes")
    ReferenceFactory(article=article)
    return article


@pytest.fixture
def live():
    article = ArticleFactory(
        introduction="<p>The approved introduction.</p>",
        reviewed_at=timezone.localdate() - timedelta(days=30),
        publish_at=timezone.now() - timedelta(days=30),
    )
    StepFactory(article=article, heading="Approved step")
    return article


def record_revision(article, user=None, comment=""):
    """Store the article as it is now (with its steps, facts, references) as a revision."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)
    return versions(article)[0]


def versions(article):
    """The article's versions, newest first."""
    return list(Version.objects.get_for_object(article).order_by("-pk"))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def headings(article):
    return list(article.steps.order_by("position").values_list("heading", flat=True))


def text_of(response):
    """The page as a reader sees it: entities such as &#x27; decoded."""
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def edit_stored_version(version, **fields):
    """Change what a stored version holds, e.g. to plant HTML the cleaner forbids."""
    data = json.loads(version.serialized_data)
    data[0]["fields"].update(fields)
    version.serialized_data = json.dumps(data)
    version.save()


def rewrite(client, article, introduction, delete=(), add=(), order=None):
    """Save the article in the admin: new introduction, steps deleted, added, renumbered."""
    data = article_form(client, article)
    data["introduction"] = introduction
    for heading in delete:
        row = row_index(data, "steps", article.steps.get(heading=heading))
        data[f"steps-{row}-DELETE"] = "on"
    for heading, number in (order or {}).items():
        row = row_index(data, "steps", article.steps.get(heading=heading))
        data[f"steps-{row}-order"] = str(number)
    for heading in add:
        add_step_row(data, heading=heading, body=f"<p>About {heading}.</p>")
    assert_saved(post_article(client, article, data))
    article.refresh_from_db()


# --- Every save is a revision ---------------------------------------------------


def test_each_admin_save_records_a_revision_with_the_user_and_the_steps(
    editor_client, editor, draft
):
    rewrite(editor_client, draft, "<p>First edit.</p>", add=["Setting"])
    rewrite(editor_client, draft, "<p>Second edit.</p>", delete=["Inflating"])

    newest, older = versions(draft)
    assert newest.revision.user == editor and older.revision.user == editor
    assert newest.revision.date_created >= older.revision.date_created
    assert "First edit." in older.field_dict["introduction"]
    stored_steps = [
        version.field_dict["heading"]
        for version in older.revision.version_set.all()
        if version.content_type.model_class() is ArticleStep
    ]
    assert sorted(stored_steps) == ["Filling", "Inflating", "Making a path", "Setting"]


def test_the_history_lists_revisions_with_compare_and_restore_links(
    editor_client, editor, draft
):
    first = record_revision(draft, editor, "Wrote the first version.")
    rewrite(editor_client, draft, "<p>Clearer words.</p>")
    newest = versions(draft)[0]

    text = text_of(editor_client.get(history_url(draft)))

    assert "Wrote the first version." in text and "editor" in text
    assert f"{compare_url(draft)}?to={newest.pk}" in text
    assert f"{compare_url(draft)}?to={first.pk}" not in text  # nothing before it
    assert restore_url(draft, first) in text and restore_url(draft, newest) in text
    assert "Compare with previous" in text and "Restore this revision" in text


def test_reversions_own_revert_form_leads_to_the_restore_confirmation(
    editor_client, editor, draft
):
    version = record_revision(draft, editor)
    response = editor_client.get(
        reverse("admin:articles_article_revision", args=[draft.pk, version.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == restore_url(draft, version)


# --- Comparing two revisions ----------------------------------------------------


def test_compare_shows_the_words_changed_in_the_introduction(
    editor_client, editor, draft
):
    record_revision(draft, editor)
    draft.introduction = "<p>The doctor gently numbs the back.</p>"
    draft.save()
    record_revision(draft, editor)

    text = text_of(editor_client.get(compare_url(draft)))  # newest vs the one before

    assert "Introduction was changed" in text
    assert (
        "The doctor <ins>gently</ins> numbs the <del>skin.</del> <ins>back.</ins>"
        in (text)
    )


def test_compare_summarises_added_removed_moved_and_edited_steps(
    editor_client, editor, draft
):
    StepFactory(article=draft, heading="Setting")
    first = record_revision(draft, editor)
    # Setting moves to the top, Filling goes, Inflating is reworded, Resting is new.
    rewrite(
        editor_client,
        draft,
        draft.introduction,
        delete=["Filling"],
        add=["Resting"],
        order={"Setting": 1},
    )
    inflating = draft.steps.get(heading="Inflating")
    inflating.body = "<p>A small balloon lifts the bone.</p>"
    inflating.save()
    record_revision(draft, editor)
    assert headings(draft) == ["Setting", "Making a path", "Inflating", "Resting"]

    text = text_of(editor_client.get(compare_url(draft), {"from": first.pk}))

    assert "Step 3 'Filling' was removed" in text
    assert "Step 'Setting' moved from 4 to 1" in text
    assert "Step 4 'Resting' was added" in text
    assert "Step 3 'Inflating' was edited" in text
    assert "<ins>A small balloon lifts the bone.</ins>" in text
    # Renumbered because Setting went before it, not moved by the editor.
    assert "'Making a path' moved" not in text


def test_compare_two_chosen_revisions(editor_client, editor, draft):
    first = record_revision(draft, editor)
    for words in ["Second", "Third"]:
        draft.introduction = f"<p>{words} introduction.</p>"
        draft.save()
        record_revision(draft, editor)
    newest = versions(draft)[0]

    response = editor_client.get(
        compare_url(draft), {"from": first.pk, "to": newest.pk}
    )

    text = text_of(response)
    assert "<ins>Third introduction.</ins>" in text
    assert "Second" not in text.split("<h2>Summary</h2>")[1]
    assert f'<option value="{first.pk}" selected>' in text


def test_compare_refuses_a_revision_of_another_article(editor_client, editor, draft):
    record_revision(draft, editor)
    other = record_revision(ArticleFactory(), editor)
    response = editor_client.get(compare_url(draft), {"from": other.pk})
    assert response.status_code == 404


def test_compare_without_revisions_says_so(editor_client, draft):
    assert "no revisions yet" in text_of(editor_client.get(compare_url(draft)))


# --- Restoring a revision ---------------------------------------------------------


def test_restore_brings_back_old_text_and_steps_as_a_new_revision(
    editor_client, editor, draft
):
    old = record_revision(draft, editor)
    # Later: new words, Inflating deleted, Resting added, Filling moved first.
    rewrite(
        editor_client,
        draft,
        "<p>A rewritten introduction.</p>",
        delete=["Inflating"],
        add=["Resting"],
        order={"Filling": 1},
    )
    assert headings(draft) == ["Filling", "Making a path", "Resting"]
    version_before, revisions_before = draft.version, len(versions(draft))
    updated_before = draft.content_updated_at

    response = editor_client.post(restore_url(draft, old))

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    draft.refresh_from_db()
    assert draft.introduction == "<p>The doctor numbs the skin.</p>"
    assert headings(draft) == ["Making a path", "Inflating", "Filling"]
    assert [step.position for step in draft.steps.all()] == [1, 2, 3]
    assert draft.version == version_before + 1
    assert draft.updated_by == editor
    assert draft.content_updated_at > updated_before
    assert draft.status == Status.DRAFT and draft.position == 1
    newest = versions(draft)[0]
    assert len(versions(draft)) == revisions_before + 1
    assert newest.revision.user == editor
    assert newest.revision.comment.startswith("Restored the revision of")
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESTORED)
    assert event.actor == editor and event.object_id == str(draft.pk)
    assert event.message == newest.revision.comment
    page = editor_client.get(response["Location"])
    assert "Restored the revision of" in page.content.decode()


def test_a_deleted_step_comes_back_with_its_text(editor_client, editor, draft):
    rewrite(editor_client, draft, draft.introduction)  # the revision to go back to
    before_deletion = versions(draft)[0]
    filling = draft.steps.get(heading="Filling")
    rewrite(editor_client, draft, draft.introduction, delete=["Filling"])
    assert not ArticleStep.objects.filter(pk=filling.pk).exists()

    assert editor_client.post(restore_url(draft, before_deletion)).status_code == 302

    restored = ArticleStep.objects.get(pk=filling.pk)
    assert restored.article == draft and restored.position == 3
    assert restored.body == filling.body


def test_an_editor_open_on_the_old_text_cannot_overwrite_the_restore(
    editor_client, editor, draft
):
    old = record_revision(draft, editor)
    rewrite(editor_client, draft, "<p>Newer words.</p>")
    opened_before_restore = article_form(editor_client, draft)

    editor_client.post(restore_url(draft, old))

    response = post_article(editor_client, draft, opened_before_restore)
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()


def test_restore_cleans_the_stored_html_again(editor_client, editor, draft):
    old = record_revision(draft, editor)
    edit_stored_version(
        old, introduction='<p onclick="steal()">Hello<script>alert(1)</script></p>'
    )
    step_version = next(
        version
        for version in old.revision.version_set.all()
        if version.content_type.model_class() is ArticleStep
    )
    edit_stored_version(step_version, body="<p>Safe<iframe src=x></iframe></p>")

    assert editor_client.post(restore_url(draft, old)).status_code == 302

    draft.refresh_from_db()
    assert draft.introduction == "<p>Hello</p>"
    step = ArticleStep.objects.get(pk=step_version.object_id)
    assert step.body == "<p>Safe</p>"


def test_restore_confirmation_shows_what_will_change_and_changes_nothing(
    editor_client, editor, draft
):
    old = record_revision(draft, editor, "Wrote the first version.")
    rewrite(editor_client, draft, "<p>Newer words.</p>", delete=["Inflating"])
    version_before, revisions_before = draft.version, len(versions(draft))

    text = text_of(editor_client.get(restore_url(draft, old)))

    assert "by editor" in text and "Wrote the first version." in text
    assert "Step 2 'Inflating' was added" in text  # back, from today's point of view
    assert "<ins>The doctor numbs the skin.</ins>" in text
    assert 'name="csrfmiddlewaretoken"' in text
    draft.refresh_from_db()
    assert draft.version == version_before
    assert len(versions(draft)) == revisions_before
    assert "Inflating" not in headings(draft)
    assert not AuditEvent.objects.exists()


def test_restore_needs_a_login(editor, draft):
    old = record_revision(draft, editor)
    for response in [
        Client().get(restore_url(draft, old)),
        Client().post(restore_url(draft, old)),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_change_permission_cannot_compare_or_restore(
    staff_without_permissions, editor, draft
):
    old = record_revision(draft, editor)
    draft.introduction = "<p>Newer words.</p>"
    draft.save()
    client = client_for(staff_without_permissions)
    assert client.get(compare_url(draft)).status_code == 403
    assert client.get(restore_url(draft, old)).status_code == 403
    assert client.post(restore_url(draft, old)).status_code == 403
    draft.refresh_from_db()
    assert draft.introduction == "<p>Newer words.</p>"


def test_restore_is_csrf_protected(editor, draft):
    old = record_revision(draft, editor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(restore_url(draft, old)).status_code == 403


def test_restoring_a_published_article_needs_the_publish_permission(
    editor_client, reviewer, live
):
    old = record_revision(live, reviewer)
    live.introduction = "<p>The newer approved introduction.</p>"
    live.save()

    assert editor_client.get(restore_url(live, old)).status_code == 403
    assert editor_client.post(restore_url(live, old)).status_code == 403
    live.refresh_from_db()
    assert live.introduction == "<p>The newer approved introduction.</p>"
    assert not AuditEvent.objects.exists()
    history = editor_client.get(history_url(live)).content.decode()
    assert "Restore this revision" not in history


def test_a_reviewer_restoring_a_published_article_signs_it_off(reviewer, live):
    old = record_revision(live, reviewer)
    live.introduction = "<p>The newer approved introduction.</p>"
    live.save()
    client = client_for(reviewer)

    assert "patients will read the restored version" in text_of(
        client.get(restore_url(live, old))
    )
    assert client.post(restore_url(live, old)).status_code == 302

    live.refresh_from_db()
    assert live.introduction == "<p>The approved introduction.</p>"
    assert live.status == Status.PUBLISHED
    assert live.reviewed_at == timezone.localdate()


def test_restore_keeps_the_publishing_state_of_today(editor_client, editor, draft):
    old = record_revision(draft, editor)
    Article.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
    draft.refresh_from_db()

    editor_client.post(restore_url(draft, old))

    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_restore_leaves_out_a_hero_image_deleted_since(editor_client, editor, draft):
    draft.hero_image = ImageFactory(title="Old spine picture")
    draft.save()
    old = record_revision(draft, editor)
    image = draft.hero_image
    draft.hero_image = None
    draft.save()
    image.delete()

    assert "(deleted)" in text_of(editor_client.get(restore_url(draft, old)))
    assert editor_client.post(restore_url(draft, old)).status_code == 302

    draft.refresh_from_db()
    assert draft.hero_image is None


def test_restore_refuses_a_revision_of_another_article(editor_client, editor, draft):
    other = record_revision(ArticleFactory(status=Status.DRAFT), editor)
    assert editor_client.post(restore_url(draft, other)).status_code == 404


# --- Recovering a deleted article -------------------------------------------------


def test_recovering_a_deleted_article_brings_back_its_steps_and_place(
    editor_client, editor
):
    guide = GuideFactory()
    first, middle, last = (
        ArticleFactory(guide=guide, status=Status.DRAFT, title=title)
        for title in ["Before", "The middle one", "After"]
    )
    for heading in ["Making a path", "Inflating"]:
        StepFactory(article=middle, heading=heading)
    rewrite(editor_client, middle, middle.introduction)
    delete_url = reverse("admin:articles_article_delete", args=[middle.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not ArticleStep.objects.filter(article_id=middle.pk).exists()

    listing = editor_client.get(reverse("admin:articles_article_recoverlist"))
    assert "The middle one" in listing.content.decode()
    deleted = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    data = form_data(editor_client.get(recover_url), "article_form")
    # Showing the form changed nothing.
    assert not Article.objects.filter(pk=middle.pk).exists()
    assert list(guide.articles.values_list("position", flat=True)) == [1, 2]
    assert editor_client.post(recover_url, data).status_code == 302

    middle.refresh_from_db()
    assert headings(middle) == ["Making a path", "Inflating"]
    order = list(guide.articles.order_by("position").values_list("title", flat=True))
    assert order == ["Before", "The middle one", "After"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECOVERED)
    assert event.actor == editor and event.object_id == str(middle.pk)


# --- articles.history, the diff itself --------------------------------------------


def step(id, position, heading, body="<p>Text.</p>"):
    return {"id": id, "position": position, "heading": heading, "body": body}


def test_plain_text_drops_tags_and_entities_but_keeps_words_apart():
    assert plain_text("<p>Fish &amp; chips.</p><p>Peas</p>").split() == [
        "Fish",
        "&",
        "chips.",
        "Peas",
    ]
    assert plain_text("<script>alert(1)</script>Safe") == "Safe"
    assert plain_text(None) == ""


def test_word_diff_marks_inserted_and_deleted_words():
    assert word_diff("<p>The doctor numbs the skin.</p>", "The doctor numbs it.") == [
        ("equal", "The doctor numbs"),
        ("delete", "the skin."),
        ("insert", "it."),
    ]
    assert word_diff("", "New words") == [("insert", "New words")]


def test_diff_items_matches_steps_by_id():
    old = [step(1, 1, "A"), step(2, 2, "B"), step(3, 3, "C")]
    new = [step(3, 1, "C"), step(1, 2, "A", "<p>New text.</p>"), step(4, 3, "D")]

    changes = {(change.kind, change.title): change for change in diff_items(old, new)}

    assert set(changes) == {
        ("removed", "B"),
        ("added", "D"),
        ("moved", "C"),
        ("edited", "A"),
    }
    assert (changes["moved", "C"].old_position, changes["moved", "C"].new_position) == (
        3,
        1,
    )
    edited = changes["edited", "A"].fields
    assert [field.name for field in edited] == ["body"]
    assert ("insert", "New text.") in edited[0].words


def test_renumbering_after_a_removal_is_not_a_move():
    old = [step(1, 1, "A"), step(2, 2, "B"), step(3, 3, "C")]
    new = [step(2, 1, "B"), step(3, 2, "C")]
    assert [change.kind for change in diff_items(old, new)] == ["removed"]


def test_diff_items_names_facts_and_references_by_label_and_citation():
    fact = {"id": 1, "position": 1, "key": "time", "label": "Duration", "value": "1 h"}
    reference = {"id": 5, "position": 1, "citation": "Smith 2020", "url": ""}
    assert [change.title for change in diff_items([fact], [])] == ["Duration"]
    assert [change.title for change in diff_items([], [reference])] == ["Smith 2020"]


def test_a_change_of_formatting_only_is_reported_as_such():
    diff = diff_snapshots(
        {"fields": {"introduction": "<p>Rest well.</p>"}},
        {"fields": {"introduction": "<p><strong>Rest</strong> well.</p>"}},
    )
    assert [field.formatting_only for field in diff.fields] == [True]


def test_identical_snapshots_have_no_diff():
    snapshot = {"fields": {"title": "A"}, "steps": [step(1, 1, "A")], "facts": []}
    assert not diff_snapshots(snapshot, snapshot)
