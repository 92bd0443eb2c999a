"""Rich text for every body field: one editor configuration, one sanitiser.

The editor's extension list and the server-side allowlist are derived from the
same dictionary, so staff can only produce what the sanitiser keeps.
"""

from functools import cache, partial
from html import unescape

import nh3
from django.utils.html import strip_tags
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from django_prose_editor.fields import ProseEditorField

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
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}

LINK_REL = "noopener noreferrer"


@cache
def _cleaner():
    allow = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    # We set rel ourselves on every link, so staff cannot choose it.
    allow["attributes"]["a"].discard("rel")
    allow["link_rel"] = LINK_REL
    allow["url_schemes"] = {"http", "https", "mailto", "tel"}
    allow["strip_comments"] = True
    return nh3.Cleaner(**allow)


def sanitize_html(html):
    """Return ``html`` reduced to the editor's allowlist (idempotent)."""
    cleaned = _cleaner().clean(html or "")
    # ProseMirror always leaves at least one empty paragraph behind.
    return "" if cleaned.strip() in {"", "<p></p>"} else cleaned


def html_to_text(html):
    """Plain text of sanitised HTML, for search and excerpts."""
    return " ".join(unescape(strip_tags((html or "").replace("<", " <"))).split())


RichTextField = partial(ProseEditorField, extensions=EXTENSIONS, sanitize=sanitize_html)
