"""`manage.py restore ARCHIVE`: put a backup back into an empty database and an empty media folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu trống và thư mục tệp trống (kiểm tra SHA-256 trước)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp khuyencong-YYYYmmdd-HHMMSS.tar.gz")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {archive}.")
        try:
            manifest = restore_archive(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(
            f"Đã khôi phục {len(manifest['tables'])} bảng ({sum(manifest['tables'].values())} dòng) và {files} tệp "
            f"từ bản sao lưu lúc {manifest['created_at']}."
        )
