"""Image uploads: bombs refused, metadata stripped, orientation applied, renditions cached."""

import io
import struct
import unicodedata
import warnings
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.test import override_settings
from PIL import Image, ImageCms, PngImagePlugin

from files.checks import check_upload
from files.images import delete_renditions, get_rendition, normalize_image, rendition_name

RED, BLUE = (220, 20, 20), (20, 40, 220)
GPS_IFD, ORIENTATION = 0x8825, 0x0112


def encode(im, fmt, **params):
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def marked_image(size=(300, 200), mode="RGB"):
    """Blue, with a red square in the stored top-left corner to tell rotations apart."""
    im = Image.new(mode, size, BLUE)
    im.paste(RED, (0, 0, 50, 50))
    return im


def gps_exif(orientation=6):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 15"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (37.0, 27.0, 24.5), 3: "E", 4: (126.0, 53.0, 42.1)})
    return exif


def opened(content_file):
    return Image.open(io.BytesIO(content_file.read()))


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def png_claiming(width, height):
    """A tiny real PNG whose IHDR says width x height (CRC fixed so Pillow trusts it)."""
    data = bytearray(encode(Image.new("1", (8, 8)), "PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


# --- normalize_image -------------------------------------------------------------------------

def test_exif_gps_is_stripped_and_orientation_applied():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    source = encode(marked_image(), "JPEG", exif=gps_exif(), xmp=xmp, comment="촬영 홍길동".encode())
    before = Image.open(io.BytesIO(source))
    assert before.getexif().get_ifd(GPS_IFD)[1] == "N"  # the input really carries GPS
    assert "xmp" in before.info and "comment" in before.info

    out = normalize_image(SimpleUploadedFile("현장 사진.jpg", source))

    im = opened(out)
    assert out.name == "현장 사진.jpg"
    assert im.format == "JPEG"
    assert not im.getexif()
    assert not im.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(im.info)
    # Orientation 6 = turn 90° clockwise: 300x200 stored becomes 200x300 upright,
    # and the stored top-left corner moves to the top-right.
    assert im.size == (200, 300)
    assert close_to(im.getpixel((190, 10)), RED)
    assert close_to(im.getpixel((10, 10)), BLUE)


def test_normalized_bytes_contain_no_metadata_strings():
    source = encode(marked_image(), "JPEG", exif=gps_exif(), comment=b"secret-comment")
    out = normalize_image(SimpleUploadedFile("a.jpg", source))
    data = out.read()
    for marker in (b"Exif\x00\x00", b"PhoneMaker", b"secret-comment", b"ICC_PROFILE"):
        assert marker not in data


def test_png_stays_png_with_alpha_and_loses_text_exif_and_icc():
    im = marked_image(mode="RGBA")
    im.putpixel((299, 199), (0, 0, 0, 0))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "홍길동 010-1234-5678")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = encode(im, "PNG", pnginfo=text, exif=gps_exif(orientation=1), icc_profile=srgb)
    assert "Author" in Image.open(io.BytesIO(source)).info

    out = opened(normalize_image(SimpleUploadedFile("지도.png", source)))

    assert out.format == "PNG" and out.mode == "RGBA" and out.size == (300, 200)
    assert out.getpixel((299, 199))[3] == 0
    assert not out.getexif()
    assert not {"Author", "exif", "icc_profile"} & set(out.info)


def test_gif_becomes_its_first_frame_as_png():
    frames = [Image.new("P", (40, 30), colour) for colour in (0, 1)]
    for frame in frames:
        frame.putpalette([220, 20, 20, 20, 200, 20] + [0] * 762)
    source = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(source)).n_frames == 2

    out = normalize_image(SimpleUploadedFile("움짤.gif", source))

    im = opened(out)
    assert out.name == "움짤.png"
    assert im.format == "PNG"
    assert getattr(im, "n_frames", 1) == 1
    assert close_to(im.convert("RGB").getpixel((5, 5)), RED)


