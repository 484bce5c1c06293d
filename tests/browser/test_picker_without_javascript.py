"""A picker longer than INLINE_LIMIT still lets a person choose without JavaScript, and with it nothing changed.

The establishment form's administrative unit, with more than INLINE_LIMIT units (Hải Phòng's 516 plus a hundred
more current communes, as a second province would bring): without JavaScript the <select> holds only the empty
choice; the search box and "Tìm" bring the matches back in the same form with what was typed, and "Lưu" saves.
"""

import datetime

import pytest

from accounts.roles import Role
from areas.models import AdministrativeUnit, UnitType
from beneficiaries.models import Beneficiary
from core.widgets import INLINE_LIMIT
from tests.browser.conftest import log_in, pick, screenshot
from tests.factories import UserFactory

PASSWORD = "matkhau-123"


@pytest.fixture
def long_list(transactional_db):
    root = AdministrativeUnit.objects.get(depth=0, valid_to__isnull=True)
    existing = AdministrativeUnit.objects.filter(depth__gte=1).count()
    for i in range(INLINE_LIMIT + 20 - existing):
        AdministrativeUnit(
            code=f"9{i:04d}",
            name=f"Xã Thử Nghiệm {i}",
            short_name=f"Thử Nghiệm {i}",
            unit_type=UnitType.COMMUNE,
            parent=root,
            valid_from=datetime.date(2025, 7, 1),
        ).save()
    assert AdministrativeUnit.objects.filter(depth__gte=1).count() > INLINE_LIMIT
    UserFactory(username="cv.nam", role=Role.STAFF)
    return AdministrativeUnit.objects.get(code="11635", valid_to__isnull=True)  # Xã An Trường since 7/2025


def _fill_the_rest(page):
    page.fill("#id_name", "Hợp tác xã cói An Trường")
    page.select_option("#id_legal_form", "hop_tac_xa")
    page.fill("#id_tax_code", "0201999888")
    page.fill("#id_address", "Thôn Đông, xã An Trường")


def test_without_javascript_tim_lists_the_matches_keeps_the_form_and_luu_saves(browser, live_server, long_list):
    commune = long_list
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "cv.nam", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/co-so/new/")
    assert page.locator("#id_unit option").count() == 1  # only the empty choice: the list is too long to hold
    _fill_the_rest(page)
    page.fill("#id_unit__q", "an truong")
    # Pressed from the keyboard: a mouse click waits for the button to stop moving, which it may not do while the
    # web fonts arrive on a busy machine (no script runs to settle them).
    page.focus("button[name=_picker][value=unit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_unit option >> text=Xã An Trường", state="attached")
    # The same form, with what was typed, nothing refused; the matches to choose from.
    assert page.input_value("#id_name") == "Hợp tác xã cói An Trường"
    assert page.input_value("#id_tax_code") == "0201999888"
    assert page.input_value("#id_legal_form") == "hop_tac_xa"
    assert page.input_value("#id_unit__q") == "an truong"
    assert page.locator(".invalid-feedback, .alert-danger").count() == 0
    assert not Beneficiary.objects.exists()
    assert 1 < page.locator("#id_unit option").count() <= 51
    screenshot(page, "picker-without-javascript")
    page.select_option("#id_unit", str(commune.pk))
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/co-so/*/")
    saved = Beneficiary.objects.get()
    assert (saved.name, saved.unit, saved.tax_code) == ("Hợp tác xã cói An Trường", commune, "0201999888")
    context.close()


def test_with_javascript_the_search_box_is_gone_and_enter_still_saves(page, long_list):
    commune = long_list
    log_in(page, "cv.nam", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/co-so/new/")
    page.wait_for_selector("#id_unit + .ts-wrapper")
    assert page.locator("[data-search-fallback]").count() == 0
    assert page.locator("button[name=_picker]").count() == 0
    _fill_the_rest(page)
    pick(page, "id_unit", "an truong", commune.name)
    page.press("#id_address", "Enter")  # the form's own button, as before: no "Tìm" left to take the Enter
    page.wait_for_url("**/co-so/*/")
    assert Beneficiary.objects.get().unit == commune
