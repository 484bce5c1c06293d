"""A leader opens the programme dashboard on a desktop and on a phone and follows a figure into the list it
counts: by clicking a bar of the chart (desktop) and the linked cell of the table behind it (phone)."""

import re
from pathlib import Path

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in, screenshot

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def _listed(page) -> int:
    text = page.locator("#project-table .small.text-muted").first.inner_text()
    return int(re.search(r"\d+", text).group())


def test_a_leader_clicks_a_chart_bar_into_the_filtered_list(page, demo):
    log_in(page, "lanhdao", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/theo-doi/?year=2021")
    assert "3.108,129" in page.locator("[data-testid=kpi-approved]").inner_text()
    # The chart is drawn from the vendored Chart.js (the box is hidden until the script runs).
    page.wait_for_selector("[data-chart=chart-states]:not(.d-none) canvas")
    # A count axis steps by whole numbers (not 0,1 … 1,0).
    ticks = page.evaluate(
        """() => { const c = document.querySelector('[data-chart=chart-states]').chart;
                   const axis = c.options.indexAxis === 'y' ? c.scales.x : c.scales.y;
                   return axis.ticks.map(t => t.value); }"""
    )
    assert ticks and all(float(v).is_integer() for v in ticks), ticks
    SAMPLES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SAMPLES / "dashboard-desktop.png"), full_page=True)

    # Where Chart.js drew the first bar of the states chart, and what the table says it counts.
    first_label = page.locator("[data-testid=table-states] tbody th").first.inner_text()
    first_count = int(page.locator("[data-testid=table-states] tbody td a").first.inner_text())
    box = page.locator("#chart-states").bounding_box()
    bar = page.evaluate(
        """() => { const c = Chart.getChart('chart-states'); const el = c.getDatasetMeta(0).data[0];
                   return {x: (el.x + el.base) / 2, y: el.y}; }"""
    )
    page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_url(re.compile(r"/de-an/\?.*status="))
    assert "year=2021" in page.url
    assert _listed(page) == first_count
    page.wait_for_load_state()
    selected = page.eval_on_selector("#id_status", "s => s.options[s.selectedIndex].text")
    assert selected == first_label
    screenshot(page, "dashboard-bar-to-list")


def test_a_leader_on_a_phone_follows_a_table_cell_into_the_list(phone_page, demo):
    page = phone_page
    log_in(page, "lanhdao", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/theo-doi/?year=2021&level=kcdp")
    # Nothing wider than the phone: the tables stack, the charts scale.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1
    page.wait_for_selector("[data-chart=chart-sources]:not(.d-none) canvas")
    SAMPLES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SAMPLES / "dashboard-phone.png"), full_page=True)

    cell = page.locator("[data-testid=table-contents] tbody td a").first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r"/de-an/\?.*content="))
    assert "level=kcdp" in page.url
    assert _listed(page) >= count
    screenshot(page, "dashboard-phone-cell-to-list")


def test_the_map_works_on_a_phone_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, "lanhdao", DEMO_PASSWORD)
    page.goto("/theo-doi/ban-do/?year=2021")
    assert page.locator("[data-testid=map-svg] circle").count() > 0
    assert "tâm thật" in page.locator("main").inner_text()  # real centres, not a schematic
    screenshot(page, "map-phone-nojs")
    context.close()
