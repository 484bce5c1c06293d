"""Staff issue a biên bản nghiệm thu from its draft; the leader signs it, downloads it and checks the signatures."""

from pathlib import Path

import pytest

from documents import services
from documents.models import IssuedDocument
from tests.browser.conftest import log_in, screenshot
from tests.documents.kind_data import acceptance
from tests.documents.test_register import _pki, signing  # noqa: F401  (fixtures)


@pytest.mark.usefixtures("signing")
def test_staff_issue_and_the_leader_signs_downloads_and_verifies(
    browser, live_server, transactional_db, eager, staff, leader
):
    record = acceptance()
    job = services.document_request(actor=staff, kind="acceptance_record", params={"acceptance": record.pk})

    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, "staff", "matkhau-123")
    page.wait_for_url("**/")
    page.goto(f"/van-ban/{job.uid}/")
    page.click("[data-testid=issue]")
    page.wait_for_url("**/van-ban/so-van-ban-di/*/")
    assert page.locator("[data-testid=issued-symbol]").inner_text() == "01/BB-SCT"
    assert page.locator("[data-testid=sign]").count() == 0  # staff number, leaders sign
    screenshot(page, "register-issued-staff")
    context.close()

    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = context.new_page()
    log_in(page, "leader", "matkhau-123")
    page.wait_for_url("**/")
    page.goto("/van-ban/so-van-ban-di/?nam=2021")
    page.click("text=01/BB-SCT")
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signature-report]")
    assert page.locator("[data-testid=sig-trusted]").count() == 2
    with page.expect_download() as info:
        page.click("[data-testid=issued-download]")
    downloaded = Path(info.value.path())
    assert downloaded.read_bytes() == Path(IssuedDocument.objects.get().signed_file.path).read_bytes()
    page.goto("/van-ban/kiem-tra-chu-ky/")
    page.set_input_files("input[type=file]", str(downloaded))
    page.click("[data-testid=verify-form] button[type=submit]")
    page.wait_for_selector("[data-testid=signature-report]")
    assert page.locator("[data-ok='1']").count() == 2
    screenshot(page, "register-verify-phone")
    context.close()
