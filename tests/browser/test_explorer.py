"""The explorer in a real browser: loads cleanly, levers and Step change the plotted share.

The explorer server is started as `make explore` starts it (on a free port),
comparing with a small sweep stored by the real sweep code. Expected shares
are computed here with :class:`ExplorerModel` directly: the browser must show
exactly the model's numbers, and the lever must make a difference.
"""

from __future__ import annotations

import time

import pytest

from experiments.explorer.model import DEFAULT_SEED, LEVER_SLIDERS, ExplorerModel
from experiments.sweep.pipeline import run_sweep

from ..sweep_helpers import write_experiment
from .conftest import SHOTS, start_explorer

LEVER = "campus_amenity"
LEVER_LABEL = "Campus amenity"
LEVER_MAX = 0.35  # the slider's maximum (LEVER_SLIDERS)
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def sweep_store(tmp_path_factory):
    """A tiny sweep over the whole horizon: trend and cloud-commons × none, 3 replications."""
    folder = tmp_path_factory.mktemp("sweep")
    exp = write_experiment(
        folder,
        name="tiny-explorer",
        scenarios=["trend", "cloud-commons"],
        policies=["none"],
        replications=3,
        end_year=2040,
    )
    run_sweep(exp, out=folder / "store", workers=1, progress=False, figures=False)
    return folder / "store"


@pytest.fixture(scope="module")
def explorer(sweep_store, tmp_path_factory):
    """The explorer server, stopped after the module's tests."""
    server = start_explorer(sweep_store, tmp_path_factory.mktemp("log") / "explorer.log")
    try:
        yield server
    finally:
        server.stop()


def open_explorer(page, url: str) -> None:
    """Load the page and wait until both figures are drawn and the first render settled."""
    page.goto(url)
    page.locator(".hilversum-share").wait_for(timeout=WAIT_MS)
    for card in (".share-chart", ".location-map"):
        page.wait_for_function(
            "sel => { const i = document.querySelector(sel + ' img');"
            " return i && i.complete && i.naturalWidth > 0; }",
            arg=card,
            timeout=WAIT_MS,
        )
    # The first render is followed by Mesa's layout and parameter effects
    # (a re-render); controls used before it ends may be dropped.
    page.wait_for_timeout(1500)


def shown_share(page) -> tuple[int, float]:
    """(year, Hilversum jobs share) as the explorer shows them."""
    el = page.locator(".hilversum-share")
    return int(el.get_attribute("data-year")), float(el.get_attribute("data-share"))


def chart_image(page) -> str:
    return page.locator(".share-chart img").get_attribute("src")


def move_lever_to_max(page, label: str, shown: str) -> None:
    """Push a lever slider to its maximum with the keyboard; wait until the server has it."""
    slider = page.locator(".lever-panel .v-input", has_text=label)
    for _attempt in range(3):  # a move during the first render's settling can be dropped
        thumb = slider.locator("[role=slider]")
        thumb.focus()
        thumb.press("End")
        try:
            page.locator(".lever-panel", has_text=shown).wait_for(timeout=5000)
            return
        except Exception:  # noqa: BLE001 - retried; the last failure is reported below
            continue
    raise AssertionError(f"the explorer never showed '{shown}' after moving the slider")


def step(page, year: int) -> None:
    page.get_by_role("button", name="Step").click()
    page.wait_for_function(
        "y => document.querySelector('.hilversum-share')?.dataset.year == y",
        arg=str(year),
        timeout=WAIT_MS,
    )


def expected_share(scenario: str, lever_value: float, steps: int = 1) -> float:
    model = ExplorerModel(scenario, "none", seed=DEFAULT_SEED)
    if lever_value:
        model.set_lever(LEVER, lever_value)
    for _ in range(steps):
        model.step()
    return model.recorder.row["hilversum_jobs_share"]


def test_page_loads_without_console_errors(page, explorer):
    open_explorer(page, explorer.url)
    year, share = shown_share(page)
    assert year == 2025
    assert share == pytest.approx(
        ExplorerModel(seed=DEFAULT_SEED).recorder.row["hilversum_jobs_share"], abs=1e-6
    )
    caption = page.locator(".hilversum-share").inner_text()
    assert "sweep median" in caption, caption  # the stored sweep's path is found and drawn
    assert page.locator(".lever-panel [role=slider]").count() == len(LEVER_SLIDERS)
    assert "Scenario: trend" in page.locator(".scenario-card").inner_text()
    assert page.problems == [], "\n".join(page.problems)


def test_slider_and_step_change_the_plotted_share(page, explorer):
    without = expected_share("trend", 0.0)
    with_lever = expected_share("trend", LEVER_MAX)
    assert abs(with_lever - without) > 1e-4, "the lever must matter for this test to mean anything"

    open_explorer(page, explorer.url)
    before = chart_image(page)
    move_lever_to_max(page, LEVER_LABEL, f"{LEVER_LABEL}: {LEVER_MAX:g}")
    step(page, 2026)
    year, share = shown_share(page)
    assert year == 2026
    assert share == pytest.approx(with_lever, abs=1e-6)
    assert share != pytest.approx(without, abs=1e-6)
    page.wait_for_function(
        "old => { const i = document.querySelector('.share-chart img');"
        " return i && i.src !== old && i.complete && i.naturalWidth > 0; }",
        arg=before,
        timeout=WAIT_MS,
    )
    # 0.35 amenity points × 20 M€ per point and year (params policy_costs)
    page.locator(".policy-cost", has_text="Policy cost in 2026: 7.0 M€").wait_for(timeout=WAIT_MS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "explorer.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.problems == [], "\n".join(page.problems)


def test_pick_scenario_reset_and_step(page, explorer):
    open_explorer(page, explorer.url)
    page.locator(".v-select", has_text="Scenario").click()
    page.locator(".v-menu__content .v-list-item", has_text="cloud-commons").click()
    page.get_by_role("button", name="Reset").click()
    page.locator(".scenario-card", has_text="Scenario: cloud-commons").wait_for(timeout=WAIT_MS)
    started = time.monotonic()
    for year in (2026, 2027):
        step(page, year)
    assert time.monotonic() - started < 30
    year, share = shown_share(page)
    assert (year, share) == (2027, pytest.approx(expected_share("cloud-commons", 0.0, 2), abs=1e-6))
    assert page.problems == [], "\n".join(page.problems)
