"""Archives that lie and documents that run code: refused on upload, each with its own code.

Every sample is built here (zipfile, struct, zlib and the builders of test_extract and
test_filechecks). Each refused sample passed the upload checks before files/archives.py
and files/active.py existed; the "accepted" tests keep ordinary files passing.
"""

import base64
import binascii
import html
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from files import archives
from files.active import script_has_code
from files.checks import check_upload
from notices.models import Notice
from tests.factories import DepartmentFactory, NewsFactory, NoticeAttachmentFactory
from tests.test_admin import admin_url, management_form, news_form
from tests.test_extract import (
    build_cfb,
    build_docx,
    build_hwpx,
    build_pdf,
    build_pptx,
    build_xlsx,
    encrypt_pdf,
)
from tests.test_filechecks import hwp_bytes, zip_bytes

# --- helpers --------------------------------------------------------------------------------------


def upload(name, content):
    return SimpleUploadedFile(name, content)


def refused(name, content):
    """The ValidationError for ``content`` uploaded as ``name`` (the test fails if it is accepted)."""
    with pytest.raises(ValidationError) as info:
        check_upload(upload(name, content))
    return info.value


def accepted(name, content):
    return check_upload(upload(name, content)) == name


def members_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def with_members(data, extra, *, drop=()):
    """A copy of the ZIP-based ``data`` with ``extra`` members added (mimetype kept first, stored)."""
    members = {name: content for name, content in members_of(data).items() if name not in drop}
    members.update(extra)
    return zip_bytes(members, stored={"mimetype"})


