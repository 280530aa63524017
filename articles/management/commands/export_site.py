from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from articles.backup import BackupError, describe_count, export_site


class Command(BaseCommand):
    help = (
        "Write the whole site to one new zip archive: guides, articles with their "
        "steps, facts and references, glossary, practices, locations, doctors, "
        "redirects, audit trail, referral counts, revisions, every file under "
        "MEDIA_ROOT, and every user account with its groups. The archive is "
        "SENSITIVE: it holds users' e-mail addresses and password hashes (unless "
        "--without-passwords); keep it as safe as the database itself. Restore "
        "it with import_site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="The archive to write, e.g. backups/kyphoinfo-2025-01-31.zip. "
            "It must not exist yet.",
        )
        parser.add_argument(
            "--without-passwords",
            action="store_true",
            help="Leave password hashes out: restored users must then be given "
            "new passwords (manage.py changepassword).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to export (default: %(default)s).",
        )

    def handle(self, *args, path, without_passwords, database, **options):
        try:
            manifest = export_site(
                path, passwords=not without_passwords, using=database
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(
            describe_count(apps.get_model(entry["model"]), entry["count"])
            for entry in manifest["models"]
        )
        media = sum(name.startswith("media/") for name in manifest["files"])
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {path}: {rows}; {media} media files.")
        )
