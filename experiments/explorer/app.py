"""Media Valley 2040 explorer: Mesa's SolaraViz on the model (``make explore``).

Run with ``solara run experiments/explorer/app.py --host 127.0.0.1 --port 8765``
from the repository root (``make explore`` does this) and open
http://127.0.0.1:8765. In the sidebar pick a scenario, a policy package to
start from and a seed, then press *Reset*; *Step* advances one year,
▶ plays to 2040. The policy-lever sliders act on the running model from
the next year stepped. The chart compares this run's Hilversum share of
sector jobs with the median path (and 5–95% band) of the stored sweep
(``results/scenarios``, or the store named by ``MEDIACLUSTER_SWEEP``).
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update

import sim
from experiments.explorer import views
from experiments.explorer.model import (
    DEFAULT_BASELINE,
    DEFAULT_PACKAGE,
    DEFAULT_SCENARIO,
    DEFAULT_SEED,
    LEVER_SLIDERS,
    ExplorerModel,
)
from experiments.explorer.reference import SweepReference, sweep_path
from experiments.paramdocs import storyline

PARAMS_DIR = Path(DEFAULT_BASELINE).parent


@lru_cache(maxsize=4)
def _reference(store: str, stamp: float) -> SweepReference:
    return SweepReference(store)


def reference() -> SweepReference:
    """The stored sweep's paths, re-read when the store's manifest changes."""
    store = sweep_path()
    manifest = store / "manifest.json"
    stamp = manifest.stat().st_mtime if manifest.is_file() else 0.0
    return _reference(str(store), stamp)


@lru_cache(maxsize=32)
def _story(folder: str, name: str):
    path = PARAMS_DIR / folder / f"{name}.toml"
    return storyline(path) if path.is_file() else None


def _move_lever(model: ExplorerModel, name: str, value: float) -> None:
    model.set_lever(name, value)
    force_update()


def _paragraph(text_html: str, classes: list[str] | None = None):
    """A paragraph of (already escaped) HTML; solara.Markdown would load KaTeX from a CDN."""
    return solara.HTML(tag="p", unsafe_innerHTML=text_html, classes=classes or [])


def ScenarioCard(model: ExplorerModel):
    """The chosen scenario's storyline and the package it started from."""
    story = _story("scenarios", model.scenario_name)
    package = _story("policies", model.package_name)
    esc = html.escape
    with solara.Card(f"Scenario: {model.scenario_name}", classes=["scenario-card"]) as card:
        if story:
            _paragraph(f"<b>{esc(story.title.capitalize())}</b> {esc(story.text)}")
        if package:
            _paragraph(
                f"Started from policy package <b>{esc(model.package_name)}</b> "
                f"(seed {model.seed}): {esc(package.description)}"
            )
        _paragraph(
            "<i>Pick a scenario, a package and a seed in the sidebar, then press <b>Reset</b>. "
            "<b>Step</b> advances one year; ▶ plays to "
            f"{model.params.run.end_year}. Lever sliders act from the next year you step.</i>"
        )
    return card


def LeverPanel(model: ExplorerModel):
    """Sliders for the policy levers of the running model, and what they cost."""
    row = model.recorder.row
    with solara.Card("Policy levers on Hilversum", classes=["lever-panel"]) as card:
        for spec in LEVER_SLIDERS:
            value = model.lever_value(spec.name)
            when = f" from {model.lever_start(spec.name)}" if value > 0 else ""
            solara.SliderFloat(
                f"{spec.label}: {value:g} {spec.unit}{when}",
                value=value,
                min=0.0,
                max=spec.max,
                step=spec.step,
                on_value=lambda v, name=spec.name: _move_lever(model, name, v),
            )
        solara.Text(
            f"Policy cost in {model.year}: {row['policy_cost_meur']:.1f} M€; "
            f"{model.params.run.start_year}–{model.year}: "
            f"{model.cumulative_cost_meur():.0f} M€",
            classes=["policy-cost"],
        )
    return card


def ShareChart(model: ExplorerModel):
    """Hilversum's jobs share in this run next to the stored sweep's median path."""
    ref = reference()
    found = ref.path(model.scenario_name, model.package_name)
    band, label = (None, "")
    if found is not None:
        used, band = found
        label = f"({model.scenario_name}, {used})"
    run = model.outcomes()
    share = model.recorder.row["hilversum_jobs_share"]
    fig = solara.use_memo(
        lambda: views.share_chart(
            run, model.params.run.start_year, model.params.run.end_year, band, label
        ),
        [id(model), model.year, found is None],
    )
    median_now = ""
    if band is not None:
        now = band[band["year"] == model.year]
        if len(now):
            median_now = f" · sweep median {100 * now['median'].iloc[0]:.1f}%"
    with solara.Card("Hilversum share over time", classes=["share-chart"]) as card:
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(
                f"{model.year}: Hilversum holds {100 * share:.2f}% of sector jobs{median_now}"
            ),
            classes=["hilversum-share"],
            attributes={"data-share": f"{share:.6f}", "data-year": str(model.year)},
        )
        solara.FigureMatplotlib(fig, format="png", dependencies=[id(model), model.year, label])
        if found is None:
            solara.Text(
                f"No sweep median to compare with: {ref.problem or 'scenario not in sweep'}"
            )
        elif found[0] != model.package_name:
            solara.Text(
                f"The sweep has no runs of package '{model.package_name}'; "
                "its median without policy is shown."
            )
    return card


def LocationMap(model: ExplorerModel):
    """Map-like view: locations as discs sized by jobs, Hilversum in orange."""
    fig = solara.use_memo(lambda: views.location_map(model), [id(model), model.year])
    with solara.Card("Where the jobs are", classes=["location-map"]) as card:
        solara.FigureMatplotlib(fig, format="png", dependencies=[id(model), model.year])
    return card


scenarios = sim.available(PARAMS_DIR, "scenarios")
packages = sim.available(PARAMS_DIR, "policies")

model_params = {
    "scenario": {
        "type": "Select",
        "value": DEFAULT_SCENARIO,
        "values": scenarios,
        "label": "Scenario",
    },
    "package": {
        "type": "Select",
        "value": DEFAULT_PACKAGE,
        "values": packages,
        "label": "Policy package to start from",
    },
    "seed": {
        "type": "SliderInt",
        "value": DEFAULT_SEED,
        "min": 1,
        "max": 100,
        "step": 1,
        "label": "Random seed",
    },
}


@solara.component
def Page():
    """The explorer page; every browser session gets its own model."""
    model = solara.use_memo(ExplorerModel, [])
    solara.Title("Media Valley 2040 explorer")
    SolaraViz(
        model,
        components=[
            (ShareChart, 0),
            (LocationMap, 0),
            (LeverPanel, 0),
            (ScenarioCard, 0),
        ],
        model_params=model_params,
        name="Media Valley 2040 explorer",
        play_interval=300,
    )
