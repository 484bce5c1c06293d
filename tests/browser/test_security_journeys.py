"""Chromium reports no Content Security Policy violation on the main journeys; a staff member sets up an
authenticator app after sign-in (codes computed from the secret the page shows) and signs in again with it."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, log_in

# One file per test and parameter: no two xdist workers write the same one.
SHOTS = SCREENSHOTS / "security"

# Collected in the page itself: the event fires for every blocked script, style, image, frame or connection.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

JOURNEYS = {
    "quantri": ["/", "/accounts/nhat-ky-truy-cap/", "/accounts/account/two_factor/", "/co-so/", "/theo-doi/"],
    "chuyenvien": [
        "/",
        "/co-so/",
        "/de-an/",
        "/kinh-phi/",
        "/kiem-tra/",
        "/van-ban/",
        "/binh-chon/",
        "/accounts/profile/",
    ],
    "lanhdao": ["/", "/theo-doi/", "/theo-doi/ban-do/", "/kinh-phi/", "/de-an/quyet-dinh/"],
    "kcv.thuynguyen": ["/", "/co-so/", "/de-an/", "/kiem-tra/", "/van-ban/"],
    "giamkhao": ["/", "/binh-chon/"],
}


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _violations(page, console):
    return list(page.evaluate("window.__csp || []")) + [m for m in console if "Content Security Policy" in m]


def _follow_first_links(page, selector, limit=2):
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")[:limit]
    return [h for h in hrefs if h and h.startswith("/")]


@pytest.mark.parametrize("username", list(JOURNEYS))
def test_no_csp_violation_on_the_main_journeys(page, demo, username):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    log_in(page, username, DEMO_PASSWORD)
    page.wait_for_url("**/")
    seen = []
    for path in JOURNEYS[username]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        seen.append(path)
        # One level down: the first detail pages of a list (detail pages carry the scripts: photos, scoring, charts).
        for href in _follow_first_links(page, "main table a[href^='/']", limit=1):
            page.goto(href)
            page.wait_for_load_state("networkidle")
            seen.append(href)
        assert _violations(page, console) == [], (username, seen[-1])
    _shot(page, f"csp-{username}-last")


def test_the_scoring_page_and_the_field_report_form_run_their_scripts_under_the_policy(page, demo):
    """The two pages whose scripts moved out of the templates: the running total and the offline report form."""
    from contest.models import Entry

    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    log_in(page, "giamkhao", DEMO_PASSWORD)
    page.wait_for_url("**/")
    entry = Entry.objects.filter(contest__jurors__username="giamkhao", contest__state="scoring").first()
    if entry is not None:
        page.goto(f"/binh-chon/{entry.contest_id}/score/{entry.pk}/")
        inputs = page.locator("[data-score]")
        if inputs.count():
            inputs.first.fill("30")
            assert page.locator("#running-total").inner_text().startswith("30")
        _shot(page, "csp-juror-score")
    assert _violations(page, console) == []


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_staff_sets_up_an_authenticator_app_then_signs_in_with_a_code(
    browser, live_server, demo, settings, width, height
):
    settings.TWO_FACTOR_REQUIRED = True
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    try:
        log_in(page, "chuyenvien", DEMO_PASSWORD)
        page.wait_for_url("**/two_factor/setup/")
        page.goto("/co-so/")  # anything else sends them back
        page.wait_for_url("**/two_factor/setup/")
        _shot(page, f"2fa-{width}-1-welcome")
        page.click("[data-testid=wizard-next]")
        method = page.locator("input[name='method-method'][value='generator']")
        if method.count():
            method.check()
            _shot(page, f"2fa-{width}-2-method")
            page.click("[data-testid=wizard-next]")
        secret = page.locator("[data-testid=totp-secret]").inner_text().strip()
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-testid=qr]").evaluate("img => img.naturalWidth") > 0  # the QR code was served
        _shot(page, f"2fa-{width}-3-qr")
        page.fill("input[name='generator-token']", f"{totp(b32decode(secret)):06d}")
        page.click("[data-testid=wizard-next]")
        page.wait_for_url("**/setup/complete/")
        _shot(page, f"2fa-{width}-4-complete")
        page.click("[data-testid=make-recovery-codes]")
        page.click("[data-testid=generate-codes]")
        codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
        assert len(codes) == 10
        _shot(page, f"2fa-{width}-4b-recovery-codes")
        page.goto("/co-so/")
        assert "Cơ sở công nghiệp nông thôn" in page.locator("main").inner_text()

        page.goto("/")
        page.evaluate("document.getElementById('logout-form').submit()")  # the menu's "Đăng xuất" posts this form
        page.wait_for_url("**/accounts/login/")
        log_in(page, "chuyenvien", DEMO_PASSWORD)
        page.wait_for_selector("input[name='token-otp_token']")
        _shot(page, f"2fa-{width}-5-code")
        # The code of the next 30 s (the device accepts one step of drift): the setup's code cannot be used twice.
        page.fill("input[name='token-otp_token']", f"{totp(b32decode(secret), drift=1):06d}")
        page.click("[data-testid=login-submit]")
        page.wait_for_url("**/")
        assert "Việc của chuyên viên" in page.locator("[data-testid=home-title]").inner_text()
        _shot(page, f"2fa-{width}-6-home")
        assert _violations(page, console) == []
    finally:
        context.close()
