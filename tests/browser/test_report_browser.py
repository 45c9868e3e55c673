"""report.html in a real browser: every figure loads, every table is filled, nothing from the net.

The report is built from small stores made by the real sweep and
sensitivity code, opened from disk (file://) in headless Chromium; any
request other than the file itself and its data: URIs is blocked and
counted, so a report that needed a network would fail here.
"""

from __future__ import annotations

import pytest

from experiments.report import build_report

from ..report_helpers import make_study, make_sweep
from .conftest import SHOTS


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores")
    out = folder / "report.html"
    return build_report([make_sweep(folder), make_study(folder)], out=out)


def open_offline(page, path) -> list[str]:
    """Open a local file with every non-local request blocked; return the blocked URLs."""
    blocked: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", guard)
    page.goto(path.as_uri(), wait_until="load")
    return blocked


def test_every_figure_loads_and_every_table_is_filled(page, report_file):
    blocked = open_offline(page, report_file)
    images = page.evaluate(
        "() => Array.from(document.images).map(i => ({alt: i.alt, ok: i.complete &&"
        " i.naturalWidth > 0, w: i.getBoundingClientRect().width}))"
    )
    assert len(images) >= 6
    assert [i["alt"] for i in images if not i["ok"]] == []
    assert all(i["w"] > 200 for i in images)  # drawn at a readable size
    tables = page.evaluate(
        "() => Array.from(document.querySelectorAll('table')).map(t => ({"
        " caption: t.caption ? t.caption.innerText : '',"
        " rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0,"
        " empty: Array.from(t.querySelectorAll('td')).filter(c => !c.innerText.trim()).length"
        "}))"
    )
    assert len(tables) >= 10
    assert [t["caption"] for t in tables if t["rows"] == 0 or t["empty"]] == []
    captions = " ".join(t["caption"] for t in tables)
    assert "Robustness of the policy packages" in captions
    assert "Levers ranked by their effect" in captions
    assert blocked == [] and page.problems == [], blocked + page.problems
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.locator("#robustness").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "report-robustness.png"))
    assert (SHOTS / "report-robustness.png").stat().st_size > 10_000


def test_report_prints(page, report_file):
    page.set_viewport_size({"width": 700, "height": 1000})  # about an A4 page's text width
    open_offline(page, report_file)
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()  # the contents list is for the screen only
    too_wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('table, figure, dl, pre'))"
        ".filter(e => e.scrollWidth > document.body.clientWidth + 1)"
        ".map(e => (e.caption ? e.caption.innerText : e.tagName) + ': ' + e.scrollWidth)"
    )
    assert too_wide == []
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "report-print.pdf").write_bytes(pdf)
