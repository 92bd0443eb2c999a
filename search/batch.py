"""Several small queries in one statement: one value from each queryset, by UNION ALL."""

from django.db import connections


def one_value_each(querysets, select):
    """``{key: value}`` with value = ``SELECT <select> FROM (<queryset>)``, None where it gives no row."""
    if not querysets:
        return {}
    keys, parts, params = list(querysets), [], []
    for number, key in enumerate(keys):
        sql, query_params = querysets[key].query.sql_with_params()
        parts.append(f"SELECT {number} AS part, {select} AS value FROM ({sql}) AS part_{number}")
        params.extend(query_params)
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = dict(cursor.fetchall())
    return {key: found.get(number) for number, key in enumerate(keys)}


def rows_each(querysets):
    """``{key: [row, …]}`` of many ``values_list`` querysets with the same columns, in one statement."""
    if not querysets:
        return {}
    keys, parts, params = list(querysets), [], []
    for number, key in enumerate(keys):
        sql, query_params = querysets[key].query.sql_with_params()
        parts.append(f"SELECT {number} AS part, part_{number}.* FROM ({sql}) AS part_{number}")
        params.extend(query_params)
    database = next(iter(querysets.values())).db
    found = {key: [] for key in keys}
    with connections[database].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for number, *row in cursor.fetchall():
            found[keys[number]].append(tuple(row))
    return found
