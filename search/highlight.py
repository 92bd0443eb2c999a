"""Matched words marked with <mark>, everything else escaped.

The text is cut at the matches and every piece goes through ``escape()``; only the
<mark> tags we add are trusted. So a title holding "<script>" shows as text.
"""

import functools
import re
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 160
SNIPPET_LEAD = 40  # characters of context before the first match


def _pattern(words):
    return _compiled(tuple(words))


@functools.lru_cache(maxsize=256)  # a page highlights the same words in every hit
def _compiled(words):
    words = sorted({word for word in words if word}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def highlight(text, words):
    """``text`` escaped, with every occurrence of any of ``words`` in <mark>."""
    text = text or ""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last:found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def snippet(text, words, length=SNIPPET_LENGTH):
    """About ``length`` characters of ``text`` around the first match, highlighted."""
    text = " ".join((text or "").split())
    pattern = _pattern(words)
    found = pattern.search(text) if pattern else None
    start = max(found.start() - SNIPPET_LEAD, 0) if found else 0
    end = min(start + length, len(text))
    piece = text[start:end]
    return mark_safe(
        ("…" if start > 0 else "") + highlight(piece, words) + ("…" if end < len(text) else "")
    )
