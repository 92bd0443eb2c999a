"""Upload checks for 붙임 files and images: by name, by size and by content.

A file is accepted only when its extension is on the allowed list AND its bytes are what
that extension claims. Files are read in bounded chunks and rewound afterwards.
"""

import codecs
import re
import struct
import unicodedata
import zipfile

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from . import active, archives, images
from .formats import (
    ALL_KINDS, DOCUMENT_KINDS, HWP3_SIGNATURE, HWP_SIGNATURE, HWPX_MANIFEST, HWPX_MIMETYPE, IMAGE_FORMATS,
    IMAGE_KINDS, ODF_MIMETYPES, OLE_MAGIC, OLE_STREAMS, OOXML_PARTS, PDF_MAGIC, TEXT_KINDS, ZIP_CONTAINERS,
    ZIP_MAGIC,
)
from .names import display_name

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 8 * 1024
MB = 1024 * 1024

# The order staff read in the "allowed types" message.
_DISPLAY_ORDER = [
    "hwp", "hwpx", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
    "txt", "csv", "jpg", "jpeg", "png", "gif", "webp", "zip",
]

# Programs, scripts, and anything a browser or the OS would run or render as a page.
DANGEROUS_EXTENSIONS = frozenset(
    """
    exe dll com bat cmd msi msp mst scr pif cpl sys drv ocx efi gadget msc application appref-ms
    sh bash zsh csh ksh fish ps1 psm1 psd1 ps1xml psc1 js jse mjs cjs vbs vbe vb wsf wsh wsc hta
    jar class apk app dmg pkg deb rpm run bin elf so dylib
    php php3 php4 php5 php7 php8 phtml phar pl pm cgi py pyc pyo pyw rb lua
    asp aspx ascx ashx asmx asa cer jsp jspx cfm shtml
    html htm xhtml xht mht mhtml svg svgz xml xsl xslt swf
    lnk url reg inf scf iso img vhd vhdx chm hlp
    docm dotm xlsm xltm xlam pptm potm ppam ppsm sldm
    """.split()  # noqa: SIM905 - a word list reads better than 120 quoted strings
)

_EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
)
_HTML_SNIFF = re.compile(rb"<\s*(?:script|html|!doctype\s+html|iframe|svg)\b", re.IGNORECASE)


def _setting(name, default):
    return getattr(settings, name, default)


def human_size(n):
    if n >= MB:
        return f"{n / MB:.1f}".removesuffix(".0") + "MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + "KB"
    return f"{n}바이트"


def clean_name(name):
    """display_name, minus invisible format characters (e.g. U+202E that flips ``gpj.exe``)."""
    name = display_name(name)
    visible = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    return display_name(visible) if visible != name else name


def _refuse(name, reason, code):
    return ValidationError(f"「{name}」: {reason}", code=code)


def _extension_parts(name):
    parts = [part.strip().lower() for part in name.split(".")]
    return parts[-1] if len(parts) > 1 else "", parts[1:-1]


def _file_size(f):
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
    return size


def _read_head(f):
    f.seek(0)
    return f.read(HEAD_SIZE)


def check_upload(uploaded_file, *, allowed=ALL_KINDS, max_bytes=None):
    """Return the cleaned display name, or raise ValidationError saying why the file is refused."""
    name = clean_name(uploaded_file.name)
    ext, inner = _extension_parts(name)
    if not ext:
        raise _refuse(name, "확장자가 없는 파일은 올릴 수 없습니다.", "no_extension")
    if ext in DANGEROUS_EXTENSIONS:
        raise _refuse(name, "실행 파일이나 스크립트, 웹 문서는 올릴 수 없습니다.", "dangerous_type")
    hidden = next((part for part in inner if part in DANGEROUS_EXTENSIONS), None)
    if hidden:
        raise _refuse(
            name, f"이름 중간에 실행 파일 확장자(.{hidden})가 들어 있는 파일은 올릴 수 없습니다.",
            "double_extension",
        )
    if ext not in allowed:
        kinds = ", ".join(k.upper() for k in _DISPLAY_ORDER if k in allowed)
        raise _refuse(
            name, f"올릴 수 없는 파일 형식입니다. 올릴 수 있는 형식: {kinds}", "type_not_allowed"
        )

    size = _file_size(uploaded_file)
    limit = max_bytes if max_bytes is not None else _setting("ATTACHMENT_MAX_BYTES", 50 * MB)
    if size == 0:
        raise _refuse(name, "빈 파일입니다.", "empty")
    if size > limit:
        raise _refuse(
            name, f"파일이 너무 큽니다({human_size(size)}). {human_size(limit)}까지 올릴 수 있습니다.",
            "too_large",
        )

    try:
        _check_content(uploaded_file, name, ext, size)
    except archives.ArchiveTooLarge as found:
        raise _zip_bomb(name, found.cap) from None
    except (archives.ArchiveRefused, active.ActiveContent) as found:
        raise _refuse(name, found.reason, found.code) from None
    finally:
        uploaded_file.seek(0)
    return name


