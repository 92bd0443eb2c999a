"""Inflate every member of a ZIP ourselves: sizes, CRCs and names are checked, never trusted.

zipfile stops at the sizes the archive declares, so a member that claims 1 KB and
inflates to 1 GB, or whose CRC is wrong, looks fine to it. Here each member's raw
data is inflated in bounded chunks with our own caps, and must come out exactly as
long as declared and with the declared CRC-32. Nothing larger than one chunk is held.
"""

import re
import struct
import zipfile
import zlib

from .formats import ZIP_CONTAINERS, ZIP_MAGIC

READ_CHUNK = 64 * 1024
INFLATE_CHUNK = 256 * 1024
HEAD_BYTES = 512  # enough for every archive signature below, tar's at offset 257 included
AES_METHOD = 99  # WinZip AES: the real method hides in an extra field, the data is encrypted
LOCAL_HEADER = struct.Struct("<4s5H3L2H")

ARCHIVE_EXTENSIONS = frozenset(
    """
    zip zipx 7z rar gz gzip tgz tar bz2 tbz tbz2 xz txz lz lzma z zst tzst lzh lha arj
    alz egg cab jar war ear apk iso dmg
    """.split()  # noqa: SIM905
)
# Archives named like a document (x.docx that is really a zip of programs) are still
# documents to Office and Hangul, so a ZIP signature is allowed under these names.
_ZIP_DOCUMENTS = ZIP_CONTAINERS - {"zip"}
_ARCHIVE_MAGIC = re.compile(
    re.escape(ZIP_MAGIC) + rb"|PK\x05\x06|PK\x07\x08"  # zip, empty zip, spanned zip
    rb"|7z\xbc\xaf\x27\x1c|Rar!\x1a\x07|\x1f\x8b\x08|BZh[1-9]1AY&SY|\xfd7zXZ\x00|\x28\xb5\x2f\xfd"
    rb"|ALZ\x01|EGGA|MSCF\x00\x00\x00\x00|..-l[hz][0-9a-z]-",
    re.DOTALL,
)


class ArchiveRefused(Exception):
    def __init__(self, reason, code):
        super().__init__(reason)
        self.reason = reason
        self.code = code


class ArchiveTooLarge(ArchiveRefused):
    """Inflating went past ``cap`` bytes; the caller words the message (it owns size formatting)."""

    def __init__(self, cap):
        super().__init__(None, "zip_bomb")
        self.cap = cap


def is_encrypted(info):
    return bool(info.flag_bits & 0x1) or info.compress_type == AES_METHOD


def looks_like_archive(filename, head):
    """A member we cannot look into: an archive by its extension or by its first bytes."""
    extension = filename.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    if extension in ARCHIVE_EXTENSIONS:
        return True
    if extension in _ZIP_DOCUMENTS and head.startswith(ZIP_MAGIC):
        return False
    return _ARCHIVE_MAGIC.match(head) is not None or head[257:262] == b"ustar"


def member_name(info):
    """A member's name as its maker meant it: Korean Windows tools write CP949 without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("cp949")
    except UnicodeError:
        return info.filename


def verified_members(f, archive, *, max_total, max_member, reader_for=lambda info: None):
    """Inflate each member of ``archive`` (opened on ``f``) in turn; yield (info, first bytes).

    ``reader_for(info)`` may return an object whose ``feed(chunk)`` gets the member's
    inflated bytes and whose ``close()`` is called once the member checked out.
    Raises ArchiveRefused when a member is encrypted, larger than a cap or than declared,
    shorter than declared, fails its CRC, or its local header disagrees with the directory.
    """
    infos = archive.infolist()
    encrypted = next((info for info in infos if is_encrypted(info)), None)
    if encrypted:
        raise _encrypted(encrypted)
    total = 0
    for info in infos:
        limit = min(max_member, max_total - total)
        reader = reader_for(info)
        head, size, crc = b"", 0, 0
        for chunk in _inflate(f, info):
            size += len(chunk)
            if size > info.file_size:
                raise _lying(info)
            if size > limit:
                raise ArchiveTooLarge(max_member if limit == max_member else max_total)
            crc = zlib.crc32(chunk, crc)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            if reader is not None:
                reader.feed(chunk)
        if size != info.file_size or crc != info.CRC:
            raise _lying(info)
        if reader is not None:
            reader.close()
        total += size
        yield info, head


def _inflate(f, info):
    f.seek(info.header_offset)
    header = f.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size:
        raise _lying(info)
    signature, _, flags, method, _, _, _, _, _, name_length, extra_length = LOCAL_HEADER.unpack(header)
    local_name = f.read(name_length)
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if (
        signature != ZIP_MAGIC
        or method != info.compress_type
        or local_name.decode(encoding, "replace") != info.orig_filename
    ):
        raise _lying(info)
    if flags & 0x1:
        raise _encrypted(info)
    f.seek(extra_length, 1)

    if info.compress_size == 0:
        return  # an empty member; its declared size and CRC must then be 0 too
    if method == zipfile.ZIP_STORED:
        yield from _raw_chunks(f, info.compress_size, info)
        return
    if method != zipfile.ZIP_DEFLATED:
        raise ArchiveRefused(
            f"확인할 수 없는 압축 방식으로 압축된 파일({member_name(info)})이 들어 있습니다. "
            "보통의 ZIP(Deflate) 방식으로 다시 압축해 주세요.",
            "zip_method",
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for raw in _raw_chunks(f, info.compress_size, info):
            while raw and not inflater.eof:
                chunk = inflater.decompress(raw, INFLATE_CHUNK)
                raw = inflater.unconsumed_tail
                if chunk:
                    yield chunk
            if inflater.eof:
                break
    except zlib.error:
        raise _lying(info) from None
    if not inflater.eof:
        raise _lying(info)


def _raw_chunks(f, length, info):
    while length > 0:
        raw = f.read(min(READ_CHUNK, length))
        if not raw:
            raise _lying(info)
        length -= len(raw)
        yield raw


def _encrypted(info):
    return ArchiveRefused(
        f"암호가 걸린 파일({member_name(info)})이 들어 있어 내용을 확인할 수 없습니다.", "zip_encrypted"
    )


def _lying(info):
    return ArchiveRefused(
        f"압축 파일 안의 파일({member_name(info)})이 적힌 크기나 검사값(CRC)과 맞지 않습니다. "
        "손상되었거나 조작된 압축 파일입니다.",
        "zip_corrupt",
    )

