"""Several small queries in one statement, by UNION ALL: the rows of each."""

from collections import namedtuple

from django.db import connections

Compiled = namedtuple("Compiled", "sql params database")


def rows_each(queries):
    """``{key: [row, …]}`` of ``values_list`` querysets (or ``Compiled`` SQL) with the same columns."""
    found, parts, params, database = {key: [] for key in queries}, [], [], None
    keys = list(queries)
    for number, query in enumerate(queries.values()):
        sql, query_params, database = query if isinstance(query, Compiled) else (
            *query.query.sql_with_params(), query.db)
        parts.append(f"SELECT {number} AS part, part_rows.* FROM ({sql}) AS part_rows")
        params.extend(query_params)
    if parts:
        with connections[database].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for number, *row in cursor.fetchall():
                found[keys[number]].append(tuple(row))
    return found
