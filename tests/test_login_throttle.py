"""
Repeated failed sign-ins pause signing in, per username and per client address
(django-axes, articles.login_throttle), with a clear page and a way to unlock.
"""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F, Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import PracticeMembership

from .factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
LIMIT = 5
WRONG_PASSWORD_MESSAGE = "Please enter the correct username and password"
PAUSED = "Signing in is paused"


def sign_in(username, password, address="192.0.2.10", client=None, **headers):
    """POST the admin's login form as a browser at `address` would."""
    client = client or Client()
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse(
        "admin:index"
    )


def paused(response):
    return response.status_code == 429 and PAUSED in response.content.decode()


@pytest.fixture
def editor_account(db):
    return UserFactory(username="editor", is_staff=True)


def lock_username(username, first_address=1):
    """LIMIT wrong passwords for `username`, each from another address."""
    responses = [
        sign_in(username, "wrong password", f"198.51.100.{first_address + n}")
        for n in range(LIMIT)
    ]
    return responses


def lock_address(address):
    """LIMIT wrong passwords from `address`, each for another username."""
    return [sign_in(f"guess{n}", "wrong password", address) for n in range(LIMIT)]


# --- Per username and per address ----------------------------------------------


def test_wrong_passwords_for_one_username_from_many_addresses_lock_that_username(
    editor_account,
):
    responses = lock_username("editor")
    for response in responses[:-1]:
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in response.content.decode()
    assert paused(responses[-1])
    # The right password, from an address never seen before, is refused too.
    response = sign_in("editor", PASSWORD, "203.0.113.77")
    assert paused(response)
    assert WRONG_PASSWORD_MESSAGE not in response.content.decode()


def test_a_locked_username_leaves_other_accounts_at_the_same_addresses_alone(
    editor_account,
):
    UserFactory(username="colleague", is_staff=True)
    lock_username("editor")
    assert signed_in(sign_in("colleague", PASSWORD, "198.51.100.1"))


def test_four_wrong_passwords_do_not_lock(editor_account):
    for n in range(LIMIT - 1):
        sign_in("editor", "wrong password", f"198.51.100.{n + 1}")
    assert signed_in(sign_in("editor", PASSWORD))


def test_wrong_passwords_from_one_address_for_many_usernames_lock_that_address(
    editor_account,
):
    responses = lock_address("192.0.2.66")
    assert [response.status_code for response in responses] == [200] * 4 + [429]
    assert paused(sign_in("editor", PASSWORD, "192.0.2.66"))
    # The same account from another address is not affected.
    assert signed_in(sign_in("editor", PASSWORD, "192.0.2.67"))


def test_a_locked_out_sign_in_leaves_the_browser_signed_out(editor_account):
    lock_username("editor")
    browser = Client()
    assert paused(sign_in("editor", PASSWORD, client=browser))
    assert "_auth_user_id" not in browser.session
    response = browser.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_signing_in_to_an_own_account_does_not_clear_guesses_at_another(
    editor_account,
):
    UserFactory(username="insider", is_staff=True)
    attacker = "192.0.2.99"
    for _ in range(LIMIT - 1):
        sign_in("editor", "wrong password", attacker)
    assert signed_in(sign_in("insider", PASSWORD, attacker))
    assert paused(sign_in("editor", "wrong password", attacker))
    assert paused(sign_in("editor", PASSWORD, "203.0.113.5"))


def test_the_pause_ends_after_the_cool_off_time(editor_account):
    lock_username("editor")
    assert paused(sign_in("editor", PASSWORD))
    # As if a quarter of an hour and a minute had passed since the last failure.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert signed_in(sign_in("editor", PASSWORD))


def test_trying_again_during_the_pause_does_not_make_it_longer(editor_account):
    lock_username("editor")
    last_failure = AccessAttempt.objects.aggregate(last=Max("attempt_time"))["last"]
    for _ in range(3):
        sign_in("editor", PASSWORD)
        sign_in("editor", "wrong password")
    assert AccessAttempt.objects.aggregate(last=Max("attempt_time"))["last"] == (
        last_failure
    )


# --- What the locked-out person sees -------------------------------------------