def _check_content(f, name, ext, size):
    head = _read_head(f)
    if _looks_executable(head):
        raise _refuse(name, "실행 파일은 올릴 수 없습니다.", "executable")
    if ext in TEXT_KINDS:
        # A .txt/.csv that merely looks like HTML is allowed: downloads are served as
        # text/plain with X-Content-Type-Options: nosniff and a sandboxing CSP, so no
        # browser renders it. .html/.htm/.svg are refused by extension instead.
        if not _is_text(f):
            raise _mismatch(name, ext)
        return
    # Images are exempt: they are re-encoded before they are stored, so markup in a comment or EXIF goes.
    if ext not in IMAGE_FORMATS and _HTML_SNIFF.search(head[:1024]):
        raise _refuse(name, "파일 안에 웹 문서(HTML) 내용이 들어 있어 올릴 수 없습니다.", "html")

    if ext == "pdf":
        ok = head.startswith(PDF_MAGIC)
        if ok:
            active.check_pdf(f)
    elif ext == "hwp" and head.startswith(HWP3_SIGNATURE):
        ok = True
    elif ext == "hwp" or ext in OLE_STREAMS:
        ok = head.startswith(OLE_MAGIC) and _ole_has_format(f, ext)
    elif ext in IMAGE_FORMATS:
        ok = images.verify_image(f, name=name) == IMAGE_FORMATS[ext]
    elif ext in ZIP_CONTAINERS:
        ok = head.startswith(ZIP_MAGIC) and _check_zip(f, name, ext, size)
    else:  # an extension added to a kind set without a content rule
        ok = False
    if not ok:
        raise _mismatch(name, ext)


def _mismatch(name, ext):
    return _refuse(
        name, f"파일 내용이 확장자(.{ext})와 맞지 않습니다. 파일이 손상되었거나 이름만 바꾼 파일입니다.",
        "content_mismatch",
    )


def _looks_executable(head):
    if head.startswith(_EXECUTABLE_MAGIC) or head.startswith(b"#!"):
        return True
    # A PE header always has NULs in its DOS stub; a text file starting "MZ세대" does not.
    return head.startswith(b"MZ") and b"\x00" in head[:64]


def _is_text(f):
    return _decodes(f, "utf-8-sig") or _decodes(f, "cp949")


def _decodes(f, encoding):
    f.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := f.read(CHUNK_SIZE):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _ole_has_format(f, ext):
    f.seek(0)
    try:
        ole = olefile.OleFileIO(f)
    except Exception:  # noqa: BLE001 - hostile input makes olefile raise anything; all mean "not it"
        return False
    try:
        if not _ole_format_matches(ole, ext):
            return False
        active.check_ole(ole, ext)
        return True
    except active.ActiveContent:
        raise
    except Exception:  # noqa: BLE001
        return False
    finally:
        ole.close()


def _ole_format_matches(ole, ext):
    if ext == "hwp":
        if not ole.exists("FileHeader") or ole.get_size("FileHeader") > 4096:
            return False
        with ole.openstream("FileHeader") as stream:
            return stream.read(len(HWP_SIGNATURE)) == HWP_SIGNATURE
    return any(
        ole.exists(stream) and ole.get_type(stream) == olefile.STGTY_STREAM
        for stream in OLE_STREAMS[ext]
    )


# --- ZIP and the document formats built on it ---------------------------------------------

def _zip_directory(f, size):
    """(entry count, central directory size) from the end record, before zipfile parses it.

    zipfile builds one object per member, so a 50 MB archive of empty members would cost
    gigabytes to list; this reads only the last 64 KB. Zip64 markers (0xFFFF, 0xFFFFFFFF)
    read as "huge", which no sane limit allows.
    """
    tail_len = min(size, 22 + 65535)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        return None
    _, _, _, _, entries, directory_size, _, _ = struct.unpack("<4s4H2LH", tail[pos:pos + 22])
    return entries, directory_size


def _unsafe_member_path(member):
    path = member.replace("\\", "/")
    return (
        path.startswith("/")
        or re.match(r"[A-Za-z]:", path) is not None
        or ".." in path.split("/")
    )


def _zip_bomb(name, cap):
    return _refuse(name, f"압축을 풀면 {human_size(cap)}를 넘는 파일입니다(압축 폭탄 의심).", "zip_bomb")


