import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test.utils import override_settings

from articles import content_version

from .factories import UserFactory


@pytest.fixture(autouse=True, scope="session")
def cache_of_this_run(tmp_path_factory):
    """A file cache of this test run's own, not the one `make run` or another run uses."""
    default = django_settings.CACHES["default"]
    if not default["BACKEND"].endswith("FileBasedCache"):
        yield
        return
    location = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES={"default": {**default, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """
    A test's transaction never commits, so the on-commit hook that retires cached
    pages never runs. tests/test_page_cache.py runs the hooks and turns it on.
    """
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """
    Each test's database is rolled back, and the next may reuse its primary keys
    for other content under the same content version: it starts with nothing
    this process derived and kept (articles.content_version.derived).
    """
    content_version.forget_derived()


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
