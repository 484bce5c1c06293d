"""A trigram index for the list page's diacritic-free search, on PostgreSQL only.

The search filters `search_text LIKE '%word%'` for each word; a btree cannot serve that, a pg_trgm GIN
index can. SQLite (development, tests) has no such index type and scans; its lists are small.
"""

from django.db import migrations

INDEX = "beneficiary_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON beneficiaries_beneficiary USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0002_import_batch"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
