"""A trigram index for the đề án list's diacritic-free search, on PostgreSQL only (issue 18).

The search filters `search_text LIKE '%word%'` for each word (projects.selectors); a btree cannot serve that, a
pg_trgm GIN index can. SQLite (development, tests) has no such index type and scans; its lists are small.
The same pattern as beneficiaries 0003.
"""

from django.db import migrations

INDEX = "project_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_project USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_project_sync_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
