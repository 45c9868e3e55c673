"""From run outcomes to every output of a study: indices, noise, rankings, warnings, files.

:func:`analyse` is model-agnostic: it takes the plan and a
:class:`.outcomes.RunValues` (filled from model runs, or from any test
function) and computes everything; :func:`write_outputs` writes it:

    indices.csv              tidy: scenario, outcome, year, factor, method, index, value,
                             conf_low, conf_high (the dummy factor included)
    convergence.csv          Sobol' S1/ST, Var(Y) and ΣS1 at the nested sizes N/8 … N:
                             scenario, outcome, year, factor, index, n, value, conf_low, conf_high
    lever_effects.csv        each lever's paired effect over the uncertainty ensemble:
                             scenario, outcome, year, lever, effect, conf_low, conf_high
    lever_combined.csv       every lever at once, and its interaction (all − sum of single)
    lever_costs.csv          each lever's cost and cost per point kept, floor apart
    emulator_validation.csv  the GP emulator's held-out error and its agreement with the
                             direct indices
    noise.csv                seed-noise share per scenario × outcome × year
    ranked_levers_<scenario>.csv   the levers by total effect on the main outcome
    ranked_factors.csv       every factor, every scenario (levers and parameters)
    factors.csv              the factors, their ranges and the reasons for them
    design_points.csv        each design point's factor values and outcome means
    warnings.txt             wide intervals, seed noise, the next sample sizes
    summary.md               the findings in words and small tables
    figures/*.png            see :mod:`.figures`
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import diagnostics
from .behaviour import NAME as BEHAVIOUR
from .emulator import agreement, emulate
from .figures import write_figures
from .indices import compute_indices
from .levers import lever_costs, lever_effects
from .noise import noise_table
from .outcomes import RunValues
from .plan import Plan
from .study import DERIVED_OUTCOMES
from .tables import factor_table, lever_table, rankings


@dataclass
class Analysis:
    """Everything computed from a study's runs."""

    plan: Plan
    indices: pd.DataFrame
    noise: pd.DataFrame
    ranked: pd.DataFrame
    warnings: list[diagnostics.Warning_]
    points: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)
    lever_effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    lever_combined: pd.DataFrame = field(default_factory=pd.DataFrame)
    lever_costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    emulator: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def study(self):
        """The study analysed."""
        return self.plan.study


def analyse(plan: Plan, values: RunValues) -> Analysis:
    """Replication means, indices, seed noise, rankings and warnings of a study."""
    study = plan.study
    means = values.means(study.analysis.min_kept_pp)
    got = compute_indices(plan, values, means)
    effects, combined = lever_effects(plan, means, values.years)
    emulated, validation = emulate(plan, values, means)
    indices = pd.concat([got.table, emulated], ignore_index=True) if len(emulated) else got.table
    validation = agreement(indices, validation)
    noise = noise_table(plan, values, means)
    ranked = rankings(plan, indices, noise, means, values.years, effects, got.pawn_null)
    first = study.methods.samples[0]
    point_rows = np.concatenate([plan.points(s, first)["row"].to_numpy() for s in study.scenarios])
    warnings = diagnostics.check(
        study, indices, noise, got.convergence, means, point_rows, validation
    )
    return Analysis(
        plan,
        indices,
        noise,
        ranked,
        warnings,
        _points(plan, means, values),
        convergence=got.convergence,
        lever_effects=effects,
        lever_combined=combined,
        lever_costs=lever_costs(plan, values) if study.methods.levers else pd.DataFrame(),
        emulator=validation,
    )


