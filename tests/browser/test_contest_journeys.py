"""The juror scores on a phone; the secretary closes, publishes, has the certificate PDFs made and downloads one."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from contest.models import Certificate, ContestState, ScoreSheet, SheetState
from documents.models import DocumentJob, JobStatus
from tests.browser.conftest import log_in, screenshot
from tests.contest.conftest import score
from tests.factories import ContestFactory, EntryFactory, first_commune

PASSWORD = "matkhau-123"


@pytest.fixture
def scoring_contest(transactional_db, staff, juror):
    contest = ContestFactory(
        name="Bình chọn sản phẩm CNNT tiêu biểu năm 2026",
        state=ContestState.SCORING,
        secretaries=[staff],
        jurors=[juror],
    )
    for number, name in enumerate(["Nước mắm cốt Cát Hải", "Đèn mây tre", "Bình gốm men lam"], start=1):
        EntryFactory(contest=contest, number=number, product_name=name, beneficiary__unit=first_commune("/31/d317/"))
    return contest


def test_a_juror_scores_two_entries_on_a_phone(phone_page, scoring_contest, juror):
    page = phone_page
    log_in(page, "juror", PASSWORD)
    page.wait_for_url("**/")
    assert "Đã nộp 0/3 phiếu" in page.locator("[data-testid=juror-contest]").inner_text()
    page.get_by_role("link", name="Chấm điểm").click()
    page.locator("[data-testid=juror-entry]").first.click()
    assert "Nước mắm cốt Cát Hải" in page.locator("[data-testid=entry-title]").inner_text()

    inputs = page.locator("input[data-score]")
    for index, value in enumerate(["35,5", "30", "8", "9"]):
        inputs.nth(index).fill(value)
    assert page.locator("[data-testid=running-total]").inner_text() == "82,5"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "juror-phone-score-1")
    page.locator("[data-testid=submit-sheet]").click()

    page.wait_for_url("**/score/*/")
    assert page.locator("[data-testid=position]").inner_text() == "Hồ sơ 2/3"
    inputs = page.locator("input[data-score]")
    inputs.nth(0).fill("41")  # above the maximum: the server says so and keeps the page
    for index, value in enumerate(["30", "7", "8"], start=1):
        inputs.nth(index).fill(value)
    page.locator("[data-testid=submit-sheet]").click()
    assert "vượt quá điểm tối đa 40" in page.locator("[data-testid=score-error]").inner_text()
    page.locator("input[data-score]").nth(0).fill("38")
    page.locator("[data-testid=submit-sheet]").click()
    page.wait_for_selector("text=Hồ sơ 3/3")
    page.locator("[data-testid=previous]").click()
    assert "Phiếu đã nộp" in page.locator("[data-testid=score-locked]").inner_text()
    screenshot(page, "juror-phone-score-2")

    sheets = ScoreSheet.objects.filter(juror=juror, state=SheetState.SUBMITTED).order_by("entry__number")
    assert [str(s.total) for s in sheets] == ["82.50", "83.00"]


def test_the_secretary_closes_publishes_and_downloads_a_certificate(page, scoring_contest, staff, juror):
    first, second, third = scoring_contest.entries.order_by("number")
    for entry, values in ((first, [36, 34, 9, 9]), (second, [30, 30, 8, 8]), (third, [20, 20, 5, 5])):
        score(juror, entry, values)
    log_in(page, "staff", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/binh-chon/{scoring_contest.pk}/")
    page.locator("[data-testid=transition]").click()
    assert page.locator("[data-testid=contest-state]").inner_text() == "Đã kết thúc chấm"

    page.fill("#id_result_decision_number", "3456/QĐ-UBND")
    page.fill("#id_result_decision_date", "30/11/2026")
    page.locator("[data-testid=transition]").click()
    assert page.locator("[data-testid=contest-state]").inner_text() == "Đã công bố kết quả"

    page.get_by_role("link", name="Giấy chứng nhận").click()
    page.fill("#id_issued_on", "05/12/2026")
    page.locator("[data-testid=issue-certificates]").click()
    assert page.locator("[data-testid=certificate-row]").count() == 2
    assert page.locator("[data-testid=request-certificate]").count() == 2  # no PDF yet

    # The PDFs are document jobs (run eagerly here: no broker in the browser tests).
    page.locator("[data-testid=request-all-certificates]").click()
    assert "Đã yêu cầu 2 bản PDF giấy chứng nhận" in page.locator(".alert").first.inner_text()
    assert page.locator("[data-testid=download-certificate]").count() == 2
    screenshot(page, "secretary-certificates")
    with page.expect_download() as info:
        page.locator("[data-testid=download-certificate]").first.click()
    assert info.value.suggested_filename.endswith(".pdf")
    content = open(info.value.path(), "rb").read()  # noqa: SIM115
    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    assert "Nước mắm cốt Cát Hải" in text and "31/12/2029" in text
    assert Certificate.objects.count() == 2
    assert DocumentJob.objects.filter(kind="contest_certificate", status=JobStatus.DONE).count() == 2
