"""
The one way an image gets into storage: verified by Pillow, limited in bytes and
pixels, re-encoded without metadata, downscaled when oversized, and given a
generated file name. Admin uploads, editor uploads and the demo loader all use it.
"""

import io
import os
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A decompression bomb is a small file that declares a huge canvas; refuse it
# from the header, before any pixel is decoded.
MAX_PIXELS = 40_000_000
MAX_EDGE = 2400

# Format Pillow detects from the content -> format we store.
STORED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _open_verified(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            probe = PillowImage.open(io.BytesIO(data))
            detected = probe.format
            width, height = probe.size
            probe.verify()
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        raise ValidationError(
            _("This image is too large in pixels to be processed safely."),
            code="too_many_pixels",
        ) from None
    except Exception:
        raise ValidationError(
            _(
                "This file is not an image we can read. Upload a JPEG, PNG or WebP picture."
            ),
            code="not_an_image",
        ) from None
    if detected not in STORED_FORMATS:
        # Two whole sentences rather than "These" as a format name: a translation
        # cannot build the second from the first.
        if detected:
            message = _(
                "%(format)s files are not accepted. Upload a JPEG, PNG or WebP picture."
            ) % {"format": detected}
        else:
            message = _(
                "These files are not accepted. Upload a JPEG, PNG or WebP picture."
            )
        raise ValidationError(message, code="format")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; the limit is %(limit)s million pixels."
            )
            % {"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    # verify() leaves the image unusable; open it again to decode the pixels.
    image = PillowImage.open(io.BytesIO(data))
    image.load()
    return image


def process_image(uploaded_file):
    """
    Validate an uploaded image and return (ContentFile, width, height) holding a
    clean re-encoded copy with a generated name. Raise ValidationError with a
    message for the editor when the file is refused.
    """
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": round(size / 1024 / 1024, 1),
                "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
            code="too_big",
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is larger than %(limit)s MB.")
            % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            code="too_big",
        )
    image = _open_verified(data)
    stored_format = STORED_FORMATS[image.format]

    # Turn the picture upright as the camera meant it, since its metadata goes.
    image = ImageOps.exif_transpose(image)
    if stored_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert("RGBA")
    if max(image.size) > MAX_EDGE:
        image.thumbnail((MAX_EDGE, MAX_EDGE), PillowImage.Resampling.LANCZOS)

    # Pillow's PNG writer copies info (ICC profile, text chunks) unless it is emptied.
    image.info = {}
    output = io.BytesIO()
    # Saving without exif/icc/info arguments drops every metadata block (GPS included).
    if stored_format == "JPEG":
        image.save(output, "JPEG", quality=85, optimize=True, progressive=True)
    elif stored_format == "WEBP":
        image.save(output, "WEBP", quality=85, method=4)
    else:
        image.save(output, "PNG", optimize=True)
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[stored_format]}"
    return ContentFile(output.getvalue(), name=name), image.width, image.height


# Renditions ------------------------------------------------------------------
# Smaller copies of a stored image, so that a phone does not download a picture
# made for a wide screen. Written once when the image is saved, never per request.

RENDITION_WIDTHS = (480, 800, 1200, 1600)
# The rendition link previews (Open Graph) and browsers without srcset get.
DEFAULT_WIDTH = 1200
MEDIA_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
RENDITION_EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str
    url: str

    @property
    def media_type(self):
        return MEDIA_TYPES[self.format]


def rendition_widths(width):
    """The widths to render an image `width` pixels wide at: never wider than itself."""
    return [size for size in RENDITION_WIDTHS if size < width] + [width]


def renditions_fit(name, width, renditions):
    """
    Whether `renditions` (as stored on an Image) were made from the file `name`
    at today's widths. Renditions are named after their original.
    """
    if not name or not renditions:
        return False
    prefix = f"{os.path.splitext(name)[0]}-"
    return all(item["name"].startswith(prefix) for item in renditions) and {
        item["width"] for item in renditions
    } == set(rendition_widths(width))


def _is_transparent(image):
    if image.mode not in {"RGBA", "LA"}:
        return False
    lowest_alpha, _highest = image.getchannel("A").getextrema()
    return lowest_alpha < 255


def make_renditions(storage, name):
    """
    Write WebP and JPEG copies (PNG instead of JPEG if the image has transparent
    pixels) of the stored image `name` next to it, one per width of
    rendition_widths(). Return their descriptions, as stored on the Image.
    """
    with storage.open(name, "rb") as source:
        original = PillowImage.open(source)
        original.load()
    fallback = "png" if _is_transparent(original) else "jpeg"
    original = original.convert("RGBA" if fallback == "png" else "RGB")
    stem = os.path.splitext(name)[0]
    renditions = []
    for width in rendition_widths(original.width):
        height = max(1, round(original.height * width / original.width))
        resized = (
            original
            if width == original.width
            else original.resize(
                (width, height), PillowImage.Resampling.LANCZOS, reducing_gap=3.0
            )
        )
        for image_format in ("webp", fallback):
            output = io.BytesIO()
            if image_format == "webp":
                resized.save(output, "WEBP", quality=80, method=4)
            elif image_format == "jpeg":
                resized.save(
                    output, "JPEG", quality=82, optimize=True, progressive=True
                )
            else:
                resized.save(output, "PNG", optimize=True)
            stored = storage.save(
                f"{stem}-{width}w.{RENDITION_EXTENSIONS[image_format]}",
                ContentFile(output.getvalue()),
            )
            renditions.append(
                {
                    "width": width,
                    "height": height,
                    "format": image_format,
                    "name": stored,
                }
            )
    return renditions


def delete_on_commit(storage, names):
    """
    Delete stored files once the surrounding transaction commits, so that a
    rollback never leaves a row pointing at files that are gone.
    """
    names = list(names)
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def default_rendition(renditions):
    """The JPEG/PNG rendition closest to DEFAULT_WIDTH without exceeding it."""
    fallbacks = [item for item in renditions if item.format != "webp"]
    fitting = [item for item in fallbacks if item.width <= DEFAULT_WIDTH]
    if fitting:
        return max(fitting, key=lambda item: item.width)
    return min(fallbacks, key=lambda item: item.width, default=None)
