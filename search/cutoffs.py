"""Plans that cannot run away: the boards' cutoffs and orderings no index serves (PostgreSQL).

"The five newest posts holding 설치" has two good plans, and the planner picks by
its estimate of how common the word is: read the board newest-first until five
turn up (right for a common word), or find every match through the key index and
sort them (right for a rare one). At a million posts a wrong pick costs seconds:
reading a whole board newest-first for a word that only old posts hold, or that
one of two boards sharing a table (금천소식, 고시공고) never uses. The estimate
cannot see such skews, so search/reading.py decides from facts:

* newest-first readings are bounded: only rows at or after the group's
  CUTOFF_ROWS-th newest (``cutoff``), whichever plan the planner takes there;
* the older rows are counted without walking any index (``enable_indexscan``
  off), and read in order only by sorting their matches (``by_sorting``).

Sorting means ordering by ``게시일시 + 0초``, which no index holds. The two parts
meet at ``cutoff`` without gap or overlap, so the answers are those of one
ORDER BY … LIMIT; only the work differs.
"""

import datetime
import time

from django.db.models import F, Value

from .unions import one_value_each

CUTOFF_ROWS = 2000


def by_sorting(order):
    """``order`` with its leading date made into an expression no index serves."""
    date, *rest = order
    name = date.lstrip("-")
    shifted = F(name) + Value(datetime.timedelta(0))
    return (shifted.desc() if date.startswith("-") else shifted.asc(), *rest)


_cutoffs = {}  # per process: (database, key) -> (cutoff, when read)


def board_cutoffs(groups, max_age=0):
    """``{key: date of the CUTOFF_ROWS-th newest row}`` for ``{key: (queryset, date field)}``, in one query.

    None for a group with fewer rows: reading all of it is cheap anyway. Any date
    gives the same answers (only the work differs), so a process reuses what it
    read for ``max_age`` seconds: the newest posts move a cutoff by a few rows a day.
    """
    now = time.monotonic()
    database = next(iter(groups.values()))[0].db if groups else None
    fresh = {
        key: _cutoffs[database, key][0] for key in groups
        if (database, key) in _cutoffs and now - _cutoffs[database, key][1] < max_age
    }
    nth = {
        key: queryset.order_by(f"-{date}").values(cutoff=F(date))[CUTOFF_ROWS:CUTOFF_ROWS + 1]
        for key, (queryset, date) in groups.items() if key not in fresh
    }
    read = one_value_each(nth, "cutoff")
    _cutoffs.update({(database, key): (value, now) for key, value in read.items()})
    return {**fresh, **read}
