"""Prints how PostgreSQL reads a board list at scale: page 1, a deep page (by OFFSET, from its month), 총 N건.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/geumcheon_bench \\
        .venv/bin/python bench/list_plans.py [board] [page]

For each query: the scan of the posts table (Index Only Scan means the list index alone
answered, 게시 종료일시 included), heap fetches, buffers read, and the execution time
(the best of five EXPLAIN ANALYZE runs). Run it on the bench database after ``make bench``.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from django.utils import timezone  # noqa: E402

from boards import registry  # noqa: E402
from boards.listing import public_ids  # noqa: E402
from boards.month_counts import months_and_total, months_and_total_sql, seek  # noqa: E402
from boards.post_counts import public_count_sql  # noqa: E402


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def explain(queryset, count=False):
    sql, params = queryset if isinstance(queryset, tuple) else queryset.query.sql_with_params()
    if count:
        sql = f"SELECT COUNT(*) FROM ({sql}) AS listed"
    runs = []
    with connection.cursor() as cursor:
        for _ in range(5):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            output = cursor.fetchone()[0]
            runs.append((json.loads(output) if isinstance(output, str) else output)[0])
    best = min(runs, key=lambda run: run["Execution Time"])
    table = registry.get(BOARD).model._meta.db_table
    scans = [node for node in plan_nodes(best["Plan"]) if node.get("Relation Name") == table]
    return best, scans


def report(label, queryset, count=False):
    best, scans = explain(queryset, count)
    for scan in scans:
        print(f"{label}: {scan['Node Type']} on {scan.get('Index Name', '-')}, "
              f"heap fetches {scan.get('Heap Fetches', '-')}, rows {scan.get('Actual Rows')}, "
              f"buffers {scan.get('Shared Hit Blocks', 0) + scan.get('Shared Read Blocks', 0)}")
    print(f"{label}: {best['Execution Time']:.1f} ms")


BOARD = sys.argv[1] if len(sys.argv) > 1 else "news"
PAGE = int(sys.argv[2]) if len(sys.argv) > 2 else 5000

if __name__ == "__main__":
    assert connection.vendor == "postgresql", "PostgreSQL only (set DATABASE_URL)"
    posts = registry.get(BOARD).posts().published().for_list()
    size = settings.BOARD_PAGE_SIZE
    report("page 1 ids", posts.values("pk")[:size])
    report(f"page {PAGE} ids", posts.values("pk")[(PAGE - 1) * size:PAGE * size])
    report("count", posts.order_by().values("pk"), count=True)
    # What the list asks now (boards/post_counts.py): the kept count and two short ranges.
    report("count kept", public_count_sql(registry.get(BOARD), timezone.now()))
    # What a deep page asks now (boards/month_counts.py): the months, then the page from its month on.
    board, now = registry.get(BOARD), timezone.now()
    months, total = months_and_total(board, now)
    report("months and total", months_and_total_sql(board, now))
    before, offset = seek(months, total, (PAGE - 1) * size)
    report(f"page {PAGE} ids from its month", public_ids(board, now, offset, size, before=before))