# Offsets of the fields we rewrite, in the local header and in the central directory entry.
LOCAL_FIELDS = {"flags": (6, "<H"), "method": (8, "<H"), "crc": (14, "<I"), "size": (22, "<I")}
CENTRAL_FIELDS = {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<I"), "size": (24, "<I")}


def patched(data, member, *, local_only=False, **fields):
    """``data`` with ``member``'s header fields rewritten: the archive now says something else."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    for field, value in fields.items():
        offset, fmt = LOCAL_FIELDS[field]
        struct.pack_into(fmt, data, info.header_offset + offset, value)
    if not local_only:
        central = data.find(b"PK\x01\x02")
        while central >= 0:
            name_length = struct.unpack_from("<H", data, central + 28)[0]
            if data[central + 46:central + 46 + name_length] == info.orig_filename.encode():
                for field, value in fields.items():
                    offset, fmt = CENTRAL_FIELDS[field]
                    struct.pack_into(fmt, data, central + offset, value)
            central = data.find(b"PK\x01\x02", central + 46)
    return bytes(data)


def odf(kind="text", *, content_scripts="", body="공고 본문", extra=None):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
        f"<office:scripts>{content_scripts}</office:scripts>"
        f"<office:body><office:text><text:p>{body}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    members = {
        "mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(),
        "content.xml": content.encode(),
        "META-INF/manifest.xml": manifest.encode(),
    }
    members.update(extra or {})
    return zip_bytes(members, stored={"mimetype"})


ORDINARY_CONTAINERS = {
    "공고.docx": lambda: build_docx(["2026년 공고문", [["성명", "부서"], ["홍길동", "총무과"]]]),
    "명단.xlsx": lambda: build_xlsx({"명단": [["성명", "부서"], ["홍길동", "총무과"]]}),
    "보도.pptx": lambda: build_pptx([["보도자료"]]),
    "공고.hwpx": lambda: build_hwpx([["공고 본문", [["성명"], ["홍길동"]]]]),
    "문서.odt": odf,
}


# --- 1. archives that lie -----------------------------------------------------------------------


def test_member_that_inflates_past_its_declared_size_is_refused():
    bomb = zip_bytes({"안내.txt": b"\x00" * (4 * 1024 * 1024)})
    lying = patched(bomb, "안내.txt", size=1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:  # zipfile believes it: 1000 bytes
        assert archive.getinfo("안내.txt").file_size == 1000
    error = refused("붙임.zip", lying)
    assert error.code == "zip_corrupt"
    assert error.messages == [(
        "「붙임.zip」: 압축 파일 안의 파일(안내.txt)이 적힌 크기나 검사값(CRC)과 맞지 않습니다. "
        "손상되었거나 조작된 압축 파일입니다."
    )]


def test_member_shorter_than_declared_is_refused():
    archive = patched(zip_bytes({"안내.txt": b"x" * 5000}), "안내.txt", size=6000)
    assert refused("붙임.zip", archive).code == "zip_corrupt"


def test_member_with_a_wrong_crc_is_refused():
    archive = patched(zip_bytes({"안내.pdf": build_pdf([["notice"]])}), "안내.pdf", crc=0x12345678)
    assert refused("붙임.zip", archive).code == "zip_corrupt"


def test_stored_member_with_a_wrong_crc_is_refused():
    archive = zip_bytes({"안내.txt": b"stored as is"}, stored={"안내.txt"})
    assert refused("붙임.zip", patched(archive, "안내.txt", crc=1)).code == "zip_corrupt"


def test_local_header_naming_another_file_than_the_directory_is_refused():
    archive = zip_bytes({"readme.txt": b"hello"})
    # Same length, so only the local header's name changes: some unzip tools read that one.
    archive = archive.replace(b"readme.txt", b"readme.exe", 1)
    assert refused("붙임.zip", archive).code == "zip_corrupt"


def test_local_header_disagreeing_on_the_method_is_refused():
    archive = patched(zip_bytes({"안내.txt": b"x" * 100}), "안내.txt", local_only=True, method=0)
    assert refused("붙임.zip", archive).code == "zip_corrupt"


def test_empty_member_written_without_any_deflate_data_is_accepted():
    archive = zip_bytes({"빈 파일.txt": b"", "안내.txt": b"x"}, stored={"빈 파일.txt"})
    assert accepted("붙임.zip", patched(archive, "빈 파일.txt", method=zipfile.ZIP_DEFLATED))


def test_unsupported_compression_method_is_refused_in_korean():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("안내.txt", "안내문".encode() * 100)
    error = refused("붙임.zip", buffer.getvalue())
    assert error.code == "zip_method"
    assert "안내.txt" in error.messages[0]


@pytest.mark.parametrize("name", ORDINARY_CONTAINERS)
def test_lying_member_inside_a_document_container_is_refused(name):
    data = ORDINARY_CONTAINERS[name]()
    assert accepted(name, data)
    last = zipfile.ZipFile(io.BytesIO(data)).infolist()[-1].filename
    assert refused(name, patched(data, last, crc=0)).code == "zip_corrupt"


@override_settings(ZIP_MAX_UNCOMPRESSED_BYTES=1024 * 1024)
def test_lying_bomb_inside_a_docx_is_refused_though_its_declared_sizes_fit():
    data = with_members(build_docx(["공고"]), {"word/media/image1.png": b"\x00" * (8 * 1024 * 1024)})
    data = patched(data, "word/media/image1.png", size=10)
    assert refused("공고.docx", data).code == "zip_corrupt"


def test_encrypted_member_is_refused():
    archive = patched(zip_bytes({"명단.xlsx": b"x" * 100}, stored={"명단.xlsx"}), "명단.xlsx", flags=0x801)
    error = refused("붙임.zip", archive)
    assert error.code == "zip_encrypted"
    assert error.messages == ["「붙임.zip」: 암호가 걸린 파일(명단.xlsx)이 들어 있어 내용을 확인할 수 없습니다."]


def test_member_encrypted_only_in_its_local_header_is_refused():
    archive = patched(zip_bytes({"안내.txt": b"x" * 100}), "안내.txt", local_only=True, flags=0x1)
    assert refused("붙임.zip", archive).code == "zip_encrypted"


def test_aes_encrypted_member_is_refused():
    archive = patched(zip_bytes({"안내.txt": b"x" * 100}), "안내.txt", method=archives.AES_METHOD)
    assert refused("붙임.zip", archive).code == "zip_encrypted"


def test_encrypted_part_of_a_document_container_is_refused():
    data = build_hwpx([["본문"]])
    assert refused("공고.hwpx", patched(data, "Contents/section0.xml", flags=0x1)).code == "zip_encrypted"


NESTED_BY_NAME = ["자료.zip", "자료.7z", "자료.rar", "자료.gz", "자료.tgz", "자료.tar", "자료.bz2", "자료.xz",
                  "자료.alz", "자료.egg", "자료.cab", "폴더/자료.ZIP"]


@pytest.mark.parametrize("member", NESTED_BY_NAME)
def test_archive_inside_a_zip_is_refused_by_its_name(member):
    error = refused("붙임.zip", zip_bytes({"안내.pdf": build_pdf([["x"]]), member: b"not looked at"}))
    assert error.code == "zip_nested"
    assert error.messages[0].startswith(f"「붙임.zip」: 압축 파일 안에 다른 압축 파일({member})이 들어 있어")


def _tar():
    header = b"setup.exe".ljust(100, b"\x00") + b"\x00" * 157 + b"ustar\x0000"
    return header.ljust(512, b"\x00")


NESTED_BY_MAGIC = {
    "zip": lambda: zip_bytes({"setup.exe": b"MZ"}),
    "7z": lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 50,
    "rar": lambda: b"Rar!\x1a\x07\x01\x00" + b"\x00" * 50,
    "gzip": lambda: __import__("gzip").compress(b"MZ program"),
    "bzip2": lambda: __import__("bz2").compress(b"MZ program"),
    "xz": lambda: __import__("lzma").compress(b"MZ program"),
    "tar": _tar,
    "alz": lambda: b"ALZ\x01\x0a\x00\x00\x00" + b"\x00" * 50,
    "egg": lambda: b"EGGA\x00\x01" + b"\x00" * 50,
    "cab": lambda: b"MSCF\x00\x00\x00\x00" + b"\x00" * 50,
}


@pytest.mark.parametrize("kind", NESTED_BY_MAGIC)
def test_archive_inside_a_zip_is_refused_by_its_bytes_whatever_its_name(kind):
    archive = zip_bytes({"안내.pdf": build_pdf([["x"]]), "사진자료.dat": NESTED_BY_MAGIC[kind]()})
    assert refused("붙임.zip", archive).code == "zip_nested"


def test_member_names_written_in_cp949_are_shown_in_korean():
    placeholder, korean = b"abcd.7z", "명단.7z".encode("cp949")
    assert len(placeholder) == len(korean)
    archive = zip_bytes({placeholder.decode(): b"x"}).replace(placeholder, korean)
    assert refused("붙임.zip", archive).messages[0].startswith("「붙임.zip」: 압축 파일 안에 다른 압축 파일(명단.7z)이")


def test_zip_with_ordinary_documents_is_accepted_including_zip_based_ones():
    archive = zip_bytes({
        "붙임1.hwp": hwp_bytes(),
        "붙임2.pdf": build_pdf([["notice"]]),
        **{f"서식/{name}": build() for name, build in ORDINARY_CONTAINERS.items()},
        "명단.csv": "이름,부서\n홍길동,총무과\n".encode(),
        "빈폴더/": b"",
    })
    assert accepted("붙임.zip", archive)


def test_ordinary_document_containers_are_accepted():
    for name, build in ORDINARY_CONTAINERS.items():
        assert accepted(name, build()), name


# --- the inflating itself: caps, chunks -------------------------------------------------------


class Recorder:
    def __init__(self):
        self.chunks = []

    def feed(self, chunk):
        self.chunks.append(len(chunk))

    def close(self):
        pass


class ReadRecorder(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.reads = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def inflate_all(data, **caps):
    recorder, source = Recorder(), ReadRecorder(data)
    with zipfile.ZipFile(source) as archive:
        source.reads.clear()
        for _ in archives.verified_members(source, archive, reader_for=lambda info: recorder, **caps):
            pass
    return recorder, source


MB = 1024 * 1024


def test_inflating_stops_at_the_total_cap_without_reading_the_member_through():
    data = zip_bytes({"a.txt": b"\x00" * MB, "b.txt": b"\x00" * (40 * MB)})
    with pytest.raises(archives.ArchiveTooLarge) as info:
        inflate_all(data, max_total=2 * MB, max_member=100 * MB)
    assert info.value.cap == 2 * MB


def test_inflating_stops_soon_after_the_per_member_cap():
    recorder = Recorder()
    source = io.BytesIO(zip_bytes({"zeros.txt": b"\x00" * (40 * MB)}))
    with zipfile.ZipFile(source) as archive, pytest.raises(archives.ArchiveTooLarge) as info:
        for _ in archives.verified_members(
            source, archive, max_total=100 * MB, max_member=MB, reader_for=lambda member: recorder
        ):
            pass
    assert info.value.cap == MB
    assert sum(recorder.chunks) <= MB  # the chunk that went past the cap is never handed on


def test_members_are_inflated_and_read_in_bounded_chunks():
    data = zip_bytes({"a.bin": bytes(range(256)) * 40_000, "b.txt": b"\x00" * (20 * MB)})
    recorder, source = inflate_all(data, max_total=100 * MB, max_member=100 * MB)
    assert sum(recorder.chunks) == 256 * 40_000 + 20 * MB
    assert max(recorder.chunks) <= archives.INFLATE_CHUNK
    assert source.reads and all(0 <= size <= archives.READ_CHUNK for size in source.reads), source.reads


@override_settings(ZIP_MAX_MEMBER_BYTES=MB)
def test_per_member_cap_setting_refuses_a_member_declared_larger():
    archive = zip_bytes({"a.txt": b"\x00" * (MB // 2), "b.txt": b"\x00" * (2 * MB)})
    error = refused("붙임.zip", archive)
    assert error.code == "zip_bomb"
    assert "1MB를 넘는" in error.messages[0]


# --- 2. active content: old binary Office files ----------------------------------------------

OFFICE_MAIN_STREAMS = {"doc": "WordDocument", "xls": "Workbook", "ppt": "PowerPoint Document"}


def ppt_records(*children):
    document_atom = struct.pack("<HHI", 0x0001, 0x03E9, 40) + b"\x00" * 40
    body = document_atom + b"".join(children)
    return struct.pack("<HHI", 0x000F, 0x03E8, len(body)) + body


VBA_INFO = struct.pack("<HHI", 0x000F, 0x03FF, 20) + struct.pack("<HHI", 0x0002, 0x0400, 12) + struct.pack(
    "<III", 1, 1, 2
)


def office(ext, **streams):
    main = ppt_records() if ext == "ppt" else b"\xec\xa5" + b"\x00" * 510
    return build_cfb({OFFICE_MAIN_STREAMS[ext]: main, **streams})


@pytest.mark.parametrize(
    "ext, storage",
    [
        ("doc", "Macros/VBA/_VBA_PROJECT"),
        ("doc", "Macros/PROJECT"),
        ("xls", "_VBA_PROJECT_CUR/VBA/_VBA_PROJECT"),
        ("xls", "_VBA_PROJECT_CUR/PROJECT"),
        ("ppt", "VBA/dir"),
        ("doc", "ObjectPool/_1234/Macros/VBA/dir"),  # a macro document embedded in the document
    ],
)
def test_vba_macros_in_old_office_files_are_refused(ext, storage):
    error = refused(f"공고.{ext}", office(ext, **{storage: b"\x01" * 64}))
    assert error.code == "ole_macro"
    assert error.messages == [
        f"「공고.{ext}」: 매크로가 들어 있는 문서는 올릴 수 없습니다. 매크로를 지운 파일이나 PDF로 올려 주세요."
    ]


def test_vba_project_kept_inside_a_ppt_main_stream_is_refused():
    data = build_cfb({"PowerPoint Document": ppt_records(VBA_INFO), "Current User": b"\x00" * 20})
    assert refused("발표.ppt", data).code == "ole_macro"


@pytest.mark.parametrize("ext", OFFICE_MAIN_STREAMS)
def test_old_office_files_without_macros_are_accepted(ext):
    streams = {"\x05SummaryInformation": b"\x00" * 64, "1Table": b"\x00" * 64}
    assert accepted(f"공고.{ext}", office(ext, **streams))


# --- active content: HWP 5 document scripts --------------------------------------------------

DEFAULT_HEADER = "var Documents = XHwpDocuments;\r\nvar Document = Documents.Active_XHwpDocument;\r\n"
DEFAULT_SOURCE = (
    "function OnDocument_New()\r\n{\r\n\t//todo : \r\n}\r\n\r\n"
    "function OnDocument_Open()\r\n{\r\n\t//todo : \r\n}\r\n\r\n"
)


def default_jscript(header=DEFAULT_HEADER, source=DEFAULT_SOURCE, pre="", post=""):
    """DefaultJScript as the HWP 5 spec lays it out: four counted UTF-16 strings and -1."""
    parts = b"".join(struct.pack("<I", len(text.encode("utf-16-le")) // 2) + text.encode("utf-16-le")
                     for text in (header, source, pre, post))
    return parts + struct.pack("<i", -1)


def raw_deflate(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def hwp_with_script(script, *, compressed=True):
    header = b"HWP Document File".ljust(32, b"\x00") + struct.pack("<II", 0x05000300, 1 if compressed else 0)
    pack = raw_deflate if compressed else bytes
    section = struct.pack("<I", 67 | 1 << 10 | 4 << 20) + "공고".encode("utf-16-le")
    return build_cfb({
        "FileHeader": header.ljust(256, b"\x00"),
        "DocInfo": pack(b""),
        "BodyText/Section0": pack(section),
        "Scripts/DefaultJScript": pack(script),
        "Scripts/JScriptVersion": pack(struct.pack("<II", 0, 1)),
    })


FORM_HEADER = DEFAULT_HEADER + 'var CheckBox1 = Document.XHwpFormCheckButtons.ItemFromName("CheckBox1");\r\n'


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize(
    "script",
    [
        default_jscript(),
        default_jscript(source="function OnDocument_New()\r\n{\r\n}\r\n"
                               "function OnDocument_Open()\r\n{\r\n}\r\n"),
        default_jscript(header=FORM_HEADER),  # a form control adds its own declaration
        default_jscript(source="/* 빈 스크립트 */\r\n" + DEFAULT_SOURCE),
    ],
    ids=["default", "default-without-todo", "form-control", "comments"],
)
def test_hwp_with_hangul_default_script_is_accepted(script, compressed):
    assert accepted("공고문.hwp", hwp_with_script(script, compressed=compressed))


SCRIPTED_SOURCE = DEFAULT_SOURCE.replace(
    "function OnDocument_Open()\r\n{\r\n\t//todo : \r\n}",
    'function OnDocument_Open()\r\n{\r\n\tvar shell = new ActiveXObject("WScript.Shell");\r\n'
    '\tshell.Run("powershell -enc AAAA", 0);\r\n}',
)


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize(
    "script",
    [
        default_jscript(source=SCRIPTED_SOURCE),
        default_jscript(header=DEFAULT_HEADER + 'new ActiveXObject("WScript.Shell").Run("calc");\r\n'),
        default_jscript(post='XHwpMessageBox.String = "x"; XHwpMessageBox.DoModal();'),
        default_jscript(source='var url = "http://x//"; OnDocument_Open(); ' + DEFAULT_SOURCE),
        b"\x10\x00\x00\x00garbage that is not the documented layout",
    ],
    ids=["in-handler", "in-header", "post-source", "after-a-string-with-slashes", "undocumented-layout"],
)
def test_hwp_with_a_real_document_script_is_refused(script, compressed):
    error = refused("공고문.hwp", hwp_with_script(script, compressed=compressed))
    assert error.code == "hwp_script"
    assert error.messages == [(
        "「공고문.hwp」: 문서 스크립트(매크로)가 들어 있는 한글 문서는 올릴 수 없습니다. "
        "스크립트를 지운 파일이나 PDF로 올려 주세요."
    )]


def test_hwp_without_scripts_is_accepted():
    assert accepted("공고문.hwp", hwp_bytes())


def test_default_script_judge_strips_only_what_hangul_writes():
    assert not script_has_code(DEFAULT_HEADER + DEFAULT_SOURCE)
    assert script_has_code(DEFAULT_HEADER + DEFAULT_SOURCE + "{ ComboBox.Enabled = 1; }")
    assert script_has_code("var Documents = XHwpDocuments; var x = 1;")
    assert script_has_code('var A = Document.XHwpFormEdits.ItemFromName("B");')  # names must agree
    # JScript conditional compilation runs what looks like a comment.
    assert script_has_code(DEFAULT_HEADER + '/*@cc_on @*/ /*@ new ActiveXObject("WScript.Shell").Run(1); @*/')
    assert script_has_code(DEFAULT_HEADER + "//@cc_on\n")


# --- active content: HWPX ------------------------------------------------------------------


def hwpx_with_scripts(header, source):
    return with_members(build_hwpx([["공고 본문"]]), {
        "Scripts/headerScripts": header.encode("utf-16-le"),
        "Scripts/sourceScripts": source.encode("utf-16-le"),
    })


def test_hwpx_with_hangul_default_scripts_is_accepted():
    assert accepted("공고문.hwpx", hwpx_with_scripts(FORM_HEADER, DEFAULT_SOURCE))


@pytest.mark.parametrize("header, source", [(DEFAULT_HEADER, SCRIPTED_SOURCE),
                                            (DEFAULT_HEADER + "XHwpDocuments.Add(1);\r\n", DEFAULT_SOURCE)])
def test_hwpx_with_script_code_is_refused(header, source):
    error = refused("공고문.hwpx", hwpx_with_scripts(header, source))
    assert error.code == "hwpx_script"
    assert "문서 스크립트(매크로)가 들어 있는 한글 문서" in error.messages[0]


# --- active content: ODF -------------------------------------------------------------------

MACRO_LISTENER = (
    '<office:event-listeners><script:event-listener script:language="ooo:script" script:event-name="dom:load"'
    ' xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"'
    ' xlink:type="simple"/></office:event-listeners>'
)


@pytest.mark.parametrize(
    "document",
    [
        lambda: odf(extra={"Basic/Standard/Module1.xml": b'<script:module>Sub Main\nShell("calc")\nEnd Sub'}),
        lambda: odf(extra={"Scripts/python/run.py": b"import os\nos.system('calc')\n"}),
        lambda: odf(content_scripts=MACRO_LISTENER),
        # the same, with the prefix renamed and the URL hidden behind a character reference
        lambda: odf(content_scripts=MACRO_LISTENER.replace("script:event", "s:event")
                    .replace("script:language", "s:language")
                    .replace(' xlink:href="vnd.sun.star.script:', ' x="')),
        lambda: odf(body='<text:a xlink:href="vnd&#46;sun.star.script:Standard.Module1.Main">여기</text:a>'),
        lambda: odf(content_scripts='<office:script script:language="ooo:Basic">Sub Main</office:script>'),
        lambda: odf(body='<text:a xlink:href="vnd.sun.star.script:Standard.Module1.Main?location=document">'
                         "여기</text:a>"),
        lambda: odf(body='<text:a xlink:href="macro:///Standard.Module1.Main">여기</text:a>'),
        lambda: with_members(odf(), {"META-INF/manifest.xml": (
            b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            b'<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml"'
            b' manifest:media-type="text/xml"/>'
            b"</manifest:manifest>")}),
    ],
    ids=["basic-module", "python-script", "event-listener", "renamed-prefix-listener", "char-ref-link",
         "office-script",
         "script-link", "macro-link", "manifest-entry"],
)
def test_odf_with_macros_is_refused(document):
    error = refused("문서.odt", document())
    assert error.code == "odf_macro"
    assert error.messages[0] == (
        "「문서.odt」: 매크로가 들어 있는 문서는 올릴 수 없습니다. 매크로를 지운 파일이나 PDF로 올려 주세요."
    )


def test_odf_with_empty_scripts_element_and_library_index_only_is_accepted():
    document = odf(body="매크로(macro: 자동 실행)라는 낱말은 본문일 뿐입니다",
                   extra={"Basic/script-lc.xml": b"<library:libraries/>"})
    assert accepted("문서.odt", document)


# --- active content: OOXML ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, build, part, code",
    [
        ("공고.docx", lambda: build_docx(["공고"]), "word/activeX/activeX1.xml", "activex"),
        ("공고.docx", lambda: build_docx(["공고"]), "word/activeX/activeX1.bin", "activex"),
        ("명단.xlsx", lambda: build_xlsx({"명단": [["a"]]}), "xl/activeX/activeX1.bin", "activex"),
        ("보도.pptx", lambda: build_pptx([["a"]]), "ppt/activeX/activeX1.xml", "activex"),
        ("명단.xlsx", lambda: build_xlsx({"명단": [["a"]]}), "xl/macrosheets/sheet1.xml", "ooxml_macro"),
        ("공고.docx", lambda: build_docx(["공고"]), "word/vbaData.xml", "ooxml_macro"),
    ],
)
def test_ooxml_with_activex_or_macro_parts_is_refused(name, build, part, code):
    error = refused(name, with_members(build(), {part: b"<ax:ocx/>"}))
    assert error.code == code


def test_ooxml_vba_project_is_still_refused():
    document = with_members(build_docx(["공고"]), {"word/vbaProject.bin": b"\x00" * 64})
    assert refused("공고.docx", document).code == "macro"


# --- active content: PDF -----------------------------------------------------------------------


def make_pdf(catalog_extra=b"", *, page_extra=b"", objects=None, packed=None, filters=b"/FlateDecode",
             encode=zlib.compress, content=b"BT /F1 12 Tf 72 720 Td (Notice) Tj ET", user_password=None):
    """A one-page PDF 1.5 with an xref stream; ``packed`` objects go into one object stream (50).

    With ``user_password`` (``""`` opens without asking) the object stream is RC4-encrypted;
    nothing else is, as only the object stream is read back.
    """
    trailer_extra = b""
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + page_extra + b" >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        **(objects or {}),
    }
    packed = packed or {}
    if packed:
        numbers = sorted(packed)
        offsets, body = [], b""
        for number in numbers:
            offsets.append(b"%d %d" % (number, len(body)))
            body += packed[number] + b"\n"
        index = b" ".join(offsets) + b"\n"
        data = encode(index + body)
        if user_password is not None:
            data, bodies[49], trailer_extra = _encrypted(data, 50, user_password)
        bodies[50] = (b"<< /Type /ObjStm /N %d /First %d /Filter %s /Length %d >>\nstream\n"
                      % (len(numbers), len(index), filters, len(data)) + data + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), {}
    for number in sorted(bodies):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + bodies[number] + b"\nendobj\n"
    xref_number = max([*bodies, *packed]) + 1
    offsets[xref_number] = len(out)
    rows = b""
    for number in range(xref_number + 1):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in packed:
            rows += struct.pack(">BIH", 2, 50, sorted(packed).index(number))
        else:
            rows += struct.pack(">BIH", 0, 0, 0xFFFF)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R %s /Length %d >>\nstream\n"
            % (xref_number, xref_number + 1, trailer_extra, len(rows)) + rows + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def _encrypted(data, number, user_password):
    """RC4-128 (standard security handler, R3) by pypdf's own key computation."""
    from pypdf._encryption import EncryptAlgorithm, Encryption
    from pypdf.generic import StreamObject

    first_id = b"0123456789abcdef"
    encryption = Encryption.make(EncryptAlgorithm.RC4_128, -4, first_id)
    entry = io.BytesIO()
    encryption.write_entry(user_password, "owner").write_to_stream(entry)
    stream = StreamObject()
    stream.set_data(data)
    encrypted = encryption.encrypt_object(stream, number, 0).get_data()
    return encrypted, entry.getvalue(), b"/Encrypt 49 0 R /ID [<%s> <%s>]" % ((first_id.hex().encode(),) * 2)


def test_handmade_pdf_with_an_object_stream_is_read_by_pypdf():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(make_pdf(b"/PageMode 60 0 R", packed={60: b"/UseNone"})))
    assert reader.trailer["/Root"]["/PageMode"] == "/UseNone"
    assert len(reader.pages) == 1
    data = make_pdf(b"/PageMode 60 0 R", packed={60: b"/UseNone"}, user_password="")
    encrypted = PdfReader(io.BytesIO(data))
    assert encrypted.is_encrypted and encrypted.decrypt("")
    assert encrypted.get_object(60) == "/UseNone"


