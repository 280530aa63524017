from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from articles.backup import BackupError, describe_counts, import_site


class Command(BaseCommand):
    help = (
        "Restore a site archive written by export_site into this database, after "
        "`migrate`. The database must hold no site content yet; --force replaces "
        "what it holds. Everything happens in one transaction: a damaged archive "
        "or data that does not fit leaves the database unchanged. Users in the "
        "archive are matched by username and take its values (password hash "
        "included); other users here are left alone. The archive is sensitive: "
        "it holds password hashes and e-mail addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the site content this database holds (articles, guides, "
            "practices, doctors, images, revisions, ...) and replace it with the "
            "archive's.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to restore into (default: %(default)s).",
        )

    def handle(self, *args, path, force, database, **options):
        try:
            loaded, written = import_site(path, force=force, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = describe_counts({model: n for model, n in loaded.items() if n})
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path}: {rows}; {written} media files written."
            )
        )
