"""Several small queries in one statement, by UNION ALL: one value or some rows from each queryset."""

from collections import namedtuple

from django.db import connections

Compiled = namedtuple("Compiled", "sql params database")


def compiled(query):
    """A queryset's SQL and parameters; an already ``Compiled`` statement as it is."""
    if isinstance(query, Compiled):
        return query
    sql, params = query.query.sql_with_params()
    return Compiled(sql, params, query.db)


def _union_all(querysets, select):
    """``[(key, *row), …]``: ``SELECT <select> FROM (<queryset>) AS part_rows`` of each, in one statement."""
    keys, parts, params = list(querysets), [], []
    for number, key in enumerate(keys):
        sql, query_params, database = compiled(querysets[key])
        parts.append(f"SELECT {number} AS part, {select} FROM ({sql}) AS part_rows")
        params.extend(query_params)
    with connections[database].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [(keys[number], *row) for number, *row in cursor.fetchall()]


def one_value_each(querysets, select):
    """``{key: value}`` with value = ``SELECT <select> FROM (<queryset>)``, None where it gives no row."""
    found = dict(_union_all(querysets, select)) if querysets else {}
    return {key: found.get(key) for key in querysets}


def rows_each(querysets):
    """``{key: [row, …]}`` of many ``values_list`` querysets (or ``Compiled`` ones) with the same columns."""
    found = {key: [] for key in querysets}
    for key, *row in _union_all(querysets, "part_rows.*") if querysets else []:
        found[key].append(tuple(row))
    return found