JS_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


@pytest.mark.parametrize(
    "pdf, code",
    [
        (lambda: make_pdf(b"/OpenAction " + JS_ACTION), "pdf_javascript"),
        (lambda: make_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
         "pdf_javascript"),
        (lambda: make_pdf(page_extra=b"/AA << /O " + JS_ACTION + b" >>"), "pdf_javascript"),
        (lambda: make_pdf(b"/Names << /JavaScript << /Names [(a) 5 0 R] >> >>", objects={5: JS_ACTION}),
         "pdf_javascript"),
        (lambda: make_pdf(b"/OpenAction << /JS 5 0 R >>", objects={5: b"(app.alert\\(1\\))"}),
         "pdf_javascript"),
        (lambda: make_pdf(b"/OpenAction << /J#53 (app.alert\\(1\\)) >>"), "pdf_javascript"),
        (lambda: make_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "pdf_launch"),
        (lambda: make_pdf(b"/OpenAction << /S /#4C#61#75#6E#63#68 /F (cmd.exe) >>"), "pdf_launch"),
        (lambda: make_pdf(b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
                          objects={5: b"<< /Type /Filespec /F (a.exe) >>"}), "pdf_embedded_file"),
        (lambda: make_pdf(objects={5: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"}),
         "pdf_embedded_file"),
        (lambda: make_pdf(page_extra=b"/Annots [<< /Type /Annot /Subtype /FileAttachment /FS 5 0 R >>]"),
         "pdf_embedded_file"),
    ],
    ids=["openaction-js", "hex-escaped", "page-aa", "names-tree", "js-without-type", "escaped-js-only",
         "launch",
         "hex-escaped-launch", "embedded-files", "embedded-file-stream", "file-attachment-annotation"],
)
def test_pdf_with_active_content_is_refused(pdf, code):
    error = refused("공고.pdf", pdf())
    assert error.code == code
    assert error.messages[0].startswith("「공고.pdf」: ")


def pdf_with_name_at(name_bytes, offset, value=b"(app.alert\\(1\\))"):
    """A PDF whose catalog holds ``name_bytes value`` starting exactly at byte ``offset``."""
    def build(padding):
        return make_pdf(b"/Pad (" + b"x" * padding + b") " + name_bytes + b" " + value)

    probe = build(0)
    return build(offset - probe.find(name_bytes))


@pytest.mark.parametrize("shift", range(0, 40, 3))
@pytest.mark.parametrize("name", [b"/OpenAction << /S /JavaScript", b"/OpenAction << /S /J#61v#61Script",
                                  b"/OpenAction << /JS", b"/OpenAction << /J#53"])
def test_names_split_across_read_chunks_are_found(name, shift):
    data = pdf_with_name_at(name, 64 * 1024 - len(name) + 2 + shift)
    assert refused("공고.pdf", data).code == "pdf_javascript"


@pytest.mark.parametrize("shift", range(0, 16, 2))
def test_longer_names_split_across_read_chunks_are_not_mistaken(shift):
    data = pdf_with_name_at(b"/JavaScriptEnabled", 64 * 1024 - 12 + shift, value=b"false")
    assert accepted("공고.pdf", data)


def test_pdf_javascript_message():
    assert refused("공고.pdf", make_pdf(b"/OpenAction " + JS_ACTION)).messages == [
        "「공고.pdf」: 자바스크립트가 들어 있는 PDF는 올릴 수 없습니다. 스크립트가 없는 PDF로 다시 저장해 올려 주세요."
    ]


def run_length(data):
    runs = (data[i:i + 128] for i in range(0, len(data), 128))
    return b"".join(bytes([len(run) - 1]) + run for run in runs) + b"\x80"


OBJECT_STREAM_ENCODINGS = {
    "flate": (b"/FlateDecode", zlib.compress),
    "abbreviated": (b"/Fl", zlib.compress),
    "hex-then-flate": (b"[/ASCIIHexDecode /FlateDecode]",
                       lambda data: binascii.hexlify(zlib.compress(data)) + b">"),
    "ascii85": (b"/ASCII85Decode", lambda data: base64.a85encode(data) + b"~>"),
    "run-length-then-flate": (b"[/RunLengthDecode /FlateDecode]",
                              lambda data: run_length(zlib.compress(data))),
    "hex-escaped-filter": (b"/Fl#61teDecode", zlib.compress),
}


@pytest.mark.parametrize("encoding", OBJECT_STREAM_ENCODINGS)
def test_javascript_hidden_in_a_compressed_object_stream_is_refused(encoding):
    filters, encode = OBJECT_STREAM_ENCODINGS[encoding]
    data = make_pdf(b"/OpenAction 60 0 R", packed={60: JS_ACTION}, filters=filters, encode=encode)
    assert b"JavaScript" not in data
    assert refused("공고.pdf", data).code == "pdf_javascript"


def test_object_stream_whose_data_starts_right_after_the_keyword_is_still_read():
    data = make_pdf(b"/OpenAction 60 0 R", packed={60: JS_ACTION}).replace(b"stream\nx\x9c", b"streamx\x9c")
    assert b"streamx\x9c" in data
    assert refused("공고.pdf", data).code == "pdf_javascript"


def test_launch_hidden_in_an_object_stream_with_escaped_names_is_refused():
    data = make_pdf(b"/OpenAction 60 0 R", packed={60: b"<< /S /L#61unch /F (cmd.exe) >>"})
    data = data.replace(b"/Type /ObjStm", b"/Type /Obj#53tm")
    assert refused("공고.pdf", data).code == "pdf_launch"


@pytest.mark.parametrize(
    "filters, encode",
    [(b"/DCTDecode", bytes), (b"/FlateDecode", lambda data: b"\x78\x9c not deflate at all")],
    ids=["image-filter", "corrupt"],
)
def test_object_stream_that_cannot_be_read_is_refused(filters, encode):
    data = make_pdf(b"/OpenAction 60 0 R", packed={60: b"<< /S /GoTo /D [3 0 R /Fit] >>"}, filters=filters,
                    encode=encode)
    assert refused("공고.pdf", data).code == "pdf_unreadable"


@override_settings(PDF_MAX_INFLATED_BYTES=MB)
def test_object_stream_inflating_past_the_cap_is_refused():
    data = make_pdf(b"/PageMode 60 0 R", packed={60: b"/UseNone %" + b" " * (2 * MB)})
    assert refused("공고.pdf", data).code == "pdf_unreadable"


def test_ordinary_pdfs_are_accepted():
    assert accepted("공고.pdf", build_pdf([["Notice 2026-123"], ["page two"]]))
    # GoTo as the open action, an object stream of ordinary objects, and compressed bytes
    # that happen to spell /JS inside a stream.
    data = make_pdf(b"/OpenAction [3 0 R /Fit] /Outlines 60 0 R",
                    packed={60: b"<< /Type /Outlines /Count 0 >>", 61: b"<< /S /GoTo /D [3 0 R /Fit] >>"},
                    content=b"q \x8f/JS\n\x01\x02 Q")
    assert accepted("공고.pdf", data)


def test_owner_password_pdf_is_accepted_and_its_javascript_still_found():
    assert accepted("공고.pdf", encrypt_pdf(build_pdf([["Notice"]]), "", "owner", "AES-128"))
    scripted = make_pdf(b"/OpenAction " + JS_ACTION)
    assert refused("공고.pdf", encrypt_pdf(scripted, "", "owner", "RC4-128")).code == "pdf_javascript"


def test_javascript_in_an_encrypted_object_stream_is_refused_when_the_pdf_opens_without_a_password():
    data = make_pdf(b"/OpenAction 60 0 R", packed={60: JS_ACTION}, user_password="")
    assert b"JavaScript" not in data and zlib.compress(JS_ACTION) not in data
    assert refused("공고.pdf", data).code == "pdf_javascript"
    assert accepted("공고.pdf", make_pdf(b"/PageMode 60 0 R", packed={60: b"/UseNone"}, user_password=""))


def test_pdf_that_needs_a_password_to_open_is_not_looked_into():
    # Nobody opens it without the password, so nothing in it runs unasked; nor can we read it.
    assert accepted("공고.pdf", make_pdf(b"/OpenAction 60 0 R", packed={60: JS_ACTION}, user_password="비밀"))


def test_pdf_is_read_in_bounded_chunks():
    data = make_pdf(objects={5: b"<< /Length 3000000 >>\nstream\n" + b"\x00" * 3_000_000 + b"\nendstream"},
                    packed={60: b"<< /Type /Outlines /Count 0 >>"})
    source = ReadRecorder(data)
    from django.core.files import File

    check_upload(File(source, name="공고.pdf"))
    assert all(size is not None and 0 < size <= 64 * 1024 for size in source.reads), source.reads


# --- every refusal has its own code ---------------------------------------------------------------


def test_codes_are_distinct_per_reason():
    samples = {
        "zip_corrupt": ("붙임.zip", patched(zip_bytes({"a.txt": b"x"}), "a.txt", crc=0)),
        "zip_encrypted": ("붙임.zip", patched(zip_bytes({"a.txt": b"x"}), "a.txt", flags=1)),
        "zip_nested": ("붙임.zip", zip_bytes({"a.7z": b"x"})),
        "ole_macro": ("공고.doc", office("doc", **{"Macros/VBA/dir": b"x" * 64})),
        "hwp_script": ("공고.hwp", hwp_with_script(default_jscript(source=SCRIPTED_SOURCE))),
        "hwpx_script": ("공고.hwpx", hwpx_with_scripts(DEFAULT_HEADER, SCRIPTED_SOURCE)),
        "odf_macro": ("문서.odt", odf(content_scripts=MACRO_LISTENER)),
        "activex": ("공고.docx", with_members(build_docx(["a"]), {"word/activeX/activeX1.bin": b"x"})),
        "pdf_javascript": ("공고.pdf", make_pdf(b"/OpenAction " + JS_ACTION)),
        "pdf_launch": ("공고.pdf", make_pdf(b"/OpenAction << /S /Launch /F (x) >>")),
        "pdf_embedded_file": ("공고.pdf", make_pdf(b"/Names << /EmbeddedFiles 5 0 R >>")),
    }
    reasons = set()
    for code, (name, data) in samples.items():
        error = refused(name, data)
        assert error.code == code
        reasons.add(error.messages[0].split(": ", 1)[1])
    assert len(reasons) >= 8  # macros in different formats may share wording, not codes


# --- through the admin ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("공고.pdf", make_pdf(b"/OpenAction " + JS_ACTION),
         "자바스크립트가 들어 있는 PDF는 올릴 수 없습니다."),
        ("붙임.zip", patched(zip_bytes({"안내.txt": b"\x00" * 100_000}), "안내.txt", size=10),
         "압축 파일 안의 파일(안내.txt)이 적힌 크기나 검사값(CRC)과 맞지 않습니다."),
        ("공고.doc", office("doc", **{"Macros/VBA/dir": b"x" * 64}),
         "매크로가 들어 있는 문서는 올릴 수 없습니다. 매크로를 지운 파일이나 PDF로 올려 주세요."),
    ],
    ids=["pdf-javascript", "lying-zip", "doc-macro"],
)
def test_refused_upload_through_the_admin_change_form_keeps_the_post(
    admin_client, settings, tmp_path, name, content, reason
):
    settings.MEDIA_ROOT = tmp_path
    department = DepartmentFactory(name="도시계획과")
    post = NewsFactory(title="원래 제목", department=department)
    original = build_pdf([["original"]])
    existing = NoticeAttachmentFactory(post=post, file=ContentFile(original, name="원래 붙임.pdf"))
    stored_before = sorted(path.name for path in tmp_path.rglob("*") if path.is_file())
    data = news_form(
        department,
        title="고친 제목",
        **management_form("attachments", total=2, initial=1),
        **{
            "attachments-0-id": str(existing.pk), "attachments-0-post": str(post.pk),
            "attachments-0-order": "0",
            "attachments-1-file": SimpleUploadedFile(name, content), "attachments-1-order": "1",
        },
    )
    response = admin_client.post(admin_url(Notice, "change", post.pk), data)

    assert response.status_code == 200
    assert f"「{name}」: {reason}" in html.unescape(response.content.decode())
    post.refresh_from_db()
    assert post.title == "원래 제목"
    assert list(post.attachments.values_list("pk", "original_name", "file")) == [
        (existing.pk, "원래 붙임.pdf", existing.file.name)
    ]
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == stored_before
    with default_storage.open(existing.file.name, "rb") as stored:
        assert stored.read() == original
