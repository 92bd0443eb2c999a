"""View and download counters: atomic increments that return the new value.

Every reading of a post is counted, but a popular post's row is not written on
every reading: readings are counted in the cache and written to the database
VIEW_COUNT_BATCH at a time (``count_view``). With Redis (REDIS_URL) every worker
counts in one place; with the local-memory cache each worker process counts its
own and writes its own batches. A cache that loses a counter (restart, eviction)
loses fewer than VIEW_COUNT_BATCH readings of that post.

A batch the database cannot take (a restart) is kept in the cache (``…:unwritten``) and
added to the next batch: the reading is still served and counted, and nothing is lost.

The database write commits without waiting for its WAL record to reach the disk
(``synchronous_commit`` off for that transaction only, set inside the same
statement): the row lock is held for microseconds instead of a disk flush, so
writers of one post do not queue behind each other. A database crash can lose
the last fraction of a second of increments; nothing else is written this way.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


def add(model, pk, field, amount=1):
    """Add ``amount`` to ``field`` of row ``pk`` and return the new value (None: no such row)."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
    key = quote(model._meta.pk.column)
    relaxed = ""
    if connection.vendor == "postgresql":
        relaxed = "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed "
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + %s {relaxed}WHERE {table}.{key} = %s RETURNING {column}",
            [amount, pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def count_view(model, pk):
    """Count one reading of post ``pk`` and return the count to show (None: no such post).

    ``…:n`` counts readings since the counter began; every VIEW_COUNT_BATCH-th reading
    writes a batch and notes ``…:stored`` = (the database's count, n at that moment).
    The count shown is the stored count plus the readings since.
    """
    batch = settings.VIEW_COUNT_BATCH
    prefix = f"views:{model._meta.label_lower}:{pk}"
    cache.add(f"{prefix}:n", 0, timeout=None)
    try:
        n = cache.incr(f"{prefix}:n")
    except ValueError:  # evicted between add and incr
        cache.set(f"{prefix}:n", 1, timeout=None)
        n = 1
    if n % batch == 0:
        unwritten = cache.get(f"{prefix}:unwritten", 0)
        try:
            total = add(model, pk, "view_count", batch + unwritten)
        except DatabaseError as error:
            logger.warning("조회수를 DB에 쓰지 못해 다음에 함께 씁니다: %s", error)
            cache.set(f"{prefix}:unwritten", unwritten + batch, timeout=None)
            stored = cache.get(f"{prefix}:stored")
            return stored[0] + (n - stored[1]) if stored else n  # the page is still served
        if unwritten:
            cache.delete(f"{prefix}:unwritten")
        if total is not None:
            cache.set(f"{prefix}:stored", (total, n), timeout=None)
        return total
    stored = cache.get(f"{prefix}:stored")
    if stored is None:  # this cache has not seen the post yet: start from the database
        total = model.objects.filter(pk=pk).values_list("view_count", flat=True).first()
        if total is None:
            return None
        stored = (total, n - n % batch)
        cache.set(f"{prefix}:stored", stored, timeout=None)
    total, at = stored
    return total + (n - at)
