"""Backups that restore: one dated archive with the database, the media files and a checksum manifest.

The archive (`khuyencong-YYYYmmdd-HHMMSS.tar.gz`) holds:
- `database.dump` — `pg_dump --format=custom` on PostgreSQL, or `database.sqlite3` — a copy made with SQLite's online
  backup API, so a backup taken while the app is running is consistent on both engines;
- `media/…` — every file under MEDIA_ROOT;
- `manifest.json` — engine, time, the SHA-256 and size of every member and the row count of every table at backup time.

`restore_archive` checks every checksum before it writes anything, refuses a database that already holds tables and a
media folder that already holds files, then loads the dump and unpacks the files. Nothing here knows a domain app.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
ARCHIVE_PREFIX = "khuyencong-"
ARCHIVE_SUFFIX = ".tar.gz"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Vietnamese)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sha256: str
    tables: int
    rows: int
    files: int


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_row_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table of the database (what a restore is compared against)."""
    connection = connections[alias]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  (introspected)
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"Không tìm thấy chương trình {cmd[0]} (cài gói postgresql-client).") from exc
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} báo lỗi: {done.stderr.strip()[:2000]}")


def _dump_database(alias: str, target_dir: Path) -> Path:
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        out = target_dir / PG_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}", db["NAME"]], _pg_env(db))
        return out
    if connection.vendor == "sqlite":
        out = target_dir / SQLITE_DUMP
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return out
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {connection.vendor}.")


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def create_backup(
    target_dir: Path | None = None,
    *,
    alias: str = "default",
    media_root: Path | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Write one archive into target_dir (BACKUP_DIR by default) and its `.sha256` beside it."""
    target_dir = Path(target_dir or settings.BACKUP_DIR)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    final = target_dir / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    counts = table_row_counts(alias)
    with tempfile.TemporaryDirectory(dir=target_dir) as work:
        work_dir = Path(work)
        dump = _dump_database(alias, work_dir)
        members = {dump.name: {"sha256": sha256_file(dump), "size": dump.stat().st_size}}
        files = _media_files(media_root)
        for f in files:
            members["media/" + f.relative_to(media_root).as_posix()] = {
                "sha256": sha256_file(f),
                "size": f.stat().st_size,
            }
        manifest = {
            "format": 1,
            "created_at": timezone.localtime(now or timezone.now()).isoformat(),
            "engine": connections[alias].vendor,
            "database_member": dump.name,
            "tables": counts,
            "members": members,
        }
        partial = work_dir / (final.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for f in files:
                tar.add(f, arcname="media/" + f.relative_to(media_root).as_posix())
        os.replace(partial, final)
    digest = sha256_file(final)
    final.with_name(final.name + ".sha256").write_text(f"{digest}  {final.name}\n")
    return BackupResult(final, digest, len(counts), sum(counts.values()), len(files))


def prune_backups(target_dir: Path | None = None, *, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Remove archives older than keep_days (by the time in their name); the newest one is always kept."""
    target_dir = Path(target_dir or settings.BACKUP_DIR)
    archives = sorted(target_dir.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    limit = timezone.localtime(now or timezone.now()) - timedelta(days=keep_days)
    removed = []
    for archive in archives[:-1]:
        stamp = archive.name[len(ARCHIVE_PREFIX) : -len(ARCHIVE_SUFFIX)]
        try:
            taken = timezone.make_aware(datetime.strptime(stamp, "%Y%m%d-%H%M%S"))
        except ValueError:
            continue
        if taken < limit:
            archive.unlink()
            archive.with_name(archive.name + ".sha256").unlink(missing_ok=True)
            removed.append(archive)
    return removed


def _safe_members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for m in tar.getmembers():
        if not m.isfile() or m.name.startswith("/") or ".." in Path(m.name).parts:
            raise BackupError(f"Tệp sao lưu có mục không hợp lệ: {m.name}")
        members[m.name] = m
    return members


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        members = _safe_members(tar)
        if MANIFEST not in members:
            raise BackupError("Tệp sao lưu không có manifest.json.")
        return json.loads(tar.extractfile(members[MANIFEST]).read())


def _verify(tar: tarfile.TarFile, manifest: dict) -> None:
    members = _safe_members(tar)
    listed = manifest["members"]
    extra = set(members) - set(listed) - {MANIFEST}
    missing = set(listed) - set(members)
    if extra or missing:
        raise BackupError("Tệp sao lưu không khớp manifest (thiếu hoặc thừa tệp).")
    for name, meta in listed.items():
        digest = hashlib.sha256()
        fh = tar.extractfile(members[name])
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != meta["sha256"]:
            raise BackupError(f"Sai mã kiểm tra SHA-256 của {name}: tệp sao lưu đã bị hỏng hoặc bị sửa.")


def restore_archive(archive: Path, *, alias: str = "default", media_root: Path | None = None) -> dict:
    """Put an archive back into an empty database and an empty media folder; returns the manifest."""
    archive = Path(archive)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[alias]
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile(_safe_members(tar)[MANIFEST]).read())
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"Bản sao lưu của {manifest['engine']} không khôi phục được vào {connection.vendor}.")
        _verify(tar, manifest)  # every checksum before anything is written
        with connection.cursor() as cursor:
            if connection.introspection.table_names(cursor):
                raise BackupError("Cơ sở dữ liệu đích đã có bảng: chỉ khôi phục vào một cơ sở dữ liệu trống.")
        if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
            raise BackupError(f"Thư mục tệp {media_root} đã có tệp: chỉ khôi phục vào một thư mục trống.")
        with tempfile.TemporaryDirectory() as work:
            work_dir = Path(work)
            tar.extract(manifest["database_member"], work_dir, filter="data")
            dump = work_dir / manifest["database_member"]
            _load_database(connection, dump)
            media_root.mkdir(parents=True, exist_ok=True)
            for name in manifest["members"]:
                if name.startswith("media/"):
                    dest = media_root / name[len("media/") :]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(name) as src, open(dest, "wb") as out:
                        shutil.copyfileobj(src, out)
    return manifest


def _load_database(connection, dump: Path) -> None:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={db['NAME']}", str(dump)],
            _pg_env(db),
        )
        return
    source = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
