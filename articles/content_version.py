"""
The site's content version: one value in the shared cache that changes whenever
something patients can see changes. Cached pages are stored under the version
they were rendered at, so a new version retires every older copy in every
application process at once.

The same version keys what a process derives from content and keeps in its own
memory (derived()): the glossary's terms, an article's linked text, its
structured data. Reading the version is one trip to the shared cache; what it
keys is then free, and retired everywhere by the same change.
"""

import datetime
import logging
import threading
import time
import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"

logger = logging.getLogger(__name__)


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
    # This process may read the change before it commits (tests, which never
    # commit, always do): what it derived from the old content goes at once.
    forget_derived()
    # robust: the editor's change is saved; a cache outage must not turn it into an error.
    transaction.on_commit(bump, using=using, robust=True)


def current_or_none():
    """The version now, or None while the cache cannot be reached."""
    try:
        return current()
    # The cache backends share no exception class (redis, OSError, pickle...).
    except Exception:
        logger.warning("The content version is unavailable.", exc_info=True)
        return None


# What this process derived from content, for one version at a time:
# (version, when the version was first seen here, {key: value}).
_derived = (None, 0.0, {})
_derived_lock = threading.Lock()
# Enough for every article of a large site in every language; beyond it,
# values are computed each time rather than kept.
MAX_DERIVED = 2000
# A bump lost to a cache outage leaves the old version in place: values are
# derived again after this long all the same, as cached pages expire.
MAX_DERIVED_AGE = 300


def derived(version, key, compute):
    """
    compute()'s value, kept in this process while `version` is the content
    version. The caller reads `version` before anything compute() reads, so a
    value is never older than the version it is kept under. No version (the
    cache is unreachable): computed every time.
    """
    if version is None:
        return compute()
    kept_version, since, values = _derived
    if kept_version != version or time.monotonic() - since > MAX_DERIVED_AGE:
        with _derived_lock:
            kept_version, since, values = _derived
            if kept_version != version or time.monotonic() - since > MAX_DERIVED_AGE:
                values = {}
                _set_derived(version, values)
    try:
        return values[key]
    except KeyError:
        pass
    value = compute()
    if len(values) < MAX_DERIVED:
        values[key] = value
    return value


def forget_derived():
    """Drop everything this process derived from content."""
    global _schedule  # noqa: PLW0603
    with _derived_lock:
        _set_derived(None, {})
        _schedule = (None, 0.0, None)


def _set_derived(version, values):
    global _derived  # noqa: PLW0603 - one process-wide store, replaced whole
    _derived = (version, time.monotonic(), values)


# The next publish or unpublish time of this process's version:
# (version, when it was looked up, the moment as a timestamp or None).
_schedule = (None, 0.0, None)


def schedule_period(version):
    """
    For values that depend on the clock as well as on content (what is
    published now): the next scheduled publish or unpublish time while it is
    still ahead, or None when nothing is scheduled. Used in a derived() key, it
    retires such values when that time passes, as a new version would. One
    query per version and per scheduled change, in each process.
    """
    global _schedule  # noqa: PLW0603 - one process-wide value, replaced whole
    kept_version, looked_up, moment = _schedule
    now = time.time()
    # A clock set back (as tests do) must not reuse a later lookup.
    if (
        kept_version == version
        and looked_up <= now
        and (moment is None or now < moment)
    ):
        return moment
    # Imported here: the models import this module to bump the version.
    from .models import Article

    change = Article.objects.next_scheduled_change(
        after=datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    )
    moment = change and change.timestamp()
    if version is not None:
        _schedule = (version, now, moment)
    return moment