def write_outputs(analysis: Analysis, folder: str | Path, figures: bool = True) -> list[Path]:
    """Write every output of the analysis under ``folder``; return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    study = analysis.study
    paths = []

    def csv(frame: pd.DataFrame, name: str) -> None:
        path = folder / name
        frame.to_csv(path, index=False, float_format="%.6g")
        paths.append(path)

    csv(analysis.indices, "indices.csv")
    csv(analysis.convergence, "convergence.csv")
    if study.methods.levers is not None:
        csv(analysis.lever_effects, "lever_effects.csv")
        csv(analysis.lever_combined, "lever_combined.csv")
        csv(analysis.lever_costs, "lever_costs.csv")
    if study.methods.emulator is not None:
        csv(analysis.emulator, "emulator_validation.csv")
    csv(analysis.noise, "noise.csv")
    csv(analysis.ranked, "ranked_factors.csv")
    for scenario in study.scenarios:
        csv(lever_table(analysis.ranked, scenario), f"ranked_levers_{scenario}.csv")
    csv(factor_table(study), "factors.csv")
    csv(analysis.points, "design_points.csv")
    lines = diagnostics.format_warnings(analysis.warnings)
    (folder / "warnings.txt").write_text("\n".join(lines) + ("\n" if lines else ""))
    paths.append(folder / "warnings.txt")
    (folder / "summary.md").write_text(summary_markdown(analysis))
    paths.append(folder / "summary.md")
    if figures:
        paths += write_figures(analysis, folder / "figures")
    return paths


def summary_markdown(analysis: Analysis) -> str:
    """The findings: top levers per scenario, seed noise, warnings and next sizes."""
    study = analysis.study
    main = study.analysis.main_outcome
    m = study.methods
    lines = [f"# Sensitivity study `{study.name}`", ""]
    if study.description:
        lines += [study.description, ""]
    design = []
    if m.sobol:
        design.append(f"Sobol N = {m.sobol.base_samples}")
    if m.morris:
        design.append(f"Morris r = {m.morris.trajectories} (levels {m.morris.levels})")
    if m.pawn:
        design.append(f"PAWN on the {m.pawn_sample} design ({m.pawn.slices} slices)")
    if m.levers:
        design.append(f"lever ensemble of {m.levers.members} uncertainty draws")
    if m.emulator:
        design.append("Gaussian-process emulator")
    lines += [
        f"{len(study.factors)} factors ({len(study.levers)} policy levers, the dummy included), "
        f"{len(study.scenarios)} scenarios, {study.replications} replications per design "
        f"point, {analysis.plan.n_runs} runs; " + ", ".join(design) + ".",
        f"Main outcome: `{main}` in the final year. Sobol' indices are of the conditional "
        "mean, corrected for the seed-noise floor"
        + ("" if study.analysis.noise_correction else " (correction switched off)")
        + "; verdicts compare each factor's ST with the dummy's; the effect is the lever "
        "alone at the top of its range against every lever off, paired over the "
        "uncertainty ensemble (percentage points for a share).",
        "",
    ]
    if study.behaviour is not None:
        post = study.behaviour.posterior
        lines += [
            f"Behaviour from the calibrated posterior `{post.path}` (sha256 "
            f"{post.sha256[:12]}…, {len(post.frame)} particles): {', '.join(post.names)} are "
            f"drawn jointly as one grouped factor, `{BEHAVIOUR}` (u picks a particle; "
            "docs/sensitivity.md). Its indices are the part of the outcome's variance that "
            "is parameter uncertainty left by history.",
            "",
        ]
    key = "ST" if m.sobol else "mu_star"
    scale = 100.0 if main.endswith("share") else 1.0
    for scenario in study.scenarios:
        levers = lever_table(analysis.ranked, scenario)
        lines += [
            f"## {scenario}",
            "",
            f"| rank | lever | {key} | 95% interval | verdict | effect | 95% interval | "
            "more of it… |",
            "|---:|---|---:|---|---|---:|---|---|",
        ]
        for row in levers.itertuples():
            value = getattr(row, key)
            low, high = getattr(row, f"{key}_low"), getattr(row, f"{key}_high")
            lines.append(
                f"| {row.rank} | {row.factor} | {_fmt(value)} | "
                f"[{_fmt(low)}, {_fmt(high)}] | {row.verdict} | {_fmt(scale * row.effect)} | "
                f"[{_fmt(scale * row.effect_low)}, {_fmt(scale * row.effect_high)}] | "
                f"{row.direction or '–'} |"
            )
        dummy = analysis.ranked[
            (analysis.ranked["scenario"] == scenario) & (analysis.ranked["factor"] == "dummy")
        ]
        if len(dummy) and m.sobol:
            d = dummy.iloc[0]
            lines += [
                "",
                f"Dummy (seed noise only): ST {_fmt(d['ST'])} "
                f"[{_fmt(d['ST_low'])}, {_fmt(d['ST_high'])}] after the noise correction.",
            ]
        noise = analysis.noise
        cell = noise[
            (noise["scenario"] == scenario)
            & (noise["outcome"] == main)
            & (noise["year"] == noise[noise["outcome"] == main]["year"].max())
            & (noise["sample"] == m.samples[0])
        ]
        if len(cell):
            r = cell.iloc[0]
            lines += [
                "",
                f"Seed noise: {_pct(r['noise_share_runs'])} of the variance of single runs, "
                f"{_pct(r['noise_share_means'])} of the replication means analysed.",
            ]
        ranked = analysis.ranked[analysis.ranked["scenario"] == scenario]
        critical = ranked["pawn_critical"].iloc[0] if len(ranked) else math.nan
        if m.pawn and math.isfinite(critical):
            above = ranked[ranked["pawn_median"] > critical]["factor"].tolist()
            lines.append(
                f"PAWN: {len(above)} of {len(ranked)} factors above the 95% quantile of the "
                f"permutation null, {critical:.3f}" + (f" ({', '.join(above)})." if above else ".")
            )
        grouped = ranked[ranked["factor"] == BEHAVIOUR]
        if len(grouped) and m.sobol:
            g = grouped.iloc[0]
            lines += [
                f"Calibrated behaviour (posterior draw): ST {_fmt(g['ST'])} "
                f"[{_fmt(g['ST_low'])}, {_fmt(g['ST_high'])}], S1 {_fmt(g['S1'])} "
                f"[{_fmt(g['S1_low'])}, {_fmt(g['S1_high'])}], rank {g['rank']} of "
                f"{len(ranked)} factors ({g['verdict'] or 'no verdict'}).",
            ]
        params = ranked[ranked["role"] == "parameter"].head(3)
        if len(params):
            tops = ", ".join(f"{p.factor} ({_fmt(getattr(p, key))})" for p in params.itertuples())
            lines += [f"Most influential model parameters: {tops}."]
        lines.append("")
    if len(analysis.emulator):
        lines += ["## Emulator", ""]
        for r in analysis.emulator.itertuples():
            lines.append(
                f"- {r.scenario}: held-out Q² {r.q2_heldout:.2f} (a perfect mean would reach "
                f"{r.q2_attainable:.2f} against noisy means); at the no-policy points of the "
                f"lever ensemble Q² {r.q2_policy:.2f} (a perfect mean: "
                f"{r.q2_policy_attainable:.2f}); intervals overlap the direct ones for "
                f"S1 {r.agree_S1}, ST {r.agree_ST} factors."
            )
        lines.append("")
    w = analysis.warnings
    errors = [x for x in w if x.severity == "error"]
    lines += ["## Diagnostics, warnings and next sample sizes", ""]
    if errors:
        lines += [
            f"**{len(errors)} errors** (indices not yet a variance decomposition; all in "
            "`warnings.txt`):",
            "",
            *[f"- {line}" for line in diagnostics.format_warnings(errors)],
            "",
        ]
    if not w:
        lines += ["None: every interval is narrower than its index, seed noise is low.", ""]
    else:
        on_main = [x for x in w if x.outcome == main]
        lines += [
            f"{len(w)} warnings (all in `warnings.txt`); on `{main}`:",
            "",
            *[f"- {line}" for line in diagnostics.format_warnings(on_main)],
            "",
        ]
        for label, method, index in (
            ("Sobol base_samples", "sobol", "ST"),
            ("Morris trajectories", "morris", None),
            ("replications", "noise", None),
        ):
            for_main = diagnostics.suggested(w, method, main, index)
            for_all = diagnostics.suggested(w, method, None, index)
            if for_main or for_all:
                lines.append(
                    f"Suggested next {label}: **{for_main or 'as now'}** for `{main}`"
                    + (f" ({for_all} for every outcome)." if for_all != for_main else ".")
                )
        lines.append("")
    lines += ["## Outcomes", ""]
    for name in study.outcomes:
        doc = DERIVED_OUTCOMES.get(name, (True, "yearly model outcome (sim.outcome_columns)"))[1]
        lines.append(f"- `{name}`: {doc}")
    return "\n".join(lines) + "\n"


def _points(plan: Plan, means: dict[str, np.ndarray], values: RunValues) -> pd.DataFrame:
    """Each design point (not the references): factor values and final-year outcome means."""
    frame = plan.frame[~plan.frame["reference"]].copy()
    rows = frame["row"].to_numpy()
    for name, m in means.items():
        frame[f"{name}_{values.years[name][-1]}"] = m[rows, -1]
    return frame.drop(columns=["reference"]).reset_index(drop=True)


def _fmt(x: float) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.3f}"


def _pct(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:.0%}"
