"""Snapshots of the test database kept in memory, so that transactional tests do not pay for the same set-up again.

`reference_data()` (called by the `transactional_db` fixture of tests/conftest.py): the reference data that
migrations seed, put back after a flush by copying rows rather than seeding the units again.

The `demo` fixture: the demo data (`manage.py load_demo`) committed in the test database, its files under this
test's MEDIA_ROOT, for tests that need the whole demo (browser journeys, the permission matrix, the backup).

`load_demo` takes 6–7 s. It runs once per test process (once per pytest-xdist worker); the result is then kept in
memory — every table's rows (PostgreSQL: `COPY … TO STDOUT`; SQLite: the backup API into an in-memory database) and a
copy of the media folder — and every later test that asks for the demo gets it back in a fraction of a second: the
same rows with the same ids, sequences set past them, the same files. Nothing is written outside this process's own
test database and tmp folders, so xdist workers cannot see each other's snapshots.

The fixture depends on `transactional_db` (the journeys' live server and the subprocesses read committed rows); the
flush after each test empties the tables as before. A table created outside Django's models (none today) is copied
too; a materialized view would have to be refreshed after `restore` (none today).
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Snapshot:
    media: Path | None
    tables: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: table → COPY text
    sqlite: sqlite3.Connection | None = None


_SNAPSHOTS: dict[tuple[str, str], Snapshot] = {}


def _key() -> tuple[str, str]:
    return connection.vendor, str(connection.settings_dict["NAME"])


def _pg_tables(cursor) -> list[str]:
    return [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]


def _take(media_root: Path | None, media: Path | None) -> Snapshot:
    if media_root is not None and media_root.exists():
        shutil.copytree(media_root, media, dirs_exist_ok=True)
    snapshot = Snapshot(media=media)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in _pg_tables(cursor):
                buffer = io.BytesIO()
                with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    for chunk in copy:
                        buffer.write(chunk)
                snapshot.tables[table] = buffer.getvalue()
    elif connection.vendor == "sqlite":
        snapshot.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot.sqlite)
    else:  # pragma: no cover - the project runs on PostgreSQL and SQLite only
        raise NotImplementedError(connection.vendor)
    return snapshot


def _restore(snapshot: Snapshot, media_root: Path | None) -> None:
    from django.contrib.contenttypes.models import ContentType

    if snapshot.media is not None:
        shutil.copytree(snapshot.media, media_root, dirs_exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            tables = _pg_tables(cursor)
            assert set(tables) == set(snapshot.tables), "the schema changed after the demo snapshot"
            cursor.execute("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(f'"{t}"' for t in tables)))
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, whatever the order.
            for table, data in snapshot.tables.items():
                if data:
                    with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data)
            models = apps.get_models(include_auto_created=True)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    else:
        snapshot.sqlite.backup(connection.connection)
    ContentType.objects.clear_cache()  # the ids are the snapshot's


def reference_data() -> None:
    """The migration-seeded reference data (units, contents, criteria, the issuing body, groups…) in the test database
    before a transactional test: the state the first such test of this process found (migrated, or re-seeded by
    tests/reference.py), restored from memory after every later flush instead of seeding the units again."""
    from areas.models import AdministrativeUnit
    from tests.reference import ensure_reference_data

    key = ("reference", *_key())
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        ensure_reference_data()
        _SNAPSHOTS[key] = _take(None, None)
    elif not AdministrativeUnit.objects.exists():  # emptied by the previous transactional test's flush
        _restore(snapshot, None)


@pytest.fixture
def demo(transactional_db, tmp_path_factory):
    """The whole demo, committed; loaded once per test process, then restored from memory (tests/snapshots.py)."""
    media_root = Path(settings.MEDIA_ROOT)
    snapshot = _SNAPSHOTS.get(_key())
    if snapshot is None:
        with open("/dev/null", "w") as devnull:
            call_command("load_demo", stdout=devnull)
        _SNAPSHOTS[_key()] = _take(media_root, tmp_path_factory.mktemp("demo-media"))
    else:
        _restore(snapshot, media_root)
