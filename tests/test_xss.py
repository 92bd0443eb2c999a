"""A corpus of XSS payloads comes out of the body sanitiser inert (the stored HTML)."""

import re

import pytest

from boards.richtext import sanitize_html
from tests.factories import NewsFactory
from tests.xss_payloads import PAYLOADS

FORBIDDEN_TAGS = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|input|button|meta|base|link|body|"
    r"video|source|details|template|noscript|img)\b",
    re.IGNORECASE,
)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(r"\s(?:href|src|action|background|data|srcdoc)\s*=\s*\"([^\"]*)\"", re.IGNORECASE)
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert_after_sanitising(payload):
    cleaned = sanitize_html(payload)
    assert not FORBIDDEN_TAGS.search(cleaned), cleaned
    assert not EVENT_ATTRIBUTE.search(cleaned), cleaned
    assert "style=" not in cleaned.lower(), cleaned
    for url in URL_ATTRIBUTE.findall(cleaned):
        assert url.lower().startswith(SAFE_SCHEMES), cleaned
    assert sanitize_html(cleaned) == cleaned  # idempotent: saving twice changes nothing


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS[:10])
def test_stored_body_is_sanitised_on_every_save(payload):
    post = NewsFactory(body=payload)
    post.refresh_from_db()
    assert post.body == sanitize_html(payload)
    assert "__xss" not in post.body or not FORBIDDEN_TAGS.search(post.body)


def test_links_get_noopener_noreferrer():
    cleaned = sanitize_html('<p><a href="https://www.geumcheon.go.kr/" target="_blank">구청</a></p>')
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned


def test_plain_text_for_search_has_entities_decoded():
    from boards.richtext import html_to_text

    assert html_to_text("<p>R&amp;D 지원 &lt;공고&gt;</p>") == "R&D 지원 <공고>"
