import pytest
from django.contrib.auth.models import Group, Permission

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
    """A staff user in the 'Site editors' group with every articles permission."""
    group, _ = Group.objects.get_or_create(name="Site editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def staff_without_permissions(db):
    return UserFactory(username="bystander", is_staff=True)
