"""Image uploads through the Image admin and the rich-text editor, and serving them."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Image

from .factories import ImageFactory, UserFactory, png_bytes

pytestmark = pytest.mark.django_db

EDITOR_UPLOAD = reverse("editor_image_upload")
IMAGE_ADD = reverse("admin:articles_image_add")
NOT_AN_IMAGE = (
    "This file is not an image we can read. Upload a JPEG, PNG or WebP picture."
)


# --- Files to upload ------------------------------------------------------------


def picture_bytes(image_format, size=(64, 48), **save_options):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (200, 40, 40)).save(
        buffer, image_format, **save_options
    )
    return buffer.getvalue()


def jpeg_with_gps():
    exif = PillowImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    data = picture_bytes("JPEG", exif=exif.tobytes())
    assert PillowImage.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def png_declaring(width, height):
    """A tiny PNG whose header claims width × height pixels (a decompression bomb)."""
    data = bytearray(png_bytes(1, 1))
    # Signature (8) + length (4) + b"IHDR" (4), then width and height.
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def png_chunk_types(data):
    types, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        types.append(data[offset + 4 : offset + 8].decode("ascii"))
        offset += 12 + length
    return types


# --- Uploading through either route ------------------------------------------------

ROUTES = ["editor", "image_admin"]


@pytest.fixture(params=ROUTES)
def route(request):
    return request.param


def upload(client, route, name, data):
    """Post a file named name through the editor endpoint or the Image admin."""
    file = SimpleUploadedFile(name, data)
    if route == "editor":
        return client.post(EDITOR_UPLOAD, {"upload": file})
    return client.post(
        IMAGE_ADD,
        {
            "title": "Uploaded picture",
            "file": file,
            "alt_text": "Side view of a spine",
            "practice": "",
        },
    )


def stored_path(response, route):
    """The stored file of a successful upload."""
    if route == "editor":
        assert response.status_code == 200, response.content
        url = response.json()["url"]
        assert url.startswith(f"{settings.MEDIA_URL}editor/")
        relative = url.removeprefix(settings.MEDIA_URL)
    else:
        assert response.status_code == 302, response.context["adminform"].form.errors
        relative = Image.objects.get(title="Uploaded picture").file.name
    path = Path(settings.MEDIA_ROOT) / relative
    assert path.is_file()
    return path


def refusal(response, route):
    """The message shown for a refused upload; nothing was stored."""
    if route == "editor":
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        message = response.json()["error"]["message"]
    else:
        assert response.status_code == 200
        message = response.context["adminform"].form.errors["file"][0]
        assert message in response.content.decode()
        assert not Image.objects.exists()
    assert stored_files() == []
    return message


def stored_files():
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def a_png():
    return {"upload": SimpleUploadedFile("a.png", png_bytes())}


# --- Who may use the editor's upload -----------------------------------------------


def test_anonymous_visitors_cannot_upload(client):
    response = client.post(EDITOR_UPLOAD, a_png())
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "You do not have permission to upload images."
    )
    assert stored_files() == []


def test_logged_in_users_who_are_not_staff_cannot_upload(client):
    user = UserFactory(is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="add_image"))
    client.force_login(user)
    response = client.post(EDITOR_UPLOAD, a_png())
    assert response.status_code == 403
    assert stored_files() == []


def test_staff_without_the_add_image_permission_cannot_upload(
    client, staff_without_permissions
):
    client.force_login(staff_without_permissions)
    response = client.post(EDITOR_UPLOAD, a_png())
    assert response.status_code == 403
    assert "error" in response.json()
    assert stored_files() == []


def test_the_editor_upload_only_answers_post(editor_client):
    assert editor_client.get(EDITOR_UPLOAD).status_code == 405


# --- Accepted pictures ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_pictures_are_stored_under_a_generated_name(
    editor_client, route, image_format, extension
):
    response = upload(
        editor_client,
        route,
        f"My Holiday Photo.{extension}",
        picture_bytes(image_format),
    )

    path = stored_path(response, route)
    assert "holiday" not in path.name.lower()
    assert path.suffix == f".{extension}"
    assert len(path.stem) == 32  # a uuid4 hex
    with PillowImage.open(path) as stored:
        assert stored.format == image_format
        assert stored.size == (64, 48)


def test_the_editor_upload_answers_with_a_media_url_the_editor_can_show(editor_client):
    response = upload(editor_client, "editor", "spine.png", png_bytes())
    url = response.json()["url"]
    assert url.startswith("/media/editor/") and url.endswith(".png")
    assert editor_client.get(url).status_code == 200


def test_an_image_admin_upload_records_size_and_uploader(editor_client, editor):
    response = upload(editor_client, "image_admin", "spine.png", png_bytes(40, 30))

    stored_path(response, "image_admin")
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    assert image.uploaded_by == editor
    assert image.file.name.startswith("images/")


def test_a_gif_is_stored_as_png(editor_client, route):
    path = stored_path(
        upload(editor_client, route, "anim.gif", picture_bytes("GIF")), route
    )
    assert path.suffix == ".png"
    with PillowImage.open(path) as stored:
        assert stored.format == "PNG"


def test_html_appended_to_a_png_is_not_stored(editor_client, route):
    trailer = b"<html><script>alert(document.cookie)</script></html>"
    path = stored_path(
        upload(editor_client, route, "polyglot.png", png_bytes() + trailer), route
    )
    stored = path.read_bytes()
    assert b"<script" not in stored
    assert b"<html" not in stored
    assert png_chunk_types(stored)[-1] == "IEND"


def test_exif_and_gps_location_are_removed_from_photos(editor_client, route):
    path = stored_path(
        upload(editor_client, route, "photo.jpg", jpeg_with_gps()), route
    )

    stored = path.read_bytes()
    assert b"Exif" not in stored
    assert b"PhoneMaker" not in stored
    with PillowImage.open(path) as image:
        assert dict(image.getexif()) == {}


def test_a_sideways_phone_photo_is_stored_upright(editor_client, route):
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    data = picture_bytes("JPEG", size=(60, 20), exif=exif.tobytes())

    path = stored_path(upload(editor_client, route, "sideways.jpg", data), route)

    with PillowImage.open(path) as image:
        assert image.size == (20, 60)


def test_a_png_is_stored_with_no_metadata_chunks(editor_client, route):
    data = picture_bytes("PNG", icc_profile=b"<script>alert(1)</script>" * 4)
    assert "iCCP" in png_chunk_types(data)

    path = stored_path(upload(editor_client, route, "profile.png", data), route)

    assert set(png_chunk_types(path.read_bytes())) <= {"IHDR", "IDAT", "IEND"}


def test_oversized_pictures_are_scaled_down_to_2400_pixels(editor_client, route):
    data = picture_bytes("PNG", size=(3000, 1000))

    path = stored_path(upload(editor_client, route, "wide.png", data), route)

    with PillowImage.open(path) as image:
        assert image.size == (2400, 800)
    if route == "image_admin":
        image = Image.objects.get()
        assert (image.width, image.height) == (2400, 800)


# --- Refused files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.png", b"These are my notes, not a picture.\n" * 20),
        (
            "drawing.svg",
            (
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                b'<rect width="10" height="10"/></svg>'
            ),
        ),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("empty.png", b""),
        ("truncated.png", png_bytes()[:60]),
    ],
    ids=["text-renamed-png", "svg", "html", "empty", "truncated-png"],
)
def test_files_that_are_not_pictures_are_refused(editor_client, route, name, data):
    response = upload(editor_client, route, name, data)
    message = refusal(response, route)
    if data:
        assert message == NOT_AN_IMAGE


def test_an_accepted_but_unwanted_picture_format_is_named(editor_client, route):
    data = picture_bytes("BMP")
    assert refusal(upload(editor_client, route, "scan.png", data), route) == (
        "BMP files are not accepted. Upload a JPEG, PNG or WebP picture."
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [(30000, 30000), (10000, 10000)],
    ids=["far-beyond-pillow-limit", "beyond-pillow-warning"],
)
def test_decompression_bombs_are_refused_with_a_clear_message(
    editor_client, route, width, height
):
    response = upload(editor_client, route, "bomb.png", png_declaring(width, height))
    assert refusal(response, route) == (
        "This image is too large in pixels to be processed safely."
    )


def test_pictures_above_the_pixel_limit_are_refused_with_their_size(
    editor_client, route
):
    response = upload(editor_client, route, "huge.png", png_declaring(7000, 7000))
    assert refusal(response, route) == (
        "This image is 7000 × 7000 pixels; the limit is 40 million pixels."
    )


def test_files_over_ten_megabytes_are_refused(editor_client, route):
    data = png_bytes() + b"\0" * (10 * 1024 * 1024)
    assert refusal(upload(editor_client, route, "big.png", data), route) == (
        "This file is 10.0 MB; the limit is 10 MB."
    )


# --- The Image admin ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("alt_text", "message"),
    [
        ("", "This field is required."),
        ("image", "Describe what the picture shows in a few words"),
        ("  x  ", "Describe what the picture shows in a few words"),
    ],
)
def test_an_image_needs_a_real_text_alternative(editor_client, alt_text, message):
    response = editor_client.post(
        IMAGE_ADD,
        {
            "title": "Spine",
            "file": SimpleUploadedFile("spine.png", png_bytes()),
            "alt_text": alt_text,
            "practice": "",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors["alt_text"][0]
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_replacing_an_image_with_a_non_image_keeps_the_stored_picture(editor_client):
    image = ImageFactory(title="Spine", alt_text="Side view of the spine")
    stored_file = Path(image.file.path)
    stored_bytes = stored_file.read_bytes()
    before = Image.objects.values().get(pk=image.pk)

    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {
            "title": "Spine (new)",
            "file": SimpleUploadedFile("spine.png", b"not a picture at all"),
            "alt_text": "Side view of the spine",
            "practice": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [NOT_AN_IMAGE]
    assert NOT_AN_IMAGE in response.content.decode()
    assert Image.objects.values().get(pk=image.pk) == before
    assert stored_file.read_bytes() == stored_bytes


def test_changing_an_image_text_keeps_its_file(editor_client):
    image = ImageFactory(title="Spine")
    before_name = image.file.name

    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {"title": "Spine", "alt_text": "A clearer description", "practice": ""},
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "A clearer description"
    assert image.file.name == before_name


# --- Serving media ------------------------------------------------------------------


def test_media_files_are_served_as_inert_files(client):
    image = ImageFactory()

    response = client.get(image.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == Path(image.file.path).read_bytes()


def test_an_html_file_in_media_cannot_run_scripts(client):
    folder = Path(settings.MEDIA_ROOT) / "legacy"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("<script>alert(1)</script>")

    response = client.get(f"{settings.MEDIA_URL}legacy/page.html")

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_media_outside_the_media_folder_is_not_served(client):
    Path(settings.MEDIA_ROOT).mkdir(parents=True)
    for path in ("/media/../kyphoinfo/settings.py", "/media/%2e%2e/manage.py"):
        response = client.get(path)
        assert response.status_code in {400, 404}, path
        assert b"SECRET_KEY" not in response.content
        assert b"DJANGO_SETTINGS_MODULE" not in response.content
