"""PostgreSQL only: a stored, generated tsvector of each session's title, summary and description in the
Swedish text search configuration, for the programme's search (events/search.py). Computing it per row and
per search word made a search of three words cost ~140 ms at 300 sessions; read from the row it costs about
what the substring match costs. Not a model field: SQLite has no such column, and nothing writes it (the
database keeps it up to date). Nothing to do on SQLite."""

from django.db import migrations

ADD = """
ALTER TABLE events_session ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('swedish'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(description, ''))
) STORED
"""
DROP = "ALTER TABLE events_session DROP COLUMN IF EXISTS search_vector"


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("events", "0006_old_session_addresses")]

    operations = [migrations.RunPython(add, drop, elidable=False)]
