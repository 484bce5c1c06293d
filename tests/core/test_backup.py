"""Backups restore: the demo backed up, restored into a fresh database and media folder by another process, and every
table's row count and every file's SHA-256 compared; a damaged archive or a non-empty target is refused."""

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.backup import BackupError, create_backup, prune_backups, read_manifest, restore_archive, table_row_counts


def _files(root: Path) -> dict[str, str]:
    from core.backup import sha256_file

    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _restored_counts(url: str, tables: list[str]) -> dict[str, int]:
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url[len("sqlite:///") :])
        try:
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            db.close()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def empty_target(tmp_path):
    """A fresh, empty database for the restoring process: an SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    yield f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_demo_backup_restores_every_row_and_file(transactional_db, tmp_path, empty_target):
    call_command("load_demo", stdout=io.StringIO())
    media = Path(settings.MEDIA_ROOT)
    source_files = _files(media)
    assert source_files, "the demo writes photos and documents"
    source_counts = table_row_counts()

    result = create_backup(tmp_path / "backups")
    assert result.path.name.startswith("khuyencong-") and result.path.name.endswith(".tar.gz")
    assert result.files == len(source_files)
    assert (result.path.parent / (result.path.name + ".sha256")).read_text().split()[0] == result.sha256
    manifest = read_manifest(result.path)
    assert manifest["tables"] == source_counts

    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": empty_target, "MEDIA_ROOT": str(restored_media)}
    env["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.test"
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(result.path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout

    assert _restored_counts(empty_target, list(source_counts)) == source_counts
    assert _files(restored_media) == source_files


@pytest.mark.django_db
def test_damaged_archive_is_refused_before_anything_is_written(tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "a.txt").write_text("một tệp")
    result = create_backup(tmp_path / "b")

    # Same members, one byte of the media file changed: the manifest's SHA-256 no longer matches.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(result.path, "r:gz") as src, tarfile.open(damaged, "w:gz") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "media/a.txt":
                data = b"X" + data[1:]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))

    target_media = tmp_path / "target-media"
    with pytest.raises(BackupError, match="SHA-256"):
        # Checksums are verified before the target is even looked at (this test database is not empty).
        restore_archive(damaged, media_root=target_media)
    assert not target_media.exists() or not any(target_media.rglob("*"))


@pytest.mark.django_db
def test_restore_refuses_a_database_that_has_tables(tmp_path):
    result = create_backup(tmp_path / "b")
    with pytest.raises(BackupError, match="trống"):
        restore_archive(result.path, media_root=tmp_path / "m")


def test_management_command_reports_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("restore", str(tmp_path / "none.tar.gz"))


def test_prune_keeps_recent_archives_and_always_the_newest(tmp_path):
    names = ["20261101-020000", "20261120-020000", "20261130-020000"]
    for n in names:
        (tmp_path / f"khuyencong-{n}.tar.gz").write_bytes(b"x")
        (tmp_path / f"khuyencong-{n}.tar.gz.sha256").write_text("x")
    now = timezone.make_aware(datetime(2026, 12, 1, 3, 0))
    removed = prune_backups(tmp_path, keep_days=14, now=now)
    assert [p.name for p in removed] == ["khuyencong-20261101-020000.tar.gz"]
    assert sorted(p.name for p in tmp_path.glob("*.tar.gz")) == [f"khuyencong-{n}.tar.gz" for n in names[1:]]
    # Even when every archive is old, the newest stays.
    removed = prune_backups(tmp_path, keep_days=1, now=timezone.make_aware(datetime(2027, 6, 1)))
    assert [p.name for p in tmp_path.glob("*.tar.gz")] == ["khuyencong-20261130-020000.tar.gz"]


def test_nightly_schedule_waits_for_the_next_night():
    from core.management.commands.backup import seconds_until

    tz = timezone.get_current_timezone()
    assert seconds_until(2, 0, datetime(2026, 12, 1, 1, 30, tzinfo=tz)) == 30 * 60
    assert seconds_until(2, 0, datetime(2026, 12, 1, 2, 0, tzinfo=tz)) == 24 * 3600
    assert seconds_until(2, 0, datetime(2026, 12, 1, 23, 0, tzinfo=tz)) == 3 * 3600


def test_nightly_time_must_be_hh_mm():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HH:MM"):
        call_command("backup", "--nightly-at", "25:99")