def _check_zip(f, name, ext, size):
    max_members = _setting("ZIP_MAX_MEMBERS", 1000)
    max_unpacked = _setting("ZIP_MAX_UNCOMPRESSED_BYTES", 500 * MB)
    max_member = min(max_unpacked, _setting("ZIP_MAX_MEMBER_BYTES", 256 * MB))
    too_many = _refuse(
        name, f"압축 파일 안에 파일이 너무 많습니다. {max_members:,}개까지 올릴 수 있습니다.",
        "zip_members",
    )
    directory = _zip_directory(f, size)
    if directory is None:
        return False
    entries, directory_size = directory
    if entries > max_members or directory_size > max_members * 1024:
        raise too_many

    f.seek(0)
    try:
        archive = zipfile.ZipFile(f)
    except Exception:  # noqa: BLE001 - BadZipFile, struct.error, OSError... on hostile input
        return False
    with archive:
        members = archive.infolist()
        if len(members) > max_members:  # the end record's count can lie
            raise too_many
        # Declared sizes refuse the honest bombs before anything is inflated; the lying
        # ones are caught while inflating (files/archives.py).
        if sum(member.file_size for member in members) > max_unpacked:
            raise _zip_bomb(name, max_unpacked)
        if any(member.file_size > max_member for member in members):
            raise _zip_bomb(name, max_member)
        for member in members:
            if _unsafe_member_path(member.filename):
                raise _refuse(
                    name, f"압축 파일 안에 위험한 경로({member.filename})가 들어 있습니다.",
                    "zip_path",
                )
        names = {member.filename for member in members}
        if ext == "zip":
            for member in names:
                inner_ext, _ = _extension_parts(member.rsplit("/", 1)[-1])
                if inner_ext in DANGEROUS_EXTENSIONS:
                    raise _refuse(
                        name, f"압축 파일 안에 실행 파일이나 스크립트({member})가 들어 있습니다.",
                        "zip_executable",
                    )
        elif ext in OOXML_PARTS and any(
            member.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for member in names
        ):
            raise _refuse(name, "매크로가 들어 있는 문서는 올릴 수 없습니다.", "macro")
        active.check_zip_names(ext, names)
        _inflate_every_member(f, archive, name, ext, max_unpacked, max_member)
        if ext == "zip":
            return True
        if ext in OOXML_PARTS:
            return {"[Content_Types].xml", OOXML_PARTS[ext]} <= names
        if ext == "hwpx":
            return HWPX_MANIFEST in names and _mimetype(archive) == HWPX_MIMETYPE
        return _mimetype(archive) == ODF_MIMETYPES[ext]


def _inflate_every_member(f, archive, name, ext, max_unpacked, max_member):
    """Sizes and CRCs checked by inflating; in a .zip, no archive we cannot look into."""
    for member, head in archives.verified_members(
        f, archive, max_total=max_unpacked, max_member=max_member,
        reader_for=lambda member: active.part_reader(ext, member.filename),
    ):
        if ext == "zip" and archives.looks_like_archive(member.filename, head):
            raise _refuse(
                name,
                f"압축 파일 안에 다른 압축 파일({archives.member_name(member)})이 들어 있어 "
                "내용을 확인할 수 없습니다. 압축을 풀어 한 번만 압축해 올려 주세요.",
                "zip_nested",
            )


def _mimetype(archive):
    try:
        info = archive.getinfo("mimetype")
        if info.file_size > 256:
            return None
        return archive.read(info).strip()
    except Exception:  # noqa: BLE001 - damaged, encrypted or bad CRC
        return None


# --- per-post total and validators for model and form fields ------------------------------

def check_total_size(files, limit=None):
    """Refuse when the files (anything with .size, or plain byte counts) add up past the limit."""
    limit = limit if limit is not None else _setting("ATTACHMENT_MAX_TOTAL_BYTES", 200 * MB)
    total = sum(f if isinstance(f, int) else (f.size or 0) for f in files)
    if total > limit:
        raise ValidationError(
            f"붙임 파일을 모두 합친 크기({human_size(total)})가 {human_size(limit)}를 넘습니다.",
            code="total_too_large",
        )
    return total


KINDS = {"attachment": ALL_KINDS, "image": IMAGE_KINDS, "document": DOCUMENT_KINDS}


@deconstructible(path="files.checks.UploadValidator")
class UploadValidator:
    """check_upload as a field validator. Files already in storage were checked on upload."""

    def __init__(self, kind="attachment", max_bytes=None):
        if kind not in KINDS:
            raise ValueError(f"unknown upload kind {kind!r}")
        self.kind = kind
        self.max_bytes = max_bytes

    def __call__(self, value):
        if not value or getattr(value, "_committed", False):
            return
        check_upload(value, allowed=KINDS[self.kind], max_bytes=self.max_bytes)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and (self.kind, self.max_bytes) == (other.kind, other.max_bytes)
        )


validate_attachment = UploadValidator()
validate_image = UploadValidator("image")
