from django.core.management.base import BaseCommand
from django.db import transaction

from articles.images import delete_on_commit
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the responsive renditions (WebP and JPEG/PNG copies at several widths) "
        "of every image whose renditions are missing from storage or outdated. Images "
        "saved from now on get theirs when saved; run this once after upgrading, after "
        "restoring media from a backup, or after changing the rendition widths. Safe to "
        "run again: images whose renditions are all stored are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make every image's renditions again, even those already stored.",
        )

    def handle(self, *args, force=False, **options):
        made = unreadable = 0
        images = Image.objects.exclude(file="").order_by("pk")
        for image in images.iterator(chunk_size=100):
            if not (force or image.renditions_missing()):
                continue
            try:
                self.make(image)
            except OSError as error:
                unreadable += 1
                self.stderr.write(f"{image.file.name} (image {image.pk}): {error}")
                continue
            made += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"{image.file.name}: {len(image.renditions)} files")
        total = images.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Made renditions for {made} of {total} images; "
                f"{total - made - unreadable} already had them."
            )
        )
        if unreadable:
            self.stderr.write(
                self.style.ERROR(f"{unreadable} originals could not be read.")
            )

    @transaction.atomic
    def make(self, image):
        stale = image.make_renditions()
        # A save, not update(): cached pages that name the old files must retire.
        image.save(update_fields=["renditions"])
        delete_on_commit(image.file.storage, stale)
