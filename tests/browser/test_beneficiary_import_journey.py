"""An admin imports a messy workbook, reads the preview's errors, confirms the valid rows, finds an
establishment by typing without diacritics, and exports the list."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from beneficiaries.models import Beneficiary, ImportBatch
from tests.beneficiaries.workbooks import messy_xlsx
from tests.browser.conftest import log_in, screenshot
from tests.factories import UserFactory


@pytest.fixture
def admin(transactional_db):
    return UserFactory(username="quantri-test", role=Role.ADMIN, is_staff=True)


ROWS = [
    {
        "name": "Công ty TNHH Nước mắm Cát Hải",
        "legal_form": "Doanh nghiệp",
        "tax_code": 201234567,
        "address": "Thôn 3, thị trấn Cát Hải, huyện Cát Hải, TP Hải Phòng",
        "employees": "1.200",
        "founded": "15/03/2005",
    },
    {
        "name": "HTX Mây tre đan Đức Thắng",
        "legal_form": "",
        "tax_code": "0201234568",
        "address": "xã Vĩnh Am, thành phố Hải Phòng",
    },
    {"name": "Cơ sở lỗi mã số thuế", "legal_form": "HKD", "tax_code": "12-34", "address": "xã Vĩnh Am, TP Hải Phòng"},
]


def test_admin_imports_a_messy_workbook_then_finds_and_exports(page, admin, tmp_path):
    workbook = tmp_path / "danh-sach-co-so.xlsx"
    workbook.write_bytes(messy_xlsx(ROWS))
    log_in(page, admin.username, "matkhau-123")
    page.wait_for_url("**/")
    page.goto("/co-so/")
    page.click("[data-testid=import-link]")
    page.set_input_files("input[type=file]", str(workbook))
    page.click("button[type=submit]:has-text('Tải lên')")

    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    assert "7\tMST" in errors.inner_text() and "12-34" in errors.inner_text()  # sheet row 7, column as written
    assert "2" in page.locator("[data-testid=import-counts]").inner_text()
    screenshot(page, "import-preview-with-errors")
    assert not Beneficiary.objects.exists()  # nothing before confirm

    page.check("#id_valid_only")
    page.click("[data-testid=confirm-import]")
    page.locator("[data-testid=import-done]").wait_for()
    assert Beneficiary.objects.count() == 2
    assert ImportBatch.objects.get().status == "done"

    page.goto("/co-so/")
    page.fill("#q", "nuoc mam cat hai")
    page.press("#q", "Enter")
    # A locator expectation, not wait_for_function: the page's CSP (no 'unsafe-eval') refuses string predicates.
    expect(page.locator("#beneficiary-table")).to_contain_text("1 cơ sở")
    table = page.locator("#beneficiary-table").inner_text()
    assert "Công ty TNHH Nước mắm Cát Hải" in table and "Đức Thắng" not in table
    screenshot(page, "import-search-without-diacritics")

    with page.expect_download() as download_info:
        page.click("[data-testid=export-link]")
    path = download_info.value.path()
    rows = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][1] == "Tên cơ sở"
    assert [row[1] for row in rows[1:]] == ["Công ty TNHH Nước mắm Cát Hải"]
