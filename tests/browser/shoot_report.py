"""Screenshots of the report's first printed page for docs/ (``make report-figures``).

``python -m tests.browser.shoot_report REPORT_EN.html REPORT_NL.html`` renders each report
as it prints (A4 text width, print styles) in headless Chromium and writes the first page
to docs/figures/report_en.png and report_nl.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from .conftest import CHROMIUM_ARGS, ROOT, chromium_path
from .test_report_browser import A4_TEXT_HEIGHT_PX, A4_TEXT_WIDTH_PX

OUT = ROOT / "docs" / "figures"


def shoot(reports: list[Path]) -> list[Path]:
    """The first printed page of each report as docs/figures/report_<lang>.png."""
    path = chromium_path()
    if path is None:
        raise SystemExit("no Chromium found at $CHROMIUM or /usr/bin/chromium")
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            for report in reports:
                page = browser.new_page(
                    viewport={"width": A4_TEXT_WIDTH_PX, "height": A4_TEXT_HEIGHT_PX},
                    device_scale_factor=1.5,
                )
                page.goto(Path(report).resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                lang = page.evaluate("document.documentElement.lang")
                out = OUT / f"report_{lang}.png"
                page.screenshot(path=str(out))
                written.append(out)
                page.close()
        finally:
            browser.close()
    return written


if __name__ == "__main__":
    for out in shoot([Path(a) for a in sys.argv[1:]]):
        print(f"wrote {out}")
