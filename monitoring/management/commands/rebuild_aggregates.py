"""Rebuild the pre-computed figures from the rows, or (--check) only compare them and report differences.

manage.py rebuild_aggregates           # after a bulk load or a restore
manage.py rebuild_aggregates --check   # exits 1 and lists the differences when a figure is not the row sum
"""

from django.core.management.base import BaseCommand, CommandError

from budgets import figures


class Command(BaseCommand):
    help = "Dựng lại (hoặc --check: chỉ kiểm tra) số liệu tổng hợp từ dữ liệu gốc."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Chỉ so sánh, không sửa; thoát mã 1 nếu lệch.")

    def handle(self, *args, check=False, **options):
        if check:
            diffs = figures.differences(limit=0)
            for line in diffs[:50]:
                self.stdout.write(line)
            if diffs:
                raise CommandError(f"{len(diffs)} đề án có số liệu tổng hợp lệch với dữ liệu gốc.")
            self.stdout.write(self.style.SUCCESS("Số liệu tổng hợp khớp với dữ liệu gốc."))
            return
        n = figures.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Đã dựng lại số liệu tổng hợp của {n} đề án."))
