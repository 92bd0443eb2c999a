"""Uploaded images: refuse decompression bombs, re-encode without metadata, cached renditions."""

import io
import posixpath
import re
import struct
import warnings
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageCms, ImageOps

from .names import display_name

# Pillow opens only these; never EPS (which runs Ghostscript) or other exotic formats.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
JPEG_QUALITY = 85
DEFAULT_RENDITION_WIDTHS = (160, 320, 480, 640, 960, 1280)
_BROKEN = (OSError, SyntaxError, EOFError, ValueError, IndexError, struct.error)
_SRGB = ImageCms.createProfile("sRGB")


def max_pixels():
    return getattr(settings, "IMAGE_MAX_PIXELS", 40_000_000)


def max_side():
    return getattr(settings, "IMAGE_MAX_SIDE", 2400)


def rendition_widths():
    return tuple(getattr(settings, "IMAGE_RENDITION_WIDTHS", DEFAULT_RENDITION_WIDTHS))


def _pixels_text(n):
    return f"{n // 10_000:,}만 화소" if n >= 10_000 and n % 10_000 == 0 else f"{n:,}화소"


def _too_large(name, pixels):
    return ValidationError(
        f"「{name}」: 이미지가 너무 큽니다({pixels:,}화소). "
        f"가로×세로 {_pixels_text(max_pixels())}까지 올릴 수 있습니다.",
        code="image_too_large",
    )


@contextmanager
def open_image(fileobj, *, name):
    """Open an image under our pixel limit; ValidationError for bombs and non-images.

    The pixel check is what enforces IMAGE_MAX_PIXELS. Pillow's own bomb check only warns
    between ~89 and ~179 megapixels, so inside this block that warning is an error too,
    for Image.open, load(), resize and the rest. The filter is scoped, not global.
    """
    name = display_name(name)
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj, formats=FORMATS) as im:
                if im.width * im.height > max_pixels():
                    raise _too_large(name, im.width * im.height)
                yield im
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_large(name, int(pixels.group(1)) if pixels else 0) from exc
    except _BROKEN as exc:  # UnidentifiedImageError is an OSError
        raise ValidationError(
            f"「{name}」: 이미지 파일이 아니거나 손상된 파일입니다. JPG, PNG, GIF, WEBP만 올릴 수 있습니다.",
            code="not_an_image",
        ) from exc
    finally:
        fileobj.seek(0)


def verify_image(fileobj, *, name):
    """The Pillow format name of a sound image, None for anything else; bombs raise."""
    try:
        with open_image(fileobj, name=name) as im:
            fmt = im.format
            im.verify()
            return fmt
    except ValidationError as exc:
        if exc.code == "image_too_large":
            raise
        return None


def normalize_image(uploaded_file, *, resize=True):
    """Re-encode an upload: upright, sRGB, metadata-free, at most IMAGE_MAX_SIDE on its long side.

    JPEG stays JPEG (quality 85), PNG stays PNG, a GIF becomes its first frame as PNG,
    WEBP becomes PNG when it uses transparency and JPEG otherwise. The file keeps the stem
    of its display name with the new extension. ``resize=False`` keeps the pixel size (a
    붙임 is the document itself; the pixel limit of open_image still holds).
    """
    name = display_name(uploaded_file.name)
    side = max_side()
    with open_image(uploaded_file, name=name) as im:
        source_format = im.format
        if source_format == "JPEG" and resize:
            im.draft(None, (side, side))  # let libjpeg decode big photos at 1/2, 1/4 or 1/8
        im.load()
        im = _prepare(im)
        if resize:
            im.thumbnail((side, side), Image.Resampling.LANCZOS)
        if source_format == "JPEG" or (source_format == "WEBP" and not _uses_alpha(im)):
            fmt, ext = "JPEG", "jpg"
        else:
            fmt, ext = "PNG", "png"
        data = _encode(im, fmt)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return ContentFile(data, name=f"{stem}.{ext}")


def _prepare(im):
    """Upright, sRGB, in a mode that resizes well. Returns a new image."""
    im = ImageOps.exif_transpose(im)
    im = _to_srgb(im)
    if im.mode == "P":
        return im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode == "PA":
        return im.convert("RGBA")
    if im.mode in ("1", "I", "I;16", "F"):
        return im.convert("L")
    if im.mode not in ("L", "LA", "RGB", "RGBA"):  # CMYK, YCbCr, LAB...
        return im.convert("RGB")
    return im


def _to_srgb(im):
    """Convert from an embedded non-sRGB profile (Display P3 phone photos, Adobe RGB)."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in ("RGB", "RGBA", "CMYK"):
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return im
        return ImageCms.profileToProfile(
            im, profile, _SRGB, outputMode="RGBA" if im.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return im  # an unreadable profile is dropped; colours stay as stored


def _uses_alpha(im):
    return im.mode in ("RGBA", "LA") and im.getchannel("A").getextrema()[0] < 255


def _encode(im, fmt):
    """Save with nothing carried over: no EXIF/GPS, XMP, comments, text chunks or ICC profile."""
    if fmt == "JPEG" and im.mode not in ("RGB", "L"):
        if _uses_alpha(im):
            background = Image.new("RGB", im.size, "white")
            background.paste(im.convert("RGBA"), mask=im.getchannel("A"))
            im = background
        else:
            im = im.convert("RGB")
    im.info = {}  # Pillow copies comments and ICC profiles from info when saving
    buffer = io.BytesIO()
    if fmt == "JPEG":
        im.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        im.save(buffer, "PNG")
    return buffer.getvalue()


# --- renditions: made once, next to the original ------------------------------------------

def rendition_name(name, width):
    """``press/2026/01/ab12.jpg`` → ``press/2026/01/ab12.w480.jpg`` (PNG and GIF → .png)."""
    stem, ext = posixpath.splitext(name)
    return f"{stem}.w{width}.{'png' if ext.lower() in ('.png', '.gif') else 'jpg'}"


def get_rendition(field_file, width):
    """Storage name of the original resized to ``width`` pixels wide, made on first use.

    Widths come from IMAGE_RENDITION_WIDTHS so a URL parameter cannot fill the disk.
    Smaller originals are not enlarged.
    """
    if width not in rendition_widths():
        raise ValueError(f"rendition width {width} is not in IMAGE_RENDITION_WIDTHS")
    storage = field_file.storage
    name = rendition_name(field_file.name, width)
    if storage.exists(name):
        return name
    with storage.open(field_file.name, "rb") as source, open_image(source, name=field_file.name) as im:
        if im.format == "JPEG":
            im.draft(None, (width, width))  # both sides stay >= width, either orientation
        im.load()
        im = _prepare(im)
        if im.width > width:
            height = max(1, round(im.height * width / im.width))
            im = im.resize((width, height), Image.Resampling.LANCZOS)
        data = _encode(im, "PNG" if name.endswith(".png") else "JPEG")
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # Another request made the same rendition meanwhile; keep theirs, drop the copy.
        storage.delete(saved)
    return name


def delete_renditions(field_file):
    """Remove every rendition of a stored image (call on commit after deleting the original)."""
    storage = field_file.storage
    directory, base = posixpath.split(field_file.name)
    pattern = re.compile(re.escape(posixpath.splitext(base)[0]) + r"\.w\d+\.(?:jpg|png)")
    try:
        _, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    removed = [posixpath.join(directory, f) for f in files if pattern.fullmatch(f)]
    for path in removed:
        storage.delete(path)
    return removed

