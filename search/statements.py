"""통합검색's light-row statements, compiled once per shape (PostgreSQL).

Building and compiling the ORM querysets of search/reading.py cost Django some
20 ms a search: more than PostgreSQL took to answer them. Their SQL depends on
little: the part and the step (with its LIMIT), how many words there are and
which have letter case, whether a word is rare in the part's table (the form of
the key condition, search/keyplan.py), which period bounds are set and whether
the part has a cutoff. The words, their keys, the time, the period and the cutoff
are parameters. So a process compiles each shape once, from a twin search that
holds a sentinel in place of each of those values, and every later search of the
shape puts its own values where the sentinels stand.
"""

import dataclasses
import datetime

from . import engine
from .batch import Compiled, compiled
from .schema import KEY_COLUMN, TABLES, TITLE_KEY_COLUMN

CACHE_SIZE = 4096
_templates = {}  # per process: shape -> (sql, [(label, None) or (None, constant), …], database), or None

_moment = datetime.datetime(1901, 1, 1, tzinfo=datetime.timezone.utc)
MOMENTS = {name: _moment + datetime.timedelta(microseconds=n + 1)
           for n, name in enumerate(("now", "since", "until", "cutoff"))}
KEY_COLUMNS = (KEY_COLUMN, TITLE_KEY_COLUMN)
SENTINEL_KEYS = {
    (table, column): [-1_000_000_000 - n]
    for n, (table, column) in enumerate((table, column) for table, _, _ in TABLES for column in KEY_COLUMNS)
}


def sentinel_word(number, word):
    """A word no text holds, private-use characters, with letter case where ``word`` has it."""
    return f"\ue000{number}{'' if engine.is_caseless(word) else 'A'}\ue001"


class SentinelPlan:
    """A KeyPlan's choice of form (rare or not) with a sentinel for the keys."""

    def __init__(self, plan):
        self.plan = plan

    def keys(self, table, column):
        return list(SENTINEL_KEYS[table, column]), self.plan.keys(table, column)[1]


class Statements:
    """``compiled()`` gives a step's statement for this search, from its shape's template."""

    def __init__(self, search):
        self.search = search
        self.twin_parts = None

    def shape(self, reading, key, step):
        search, part = self.search, reading.parts[key]
        return (
            search.database, key, step, reading.cap,
            tuple(engine.is_caseless(word) for word in search.words),
            search.since is None, search.until is None, part.cutoff is None,
            tuple(search.plan.keys(part.table, column)[1] for column in KEY_COLUMNS),
        )

    def compiled(self, reading, key, step):
        shape = self.shape(reading, key, step)
        if shape not in _templates:
            if len(_templates) >= CACHE_SIZE:
                _templates.clear()
            _templates[shape] = self.template(reading, key, step)
        template = _templates[shape]
        if template is None:  # a value would not be a parameter: compile this search's own
            return compiled(reading.queryset(reading.parts[key], step))
        sql, params, database = template
        values = self.values(reading.parts[key])
        return Compiled(sql, [values[label] if label else constant for label, constant in params], database)

    def values(self, part):
        search = self.search
        values = {("word", n): word for n, word in enumerate(search.words)}
        values.update({("now",): search.now, ("since",): search.since, ("until",): search.until,
                       ("cutoff",): part.cutoff})
        values.update({("keys", column): search.plan.keys(part.table, column)[0] for column in KEY_COLUMNS})
        return values

    def template(self, reading, key, step):
        """The twin's statement, each sentinel among its parameters replaced by its label."""
        from .reading import Reading

        search = self.search
        twin = dataclasses.replace(
            search,
            words=[sentinel_word(n, word) for n, word in enumerate(search.words)],
            now=MOMENTS["now"],
            since=MOMENTS["since"] if search.since is not None else None,
            until=MOMENTS["until"] if search.until is not None else None,
            plan=SentinelPlan(search.plan),
        )
        if self.twin_parts is None:
            self.twin_parts = twin.parts()
        part = dataclasses.replace(self.twin_parts[key], light=None, recent=[], older=[],
                                   cutoff=MOMENTS["cutoff"] if reading.parts[key].cutoff is not None else None)
        sql, params, database = compiled(Reading(twin, {key: part}, reading.cap).queryset(part, step))
        labels = {word: ("word", n) for n, word in enumerate(twin.words)}
        labels.update({moment: (name,) for name, moment in MOMENTS.items()})
        labels.update({tuple(SENTINEL_KEYS[part.table, column]): ("keys", column) for column in KEY_COLUMNS})
        template = []
        for param in params:
            label = labels.get(tuple(param) if isinstance(param, list) else param) if is_hashable(param) else None
            template.append((label, None if label else param))
        if "\ue000" in sql or any(label is None and "\ue000" in str(constant) for label, constant in template):
            return None
        return sql, template, database


def is_hashable(value):
    try:
        hash(tuple(value) if isinstance(value, list) else value)
    except TypeError:
        return False
    return True
