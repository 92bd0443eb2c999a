"""Plain-SQL reads of a board's public posts: a list page's ids and rows, a post and its neighbours.

Every page asks these, and built with the ORM each statement took longer to put together than
the database took to answer it; each is tested equal to the ORM query it stands for. A list
page's rows (the columns a row shows, the 담당부서 name, whether a 붙임 exists) are read for
the page's ids only: the ids come from the narrow list index (``OFFSET`` walks index entries, not
joined rows; ``?page=5000`` stays cheap), either the whole public board's (``public_ids``) or a
search's (the ORM's statement, as a subquery).
"""

from django.db import connections

BIGINT_MAX = 2**63 - 1


def on_board(board, connection, alias=""):
    """(sql, params): ``"kind = %s AND "`` for boards that share a table, ``""`` for a board of its own."""
    sql, params = "", []
    for name, value in board.filters.items():
        field = board.model._meta.get_field(name)
        sql += f"{alias}{connection.ops.quote_name(field.column)} = %s AND "
        params.append(field.get_db_prep_value(value, connection))
    return sql, params


def public_where(board, connection, now, alias=""):
    """(sql, params) of the WHERE for ``board``'s public posts at ``now`` (boards.models.public_condition).

    ``alias``: the table's alias and a dot (``"p."``) in a statement that joins another table.
    """
    sql, params = on_board(board, connection, alias)
    moment = connection.ops.adapt_datetimefield_value(now)
    a = alias
    return (
        f"{sql}{a}is_published = %s AND {a}published_at <= %s"
        f" AND ({a}unpublish_at IS NULL OR {a}unpublish_at > %s)",
        [*params, True, moment, moment],
    )


def department_join(connection, model):
    """The LEFT JOIN of a post table aliased ``p`` to its 담당부서, aliased ``d``."""
    quote, department = connection.ops.quote_name, model._meta.get_field("department")
    return (f" LEFT JOIN {quote(department.related_model._meta.db_table)} d"
            f" ON d.id = p.{quote(department.column)}")


def public_ids(board, now, offset, limit, fields=("id",), before=None):
    """(sql, params) selecting ``fields`` (the ids) of ``board``'s public posts ``offset``… in list order.

    ``before``: only posts published before that moment (a deep page, boards/month_counts.py).
    """
    connection = connections[board.db]
    where, params = public_where(board, connection, now)
    if before is not None:
        where += " AND published_at < %s"
        params.append(connection.ops.adapt_datetimefield_value(before))
    meta = board.model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    sql = (
        f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} WHERE {where}"
        " ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s"
    )
    return sql, [*params, limit, offset]


def queryset_ids(queryset):
    """(sql, params) of a queryset's ids (a search's page), for ``rows``."""
    return queryset.values("pk").query.get_compiler(queryset.db).as_sql()


def rows(board, ids_sql, ids_params):
    """The posts ``ids_sql`` selects, newest first, each with ``department_name`` and ``has_attachments``.

    Only the model's LIST_FIELDS and the board's own columns (``kind``) are read; another field
    of a row would be read by a query of its own (the list query-count tests would show it).
    """
    model = board.model
    connection = connections[board.db]
    quote = connection.ops.quote_name
    fields = (*model.LIST_FIELDS, *board.filters)
    columns = ", ".join(f"p.{quote(model._meta.get_field(name).column)}" for name in fields)
    attachments = board.attachment_model._meta
    sql = (
        f"SELECT {columns}, d.name AS department_name,"
        f" EXISTS (SELECT 1 FROM {quote(attachments.db_table)} a"
        f" WHERE a.{quote(attachments.get_field('post').column)} = p.id) AS has_attachments"
        f" FROM {quote(model._meta.db_table)} p{department_join(connection, model)}"
        f" WHERE p.id IN ({ids_sql}) ORDER BY p.published_at DESC, p.id DESC"
    )
    return list(model.objects.db_manager(board.db).raw(sql, ids_params))


def public_post(board, pk, now):
    """``board``'s public post ``pk`` with its 담당부서, or None: one plain statement (a post page's read)."""
    if not 0 < pk <= BIGINT_MAX:  # no such id (and SQLite would refuse a larger number)
        return None
    db = board.db
    connection = connections[db]
    quote = connection.ops.quote_name
    department = board.model._meta.get_field("department")
    department_fields = department.related_model._meta.concrete_fields
    where, params = public_where(board, connection, now, alias="p.")
    sql = (
        "SELECT p.*, " + ", ".join(f"d.{quote(field.column)} AS {quote('department__' + field.attname)}"
                                   for field in department_fields)
        + f" FROM {quote(board.model._meta.db_table)} p{department_join(connection, board.model)}"
        f" WHERE {where} AND p.id = %s"
    )
    post = next(iter(board.model.objects.db_manager(db).raw(sql, [*params, pk])), None)
    if post is not None and post.department_id is not None:
        post.department = department.related_model.from_db(
            db, [field.attname for field in department_fields],
            [getattr(post, f"department__{field.attname}") for field in department_fields],
        )
    return post


def neighbours(board, post, now):
    """(previous, next) of ``post`` among ``board``'s public posts in list order (older, newer), or None."""
    db = board.db
    connection = connections[db]
    where, params = public_where(board, connection, now)
    table = connection.ops.quote_name(board.model._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(post.published_at)
    # The redundant range bound lets the index scan start at the post, not at one end of the board.
    side = (
        f"SELECT id, title, published_at FROM {table} WHERE {where}"
        " AND published_at {bound} %s AND (published_at {step} %s OR id {step} %s)"
        " ORDER BY published_at {order}, id {order} LIMIT 1"
    )
    older = side.format(bound="<=", step="<", order="DESC")
    newer = side.format(bound=">=", step=">", order="ASC")
    sql = f"SELECT 0, older.* FROM ({older}) AS older UNION ALL SELECT 1, newer.* FROM ({newer}) AS newer"
    found = [None, None]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, at, at, post.pk, *params, at, at, post.pk])
        for which, *values in cursor.fetchall():
            found[which] = instance(board, connection, db, ("id", "title", "published_at"), values)
    return tuple(found)


def instance(board, connection, db, names, values):
    """The board's model from a row of ``names``, converted as the ORM would (SQLite gives dates as text)."""
    meta = board.model._meta
    known = dict(board.filters)  # the board's own values (kind="news"): the post knows its board, its link
    for name, value in zip(names, values):
        field = meta.get_field(name)
        converters = connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection)
        for convert in converters:
            value = convert(value, field.cached_col, connection)
        known[name] = value
    fields = [field for field in meta.concrete_fields if field.name in known]  # from_db's order
    return board.model.from_db(
        db, [field.attname for field in fields], [known[field.name] for field in fields]
    )
