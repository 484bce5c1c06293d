"""Playwright driving Debian's Chromium (/usr/bin/chromium; never a Playwright browser download).

Screenshots go to test-results/screenshots/ so a person can look at what each journey saw.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# Without the background-networking flags Chromium keeps calling home, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _tasks_in_the_live_server(eager):
    """The live server runs the tasks its pages enqueue in-process; the real worker has its own tests."""


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true và không có /usr/bin/chromium (apt-get install chromium)", pytrace=False)
        pytest.skip("không có /usr/bin/chromium: apt-get install chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A desktop page; `page.base_url` is the live server."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 px phone."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", password)
    page.click("button[type=submit]")


def pick(page, field_id: str, query: str, option_text: str | None = None) -> None:
    """Choose in a server-searched picker (core.widgets.SearchSelect): focus it (it lists the first page), type,
    wait for the server's answer, click the option."""
    # The visible box (its text input is moved off-screen while an item such as "Tất cả" is shown).
    page.locator(f"#{field_id} + .ts-wrapper .ts-control").click()
    # The first page (asked on focus) has come back: the wrapper is marked preloaded and no longer loading.
    page.wait_for_selector(f"#{field_id} + .ts-wrapper.preloaded:not(.loading)", state="attached")
    page.locator(f"#{field_id}-ts-control").press_sequentially(query, delay=10)
    option = page.locator(f"#{field_id}-ts-dropdown .option", has_text=option_text or query).first
    option.click()
    page.keyboard.press("Escape")
