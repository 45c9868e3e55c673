"""Media Valley 2040 explorer: a Solara page on the Mesa model (``make explore``).

Run with ``python -m experiments.explorer.serve`` from the repository root
(``make explore`` does this) and open http://127.0.0.1:8765. The page is
built from Solara components (not Mesa's SolaraViz, whose developer
controls — play interval, render interval, threads, pages — a policymaker
does not need):

- the left column picks the scenario, the policy package to start from and
  the random seed — each applies at once, restarting the run in 2025 — and
  steps the run (one year, or to 2040);
- the policy-lever sliders act on the running model from the next year;
- the current lever mix can be saved as a policy file (the format of
  ``params/policies/``, validated with the same schema) and run 40 times
  to compare its 2040 band with the packages' bands in the stored sweep
  (``results/scenarios``, or the store named by ``MEDIACLUSTER_SWEEP``).
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

import solara

import sim
from experiments.explorer import policy_mix, views
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

# Layout: a control column of fixed width and a content grid whose cards go
# side by side from about 1,300 px and stack below; titles wrap at spaces only
# (Vuetify's card titles break anywhere), figures shrink with their card.
CSS = """
.mv-page { display: grid; grid-template-columns: 330px minmax(0, 1fr); gap: 16px;
           padding: 8px 12px; align-items: start; }
.mv-side, .mv-main { min-width: 0; display: flex; flex-direction: column; gap: 16px; }
.mv-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr));
           gap: 16px; align-items: start; }
.mv-page img { max-width: 100%; height: auto; }
.mv-page .v-card__title { word-break: normal !important; overflow-wrap: normal;
                          hyphens: none; font-size: 1.05rem; line-height: 1.4; }
