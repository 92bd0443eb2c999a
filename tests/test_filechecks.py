"""Upload checks: each allowed format accepted when real, refused when renamed or dangerous."""

import io
import struct
import unicodedata
import zipfile

import docx
import olefile
import openpyxl
import pptx
import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.test import override_settings
from PIL import Image

from files.checks import (
    IMAGE_KINDS,
    UploadValidator,
    check_total_size,
    check_upload,
    validate_attachment,
    validate_image,
)

# --- building real files --------------------------------------------------------------------

OLE_END, OLE_FREE, OLE_FATSECT, OLE_NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams):
    """A minimal valid OLE2 compound file (v3, 512-byte sectors) holding the given streams.

    olefile cannot write new files, so the test builds one: header, one FAT sector, one
    directory sector, then each stream padded to >= 4096 bytes so no mini stream is needed.
    """
    assert len(streams) <= 3  # root + 3 entries fill the one directory sector
    fat = [OLE_FATSECT, OLE_END]
    data, starts, sizes = b"", [], []
    for content in streams.values():
        content = content.ljust(4096, b"\x00")
        content += b"\x00" * (-len(content) % 512)
        first = 2 + len(data) // 512
        count = len(content) // 512
        fat += [first + i + 1 for i in range(count - 1)] + [OLE_END]
        starts.append(first)
        sizes.append(len(content))
        data += content
    fat += [OLE_FREE] * (128 - len(fat))

    def entry(name, kind, child=OLE_NOSTREAM, right=OLE_NOSTREAM, start=OLE_END, size=0):
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB3I", len(encoded), kind, 1, OLE_NOSTREAM, right, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, child=1 if names else OLE_NOSTREAM)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else OLE_NOSTREAM
        directory += entry(name, 2, right=right, start=starts[i], size=sizes[i])
    directory = directory.ljust(512, b"\x00")
    for i in range(len(names) + 1, 4):  # unused entries still need NOSTREAM links
        links = i * 128 + 68
        directory = directory[:links] + struct.pack("<3I", *[OLE_NOSTREAM] * 3) + directory[links + 12:]

    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, OLE_END, 0, OLE_END, 0)
        + struct.pack("<109I", 0, *[OLE_FREE] * 108)
    )
    return header + struct.pack("<128I", *fat) + directory + data


def hwp_bytes():
    file_header = b"HWP Document File".ljust(32, b"\x00") + struct.pack("<II", 0x05000300, 1)
    return compound_file({"FileHeader": file_header.ljust(256, b"\x00"), "DocInfo": b"\x01" * 100})


def zip_bytes(members, *, stored=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name in stored else None)
    return buffer.getvalue()


def hwpx_bytes(mimetype=b"application/hwp+zip"):
    return zip_bytes(
        {
            "mimetype": mimetype,
            "version.xml": b'<?xml version="1.0"?><hv:HCFVersion xmlns:hv="x"/>',
            "Contents/content.hpf": b'<?xml version="1.0"?><opf:package xmlns:opf="x"/>',
            "Contents/section0.xml": "<hs:sec>공고 본문</hs:sec>".encode(),
        },
        stored={"mimetype"},
    )


def odf_bytes(kind):
    return zip_bytes(
        {"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(),
         "content.xml": b"<office:document-content/>",
         "META-INF/manifest.xml": b"<manifest:manifest/>"},
        stored={"mimetype"},
    )


def docx_bytes():
    document = docx.Document()
    document.add_paragraph("2026년 공고문")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "채용분야"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_bytes():
    presentation = pptx.Presentation()
    presentation.slides.add_slide(presentation.slide_layouts[0]).shapes.title.text = "보도자료"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def image_bytes(fmt, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, (16, 12), "#256ef4").save(buffer, fmt)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def named(name, content):
    """A File that keeps its name exactly as given (UploadedFile would take the basename)."""
    return File(io.BytesIO(content), name=name)


def refusal(file, **kwargs):
    with pytest.raises(ValidationError) as info:
        check_upload(file, **kwargs)
    return info.value.messages[0]


# --- accepted ----------------------------------------------------------------------------

