from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import print_logins

# Each app that has demo data adds its module here, in dependency order. Each `load` is idempotent.
DEMO_MODULES = [
    "accounts.demo",
    "beneficiaries.demo",
    "projects.demo",
    "contest.demo",
    "budgets.demo",
    "field.demo",
    "documents.demo",
    "field.closure_demo",  # after documents.demo: the contract and closure are issued and signed
]


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa Hải Phòng (chạy lại nhiều lần không tạo trùng)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in DEMO_MODULES:
                import_module(name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu minh họa."))
        # Last, so that `make run` leaves the logins on screen above the server's first lines.
        print_logins(self.stdout)
