"""Which search keys each query word looks up, chosen so PostgreSQL plans well.

A word's keys are its character pairs ("주민자치": 주민, 민자, 자치). Asking the index
for all of them is exact but misleads PostgreSQL's planner: it multiplies the
pairs' frequencies as if they were independent, while the pairs of one word
almost always come together. At a million posts it took "주민자치" (in 17 % of
titles) for a word in one title of a thousand, fetched 110,000 rows to sort them
and spent four seconds where reading the newest rows would have taken two
milliseconds. So a word the column statistics list (a common one) looks up its
rarest key alone, and the estimate is that key's own frequency: an upper bound
of the word's, never far off.

A word whose rarest key is not listed is rare (ANALYZE lists every key in more
than about 0.3 % of the rows; search/schema.py). Reading newest-first until five
turn up would then mean reading the whole board, so the planner must not be
tempted: such a word looks up all its pairs and its single characters (each one
a key of every text holding the word), and the key condition is repeated as an
overlap (``&&``), which the planner counts a second time. The estimate drops to a
handful of rows, the index finds the few there are, and a sort of them is cheap.
None of these conditions can drop a true match; LIKE decides in the end.

One query per search fetches the words' keys; the same query brings the key
columns' statistics (most_common_elems) when this process's copy is older than
STATISTICS_SECONDS.
"""

import time

from django.db import connections

from . import schema
from .schema import KEY_COLUMN, TITLE_KEY_COLUMN

STATISTICS_SECONDS = 600
_statistics = {"loaded": None, "frequencies": {}}  # per process: (table, column) -> {key: frequency}

PLAN_SQL = rf"""
SELECT 'word', n::text, NULL, search_query_grams(word), NULL::real[]
FROM unnest(%s::text[]) WITH ORDINALITY AS words (word, n)
UNION ALL
SELECT 'characters', n::text, NULL, search_query_grams(regexp_replace(word, '(.)', '\1 ', 'g')), NULL::real[]
FROM unnest(%s::text[]) WITH ORDINALITY AS words (word, n)
UNION ALL
SELECT 'statistics', tablename::text, attname::text, most_common_elems::text::int[], most_common_elem_freqs
FROM pg_stats
WHERE %s AND schemaname = current_schema() AND tablename = ANY(%s)
  AND attname IN ('{KEY_COLUMN}', '{TITLE_KEY_COLUMN}')
"""


class KeyPlan:
    """The keys to look up for ``words`` in each key column (PostgreSQL only)."""

    def __init__(self, using, words):
        refresh = _statistics["loaded"] is None or time.monotonic() - _statistics["loaded"] > STATISTICS_SECONDS
        searched = [table for table, _, _ in schema.tables()]
        with connections[using].cursor() as cursor:
            cursor.execute(PLAN_SQL, [list(words), list(words), refresh, searched])
            rows = cursor.fetchall()
        if refresh:
            _statistics["frequencies"] = {
                (table, column): dict(zip(keys or [], frequencies or []))
                for kind, table, column, keys, frequencies in rows if kind == "statistics"
            }
            _statistics["loaded"] = time.monotonic()
        by_word = {}
        for kind, number, _, keys, _ in rows:
            if kind in ("word", "characters"):
                by_word.setdefault(int(number), {})[kind] = list(keys)
        self.word_keys = [(found["word"], found["characters"]) for _, found in sorted(by_word.items())]

    def keys(self, table, column):
        """``(keys, rare)`` for ``table.column``: the keys to look up, and whether a word is rare."""
        listed = _statistics["frequencies"].get((table, column), {})
        chosen, rare = set(), False
        for pairs, characters in self.word_keys:
            if not pairs:
                continue
            rarest = min(pairs, key=lambda key: (listed.get(key, 0.0), key))
            if rarest in listed:
                chosen.add(rarest)
            else:
                chosen.update(pairs, characters)
                rare = True
        return sorted(chosen), rare

