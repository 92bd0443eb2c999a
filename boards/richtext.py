"""Rich text for every body field: one editor configuration, one sanitiser.

The editor's extension list and the server-side allowlist are derived from the
same dictionary, so staff can only produce what the sanitiser keeps. Three of the
extensions are the portal's own (boards/editor_extensions.py, static/js/prose-body.js):
tables with a caption, <thead>/<tbody> and header cells with ``scope`` (KWCAG), and
images uploaded into the portal's own storage (boards/body_images.py).

What the allowlist cannot say by itself is narrowed here, value by value:
``colspan``/``rowspan`` are small positive integers, ``scope`` is col/row/colgroup/rowgroup,
and an ``<img>`` stays only with an ``alt`` text and a ``src`` that is one of our own
body-image addresses (``/body-images/<uuid>/``); any other image is removed whole.
"""

import re
from functools import cache
from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from django_prose_editor.fields import ProseEditorField

from privacy.screening import html_text

# Where body images are served (boards/urls.py); the only ``src`` an <img> may have.
BODY_IMAGE_PATH = "/body-images/"
BODY_IMAGE_SRC = re.compile(
    re.escape(BODY_IMAGE_PATH) + r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/"
)
HEADER_SCOPES = frozenset({"col", "row", "colgroup", "rowgroup"})
# The editor inserts tables of at most 100 columns; no real 공고 merges more rows than this.
MAX_SPAN = {"colspan": 100, "rowspan": 1000}

EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    # The package's Table and TableHeader, extended (static/js/prose-body.js, registered in
    # boards/editor_extensions.py): a caption, header rows in <thead>, and header cells marked
    # as column or row headers.
    "CaptionedTable": True,
    "TableRow": True,
    "ScopedTableHeader": True,
    "TableCell": True,
    # Upload through the editor, alt text required (editorial/body_images.py answers the upload).
    "BodyImage": {"uploadUrl": reverse_lazy("body-image-upload"), "srcPrefix": BODY_IMAGE_PATH},
}

LINK_REL = "noopener noreferrer"
_IMG_TAG = re.compile(r"<img\b[^>]*>")


# Elements that carry only the attributes their extension names: not even the title and lang
# nh3 allows everywhere by default.
OWN_ATTRIBUTES_ONLY = ("table", "caption", "thead", "tbody", "tr", "th", "td", "img")


def _narrow(tag, name, value):
    """Narrow an allowed attribute to allowed values; None drops it. Others pass unchanged."""
    if name in MAX_SPAN and tag in ("td", "th"):
        value = value.strip()
        return value if re.fullmatch(r"[1-9][0-9]{0,3}", value) and int(value) <= MAX_SPAN[name] else None
    if tag == "th" and name == "scope":
        value = value.strip().lower()
        return value if value in HEADER_SCOPES else None
    if tag == "img" and name == "src":
        value = value.strip()
        return value if BODY_IMAGE_SRC.fullmatch(value) else None
    if tag == "img" and name == "alt":
        return " ".join(value.split()) or None
    return value


@cache
def _cleaner():
    allow = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    # We set rel ourselves on every link, so staff cannot choose it.
    allow["attributes"]["a"].discard("rel")
    allow["link_rel"] = LINK_REL
    allow["url_schemes"] = {"http", "https", "mailto", "tel"}
    allow["strip_comments"] = True
    own = {tag: frozenset(allow["attributes"].get(tag, ())) for tag in OWN_ATTRIBUTES_ONLY}

    def attribute_filter(tag, name, value):
        if tag in own and name not in own[tag]:
            return None
        return _narrow(tag, name, value)

    allow["attribute_filter"] = attribute_filter
    return nh3.Cleaner(**allow)


def _complete_image(match):
    tag = match.group(0)
    return tag if ' src="' in tag and ' alt="' in tag else ""


def _clean_once(html):
    cleaned = _cleaner().clean(html)
    # An image left without its src or alt (another host's, data:, no text) goes whole.
    # nh3 escapes < and > inside attribute values and text, so every "<img" here is a tag.
    return _IMG_TAG.sub(_complete_image, cleaned)


def sanitize_html(html):
    """Return ``html`` reduced to the editor's allowlist (idempotent).

    Twice: removing a wrapper nh3 does not allow (<tfoot>, <colgroup>...) can leave a table
    the HTML parser rebuilds on the next reading (rows gain a <tbody>); the second pass
    settles that, so saving again changes nothing.
    """
    cleaned = _clean_once(_clean_once(html or ""))
    # ProseMirror always leaves at least one empty paragraph behind.
    return "" if cleaned.strip() in {"", "<p></p>"} else cleaned


def html_to_text(html):
    """Plain text of sanitised HTML, for search, excerpts and revision diffs: what residents read,
    images by their alt text — the same reading 개인정보 screening does (privacy.screening.html_text)."""
    return html_text(html)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))

    handle_startendtag = handle_starttag


def validate_body_images(html):
    """Refuse, in Korean, a body whose images the sanitiser would drop: no alt text, or not ours.

    Forms run this before saving so staff hear about it; every other way in, the
    sanitiser removes such an image silently.
    """
    parser = _Images()
    parser.feed(html or "")
    parser.close()
    errors = []
    if any(not BODY_IMAGE_SRC.fullmatch((image.get("src") or "").strip()) for image in parser.images):
        errors.append(ValidationError(
            "본문에는 이 누리집에 올린 이미지만 넣을 수 있습니다. 다른 누리집 주소나 붙여 넣은 이미지는 빼고, "
            "편집기의 '이미지' 단추로 올려 주세요.",
            code="foreign_image",
        ))
    if any(not (image.get("alt") or "").strip() for image in parser.images):
        errors.append(ValidationError(
            "본문 이미지에 대체텍스트가 없습니다. 이미지를 누른 뒤 '대체텍스트' 단추로 이미지의 내용을 적어 주세요.",
            code="image_without_alt",
        ))
    if errors:
        raise ValidationError(errors)


class RichTextField(ProseEditorField):
    """The body field of every post and trail: this editor, this sanitiser, and the image check in forms.

    Migrations see a plain TextField (ProseEditorField.deconstruct), so nothing here is frozen in them.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs.setdefault("sanitize", sanitize_html)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"validators": [validate_body_images], **kwargs})
