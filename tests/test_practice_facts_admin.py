"""
A practice's own values of the shared guide's facts, from the admin: written by
its editors, signed off only by its own doctors, and kept up with the shared guide.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles import facts
from articles.models import (
    ArticleFact,
    AuditEvent,
    PracticeFact,
    PracticeMembership,
)

from .admin_forms import (
    add_step_row,
    article_form,
    assert_saved,
    change_url,
    form_data,
    form_errors,
    post_article,
    row_index,
)
from .factories import (
    ArticleFactory,
    DoctorFactory,
    FactFactory,
    GuideFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INTRODUCTION = (
    "<p>The treatment takes {{ fact:duration }} for each treated level.</p>"
    "<p>You can read about everything else below.</p>"
)


def html(response):
    return response.content.decode()


def text(response):
    """The page's words, without tags and with entities as the reader sees them."""
    page = re.sub(r"<[^>]+>", " ", html(response))
    page = page.replace("&ldquo;", "“").replace("&rdquo;", "”").replace("&#x27;", "'")
    return " ".join(page.split())


def login(user):
    client = Client()
    client.force_login(user)
    return client


def member(practice, username, group="Practice editors"):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    PracticeMembership.objects.create(user=user, practice=practice)
    return user


def practice_doctor(practice, username, name):
    """A doctor of the practice with their own login, in 'Practice doctors'."""
    user = member(practice, username, group="Practice doctors")
    doctor = DoctorFactory(name=name, user=user)
    doctor.practices.add(practice)
    return user


@pytest.fixture
def world():
    north = PracticeFactory(name="Example Spine Center")
    south = PracticeFactory(name="South Spine")
    article = ArticleFactory(
        guide=GuideFactory(title="Kyphoplasty guide"),
        title="The day of the procedure",
        introduction=INTRODUCTION,
    )
    return {
        "north": north,
        "south": south,
        "article": article,
        "duration": FactFactory(
            article=article,
            key="duration",
            label="How long it takes",
            value="About half an hour",
        ),
        "stay": FactFactory(
            article=article,
            key="stay",
            label="Time in hospital",
            value="Most people go home the same day",
        ),
        "north_editor": member(north, "north-editor"),
        "south_editor": member(south, "south-editor"),
        "north_doctor": practice_doctor(north, "north-doctor", "Nora North"),
        "south_doctor": practice_doctor(south, "south-doctor", "Sam South"),
    }


def override(world, value="One to two hours", key="duration", signed=True):
    """North's value of a fact, signed off by its doctor unless signed=False."""
    row = PracticeFact.objects.create(
        practice=world["north"], article=world["article"], key=key, value=value
    )
    if signed:
        facts.sign_off(row, world["north_doctor"])
        row.refresh_from_db()
    return row


ADD_URL = reverse("admin:articles_practicefact_add")


def keep_up_url(row):
    return reverse("admin:articles_practicefact_keep_up", args=[row.pk])


def share_url(practice):
    return reverse("admin:articles_practice_share", args=[practice.pk])


# --- Stating a value ----------------------------------------------------------------


def test_a_practice_editor_states_a_value_that_waits_for_sign_off(world):
    client = login(world["north_editor"])
    page = client.get(ADD_URL)
    assert "How long it takes (duration): About half an hour" in html(page)
    data = form_data(page, "practicefact_form")
    assert data["practice"] == str(world["north"].pk)  # the only one offered
    data.update(
        article=str(world["article"].pk), key="duration", value="One to two hours"
    )
    response = client.post(ADD_URL, data, follow=True)
    assert "Waiting for sign-off: New value “One to two hours”" in text(response)

    row = PracticeFact.objects.get()
    assert (row.practice, row.key, row.value) == (
        world["north"],
        "duration",
        "One to two hours",
    )
    assert row.pending == PracticeFact.Pending.VALUE
    assert (row.signed_value, row.signed_by, row.signed_at) == ("", None, None)
    event = AuditEvent.objects.get(action=AuditEvent.Action.FACT_CHANGED)
    assert event.actor == world["north_editor"]
    assert "“One to two hours”" in event.message


