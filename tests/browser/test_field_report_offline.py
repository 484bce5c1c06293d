"""An area officer writes a field report on a phone in a village with a bad connection."""

import pytest

from field.models import FieldReport, ReportStatus
from tests.browser.conftest import log_in, screenshot
from tests.conftest import AREA_A
from tests.factories import UserFactory, unit

PASSWORD = "matkhau-123"


@pytest.fixture
def people_and_project(transactional_db):
    from tests.factories import ProjectFactory

    staff = UserFactory(username="chuyenvien.hong", first_name="Hồng", last_name="Trần Thị", role="staff")
    officer = UserFactory(username="kcv.thuy", role="area_officer", areas=[unit(AREA_A)])
    project = ProjectFactory(
        in_the_field=True, area=AREA_A, created_by=staff, title="Ứng dụng máy đánh đảo chượp nước mắm"
    )
    return staff, officer, project


def test_a_report_typed_offline_survives_a_reload_and_is_sent_when_the_network_is_back(phone_page, people_and_project):
    staff, officer, project = people_and_project
    page = phone_page
    log_in(page, officer.username, PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name=project.code).click()
    page.wait_for_url(f"**/kiem-tra/de-an/{project.pk}/")
    page.get_by_test_id("write-report").click()
    page.wait_for_url(f"**/kiem-tra/de-an/{project.pk}/bao-cao/moi/")

    page.fill("#id_progress_percent", "70")
    page.fill("#id_observations", "Máy đánh đảo chượp đã lắp ở bể số 3, chạy êm.")
    page.check("#id_has_problem")
    page.fill("#id_problem", "Mô tơ máy số 2 nóng quá sau 1 giờ chạy.")
    page.select_option(f"#id_out_{project.outputs.first().pk}_observed", "yes")
    # The page and its assets are kept for a reload without network.
    page.wait_for_selector("html[data-offline-ready='1']", state="attached")
    screenshot(page, "field-report-phone-typed")

    page.context.set_offline(True)
    page.reload()
    assert page.input_value("#id_observations") == "Máy đánh đảo chượp đã lắp ở bể số 3, chạy êm."
    assert page.input_value("#id_problem") == "Mô tơ máy số 2 nóng quá sau 1 giờ chạy."
    assert page.is_checked("#id_has_problem")
    assert page.input_value("#id_progress_percent") == "70"
    page.get_by_test_id("send-report").click()
    assert "chờ gửi" in page.get_by_test_id("offline-status").inner_text()
    screenshot(page, "field-report-phone-offline-queued")
    assert not FieldReport.objects.exists()

    page.context.set_offline(False)
    page.wait_for_url("**/kiem-tra/bao-cao/*/")
    assert "Đã gửi báo cáo" in page.locator("main").inner_text()
    report = FieldReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.has_problem and report.author == officer
    assert report.observed_outputs.get().observed is True
    # The copy kept on the phone is gone once the server has the report.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kc-field-report:project-')).length") == 0
    screenshot(page, "field-report-phone-sent")

    page.context.clear_cookies()
    log_in(page, staff.username, PASSWORD)
    page.wait_for_url("**/")
    problems = page.get_by_test_id("open-problems").inner_text()
    assert "Mô tơ máy số 2 nóng quá sau 1 giờ chạy." in problems and project.code in problems
    screenshot(page, "field-problem-on-staff-home")
