"""Django's SQLite backend, whose table remakes keep the database triggers (boards/post_dates.py).

SQLite cannot alter most columns in place, so Django copies the table to a new one,
drops the old and renames the copy. Triggers *on* the old table vanish with it,
and SQLite refuses the rename while a trigger elsewhere still names the table
("error in trigger …: no such table"). So every trigger that names the table is
set aside before a remake and made again after it. PostgreSQL alters in place.
"""

from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, *args, **kwargs):
        triggers = self._triggers_naming(model._meta.db_table)
        for name, _ in triggers:
            self.execute(f"DROP TRIGGER {self.quote_name(name)}", None)
        super()._remake_table(model, *args, **kwargs)
        for _, sql in triggers:
            self.execute(sql, None)

    def _triggers_naming(self, table):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (tbl_name = %s OR instr(sql, %s))",
                [table, table],
            )
            return cursor.fetchall()


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
