"""An area officer asks for an establishment's profile sheet and downloads the PDF; on a phone too."""

from pathlib import Path

import pytest

from documents.models import DocumentJob, JobStatus
from tests.browser.conftest import log_in, screenshot
from tests.conftest import AREA_A
from tests.factories import BeneficiaryFactory, UserFactory, first_commune, unit


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_an_officer_gets_a_profile_sheet_from_the_establishment_page(request, device, transactional_db, eager):
    browser_page = request.getfixturevalue(device)
    UserFactory(username="kcv_a", role="area_officer", areas=[unit(AREA_A)])
    b = BeneficiaryFactory(name="Cơ sở mây tre đan Liên Xuân", unit=first_commune(AREA_A), employees=21)
    log_in(browser_page, "kcv_a", "matkhau-123")
    browser_page.wait_for_url("**/")
    browser_page.goto(f"/co-so/{b.pk}/")
    browser_page.click("[data-testid=request-beneficiary_sheet]")
    browser_page.wait_for_url("**/van-ban/*/")
    status = browser_page.locator("[data-testid=job-status]")
    assert status.get_attribute("data-status") == JobStatus.DONE
    with browser_page.expect_download() as info:
        browser_page.click("[data-testid=download]")
    download = info.value
    assert download.suggested_filename.endswith("(v1).pdf") and "Phiếu thông tin" in download.suggested_filename
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"
    screenshot(browser_page, f"documents-sheet-{device}")
    browser_page.goto("/van-ban/")
    assert "Cơ sở mây tre đan Liên Xuân" in browser_page.locator("[data-testid=my-documents]").inner_text()
    assert DocumentJob.objects.get().requested_by.username == "kcv_a"
