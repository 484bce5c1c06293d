"""Each demo role logs in through the real login page and lands on its home page."""

import pytest

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in, screenshot

HOMES = [
    ("quantri", "Quản trị hệ thống"),
    ("chuyenvien", "Việc của chuyên viên"),
    ("lanhdao", "Tổng quan chương trình khuyến công"),
    ("kcv.thuynguyen", "Địa bàn của tôi"),
    ("kcv.cathai", "Địa bàn của tôi"),
    ("giamkhao", "Chấm điểm bình chọn"),
]


@pytest.mark.parametrize(("username", "title"), HOMES)
def test_each_demo_role_logs_in_and_sees_its_home(page, demo, username, title):
    log_in(page, username, DEMO_PASSWORD)
    page.wait_for_url("**/")
    assert title in page.locator("[data-testid=home-title]").inner_text()
    screenshot(page, f"home-{username}")


def test_an_officer_on_a_phone_sees_only_their_area(phone_page, demo):
    log_in(phone_page, "kcv.cathai", DEMO_PASSWORD)
    phone_page.wait_for_url("**/")
    phone_page.goto("/co-so/")
    text = phone_page.locator("main").inner_text()
    assert "Nước mắm Cát Hải" in text
    assert "Thành Phương" not in text
    screenshot(phone_page, "phone-officer-cathai-list")


def test_a_wrong_password_shows_a_vietnamese_message(page, demo):
    log_in(page, "chuyenvien", "sai-mat-khau")
    assert "không đúng" in page.locator(".alert-danger").inner_text()
