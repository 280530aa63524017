"""
Weak passwords are refused wherever the admin sets one, with Django's validators,
and the minimum length is the operator's choice (KYPHOINFO_PASSWORD_MIN_LENGTH).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .factories import UserFactory
from .test_settings import manage

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
User = get_user_model()

TOO_SHORT = "This password is too short. It must contain at least 12 characters."
TOO_COMMON = "This password is too common."
ALL_DIGITS = "This password is entirely numeric."


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def errors(response):
    assert response.status_code == 200  # the form again, not a redirect
    return response.content.decode()


@pytest.mark.parametrize(
    "weak, messages",
    [
        ("password", [TOO_SHORT, TOO_COMMON]),
        ("12345678", [TOO_SHORT, TOO_COMMON, ALL_DIGITS]),
        ("qwerty123456", [TOO_COMMON]),
        ("kyphoinfo-newcomer", ["The password is too similar to the username."]),
    ],
)
def test_adding_a_user_with_a_weak_password_is_refused(
    superuser_client, weak, messages
):
    response = superuser_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "kyphoinfo-newcomer",
            "usable_password": "true",
            "password1": weak,
            "password2": weak,
        },
    )
    page = errors(response)
    for message in messages:
        assert message in page
    assert not User.objects.filter(username="kyphoinfo-newcomer").exists()


def test_adding_a_user_with_a_strong_password_works(superuser_client):
    response = superuser_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "plum-harbour-violin-42",
            "password2": "plum-harbour-violin-42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newcomer").check_password(
        "plum-harbour-violin-42"
    )


def test_setting_a_weak_password_for_a_user_is_refused(superuser_client):
    user = UserFactory(username="editor", is_staff=True)
    response = superuser_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": "12345678", "password2": "12345678"},
    )
    page = errors(response)
    assert ALL_DIGITS in page and TOO_SHORT in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_own_password_to_a_weak_one_is_refused():
    user = UserFactory(username="editor", is_staff=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    page = errors(response)
    assert TOO_SHORT in page and TOO_COMMON in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_invited_editor_cannot_choose_a_weak_password():
    user = UserFactory(username="invited", is_staff=True, password=None)
    user.set_unusable_password()
    user.save()
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    client = Client()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )
    page = errors(response)
    assert ALL_DIGITS in page
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_minimum_length_comes_from_the_environment():
    check = (
        "from django.contrib.auth.password_validation import validate_password as v\n"
        "try:\n"
        "    v('plum-harbour-violin')\n"
        "except Exception as error:\n"
        "    print(*error.messages)\n"
    )
    result = manage("shell", "-c", check, KYPHOINFO_PASSWORD_MIN_LENGTH="20")
    assert result.returncode == 0, result.stderr
    assert "It must contain at least 20 characters." in result.stdout
    result = manage("shell", "-c", check)
    assert result.returncode == 0, result.stderr
    assert "It must contain" not in result.stdout