def test_changing_a_signed_value_leaves_patients_with_the_signed_one(world):
    row = override(world)
    client = login(world["north_editor"])
    data = form_data(client.get(change_url(row)), "practicefact_form")
    data["value"] = "Up to two hours"
    assert_saved(client.post(change_url(row), data))
    row.refresh_from_db()
    assert row.value == "Up to two hours"
    assert row.pending == PracticeFact.Pending.VALUE
    assert row.signed_value == "One to two hours"
    assert row.signed_by.user == world["north_doctor"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.FACT_CHANGED, message__contains="Up to two hours"
    ).exists()


def test_the_list_shows_the_default_what_patients_read_and_what_waits(world):
    row = override(world)
    row.value, row.pending = "Two hours", PracticeFact.Pending.VALUE
    row.save()
    client = login(world["north_editor"])
    listing = text(client.get(reverse("admin:articles_practicefact_changelist")))
    assert "How long it takes (duration)" in listing
    assert "About half an hour" in listing  # the shared value now
    assert "“One to two hours”, signed off by Dr. Nora North on" in listing
    assert "New value “Two hours”" in listing


def test_the_key_must_be_a_fact_of_the_chosen_article(world):
    client = login(world["north_editor"])
    data = form_data(client.get(ADD_URL), "practicefact_form")
    data.update(article=str(world["article"].pk), key="parking", value="Free")
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert (
        "“The day of the procedure” has no fact “parking”. Its facts are: "
        "How long it takes (duration), Time in hospital (stay)."
    ) in text(response)
    assert not PracticeFact.objects.exists()


def test_a_practice_states_one_value_per_fact(world):
    override(world)
    client = login(world["north_editor"])
    data = form_data(client.get(ADD_URL), "practicefact_form")
    data.update(article=str(world["article"].pk), key="duration", value="Two hours")
    assert client.post(ADD_URL, data).status_code == 200
    assert PracticeFact.objects.get().signed_value == "One to two hours"


def test_only_published_articles_with_facts_are_offered(world):
    draft = ArticleFactory(title="A draft article", status="draft", reviewed_by=None)
    FactFactory(article=draft, key="duration")
    ArticleFactory(title="An article without facts")
    page = html(login(world["north_editor"]).get(ADD_URL))
    assert "The day of the procedure" in page
    assert "A draft article" not in page
    assert "An article without facts" not in page


def test_another_practices_editor_can_neither_see_nor_change_it(world):
    row = override(world)
    client = login(world["south_editor"])
    listing = html(client.get(reverse("admin:articles_practicefact_changelist")))
    assert "One to two hours" not in listing
    assert "Example Spine Center" not in listing
    assert client.get(change_url(row)).status_code == 404
    assert client.post(change_url(row), {"value": "Hijacked"}).status_code == 404
    response = client.post(keep_up_url(row), {"action": "drop"})
    assert response.status_code == 404
    delete = reverse("admin:articles_practicefact_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    # Nor can they plant a value for the other practice.
    data = form_data(client.get(ADD_URL), "practicefact_form")
    assert "Example Spine Center" not in html(client.get(ADD_URL))
    data.update(
        practice=str(world["north"].pk),
        article=str(world["article"].pk),
        key="stay",
        value="Planted",
    )
    assert "Select a valid choice" in html(client.post(ADD_URL, data))
    row.refresh_from_db()
    assert row.value == "One to two hours" and row.pending == ""
    assert PracticeFact.objects.count() == 1


# --- Sign-off ------------------------------------------------------------------


@pytest.fixture(params=["north editor", "site editor", "superuser", "south doctor"])
def not_a_north_doctor(request, world, editor):
    """Users who may change North's values but are no doctor of North."""
    if request.param == "north editor":
        return world["north_editor"]
    if request.param == "site editor":
        return editor
    if request.param == "superuser":
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    # A doctor with their own login, editing North too, but working at South.
    user = world["south_doctor"]
    PracticeMembership.objects.create(user=user, practice=world["north"])
    return user


def test_who_is_no_doctor_of_the_practice_sees_why_and_cannot_sign(
    world, not_a_north_doctor
):
    row = override(world, signed=False)
    client = login(not_a_north_doctor)
    page = client.get(change_url(row))
    assert page.status_code == 200
    assert 'name="_signoff"' not in html(page)
    assert (
        "Only a doctor of Example Spine Center, signed in with their own login, "
        "can sign this off." in text(page)
    )
    data = form_data(page, "practicefact_form")
    data["_signoff"] = "Save and sign off"
    assert client.post(change_url(row), data).status_code == 403
    data["value"] = "Changed and signed by the wrong person"
    assert client.post(change_url(row), data).status_code == 403
    row.refresh_from_db()
    assert (row.value, row.signed_by, row.pending) == (
        "One to two hours",
        None,
        PracticeFact.Pending.VALUE,
    )
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.FACT_SIGNED).exists()


