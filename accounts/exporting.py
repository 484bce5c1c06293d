"""The access log as .xlsx (openpyxl, write-only). User agents and names are the client's text: inert cells."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook

from core.text import inert_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def access_log_workbook(events) -> bytes:
    with override("vi"):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Nhật ký truy cập"))
        sheet.append(
            [
                _("Thời điểm"),
                _("Tên đăng nhập"),
                _("Họ tên"),
                _("Hành động"),
                _("Nội dung"),
                _("Địa chỉ IP"),
                _("Trình duyệt"),
                _("Đường dẫn"),
            ]
        )
        for event in events.iterator(chunk_size=2000):
            sheet.append(
                [
                    timezone.localtime(event.created_at).replace(tzinfo=None),
                    inert_cell(event.username),
                    inert_cell(event.user.get_full_name() if event.user else ""),
                    event.get_action_display(),
                    inert_cell(event.what),
                    event.ip_address or "",
                    inert_cell(event.user_agent),
                    inert_cell(event.path),
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
