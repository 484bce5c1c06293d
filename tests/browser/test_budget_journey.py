"""Money journey: staff enters the funding lines of a đề án and is stopped by the support ceiling, asks for an
exception, a leader approves it, staff saves and records a payment, and the annual summary shows it."""

import pytest

from accounts.roles import Role
from budgets.models import BudgetException, Disbursement, FundingLine, SupportCeiling
from tests.browser.conftest import log_in, screenshot
from tests.budgets.factories import approve
from tests.factories import ProjectFactory, UserFactory

PASSWORD = "matkhau-123"


@pytest.fixture
def people(transactional_db):
    staff = UserFactory(username="cv.kinhphi", role=Role.STAFF)
    leader = UserFactory(username="ld.kinhphi", role=Role.LEADER)
    project = ProjectFactory(
        funded=True, code="KCĐP-2021-99", title="Mô hình trình diễn máy sấy nông sản", contents=["4.3"]
    )
    approve(project)
    return staff, leader, project


def _enter_lines(page, project, approved_state: str):
    page.goto(f"/kinh-phi/de-an/{project.pk}/sua/")
    rule = SupportCeiling.objects.get(title="Xây dựng mô hình trình diễn kỹ thuật")
    page.select_option("#id_ceiling", str(rule.pk))
    page.select_option("#id_lines-0-source", "kcdp")
    page.select_option("#id_lines-0-cost_item", "thiet_bi")
    page.fill("#id_lines-0-estimated_cost", "300.000.000")
    page.fill("#id_lines-0-approved_amount", approved_state)
    page.select_option("#id_lines-1-source", "doi_ung")
    page.select_option("#id_lines-1-cost_item", "thiet_bi")
    page.fill("#id_lines-1-estimated_cost", "700.000.000")
    page.fill("#id_lines-1-approved_amount", "700.000.000")
    page.click("[data-testid=save-lines]")


def test_staff_is_stopped_by_the_ceiling_a_leader_allows_it_and_the_payment_reaches_the_summary(
    page, browser, live_server, people
):
    staff, leader, project = people
    log_in(page, staff.username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/de-an/{project.pk}/")
    page.click("[data-testid=money-link]")
    page.click("[data-testid=edit-lines]")

    _enter_lines(page, project, "300.000.001")
    error = page.locator("[data-testid=form-error]").inner_text()
    assert "vượt mức tối đa 300.000.000 đồng" in error and "28/2018/TT-BTC" in error
    assert page.input_value("#id_lines-0-approved_amount") == "300.000.001"
    screenshot(page, "budget-ceiling-refused")
    assert not FundingLine.objects.exists()

    request_form = page.locator("[data-testid=exception-request]")
    request_form.locator("textarea[name=reason]").fill("Giá thiết bị nhập khẩu tăng so với dự toán")
    request_form.locator("button[type=submit]").click()
    assert "Đã gửi đề nghị ngoại lệ" in page.locator(".alert-success").inner_text()

    leader_context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    leader_page = leader_context.new_page()
    leader_page.set_default_timeout(15_000)
    log_in(leader_page, leader.username, PASSWORD)
    leader_page.wait_for_url("**/")
    leader_page.goto("/kinh-phi/ngoai-le/")
    pending = leader_page.locator("[data-testid=pending]")
    assert "Giá thiết bị nhập khẩu tăng" in pending.inner_text()
    pending.locator("input[name=comment]").fill("Đồng ý theo tờ trình của Trung tâm")
    pending.locator("button[type=submit]").click()
    assert "Đã ghi ý kiến" in leader_page.locator(".alert-success").inner_text()
    screenshot(leader_page, "budget-exception-approved")
    leader_context.close()
    assert BudgetException.objects.get().status == "approved"

    _enter_lines(page, project, "300.000.001")
    page.wait_for_url(f"**/kinh-phi/de-an/{project.pk}/")
    assert "Giá thiết bị nhập khẩu tăng" in page.locator("[data-testid=ceiling-exception]").inner_text()
    assert page.locator("[data-testid=total-approved]").inner_text() == "1.000.000.001"

    page.goto("/kinh-phi/?year=2021")
    source_table = page.locator("[data-testid=by-source]")
    assert "100.000.000" not in source_table.inner_text()

    page.goto(f"/kinh-phi/de-an/{project.pk}/")
    page.click("[data-testid=disburse]")
    page.select_option("#id_line", str(FundingLine.objects.get(source="kcdp").pk))
    page.select_option("#id_kind", "tam_ung")
    page.fill("#id_paid_on", "15/05/2021")
    page.fill("#id_amount", "100.000.000")
    page.fill("#id_document_number", "UNC-2021-015")
    page.click("[data-testid=submit]")
    page.wait_for_url(f"**/kinh-phi/de-an/{project.pk}/")
    assert "UNC-2021-015" in page.locator("[data-testid=disbursements]").inner_text()
    assert Disbursement.objects.get().amount == 100_000_000

    page.goto("/kinh-phi/?year=2021")
    source_table = page.locator("[data-testid=by-source]").inner_text()
    assert "100.000.000" in source_table
    assert "1.000,000 triệu đồng" in page.locator("[data-testid=total-approved]").inner_text()
    assert page.locator("[data-testid=exception-badge]").count() == 1
    screenshot(page, "budget-summary-after-payment")
