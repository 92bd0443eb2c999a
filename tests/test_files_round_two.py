"""붙임, round two (files room): every image is stored re-encoded, names are safe on every system,
and downloads name the file in both header forms. Samples are built here with Pillow."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from files.names import MAX_NAME_BYTES, display_name
from notices.models import Notice
from tests.test_admin import admin_url, management_form, news_form
from tests.test_staff import media, planning  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

MARKUP = b"<script>alert(document.cookie)</script>"
TRAILER = b"<?php system($_GET['c']); ?><html><script>alert(1)</script>"


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Geumcheon Cam"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°, to be applied before the tag goes
    exif[0x010E] = MARKUP.decode()  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (37.0, 27.0, 30.0), 3: "E", 4: (126.0, 53.0, 40.0)})
    return exif.tobytes()


def hostile(fmt):
    """A small image carrying GPS, a camera make, markup in its metadata and script text after its end."""
    buffer = io.BytesIO()
    if fmt == "JPEG":
        Image.new("CMYK", (40, 20), (0, 120, 200, 10)).save(buffer, "JPEG", exif=exif_with_gps(), comment=MARKUP)
    elif fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", MARKUP.decode())
        Image.new("RGB", (40, 20), "navy").save(buffer, "PNG", pnginfo=info, exif=exif_with_gps())
    elif fmt == "WEBP":
        Image.new("RGB", (40, 20), "teal").save(buffer, "WEBP", exif=exif_with_gps())
    else:
        Image.new("P", (40, 20)).save(buffer, "GIF", comment=MARKUP)
    return buffer.getvalue() + TRAILER


def upload_through_admin(admin_client, planning, name, data):  # noqa: F811
    form = news_form(planning, **management_form("attachments", total=1), **{
        "attachments-0-file": SimpleUploadedFile(name, data), "attachments-0-order": "0",
    })
    response = admin_client.post(admin_url(Notice, "add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Notice.objects.get().attachments.get()


@pytest.mark.parametrize("fmt, name, stored_ext", [
    ("JPEG", "현장 사진.jpg", "jpg"), ("PNG", "배치도.png", "png"), ("WEBP", "안내도.webp", "jpg"),
    ("GIF", "움짤.gif", "png"),
])
def test_an_image_attached_to_a_post_is_stored_re_encoded_without_metadata(
    admin_client, planning, fmt, name, stored_ext  # noqa: F811
):
    original = hostile(fmt)
    attachment = upload_through_admin(admin_client, planning, name, original)
    with default_storage.open(attachment.file.name, "rb") as stored_file:
        stored = stored_file.read()
    assert stored != original
    assert attachment.original_name.endswith(f".{stored_ext}") and attachment.size == len(stored)
    for needle in (b"<script", b"<?php", b"Geumcheon Cam", b"GPS", b"<html"):
        assert needle not in stored, needle
    with Image.open(io.BytesIO(stored)) as image:
        assert image.mode in ("RGB", "RGBA", "L")  # CMYK converted
        assert not image.getexif() and "comment" not in image.info and "icc_profile" not in image.info
        # Orientation applied (then the tag dropped); GIF has none. Otherwise a 붙임 keeps its size.
        assert image.size == ((40, 20) if fmt == "GIF" else (20, 40))
        if stored_ext == "jpg":
            assert stored.endswith(b"\xff\xd9")  # nothing after the end marker


def test_a_large_attached_image_keeps_its_pixel_size(admin_client, planning, settings):  # noqa: F811
    settings.IMAGE_MAX_SIDE = 100
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), "white").save(buffer, "PNG")
    attachment = upload_through_admin(admin_client, planning, "도면.png", buffer.getvalue())
    with default_storage.open(attachment.file.name, "rb") as stored, Image.open(stored) as image:
        assert image.size == (300, 120)


@pytest.mark.parametrize("given, expected", [
    ("CON", "CON_"), ("con.txt", "con_.txt"), ("Prn.HWP", "Prn_.HWP"), ("aux.pdf", "aux_.pdf"),
    ("NUL.tar.gz", "NUL_.tar.gz"), ("COM1.csv", "COM1_.csv"), ("lpt9.xlsx", "lpt9_.xlsx"),
    ("COM¹.txt", "COM¹_.txt"), ("CON .txt", "CON_.txt"),
    ("CONSOLE.txt", "CONSOLE.txt"), ("com10.txt", "com10.txt"), ("공고 CON.pdf", "공고 CON.pdf"),
])
def test_windows_device_names_are_cleaned(given, expected):
    assert display_name(given) == expected


@pytest.mark.parametrize("stem", ["가" * 120, "공고문" * 60, "a" * 400, "😀" * 90, "가a" * 100])
def test_long_names_fit_in_255_bytes_cut_on_a_character_and_keep_the_extension(stem):
    name = display_name(f"{stem}.hwpx")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.endswith(".hwpx") and stem.startswith(name[:-5])  # a prefix of whole characters


def test_an_uploaded_device_name_and_a_long_name_are_stored_clean(admin_client, planning):  # noqa: F811
    attachment = upload_through_admin(admin_client, planning, "CON.txt", "안내".encode())
    assert attachment.original_name == "CON_.txt"
    long_name = "금천구 도시관리계획 결정 고시 " * 20 + ".txt"
    form = news_form(planning, title="둘째", **management_form("attachments", total=1), **{
        "attachments-0-file": SimpleUploadedFile(long_name, "안내".encode()), "attachments-0-order": "0",
    })
    assert admin_client.post(admin_url(Notice, "add"), form).status_code == 302
    stored = Notice.objects.get(title="둘째").attachments.get()
    assert len(stored.original_name.encode()) <= MAX_NAME_BYTES and stored.original_name.endswith(".txt")
    download = admin_client.get(f"/news/files/{stored.pk}/")
    assert download["Content-Disposition"].startswith('attachment; filename="download.txt"; filename*=UTF-8\'\'')
