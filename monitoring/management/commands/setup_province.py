"""Sets a deployment up for its province: `manage.py setup_province 01` (the official two-digit code).

Loads only that province's administrative units — the communes in force since 1/7/2025 and the provinces,
districts and communes before, with the official old → new links — and names the province's Sở Công Thương
as the issuing body of documents. Safe to run again (after the source data gains a correction, say): units
are matched by path, and units that records refer to are never deleted, only given an end date.

Lives in monitoring (the top floor) because it sets up two lower apps, areas and documents, that must not
know each other.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from areas import sources
from areas.loader import load_province
from areas.models import AdministrativeUnit, UnitSuccessor
from documents.models import IssuingBody
from documents.seed import issuing_body_for, set_issuing_body


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính của một tỉnh/thành phố (mã hai chữ số) và đặt cơ quan ban hành văn bản."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã tỉnh/thành phố hai chữ số, ví dụ 31 (Hải Phòng), 01 (Hà Nội)")
        parser.add_argument("--signer-name", help="Họ tên người ký văn bản")
        parser.add_argument("--signer-title", help="Chức vụ người ký, ví dụ PHÓ GIÁM ĐỐC")
        parser.add_argument("--signer-authority", help="Quyền hạn ký, ví dụ KT. GIÁM ĐỐC")

    def handle(self, *args, code, signer_name, signer_title, signer_authority, **options):
        if not code.isdigit() or len(code) > 2:
            raise CommandError("Mã tỉnh phải là hai chữ số, ví dụ 01 hoặc 31.")
        code = f"{int(code):02d}"
        names = dict(sources.provinces())
        if code not in names:
            known = ", ".join(f"{c} {n}" for c, n in sorted(names.items()))
            raise CommandError(f"Không có tỉnh/thành phố mã {code}. Các mã hiện hành: {known}.")
        with transaction.atomic():
            result = load_province(code, Unit=AdministrativeUnit, Successor=UnitSuccessor)
            root = AdministrativeUnit.objects.get(path=f"/{code}/")
            body = issuing_body_for(root.name, root.short_name)
            active = IssuingBody.objects.filter(active=True).first()
            for field, value in (
                ("signer_name", signer_name),
                ("signer_title", signer_title),
                ("signer_authority", signer_authority),
            ):
                if value is not None:
                    body[field] = value
                elif active is not None:
                    body[field] = getattr(active, field)  # keep the signer an admin has set
            changed = set_issuing_body(IssuingBody, **body)
        self.stdout.write(str(result))
        self.stdout.write(
            f"Cơ quan ban hành: {body['name']} — {body['parent_name']}"
            + (" (đã cập nhật)" if changed else " (không đổi)")
        )
        self.stdout.write(self.style.SUCCESS(f"Đã thiết lập {root.name}."))