def test_the_lockout_page_says_what_happened_and_when_to_try_again(editor_account):
    lock_username("editor")
    response = sign_in("editor", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    last_failure = AccessAttempt.objects.aggregate(last=Max("attempt_time"))["last"]
    retry_at = timezone.localtime(last_failure + timedelta(minutes=15))
    assert "<h1>Signing in is paused</h1>" in page
    assert (
        "There were 5 failed attempts to sign in as “editor” or from your network"
        in page
    )
    assert "Until then even the right password is not accepted." in page
    assert f"You can try again after {retry_at:%H:%M} UTC (in about " in page
    assert "ask a site administrator to unlock your account" in page
    assert f'href="{reverse("admin:login")}"' in page
    # In the admin's design, as the login page is.
    assert "admin/css/base.css" in page
    assert "KyphoInfo editors" in page
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_the_lockout_page_escapes_the_username(db):
    name = "<b>x</b>"
    for n in range(LIMIT):
        response = sign_in(name, "wrong password", f"198.51.100.{n + 1}")
    assert paused(response)
    page = response.content.decode()
    assert "<b>x</b>" not in page
    assert "“&lt;b&gt;x&lt;/b&gt;”" in page


def test_failed_attempts_are_recorded_without_the_password(editor_account):
    sign_in("editor", "my-secret-guess-123", "192.0.2.5")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("editor", "192.0.2.5")
    assert "my-secret-guess-123" not in attempt.post_data


# --- The client's address behind a proxy ---------------------------------------


def test_without_trusted_proxies_a_forged_forwarded_header_changes_nothing(
    editor_account,
):
    for n in range(LIMIT):
        sign_in(
            f"guess{n}",
            "wrong password",
            "192.0.2.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}",
        )
    assert paused(
        sign_in("editor", PASSWORD, "192.0.2.66", HTTP_X_FORWARDED_FOR="203.0.113.99")
    )


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(
    editor_account, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # One client guesses; what it writes into X-Forwarded-For itself is ignored,
    # the address the proxy appended counts.
    for n in range(LIMIT):
        sign_in(
            f"guess{n}",
            "wrong password",
            proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}, 198.51.100.9",
        )
    assert AccessAttempt.objects.filter(ip_address="198.51.100.9").count() == LIMIT
    assert paused(
        sign_in("editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    )
    # Another client behind the same proxy signs in.
    assert signed_in(
        sign_in("editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.10")
    )


# --- Unlocking -------------------------------------------------------------------


def test_axes_reset_username_unlocks_the_account(editor_account):
    lock_username("editor")
    assert paused(sign_in("editor", PASSWORD))
    out = io.StringIO()
    call_command("axes_reset_username", "editor", stdout=out)
    assert "attempts removed" in out.getvalue()
    assert signed_in(sign_in("editor", PASSWORD))


def test_axes_reset_ip_unlocks_the_address(editor_account):
    lock_address("192.0.2.66")
    assert paused(sign_in("editor", PASSWORD, "192.0.2.66"))
    call_command("axes_reset_ip", "192.0.2.66", stdout=io.StringIO())
    assert signed_in(sign_in("editor", PASSWORD, "192.0.2.66"))


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_a_superuser_sees_the_lockouts_and_unlocks_in_the_admin(
    editor_account, superuser_client
):
    lock_username("editor")
    index = superuser_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:axes_accessattempt_changelist") in index
    listing = superuser_client.get(
        reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"}
    )
    assert listing.status_code == 200
    assert "editor" in listing.content.decode()
    # Delete the username's attempts with the list's bulk action.
    attempts = AccessAttempt.objects.filter(username="editor")
    response = superuser_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [attempt.pk for attempt in attempts],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="editor").exists()
    assert signed_in(sign_in("editor", PASSWORD))


@pytest.mark.parametrize("group", ["Practice editors", "Site editors"])
def test_editors_do_not_see_the_sign_in_records(editor_account, group):
    lock_username("editor")
    user = UserFactory(username="member", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    PracticeMembership.objects.create(
        user=user, practice=PracticeFactory(), role=PracticeMembership.Role.ADMIN
    )
    client = Client()
    client.force_login(user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/axes/" not in index
    for model in ["accessattempt", "accesslog", "accessfailurelog"]:
        url = reverse(f"admin:axes_{model}_changelist")
        assert client.get(url).status_code == 403, url
    attempt = AccessAttempt.objects.first()
    change = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    assert client.get(change).status_code == 403
    assert (
        client.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
            {"post": "yes"},
        ).status_code
        == 403
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
