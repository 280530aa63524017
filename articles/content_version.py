"""
The site's content version: one value in the shared cache that changes whenever
something patients can see changes. Cached pages are stored under the version
they were rendered at, so a new version retires every older copy in every
application process at once.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"


def current():
    """The version now. A missing one (never set, or evicted) starts a new version."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # add(), not set(): processes that find it missing at once agree on one value.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex
    return version


def current_with(keys):
    """The version and the cached values of `keys` (a dict), in one trip to the cache."""
    found = cache.get_many([VERSION_KEY, *keys])
    version = found.pop(VERSION_KEY, None) or current()
    return version, found


def bump():
    """Start a new version. A random one never repeats an old one, even after eviction."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_on_commit(using=None):
    """
    Start a new version once the current transaction commits. Not before: a
    process rendering in between would store the old content under the new version.
    """
    # robust: the editor's change is saved; a cache outage must not turn it into an error.
    transaction.on_commit(bump, using=using, robust=True)
