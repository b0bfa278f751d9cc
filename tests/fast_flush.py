"""Emptying a PostgreSQL test database after a transactional test, row by row where there are rows.

Django empties it with one `TRUNCATE` of every table, which costs PostgreSQL about a second for our
hundred-odd tables however few hold rows (each truncated table gets new files). A transactional test
fills a couple of dozen, so `sql_flush` here asks in one query which tables hold rows and deletes
from those alone. Django's PostgreSQL foreign keys are deferrable, so with the constraints deferred
the deletes run in any order inside the flush's transaction. A flush that resets sequences or
cascades goes Django's way.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations

truncate_everything = DatabaseOperations.sql_flush


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade or not tables:
        return truncate_everything(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    quote = self.quote_name
    probe = " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables)
    with self.connection.cursor() as cursor:
        cursor.execute(probe, list(tables))
        filled = [row[0] for row in cursor.fetchall()]
    return ["SET CONSTRAINTS ALL DEFERRED;", *(f"DELETE FROM {quote(table)};" for table in filled)]
