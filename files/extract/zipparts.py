"""Zip-based files (HWPX, DOCX, XLSX, PPTX): opening the zip and reading members and XML, bounded."""

import io
import zipfile

from defusedxml import ElementTree as SafeET

from .core import BROKEN, TOO_BIG_INSIDE, EncryptedError, ExtractError, _setting


def _open_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractError(BROKEN) from exc
    infos = archive.infolist()
    if len(infos) > 20_000:
        raise ExtractError("압축 안에 파일이 너무 많습니다.")
    if sum(info.file_size for info in infos) > _setting("EXTRACT_MAX_UNZIPPED_BYTES"):
        raise ExtractError("압축을 풀면 지나치게 커지는 파일입니다.")
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedError
    return archive


def _read_member(archive, name):
    cap = _setting("EXTRACT_MAX_MEMBER_BYTES")
    info = archive.getinfo(name)
    if info.file_size > cap:
        raise ExtractError(TOO_BIG_INSIDE)
    with archive.open(info) as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise ExtractError(TOO_BIG_INSIDE)
    return data


def _parse_xml(data):
    # defusedxml refuses entity declarations and external references (no XXE, no billion laughs)
    return SafeET.fromstring(data)


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
