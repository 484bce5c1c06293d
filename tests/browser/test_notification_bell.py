"""A staff member's bell counts up when an officer files a problem report in another browser."""

import pytest

from notifications.models import Notification
from tests.browser.conftest import log_in, screenshot
from tests.conftest import AREA_A
from tests.factories import ProjectFactory, UserFactory, unit

PASSWORD = "matkhau-123"


@pytest.fixture
def people_and_project(transactional_db, settings):
    settings.NOTIFICATION_POLL_SECONDS = 1  # the bell asks every second instead of every 30
    staff = UserFactory(username="chuyenvien.hong", first_name="Hồng", last_name="Trần Thị", role="staff")
    officer = UserFactory(username="kcv.thuy", role="area_officer", areas=[unit(AREA_A)])
    project = ProjectFactory(
        in_the_field=True, area=AREA_A, created_by=staff, title="Ứng dụng máy đánh đảo chượp nước mắm"
    )
    return staff, officer, project


def test_the_staff_bell_rises_when_an_officer_reports_a_problem(browser, live_server, page, people_and_project):
    staff, officer, project = people_and_project
    log_in(page, staff.username, PASSWORD)
    page.wait_for_url("**/")
    bell = page.get_by_test_id("bell")
    bell.wait_for()
    assert page.get_by_test_id("bell-count").count() == 0

    officer_context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    officer_page = officer_context.new_page()
    officer_page.set_default_timeout(15_000)
    log_in(officer_page, officer.username, PASSWORD)
    officer_page.wait_for_url("**/")
    officer_page.goto(f"/kiem-tra/de-an/{project.pk}/bao-cao/moi/")
    officer_page.fill("#id_observations", "Máy đã lắp ở bể số 3.")
    officer_page.check("#id_has_problem")
    officer_page.fill("#id_problem", "Mô tơ máy số 2 nóng quá sau 1 giờ chạy.")
    officer_page.get_by_test_id("send-report").click()
    officer_page.wait_for_url("**/kiem-tra/bao-cao/*/")
    officer_context.close()

    # Without reloading, the staff page's bell shows the new notice.
    page.get_by_test_id("bell-count").wait_for()
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    screenshot(page, "notification-bell-risen")
    page.get_by_test_id("bell").click()
    page.wait_for_url("**/thong-bao/")
    assert "Vướng mắc tại" in page.locator("main").inner_text()
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_url("**/thong-bao/")
    assert page.get_by_test_id("bell-count").count() == 0
    assert Notification.objects.get().read_at is not None
