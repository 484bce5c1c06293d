"""Annual plan import: preview writes nothing, errors name the row, confirm writes every row or none."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project, ProjectStatus, ProjectTransition

HEADER = ["Mã đề án", "Tên đề án", "Loại", "Cấp", "Năm", "Nội dung", "Mã số thuế", "Địa điểm", "Bắt đầu", "Kết thúc"]


def _xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ke-hoach.xlsx", buffer.getvalue())


@pytest.fixture
def rows(beneficiary_a, beneficiary_b):
    return [
        [
            "KCĐP-2021-10",
            "Máy đóng chai nước mắm",
            "Đề án",
            "KCĐP",
            2021,
            "4.3",
            beneficiary_b.tax_code,
            f"{beneficiary_b.unit.name}, {beneficiary_b.unit.parent.name}",
            "01/04/2021",
            "15/12/2021",
        ],
        [
            "KCĐP-2021-11",
            "Đào tạo nghề cơ khí",
            "Đề án",
            "kcdp",
            "2021",
            "4.1; 4.3",
            f"{beneficiary_a.tax_code}, {beneficiary_b.tax_code}",
            f"{beneficiary_a.unit.name}, {beneficiary_a.unit.parent.name}",
            None,
            None,
        ],
    ]


def test_preview_shows_the_rows_and_writes_nothing_then_confirm_creates_them(login, staff, rows):
    client = login(staff)
    response = client.post(reverse("projects:import"), {"file": _xlsx(rows)})
    assert response.status_code == 200
    assert response.context["preview"].ok
    assert not Project.objects.exists()
    response = client.post(reverse("projects:import_confirm"))
    assert response.status_code == 302
    created = Project.objects.order_by("code")
    assert [p.code for p in created] == ["KCĐP-2021-10", "KCĐP-2021-11"]
    assert created[1].beneficiaries.count() == 2
    assert sorted(created[1].contents.values_list("code", flat=True)) == ["4.1", "4.3"]
    assert all(p.status == ProjectStatus.DRAFT for p in created)
    assert ProjectTransition.objects.count() == 2
    # A second confirm has nothing left in the session.
    assert client.post(reverse("projects:import_confirm")).status_code == 302
    assert Project.objects.count() == 2


def test_each_bad_row_gets_a_vietnamese_message_and_confirm_is_not_offered(login, staff, rows):
    rows[0][6] = "0999999999"  # no such establishment
    rows[1][3] = "Tỉnh"
    rows[1][7] = "Xã Không Có"
    rows.append(["KCĐP-2021-10", "", "Đề án", "KCĐP", "năm", "9.9", "abc", "", "31/02/2021", None])
    response = login(staff).post(reverse("projects:import"), {"file": _xlsx(rows)})
    preview = response.context["preview"]
    errors = {row.number: " | ".join(row.errors) for row in preview.rows}
    assert "Không tìm thấy cơ sở có mã số thuế 0999999999" in errors[2]
    assert "Cấp 'Tỉnh' không rõ" in errors[3] and "Không tìm thấy địa điểm 'Xã Không Có'" in errors[3]
    for expected in (
        "lặp lại trong tệp",
        "Thiếu Tên đề án",
        "Năm 'năm'",
        "Mã nội dung '9.9'",
        "Mã số thuế 'abc'",
        "dd/mm/yyyy",
    ):
        assert expected in errors[4]
    assert 'data-testid="confirm-import"' not in response.content.decode()
    assert not Project.objects.exists()


def test_confirm_rechecks_and_writes_nothing_if_the_database_changed_meanwhile(login, staff, rows):
    client = login(staff)
    client.post(reverse("projects:import"), {"file": _xlsx(rows)})
    from tests.factories import ProjectFactory

    ProjectFactory(code="KCĐP-2021-11")  # someone created the same code after the preview
    response = client.post(reverse("projects:import_confirm"))
    assert response.status_code == 400
    assert "đã có trong hệ thống" in response.content.decode()
    assert not Project.objects.filter(code="KCĐP-2021-10").exists()


def test_a_missing_column_and_a_non_excel_file_are_reported(login, staff, rows):
    client = login(staff)
    response = client.post(reverse("projects:import"), {"file": _xlsx([r[:6] for r in rows], header=HEADER[:6])})
    assert "Thiếu cột" in response.content.decode()
    bogus = SimpleUploadedFile("ke-hoach.xlsx", b"not a workbook")
    assert "Không đọc được tệp Excel" in client.post(reverse("projects:import"), {"file": bogus}).content.decode()


def test_only_staff_may_import(login, leader, officer_a):
    assert login(leader).get(reverse("projects:import")).status_code == 403
    assert login(officer_a).post(reverse("projects:import_confirm")).status_code == 403