def test_webp_becomes_jpeg_when_opaque_and_png_when_transparent():
    opaque = normalize_image(SimpleUploadedFile("사진.webp", encode(marked_image(), "WEBP")))
    assert opaque.name == "사진.jpg" and opened(opaque).format == "JPEG"

    clear = marked_image(mode="RGBA")
    clear.paste((0, 0, 0, 0), (100, 100, 150, 150))
    transparent = normalize_image(SimpleUploadedFile("로고.webp", encode(clear, "WEBP", lossless=True)))
    im = opened(transparent)
    assert transparent.name == "로고.png" and im.format == "PNG"
    assert im.getpixel((120, 120))[3] == 0


def test_cmyk_jpeg_becomes_rgb():
    out = opened(normalize_image(SimpleUploadedFile("인쇄.jpg", encode(marked_image(mode="CMYK"), "JPEG"))))
    assert out.mode == "RGB"


def test_longest_side_is_capped():
    photo = encode(Image.new("RGB", (3000, 1000), BLUE), "JPEG")
    assert opened(normalize_image(SimpleUploadedFile("a.jpg", photo))).size == (2400, 800)
    with override_settings(IMAGE_MAX_SIDE=1200):
        assert opened(normalize_image(SimpleUploadedFile("a.jpg", photo))).size == (1200, 400)
    small = encode(Image.new("RGB", (640, 480), BLUE), "JPEG")
    assert opened(normalize_image(SimpleUploadedFile("a.jpg", small))).size == (640, 480)


def test_name_keeps_the_display_stem():
    nfd = unicodedata.normalize("NFD", "구청 전경.JPEG")
    out = normalize_image(SimpleUploadedFile(nfd, encode(marked_image(), "JPEG")))
    assert out.name == "구청 전경.jpg"


def test_upload_is_rewound_after_normalizing():
    upload = SimpleUploadedFile("a.png", encode(marked_image(), "PNG"))
    normalize_image(upload)
    assert upload.tell() == 0


# --- refusals ---------------------------------------------------------------------------------

def test_decompression_bomb_header_is_refused_in_korean():
    bomb = png_claiming(20000, 20000)
    assert len(bomb) < 200
    with pytest.raises(ValidationError) as info:
        normalize_image(SimpleUploadedFile("폭탄.png", bomb))
    assert info.value.messages == [
        "「폭탄.png」: 이미지가 너무 큽니다(400,000,000화소). 가로×세로 4,000만 화소까지 올릴 수 있습니다."
    ]


def test_pixel_limit_setting_is_enforced_below_pillows_own():
    with pytest.raises(ValidationError, match="이미지가 너무 큽니다"):
        normalize_image(SimpleUploadedFile("큰.png", png_claiming(8000, 6000)))
    with override_settings(IMAGE_MAX_PIXELS=1000), pytest.raises(ValidationError) as info:
        normalize_image(SimpleUploadedFile("작은.png", encode(Image.new("RGB", (40, 30)), "PNG")))
    assert info.value.messages == [
        "「작은.png」: 이미지가 너무 큽니다(1,200화소). 가로×세로 1,000화소까지 올릴 수 있습니다."
    ]


@override_settings(IMAGE_MAX_PIXELS=10**9)
def test_pillows_bomb_warning_becomes_a_refusal():
    bomb = png_claiming(10000, 10000)  # 100 MP: Pillow only warns between ~89 and ~179 MP
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Image.open(io.BytesIO(bomb))
    assert any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught)

    filters_before = list(warnings.filters)
    with pytest.raises(ValidationError, match="이미지가 너무 큽니다"):
        normalize_image(SimpleUploadedFile("폭탄.png", bomb))
    assert warnings.filters == filters_before  # scoped to the call, not global


def test_upload_check_reports_a_bomb_as_too_large_not_as_mismatch():
    with pytest.raises(ValidationError, match="「폭탄.png」: 이미지가 너무 큽니다"):
        check_upload(SimpleUploadedFile("폭탄.png", png_claiming(20000, 20000)))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%%EOF",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # EPS would run Ghostscript
        encode(Image.new("RGB", (10, 10)), "BMP"),  # real images, but not formats we publish
        encode(Image.new("RGB", (10, 10)), "TIFF"),
    ],
    ids=["pdf", "eps", "bmp", "tiff"],
)
def test_non_images_and_unlisted_formats_are_refused(content):
    with pytest.raises(ValidationError) as info:
        normalize_image(SimpleUploadedFile("사진.jpg", content))
    assert info.value.messages[0].startswith("「사진.jpg」: 이미지 파일이 아니거나 손상된 파일입니다.")


