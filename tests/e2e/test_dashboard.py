"""The browser test of the insights dashboard: a manager filters March 2026, every chart is drawn
by the vendored Chart.js beside its table, a figure downloads as CSV, and the page reads in Polish.

It drives Debian's Chromium against pytest-django's live server and saves the dashboard as a
screenshot (docs/screenshots/dashboard.png with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from amends.accounts.models import User
from amends.insights import figures
from tests.e2e.browser import MARKS, SCREENSHOTS
from tests.insights.conftest import desk  # noqa: F401  (the fixed data set, as a fixture)

playwright_sync = pytest.importorskip("playwright.sync_api")

SCREENSHOT = SCREENSHOTS / "dashboard.png"

pytestmark = MARKS


@pytest.fixture
def page(browser: Any) -> Iterator[object]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 1600}, locale="en-GB", accept_downloads=True
    )
    yield context.new_page()
    context.close()


@pytest.mark.usefixtures("desk")
def test_a_manager_reads_the_dashboard_charts_tables_and_csv_in_two_languages(
    live_server, page, marta: User
) -> None:
    expect = playwright_sync.expect
    page.goto(live_server.url + "/insights/")
    page.get_by_label("Username").fill("marta")
    page.get_by_label("Password").fill("password-marta")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()

    # The period through the filters form.
    page.get_by_label("From", exact=True).fill("2026-03-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"start=2026-03-01&end=2026-03-31"))

    # Every figure is there; every chart with rows was drawn by Chart.js.
    for key in figures.FIGURES:
        expect(page.locator(f"#figure-{key}")).to_be_visible()
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every(c => window.Chart && Chart.getChart(c) !== undefined)"
    )
    assert drawn
    assert page.locator("canvas[data-chart]").count() >= 12

    # The numbers beside the chart, as a table.
    reserve = page.locator("#figure-reserve")
    expect(reserve.get_by_role("row", name="Washers")).to_contain_text("3.80")
    pareto = page.locator("#figure-pareto")
    expect(pareto.get_by_role("rowheader", name="Repairs › Seal not fitted")).to_be_visible()

    # A figure's CSV.
    with page.expect_download() as download_info:
        reserve.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "reserve-2026-03-01-2026-03-31.csv"
    assert "Washers" in open(download.path(), encoding="utf-8").read()

    page.locator("#figure-reserve").scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # In Polish: the page's language and decimal commas.
    page.locator("#language-select").select_option("pl")
    page.locator(".language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("#figure-reserve").get_by_role("row", name="Washers")).to_contain_text(
        "3,80"
    )
