"""
The whole site in one zip archive, and its restore into an empty database.

An archive holds:

- ``manifest.json``: format version, Django version, when it was made, the
  migrations the data was exported at, rows per model, and the size and sha256
  of every other file in the archive;
- ``data/<app>.<model>.json``: the rows of one model, as Django serializes them
  (in JSON, with times to the microsecond), in the order they are loaded back:
  groups, users, every model of the articles app in dependency order, then
  reversion's revisions and versions;
- ``media/<name>``: every file under MEDIA_ROOT, derived files included.

Rows of the articles app and of reversion keep their primary keys, which
revisions, audit events and referral counts refer to. Users, groups,
permissions and content types are referred to by natural key (username, name,
codename, app and model): their ids differ between databases. Users are
matched by username; a stored revision's keys to users are rewritten to the
users' ids here. Permissions and content types are not in the archive:
`migrate` creates them.

The text patients read on practices, locations and doctors has a column per
language (``description_en``, ``description_es``, ...; see
articles/model_translations.py); every one of them is in the archive. An
archive made before those columns existed holds the one text under the plain
name, and it is restored as the English.

Restoring runs in one transaction, after the whole archive has been checked
against its manifest: a damaged archive, or data that does not fit, leaves the
database as it was.
"""

import datetime
import hashlib
import json
import posixpath
import zipfile
import zlib
from contextlib import contextmanager
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import django
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone, translation
from modeltranslation.settings import DEFAULT_LANGUAGE
from reversion.models import Revision, Version

from . import content_version
from .models import Article, RichTextField
from .sanitize import clean_html

FORMAT = "kyphoinfo-site"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_SIZE = 1024 * 1024


class BackupError(Exception):
    """An archive that cannot be written or restored; the message is for the operator."""


class SiteNotEmpty(BackupError):
    """The database already holds site content and the restore was not forced."""

    def __init__(self, counts):
        self.counts = counts
        super().__init__(
            f"The database already holds {describe_counts(counts)}; use --force "
            "to replace them (everything a site archive holds is deleted first)."
        )


# --- What an archive holds ----------------------------------------------------


def dependency_order(models):
    """
    `models` ordered so that rows refer to rows loaded before them. Where
    nullable keys form a cycle (a practice's logo is an image, an image may
    belong to a practice), only required keys decide: the database checks
    every key once all rows are in.
    """
    models = sorted(models, key=lambda model: model._meta.label_lower)

    def graph(required_only):
        return {
            model: [
                field.related_model
                for field in [
                    *model._meta.local_fields,
                    *model._meta.local_many_to_many,
                ]
                if field.is_relation
                and field.related_model in models
                and field.related_model is not model
                and not (required_only and (field.null or field.many_to_many))
            ]
            for model in models
        }

    try:
        return list(TopologicalSorter(graph(required_only=False)).static_order())
    except CycleError:
        return list(TopologicalSorter(graph(required_only=True)).static_order())


def content_models():
    """The site's content: every articles model, then the revisions of them."""
    articles = apps.get_app_config("articles").get_models()
    return [*dependency_order(articles), Revision, Version]


def archived_models():
    """Every model in an archive, in the order it is loaded back."""
    return [Group, get_user_model(), *content_models()]


def data_file(model):
    return f"data/{model._meta.label_lower}.json"


def describe_count(model, count):
    """'1 article', '3 glossary terms' (not the admin's plural 'glossary')."""
    singular = str(model._meta.verbose_name)
    plural = str(model._meta.verbose_name_plural)
    if not plural.startswith(singular):
        plural = f"{singular}s"
    return f"{count} {singular if count == 1 else plural}"


def describe_counts(counts):
    """'3 articles, 1 guide and 12 glossary terms' from {model: count}."""
    parts = [describe_count(model, count) for model, count in counts.items()]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def content_counts(using=DEFAULT_DB_ALIAS):
    """{model: rows} of the content models that have rows, articles first."""
    counts = {
        model: model._base_manager.using(using).count() for model in content_models()
    }
    held = {model: count for model, count in counts.items() if count}
    return dict(sorted(held.items(), key=lambda item: item[0] is not Article))


