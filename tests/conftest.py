import pytest
from django.contrib.auth.models import Group

from .factories import UserFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads from tests never land in the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def editor(db):
    """A staff user in 'Site editors': every articles permission except publishing."""
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Site editors"))
    return user


@pytest.fixture
def reviewer(db):
    """A staff user in 'Medical reviewers', linked to a doctor profile."""
    from .factories import DoctorFactory

    user = UserFactory(username="reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Medical reviewers"))
    DoctorFactory(name="Riley Reviewer", user=user)
    return user


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def staff_without_permissions(db):
    return UserFactory(username="bystander", is_staff=True)
