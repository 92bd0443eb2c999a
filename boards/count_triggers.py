"""The triggers that keep ``BoardCount`` (boards/post_counts.py explains the count).

Every board app's migrations run ``PostCountTriggers`` for its post table. What it emits must
never change (old migrations would run the new SQL); a change is a new operation and migration.
"""

from .post_dates import TableSQL


def _postgresql(table, column):
    old_key, new_key = (f"OLD.{column}", f"NEW.{column}") if column else ("''", "''")
    changed = "OLD.is_published IS DISTINCT FROM NEW.is_published OR OLD.unpublish_at IS DISTINCT FROM NEW.unpublish_at"
    if column:
        changed += f" OR OLD.{column} IS DISTINCT FROM NEW.{column}"
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_keep_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.is_published AND OLD.unpublish_at IS NULL THEN
    UPDATE boards_boardcount SET open = open - 1 WHERE board_table = '{table}' AND board_key = {old_key};
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.is_published AND NEW.unpublish_at IS NULL THEN
    INSERT INTO boards_boardcount (board_table, board_key, open) VALUES ('{table}', {new_key}, 1)
    ON CONFLICT (board_table, board_key) DO UPDATE SET open = boards_boardcount.open + 1;
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE TRIGGER {table}_keep_count AFTER INSERT OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {table}_keep_count()""",
        f"""CREATE TRIGGER {table}_keep_count_on_update AFTER UPDATE ON {table}
FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {table}_keep_count()""",
    ]


def _drop_postgresql(table, column):
    return [
        f"DROP TRIGGER IF EXISTS {table}_keep_count_on_update ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_keep_count ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_keep_count()",
    ]


def _sqlite(table, column):
    old_key, new_key = (f"OLD.{column}", f"NEW.{column}") if column else ("''", "''")
    subtract = (f"UPDATE boards_boardcount SET open = open - 1 "
                f"WHERE board_table = '{table}' AND board_key = {old_key}")
    add = (f"INSERT INTO boards_boardcount (board_table, board_key, open) VALUES ('{table}', {new_key}, 1) "
           f"ON CONFLICT (board_table, board_key) DO UPDATE SET open = open + 1")
    was_open = "OLD.is_published AND OLD.unpublish_at IS NULL"
    is_open = "NEW.is_published AND NEW.unpublish_at IS NULL"
    changed = "OLD.is_published IS NOT NEW.is_published OR OLD.unpublish_at IS NOT NEW.unpublish_at"
    if column:
        changed += f" OR OLD.{column} IS NOT NEW.{column}"
    return [
        f"CREATE TRIGGER {table}_count_insert AFTER INSERT ON {table} WHEN {is_open} BEGIN {add}; END",
        f"CREATE TRIGGER {table}_count_delete AFTER DELETE ON {table} WHEN {was_open} BEGIN {subtract}; END",
        # Two triggers, each with its own condition: SQLite has no IF inside a trigger.
        f"CREATE TRIGGER {table}_count_update_old AFTER UPDATE ON {table} "
        f"WHEN ({changed}) AND {was_open} BEGIN {subtract}; END",
        f"CREATE TRIGGER {table}_count_update_new AFTER UPDATE ON {table} "
        f"WHEN ({changed}) AND {is_open} BEGIN {add}; END",
    ]


def _drop_sqlite(table, column):
    return [f"DROP TRIGGER IF EXISTS {table}_count_{name}" for name in ("insert", "delete", "update_old", "update_new")]


def backfill_sql(table, column):
    if not column:  # one board: one row, 0 included
        return (f"INSERT INTO boards_boardcount (board_table, board_key, open) "
                f"SELECT '{table}', '', COUNT(*) FROM {table} WHERE is_published AND unpublish_at IS NULL")
    return (
        f"INSERT INTO boards_boardcount (board_table, board_key, open) "
        f"SELECT '{table}', {column}, COUNT(*) FROM {table} WHERE is_published AND unpublish_at IS NULL "
        f"GROUP BY {column}"
    )


class PostCountTriggers(TableSQL):
    """Keeps ``BoardCount`` for one post table (``key_column``: the field that tells its boards apart, if any)."""

    counts = "boards_boardcount"
    create = {"postgresql": _postgresql, "sqlite": _sqlite}
    drop = {"postgresql": _drop_postgresql, "sqlite": _drop_sqlite}

    def __init__(self, table, key_column=""):
        super().__init__(table, key_column)
        self.table, self.key_column = table, key_column

    def backfill(self, vendor):
        return backfill_sql(self.table, self.key_column)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, [
            f"DELETE FROM {self.counts} WHERE board_table = '{self.table}'",
            self.backfill(vendor),
            *self.create[vendor](self.table, self.key_column),
        ])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        drop = self.drop[schema_editor.connection.vendor]
        self._run(schema_editor, [*drop(self.table, self.key_column),
                                  f"DELETE FROM {self.counts} WHERE board_table = '{self.table}'"])

    def describe(self):
        return f"The database keeps the count of open public posts of {self.table}"
