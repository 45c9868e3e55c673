"""The report's results: the scenarios compared (figures) and which policy for which budget."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from ..sweep.summary import yearly_band
from . import figures
from .answer import NO_POLICY
from .context import Context, SweepResult
from .html import Raw, Rowspan, esc, figure, note, paragraph, section, table
from .intro import format_metric
from .robust import RobustStudy, kind_of

SHARE = "hilversum_jobs_share"


def comparison(ctx: Context) -> str:
    """Fan charts, the final-year heatmap and jobs per place, drawn in the report's language."""
    m = ctx.m
    if not ctx.sweeps:
        return section(
            "comparison", m.text("sec.comparison"), note(m.html("miss.sweep"), "warning")
        )
    body = []
    for sweep in ctx.sweeps:
        if len(ctx.sweeps) > 1:
            body.append(f"<h3>{esc(sweep.info.name)}</h3>")
        body += sweep_figures(ctx, sweep)
    return section("comparison", m.text("sec.comparison"), "".join(body))


def sweep_figures(ctx: Context, sweep: SweepResult) -> list[str]:
    m, a = ctx.m, sweep.answer
    bands = yearly_band(sweep.info.store, SHARE)
    out = [
        figure(
            figures.fan_charts(bands, a, m),
            ".svg",
            m.html("fig.fan.caption", start_year=a.start_year, year=a.year),
            m.text("fig.fan.title"),
            wide=True,
        ),
        figure(
            figures.heatmap(a, m),
            ".svg",
            m.html("fig.heat.caption", year=a.year),
            m.text("fig.heat.title", year=a.year),
        ),
    ]
    policy = NO_POLICY if NO_POLICY in a.policies else a.policies[0]
    jobs = final_jobs(sweep, policy)
    if jobs is not None:
        out.append(
            figure(
                figures.jobs_by_place(jobs, a, policy, m),
                ".svg",
                m.html("fig.jobs.caption", year=a.year, policy=policy),
                m.text("fig.jobs.title", year=a.year, policy=policy),
            )
        )
    return out


def final_jobs(sweep: SweepResult, policy: str) -> pd.DataFrame | None:
    """Median and 5–95% of final-year jobs per place and scenario for one package, or None
    if the store kept no per-place jobs."""
    store = sweep.info.store
    places = sweep.info.manifest.get("locations") or _places(sweep)
    available = set(store.outcome_columns())
    cols = [f"jobs_{p}" for p in places if f"jobs_{p}" in available]
    if not cols:
        return None
    year = sweep.answer.year
    frame = (
        store.dataset()
        .to_table(
            columns=["scenario", "policy", *cols],
            filter=(ds.field("year") == year) & (ds.field("policy") == policy),
        )
        .to_pandas()
    )
    long = frame.melt(id_vars=["scenario", "policy"], var_name="place", value_name="jobs")
    long["place"] = long["place"].str.removeprefix("jobs_")
    g = long.groupby(["scenario", "place"], sort=False)["jobs"]
    out = pd.DataFrame(
        {"median": g.median(), "p05": g.quantile(0.05), "p95": g.quantile(0.95)}
    ).reset_index()
    order = {c.removeprefix("jobs_"): i for i, c in enumerate(cols)}
    return out.sort_values("place", key=lambda s: s.map(order), kind="stable")


def _places(sweep: SweepResult) -> list[str]:
    """The places of the sweep's params (the stored copy, else params/)."""
    import sim

    folder = sweep.info.inputs_dir()
    base = (folder or Path("params")) / "baseline.toml"
    try:
        return list(sim.load_params(base).locations)
    except (sim.ParamsError, OSError):
        return ["hilversum", "amsterdam", "utrecht", "rest_nl", "abroad"]


def choice(ctx: Context) -> str:
    """Per scenario: share, runs at target, points kept, M€ per point; the budget frontier."""
    m = ctx.m
    if not ctx.sweeps and not ctx.robust:
        return section("choice", m.text("sec.choice"), note(m.html("miss.sweep"), "warning"))
    body = []
    for study in ctx.robust:
        body += robust_block(ctx, study)
    for sweep in ctx.sweeps:
        if len(ctx.sweeps) > 1:
            body.append(f"<h3>{esc(sweep.info.name)}</h3>")
        body += sweep_choice(ctx, sweep)
    return section("choice", m.text("sec.choice"), "".join(body))