def test_the_sign_off_action_skips_practices_the_user_is_no_doctor_of(world):
    row = override(world, signed=False)
    south = PracticeFact.objects.create(
        practice=world["south"], article=world["article"], key="duration", value="2h"
    )
    user = world["south_doctor"]
    PracticeMembership.objects.create(user=user, practice=world["north"])
    response = login(user).post(
        reverse("admin:articles_practicefact_changelist"),
        {"action": "sign_off_selected", "_selected_action": [row.pk, south.pk]},
        follow=True,
    )
    assert "Signed off 1 fact." in text(response)
    assert "Only a doctor of Example Spine Center" in text(response)
    row.refresh_from_db()
    south.refresh_from_db()
    assert row.signed_by is None
    assert south.signed_by.user == user and south.signed_value == "2h"


def test_editors_are_not_offered_the_sign_off_action(world):
    override(world, signed=False)
    listing = html(
        login(world["north_editor"]).get(
            reverse("admin:articles_practicefact_changelist")
        )
    )
    assert "sign_off_selected" not in listing


def test_the_practices_doctor_signs_off_as_themselves(world):
    row = override(world, signed=False)
    client = login(world["north_doctor"])
    page = client.get(change_url(row))
    assert 'name="_signoff"' in html(page)
    assert "You sign off as Dr. Nora North." in text(page)
    data = form_data(page, "practicefact_form")
    data["_signoff"] = "Save and sign off"
    response = client.post(change_url(row), data, follow=True)
    assert (
        "Signed off: patients of Example Spine Center now read “One to two hours”"
        in text(response)
    )
    row.refresh_from_db()
    assert row.signed_value == "One to two hours"
    assert row.signed_by.user == world["north_doctor"]
    assert row.signed_at is not None
    assert row.pending == PracticeFact.Pending.NONE
    assert row.default_at_sign_off == "About half an hour"
    assert "The treatment takes {{ fact:duration }}" in row.context_at_sign_off
    event = AuditEvent.objects.get(action=AuditEvent.Action.FACT_SIGNED)
    assert event.actor == world["north_doctor"]
    assert "Dr. Nora North" in event.message
    trail = text(
        login(UserFactory(username="root", is_staff=True, is_superuser=True)).get(
            reverse("admin:articles_auditevent_changelist")
        )
    )
    assert "Signed off a practice fact" in trail


def test_a_practice_doctor_changes_and_signs_in_one_step(world):
    client = login(world["north_doctor"])
    data = form_data(client.get(ADD_URL), "practicefact_form")
    data.update(
        article=str(world["article"].pk),
        key="stay",
        value="Usually one night in hospital",
        _signoff="Save and sign off",
    )
    assert client.post(ADD_URL, data).status_code == 302
    row = PracticeFact.objects.get()
    assert row.signed_value == "Usually one night in hospital"
    assert row.signed_by.user == world["north_doctor"]
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditEvent.Action.FACT_CHANGED,
        AuditEvent.Action.FACT_SIGNED,
    ]