def test_truncated_image_is_refused():
    data = encode(Image.effect_noise((200, 200), 60).convert("RGB"), "PNG")
    with pytest.raises(ValidationError, match="손상된 파일"):
        normalize_image(SimpleUploadedFile("a.png", data[: len(data) // 2]))


# --- renditions -------------------------------------------------------------------------------

@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path)


def stored(storage, name, content):
    field = models.FileField(storage=storage)
    return FieldFile(None, field, storage.save(name, io.BytesIO(content)))


def test_rendition_is_created_once_and_sized(storage, monkeypatch):
    original = stored(storage, "press/2026/01/ab12.jpg", encode(Image.new("RGB", (1200, 800), BLUE), "JPEG"))

    name = get_rendition(original, 480)

    assert name == "press/2026/01/ab12.w480.jpg"
    with storage.open(name) as f:
        im = Image.open(f)
        assert (im.format, im.size) == ("JPEG", (480, 320))
    mtime = storage.get_modified_time(name)

    saves = []
    monkeypatch.setattr(storage, "save", lambda *a, **k: saves.append(a))
    assert get_rendition(original, 480) == name
    assert saves == []
    assert storage.get_modified_time(name) == mtime


def test_rendition_of_png_stays_png_and_small_images_are_not_enlarged(storage):
    original = stored(storage, "home/x.png", encode(Image.new("RGBA", (300, 100), (0, 0, 0, 0)), "PNG"))
    name = get_rendition(original, 480)
    assert name == "home/x.w480.png"
    with storage.open(name) as f:
        im = Image.open(f)
        assert (im.format, im.size, im.mode) == ("PNG", (300, 100), "RGBA")


def test_rendition_is_upright_and_metadata_free(storage):
    source = encode(marked_image((1200, 800)), "JPEG", exif=gps_exif())
    original = stored(storage, "press/p.jpg", source)
    with storage.open(get_rendition(original, 320)) as f:
        im = Image.open(f)
        assert im.size == (320, 480)
        assert not im.getexif()


def test_rendition_widths_are_a_fixed_list(storage):
    original = stored(storage, "press/p.jpg", encode(marked_image(), "JPEG"))
    with pytest.raises(ValueError):
        get_rendition(original, 481)
    with override_settings(IMAGE_RENDITION_WIDTHS=[481]):
        assert get_rendition(original, 481) == "press/p.w481.jpg"


def test_concurrent_creation_keeps_one_file(storage, monkeypatch):
    original = stored(storage, "press/p.jpg", encode(marked_image(), "JPEG"))
    first = get_rendition(original, 160)
    # Another request saw "missing" just before this one finished writing.
    real_exists, calls = storage.exists, []

    def exists_missed_once(name):
        calls.append(name)
        return False if len(calls) == 1 else real_exists(name)

    monkeypatch.setattr(storage, "exists", exists_missed_once)
    assert get_rendition(original, 160) == first
    assert sorted(storage.listdir("press")[1]) == ["p.jpg", "p.w160.jpg"]


def test_delete_renditions_removes_only_this_images_renditions(storage):
    original = stored(storage, "press/p.jpg", encode(marked_image(), "JPEG"))
    other = stored(storage, "press/p2.jpg", encode(marked_image(), "JPEG"))
    get_rendition(original, 160)
    get_rendition(original, 320)
    get_rendition(other, 160)

    removed = delete_renditions(original)

    assert sorted(removed) == ["press/p.w160.jpg", "press/p.w320.jpg"]
    assert sorted(storage.listdir("press")[1]) == ["p.jpg", "p2.jpg", "p2.w160.jpg"]


def test_rendition_name_is_deterministic():
    assert rendition_name("a/b/c.JPEG", 480) == "a/b/c.w480.jpg"
    assert rendition_name("a/b/c.gif", 160) == "a/b/c.w160.png"
