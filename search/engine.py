"""Korean text matching shared by the board lists and 통합검색.

The answer is always LIKE: every word of the query must occur, case-insensitively,
inside words too ("채용" finds "기간제근로자채용"). SQLite answers with LIKE alone.
On PostgreSQL the rows are first narrowed through the search table's index
(search/index.py): a row holding a word holds its character pairs, so the keys
never drop a true match, and LIKE still decides.
"""

import unicodedata

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from boards import registry

from .index import FILES, TABLE


def is_caseless(word):
    """True when upper- and lower-case cannot differ: Hangul, Han, digits, signs."""
    return all(not unicodedata.category(ch).startswith("L") or unicodedata.category(ch) == "Lo"
               for ch in word)


def word_condition(word, fields):
    """``word`` occurs in one of ``fields`` (a plain LIKE for words without letter case)."""
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


def indexed(model, words, heading_only):
    """``pk IN (…)``: the rows of ``model`` whose keys hold every word's keys (PostgreSQL).

    Their group: 붙임 for an attachment model, else each board on the model's table. A text's
    keys are salted by quarter, so each of the group's quarters is looked up.
    """
    table = model._meta.db_table
    if model in registry.attachment_models():
        groups = [FILES]
    else:
        groups = [board.slug for board in registry.all_boards() if board.model._meta.db_table == table]
    selects, params = [], []
    for group in groups:
        if not heading_only:  # the text's keys: a bucket a quarter
            selects.append(f"SELECT object_id FROM search_quarters(%s) AS quarter JOIN {TABLE} "
                           "ON keys @> search_query_keys(%s || '@' || quarter, %s::text[], '') WHERE source = %s")
            params += [group, group, words, table]
        # the heading's keys, or the texts too long to be keyed: one bucket (search/index.sql)
        selects.append(f"SELECT object_id FROM {TABLE} WHERE source = %s "
                       "AND keys @> search_query_keys(%s, %s::text[], %s)")
        params += [table, group, words, "t:" if heading_only else "*"]
    return Q(pk__in=RawSQL(" UNION ALL ".join(selects), params))


def match(queryset, words, fields):
    """Rows of ``queryset`` in which every word occurs in one of ``fields``.

    ``fields`` lie within the model's searched pair (``title``, ``body_text`` or
    either one alone; for 붙임 ``original_name``, ``extracted_text``).
    """
    words = [word for word in words if word]
    if not words:
        return queryset
    matched = queryset.filter(all_words_condition(words, fields))
    if connections[queryset.db].vendor == "postgresql":
        heading_only = tuple(fields) in {("title",), ("original_name",)}
        matched = matched.filter(indexed(queryset.model, words, heading_only))
    return matched
