"""The triggers that keep ``BoardMonth`` (boards/month_counts.py explains what it is for).

The same rule as ``BoardCount`` (boards/count_triggers.py), one row per month of 게시일시 in
UTC, so a post whose 게시일시 moves is also counted again. Every board app's migrations run
``PostMonthTriggers`` for its post table; what it emits must never change (old migrations would
run the new SQL): a change is a new operation and migration.
"""

from .count_triggers import PostCountTriggers

POSTGRESQL_MONTH = "to_char({}.published_at AT TIME ZONE 'UTC', 'YYYY-MM')"
SQLITE_MONTH = "substr({}.published_at, 1, 7)"  # Django keeps UTC text: 'YYYY-MM-DD HH:MM:SS'
TRIGGERS = ("keep_month", "keep_month_on_update")  # PostgreSQL's, paused for bulk loads


def _changed(column, distinct):
    names = ["is_published", "unpublish_at", "published_at", *([column] if column else [])]
    return " OR ".join(f"OLD.{name} {distinct} NEW.{name}" for name in names)


def _postgresql(table, column):
    old_key, new_key = (f"OLD.{column}", f"NEW.{column}") if column else ("''", "''")
    old_month, new_month = POSTGRESQL_MONTH.format("OLD"), POSTGRESQL_MONTH.format("NEW")
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_keep_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.is_published AND OLD.unpublish_at IS NULL THEN
    UPDATE boards_boardmonth SET open = open - 1
    WHERE board_table = '{table}' AND board_key = {old_key} AND month = {old_month};
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.is_published AND NEW.unpublish_at IS NULL THEN
    INSERT INTO boards_boardmonth (board_table, board_key, month, open)
    VALUES ('{table}', {new_key}, {new_month}, 1)
    ON CONFLICT (board_table, board_key, month) DO UPDATE SET open = boards_boardmonth.open + 1;
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE TRIGGER {table}_keep_month AFTER INSERT OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {table}_keep_month()""",
        f"""CREATE TRIGGER {table}_keep_month_on_update AFTER UPDATE ON {table}
FOR EACH ROW WHEN ({_changed(column, "IS DISTINCT FROM")}) EXECUTE FUNCTION {table}_keep_month()""",
    ]


def _drop_postgresql(table, column):
    return [
        f"DROP TRIGGER IF EXISTS {table}_keep_month_on_update ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_keep_month ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_keep_month()",
    ]


def _sqlite(table, column):
    old_key, new_key = (f"OLD.{column}", f"NEW.{column}") if column else ("''", "''")
    subtract = (f"UPDATE boards_boardmonth SET open = open - 1 WHERE board_table = '{table}' "
                f"AND board_key = {old_key} AND month = {SQLITE_MONTH.format('OLD')}")
    add = (f"INSERT INTO boards_boardmonth (board_table, board_key, month, open) "
           f"VALUES ('{table}', {new_key}, {SQLITE_MONTH.format('NEW')}, 1) "
           f"ON CONFLICT (board_table, board_key, month) DO UPDATE SET open = open + 1")
    was_open = "OLD.is_published AND OLD.unpublish_at IS NULL"
    is_open = "NEW.is_published AND NEW.unpublish_at IS NULL"
    changed = _changed(column, "IS NOT")
    return [
        f"CREATE TRIGGER {table}_month_insert AFTER INSERT ON {table} WHEN {is_open} BEGIN {add}; END",
        f"CREATE TRIGGER {table}_month_delete AFTER DELETE ON {table} WHEN {was_open} BEGIN {subtract}; END",
        # Two triggers, each with its own condition: SQLite has no IF inside a trigger.
        f"CREATE TRIGGER {table}_month_update_old AFTER UPDATE ON {table} "
        f"WHEN ({changed}) AND {was_open} BEGIN {subtract}; END",
        f"CREATE TRIGGER {table}_month_update_new AFTER UPDATE ON {table} "
        f"WHEN ({changed}) AND {is_open} BEGIN {add}; END",
    ]


def _drop_sqlite(table, column):
    names = ("insert", "delete", "update_old", "update_new")
    return [f"DROP TRIGGER IF EXISTS {table}_month_{name}" for name in names]


def backfill_sql(table, column, vendor):
    month = {"postgresql": POSTGRESQL_MONTH, "sqlite": SQLITE_MONTH}[vendor].format(table)
    key, group = (column, f"{column}, {month}") if column else ("''", month)  # PostgreSQL: no GROUP BY ''
    return (
        f"INSERT INTO boards_boardmonth (board_table, board_key, month, open) "
        f"SELECT '{table}', {key}, {month}, COUNT(*) FROM {table} "
        f"WHERE is_published AND unpublish_at IS NULL GROUP BY {group}"
    )


class PostMonthTriggers(PostCountTriggers):
    """Keeps ``BoardMonth`` for one post table (``key_column``: what tells its boards apart, if any)."""

    counts = "boards_boardmonth"
    create = {"postgresql": _postgresql, "sqlite": _sqlite}
    drop = {"postgresql": _drop_postgresql, "sqlite": _drop_sqlite}

    def backfill(self, vendor):
        return backfill_sql(self.table, self.key_column, vendor)

    def describe(self):
        return f"The database keeps the monthly count of open public posts of {self.table}"