.mv-page p { margin-bottom: 6px; }
.lever { margin-bottom: 2px; }
.lever-label { display: block; font-size: 0.9rem; line-height: 1.3; }
.lever .v-input { margin-top: 0; padding-top: 0; }
.lever .v-input__slot { min-width: 160px; }
.mix-file { font-size: 0.75rem; white-space: pre-wrap; overflow-wrap: anywhere;
            max-height: 16em; overflow: auto; background: #f6f6f6; padding: 6px; }
.mv-buttons { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.mv-status { font-size: 0.95rem; }
"""


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
def _story(folder: str, name: str, stamp: float):
    path = PARAMS_DIR / folder / f"{name}.toml"
    return storyline(path) if path.is_file() else None


def story(folder: str, name: str):
    """The storyline (title, text, description) of a scenario or policy file."""
    path = PARAMS_DIR / folder / f"{name}.toml"
    return _story(folder, name, path.stat().st_mtime if path.is_file() else 0.0)


def _paragraph(text_html: str, classes: list[str] | None = None):
    """A paragraph of (already escaped) HTML; solara.Markdown would load KaTeX from a CDN."""
    return solara.HTML(tag="p", unsafe_innerHTML=text_html, classes=classes or [])


@solara.component
def RunControls(
    scenario: solara.Reactive[str],
    package: solara.Reactive[str],
    seed: solara.Reactive[int],
    model: ExplorerModel,
    tick: int,
    on_step,
    on_run,
    on_reset,
):
    """Scenario, package and seed (each applies at once) and the step buttons."""
    end = model.params.run.end_year
    with solara.Card("The run", classes=["run-controls"]):
        solara.Select("Scenario", values=sim.available(PARAMS_DIR, "scenarios"), value=scenario)
        solara.Select(
            "Policy package to start from",
            values=sim.available(PARAMS_DIR, "policies"),
            value=package,
        )
        solara.InputInt(
            "Random seed",
            value=seed.value,
            on_value=lambda v: seed.set(int(v)) if v is not None and v >= 0 else None,
            continuous_update=False,
            classes=["seed-input"],
        )
        _paragraph(
            "<i>A new scenario, package or seed restarts the run in "
            f"{model.params.run.start_year} at once.</i>"
        )
        with solara.Div(classes=["mv-buttons"]):
            solara.Button("Step 1 year", on_click=on_step, disabled=model.year >= end)
            solara.Button(f"Run to {end}", on_click=on_run, disabled=model.year >= end)
            solara.Button("Restart", on_click=on_reset, outlined=True)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(
                f"Year {model.year} · {model.scenario_name} · from {model.package_name} "
                f"· seed {model.seed}"
            ),
            classes=["mv-status"],
            attributes={"data-seed": str(model.seed), "data-scenario": model.scenario_name},
        )


@solara.component
def LeverPanel(model: ExplorerModel, tick: int, on_lever):
    """A slider per policy lever (label above it), and what the policy costs."""
    row = model.recorder.row
    with solara.Card("Policy levers on Hilversum", classes=["lever-panel"]):
        for spec in LEVER_SLIDERS:
            value = model.lever_value(spec.name)
            when = f", from {model.lever_start(spec.name)}" if value > 0 else ""
            with solara.Div(classes=["lever"]):
                solara.HTML(
                    tag="span",
                    unsafe_innerHTML=html.escape(f"{spec.label}: {value:g} {spec.unit}{when}"),
                    classes=["lever-label"],
                    attributes={"data-lever": spec.name},
                )
                solara.SliderFloat(
                    "",
                    value=value,
                    min=0.0,
                    max=spec.max,
                    step=spec.step,
                    on_value=lambda v, name=spec.name: on_lever(name, v),
                    thumb_label=False,
                )
        solara.Text(
            f"Policy cost in {model.year}: {row['policy_cost_meur']:.1f} M€; "
            f"{model.params.run.start_year}–{model.year}: "
            f"{model.cumulative_cost_meur():.0f} M€",
            classes=["policy-cost"],
        )
        _paragraph("<i>A lever you move acts from the next year you step.</i>")


@solara.component
def ScenarioCard(model: ExplorerModel):
    """The chosen scenario's storyline and the package it started from."""
    scenario = story("scenarios", model.scenario_name)
    package = story("policies", model.package_name)
    esc = html.escape
    with solara.Card(f"Scenario: {model.scenario_name}", classes=["scenario-card"]):
        if scenario:
            _paragraph(f"<b>{esc(scenario.title.capitalize())}</b> {esc(scenario.text)}")
        if package:
            _paragraph(
                f"Started from policy package <b>{esc(model.package_name)}</b>: "
                f"{esc(package.description)}"
            )


@solara.component
def ShareChart(model: ExplorerModel, tick: int):
    """Hilversum's jobs share in this run next to the stored sweep's median path."""
    ref = reference()
    found = ref.path(model.scenario_name, model.package_name)
    band, label = (None, "")
    if found is not None:
        used, band = found
        label = f"({model.scenario_name}, {used})"
    share = model.recorder.row["hilversum_jobs_share"]
    fig = solara.use_memo(
        lambda: views.share_chart(
            model.outcomes(), model.params.run.start_year, model.params.run.end_year, band, label
        ),
        [id(model), model.year, label],
    )
    median_now = ""
    if band is not None:
        now = band[band["year"] == model.year]
        if len(now):
            median_now = f" · sweep median {100 * now['median'].iloc[0]:.1f}%"
    with solara.Card("Hilversum's share over time", classes=["share-chart"]):
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


@solara.component
def LocationMap(model: ExplorerModel, tick: int):
    """The places on the outline of the Netherlands, discs sized by jobs."""
    fig = solara.use_memo(lambda: views.location_map(model), [id(model), model.year])
    with solara.Card("Where the jobs are", classes=["location-map"]):
        solara.FigureMatplotlib(fig, format="png", dependencies=[id(model), model.year])


@solara.component
def MixPanel(model: ExplorerModel, tick: int):
    """Save the current lever mix as a policy file and compare it with the packages."""
    name = solara.use_reactive("my-mix")
    description = solara.use_reactive("")
    message = solara.use_reactive(("", ""))  # (kind, text)
    compared = solara.use_reactive(None)
    solara.use_effect(lambda: compared.set(None), [id(model)])

    body = policy_mix.lever_body(model.params.policy)
    context = (
        f"scenario {model.scenario_name}, from package {model.package_name}, seed {model.seed}"
    )
    text = policy_mix.policy_file_text(name.value, description.value, body, context)

    def save():
        try:
            policy_mix.validate(name.value, text, DEFAULT_BASELINE, model.scenario_name)
            path = policy_mix.save(name.value, text)
        except sim.ParamsError as err:
            message.set(("error", f"Not saved: {err}"))
            return
        message.set(("success", f"Saved and valid: {path}"))

    def compare():
        try:
            policy_mix.validate(name.value, text, DEFAULT_BASELINE, model.scenario_name, new=False)
        except sim.ParamsError as err:
            message.set(("error", f"Cannot run: {err}"))
            return
        result = policy_mix.run_mix(name.value, text, DEFAULT_BASELINE, model.scenario_name)
        compared.set((name.value, model.scenario_name, result))
        message.set(("", ""))

    with solara.Card("Your lever mix", classes=["mix-panel"]):
        labels = {spec.name: spec.label.lower() for spec in LEVER_SLIDERS}
        levers = ", ".join(labels[name] for name in body) or "no lever on"
        _paragraph(f"The levers as they are now: {html.escape(levers)}.")
        solara.InputText("Name of the mix", value=name, continuous_update=True)
        solara.InputText("What it does (one line)", value=description, continuous_update=True)
        with solara.Div(classes=["mv-buttons"]):
            solara.Button("Save as policy file", on_click=save, classes=["save-mix"])
            solara.Button(
                f"Compare with the packages ({policy_mix.COMPARE_RUNS} runs)",
                on_click=compare,
                classes=["compare-mix"],
            )
            solara.FileDownload(
                text, filename=f"{name.value}.toml", label="Download", mime_type="text/plain"
            )
        kind, said = message.value
        if kind == "error":
            solara.Error(said, classes=["mix-message"])
        elif kind == "success":
            solara.Success(said, classes=["mix-message"])
        _paragraph(
            f"<i>Saved to {html.escape(str(policy_mix.policy_dir()))}/: use it by name in an "
            "experiment file's <code>policies</code>, or paste its lines into the file as "
            "<code>[custom_policies.NAME]</code>.</i>"
        )
        solara.HTML(tag="pre", unsafe_innerHTML=html.escape(text), classes=["mix-file"])
        if compared.value is not None:
            MixComparison(*compared.value)


@solara.component
def MixComparison(name: str, scenario: str, result: dict):
    """The mix's final-year band next to the sweep's package bands."""
    packages = reference().final_bands(scenario)
    summary = (
        f"{name} in {scenario}, {result['year']}: median {100 * result['median']:.1f}% "
        f"[5–95%: {100 * result['p05']:.1f}–{100 * result['p95']:.1f}%] of sector jobs in "
        f"Hilversum, {result['cost_meur']:.0f} M€ over the run (undiscounted)"
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(summary),
        classes=["mix-result"],
        attributes={"data-median": f"{result['median']:.6f}"},
    )
    fig = solara.use_memo(
        lambda: (
            None
            if packages is None
            else views.comparison_chart(name, result, packages, scenario, result["year"])
        ),
        [name, scenario, result["median"], packages is None],
    )
    if fig is None:
        solara.Text(f"No sweep to compare with: {reference().problem or 'scenario not in sweep'}")
        return
    with solara.Div(classes=["mix-chart"]):
        solara.FigureMatplotlib(fig, format="png", dependencies=[name, scenario, result["median"]])


@solara.component
def Page():
    """The explorer page; every browser session gets its own model."""
    scenario = solara.use_reactive(DEFAULT_SCENARIO)
    package = solara.use_reactive(DEFAULT_PACKAGE)
    seed = solara.use_reactive(DEFAULT_SEED)
    restarts = solara.use_reactive(0)
    tick = solara.use_reactive(0)  # bumped whenever the model changes in place
    model = solara.use_memo(
        lambda: ExplorerModel(scenario.value, package.value, seed.value),
        [scenario.value, package.value, seed.value, restarts.value],
    )
    end = model.params.run.end_year

    def step():
        if model.year < end:
            model.step()
        tick.set(tick.value + 1)

    def run_to_end():
        while model.year < end:
            model.step()
        tick.set(tick.value + 1)

    def move_lever(name: str, value: float):
        model.set_lever(name, value)
        tick.set(tick.value + 1)

    solara.Title("Media Valley 2040 explorer")
    solara.Style(CSS)
    with solara.Div(classes=["mv-page"]):
        with solara.Div(classes=["mv-side"]):
            RunControls(
                scenario,
                package,
                seed,
                model,
                tick.value,
                step,
                run_to_end,
                lambda: restarts.set(restarts.value + 1),
            )
            LeverPanel(model, tick.value, move_lever)
        with solara.Div(classes=["mv-main"]):
            with solara.Div(classes=["mv-grid"]):
                ShareChart(model, tick.value)
                LocationMap(model, tick.value)
            with solara.Div(classes=["mv-grid"]):
                MixPanel(model, tick.value)
                ScenarioCard(model)
