"""Staff registers a đề án for an existing establishment, records its appraisal and approval decision, signs the
contract and starts it; a leader then finds it on their list."""

from accounts.demo import DEMO_PASSWORD
from beneficiaries.models import Beneficiary
from projects.models import ActivityContent, Organisation, Project, ProjectStatus
from tests.browser.conftest import log_in, pick, screenshot

CODE = "KCĐP-2026-77"


def _fire(page, label: str, fill=None):
    page.get_by_role("link", name=label).click()
    if fill:
        fill()
    page.fill("#id_comment", f"{label} (kiểm thử)")
    page.click("[data-testid=confirm]")
    page.wait_for_selector(".alert-success")


def test_staff_takes_a_project_from_registration_to_in_progress_and_a_leader_sees_it(page, demo):
    beneficiary = Beneficiary.objects.get(name="Công ty TNHH Cơ khí An Lão")
    log_in(page, "chuyenvien", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Đề án").first.click()
    page.get_by_role("link", name="Tạo đề án").click()
    page.fill("#id_code", CODE)
    page.fill("#id_title", "Hỗ trợ máy cắt plasma CNC cho cơ khí An Lão")
    page.select_option("#id_level", "kcdp")
    page.fill("#id_plan_year", "2026")
    page.check(f"input[name=contents][value='{ActivityContent.objects.get(code='4.3').pk}']")
    pick(page, "id_beneficiaries", "co khi an lao", beneficiary.name)
    pick(page, "id_implementing_unit", "khuyen cong", Organisation.objects.get(kind="extension_centre").name)
    pick(page, "id_unit", beneficiary.unit.name)
    page.fill("#id_start_date", "01/03/2026")
    page.fill("#id_end_date", "30/11/2026")
    page.fill("#id_outputs-0-description", "Máy cắt plasma CNC")
    page.fill("#id_outputs-0-unit_of_measure", "máy")
    page.fill("#id_outputs-0-planned_quantity", "1")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("[data-testid=timeline]")
    project = Project.objects.get(code=CODE)
    assert project.status == ProjectStatus.DRAFT

    _fire(page, "Đăng ký đề án")

    def appraisal():
        page.check("input[name=appraisal_result][value=passed]")
        page.fill("#id_appraisal_remarks", "Thiết bị phù hợp năng lực cơ sở.")

    _fire(page, "Ghi kết quả thẩm định", appraisal)
    assert "Đạt" in page.locator("[data-testid=appraisal]").inner_text()

    # The approval decision is recorded on its own page, listing the đề án; it approves it at once.
    page.goto("/de-an/quyet-dinh/moi/")
    page.fill("#id_number", "215/QĐ-UBND")
    page.fill("#id_signed_on", "20/02/2026")
    page.fill("#id_issuing_body", "UBND thành phố Hải Phòng")
    page.select_option("#id_kind", "plan_approval")
    pick(page, "id_projects", CODE)
    page.get_by_role("button", name="Lưu quyết định").click()
    page.wait_for_selector("[data-testid=decision-items]")
    page.get_by_role("link", name=CODE).click()
    assert "Đã phê duyệt" in page.locator("[data-testid=status]").inner_text()

    def contract():
        page.fill("#id_contract_number", "12/2026/HĐ-KC")
        page.fill("#id_contract_date", "01/03/2026")
        page.fill("#id_contract_parties", "Trung tâm Khuyến công và Công ty TNHH Cơ khí An Lão")

    _fire(page, "Ghi hợp đồng", contract)
    _fire(page, "Bắt đầu thực hiện")
    assert "Đang thực hiện" in page.locator("[data-testid=status]").inner_text()
    timeline = page.locator("[data-testid=timeline]").inner_text()
    for step in ("Dự thảo", "Đã đăng ký", "Đã thẩm định", "Đã phê duyệt", "Đã ký hợp đồng", "Đang thực hiện"):
        assert step in timeline
    assert "215/QĐ-UBND" in timeline
    screenshot(page, "project-in-progress")

    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS and project.transitions.count() == 6

    page.context.clear_cookies()
    log_in(page, "lanhdao", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/de-an/?q=plasma")
    table = page.locator("[data-testid=project-table]").inner_text()
    assert CODE in table and "Đang thực hiện" in table
    screenshot(page, "project-leader-list")
