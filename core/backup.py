"""Backups that restore: one dated archive with the database, the media files and a checksum manifest.

The archive (`khuyencong-YYYYmmdd-HHMMSS.tar.gz`) holds:
- `database.dump` — `pg_dump --format=custom` on PostgreSQL, or `database.sqlite3` — a copy made with SQLite's online
  backup API, so a backup taken while the app is running is consistent on both engines;
- `media/…` — every file of the media storage (MEDIA_ROOT, or the S3 bucket with MEDIA_STORAGE=s3), listed through
  `default_storage.listdir` so both work alike;
- `manifest.json` — engine, time, the SHA-256 and size of every member and the row count of every table at backup time.

`restore_archive` checks every checksum before it writes anything, refuses a database that already holds tables and a
media storage that already holds files, then loads the dump and writes the files back through the storage. Nothing
here knows a domain app.
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
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
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


def media_storage(media_root: Path | None = None) -> Storage:
    """The storage a backup reads and a restore writes: a folder when one is named, else the configured media."""
    return FileSystemStorage(location=media_root) if media_root is not None else default_storage


def storage_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in the storage, recursively, sorted (a missing root is an empty storage)."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + f for f in files]
    for d in dirs:
        names.extend(storage_files(storage, prefix + d))
    return sorted(names)


def _local_copy(storage: Storage, name: str, work_dir: Path) -> Path:
    """A path on this disk holding the stored file: the file itself on a filesystem storage, else a downloaded copy."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:  # a remote storage (S3): no local path
        dest = work_dir / "media" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, CHUNK)
        return dest


def create_backup(
    target_dir: Path | None = None,
    *,
    alias: str = "default",
    media_root: Path | None = None,
    storage: Storage | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Write one archive into target_dir (BACKUP_DIR by default) and its `.sha256` beside it. The media come from
    `storage` (default: the configured media storage; `media_root` names a folder instead)."""
    target_dir = Path(target_dir or settings.BACKUP_DIR)
    storage = storage or media_storage(media_root)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    final = target_dir / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    counts = table_row_counts(alias)
    with tempfile.TemporaryDirectory(dir=target_dir) as work:
        work_dir = Path(work)
        dump = _dump_database(alias, work_dir)
        members = {dump.name: {"sha256": sha256_file(dump), "size": dump.stat().st_size}}
        files = {name: _local_copy(storage, name, work_dir) for name in storage_files(storage)}
        for name, f in files.items():
            members["media/" + name] = {"sha256": sha256_file(f), "size": f.stat().st_size}
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
            for name, f in files.items():
                tar.add(f, arcname="media/" + name)
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


def restore_archive(
    archive: Path, *, alias: str = "default", media_root: Path | None = None, storage: Storage | None = None
) -> dict:
    """Put an archive back into an empty database and an empty media storage; returns the manifest."""
    archive = Path(archive)
    storage = storage or media_storage(media_root)
    connection = connections[alias]
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile(_safe_members(tar)[MANIFEST]).read())
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"Bản sao lưu của {manifest['engine']} không khôi phục được vào {connection.vendor}.")
        _verify(tar, manifest)  # every checksum before anything is written
        with connection.cursor() as cursor:
            if connection.introspection.table_names(cursor):
                raise BackupError("Cơ sở dữ liệu đích đã có bảng: chỉ khôi phục vào một cơ sở dữ liệu trống.")
        if storage_files(storage):
            raise BackupError("Nơi lưu tệp đã có tệp: chỉ khôi phục vào một thư mục (hoặc bucket) trống.")
        with tempfile.TemporaryDirectory() as work:
            work_dir = Path(work)
            tar.extract(manifest["database_member"], work_dir, filter="data")
            dump = work_dir / manifest["database_member"]
            _load_database(connection, dump)
            for name in manifest["members"]:
                if name.startswith("media/"):
                    stored_name = name[len("media/") :]
                    with tar.extractfile(name) as src:
                        saved = storage.save(stored_name, File(src, name=stored_name))
                    if saved != stored_name:
                        raise BackupError(f"Không ghi được tệp {stored_name} đúng tên (nơi lưu đặt tên {saved}).")
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
