"""Which posts a subscriber gets, defined once for the form, the tick and the mails.

A subscription names boards (none: every board) and keywords (none: every post on those boards).
A keyword is one or more words written with spaces between them ("기간제 근로자"). A post
matches a subscription when

- it is on one of the chosen boards (or any board, if none was chosen), and
- no keyword was given, or for at least one keyword every word of it occurs in the post's title
  or its body text — inside longer words too ("채용" is found in "채용공고"), letter case ignored.

That is 통합검색's rule for several words (search.engine.match: every word, in title or body),
applied in Python to the few posts of one tick, so the two answer alike.
"""

import re
import unicodedata

KEYWORDS_MAX = 10
KEYWORD_MAX_LENGTH = 30
KEYWORD_SEPARATORS = re.compile(r"[,\n\r;]+")


def normalize(text):
    """NFC (macOS sends NFD Hangul), case folded, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_keywords(text):
    """"채용, 기간제 근로자" → ["채용", "기간제 근로자"]: split at commas or lines, tidied, no repeats."""
    keywords = []
    for part in KEYWORD_SEPARATORS.split(text or ""):
        keyword = " ".join(unicodedata.normalize("NFC", part).split())
        if keyword and keyword.casefold() not in (known.casefold() for known in keywords):
            keywords.append(keyword)
    return keywords


def post_text(post):
    """What a keyword is looked for in: the title and the body text, normalised once per post."""
    return normalize(f"{post.title}\n{post.body_text}")


def keyword_found(keyword, text):
    words = normalize(keyword).split()
    return bool(words) and all(word in text for word in words)


def matched_keywords(keywords, text):
    return [keyword for keyword in keywords if keyword_found(keyword, text)]


def matches(preferences, board_slug, text):
    """Whether a post on ``board_slug`` with normalised ``text`` is for ``preferences``
    (anything with ``boards`` and ``keywords``: a Subscription)."""
    if preferences.boards and board_slug not in preferences.boards:
        return False
    return not preferences.keywords or bool(matched_keywords(preferences.keywords, text))