def applied_migrations(using):
    """{app label: [migration names]} applied to the database, for the archived apps."""
    labels = {model._meta.app_label for model in archived_models()}
    applied = MigrationRecorder(connections[using]).applied_migrations()
    migrations = {label: [] for label in sorted(labels)}
    for label, name in sorted(applied):
        if label in migrations:
            migrations[label].append(name)
    return migrations


def media_names(storage=default_storage, directory=""):
    """Every file name in media storage, sorted, derived files included."""
    if not storage.exists(directory):
        return
    directories, files = storage.listdir(directory)
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for name in sorted(directories):
        yield from media_names(storage, posixpath.join(directory, name))


def sha256_of(readable):
    """(hex sha256, size) of a file read to its end."""
    digest, size = hashlib.sha256(), 0
    while chunk := readable.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def is_safe_name(name):
    """A relative path with no way out of the folder it is unpacked into."""
    return name == posixpath.normpath(name) and not name.startswith(("/", ".."))


# --- Export -------------------------------------------------------------------


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """
    Times to the microsecond. DjangoJSONEncoder (dumpdata's) keeps milliseconds,
    and the feed and JSON-LD, which show "updated" times, would come back changed.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@contextmanager
def consistent_reads(using):
    """One transaction, so every table is read at the same moment."""
    connection = connections[using]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if snapshot:
            # READ COMMITTED would let an editor's save land between two tables.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def rows(model, using, passwords):
    queryset = model._base_manager.using(using).order_by("pk")
    for obj in queryset.iterator(chunk_size=500):
        if model is get_user_model() and not passwords:
            obj.set_unusable_password()
        yield obj


def export_site(path, *, passwords=True, using=DEFAULT_DB_ALIAS):
    """Write the site to a new zip archive at `path`; return its manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another name.")
    # Written under another name and renamed when complete: a failed export
    # never leaves a file that looks like a backup.
    partial = path.with_name(f".{path.name}.partial")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "django_version": django.get_version(),
        "database": connections[using].vendor,
        "passwords": passwords,
        "migrations": {},
        "models": [],
        "files": {},
    }
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            with consistent_reads(using):
                manifest["migrations"] = applied_migrations(using)
                for model in archived_models():
                    serialized = serializers.serialize(
                        "python",
                        rows(model, using, passwords),
                        use_natural_foreign_keys=True,
                        # Groups are matched by name; users by username, but their
                        # ids are kept to point revisions at them (see load_rows).
                        use_natural_primary_keys=model is Group,
                    )
                    data = json.dumps(
                        serialized, cls=ArchiveJSONEncoder, indent=1, ensure_ascii=False
                    ).encode()
                    name = data_file(model)
                    archive.writestr(name, data)
                    manifest["models"].append(
                        {
                            "model": model._meta.label_lower,
                            "file": name,
                            "count": len(serialized),
                        }
                    )
                    manifest["files"][name] = {
                        "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
            # Stored files never change under their generated names, so they
            # need not be read inside the transaction.
            for name in media_names():
                member = f"media/{name}"
                digest = hashlib.sha256()
                with (
                    default_storage.open(name) as source,
                    # Stored, not deflated: pictures are compressed already.
                    archive.open(zipfile.ZipInfo(member), "w") as target,
                ):
                    while chunk := source.read(CHUNK_SIZE):
                        digest.update(chunk)
                        target.write(chunk)
                manifest["files"][member] = {
                    "size": archive.getinfo(member).file_size,
                    "sha256": digest.hexdigest(),
                }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        partial.replace(path)
    except OSError as error:
        raise BackupError(f"{path} could not be written: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return manifest


# --- Reading an archive -------------------------------------------------------


class SiteArchive:
    """An archive opened for restoring; verify() checks it against its manifest."""

    def __init__(self, path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise BackupError(f"There is no file at {path}.") from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(
                f"{path} is damaged or not a site archive (truncated?): {error}"
            ) from None
        try:
            self.manifest = json.loads(self.read(MANIFEST))
        except KeyError:
            self.zip.close()
            raise BackupError(
                f"{path} has no {MANIFEST}: not a site archive."
            ) from None
        except ValueError as error:
            self.zip.close()
            raise BackupError(f"{path}: {MANIFEST} is not JSON ({error}).") from None
        except BackupError:
            self.zip.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.zip.close()

    def read(self, name):
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise BackupError(f"{self.path}: {name} is damaged ({error}).") from None

    def open(self, name):
        return self.zip.open(name)

    @property
    def models(self):
        return self.manifest["models"]

    @property
    def media(self):
        """{storage name: sha256} of the media files."""
        return {
            name.removeprefix("media/"): entry["sha256"]
            for name, entry in self.manifest["files"].items()
            if name.startswith("media/")
        }

    def verify(self):
        """Refuse an archive of another format, or one whose files do not match the manifest."""
        manifest = self.manifest
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{self.path} is not a kyphoinfo site archive.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{self.path} has archive format version "
                f"{manifest.get('format_version')}; this version of kyphoinfo "
                f"reads format {FORMAT_VERSION} only."
            )
        try:
            expected = {
                name: (entry["size"], entry["sha256"])
                for name, entry in manifest["files"].items()
            }
            data_files = {entry["file"] for entry in manifest["models"]}
            dict(manifest["migrations"].items())
        except (KeyError, TypeError, AttributeError, ValueError):
            raise BackupError(
                f"{self.path}: {MANIFEST} is not in the expected form."
            ) from None
        unexpected = [
            name
            for name in expected
            if not is_safe_name(name)
            or not (name in data_files or name.startswith("media/"))
        ]
        if unexpected or data_files - expected.keys():
            raise BackupError(f"{self.path}: {MANIFEST} lists unexpected files.")
        members = set(self.zip.namelist()) - {MANIFEST}
        if members != expected.keys():
            missing, extra = expected.keys() - members, members - expected.keys()
            raise BackupError(
                f"{self.path} does not match its manifest: "
                f"missing {sorted(missing)}, not listed {sorted(extra)}."
            )
        for name, (size, checksum) in expected.items():
            try:
                with self.zip.open(name) as member:
                    found = sha256_of(member)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
                raise BackupError(
                    f"{self.path}: {name} is damaged ({error})."
                ) from None
            if found != (checksum, size):
                raise BackupError(
                    f"{self.path}: {name} does not match the checksum in the "
                    "manifest; the archive is damaged."
                )


# --- Import -------------------------------------------------------------------


def import_site(path, *, force=False, using=DEFAULT_DB_ALIAS):
    """
    Restore the archive at `path`; return ({model: rows}, media files written).
    Refuses (SiteNotEmpty) when the database holds content, unless `force`.
    """
    with SiteArchive(path) as archive:
        archive.verify()
        applied = {
            (label, name)
            for label, names in applied_migrations(using).items()
            for name in names
        }
        missing = [
            f"{label}.{name}"
            for label, names in archive.manifest["migrations"].items()
            for name in names
            if (label, name) not in applied
        ]
        if missing:
            raise BackupError(
                f"{path} was made by code whose migrations this database lacks "
                f"({', '.join(missing[:3])}): run migrate with that code first."
            )
        try:
            with transaction.atomic(using=using):
                held = content_counts(using)
                if held and not force:
                    raise SiteNotEmpty(held)
                delete_content(using)
                # Files first: rows saved raw check that their files are there
                # (an image remakes missing renditions from its original).
                written = restore_media(archive)
                # modeltranslation stores a value given under the plain name
                # (older archives) in the active language's column.
                with translation.override(DEFAULT_LANGUAGE):
                    loaded = load_rows(archive, using)
                connection = connections[using]
                connection.check_constraints(
                    table_names=[model._meta.db_table for model in tables_of(loaded)]
                )
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(
                        no_style(), list(loaded)
                    ):
                        cursor.execute(sql)
                content_version.bump_on_commit(using)
        # Malformed rows raise LookupError, ValueError or TypeError from the
        # python deserializer, which the JSON one would have wrapped.
        except (
            DatabaseError,
            DeserializationError,
            LookupError,
            ValueError,
            TypeError,
        ) as error:
            raise BackupError(
                f"{path} could not be restored, so the database is unchanged: {error}"
            ) from error
        except OSError as error:
            raise BackupError(
                f"A media file could not be written, so the database is unchanged: {error}"
            ) from error
    return loaded, written


def tables_of(models):
    """The models and the tables of their plain many-to-many fields."""
    found = []
    for model in models:
        found.append(model)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                found.append(through)
    return found


def delete_content(using):
    """
    Delete every row of the content models in plain SQL: no signal may add
    redirects or renumber steps of a site that is being replaced. Users and
    groups stay; those in the archive are updated.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in reversed(tables_of(content_models())):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def load_rows(archive, using):
    """Save every row of the archive, raw, as loaddata does; return {model: rows}."""
    User = get_user_model()
    allowed = {model._meta.label_lower: model for model in archived_models()}
    user_ids = {}  # id in the archive -> id here
    articles_to_refresh = set()
    loaded = {}
    for entry in archive.models:
        model = allowed.get(entry["model"])
        if model is None:
            raise BackupError(
                f"{archive.path} holds {entry['model']}, which a site archive does not."
            )
        try:
            stored = json.loads(archive.read(entry["file"]))
        except ValueError as error:
            raise BackupError(f"{entry['file']} cannot be read: {error}") from None
        count = 0
        for row in serializers.deserialize(
            "python", stored, using=using, ignorenonexistent=True
        ):
            obj = row.object
            if type(obj) is not model:
                raise BackupError(f"{entry['file']} holds a {obj._meta.label} row.")
            if model is User:
                archived_id, obj.pk = obj.pk, user_id_here(obj, using)
            if clean_rich_text(obj):
                articles_to_refresh.add(
                    obj.pk
                    if isinstance(obj, Article)
                    else getattr(obj, "article_id", None)
                )
            if model is Version:
                restore_version_data(obj, user_ids)
            row.save(using=using)
            if model is User:
                user_ids[archived_id] = obj.pk
            count += 1
        if count != entry["count"]:
            raise BackupError(
                f"{entry['file']} holds {count} rows; the manifest says {entry['count']}."
            )
        loaded[model] = count
    refresh_derived_text(articles_to_refresh - {None}, using)
    return loaded


def user_id_here(user, using):
    """The id of the user with this username here; else the archived id, if free."""
    manager = type(user)._default_manager.db_manager(using)
    existing = (
        manager.filter(**{type(user).USERNAME_FIELD: user.get_username()})
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        return existing
    return None if manager.filter(pk=user.pk).exists() else user.pk


def clean_rich_text(obj):
    """
    Pass obj's rich text through the allow-list. Raw saves skip the field's
    pre_save, which cleans on every other save. True if anything changed.
    """
    changed = False
    for field in obj._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(obj, field.attname)
            cleaned = clean_html(value)
            if cleaned != value:
                setattr(obj, field.attname, cleaned)
                changed = True
    return changed


def restore_version_data(version, user_ids):
    """
    Clean the rich text a stored revision holds, and point its keys to users
    at their ids here: reversion stores plain ids, which differ between
    databases. A user not in the archive was deleted; the key becomes empty.
    """
    if version.format != "json":
        return
    try:
        stored = json.loads(version.serialized_data)
    except ValueError:
        return
    User = get_user_model()
    changed = False
    for row in stored if isinstance(stored, list) else []:
        try:
            model = apps.get_model(row["model"])
            fields = row["fields"]
        except (LookupError, KeyError, TypeError, ValueError):
            continue
        for field in model._meta.concrete_fields:
            value = fields.get(field.name)
            if isinstance(field, RichTextField) and isinstance(value, str):
                new = clean_html(value)
            elif (
                field.is_relation
                and field.related_model is User
                and isinstance(value, int)
            ):
                new = user_ids.get(value)
            else:
                continue
            if new != value:
                fields[field.name] = new
                changed = True
    if changed:
        version.serialized_data = json.dumps(stored, cls=DjangoJSONEncoder)


def refresh_derived_text(article_ids, using):
    """Search text and reading level come from the text patients read: after cleaning, again."""
    for article in Article.objects.using(using).filter(pk__in=article_ids):
        article.set_derived_text()
        Article.objects.using(using).filter(pk=article.pk).update(
            **{name: getattr(article, name) for name in Article.DERIVED_TEXT_FIELDS}
        )


def restore_media(archive, storage=default_storage):
    """
    Write the archive's media files under their own names; return how many
    were written. A file already there with the same content is left alone.
    """
    written = 0
    for name, checksum in archive.media.items():
        if storage.exists(name):
            with storage.open(name) as existing:
                if sha256_of(existing)[0] == checksum:
                    continue
            storage.delete(name)
        with archive.open(f"media/{name}") as member:
            saved = storage.save(name, File(member, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(f"The media file {name} was stored as {saved}.")
        written += 1
    return written
