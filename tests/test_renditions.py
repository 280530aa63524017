"""
Pictures are served as responsive renditions: WebP with a JPEG (or, for
transparent pictures, PNG) fallback at several widths, made once when the image
is saved and stored next to it, never per request.
"""

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
import reversion
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage
from reversion.models import Version

from articles.models import Image

from .factories import (
    ArticleFactory,
    DoctorFactory,
    GuideFactory,
    ImageFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db


def picture_file(width, height, mode="RGB", color=(20, 120, 200), transparent=False):
    canvas = PillowImage.new(mode, (width, height), color)
    if transparent:
        canvas.putpixel((0, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="picture.png")


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def exists(settings, name):
    return (Path(settings.MEDIA_ROOT) / name).is_file()


def opened(settings, name):
    with PillowImage.open(Path(settings.MEDIA_ROOT) / name) as image:
        return image.format, image.size, image.mode


class Tags(HTMLParser):
    """Every start tag of a page as (name, attributes), in order."""

    def __init__(self, page):
        super().__init__()
        self.tags = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, name, **wanted):
        return [
            attrs
            for tag, attrs in self.tags
            if tag == name
            and all(attrs.get(key) == value for key, value in wanted.items())
        ]


def srcset_widths(srcset):
    return [int(candidate.split()[1].rstrip("w")) for candidate in srcset.split(", ")]


# --- Making and storing renditions ----------------------------------------------


def test_saving_an_image_stores_webp_and_jpeg_copies_at_each_width(settings):
    image = ImageFactory(file=picture_file(2000, 1000))

    made = {(item["width"], item["format"]) for item in image.renditions}
    assert made == {
        (width, image_format)
        for width in (480, 800, 1200, 1600, 2000)
        for image_format in ("webp", "jpeg")
    }
    folder = image.file.name.rsplit("/", 1)[0]
    for item in image.renditions:
        assert item["name"].startswith(folder + "/")
        stored_format, size, _mode = opened(settings, item["name"])
        assert stored_format == item["format"].upper()
        assert (
            size
            == (item["width"], item["height"])
            == (item["width"], item["width"] // 2)
        )
    # The row that pages read lists them: no query, no storage call per page.
    assert Image.objects.get(pk=image.pk).renditions == image.renditions


def test_a_small_image_is_never_enlarged(settings):
    image = ImageFactory(file=picture_file(300, 200))

    assert sorted((item["width"], item["height"]) for item in image.renditions) == [
        (300, 200),
        (300, 200),
    ]


def test_a_transparent_image_falls_back_to_png_and_keeps_its_transparency(settings):
    image = ImageFactory(
        file=picture_file(
            900, 600, mode="RGBA", color=(20, 120, 200, 255), transparent=True
        )
    )

    assert {item["format"] for item in image.renditions} == {"webp", "png"}
    for item in image.renditions:
        _format, _size, mode = opened(settings, item["name"])
        assert mode == "RGBA"


def test_an_opaque_image_with_an_alpha_channel_falls_back_to_jpeg(settings):
    image = ImageFactory(file=picture_file(900, 600, mode="RGBA", color=(1, 2, 3, 255)))

    assert {item["format"] for item in image.renditions} == {"webp", "jpeg"}


def test_saving_without_a_new_file_makes_no_new_files(settings):
    image = ImageFactory(file=picture_file(1000, 500))
    before = stored_files(settings)

    image.title = "Renamed"
    image.save()
    Image.objects.get(pk=image.pk).save()

    assert stored_files(settings) == before


def test_replacing_the_file_makes_new_renditions_and_deletes_the_old_ones(
    settings, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=picture_file(1000, 500))
    old = [item["name"] for item in image.renditions]

    with django_capture_on_commit_callbacks(execute=True):
        image = Image.objects.get(pk=image.pk)
        image.file = picture_file(600, 600)
        image.save()

    assert not any(exists(settings, name) for name in old)
    assert {(item["width"], item["height"]) for item in image.renditions} == {
        (480, 480),
        (600, 600),
    }
    assert all(exists(settings, item["name"]) for item in image.renditions)


def test_deleting_an_image_deletes_its_renditions(
    settings, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=picture_file(1000, 500))
    names = [item["name"] for item in image.renditions]

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not any(exists(settings, name) for name in names)
    # The original stays for "Recover deleted images".
    assert stored_files(settings) == [image.file.name]


def test_restoring_an_earlier_file_brings_its_renditions_back(
    settings, django_capture_on_commit_callbacks
):
    with reversion.create_revision():
        image = ImageFactory(file=picture_file(1000, 500))
    first_file = image.file.name
    with django_capture_on_commit_callbacks(execute=True), reversion.create_revision():
        image.file = picture_file(600, 600)
        image.save()

    with django_capture_on_commit_callbacks(execute=True):
        Version.objects.get_for_object(image).last().revert()

    image.refresh_from_db()
    assert image.file.name == first_file
    assert {item["width"] for item in image.renditions} == {480, 800, 1000}
    assert all(exists(settings, item["name"]) for item in image.renditions)


def test_the_demo_illustrations_get_renditions(settings):
    call_command("load_demo", stdout=io.StringIO())

    for image in Image.objects.all():
        assert {item["width"] for item in image.renditions} == {480, 800, 1200}
        assert all(exists(settings, item["name"]) for item in image.renditions)


# --- The make_renditions command ------------------------------------------------


def test_make_renditions_fills_in_what_is_missing_and_is_safe_to_run_again(settings):
    never_made = ImageFactory(file=picture_file(900, 450))
    lost = ImageFactory(file=picture_file(700, 350))
    complete = ImageFactory(file=picture_file(500, 250))
    for name in [item["name"] for item in never_made.renditions]:
        (Path(settings.MEDIA_ROOT) / name).unlink()
    Image.objects.filter(pk=never_made.pk).update(renditions=[])
    (Path(settings.MEDIA_ROOT) / lost.renditions[0]["name"]).unlink()
    untouched = complete.renditions

    out = io.StringIO()
    call_command("make_renditions", stdout=out)

    assert "Made renditions for 2 of 3 images" in out.getvalue()
    for image in Image.objects.all():
        assert {item["width"] for item in image.renditions} == {
            480,
            image.width,
        } | ({800} if image.width > 800 else set())
        assert all(exists(settings, item["name"]) for item in image.renditions)
    assert Image.objects.get(pk=complete.pk).renditions == untouched
    before = stored_files(settings)

    out = io.StringIO()
    call_command("make_renditions", stdout=out)

    assert "Made renditions for 0 of 3 images; 3 already had them." in out.getvalue()
    assert stored_files(settings) == before


def test_make_renditions_explains_itself():
    from articles.management.commands.make_renditions import Command

    text = Command().create_parser("manage.py", "make_renditions").format_help()
    assert "WebP" in text and "--force" in text


# --- Pages ----------------------------------------------------------------------


@pytest.fixture
def article():
    return ArticleFactory(
        title="How Kyphoplasty Works",
        introduction=(
            '<p>Before.</p><figure><img src="/media/editor/spine.png" '
            'alt="A spine from the side" width="640" height="480"></figure>'
        ),
        hero_image=ImageFactory(
            file=picture_file(1600, 900), alt_text="A balloon inside a spine bone"
        ),
    )


def test_the_article_hero_is_a_responsive_picture_loaded_first(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    tags = Tags(page)

    assert '<picture><source type="image/webp"' in page
    (source,) = tags.all("source", type="image/webp")
    assert srcset_widths(source["srcset"]) == [480, 800, 1200, 1600]
    assert source["sizes"] == "(min-width: 40.5em) 38rem, calc(100vw - 2.5rem)"
    (hero,) = tags.all("img", alt="A balloon inside a spine bone")
    assert srcset_widths(hero["srcset"]) == [480, 800, 1200, 1600]
    assert all(".jpg " in candidate + " " for candidate in hero["srcset"].split(", "))
    assert hero["sizes"] == source["sizes"]
    assert hero["src"].endswith("-1200w.jpg")
    assert (hero["width"], hero["height"]) == ("1600", "900")
    assert "loading" not in hero
    assert hero["fetchpriority"] == "high"
    for url in [hero["src"]] + [c.split()[0] for c in source["srcset"].split(", ")]:
        assert client.get(url).status_code == 200


def test_pictures_in_the_text_load_lazily_and_keep_their_size(client, article):
    tags = Tags(client.get(article.get_absolute_url()).content.decode())

    (inline,) = tags.all("img", alt="A spine from the side")
    assert inline["loading"] == "lazy"
    assert (inline["width"], inline["height"]) == ("640", "480")


def test_the_printable_guide_loads_its_pictures_lazily(client, article):
    url = reverse("articles:guide_print", kwargs={"guide_slug": article.guide.slug})
    tags = Tags(client.get(url).content.decode())

    (hero,) = tags.all("img", alt="A balloon inside a spine bone")
    assert hero["loading"] == "lazy"
    assert srcset_widths(hero["srcset"]) == [480, 800, 1200, 1600]
    assert tags.all("source", type="image/webp")


def test_link_previews_show_one_jpeg_of_link_preview_size(client, article):
    tags = Tags(client.get(article.get_absolute_url()).content.decode())

    (image,) = tags.all("meta", property="og:image")
    assert image["content"].startswith("http://testserver/media/images/")
    assert image["content"].endswith("-1200w.jpg")
    assert tags.all("meta", property="og:image:type")[0]["content"] == "image/jpeg"
    assert tags.all("meta", property="og:image:width")[0]["content"] == "1200"
    assert tags.all("meta", property="og:image:height")[0]["content"] == "675"


@pytest.mark.parametrize("kind", ["practice", "doctor"])
def test_practice_logos_and_doctor_portraits_are_responsive_pictures(client, kind):
    photo = ImageFactory(file=picture_file(1000, 1000), alt_text="Dr Example smiling")
    owner = (
        PracticeFactory(logo=photo)
        if kind == "practice"
        else DoctorFactory(photo=photo)
    )
    tags = Tags(client.get(owner.get_absolute_url()).content.decode())

    (img,) = tags.all("img", alt="Dr Example smiling")
    assert img["class"] == ("logo" if kind == "practice" else "portrait")
    assert srcset_widths(img["srcset"]) == [480, 800, 1000]
    assert img["sizes"] == "(min-width: 16.5em) 14rem, calc(100vw - 2.5rem)"
    assert (img["width"], img["height"]) == ("1000", "1000")
    assert "loading" not in img
    assert tags.all("source", type="image/webp")


def test_an_image_without_renditions_yet_is_still_shown(client, article):
    Image.objects.update(renditions=[])
    tags = Tags(client.get(article.get_absolute_url()).content.decode())

    (hero,) = tags.all("img", alt="A balloon inside a spine bone")
    assert hero["src"] == article.hero_image.file.url
    assert (hero["width"], hero["height"]) == ("1600", "900")
    assert "srcset" not in hero and not tags.all("source")


def test_viewing_pages_never_makes_files(client, settings, article):
    before = stored_files(settings)

    for _ in range(2):
        client.get(article.get_absolute_url())
        client.get(article.guide.get_absolute_url())
        client.get(
            reverse("articles:guide_print", kwargs={"guide_slug": article.guide.slug})
        )

    assert stored_files(settings) == before


def test_a_hero_picture_adds_no_query_to_the_article_page(client, article):
    plain = ArticleFactory(guide=GuideFactory(), hero_image=None)

    counts = []
    for shown in (plain, article):
        client.get(
            shown.get_absolute_url()
        )  # Warm per-process caches (sites, glossary).
        with CaptureQueriesContext(connection) as queries:
            assert client.get(shown.get_absolute_url()).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
