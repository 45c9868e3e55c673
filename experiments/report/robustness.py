"""Which policy package holds up in every scenario: regret and value for money.

From one row per run (scenario, policy, final-year Hilversum jobs share,
cumulative policy cost), per package and scenario:

- ``share``: the median final-year share over the replications;
- ``regret``: the best package's median share in that scenario minus this
  package's, in percentage points (0 for the best package);
- ``max_regret``: the largest regret over the scenarios. The most robust
  package has the smallest maximum regret (minimax regret, Savage 1951):
  it is never far from the best choice, whichever scenario comes;
- ``cost``: the median cumulative policy cost, 2025 up to the final year
  (M€), averaged over the scenarios (rent-subsidy costs vary with them);
- ``kept``: the package's median share minus the no-policy (``none``)
  median share in the same scenario (points), averaged over scenarios;
  ``kept_per_meur``: ``kept`` / ``cost``.

``noise_pp`` is the largest standard error of a median over the cells
(1.2533 σ / √n, the large-sample standard error of a median of normal
data), so a reader can tell which differences are within replication noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

NO_POLICY = "none"
MEDIAN_SE_FACTOR = math.sqrt(math.pi / 2)  # 1.2533


@dataclass
class Robustness:
    """The robustness table and what it says."""

    scenarios: list[str]
    policies: list[str]
    start_year: int  # costs are summed from it
    year: int
    share: pd.DataFrame  # policy × scenario, points (%)
    regret: pd.DataFrame  # policy × scenario, points
    max_regret: pd.Series  # policy -> points
    cost: pd.Series  # policy -> M€ over the run
    kept: pd.Series | None  # policy -> mean points kept vs none (None without 'none')
    kept_per_meur: pd.Series | None
    runs: pd.DataFrame  # policy × scenario, runs per cell
    noise_pp: float

    @property
    def diff_noise(self) -> float:
        """Two standard errors of a difference of two medians (points): smaller
        differences are not told apart by the sweep."""
        return 2 * math.sqrt(2) * self.noise_pp if math.isfinite(self.noise_pp) else 0.0

    @property
    def most_robust(self) -> list[str]:
        """The package(s) with the smallest maximum regret (ties within 1e-9 points)."""
        best = self.max_regret.min()
        return [p for p in self.policies if self.max_regret[p] <= best + 1e-9]


def robustness(runs: pd.DataFrame, scenarios: list[str], policies: list[str]) -> Robustness:
    """The robustness table from per-run rows (see the module docstring)."""
    missing = [(s, p) for s in scenarios for p in policies if not _has(runs, s, p)]
    if missing:
        raise ValueError(
            "no runs for "
            + ", ".join(f"{s} × {p}" for s, p in missing[:5])
            + (" …" if len(missing) > 5 else "")
        )
    grouped = runs.groupby(["policy", "scenario"])
    share = 100 * grouped["hilversum_jobs_share"].median().unstack().loc[policies, scenarios]
    best = share.max(axis=0)
    regret = best - share
    max_regret = regret.max(axis=1)
    cost = grouped["cost_meur"].median().unstack().loc[policies, scenarios].mean(axis=1)
    counts = grouped["hilversum_jobs_share"].count().unstack().loc[policies, scenarios]
    sd = 100 * grouped["hilversum_jobs_share"].std().unstack().loc[policies, scenarios]
    se = MEDIAN_SE_FACTOR * sd / np.sqrt(counts)
    noise = float(np.nanmax(se.to_numpy())) if np.isfinite(se.to_numpy()).any() else math.nan
    kept = per_meur = None
    if NO_POLICY in policies:
        kept = (share - share.loc[NO_POLICY]).mean(axis=1)
        per_meur = pd.Series(
            {p: (kept[p] / cost[p] if cost[p] > 0 else math.nan) for p in policies}
        )
    year = int(runs["year"].max())
    start = int(runs["start_year"].min()) if "start_year" in runs else year
    return Robustness(
        scenarios,
        policies,
        start,
        year,
        share,
        regret,
        max_regret,
        cost,
        kept,
        per_meur,
        counts,
        noise,
    )


def _has(runs: pd.DataFrame, scenario: str, policy: str) -> bool:
    return bool(((runs["scenario"] == scenario) & (runs["policy"] == policy)).any())


def verdict(r: Robustness) -> list[str]:
    """Sentences (HTML-free) naming the most robust package, its cost and the alternatives."""
    names = r.most_robust
    top = names[0]
    out = []
    worst = r.max_regret[top]
    if len(names) > 1:
        out.append(
            f"Across the {len(r.scenarios)} scenarios, {_join(names)} are equally robust: "
            f"none is ever more than {worst:.1f} points of Hilversum's {r.year} jobs share "
            "behind the best package."
        )
    elif worst < 1e-9:
        out.append(
            f"Across the {len(r.scenarios)} scenarios, {top} is the most robust package: it "
            f"gives Hilversum the highest {r.year} jobs share in every scenario "
            "(maximum regret 0 points)."
        )
    else:
        out.append(
            f"Across the {len(r.scenarios)} scenarios, {top} is the most robust package: in "
            f"its worst scenario it is {worst:.1f} points of Hilversum's {r.year} jobs share "
            "behind the best package there, less than any other package."
        )
    others = [p for p in r.policies if p not in names]
    if others:
        runner = min(others, key=lambda p: r.max_regret[p])
        gap = r.max_regret[runner] - worst
        if gap < r.diff_noise:
            out.append(
                f"The runner-up, {runner}, is only {gap:.1f} points behind on that measure — "
                "within the replication noise, so the two are not told apart by this sweep."
            )
    cost = r.cost[top]
    if cost > 0:
        line = f"It costs about {cost:,.0f} M€ over {r.start_year}–{r.year}"
        if r.kept is not None and math.isfinite(r.kept_per_meur[top]):
            line += (
                f" and keeps {r.kept[top]:.1f} points of share over no policy on average "
                f"({r.kept_per_meur[top]:.3f} points per M€)"
            )
        out.append(line + ".")
        cheaper = [p for p in r.policies if 0 < r.cost[p] < cost]
        if cheaper:
            ranked = sorted(cheaper, key=lambda p: r.max_regret[p])
            alt = ranked[0]
            line = (
                f"Of the cheaper packages, {alt} holds up best (maximum regret "
                f"{r.max_regret[alt]:.1f} points, about {r.cost[alt]:,.0f} M€)"
            )
            close = [p for p in ranked[1:] if r.max_regret[p] - r.max_regret[alt] < r.diff_noise]
            if close:
                line += (
                    f", with {_join(close)} within the replication noise of it "
                    f"({', '.join(f'{r.max_regret[p]:.1f}' for p in close)} points)"
                )
            out.append(line + ".")
    if r.kept_per_meur is not None and r.kept_per_meur.notna().any():
        ranked = r.kept_per_meur.dropna().sort_values(ascending=False)
        value = ranked.index[0]
        line = (
            f"Per euro, {value} keeps the most share: {ranked.iloc[0]:.3f} points "
            f"per M€ ({r.kept[value]:.1f} points for about {r.cost[value]:,.0f} M€)"
        )
        # noise of kept/cost: kept is a mean over scenarios of differences of two medians
        close = [
            p
            for p in ranked.index[1:]
            if ranked.iloc[0] - ranked[p]
            < 2 * math.sqrt(2 / len(r.scenarios)) * r.noise_pp / r.cost[p]
        ]
        if close:
            line += f"; {_join(close)} come{'s' if len(close) == 1 else ''} within noise of it"
        out.append(line + ".")
    return out


def _join(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
