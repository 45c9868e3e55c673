"""The report in a real browser, in English and Dutch: every figure loads, every table is
filled, nothing comes from the net, page one holds the title block and the answer, and the
printed main body fits the page budget.

The reports are built from small stores made by the real sweep and sensitivity code (plus
synthetic robustness and lever-effect tables in the exact columns the studies write),
opened from disk (file://) in headless Chromium; any request other than the file itself
and its data: URIs is blocked and counted, so a report that needed a network fails here.
"""

from __future__ import annotations

import re

import pytest

from experiments.report import build_report

from ..report_helpers import (
    make_hindcast,
    make_robust,
    make_study,
    make_study_with_effects,
    make_sweep,
)
from .conftest import SHOTS

# The main body (everything before the appendices) must print on at most this many A4
# pages (issue 15: "at most ~15 A4 pages for the main body"); the shipped sweep with five
# scenarios and five packages gives about 7, see docs/report.md.
MAX_MAIN_PAGES = 15
# A4 at 96 px/inch minus the report's print margins (14 mm top and bottom, 13 mm sides)
A4_TEXT_WIDTH_PX = round((210 - 26) / 25.4 * 96)
A4_TEXT_HEIGHT_PX = round((297 - 28) / 25.4 * 96)


@pytest.fixture(scope="module")
def report_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores")
    sweep, study = make_sweep(folder), make_study(folder)
    stores = [sweep, make_study_with_effects(folder, study), make_robust(folder)]
    make_hindcast(folder)  # next to the stores: the report shows "Grounded in history"
    return {
        lang: build_report(stores, out=folder / f"report_{lang}.html", lang=lang)
        for lang in ("en", "nl")
    }


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


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote (one '/Type /Page' object per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


CAPTIONS = {
    "en": (
        "Each package across the",
        "Robustness of each policy",
        "Paired effect of each lever",
        "The hindcast against history",
        "The behavioural weights before",
    ),
    "nl": (
        "Elk pakket over de",
        "Robuustheid van elk beleid",
        "Gepaard effect van elke knop",
        "De terugvoorspelling tegen de geschiedenis",
        "De gedragsgewichten vóór",
    ),
}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_figure_loads_and_every_table_is_filled(page, report_files, lang):
    blocked = open_offline(page, report_files[lang])
    assert page.evaluate("document.documentElement.lang") == lang
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
    assert len(tables) >= 6
    assert [t["caption"] for t in tables if t["rows"] == 0 or t["empty"]] == []
    captions = " ".join(t["caption"] for t in tables)
    for caption in CAPTIONS[lang]:
        assert caption in captions, caption
    # the parameter appendix is a linked file next to the report, and it opens
    link = page.locator("#rests-on a").first
    assert link.get_attribute("href") == f"report_{lang}_parameters.html"
    assert blocked == [] and page.problems == [], blocked + page.problems
    link.click()
    page.wait_for_load_state("load")
    assert page.locator("table").count() >= 10


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_holds_the_title_and_the_answer_and_the_main_body_fits(page, report_files, lang):
    page.set_viewport_size({"width": A4_TEXT_WIDTH_PX, "height": A4_TEXT_HEIGHT_PX})
    open_offline(page, report_files[lang])
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()  # the contents list is for the screen only
    too_wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('table, figure, dl, pre'))"
        ".filter(e => e.scrollWidth > document.body.clientWidth + 1)"
        ".map(e => (e.caption ? e.caption.innerText : e.tagName) + ': ' + e.scrollWidth)"
    )
    assert too_wide == []
    # page one: the title block and the whole answer box above the first page's end
    box = page.locator("#summary .finding").first.bounding_box()
    assert page.locator("header.title-block h1").bounding_box()["y"] < 50
    assert box["y"] + box["height"] < A4_TEXT_HEIGHT_PX, box
    whole = page.pdf(format="A4", print_background=True)
    page.add_style_tag(content="@media print { section.appendix { display: none !important } }")
    main_body = page.pdf(format="A4", print_background=True)
    pages, main_pages = pdf_pages(whole), pdf_pages(main_body)
    print(f"{lang}: {main_pages} A4 pages of main body, {pages} in all")  # shown with -s
    assert 2 <= main_pages <= MAX_MAIN_PAGES
    assert pages > main_pages  # the appendices start on pages of their own
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"report-{lang}.pdf").write_bytes(whole)
    page.screenshot(path=str(SHOTS / f"report-{lang}-page1.png"))
    assert (SHOTS / f"report-{lang}-page1.png").stat().st_size > 10_000
