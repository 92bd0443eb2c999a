"""Korean text matching shared by the board lists and 통합검색.

The answer is always LIKE: every word of the query must occur, case-insensitively,
inside words too ("채용" finds "기간제근로자채용"). SQLite answers with LIKE alone.

On PostgreSQL a GIN index makes that fast for queries of any length, including the
common 1- and 2-syllable ones that pg_trgm cannot serve. Each searchable table has
a stored column ``search_keys``, which the database computes from
``title, body_text`` (for 붙임 ``original_name, extracted_text``): every character
and every adjacent pair of characters of the upper-cased text, hashed to integers
(search/schema.py). A query adds ``search_keys @> search_query_grams(words)`` in
front of the LIKE conditions. The keys only narrow, never drop a true match:

* a word occurring in a text means its pairs (or, for a one-character word, the
  character itself) occur in the upper-cased text, because upper() works per
  character, exactly as Django's ``UPPER(col) LIKE UPPER(word)`` does; equal grams
  hash equal, and a collision only admits an extra row for LIKE to reject;
* pairs holding a space are never asked for: words are split on whitespace first;
* a row with more text than GRAM_TEXT_LIMIT characters has no keys (NULL); it is
  admitted by ``search_keys IS NULL``, which a small partial index
  (``*_search_unkeyed``) serves, and LIKE decides for it.

A search in the heading alone (제목 search, and 정확도순's "title matches first")
uses ``title_keys``, the keys of the heading only, with its own index.
"""

import unicodedata

from django.db import connections
from django.db.models import BooleanField, Func, Q, Value

from .schema import GRAM_TEXT_LIMIT, KEY_COLUMN, TITLE_KEY_COLUMN  # noqa: F401  (documented above)


def is_caseless(word):
    """True when upper- and lower-case cannot differ: Hangul, Han, digits, signs."""
    return all(not unicodedata.category(ch).startswith("L") or unicodedata.category(ch) == "Lo"
               for ch in word)


def word_condition(word, fields):
    """``word`` occurs in one of ``fields``.

    Words without letter case (most Korean queries) use a plain LIKE, which gives
    the same rows as icontains and spares PostgreSQL an UPPER() of every text.
    """
    lookup = "contains" if is_caseless(word) else "icontains"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": word})
    return condition


def all_words_condition(words, fields):
    condition = Q()
    for word in words:
        condition &= word_condition(word, fields)
    return condition


class GramMatch(Func):
    """``<keys> @> search_query_grams(words)``, or a row whose text is past the cap.

    The first source expression is any column of the searched table; it only
    supplies the table's alias in this query (``"U0"`` inside a subquery).
    """

    output_field = BooleanField()
    arity = 2

    def __init__(self, *expressions, key_column=KEY_COLUMN, **extra):
        super().__init__(*expressions, **extra)
        self.key_column = key_column

    def as_sql(self, compiler, connection, **extra_context):
        column, words = (compiler.compile(expression) for expression in self.get_source_expressions())
        keys = f'{column[0].rsplit(".", 1)[0]}."{self.key_column}"'
        if self.key_column == TITLE_KEY_COLUMN:  # headings never pass the cap
            return f"{keys} @> search_query_grams({words[0]})", tuple(words[1])
        return f"({keys} @> search_query_grams({words[0]}) OR {keys} IS NULL)", tuple(words[1])


def indexed_columns(model):
    """The (heading, text) pair the gram index of ``model``'s table covers."""
    field_names = {field.name for field in model._meta.get_fields()}
    if "extracted_text" in field_names:
        return ("original_name", "extracted_text")
    return ("title", "body_text")


def uses_gram_index(queryset):
    return connections[queryset.db].vendor == "postgresql"


def match(queryset, words, fields):
    """Rows of ``queryset`` in which every word occurs in one of ``fields``.

    ``fields`` must lie within the indexed pair of the model (``title``, ``body_text``
    or either one alone): the gram condition is over both, so it is implied.
    """
    words = [word for word in words if word]
    if not words:
        return queryset
    matched = queryset
    for word in words:
        matched = matched.filter(word_condition(word, fields))
    if uses_gram_index(queryset):
        head, _ = indexed_columns(queryset.model)
        key_column = TITLE_KEY_COLUMN if tuple(fields) == (head,) else KEY_COLUMN
        matched = matched.filter(GramMatch(head, Value(" ".join(words)), key_column=key_column))
    return matched
