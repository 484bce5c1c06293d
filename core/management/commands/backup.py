"""`manage.py backup`: one dated archive of the database and the media files, with a checksum manifest.

`--nightly-at 02:00` keeps running and takes one backup every night at that local time (compose's backup service)."""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, create_backup, prune_backups


def seconds_until(hour: int, minute: int, now: datetime) -> float:
    """Seconds from now to the next hour:minute (tomorrow when that time has passed today)."""
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    return (at - now).total_seconds()


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một tệp nén có ngày giờ (kèm mã kiểm tra SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Thư mục lưu bản sao lưu (mặc định BACKUP_DIR).")
        parser.add_argument(
            "--nightly-at",
            metavar="HH:MM",
            help="Chạy mãi, sao lưu mỗi đêm vào giờ này (giờ Việt Nam), dùng cho dịch vụ backup của compose.",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="Xóa các bản sao lưu cũ hơn số ngày này (mặc định BACKUP_KEEP_DAYS; 0 = giữ tất cả).",
        )

    def handle(self, *args, **options):
        if options["nightly_at"]:
            try:
                hour, minute = (int(x) for x in options["nightly_at"].split(":"))
                datetime.now().replace(hour=hour, minute=minute)
            except ValueError as exc:
                raise CommandError("Giờ sao lưu phải có dạng HH:MM, ví dụ 02:00.") from exc
            while True:
                time.sleep(seconds_until(hour, minute, timezone.localtime()))
                try:
                    self.backup_once(options)
                except CommandError as exc:  # a failed night is reported and the next night tried again
                    self.stderr.write(str(exc))
        self.backup_once(options)

    def backup_once(self, options):
        target = options["dir"] or settings.BACKUP_DIR
        try:
            result = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu {result.tables} bảng ({result.rows} dòng) và {result.files} tệp vào {result.path} "
            f"(SHA-256 {result.sha256})."
        )
        keep = settings.BACKUP_KEEP_DAYS if options["keep_days"] is None else options["keep_days"]
        if keep:
            for old in prune_backups(target, keep_days=keep):
                self.stdout.write(f"Đã xóa bản sao lưu cũ {old.name}.")
