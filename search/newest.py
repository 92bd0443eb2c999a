"""The newest few matches, by plans that cannot run away (PostgreSQL).

"The five newest posts holding 설치" has two good plans, and the planner picks by
its estimate of how common the word is: read the board newest-first until five
turn up (right for a common word), or find every match through the key index and
sort them (right for a rare one). At a million posts a wrong pick costs seconds:
reading a whole board newest-first for a word that only old posts hold, or that
one of two boards sharing a table (금천소식, 고시공고) never uses. The estimate
cannot see such skews, so the choice is made here, from facts:

* a group with at most COUNT_CAP matches (the count is exact then) is sorted from
  its matches: the newest-first reading is not offered to the planner at all;
* otherwise the newest-first reading is bounded: only posts at or after the
  board's CUTOFF_ROWS-th newest (``cutoff``). If that finds too few, the word is
  rare among recent posts and the older rest is sorted from its matches.

Counts (results.py) go the same way: up to COUNT_CAP + 1 among the posts since the
cutoff, by whichever plan; only a group that falls short counts its older posts,
and there no index is walked at all (``enable_indexscan`` off for that statement).

"Not offered" means ordering by ``게시일시 + 0초``, which no index holds. The two
parts meet at ``cutoff`` without gap or overlap, so the answer is the same as one
ORDER BY … LIMIT; only the work differs.
"""

import datetime

from django.db.models import F, Value

from .batch import one_value_each

CUTOFF_ROWS = 2000


def by_sorting(order):
    """``order`` with its leading date made into an expression no index serves."""
    date, *rest = order
    name = date.lstrip("-")
    shifted = F(name) + Value(datetime.timedelta(0))
    return (shifted.desc() if date.startswith("-") else shifted.asc(), *rest)


def newest(matches, order, count, *, sparse, cutoff, date_field):
    """The first ``count`` rows of ``matches`` in ``order`` (newest first)."""
    if sparse or cutoff is None:
        return list(matches.order_by(*by_sorting(order))[:count])
    recent = list(matches.filter(**{f"{date_field}__gte": cutoff}).order_by(*order)[:count])
    if len(recent) >= count:
        return recent
    older = matches.filter(**{f"{date_field}__lt": cutoff}).order_by(*by_sorting(order))
    return recent + list(older[:count - len(recent)])


def board_cutoffs(groups):
    """``{key: date of the CUTOFF_ROWS-th newest row}`` for ``{key: (queryset, date field)}``, in one query.

    None for a group with fewer rows: reading all of it is cheap anyway. Any date
    would give the same answers; this one keeps both parts of a reading short.
    """
    nth = {
        key: queryset.order_by(f"-{date}").values(cutoff=F(date))[CUTOFF_ROWS:CUTOFF_ROWS + 1]
        for key, (queryset, date) in groups.items()
    }
    return one_value_each(nth, "cutoff")
