"""A whole đề án year through every role, clicking only, on Chromium.

Staff registers an establishment in a current commune and creates its đề án (from the establishment's page) with
funding lines; appraisal; the leader sees the passed appraisal waiting for the approving body; staff record the
city's paper decision; contract; the commune's officer files a field report with a photo on a 390 px phone;
payment; acceptance, whose PDF is downloaded and read; contract closure and settlement; the dashboard and the list
show the đề án settled. A screenshot of each step goes to docs/samples/journey/.
"""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from areas.models import AdministrativeUnit
from budgets.models import FundingLine
from projects.models import Project, ProjectStatus
from tests.browser.conftest import log_in, pick
from tests.factories import UserFactory

PASSWORD = "matkhau-123"
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples" / "journey"
CODE = "KCĐP-2026-88"
TITLE = "Đào tạo nghề đan cói cho hợp tác xã An Trường"
S = ProjectStatus


@pytest.fixture
def people(transactional_db):
    commune = AdministrativeUnit.objects.get(code="11635", valid_to__isnull=True)  # Xã An Trường since 7/2025
    return {
        "commune": commune,
        "staff": UserFactory(username="cv.nam", first_name="Hồng", last_name="Trần Thị", role=Role.STAFF),
        "leader": UserFactory(username="ld.nam", first_name="Đức", last_name="Phạm Minh", role=Role.LEADER),
        "officer": UserFactory(
            username="kcv.antruong", first_name="Thủy", last_name="Lê Văn", role=Role.AREA_OFFICER, areas=[commune]
        ),
    }


def shot(page, step: str) -> None:
    """A small PNG of what the user sees (the viewport), palette-reduced so the samples stay light."""
    SAMPLES.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot(full_page=False)))
    image.convert("RGB").quantize(colors=64).save(SAMPLES / f"{step}.png", optimize=True)


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _fire(page, label: str, fill=None):
    page.get_by_role("link", name=label, exact=True).click()
    if fill:
        fill()
    page.click("[data-testid=confirm]")
    page.wait_for_selector(".alert-success")


def _status(page) -> str:
    return page.locator("[data-testid=status]").inner_text()


