"""
A practice's own facts are data the site keeps like its articles: each sign-off
is a revision that can be browsed and restored, and a line in the audit trail.
Backups of them: tests/test_backup.py; the demo's own facts: tests/test_demo.py.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import facts, share
from articles.demo import content
from articles.models import ArticleFact, AuditEvent, PracticeFact

from .factories import ArticleFactory, DoctorFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

DEFAULT = "about half an hour per treated level"
FIRST = "one to two hours per treated level"
SECOND = "about ninety minutes per treated level"


@pytest.fixture
def override():
    """Lakeside's own duration, waiting for its doctor's first sign-off."""
    practice = PracticeFactory(name="Lakeside Clinic", slug="lakeside")
    article = ArticleFactory(
        slug="how-it-works", introduction="<p>It takes {{ fact:duration }}.</p>"
    )
    ArticleFact.objects.create(
        article=article,
        position=1,
        key="duration",
        label="How long it takes",
        value=DEFAULT,
    )
    article.mark_content_changed()
    return PracticeFact.objects.create(
        practice=practice, article=article, key="duration", value=FIRST
    )


@pytest.fixture
def doctor_login(override):
    """The login of a doctor of the practice."""
    user = UserFactory(username="dr-sample", is_staff=True)
    DoctorFactory(name="Riley Sample", user=user).practices.add(override.practice)
    return user


def change_value(override, value):
    """A practice editor's new value: it waits for the next sign-off."""
    override.value = value
    override.pending = PracticeFact.Pending.VALUE
    override.save()


def fact_on_the_practice_page(override):
    response = Client().get(share.short_link(override.practice, override.article))
    assert response.status_code == 200
    html = response.content.decode()
    return html.split("It takes ", 1)[1].split(".</p>", 1)[0]


def test_a_sign_off_is_a_revision_holding_the_signed_override(override, doctor_login):
    facts.sign_off(override, doctor_login)

    version = Version.objects.get_for_object(override).get()
    assert version.field_dict["signed_value"] == FIRST
    assert version.field_dict["signed_by_id"] == doctor_login.doctor.pk
    assert version.field_dict["default_at_sign_off"] == DEFAULT
    assert version.revision.user == doctor_login
    assert FIRST in version.revision.comment


def test_restoring_an_earlier_version_brings_back_the_value_signed_then(
    override, doctor_login
):
    # Whole seconds: reversion stores times to the millisecond.
    first_sign_off = (timezone.now() - timedelta(days=30)).replace(microsecond=0)
    facts.sign_off(override, doctor_login, now=first_sign_off)
    change_value(override, SECOND)
    facts.sign_off(override, doctor_login)
    assert SECOND in fact_on_the_practice_page(override)

    earliest, latest = Version.objects.get_for_object(override).order_by("pk")
    assert (earliest.field_dict["signed_value"], latest.field_dict["signed_value"]) == (
        FIRST,
        SECOND,
    )
    # The version holds the whole signed state. (The admin's restore takes only
    # the value from it, for a new sign-off: articles/admin_facts.py.)
    earliest.revision.revert()

    override.refresh_from_db()
    assert (override.value, override.signed_value) == (FIRST, FIRST)
    assert override.signed_at == first_sign_off and override.is_signed_off
    assert override.signed_by == doctor_login.doctor
    assert override.pending == PracticeFact.Pending.NONE


def test_a_dropped_override_stays_in_its_history(override, doctor_login):
    facts.sign_off(override, doctor_login)
    override.pending = PracticeFact.Pending.DROP
    override.save()
    assert facts.sign_off(override, doctor_login) is None
    assert not PracticeFact.objects.exists()
    assert DEFAULT in fact_on_the_practice_page(override)

    deleted = Version.objects.get_deleted(PracticeFact).get()
    assert deleted.field_dict["signed_value"] == FIRST
    deleted.revert()

    recovered = PracticeFact.objects.get()
    assert (recovered.practice, recovered.article, recovered.key) == (
        override.practice,
        override.article,
        "duration",
    )
    assert recovered.signed_value == FIRST and recovered.is_signed_off


def test_a_sign_off_is_in_the_audit_trail(override, doctor_login, admin_client):
    facts.sign_off(override, doctor_login)

    event = AuditEvent.objects.get(action=AuditEvent.Action.FACT_SIGNED)
    assert event.actor == doctor_login
    assert (event.content_type.model_class(), event.object_id) == (
        PracticeFact,
        str(override.pk),
    )
    assert FIRST in event.message and "Dr. Riley Sample" in event.message
    trail = admin_client.get(reverse("admin:articles_auditevent_changelist"))
    assert FIRST in trail.content.decode()


def test_the_demo_practices_own_facts_are_in_the_loaders_revision_and_audit_trail():
    call_command("load_demo", stdout=io.StringIO())

    own = PracticeFact.objects.filter(practice__slug=content.PRACTICE_2["slug"])
    assert own.count() == len(content.FACT_OVERRIDES)
    for override in own:
        version = Version.objects.get_for_object(override).get()
        assert version.revision.comment == "Loaded the demo content."
        assert version.field_dict["signed_value"] == override.signed_value
        event = AuditEvent.objects.get(
            action=AuditEvent.Action.FACT_SIGNED, object_id=str(override.pk)
        )
        assert override.signed_value in event.message
        assert "Dr. Riley Sample" in event.message