def sweep_choice(ctx: Context, sweep: SweepResult) -> list[str]:
    m, a = ctx.m, sweep.answer
    out = [paragraph(m.html("ch.intro", year=a.year, target=m.pct(a.target)))]
    if not a.has_reference:
        out.append(note(m.html("ch.no_none"), "warning"))
    headers = [
        m.text("col.scenario"),
        m.text("col.package"),
        m.text("col.share", year=a.year),
        m.text("col.runs_at_target"),
        m.text("col.kept_cell"),
        m.text("col.cost_pv"),
        m.text("col.per_point"),
    ]
    rows, classes = [], []
    for s in a.scenarios:
        for i, p in enumerate(a.policies):
            c = a.cell(s, p)
            share = f"{m.num(c['share'])} [{m.num(c['p05'])}–{m.num(c['p95'])}]"
            if c["share"] >= a.target - 1e-9:
                share = Raw(f"<b>{esc(share)}</b>")
            if p == NO_POLICY:
                kept, per_point = m.text("reference"), "—"
            elif not a.has_reference:
                kept, per_point = "—", "—"
            else:
                kept = f"{m.num(c['kept'])} ± {m.num(2 * c['kept_se'])}"
                per_point = (
                    m.num(c["per_point"], 0)
                    if math.isfinite(c["per_point"])
                    else (m.text("no_gain") if c["cost_pv"] > 0 else "—")
                )
            rows.append(
                [
                    Rowspan(Raw(f"<i>{esc(s)}</i>"), len(a.policies)) if i == 0 else None,
                    p,
                    share,
                    m.pct(100 * c["at_target"], 0),
                    kept,
                    m.num(c["cost_pv"], 0),
                    per_point,
                ]
            )
            classes.append("first" if i == 0 else "")
    out.append(
        table(
            headers,
            rows,
            caption=m.text("sec.choice"),
            numeric=range(2, len(headers)),
            classes="cells compact",
            row_classes=classes,
        )
    )
    runs = a.cells["runs"]
    n_runs = (
        f"{runs.min():.0f}" if runs.min() == runs.max() else f"{runs.min():.0f}–{runs.max():.0f}"
    )
    out.append(
        paragraph(
            "<small>" + m.html("ch.noise", runs=n_runs, noise=m.num(a.diff_noise)) + "</small>"
        )
    )
    svg = figures.cost_and_kept(a, m)
    if svg is not None:
        out.append(
            figure(svg, ".svg", m.html("fig.cost.caption", year=a.year), m.text("fig.cost.title"))
        )
    if not ctx.robust and not a.frontier.empty:
        out.append(paragraph(m.html("ch.frontier_sweep", n_scenarios=len(a.scenarios))))
        rows = [
            [
                m.num(r.budget, 0),
                r.policy,
                m.num(r.max_regret),
                f"{r.at_target} / {len(a.scenarios)}",
                m.num(r.kept) if a.has_reference else "—",
            ]
            for r in a.frontier.itertuples()
        ]
        out.append(
            table(
                [
                    m.text("col.budget"),
                    m.text("col.choice"),
                    m.text("col.max_regret"),
                    m.text("col.at_target"),
                    m.text("col.kept"),
                ],
                rows,
                caption=m.text("ch.frontier_caption"),
                numeric=(0, 2, 3, 4),
                classes="frontier compact",
            )
        )
    return out


def robust_block(ctx: Context, study: RobustStudy) -> list[str]:
    """The robustness study's measures per policy, its frontier table and figure."""
    m = ctx.m
    outcome = study.outcome or SHARE
    label = m.text(f"outcome.{outcome}") if m.has(f"outcome.{outcome}") else outcome
    out = [paragraph(m.html("ch.robust_intro", name=study.name, outcome=label))]
    if study.table is None:
        out.append(note(m.html("ch.robust_incomplete", path=study.path, file="robustness.csv")))
    else:
        metrics = list(study.table.columns)
        rows = [
            [p, *[format_metric(m, k, study.table.loc[p, k]) for k in metrics]]
            for p in study.table.index
        ]
        out.append(
            table(
                [m.text("col.package"), *[m.metric(k) for k in metrics]],
                rows,
                caption=m.text("ch.robust_caption"),
                numeric=range(1, len(metrics) + 1),
                classes="robust compact",
            )
        )
    if study.frontier is None:
        out.append(note(m.html("ch.robust_incomplete", path=study.path, file="frontier.csv")))
        return out
    f = study.frontier
    metrics = [c for c in f.columns if c not in ("budget_meur", "policy")]
    rows = [
        [m.num(r["budget_meur"], 0), r["policy"], *[format_metric(m, k, r[k]) for k in metrics]]
        for _, r in f.iterrows()
    ]
    out.append(
        table(
            [m.text("col.budget"), m.text("col.choice"), *[m.metric(k) for k in metrics]],
            rows,
            caption=m.text("ch.robust_frontier_caption"),
            numeric=range(2, len(metrics) + 2),
            classes="frontier compact",
        )
    )
    lead = study.frontier_metric()
    if lead is not None and len(f) > 0:
        values = pd.to_numeric(f[lead], errors="coerce")
        kind = kind_of(lead)
        fraction = values.abs().max() <= 1.0 and kind in ("fraction", "share", "regret")
        scale = 100.0 if fraction else 1.0
        unit = {"fraction": " (%)", "share": " (%)", "regret": " (points)", "cost": " (M€)"}
        unit_text = unit.get(kind, "")
        if m.lang == "nl":
            unit_text = unit_text.replace("points", "punten")
        svg = figures.frontier(f, lead, scale, unit_text, m)
        out.append(
            figure(
                svg,
                ".svg",
                m.html("fig.frontier.caption", metric=m.metric(lead)),
                m.text("fig.frontier.title"),
            )
        )
    return out
