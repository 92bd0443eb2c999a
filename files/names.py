"""Names for uploaded files: what residents see, and what the disk stores."""

import os
import re
import unicodedata
import uuid

from django.utils import timezone

MAX_NAME_LENGTH = 150  # characters
MAX_NAME_BYTES = 255  # UTF-8 bytes: what most file systems and archive tools allow
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# Windows device names: "CON.txt" or "lpt1.tar.gz" opens the device, not a file, when saved.
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)", re.IGNORECASE)


def display_name(name):
    """The file's own name, NFC-normalised, without path parts or unsafe characters.

    At most MAX_NAME_LENGTH characters and MAX_NAME_BYTES bytes, cut on a character
    boundary with the extension kept; a Windows device name gets "_" after it (CON.txt → CON_.txt).
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Control and invisible format characters (U+202E can make "gpj.exe" read as "exe.jpg").
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = _UNSAFE.sub("", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    room = MAX_NAME_BYTES - (len(ext.encode()) + 1 if ext else 0)
    stem = _cut_to_bytes(stem[: MAX_NAME_LENGTH - len(ext) - 1], room - 1).rstrip(" .") or "붙임"
    if _RESERVED.match(stem):
        device, dot, rest = stem.partition(".")
        stem = f"{device}_{dot}{rest}"
    return f"{stem}.{ext}" if ext else stem


def _cut_to_bytes(text, limit):
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    return text.encode()[:limit].decode(errors="ignore")


def attachment_upload_to(instance, filename):
    """Store under a generated name so no uploaded name ever reaches the file system."""
    ext = os.path.splitext(display_name(filename))[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,10}", ext):
        ext = ""
    return f"{instance._meta.app_label}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def extension_of(name):
    """"HWP" for "공고문.hwp"; "" for a name without one."""
    return name.rsplit(".", 1)[-1].upper() if "." in name else ""
