"""The report's results from sweeps: scenario comparison figures and the robustness table."""

from __future__ import annotations

import math
from pathlib import Path

from ..sweep.figures import write_figures
from .context import Context, SweepResult
from .figures import value_for_money
from .html import Raw, esc, figure, note, paragraph, section, table
from .robustness import NO_POLICY, verdict

# (file stem in the store's figures/, caption) — drawn by experiments.sweep.figures
SWEEP_FIGURES = (
    (
        "fan_charts",
        "Hilversum's share of Media Valley sector jobs, 2025–{year}, in each scenario: one "
        "line per policy package (the median run) with the band of 90% of runs. Where the "
        "bands of two packages overlap, the difference between them is uncertain.",
    ),
    (
        "heatmap_hilversum_jobs_share",
        "Hilversum's share in {year} (median run) for every scenario and policy package: "
        "read across a row to see how a package fares in different futures, down a column "
        "to compare packages in one future.",
    ),
    (
        "jobs_by_location",
        "Sector jobs per location in {year} (median run, whiskers: 5–95% of runs), by "
        "scenario, one panel per policy package: where the jobs Hilversum does not keep go.",
    ),
)


def comparison(ctx: Context) -> str:
    """Scenario comparison figures of every sweep."""
    if not ctx.sweeps:
        return section(
            "comparison",
            "The scenarios compared",
            note("No sweep was given: nothing to compare (see the summary).", "warning"),
        )
    body = []
    for sweep in ctx.sweeps:
        if len(ctx.sweeps) > 1:
            body.append(f"<h3>{esc(sweep.info.name)}</h3>")
        body += sweep_figures(sweep)
    return section("comparison", "The scenarios compared", "".join(body))


def sweep_figures(sweep: SweepResult) -> list[str]:
    """The store's figures, drawn first if the sweep did not (``--no-figures``)."""
    folder = sweep.info.path / "figures"
    names = [stem for stem, _ in SWEEP_FIGURES]
    if not all(_find(folder, stem) for stem in names):
        m = sweep.info.manifest
        locations = m.get("locations") or _locations(sweep)
        write_figures(sweep.info.store, m["scenarios"], m["policies"], locations)
    out = []
    for stem, caption in SWEEP_FIGURES:
        found = _find(folder, stem)
        if found is None:
            out.append(note(f"Figure {esc(stem)} could not be drawn from this store.", "warning"))
            continue
        text = esc(caption.format(year=sweep.robustness.year))
        out.append(figure(found.read_bytes(), found.suffix, text, stem.replace("_", " "), True))
    return out


def _find(folder: Path, stem: str) -> Path | None:
    for suffix in (".svg", ".png"):
        path = folder / f"{stem}{suffix}"
        if path.is_file() and path.stat().st_size > 0:
            return path
    return None


def _locations(sweep: SweepResult) -> list[str]:
    cols = sweep.info.store.outcome_columns()
    return [c.removeprefix("jobs_") for c in cols if c.startswith("jobs_") and c.count("_") == 1]


def robustness_section(ctx: Context) -> str:
    """The robustness table of every sweep, with its verdict and the cost figure."""
    if not ctx.sweeps:
        return section(
            "robustness",
            "Which policy package holds up",
            note("No sweep was given: no robustness table (see the summary).", "warning"),
        )
    body = [
        paragraph(
            "For every policy package: Hilversum's jobs share in the final year in each "
            "scenario (median run); its <i>regret</i> there — how many points it gives away "
            "against the best package in that scenario; its largest regret over all "
            "scenarios; what it costs; and how many points of share it keeps over no policy "
            "for each million euro. The most robust package is the one whose largest regret "
            "is smallest: it is never far from the best choice, whatever future comes."
        )
    ]
    for sweep in ctx.sweeps:
        if len(ctx.sweeps) > 1:
            body.append(f"<h3>{esc(sweep.info.name)}</h3>")
        body += robustness_block(sweep)
    return section("robustness", "Which policy package holds up", "".join(body))


REGRET = '<span class="regret">regret {:.1f}</span>'


def robustness_block(sweep: SweepResult) -> list[str]:
    """Verdict, table and figure of one sweep."""
    r = sweep.robustness
    n_s = len(r.scenarios)
    headers = ["package", *r.scenarios]
    headers += ["max regret (points)", f"cost {r.start_year}–{r.year} (M€)", "points kept per M€"]
    groups = [
        ("", 1),
        (f"per scenario: Hilversum share {r.year} (%) and, below, regret (points)", n_s),
        ("over all scenarios", 3),
    ]
    rows, classes = [], []
    for p in r.policies:
        row = [p]
        row += [
            Raw(f"{r.share.loc[p, s]:.1f}<br>" + REGRET.format(r.regret.loc[p, s]))
            for s in r.scenarios
        ]
        row.append(Raw(f"<b>{r.max_regret[p]:.1f}</b>"))
        row.append(f"{r.cost[p]:,.0f}")
        per = r.kept_per_meur[p] if r.kept_per_meur is not None else math.nan
        if math.isfinite(per):
            row.append(f"{per:.3f}")
        else:
            row.append("— (no cost)" if r.cost[p] == 0 else "—")
        rows.append(row)
        classes.append("best" if p in r.most_robust else "reference" if p == NO_POLICY else "")
    items = "".join(f"<li>{esc(s)}</li>" for s in verdict(r))
    out = [note(f"<ul>{items}</ul>", "finding")]
    out.append(
        table(
            headers,
            rows,
            caption="Robustness of the policy packages across the scenarios",
            numeric=range(1, len(headers)),
            group_headers=groups,
            classes="robustness compact",
            row_classes=classes,
        )
    )
    runs = r.runs.to_numpy()
    n_runs = f"{runs.min()}" if runs.min() == runs.max() else f"{runs.min()}–{runs.max()}"
    kept_note = (
        "Points kept per M€: the mean over scenarios of (package median − no-policy "
        "median), divided by the cost."
        if r.kept is not None
        else "Points kept per M€ need the no-policy package 'none' in the sweep; it is not there."
    )
    out.append(
        paragraph(
            f"<small>Medians over {n_runs} runs per cell. The standard error "
            f"of a median is at most {r.noise_pp:.2f} points, so differences smaller than about "
            f"{r.diff_noise:.1f} points between two cells are within replication noise. Cost: "
            "the median over runs of the yearly policy costs summed, averaged over scenarios "
            f"(unit costs in the assumptions). {esc(kept_note)}</small>"
        )
    )
    svg = value_for_money(r)
    if svg is not None:
        out.append(
            figure(
                svg,
                ".svg",
                "Cost of each package over the run against the points of final-year share it "
                "keeps over no policy: the dot is the mean over scenarios, the bar runs from the "
                "scenario where it keeps least to the one where it keeps most. Orange: the most "
                "robust package.",
                "cost against share kept",
            )
        )
    return out
