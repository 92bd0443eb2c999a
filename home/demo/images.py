"""Small generated images and files for the demo content.

Everything is drawn with Pillow from shapes alone: no text is drawn, because a bare
machine has no Korean font, and an image's words belong in its alt text anyway.
The output is deterministic, so a regenerated file is identical to the last one.
"""

import io

from PIL import Image, ImageDraw

# KRDS primary blues, lightest to darkest, plus a few accents.
BLUE_5 = (236, 242, 254)
BLUE_10 = (216, 229, 253)
BLUE_20 = (177, 206, 251)
BLUE_30 = (134, 175, 249)
BLUE_50 = (37, 110, 244)
BLUE_60 = (11, 80, 208)
BLUE_70 = (8, 56, 145)
BLUE_80 = (5, 37, 97)
GREEN = (34, 139, 84)
GREEN_DARK = (21, 94, 56)
YELLOW = (247, 196, 42)
RED = (214, 57, 52)
GRAY = (200, 205, 214)
WHITE = (255, 255, 255)


def _encode(image, fmt="PNG", **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _gradient(size, start, end, *, horizontal=True):
    """A linear gradient from ``start`` to ``end`` colour."""
    mask = Image.linear_gradient("L")
    if horizontal:
        mask = mask.rotate(90, expand=True)  # dark (start) on the left
    mask = mask.resize(size)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _overlay(base, draw_shapes):
    """Draw translucent shapes (RGBA fills) over ``base``."""
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw_shapes(ImageDraw.Draw(layer), *base.size)
    return Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")


def _ridges(draw, width, height, colours, *, base=0.55, step=0.12):
    """Layered mountain ridges from the back (first colour) to the front."""
    for index, colour in enumerate(colours):
        top = height * (base + step * index)
        amplitude = height * (0.18 - 0.03 * index)
        points = [(0, height)]
        for x in range(0, width + 1, max(width // 12, 1)):
            phase = (x / width) * 3.1 + index * 1.7
            wave = abs(((phase % 2) - 1))  # a triangle wave: sharp peaks, like rock ridges
            points.append((x, top - amplitude * (1 - wave)))
        points.append((width, height))
        draw.polygon(points, fill=colour)


# --- 비주얼 배너 (1200x400) -------------------------------------------------------

def banner_png(variant):
    size = (1200, 400)
    if variant == 0:
        def shapes(draw, w, h):
            for i, radius in enumerate((420, 320, 220)):
                centre = (w - 160 - i * 90, h // 2 + 40)
                draw.ellipse(
                    [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
                    outline=(*WHITE, 70 + 30 * i), width=18,
                )
        image = _overlay(_gradient(size, BLUE_80, BLUE_50), shapes)
    elif variant == 1:
        def shapes(draw, w, h):
            for i in range(5):
                x = 520 + i * 140
                draw.polygon([(x, h), (x + 90, h), (x + 290, 0), (x + 200, 0)], fill=(*WHITE, 28 + 12 * i))
            for cx, cy, r in ((180, 110, 46), (300, 260, 28), (420, 150, 16)):
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*YELLOW, 220))
        image = _overlay(_gradient(size, BLUE_60, BLUE_30), shapes)
    else:
        def shapes(draw, w, h):
            draw.ellipse([w - 300, 50, w - 190, 160], fill=(*WHITE, 200))
            _ridges(draw, w, h, [(*BLUE_30, 255), (*BLUE_50, 255), (*BLUE_70, 255)])
        image = _overlay(_gradient(size, BLUE_10, BLUE_5, horizontal=False), shapes)
    return _encode(image)


# --- 문화관광 (960x540) ------------------------------------------------------------

def _temple_roof(draw, x, y, scale):
    draw.polygon(
        [
            (x - 60 * scale, y), (x + 60 * scale, y),
            (x + 40 * scale, y - 22 * scale), (x - 40 * scale, y - 22 * scale),
        ],
        fill=(60, 60, 70),
    )
    draw.rectangle([x - 34 * scale, y, x + 34 * scale, y + 30 * scale], fill=(150, 64, 48))


def trail_png(slug):
    size = (960, 540)
    base = _gradient(size, BLUE_20, BLUE_5, horizontal=False)
    if slug == "hoamsan":
        def shapes(draw, w, h):
            _ridges(draw, w, h, [(*BLUE_30, 255), (*GREEN, 255), (*GREEN_DARK, 255)], base=0.45, step=0.15)
            _temple_roof(draw, w * 0.68, h * 0.80, 1.2)
    elif slug == "siheung":
        def shapes(draw, w, h):
            draw.rectangle([0, h * 0.78, w, h], fill=(*GRAY, 255))
            for cx in (0.25, 0.45, 0.65):
                x = w * cx
                draw.rectangle([x - 12, h * 0.45, x + 12, h * 0.80], fill=(110, 78, 50, 255))
                draw.ellipse([x - 95, h * 0.12, x + 95, h * 0.58], fill=(*YELLOW, 255))
            _temple_roof(draw, w * 0.86, h * 0.74, 1.0)
    else:
        def shapes(draw, w, h):
            heights = (0.42, 0.62, 0.30, 0.72, 0.50, 0.36, 0.66, 0.46)
            bar = w / len(heights)
            for i, height in enumerate(heights):
                left, top = i * bar + 8, h * (1 - height)
                draw.rectangle([left, top, left + bar - 16, h], fill=(*(BLUE_60 if i % 2 else BLUE_70), 255))
                for row in range(int(top) + 18, h - 20, 34):
                    draw.rectangle([left + 14, row, left + bar - 30, row + 12], fill=(*BLUE_10, 200))
    return _encode(_overlay(base, shapes))


# --- 보도 사진 (800x500 JPEG) -------------------------------------------------------

def _vouchers(draw, w, h):
    for i in range(3):
        x, y = 180 + i * 150, 120 + i * 40
        draw.rounded_rectangle(
            [x, y, x + 300, y + 170], radius=18, fill=(*WHITE, 235), outline=(*BLUE_60, 255), width=6
        )
        draw.ellipse([x + 220, y + 30, x + 270, y + 80], fill=(*YELLOW, 255))


def _house_heart(draw, w, h):
    draw.polygon([(w / 2, 70), (w / 2 + 220, 230), (w / 2 - 220, 230)], fill=(*BLUE_60, 255))
    draw.rectangle([w / 2 - 170, 230, w / 2 + 170, 430], fill=(*WHITE, 240))
    cx, cy = w / 2, 320
    draw.ellipse([cx - 60, cy - 60, cx, cy], fill=(*RED, 255))
    draw.ellipse([cx, cy - 60, cx + 60, cy], fill=(*RED, 255))
    draw.polygon([(cx - 58, cy - 18), (cx + 58, cy - 18), (cx, cy + 60)], fill=(*RED, 255))


def _bar_chart(draw, w, h):
    for i, height in enumerate((90, 150, 210, 290)):
        left = 180 + i * 120
        draw.rectangle([left, 420 - height, left + 80, 420], fill=(*(BLUE_50 if i < 3 else YELLOW), 255))
    draw.line([(150, 420), (680, 420)], fill=(*BLUE_80, 255), width=6)


def _poles(draw, w, h):
    for x in (170, 630):
        draw.rectangle([x - 10, 90, x + 10, 440], fill=(*BLUE_80, 255))
        draw.rectangle([x - 60, 120, x + 60, 134], fill=(*BLUE_80, 255))
    for i, y in enumerate((127, 170, 210)):
        draw.line([(170, y), (630, y)], fill=(*(BLUE_60 if i else YELLOW), 255), width=6)
    draw.rectangle([0, 440, w, h], fill=(*GRAY, 255))


def _book_sun(draw, w, h):
    draw.ellipse([w / 2 - 90, 60, w / 2 + 90, 240], fill=(*YELLOW, 255))
    draw.polygon([(w / 2, 250), (w / 2 - 260, 210), (w / 2 - 260, 420), (w / 2, 460)], fill=(*WHITE, 250))
    draw.polygon([(w / 2, 250), (w / 2 + 260, 210), (w / 2 + 260, 420), (w / 2, 460)], fill=(*BLUE_5, 250))
    draw.line([(w / 2, 250), (w / 2, 460)], fill=(*BLUE_60, 255), width=6)


PHOTO_SCENES = (_vouchers, _house_heart, _bar_chart, _poles, _book_sun)


def press_photo_jpeg(index):
    base = _gradient((800, 500), BLUE_10, BLUE_30, horizontal=False)
    return _encode(_overlay(base, PHOTO_SCENES[index % len(PHOTO_SCENES)]), "JPEG", quality=85)


# --- 바로가기 아이콘 (64x64 PNG) -----------------------------------------------------

def _icon_shape(draw, shape):
    white = (*WHITE, 255)
    if shape == "heart":
        draw.ellipse([14, 18, 34, 38], fill=white)
        draw.ellipse([30, 18, 50, 38], fill=white)
        draw.polygon([(15, 31), (49, 31), (32, 50)], fill=white)
    elif shape == "building":
        draw.polygon([(32, 12), (52, 26), (12, 26)], fill=white)
        draw.rectangle([16, 28, 48, 50], fill=white)
        draw.rectangle([28, 38, 36, 50], fill=(*BLUE_60, 255))
    elif shape == "bubble":
        draw.rounded_rectangle([12, 14, 52, 42], radius=9, fill=white)
        draw.polygon([(20, 40), (30, 40), (18, 52)], fill=white)
    else:  # columns: a council chamber
        draw.polygon([(32, 10), (54, 22), (10, 22)], fill=white)
        for x in (16, 28, 40):
            draw.rectangle([x, 25, x + 8, 46], fill=white)
        draw.rectangle([10, 47, 54, 53], fill=white)


def icon_png(shape):
    colours = {"heart": RED, "building": BLUE_60, "bubble": GREEN, "columns": BLUE_80}
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, 63, 63], radius=14, fill=(*colours.get(shape, BLUE_60), 255))
    _icon_shape(draw, shape)
    return _encode(image)


# --- 붙임 ----------------------------------------------------------------------------

def document_pdf(*, title, subject):
    """A one-page A4 PDF laid out like a 공고문 (header band, text, seal), with a text layer.

    Drawn with PDF operators rather than as a picture: a PDF without text reads as a scan,
    which the portal holds back until a person checks it (privacy/screening.py). The
    text is ASCII (the built-in Helvetica has no Hangul); the Korean title and subject
    travel in the document information.
    """
    def pdf_text(value):
        return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"

    lines = ["Geumcheon-gu Office, Seoul", "Public notice (demo attachment)",
             "This file stands in for the notice document in the portal demo."]
    ops = ["0.16 0.36 0.73 rg 0 772 595 70 re f", "0.10 0.22 0.49 rg 150 714 295 18 re f", "0.8 0.8 0.8 rg"]
    ops += [f"75 {y} {520 - (row % 4) * 40 - 75} 9 re f" for row, y in enumerate(range(640, 200, -26))]
    ops += ["0.85 0.2 0.2 RG 5 w 460 120 m 482 120 500 102 500 80 c 500 58 482 40 460 40 c "
            "438 40 420 58 420 80 c 420 102 438 120 460 120 c S", "0 0 0 rg BT /F1 14 Tf 75 680 Td 18 TL"]
    ops += [f"({line}) Tj T*" for line in lines] + ["ET"]
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Title {pdf_text(title)} /Subject {pdf_text(subject)} /Author {pdf_text('금천구청')} >>".encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_document(*, title, paragraphs):
    lines = [title, "", *paragraphs, "", "※ 누리집 시연을 위한 예시 파일입니다."]
    return ("\n".join(lines) + "\n").encode("utf-8")
