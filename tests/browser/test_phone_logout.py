"""At 390 px the navigation is collapsed behind the toggler: a person opens it, opens their name's menu and
signs out, as staff and as an area officer; the session is gone afterwards."""

import pytest

from tests.browser.conftest import log_in, screenshot


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("persona", ["staff", "officer_a"])
def test_the_logout_in_the_collapsed_menu_signs_out_on_a_phone(request, phone, transactional_db, persona):
    user = request.getfixturevalue(persona)
    log_in(phone, user.username, "matkhau-123")
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)
    logout = phone.get_by_role("button", name="Đăng xuất")
    assert not logout.is_visible()  # collapsed: only the toggler shows
    phone.locator(".navbar-toggler").tap()
    phone.locator("[data-testid=user-menu]").tap()
    logout.wait_for(state="visible")
    screenshot(phone, f"logout-390-{persona}")
    box = logout.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # inside the screen
    logout.tap()
    phone.wait_for_url("**/accounts/login/**")
    phone.goto("/")
    phone.wait_for_url("**/accounts/login/**")  # signed out: home asks to sign in again
    assert phone.locator("#id_auth-username").is_visible()
