"""
The one way an image gets into storage: verified by Pillow, limited in bytes and
pixels, re-encoded without metadata, downscaled when oversized, and given a
generated file name. Admin uploads, editor uploads and the demo loader all use it.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
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
        raise ValidationError(
            _("%(format)s files are not accepted. Upload a JPEG, PNG or WebP picture.")
            % {"format": detected or _("These")},
            code="format",
        )
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
