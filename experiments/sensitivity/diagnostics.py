"""Can the indices be trusted? Hard diagnostics, warnings and capped advice on the next size.

Checked for every scenario × outcome and every reported year (a line
lists the years where a check fires):

Errors (the indices of these cells are not a variance decomposition yet) —
each only where it fires in more intervals than 95% intervals miss by
chance (more than the 99% quantile of a binomial with the number of
intervals checked and the one-sided miss rate 2.5%); fewer are a warning
that says "about chance":

- ``sum_S1``: ΣS1 > 1 beyond its interval (the interval's lower end above 1);
- ``negative``: an S1 or ST whose whole interval lies below 0;
- ``dummy``: the dummy's corrected ST interval excludes 0 (the seed-noise
  correction did not remove the floor; with ``noise_correction = false``
  this is the uncorrected floor showing).

Warnings:

- ``var``: Var(Y) of the conditional mean at N/2 lies outside the interval
  at N — the variance, which every index divides by, has not settled;
- ``wide``: factors whose verdict against the dummy is unclear with an
  interval half-width above ``analysis.ci_target``; half-widths shrink like
  1/√N, so ``N · (h / ci_target)²`` base samples would do, rounded up to a
  power of two and capped at ``analysis.max_base_samples`` (beyond the cap,
  the emulator or fewer factors are the cheaper way, and the line says so);
- ``noise``: seed noise above ``analysis.noise_target`` of the variance of
  the replication means. With the correction the noise biases no index; it
  widens the intervals, so more replications are advised only up to
  ``analysis.max_replications`` (more replications of the same points buy
  less than the same runs spent on N);
- ``unsuited``: an outcome whose values over the design are not one a
  variance decomposition reads well (a point mass, a floored ratio);
- ``morris``: influential factors whose μ* interval is wider than μ*;
- ``emulator``: held-out Q² more than 0.1 below what a perfect mean reaches
  against the noisy means, in the Sobol' design or at the lever ensemble's
  every-lever-off points (then its ``emulator_policy`` indices are not to
  be read).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom

from .indices import ALL_FACTORS
from .study import DUMMY, UNSUITED, Study

POINT_MASS = 0.2  # share of design points at one value above which an outcome is a point mass
MISS = 0.025  # one-sided miss rate of a 95% interval
EMULATOR_SLACK = 0.1  # Q² below the attainable by more than this: the emulator misses signal


def _severity(hits: int, checked: int) -> tuple[str, str]:
    """'error' if more intervals miss than chance allows (binomial 99% quantile), else a
    warning, and the words saying which."""
    chance = int(binom.ppf(0.99, max(checked, 1), MISS))
    if hits > chance:
        return "error", f"{hits} of {checked} checked, more than chance ({chance})"
    return "warning", f"{hits} of {checked} checked, about what chance gives (≤ {chance})"


@dataclass(frozen=True)
class Warning_:
    """One diagnostic: where, what, its severity and the suggested next size (or None)."""

    scenario: str
    outcome: str
    method: str
    index: str
    text: str
    suggestion: int | None = None
    severity: str = "warning"  # or "error"


def check(
    study: Study,
    indices: pd.DataFrame,
    noise: pd.DataFrame,
    convergence: pd.DataFrame | None = None,
    means: dict[str, np.ndarray] | None = None,
    point_rows: np.ndarray | None = None,
    emulator: pd.DataFrame | None = None,
) -> list[Warning_]:
    """All diagnostics of a study, scenario by scenario."""
    out: list[Warning_] = []
    conv = convergence if convergence is not None else pd.DataFrame()
    if not indices.empty:
        for (scenario, outcome), cell in indices.groupby(["scenario", "outcome"], sort=False):
            if study.methods.sobol is not None:
                sobol = cell[cell["method"] == "sobol"]
                c = conv[(conv["scenario"] == scenario) & (conv["outcome"] == outcome)]
                out += _sobol_errors(scenario, outcome, sobol, c)
                out += _variance(scenario, outcome, c)
                out += _wide(study, scenario, outcome, sobol)
            if study.methods.morris is not None:
                final = cell[cell["year"] == cell["year"].max()]
                out += _morris(study, scenario, outcome, final[final["method"] == "morris"])
    out += _noise(study, noise)
    out += _unsuited(study, means, point_rows)
    if emulator is not None:
        out += _emulator(emulator)
    return out


def _emulator(validation: pd.DataFrame) -> list[Warning_]:
    out = []
    for r in validation.itertuples():
        for where, q2, best in (
            ("held-out points of the Sobol' design", r.q2_heldout, r.q2_attainable),
            ("every-lever-off points (emulator_policy)", r.q2_policy, r.q2_policy_attainable),
        ):
            if math.isfinite(q2) and math.isfinite(best) and q2 < best - EMULATOR_SLACK:
                out.append(
                    Warning_(
                        r.scenario,
                        r.outcome,
                        "emulator",
                        "q2",
                        f"at the {where} the emulator's Q² is {q2:.2f}, a perfect mean would "
                        f"reach {best:.2f}: do not read its indices there",
                    )
                )
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
    """One line per diagnostic, errors first."""
    ordered = sorted(warnings, key=lambda w: w.severity != "error")
    return [
        f"{w.severity.upper()} {w.scenario} · {w.outcome} · {w.method} {w.index}: {w.text}"
        for w in ordered
    ]


def years_text(years) -> str:
    """Years as compact ranges: 2026–2028, 2031."""
    years = sorted({int(y) for y in years})
    parts, start = [], None
    for i, y in enumerate(years):
        if start is None:
            start = y
        if i + 1 == len(years) or years[i + 1] != y + 1:
            parts.append(str(start) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(parts)


def _sobol_errors(scenario, outcome, sobol: pd.DataFrame, conv: pd.DataFrame) -> list[Warning_]:
    out = []
    if not conv.empty:
        n_max = conv["n"].max()
        tot = conv[(conv["factor"] == ALL_FACTORS) & (conv["index"] == "sum_S1")]
        tot = tot[tot["n"] == n_max]
        over = tot[tot["conf_low"] > 1]
        if len(over):
            worst = over.loc[over["value"].idxmax()]
            severity, count = _severity(len(over), int(tot["value"].notna().sum()))
            out.append(
                Warning_(
                    scenario,
                    outcome,
                    "sobol",
                    "sum_S1",
                    f"ΣS1 > 1 beyond its interval in {years_text(over['year'])} ({count}; worst "
                    f"{worst['value']:.2f} [{worst['conf_low']:.2f}, {worst['conf_high']:.2f}], "
                    f"{int(worst['year'])}): the first-order effects cannot add up to more "
                    "than the variance; the sample is too small or the output too noisy",
                    severity=severity,
                )
            )
    for index in ("S1", "ST"):
        checked = sobol[(sobol["index"] == index) & sobol["conf_high"].notna()]
        sel = checked[checked["conf_high"] < 0]
        if len(sel):
            worst = sel.loc[sel["value"].idxmin()]
            severity, count = _severity(len(sel), len(checked))
            out.append(
                Warning_(
                    scenario,
                    outcome,
                    "sobol",
                    "negative",
                    f"{len(sel)} {index} intervals lie wholly below 0 ({count}; "
                    f"{', '.join(sorted(set(sel['factor'])))}; years {years_text(sel['year'])}; "
                    f"worst {worst['factor']} {worst['value']:.3f} in {int(worst['year'])})",
                    severity=severity,
                )
            )
    dummy = sobol[(sobol["factor"] == DUMMY) & (sobol["index"] == "ST")].dropna(subset=["value"])
    bad = dummy[(dummy["conf_low"] > 0) | (dummy["conf_high"] < 0)]
    if len(bad):
        worst = bad.loc[bad["value"].abs().idxmax()]
        # Two-sided here: a 95% interval excludes 0 in 5% of the years by chance.
        chance = int(binom.ppf(0.99, max(len(dummy), 1), 2 * MISS))
        severity = "error" if len(bad) > chance else "warning"
        out.append(
            Warning_(
                scenario,
                outcome,
                "sobol",
                "dummy",
                f"the dummy's ST interval excludes 0 in {years_text(bad['year'])} ({len(bad)} of "
                f"{len(dummy)} years; chance gives ≤ {chance}; worst {worst['value']:.3f} "
                f"[{worst['conf_low']:.3f}, {worst['conf_high']:.3f}])"
                + (": seed noise is not removed from the indices" if severity == "error" else ""),
                severity=severity,
            )
        )
    return out


def _variance(scenario, outcome, conv: pd.DataFrame) -> list[Warning_]:
    if conv.empty:
        return []
    var = conv[(conv["factor"] == ALL_FACTORS) & (conv["index"] == "var_f")]
    sizes = sorted(var["n"].unique())
    if len(sizes) < 2:
        return []
    full = var[var["n"] == sizes[-1]].set_index("year")
    half = var[var["n"] == sizes[-2]].set_index("year")["value"]
    joined = full.join(half.rename("half"), how="inner").dropna(subset=["value", "half"])
    off = joined[(joined["half"] < joined["conf_low"]) | (joined["half"] > joined["conf_high"])]
    if off.empty:
        return []
    ratio = (off["half"] / off["value"]).to_numpy()
    return [
        Warning_(
            scenario,
            outcome,
            "sobol",
            "var",
            f"Var(Y) at N = {sizes[-2]} lies outside the interval at N = {sizes[-1]} in "
            f"{years_text(off.index)} (ratio {ratio.min():.2f}–{ratio.max():.2f}): the "
            "variance every index divides by has not settled; see convergence.csv",
        )
    ]


def _wide(study: Study, scenario: str, outcome: str, sobol: pd.DataFrame) -> list[Warning_]:
    n = study.methods.sobol.base_samples
    target = study.analysis.ci_target
    cap = study.analysis.max_base_samples
    st = sobol[(sobol["index"] == "ST") & sobol["value"].notna()]
    if st.empty:
        return []
    dummy_high = st[st["factor"] == DUMMY].set_index("year")["conf_high"]
    st = st[st["factor"] != DUMMY].copy()
    st["dummy_high"] = st["year"].map(dummy_high)
    half = (st["conf_high"] - st["conf_low"]) / 2
    unclear = st[(st["conf_low"] <= st["dummy_high"]) & (st["conf_high"] > st["dummy_high"])]
    wide = unclear[half[unclear.index] > target]
    if wide.empty:
        return []
    h = float(half[wide.index].max())
    worst = wide.loc[half[wide.index].idxmax()]
    need = _power_of_two(n * (h / target) ** 2)
    text = (
        f"{len(wide)} ST verdicts are unclear with intervals wider than ±{target:g} in "
        f"{years_text(wide['year'])} (widest: {worst['factor']} {worst['value']:.3f} ± {h:.3f}, "
        f"{int(worst['year'])})"
    )
    if need <= cap:
        text += f"; for ±{target:g} use base_samples = {need} (now {n})"
        suggestion = need
    else:
        text += (
            f"; ±{target:g} would take base_samples ≈ {need}, beyond the cap of {cap} "
            f"(analysis.max_base_samples): use {cap}, or the emulator's indices, or fewer "
            "factors — intervals shrink only like 1/√N"
        )
        suggestion = cap
    return [Warning_(scenario, outcome, "sobol", "ST", text, suggestion)]


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
    suggestion = min(math.ceil(r * ratio**2), 10 * r)
    text = (
        f"{len(wide)} of {len(strong)} influential factors have a mu_star interval wider than "
        f"mu_star; use about {suggestion} trajectories (now {r}; capped at 10 × r)"
    )
    return [Warning_(scenario, outcome, "morris", "mu_star", text, suggestion)]


def _noise(study: Study, noise: pd.DataFrame) -> list[Warning_]:
    if noise.empty:
        return []
    target = study.analysis.noise_target
    cap = study.analysis.max_replications
    first = noise[noise["sample"] == study.methods.samples[0]]
    out = []
    for (scenario, outcome), cell in first.groupby(["scenario", "outcome"], sort=False):
        high = cell[cell["noise_share_means"] > target]
        if high.empty:
            continue
        worst = high.loc[high["noise_share_means"].idxmax()]
        need = high["replications_needed"].max()
        text = (
            f"seed noise is above {target:.0%} of the variance of the replication means in "
            f"{years_text(high['year'])} (worst {worst['noise_share_means']:.0%} in "
            f"{int(worst['year'])})"
        )
        if study.analysis.noise_correction:
            text += "; the indices are corrected for it, their intervals widened by it"
        suggestion = None
        if pd.notna(need):
            need = float(need)
            suggestion = int(min(need, cap))
            text += f"; ≤{target:.0%} takes replications = {int(need)} (now {study.replications})"
            if need > cap:
                text += (
                    f", capped at {cap} (analysis.max_replications): beyond that the same runs "
                    "narrow the intervals more as a larger N"
                )
        else:
            text += "; in these years the factors explain no variance beyond the noise"
        out.append(Warning_(scenario, outcome, "noise", "noise_share", text, suggestion))
    return out


def _unsuited(study: Study, means, point_rows) -> list[Warning_]:
    out = []
    for outcome in study.outcomes:
        reason = UNSUITED.get(outcome)
        share = math.nan
        if means is not None and point_rows is not None and outcome in means:
            y = means[outcome][point_rows, -1]
            y = y[np.isfinite(y)]
            if len(y):
                _, counts = np.unique(np.round(y, 12), return_counts=True)
                share = counts.max() / len(y)
        if reason is None and not (share > POINT_MASS):
            continue
        text = "unsuited to variance decomposition: " + (
            reason or f"{share:.0%} of the design points share one value (a point mass)"
        )
        if reason and math.isfinite(share):
            text += f"; {share:.0%} of the design points share its most common value"
        out.append(Warning_("all", outcome, "outcome", "unsuited", text))
    return out


def _power_of_two(x: float) -> int:
    return 1 << max(1, math.ceil(math.log2(max(x, 2))))