ACCEPTED = {
    "공고문.hwp": hwp_bytes,
    "계약서.doc": lambda: compound_file({"WordDocument": b"\xec\xa5" + b"\x00" * 200}),
    "명단.xls": lambda: compound_file({"Workbook": b"\x09\x08" + b"\x00" * 200}),
    "발표.ppt": lambda: compound_file({"PowerPoint Document": b"\x0f\x00" + b"\x00" * 200}),
    "공고문.hwpx": hwpx_bytes,
    "공고문.docx": docx_bytes,
    "채용.xlsx": xlsx_bytes,
    "보도.pptx": pptx_bytes,
    "문서.odt": lambda: odf_bytes("text"),
    "표.ods": lambda: odf_bytes("spreadsheet"),
    "발표.odp": lambda: odf_bytes("presentation"),
    "공고문.pdf": lambda: PDF,
    "사진.jpg": lambda: image_bytes("JPEG"),
    "사진.JPEG": lambda: image_bytes("JPEG"),
    "지도.png": lambda: image_bytes("PNG", "RGBA"),
    "배너.gif": lambda: image_bytes("GIF", "P"),
    "사진.webp": lambda: image_bytes("WEBP"),
    "안내.txt": lambda: "금천구청 안내문\n".encode(),
    "안내(BOM).txt": lambda: "\ufeff금천구청 안내문\n".encode(),
    "명단.csv": lambda: "이름,부서\n홍길동,총무과\n".encode("cp949"),
    "붙임.zip": lambda: zip_bytes({"붙임1.hwp": hwp_bytes(), "붙임2.pdf": PDF}),
    # HWP 3.x predates compound files; old 공고 archives still have them.
    "옛공고.hwp": lambda: b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + b"\x00" * 200,
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_each_allowed_type_is_accepted(name):
    file = upload(name, ACCEPTED[name]())
    file.read(5)  # checks must not depend on, and must reset, the read position
    assert check_upload(file) == name
    assert file.tell() == 0


def test_handmade_compound_file_is_a_real_one():
    ole = olefile.OleFileIO(hwp_bytes())
    assert ole.listdir() == [["DocInfo"], ["FileHeader"]]
    assert ole.openstream("FileHeader").read(17) == b"HWP Document File"


# --- refused by content ------------------------------------------------------------------

def test_renamed_exe_as_pdf_is_refused():
    assert refusal(upload("공고.pdf", EXE)) == "「공고.pdf」: 실행 파일은 올릴 수 없습니다."


@pytest.mark.parametrize(
    "name, content",
    [
        ("공고.hwp", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100),
        ("안내.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("사진.jpg", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100),
    ],
)
def test_executable_content_is_refused_whatever_the_name(name, content):
    assert "실행 파일" in refusal(upload(name, content))


def test_text_starting_like_a_dos_header_is_still_text():
    assert check_upload(upload("설문.csv", "MZ세대,응답 수\n20대,35\n".encode())) == "설문.csv"


@pytest.mark.parametrize(
    "name, content",
    [
        ("사진.jpg", image_bytes("PNG")),
        ("공고.pdf", docx_bytes()),
        ("공고.docx", xlsx_bytes()),
        ("공고.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "readme.txt": b"x"})),
        ("공고.hwp", compound_file({"WordDocument": b"\x00" * 10})),
        ("공고.hwp", compound_file({"FileHeader": b"Not a HWP file".ljust(256, b"\x00")})),
        ("명단.xls", compound_file({"WordDocument": b"\x00" * 10})),
        ("공고.hwpx", hwpx_bytes(mimetype=b"application/zip")),
        ("공고.hwpx", zip_bytes({"mimetype": b"application/hwp+zip"})),
        ("문서.ods", odf_bytes("text")),
        ("안내.txt", b"\x00\x01\x02binary\xff\xfe"),
        ("안내.txt", b"\xff\xff\xff\xff"),
        ("붙임.zip", PDF),
        ("공고.pdf", b"%PDX-1.7 not really"),
        ("사진.png", image_bytes("PNG")[:40]),  # truncated
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    message = refusal(upload(name, content))
    assert message.startswith(f"「{name}」: 파일 내용이 확장자")


def test_html_hidden_in_a_binary_type_is_refused():
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>"
    assert "웹 문서(HTML)" in refusal(upload("공고.pdf", polyglot))


def test_html_looking_text_file_is_accepted_as_text():
    # Served as text/plain with nosniff and a sandbox CSP, so it cannot run; refusing it
    # would only annoy staff who paste a snippet into a .txt.
    assert check_upload(upload("예시.txt", b"<html><script>alert(1)</script></html>")) == "예시.txt"


def test_macro_enabled_office_file_renamed_docx_is_refused():
    document = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    members = {info.filename: document.read(info) for info in document.infolist()}
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 100
    assert "매크로" in refusal(upload("공고.docx", zip_bytes(members)))


# --- refused by name ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "name", ["공고.pdf.exe", "setup.EXE", "run.bat", "a.js", "a.ps1", "index.html", "a.htm", "logo.svg",
             "data.xml", "Main.jar", "shell.php", "공고.pdf.exe.", "공고.docm"]
)
def test_dangerous_extensions_are_refused(name):
    message = refusal(upload(name, PDF))
    assert "올릴 수 없습니다" in message
    assert message.startswith("「")


def test_the_example_message_names_the_file_and_the_reason():
    assert refusal(upload("공고.pdf.exe", EXE)) == (
        "「공고.pdf.exe」: 실행 파일이나 스크립트, 웹 문서는 올릴 수 없습니다."
    )


@pytest.mark.parametrize("name", ["photo.php.jpg", "공고.exe.pdf", "a.JS.png", "x.php .jpg"])
def test_dangerous_inner_extension_is_refused_even_with_valid_content(name):
    content = image_bytes("JPEG") if name.endswith("jpg") else PDF
    message = refusal(upload(name, content))
    assert "이름 중간에 실행 파일 확장자" in message


def test_right_to_left_override_cannot_disguise_an_extension():
    # "photo\u202egpj.exe" displays as "photoexe.jpg"; the invisible character is removed.
    message = refusal(upload("photo\u202egpj.exe", EXE))
    assert message.startswith("「photogpj.exe」")


@pytest.mark.parametrize("name", ["README", "공고문", "..."])
def test_names_without_an_extension_are_refused(name):
    assert "확장자가 없는" in refusal(named(name, PDF))


def test_unlisted_type_is_refused_with_the_allowed_list():
    message = refusal(upload("영상.mp4", b"\x00\x00\x00\x18ftypmp42"))
    assert message.startswith("「영상.mp4」: 올릴 수 없는 파일 형식입니다.")
    assert "HWP, HWPX, PDF" in message


def test_allowed_restricts_the_kinds():
    assert "올릴 수 없는 파일 형식" in refusal(upload("공고.pdf", PDF), allowed=IMAGE_KINDS)


# --- refused by size ---------------------------------------------------------------------

def test_empty_file_is_refused():
    assert refusal(upload("공고.pdf", b"")) == "「공고.pdf」: 빈 파일입니다."


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_file_over_the_size_setting_is_refused():
    message = refusal(upload("공고.pdf", PDF.ljust(2048, b" ")))
    assert message == "「공고.pdf」: 파일이 너무 큽니다(2KB). 1000바이트까지 올릴 수 있습니다."
    assert check_upload(upload("공고.pdf", PDF.ljust(1000, b" "))) == "공고.pdf"


def test_max_bytes_argument_overrides_the_setting():
    assert "너무 큽니다" in refusal(upload("공고.pdf", PDF), max_bytes=10)


def test_total_size_per_post():
    files = [upload("a.pdf", PDF), upload("b.pdf", PDF)]
    assert check_total_size(files, len(PDF) * 2) == len(PDF) * 2
    with pytest.raises(ValidationError) as info:
        check_total_size(files, len(PDF) * 2 - 1)
    assert "붙임 파일을 모두 합친 크기" in info.value.messages[0]
    with override_settings(ATTACHMENT_MAX_TOTAL_BYTES=100), pytest.raises(ValidationError):
        check_total_size([60, 60])


# --- ZIP bounds, for .zip and for the formats built on ZIP --------------------------------

def test_zip_with_too_many_members_is_refused():
    archive = zip_bytes({f"{i}.txt": b"" for i in range(1001)})
    assert "파일이 너무 많습니다. 1,000개까지" in refusal(upload("붙임.zip", archive))
    assert check_upload(upload("붙임.zip", zip_bytes({f"{i}.txt": b"x" for i in range(1000)})))


def test_zip_end_record_lying_about_the_count_is_still_refused():
    archive = bytearray(zip_bytes({f"{i}.txt": b"x" for i in range(30)}))
    end = archive.rfind(b"PK\x05\x06")
    archive[end + 8:end + 12] = struct.pack("<HH", 1, 1)  # "1 member"
    with override_settings(ZIP_MAX_MEMBERS=10):
        assert "파일이 너무 많습니다" in refusal(upload("붙임.zip", bytes(archive)))


@override_settings(ZIP_MAX_UNCOMPRESSED_BYTES=1024 * 1024)
def test_zip_bomb_by_unpacked_size_is_refused():
    bomb = zip_bytes({"zeros.txt": b"\x00" * (2 * 1024 * 1024)})
    assert len(bomb) < 10_000
    assert "압축 폭탄" in refusal(upload("붙임.zip", bomb))


@override_settings(ZIP_MAX_UNCOMPRESSED_BYTES=1024 * 1024)
def test_zip_bounds_apply_to_office_containers():
    document = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    members = {info.filename: document.read(info) for info in document.infolist()}
    members["word/media/padding.bin"] = b"\x00" * (2 * 1024 * 1024)
    assert "압축 폭탄" in refusal(upload("공고.docx", zip_bytes(members)))


def test_office_container_with_too_many_parts_is_refused():
    members = {"mimetype": b"application/hwp+zip", "Contents/content.hpf": b"<x/>"}
    members.update({f"BinData/{i}.png": b"" for i in range(1001)})
    assert "파일이 너무 많습니다" in refusal(upload("공고.hwpx", zip_bytes(members, stored={"mimetype"})))


@override_settings(ZIP_MAX_MEMBERS=2)
def test_oversized_zip_directory_is_refused_before_zipfile_lists_it(monkeypatch):
    # Two members, but a central directory far bigger than two entries need: refused from
    # the end record alone, so a huge directory never becomes millions of ZipInfo objects.
    archive = zip_bytes({"a" * 2000 + ".txt": b"x", "b" * 2000 + ".txt": b"x"})

    def not_called(*args, **kwargs):
        raise AssertionError("zipfile.ZipFile should not parse this archive")

    monkeypatch.setattr("files.checks.zipfile.ZipFile", not_called)
    assert "파일이 너무 많습니다" in refusal(upload("붙임.zip", archive))


@pytest.mark.parametrize("member", ["../../etc/cron.d/x", "/etc/passwd", "a/../../b.txt", "C:/Windows/x.txt",
                                    "..\\..\\x.txt"])
def test_zip_members_escaping_the_folder_are_refused(member):
    archive = zip_bytes({"ok.txt": b"x", member: b"x"})
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist()[1] == member  # the archive really says so
    assert "위험한 경로" in refusal(upload("붙임.zip", archive))


def test_zip_with_a_program_inside_is_refused():
    archive = zip_bytes({"안내.pdf": PDF, "설치/setup.exe": EXE})
    assert "실행 파일이나 스크립트(설치/setup.exe)" in refusal(upload("붙임.zip", archive))


# --- names -------------------------------------------------------------------------------

def test_nfd_name_from_macos_is_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", "공고문.pdf")
    assert nfd != "공고문.pdf"
    assert check_upload(upload(nfd, PDF)) == "공고문.pdf"


@pytest.mark.parametrize(
    "name", ["../../x.pdf", "..\\..\\x.pdf", "/var/www/x.pdf", "C:\\Users\\staff\\x.pdf"]
)
def test_path_parts_are_stripped(name):
    assert check_upload(named(name, PDF)) == "x.pdf"


def test_control_characters_are_removed():
    assert check_upload(named("공고\x00문\x07\x1b.pdf\r\n", PDF)) == "공고문.pdf"
    assert check_upload(named("공고\u200b문\u0085.pdf", PDF)) == "공고문.pdf"


def test_korean_name_is_kept_as_typed():
    name = "2026년 제1회 추가경정예산(안) 공고 [붙임1] 명단.hwp"
    assert check_upload(upload(name, hwp_bytes())) == name


# --- bounded reading -----------------------------------------------------------------------

class ReadRecorder(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.reads = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


@pytest.mark.parametrize(
    "name, content",
    [
        ("큰문서.pdf", PDF + b"%" * (3 * 1024 * 1024)),
        ("큰명단.csv", "홍길동,총무과\n".encode("cp949") * 200_000),
        ("큰사진.png", image_bytes("PNG") + b"\x00" * (3 * 1024 * 1024)),
    ],
)
def test_large_files_are_read_in_bounded_chunks(name, content):
    recorder = ReadRecorder(content)
    check_upload(File(recorder, name=name))
    assert recorder.reads
    assert all(size is not None and 0 < size <= 64 * 1024 for size in recorder.reads), recorder.reads


# --- validators ----------------------------------------------------------------------------

def test_validators_are_deconstructible_for_migrations():
    assert validate_attachment.deconstruct() == ("files.checks.UploadValidator", (), {})
    assert validate_image.deconstruct() == ("files.checks.UploadValidator", ("image",), {})
    assert UploadValidator("image") == validate_image != validate_attachment


def test_validators_check_new_uploads():
    validate_attachment(upload("공고.pdf", PDF))
    with pytest.raises(ValidationError, match="올릴 수 없는 파일 형식"):
        validate_image(upload("공고.pdf", PDF))
    with pytest.raises(ValidationError, match="실행 파일"):
        validate_attachment(upload("공고.pdf", EXE))


def test_validator_skips_files_already_in_storage():
    # A stored file was checked when it was uploaded; re-reading it on every edit is waste.
    stored = FieldFile(None, models.FileField(), "notices/2026/01/0a1b2c.pdf")
    assert stored._committed
    validate_attachment(stored)  # would fail to open: nothing is stored under that name


def test_model_field_validator_runs_on_full_clean_path():
    field = models.FileField(validators=[validate_attachment])
    field.set_attributes_from_name("file")
    fresh = FieldFile(None, field, None)
    fresh.file = upload("공고.pdf.exe", EXE)
    fresh.name = "공고.pdf.exe"
    fresh._committed = False
    with pytest.raises(ValidationError, match="「공고.pdf.exe」"):
        field.run_validators(fresh)


# --- one definition per format fact --------------------------------------------------------

def test_signatures_are_defined_once_in_files_formats():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in [*root.glob("files/*.py"), *root.glob("boards/*.py"), *root.glob("privacy/*.py")]:
        if path.name == "formats.py":
            continue
        text = path.read_text(encoding="utf-8")
        for literal in (r"\xd0\xcf\x11\xe0", "HWP Document File", '"%PDF', r"PK\x03\x04", "application/hwp+zip"):
            assert literal not in text, (path.name, literal)


@pytest.mark.parametrize("name", ["옛공고.hwp", "공고.hwp", "공고.pdf", "공고.docx", "공고.hwpx"])
def test_upload_checks_and_text_extraction_read_a_file_alike(name):
    """An accepted file is one extraction recognises as the same container, HWP 3 included."""
    from files import extract, formats

    data = {
        "옛공고.hwp": ACCEPTED["옛공고.hwp"](),
        "공고.hwp": hwp_bytes(),
        "공고.pdf": PDF,
        "공고.docx": docx_bytes(),
        "공고.hwpx": hwpx_bytes(),
    }[name]
    assert check_upload(upload(name, data)) == name
    head = data[: formats.SIGNATURE_BYTES]
    expected = {"옛공고.hwp": "hwp3", "공고.hwp": "ole", "공고.pdf": "pdf"}.get(name, "zip")
    assert formats.sniff(head) == expected
    extracted = extract.extract_text(io.BytesIO(data), name)
    if name == "옛공고.hwp":
        assert "HWP 3.0 이전 형식" in extracted.error
