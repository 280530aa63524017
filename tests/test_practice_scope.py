"""Practice editors see and change only their own practice, proven from both sides."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles.models import Article, AuditEvent, PracticeMembership, Status

from .admin_forms import assert_saved, change_url, form_data
from .factories import (
    ArticleFactory,
    DoctorFactory,
    ImageFactory,
    LocationFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def member(practice, role="editor", username=None):
    user = UserFactory(username=username or f"{practice.slug}-{role}", is_staff=True)
    user.groups.add(Group.objects.get(name="Practice editors"))
    PracticeMembership.objects.create(user=user, practice=practice, role=role)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def world():
    """Two practices, each with a doctor, a location and an assigned draft article."""
    north = PracticeFactory(name="North Spine")
    south = PracticeFactory(name="South Spine")
    objects = {"north": north, "south": south}
    for key, practice in [("north", north), ("south", south)]:
        LocationFactory(practice=practice)
        doctor = DoctorFactory(name=f"{practice.name} Doctor")
        doctor.practices.add(practice)
        objects[f"{key}_doctor"] = doctor
        objects[f"{key}_article"] = ArticleFactory(
            title=f"{practice.name} article",
            practice=practice,
            status=Status.DRAFT,
            reviewed_by=None,
            reviewed_at=None,
        )
    return objects


@pytest.fixture
def north_editor(world):
    return member(world["north"])


def test_lists_and_search_show_only_the_own_practice(north_editor, world):
    _user, client = north_editor
    for name, own, other in [
        ("practice", "North Spine", "South Spine"),
        ("doctor", "North Spine Doctor", "South Spine Doctor"),
        ("article", "North Spine article", "South Spine article"),
    ]:
        url = reverse(f"admin:articles_{name}_changelist")
        listing = client.get(url).content.decode()
        assert own in listing and other not in listing
        searched = client.get(url, {"q": "South"}).content.decode()
        assert other not in searched


def test_filters_name_no_other_practice(north_editor, world):
    _user, client = north_editor
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "South Spine" not in listing


def test_autocomplete_offers_only_the_own_doctors(north_editor, world):
    _user, client = north_editor
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "reviewed_by",
            "term": "Spine",
        },
    )
    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert names == ["Dr. North Spine Doctor"]


@pytest.mark.parametrize("key", ["south", "south_doctor", "south_article"])
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_direct_urls_to_another_practice_are_not_found(north_editor, world, key, view):
    _user, client = north_editor
    obj = world[key]
    url = reverse(f"admin:articles_{obj._meta.model_name}_{view}", args=[obj.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Hijacked"}).status_code == 404


def test_the_same_urls_work_for_the_own_practice(north_editor, world):
    _user, client = north_editor
    for key in ["north", "north_doctor", "north_article"]:
        assert client.get(change_url(world[key])).status_code == 200


def test_a_crafted_post_cannot_move_an_article_to_another_practice(north_editor, world):
    _user, client = north_editor
    article = world["north_article"]
    data = form_data(client.get(change_url(article)), "article_form")
    data["practice"] = str(world["south"].pk)
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    article.refresh_from_db()
    assert article.practice == world["north"]


def test_a_crafted_post_cannot_create_an_article_for_another_practice(
    north_editor, world
):
    _user, client = north_editor
    data = form_data(client.get(reverse("admin:articles_article_add")), "article_form")
    data.update(
        guide=str(world["north_article"].guide.pk),
        title="Planted",
        teaser="x",
        introduction="<p>x</p>",
        practice=str(world["south"].pk),
        status=Status.DRAFT,
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.filter(title="Planted").exists()


def test_practice_content_must_belong_to_a_practice(north_editor, world):
    _user, client = north_editor
    article = world["north_article"]
    data = form_data(client.get(change_url(article)), "article_form")
    data["practice"] = ""
    assert client.post(change_url(article), data).status_code == 200
    article.refresh_from_db()
    assert article.practice == world["north"]


def test_a_crafted_post_cannot_attach_another_practices_doctor(north_editor, world):
    _user, client = north_editor
    doctor = world["north_doctor"]
    data = form_data(client.get(change_url(doctor)), "doctor_form")
    data["practices"] = [str(world["north"].pk), str(world["south"].pk)]
    response = client.post(change_url(doctor), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(doctor.practices.all()) == [world["north"]]


def test_editing_a_shared_doctor_keeps_the_other_practice(north_editor, world):
    _user, client = north_editor
    doctor = world["north_doctor"]
    doctor.practices.add(world["south"])
    data = form_data(client.get(change_url(doctor)), "doctor_form")
    assert data["practices"] == str(world["north"].pk)  # south is not even shown
    data["specialty_en"] = "Spine care"
    assert_saved(client.post(change_url(doctor), data))
    assert set(doctor.practices.all()) == {world["north"], world["south"]}


def test_a_practice_editor_cannot_add_practices_or_reach_people_and_audit(
    north_editor, world
):
    _user, client = north_editor
    for name in [
        "admin:articles_practice_add",
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:articles_auditevent_changelist",
        "admin:articles_redirect_changelist",
    ]:
        assert client.get(reverse(name)).status_code == 403, name


def test_a_practice_editor_cannot_change_members_or_login_links(north_editor, world):
    _user, client = north_editor
    practice_page = client.get(change_url(world["north"])).content.decode()
    assert "memberships-TOTAL_FORMS" not in practice_page
    assert 'name="is_example"' not in practice_page
    doctor_page = client.get(change_url(world["north_doctor"])).content.decode()
    assert 'name="user"' not in doctor_page


def test_a_crafted_post_cannot_grant_membership(north_editor, world):
    user, client = north_editor
    practice = world["north"]
    data = form_data(client.get(change_url(practice)), "practice_form")
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": str(user.pk),
            "memberships-0-role": "admin",
            "memberships-0-practice": str(world["south"].pk),
        }
    )
    client.post(change_url(practice), data)
    assert list(user.practice_memberships.values_list("practice", "role")) == [
        (practice.pk, "editor")
    ]


def test_shared_images_are_visible_but_not_editable(north_editor, world):
    _user, client = north_editor
    shared = ImageFactory(title="Shared picture")
    theirs = ImageFactory(title="South picture", practice=world["south"])
    listing = client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "Shared picture" in listing and "South picture" not in listing
    page = client.get(change_url(shared)).content.decode()
    assert 'name="alt_text"' not in page  # read-only view
    assert client.get(change_url(theirs)).status_code == 404


def test_the_dashboard_lists_only_the_own_practices_articles(north_editor, world):
    _user, client = north_editor
    page = client.get(reverse("admin:index")).content.decode()
    assert "North Spine article" in page and "South Spine article" not in page


def test_site_editors_see_every_practice(editor_client, world):
    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    text = listing.content.decode()
    assert "North Spine article" in text and "South Spine article" in text
    assert editor_client.get(change_url(world["south_doctor"])).status_code == 200


# --- Inviting editors ------------------------------------------------------------


def invite_url(practice):
    return reverse("admin:articles_practice_invite", args=[practice.pk])


def test_a_practice_admin_invites_an_editor_for_their_practice(world):
    admin_user, client = member(world["north"], role="admin")
    response = client.post(
        invite_url(world["north"]),
        {"username": "newbie", "email": "newbie@example.org"},
    )
    assert response.status_code == 200
    newbie = get_user_model().objects.get(username="newbie")
    assert newbie.is_staff and not newbie.is_superuser
    assert not newbie.has_usable_password()
    assert list(newbie.groups.values_list("name", flat=True)) == ["Practice editors"]
    assert list(newbie.practice_memberships.values_list("practice", "role")) == [
        (world["north"].pk, "editor")
    ]
    link = response.context["set_password_url"]
    assert Client().get(link, follow=True).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSIONS)
    assert event.actor == admin_user and "North Spine" in event.message


def test_a_practice_admin_cannot_invite_into_another_practice(world):
    _admin_user, client = member(world["north"], role="admin")
    response = client.post(
        invite_url(world["south"]), {"username": "spy", "email": "spy@example.org"}
    )
    assert response.status_code == 404
    assert not PracticeMembership.objects.filter(user__username="spy").exists()


def test_a_practice_editor_cannot_invite(north_editor, world):
    _user, client = north_editor
    response = client.post(
        invite_url(world["north"]), {"username": "friend", "email": "f@example.org"}
    )
    assert response.status_code == 403


def test_invited_usernames_must_be_new(world):
    _admin_user, client = member(world["north"], role="admin")
    response = client.post(
        invite_url(world["north"]),
        {"username": "north-spine-admin", "email": "x@example.org"},
    )
    assert "already taken" in response.content.decode()


# --- Phone numbers ---------------------------------------------------------------


def test_phone_numbers_are_validated_and_stored_in_one_form(editor_client, world):
    practice = world["north"]
    location = practice.locations.get()
    data = form_data(editor_client.get(change_url(practice)), "practice_form")
    data["locations-0-phone"] = "12"
    response = editor_client.post(change_url(practice), data)
    assert "not a phone number we can dial" in response.content.decode()
    data["locations-0-phone"] = "(555) 010-0142"
    assert_saved(editor_client.post(change_url(practice), data))
    location.refresh_from_db()
    assert location.phone == "+15550100142"
    page = Client().get(practice.get_absolute_url()).content.decode()
    assert '<a href="tel:+15550100142">(555) 010-0142</a>' in page


def test_only_those_who_may_invite_see_the_invite_link(north_editor, world):
    _user, client = north_editor
    assert (
        "Invite an editor"
        not in client.get(change_url(world["north"])).content.decode()
    )
    _admin_user, admin_client = member(world["north"], role="admin")
    page = admin_client.get(change_url(world["north"])).content.decode()
    assert f'href="{invite_url(world["north"])}">Invite an editor' in page
