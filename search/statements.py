"""통합검색's statements, compiled once per shape (PostgreSQL).

Building and compiling the ORM querysets of a search cost Django some 20 ms: more
than PostgreSQL took to answer them. Their SQL depends on little — which part and
step (with its LIMIT), how many words and which have letter case, whether a word
is rare in the table (the form of the key condition, search/keyplan.py), which
period bounds are set — while the words, their keys, the time, the period, the
cutoffs and the rows shown are parameters. So a process compiles each shape once,
from querysets built with a sentinel in place of each such value (a value no
search holds), and every later statement of the shape puts its own values where
the sentinels stand.
"""

import datetime

from . import engine
from .unions import Compiled, compiled

CACHE_SIZE = 1024  # some 1.5 kB each; 300 two-syllable searches made 151 shapes
_templates = {}  # per process: shape -> (sql, [(label, None) or (None, constant), …], database), or None

MISSING = object()
SENTINEL_MOMENT = datetime.datetime(1901, 1, 1, tzinfo=datetime.timezone.utc)
SENTINEL_NUMBER = -1_000_000_000


def sentinel(number, value):
    """A stand-in for ``value`` that no search holds: private-use characters, 1901, large negatives."""
    if isinstance(value, str):  # with letter case where ``value`` has it (the SQL depends on it)
        return f"\ue000{number}{'' if engine.is_caseless(value) else 'A'}\ue001"
    if isinstance(value, datetime.datetime):
        return SENTINEL_MOMENT + datetime.timedelta(microseconds=number + 1)
    if isinstance(value, list):
        return [SENTINEL_NUMBER - number]
    if isinstance(value, int) and not isinstance(value, bool):
        return SENTINEL_NUMBER - number
    raise TypeError(f"no sentinel for {value!r}")


def kind_of(value):
    if isinstance(value, str):
        return ("str", engine.is_caseless(value))
    return type(value).__name__


def statement(shape, values, build):
    """``build(values)`` compiled, from its shape's template when there is one.

    ``values`` maps labels to the values that are parameters (None where a value is
    absent); ``build`` makes the queryset from such a mapping and from nothing else
    but what ``shape`` names.
    """
    values = {label: value for label, value in values.items() if value is not None}
    key = (shape, tuple((label, kind_of(value)) for label, value in values.items()))
    found = _templates.get(key, MISSING)
    if found is MISSING:  # (read once: another thread may clear the dict meanwhile)
        found = template(values, build)
        if len(_templates) >= CACHE_SIZE:
            _templates.clear()
        _templates[key] = found
    if found is None:  # a value would not be a parameter: compile this one's own
        return compiled(build(values))
    sql, params, database = found
    return Compiled(sql, [values[label] if label else constant for label, constant in params], database)


def template(values, build):
    """The SQL of ``build`` on sentinels, each sentinel among the parameters replaced by its label."""
    sentinels = {label: sentinel(number, value) for number, (label, value) in enumerate(values.items())}
    sql, params, database = compiled(build(sentinels))
    labels = {hashable(value): label for label, value in sentinels.items()}
    template = []
    for param in params:
        label = labels.get(hashable(param)) if is_hashable(param) else None
        template.append((label, None if label else param))
    inlined = ["\ue000", str(SENTINEL_NUMBER)[:-1], SENTINEL_MOMENT.date().isoformat()]
    if any(mark in sql for mark in inlined) or any(
        label is None and any(mark in str(constant) for mark in inlined) for label, constant in template
    ):
        return None
    return sql, template, database


def hashable(value):
    return tuple(value) if isinstance(value, list) else value


def is_hashable(value):
    try:
        hash(hashable(value))
    except TypeError:
        return False
    return True


class FixedPlan:
    """A KeyPlan's form (rare or not) for one table, with the keys given."""

    def __init__(self, plan, table, keys):
        self.plan, self.table, self.given = plan, table, keys

    def keys(self, table, column):
        if table != self.table:
            raise LookupError(f"no keys given for {table}")
        return self.given[column], self.plan.keys(table, column)[1]
