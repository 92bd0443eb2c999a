"""Korean text matching shared by the board lists and 통합검색.

The answer is always LIKE: every word of the query must occur, case-insensitively,
inside words too ("채용" finds "기간제근로자채용"). SQLite answers with LIKE alone.

On PostgreSQL a GIN index makes that fast for queries of any length, including the
common 1- and 2-syllable ones that pg_trgm cannot serve. Each searchable table has
a stored column ``search_keys``, which the database computes from
``title, body_text`` (for 붙임 ``original_name, extracted_text``): every character
and every adjacent pair of characters of the upper-cased text, hashed to integers
(search/schema.py). A query adds ``search_keys @> ARRAY[…]`` in front of the LIKE
conditions, with one key per word: the rarest, as search/keyplan.py explains.
The keys only narrow, never drop a true match:

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
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.functions import Upper

from .keyplan import KeyPlan
from .schema import GRAM_TEXT_LIMIT, KEY_COLUMN, TITLE_KEY_COLUMN  # noqa: F401  (documented above)


def is_caseless(word):
    """True when upper- and lower-case cannot differ: Hangul, Han, digits, signs."""
    return all(not unicodedata.category(ch).startswith("L") or unicodedata.category(ch) == "Lo"
               for ch in word)


def word_condition(word, fields, for_planner=False):
    """``word`` occurs in one of ``fields``.

    Words without letter case (most Korean queries) use a plain LIKE, which gives
    the same rows as icontains and spares PostgreSQL an UPPER() of every text.
    ``for_planner``: the PostgreSQL form that sits beside the key condition (``Occurs``).
    """
    condition = Q()
    for field in fields:
        if for_planner:
            text, needle = F(field), Value(word)
            if not is_caseless(word):
                text, needle = Upper(text), Upper(needle)
            condition |= Q(Occurs(text, needle))
        else:
            lookup = "contains" if is_caseless(word) else "icontains"
            condition |= Q(**{f"{field}__{lookup}": word})
    return condition


class Occurs(Func):
    """``needle`` occurs in ``text``, written so that PostgreSQL's planner ignores it.

    It is true for every row the key condition admits but a few (the key is a part
    of the word), yet the planner would multiply LIKE's estimate into the key's as
    if the two were independent and expect a tenth of the rows or less; it then
    sorts a hundred thousand rows instead of reading the newest few. The planner
    cannot estimate ``strpos(...) = 0`` and takes it as 0.5 % true, so
    ``NOT (... = 0)`` counts as nearly always true and the key's frequency alone
    sets the estimate. Same rows as LIKE '%needle%'.
    """

    output_field = BooleanField()
    arity = 2
    template = "NOT (strpos(%(expressions)s) = 0)"


def all_words_condition(words, fields, for_planner=False):
    condition = Q()
    for word in words:
        condition &= word_condition(word, fields, for_planner)
    return condition


class GramMatch(Func):
    """``<keys> @> ARRAY[…]`` (and, for a rare word, ``&& ARRAY[…]``), or a row past the cap.

    The first source expression is any column of the searched table; it only
    supplies the table's alias in this query (``"U0"`` inside a subquery).
    search/keyplan.py says which keys and why the overlap.
    """

    output_field = BooleanField()
    arity = 1

    def __init__(self, column, *, keys, rare=False, key_column=KEY_COLUMN, **extra):
        super().__init__(column, **extra)
        self.keys, self.rare, self.key_column = list(keys), rare, key_column

    def as_sql(self, compiler, connection, **extra_context):
        column, _ = compiler.compile(self.get_source_expressions()[0])
        keys = f'{column.rsplit(".", 1)[0]}."{self.key_column}"'
        sql, params = f"{keys} @> %s::int[]", [self.keys]
        if self.rare:
            sql, params = f"{sql} AND {keys} && %s::int[]", [self.keys, self.keys]
        if self.key_column != TITLE_KEY_COLUMN:  # headings never pass the cap
            sql = f"({sql} OR {keys} IS NULL)"
        return f"({sql})", tuple(params)


def indexed_columns(model):
    """The (heading, text) pair the gram index of ``model``'s table covers."""
    field_names = {field.name for field in model._meta.get_fields()}
    if "extracted_text" in field_names:
        return ("original_name", "extracted_text")
    return ("title", "body_text")


def uses_gram_index(queryset):
    return connections[queryset.db].vendor == "postgresql"


def match(queryset, words, fields, plan=None):
    """Rows of ``queryset`` in which every word occurs in one of ``fields``.

    ``fields`` must lie within the indexed pair of the model (``title``, ``body_text``
    or either one alone): the key condition is over both, so it is implied. On
    PostgreSQL ``plan`` (a ``KeyPlan`` for these words) saves a query when one
    request matches several tables.
    """
    words = [word for word in words if word]
    if not words:
        return queryset
    postgresql = uses_gram_index(queryset)
    matched = queryset
    for word in words:
        matched = matched.filter(word_condition(word, fields, for_planner=postgresql))
    if postgresql:
        head, _ = indexed_columns(queryset.model)
        key_column = TITLE_KEY_COLUMN if tuple(fields) == (head,) else KEY_COLUMN
        plan = plan or KeyPlan(queryset.db, words)
        keys, rare = plan.keys(queryset.model._meta.db_table, key_column)
        matched = matched.filter(GramMatch(head, keys=keys, rare=rare, key_column=key_column))
    return matched