def test_a_signed_off_value_is_dropped_not_deleted(world):
    signed, unsigned = override(world), override(world, key="stay", signed=False)
    client = login(world["north_editor"])
    delete = reverse("admin:articles_practicefact_delete", args=[signed.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert "deletelink" not in html(client.get(change_url(signed)))
    # The change page offers a drop, which waits for sign-off like anything else.
    page = html(client.get(change_url(signed)))
    assert f'formaction="{keep_up_url(signed)}"' in page
    client.post(keep_up_url(signed), {"action": "drop"})
    signed.refresh_from_db()
    assert signed.pending == PracticeFact.Pending.DROP
    assert signed.signed_value == "One to two hours"
    # A value patients never read may simply be deleted.
    delete = reverse("admin:articles_practicefact_delete", args=[unsigned.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not PracticeFact.objects.filter(pk=unsigned.pk).exists()


# --- Keeping up with the shared guide ---------------------------------------------


def change_default(world, value="About an hour"):
    fact = world["duration"]
    fact.value = value
    fact.save()
    world["article"].mark_content_changed()


def change_text_around(world):
    article = world["article"]
    article.introduction = (
        "<p>With the new method the treatment takes {{ fact:duration }} per level.</p>"
        "<p>You can read about everything else below.</p>"
    )
    article.save()


def notice_pages(world, user):
    client = login(user)
    return {
        "share page": text(client.get(share_url(world["north"]))),
        "dashboard": text(client.get(reverse("admin:index"))),
    }


def test_nothing_to_keep_up_with_while_the_shared_fact_stays(world):
    override(world)
    change_text_around_other_paragraph = world["article"]
    change_text_around_other_paragraph.closing = "<p>New closing words.</p>"
    change_text_around_other_paragraph.save()
    for name, page in notice_pages(world, world["north_editor"]).items():
        assert "The shared guide changed" not in page, name


def test_a_changed_default_shows_on_the_share_page_and_dashboard(world):
    override(world)
    change_default(world)
    for name, page in notice_pages(world, world["north_editor"]).items():
        assert "The shared guide changed this fact on" in page, name
        assert "your value: “One to two hours”; new default: “About an hour”" in page
        assert "(it was “About half an hour” when your value was signed off)" in page
        assert "Keep your value" in page and "Drop your value" in page
        assert (
            "Only a doctor of Example Spine Center, signed in with their own login, "
            "can sign this off. Until then patients read “One to two hours”."
        ) in page
    # South states no value and sees nothing of North's.
    dashboard = text(login(world["south_editor"]).get(reverse("admin:index")))
    assert "The shared guide changed" not in dashboard
    assert "One to two hours" not in dashboard


def test_changed_text_around_the_fact_shows_the_new_text(world):
    override(world)
    change_text_around(world)
    for name, page in notice_pages(world, world["north_editor"]).items():
        assert "The shared guide changed the text around this fact on" in page, name
        assert "the default is still “About half an hour”" in page
        assert (
            "The shared text now reads: With the new method the treatment takes "
            "{{ fact:duration }} per level."
        ) in page
        assert (
            "When your value was signed off, it read: The treatment takes "
            "{{ fact:duration }} for each treated level."
        ) in page


def test_a_removed_fact_can_only_be_dropped(world):
    row = override(world, key="stay")
    world["stay"].delete()
    page = notice_pages(world, world["north_editor"])["share page"]
    assert "The shared guide removed this fact on" in page
    assert "Keep your value" not in page
    client = login(world["north_editor"])
    response = client.post(keep_up_url(row), {"action": "keep"}, follow=True)
    assert "it can only be dropped" in text(response)
    row.refresh_from_db()
    assert row.pending == PracticeFact.Pending.NONE


@pytest.mark.parametrize(
    ("action", "value", "waiting", "signed_value"),
    [
        ("keep", "", "Keep “One to two hours”", "One to two hours"),
        ("change", "About two hours", "New value “About two hours”", "About two hours"),
        ("drop", "", "Drop: back to the shared value", None),
    ],
)
def test_keep_change_or_drop_in_one_step_then_sign_off(
    world, action, value, waiting, signed_value
):
    row = override(world)
    change_default(world)
    editor = login(world["north_editor"])
    page = editor.get(share_url(world["north"]))
    assert f'action="{keep_up_url(row)}"' in html(page)
    response = editor.post(
        keep_up_url(row),
        {"action": action, "value": value, "next": share_url(world["north"])},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == share_url(world["north"])
    page = text(response)
    assert f"Waiting for sign-off: {waiting}" in page
    row.refresh_from_db()
    # Patients still read what was signed off, until the doctor signs again.
    assert row.signed_value == "One to two hours"
    assert row.default_at_sign_off == "About half an hour"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.FACT_CHANGED, actor=world["north_editor"]
    ).exists()

    doctor = login(world["north_doctor"])
    data = form_data(doctor.get(change_url(row)), "practicefact_form")
    data["_signoff"] = "Save and sign off"
    assert doctor.post(change_url(row), data).status_code == 302
    if signed_value is None:
        assert not PracticeFact.objects.filter(pk=row.pk).exists()
    else:
        row.refresh_from_db()
        assert row.signed_value == signed_value
        assert row.default_at_sign_off == "About an hour"
    for name, page in notice_pages(world, world["north_editor"]).items():
        assert "The shared guide changed" not in page, name


def test_change_needs_a_value(world):
    row = override(world)
    change_default(world)
    response = login(world["north_editor"]).post(
        keep_up_url(row), {"action": "change", "value": " "}, follow=True
    )
    assert "Enter the new value to change to." in text(response)
    row.refresh_from_db()
    assert row.pending == PracticeFact.Pending.NONE


@pytest.mark.parametrize("action", ["keep", "change", "drop"])
def test_the_practices_doctor_keeps_changes_or_drops_and_signs_in_one_step(
    world, action
):
    row = override(world)
    change_default(world)
    client = login(world["north_doctor"])
    page = text(client.get(share_url(world["north"])))
    assert "Keep your value and sign off" in page
    assert "Change and sign off" in page and "Drop your value and sign off" in page
    assert "Only a doctor of" not in page
    client.post(
        keep_up_url(row),
        {
            "action": action,
            "value": "Ninety minutes",
            "next": share_url(world["north"]),
        },
    )
    expected = {"keep": "One to two hours", "change": "Ninety minutes", "drop": None}
    stored = PracticeFact.objects.filter(pk=row.pk).first()
    if expected[action] is None:
        assert stored is None
    else:
        assert stored.signed_value == expected[action]
        assert stored.pending == PracticeFact.Pending.NONE
        assert stored.default_at_sign_off == "About an hour"
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.FACT_SIGNED, actor=world["north_doctor"]
        ).count()
        == 2
    )  # the first sign-off and this one
    assert (
        "The shared guide changed"
        not in notice_pages(world, world["north_doctor"])["dashboard"]
    )


def test_keep_up_refuses_a_get_and_an_outside_next(world):
    row = override(world)
    client = login(world["north_editor"])
    assert client.get(keep_up_url(row)).status_code == 405
    response = client.post(
        keep_up_url(row), {"action": "drop", "next": "https://evil.example/"}
    )
    assert response["Location"] == change_url(row)


def test_the_dashboard_lists_values_waiting_for_sign_off(world):
    override(world, signed=False)
    dashboard = text(login(world["north_doctor"]).get(reverse("admin:index")))
    assert "Practice facts waiting for sign-off (1)" in dashboard
    assert "Yours to sign off" in dashboard
    dashboard = text(login(world["north_editor"]).get(reverse("admin:index")))
    assert "A doctor of Example Spine Center" in dashboard


# --- The article's text names only facts the article has ---------------------------


@pytest.fixture
def author(reviewer):
    """A medical reviewer, who may change the published article's text."""
    return login(reviewer)


def test_an_unknown_fact_in_the_text_is_refused(world, author):
    article = world["article"]
    data = article_form(author, article)
    data["introduction"] = "<p>You stay {{ fact:nights }} in hospital.</p>"
    response = post_article(author, article, data)
    assert response.status_code == 200
    page = text(response)
    assert (
        "The text uses {{ fact:nights }} in introduction, but this article has no "
        "fact “nights”."
    ) in page
    article.refresh_from_db()
    assert article.introduction == INTRODUCTION


def test_an_unknown_fact_in_a_new_step_is_refused(world, author):
    article = world["article"]
    data = add_step_row(
        article_form(author, article),
        heading="Going home",
        body="<p>Most people go home after {{ fact:going-home }}.</p>",
    )
    response = post_article(author, article, data)
    assert response.status_code == 200
    assert "{{ fact:going-home }} in step “Going home”" in text(response)
    assert not article.steps.exists()


def test_a_fact_added_with_its_token_in_the_same_save_is_accepted(world, author):
    article = world["article"]
    data = article_form(author, article)
    data["closing"] = "<p>The follow-up visit is {{ fact:follow-up }}.</p>"
    index = int(data["facts-TOTAL_FORMS"])
    data["facts-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"facts-{index}-key": "follow-up",
            f"facts-{index}-label": "Follow-up visit",
            f"facts-{index}-value": "After two weeks",
        }
    )
    assert_saved(post_article(author, article, data))
    assert article.facts.filter(key="follow-up").exists()


def test_deleting_a_fact_the_text_uses_is_refused(world, author):
    article = world["article"]
    data = article_form(author, article)
    data[f"facts-{row_index(data, 'facts', world['duration'])}-DELETE"] = "on"
    response = post_article(author, article, data)
    assert response.status_code == 200, form_errors(response)
    assert (
        "The text still uses the fact “duration” ({{ fact:duration }} in "
        "introduction), so it cannot be deleted or renamed."
    ) in text(response)
    assert ArticleFact.objects.filter(pk=world["duration"].pk).exists()


def test_renaming_a_fact_the_text_uses_is_refused(world, author):
    article = world["article"]
    data = article_form(author, article)
    data[f"facts-{row_index(data, 'facts', world['duration'])}-key"] = "length"
    response = post_article(author, article, data)
    assert response.status_code == 200
    assert "so it cannot be deleted or renamed" in text(response)
    world["duration"].refresh_from_db()
    assert world["duration"].key == "duration"


def test_a_fact_may_go_together_with_its_token(world, author):
    article = world["article"]
    data = article_form(author, article)
    data["introduction"] = "<p>The treatment is short.</p>"
    data[f"facts-{row_index(data, 'facts', world['duration'])}-DELETE"] = "on"
    assert_saved(post_article(author, article, data))
    assert not ArticleFact.objects.filter(pk=world["duration"].pk).exists()


def test_restoring_an_old_version_brings_back_the_value_not_its_sign_off(world):
    doctor = login(world["north_doctor"])
    data = form_data(doctor.get(ADD_URL), "practicefact_form")
    data.update(
        article=str(world["article"].pk),
        key="duration",
        value="One to two hours",
        _signoff="Save and sign off",
    )
    assert doctor.post(ADD_URL, data).status_code == 302
    row = PracticeFact.objects.get()
    data = form_data(doctor.get(change_url(row)), "practicefact_form")
    data.update(value="Two hours", _signoff="Save and sign off")
    assert doctor.post(change_url(row), data).status_code == 302
    oldest = Version.objects.get_for_object(row).order_by("pk").first()

    editor = login(world["north_editor"])
    url = reverse("admin:articles_practicefact_revision", args=[row.pk, oldest.pk])
    data = form_data(editor.get(url), "practicefact_form")
    assert data["value"] == "One to two hours"
    assert editor.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.value == "One to two hours"
    assert row.pending == PracticeFact.Pending.VALUE
    assert row.signed_value == "Two hours"  # what patients read until a doctor signs
    assert row.signed_by.user == world["north_doctor"]


def test_a_recovered_value_waits_for_sign_off(world):
    doctor = login(world["north_doctor"])
    data = form_data(doctor.get(ADD_URL), "practicefact_form")
    data.update(
        article=str(world["article"].pk),
        key="duration",
        value="One to two hours",
        _signoff="Save and sign off",
    )
    doctor.post(ADD_URL, data)
    row = PracticeFact.objects.get()
    # Dropped, and the drop signed off: patients read the shared value.
    doctor.post(keep_up_url(row), {"action": "drop"})
    assert not PracticeFact.objects.exists()

    editor = login(world["north_editor"])
    deleted = Version.objects.get_deleted(PracticeFact).first()
    url = reverse("admin:articles_practicefact_recover", args=[deleted.pk])
    assert (
        editor.post(url, form_data(editor.get(url), "practicefact_form")).status_code
        == 302
    )
    row = PracticeFact.objects.get()
    assert row.value == "One to two hours"
    assert row.pending == PracticeFact.Pending.VALUE
    assert (row.signed_value, row.signed_by, row.signed_at) == ("", None, None)