def test_a_whole_year_of_one_project_through_every_role(page, browser, live_server, people):
    commune = people["commune"]
    # --- staff: the establishment, in a current commune --------------------------------------------------------
    log_in(page, "cv.nam", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Cơ sở CNNT").first.click()
    page.get_by_role("link", name="Thêm cơ sở").click()
    page.fill("#id_name", "Hợp tác xã cói An Trường")
    page.select_option("#id_legal_form", "hop_tac_xa")
    page.fill("#id_tax_code", "0201999888")
    page.fill("#id_address", "Thôn Đông, xã An Trường")
    pick(page, "id_unit", "an truong", commune.name)
    shot(page, "01-staff-registers-establishment")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("[data-testid=create-project]")

    # --- staff: its đề án, pre-filled from the establishment ----------------------------------------------------
    page.click("[data-testid=create-project]")
    assert commune.name in page.locator("#id_unit + .ts-wrapper").inner_text()
    page.fill("#id_code", CODE)
    page.fill("#id_title", TITLE)
    page.select_option("#id_level", "kcdp")
    page.get_by_label("4.1.", exact=False).check()
    page.fill("#id_start_date", "01/02/2026")
    page.fill("#id_end_date", "30/11/2026")
    page.fill("#id_outputs-0-description", "Lớp đào tạo nghề đan cói")
    page.fill("#id_outputs-0-unit_of_measure", "lớp")
    page.fill("#id_outputs-0-planned_quantity", "1")
    page.click("[data-testid=add-output]")
    page.fill("#id_outputs-2-description", "Học viên được cấp chứng chỉ")
    page.fill("#id_outputs-2-unit_of_measure", "người")
    page.fill("#id_outputs-2-planned_quantity", "30")
    shot(page, "02-staff-creates-project")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("[data-testid=timeline]")
    project = Project.objects.get(code=CODE)
    assert project.outputs.count() == 2 and project.unit == commune

    # --- staff: funding lines ------------------------------------------------------------------------------------
    page.click("[data-testid=money-link]")
    page.click("[data-testid=edit-lines]")
    page.select_option("#id_lines-0-source", "kcdp")
    page.select_option("#id_lines-0-cost_item", "thiet_bi")
    page.fill("#id_lines-0-estimated_cost", "200.000.000")
    page.fill("#id_lines-0-approved_amount", "200.000.000")
    page.select_option("#id_lines-1-source", "doi_ung")
    page.select_option("#id_lines-1-cost_item", "thiet_bi")
    page.fill("#id_lines-1-estimated_cost", "100.000.000")
    page.fill("#id_lines-1-approved_amount", "100.000.000")
    shot(page, "03-staff-enters-funding-lines")
    page.click("[data-testid=save-lines]")
    page.wait_for_url(f"**/kinh-phi/de-an/{project.pk}/")
    assert page.locator("[data-testid=total-approved]").inner_text() == "300.000.000"
    assert FundingLine.objects.filter(project=project).count() == 2

    # --- staff: registration and appraisal ----------------------------------------------------------------------
    page.goto(f"/de-an/{project.pk}/")
    _fire(page, "Đăng ký đề án")

    def appraisal():
        page.check("input[name=appraisal_result][value=passed]")
        page.fill("#id_appraisal_remarks", "Nội dung đào tạo phù hợp nhu cầu của hợp tác xã.")
        page.fill("#id_appraised_on", _today())

    _fire(page, "Ghi kết quả thẩm định", appraisal)
    assert "Đã thẩm định" in _status(page)
    assert "UBND thành phố" in page.locator("[data-testid=next-step]").inner_text()
    shot(page, "04-appraised-who-acts-next")

    # --- leader: the passed appraisal waits for the approving body ---------------------------------------------
    leader_context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    leader = leader_context.new_page()
    leader.set_default_timeout(15_000)
    log_in(leader, "ld.nam", PASSWORD)
    leader.wait_for_url("**/")
    waiting = leader.locator("[data-testid=queue-awaiting-decision]")
    assert CODE in waiting.inner_text()
    shot(leader, "05-leader-home-awaiting-decision")
    waiting.get_by_role("link", name=CODE).click()
    assert "Đến lượt bạn" not in leader.locator("[data-testid=next-step]").inner_text()

    # --- staff: records the city's decision signed on paper, from the đề án page ---------------------------------
    page.click("[data-testid=new-decision]")
    page.fill("#id_number", "88/QĐ-UBND")
    page.fill("#id_signed_on", _today())
    page.fill("#id_signer", "Nguyễn Văn A")
    assert CODE in page.locator("#id_projects + .ts-wrapper").inner_text()
    shot(page, "06-staff-records-the-paper-decision")
    page.get_by_role("button", name="Lưu quyết định").click()
    page.wait_for_selector("[data-testid=decision-items]")
    page.get_by_role("link", name=CODE).click()
    assert "Đã phê duyệt" in _status(page)

    leader.reload()
    assert "88/QĐ-UBND" in leader.locator("[data-testid=timeline]").inner_text()
    shot(leader, "07-leader-sees-the-approval")
    leader_context.close()

    # --- staff: contract and start ----------------------------------------------------------------------------
    def contract():
        page.fill("#id_contract_number", "88/2026/HĐ-KC")
        page.fill("#id_contract_date", _today())
        page.fill("#id_contract_parties", "Trung tâm Khuyến công và Hợp tác xã cói An Trường")

    _fire(page, "Ghi hợp đồng", contract)
    _fire(page, "Bắt đầu thực hiện")
    assert "Đang thực hiện" in _status(page)
    shot(page, "08-contracted-and-started")

    # --- officer, on a 390 px phone: a field report with a photo -----------------------------------------------
    phone_context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, "kcv.antruong", PASSWORD)
    phone.wait_for_url("**/")
    phone.goto(f"/kiem-tra/de-an/{project.pk}/")
    phone.get_by_test_id("write-report").click()
    phone.fill("#id_progress_percent", "60")
    phone.fill("#id_observations", "Lớp học đang diễn ra tại nhà văn hóa thôn Đông, 30 học viên.")
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 160, 90)).save(photo, "JPEG")
    phone.set_input_files(
        "input[type=file][name=photos]", {"name": "lop-hoc.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}
    )
    phone.locator("input[type=file][name=photos]").scroll_into_view_if_needed()
    shot(phone, "09-officer-field-report-on-phone")
    phone.get_by_test_id("send-report").click()
    phone.wait_for_url("**/kiem-tra/bao-cao/*/")
    report = project.field_reports.get()
    assert report.photos.count() == 1
    shot(phone, "10-officer-report-sent")

    # --- officer: the work is done, asks for acceptance ---------------------------------------------------------
    phone.goto(f"/de-an/{project.pk}/")
    phone.get_by_role("link", name="Đề nghị nghiệm thu").click()
    phone.click("[data-testid=confirm]")
    phone.wait_for_selector(".alert-success")
    phone_context.close()

    # --- staff: payment ---------------------------------------------------------------------------------------
    page.goto(f"/kinh-phi/de-an/{project.pk}/")
    page.click("[data-testid=disburse]")
    kcdp = FundingLine.objects.get(project=project, source="kcdp")
    page.select_option("#id_line", str(kcdp.pk))
    page.select_option("#id_kind", "thanh_toan")
    page.fill("#id_paid_on", _today())
    page.fill("#id_amount", "200.000.000")
    page.fill("#id_document_number", "UNC-2026-088")
    page.click("[data-testid=submit]")
    page.wait_for_url(f"**/kinh-phi/de-an/{project.pk}/")
    assert page.locator("[data-testid=total-disbursed]").inner_text() == "200.000.000"
    shot(page, "11-staff-records-the-payment")

    # --- staff: acceptance and its PDF -------------------------------------------------------------------------
    page.goto(f"/kiem-tra/de-an/{project.pk}/")
    page.get_by_role("link", name="Ghi biên bản nghiệm thu").click()
    page.fill("#id_held_on", _today())
    page.fill("#id_place", "Nhà văn hóa thôn Đông, xã An Trường")
    page.fill("#id_council-0-full_name", "Phạm Minh Đức")
    page.fill("#id_council-0-organisation", "Sở Công Thương")
    page.select_option("#id_council-0-role", "chair")
    page.fill("#id_council-1-full_name", "Trần Thị Hồng")
    page.fill("#id_council-1-organisation", "Sở Công Thương")
    page.select_option("#id_council-1-role", "secretary")
    for output in project.outputs.all():
        page.fill(f"#id_achieved_{output.pk}", str(output.planned_quantity.normalize()))
    page.fill("#id_used_kcdp", "200.000.000")
    page.fill("#id_used_doi_ung", "100.000.000")
    page.check("input[name=result][value=passed]")
    shot(page, "12-staff-records-acceptance")
    page.get_by_role("button", name="Ghi biên bản").click()
    page.wait_for_selector("[data-testid=acceptance-result]")
    page.click("[data-testid=request-acceptance_record]")
    page.wait_for_url("**/van-ban/*/")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    pdf_path = Path(info.value.path())
    from pypdf import PdfReader

    text = " ".join((p.extract_text() or "") for p in PdfReader(pdf_path).pages)
    text = " ".join(text.split())
    assert "BIÊN BẢN NGHIỆM THU" in text.upper()
    assert TITLE in text and "Phạm Minh Đức" in text
    shot(page, "13-acceptance-pdf-ready")

    # --- staff: closure and settlement --------------------------------------------------------------------------
    page.goto(f"/de-an/{project.pk}/")
    assert "Đã nghiệm thu" in _status(page)
    _fire(page, "Thanh lý hợp đồng")
    for line in FundingLine.objects.filter(project=project).order_by("pk"):
        page.goto(f"/kinh-phi/dong/{line.pk}/quyet-toan/")
        page.fill("#id_amount", f"{line.approved_amount:,}".replace(",", "."))
        page.fill("#id_settled_on", _today())
        page.fill("#id_document_number", f"QT-2026-{line.pk}")
        page.click("[data-testid=submit]")
        page.wait_for_url(f"**/kinh-phi/de-an/{project.pk}/")
    shot(page, "14-staff-settles-the-lines")
    page.goto(f"/de-an/{project.pk}/")
    _fire(page, "Ghi quyết toán")
    assert "Đã quyết toán" in _status(page)
    assert "không còn bước nào" in page.locator("[data-testid=next-step]").inner_text()
    shot(page, "15-project-settled")

    # --- the dashboard shows it in its new state ---------------------------------------------------------------
    page.goto(f"/theo-doi/?year={timezone.localdate().year}")
    dashboard = page.locator("main").inner_text()
    assert "Đã quyết toán" in dashboard
    shot(page, "16-dashboard")
    page.goto(f"/de-an/?status=settled&year={timezone.localdate().year}")
    assert CODE in page.locator("[data-testid=project-table]").inner_text()

    project.refresh_from_db()
    assert project.status == S.SETTLED
    steps = list(project.transitions.order_by("at", "id").values_list("to_status", flat=True))
    assert steps == [
        S.DRAFT,
        S.REGISTERED,
        S.APPRAISED,
        S.APPROVED,
        S.CONTRACTED,
        S.IN_PROGRESS,
        S.AWAITING_ACCEPTANCE,
        S.ACCEPTED,
        S.CONTRACT_CLOSED,
        S.SETTLED,
    ]
