"""Reading what the browser shows: tables, headline numbers and the charts Chart.js drew."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page


def wait_for_charts(page: Page, count: int) -> None:
    """Wait until dashboard.js has drawn ``count`` charts."""
    page.wait_for_function(
        f"document.documentElement.dataset.chartsReady === '{count}'", timeout=15_000
    )


def chart(page: Page, key: str) -> dict[str, Any]:
    """Labels and datasets of a drawn chart, read back from Chart.js itself."""
    data: dict[str, Any] = page.evaluate(
        """key => {
            const chart = Chart.getChart(document.querySelector(`canvas[data-chart="${key}"]`));
            return {
                type: chart.config.type,
                labels: chart.data.labels,
                series: Object.fromEntries(chart.data.datasets.map(d => [d.label, d.data])),
                drawn: chart.canvas.width > 0 && chart.canvas.height > 0,
            };
        }""",
        key,
    )
    return data


def table(page: Page, key: str) -> list[list[str]]:
    """The heading row and the body rows of a table, as displayed."""
    rows: list[list[str]] = page.evaluate(
        """key => {
            const table = document.querySelector(`[data-table="${key}"] table`);
            return [...table.querySelectorAll("tr")].map(
                tr => [...tr.children].map(cell => cell.innerText.trim()));
        }""",
        key,
    )
    return rows


def number(text: str) -> float:
    """A displayed number (thousands grouped with commas) as a number."""
    return float(text.replace(",", ""))


def kpi(page: Page, key: str) -> tuple[float, float | None]:
    """A headline number and the period before, from their data attributes."""
    box = page.locator(f'[data-kpi="{key}"]')
    value = float(box.locator("[data-value]").get_attribute("data-value") or "nan")
    previous = box.locator("[data-previous]")
    before = float(previous.get_attribute("data-previous") or "nan") if previous.count() else None
    return value, before
