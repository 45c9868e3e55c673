"""Is the study big enough? Wide-interval warnings and the next sample size.

Checked on the final year (the per-year indices share the design, so the
final year stands for them) for every scenario × outcome:

- Sobol: a factor's S1 or ST whose confidence interval is wider than the
  index itself (``conf_high − conf_low > |value|``). Bootstrap half-widths
  shrink like 1/√N, so to bring the widest flagged half-width ``h`` down
  to ``analysis.ci_target`` needs about ``N · (h / ci_target)²`` base
  samples, rounded up to a power of two. Where every flagged half-width is
  already within ``ci_target``, the indices are small and known to be
  small: no larger N is asked for.
- Morris: a factor among the influential ones (μ* ≥ 10% of the largest)
  whose μ* interval is wider than μ*; the trajectories needed scale the
  same way, ``r · (half-width / μ*)²``.
- Seed noise: ``noise_share_means`` (of the first design) above
  ``analysis.noise_target``; the replications needed are in the noise table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .study import Study


@dataclass(frozen=True)
class Warning_:
    """One warning: where, what, and the suggested next size (or None)."""

    scenario: str
    outcome: str
    method: str
    index: str
    text: str
    suggestion: int | None = None


def check(study: Study, indices: pd.DataFrame, noise: pd.DataFrame) -> list[Warning_]:
    """All warnings of a study, scenario by scenario."""
    out: list[Warning_] = []
    if indices.empty:
        return out
    for (scenario, outcome), cell in indices.groupby(["scenario", "outcome"], sort=False):
        final = cell[cell["year"] == cell["year"].max()]
        if study.methods.sobol is not None:
            out += _sobol(study, scenario, outcome, final[final["method"] == "sobol"])
        if study.methods.morris is not None:
            out += _morris(study, scenario, outcome, final[final["method"] == "morris"])
    out += _noise(study, noise)
    return out


def suggested(
    warnings: list[Warning_], method: str, outcome: str | None = None, index: str | None = None
) -> int | None:
    """The largest size any matching warning asks for (None if none does).

    ``method``: ``sobol`` (base samples), ``morris`` (trajectories) or
    ``noise`` (replications); ``outcome`` and ``index`` narrow it down.
    """
    sizes = [
        w.suggestion
        for w in warnings
        if w.method == method
        and w.suggestion
        and (outcome is None or w.outcome == outcome)
        and (index is None or w.index == index)
    ]
    return max(sizes) if sizes else None


def format_warnings(warnings: list[Warning_]) -> list[str]:
    """One line per warning."""
    return [f"{w.scenario} · {w.outcome} · {w.method} {w.index}: {w.text}" for w in warnings]


def _sobol(study: Study, scenario: str, outcome: str, rows: pd.DataFrame) -> list[Warning_]:
    n = study.methods.sobol.base_samples
    target = study.analysis.ci_target
    out = []
    for index in ("S1", "ST"):
        sel = rows[(rows["index"] == index) & rows["value"].notna()]
        half = (sel["conf_high"] - sel["conf_low"]) / 2
        wide = sel[2 * half > sel["value"].abs()]
        if wide.empty:
            continue
        h = ((wide["conf_high"] - wide["conf_low"]) / 2).max()
        worst = wide.loc[(wide["conf_high"] - wide["conf_low"]).idxmax()]
        text = (
            f"{len(wide)} of {len(sel)} {index} intervals are wider than the index "
            f"(widest: {worst['factor']} {worst['value']:.3f} ± {h:.3f}; year {worst['year']})"
        )
        suggestion = None
        if h > target:
            suggestion = _power_of_two(n * (h / target) ** 2)
            text += f"; for ±{target:g} use base_samples = {suggestion} (now {n})"
        else:
            text += f"; all within ±{target:g}: these indices are small, N = {n} suffices"
        out.append(Warning_(scenario, outcome, "sobol", index, text, suggestion))
    return out


def _morris(study: Study, scenario: str, outcome: str, rows: pd.DataFrame) -> list[Warning_]:
    r = study.methods.morris.trajectories
    sel = rows[(rows["index"] == "mu_star") & rows["value"].notna()]
    if sel.empty or sel["value"].max() <= 0:
        return []
    strong = sel[sel["value"] >= 0.1 * sel["value"].max()]
    half = (strong["conf_high"] - strong["conf_low"]) / 2
    wide = strong[half > strong["value"]]
    if wide.empty:
        return []
    ratio = float((half[wide.index] / wide["value"]).max())
    suggestion = math.ceil(r * ratio**2)
    text = (
        f"{len(wide)} of {len(strong)} influential factors have a mu_star interval wider than "
        f"mu_star; use about {suggestion} trajectories (now {r})"
    )
    return [Warning_(scenario, outcome, "morris", "mu_star", text, suggestion)]


def _noise(study: Study, noise: pd.DataFrame) -> list[Warning_]:
    if noise.empty:
        return []
    target = study.analysis.noise_target
    final = noise[
        (noise["year"] == noise.groupby("outcome")["year"].transform("max"))
        & (noise["sample"] == study.methods.samples[0])
    ]
    out = []
    for _, row in final.iterrows():
        share = row["noise_share_means"]
        if not (isinstance(share, float) and share > target):
            continue
        need = row["replications_needed"]
        text = (
            f"seed noise is {share:.0%} of the variance of the replication means "
            f"({row['year']}); the factors' indices share the variance with it"
        )
        suggestion = None
        if isinstance(need, float) and math.isfinite(need):
            suggestion = int(need)
            text += (
                f"; for ≤{target:.0%} use replications = {suggestion} (now {study.replications})"
            )
        else:
            text += "; the factors explain none of the variance beyond noise"
        out.append(
            Warning_(row["scenario"], row["outcome"], "noise", "noise_share", text, suggestion)
        )
    return out


def _power_of_two(x: float) -> int:
    return 1 << max(1, math.ceil(math.log2(max(x, 2))))
