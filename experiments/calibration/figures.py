"""Figures of a calibration (PNG): the hindcast fit and prior against posterior.

- ``fit.png``: one panel per pattern — the observed value (black diamond), its
  tolerance (grey band) and the posterior-predictive 5–95% range (blue bar)
  with its median (blue dot);
- ``posterior.png``: one panel per parameter — the prior density (grey) and
  the weighted posterior histogram (blue) with its 5–95% interval.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .smc import weighted_quantile  # noqa: E402


def _grid(n: int, cols: int = 2):
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 1.9 * rows + 0.6), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)


def fit_figure(fit: pd.DataFrame, labels: dict[str, str], units: dict[str, str], path: Path):
    """Observed value and tolerance against the simulated band, per pattern."""
    fig, axes = _grid(len(fit))
    for ax, row in zip(axes, fit.itertuples(), strict=False):
        ax.axvspan(row.low, row.high, color="0.85", label="tolerance")
        ax.plot(
            [row.sim_p05, row.sim_p95],
            [0, 0],
            color="tab:blue",
            lw=6,
            alpha=0.6,
            solid_capstyle="butt",
            label="simulated 5–95%",
        )
        ax.plot(row.sim_median, 0, "o", color="tab:blue", ms=8, label="simulated median")
        ax.plot(row.observed, 0, "D", color="black", ms=7, label="observed")
        mark = "within" if row.within else "OUTSIDE"
        ax.set_title(f"{labels.get(row.target, row.target)} — {mark}", fontsize=9)
        ax.set_yticks([])
        ax.set_xlabel(units.get(row.target, ""), fontsize=8)
        lo = min(row.low, row.sim_p05)
        hi = max(row.high, row.sim_p95)
        pad = 0.1 * (hi - lo if hi > lo else 1.0)
        ax.set_xlim(lo - pad, hi + pad)
    axes[0].legend(fontsize=7, loc="upper left", ncol=2, frameon=False, bbox_to_anchor=(0.0, 1.55))
    fig.suptitle(
        "Hindcast 2010–2025: observed patterns against the posterior-predictive runs", fontsize=11
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def posterior_figure(names, labels, low, high, theta, weights, path: Path, log=None):
    """Prior (uniform) against the weighted posterior histogram, per parameter."""
    fig, axes = _grid(len(names), cols=3)
    for j, ax in enumerate(axes[: len(names)]):
        x = theta[:, j]
        bins = np.linspace(low[j], high[j], 25)
        ax.hist(
            x,
            bins=bins,
            weights=weights,
            density=True,
            color="tab:blue",
            alpha=0.6,
            label="posterior",
        )
        ax.plot([low[j], high[j]], [1.0 / (high[j] - low[j])] * 2, color="0.4", lw=2, label="prior")
        q05, q95 = weighted_quantile(x, weights, [0.05, 0.95])
        for q in (q05, q95):
            ax.axvline(q, color="tab:blue", ls="--", lw=1)
        ax.set_title(labels[j], fontsize=9)
        ax.set_xlabel("value (scale factor or μ)", fontsize=8)
        ax.set_ylabel("density", fontsize=8)
    axes[0].legend(fontsize=7, frameon=False)
    fig.suptitle(
        "Prior (grey) and posterior (blue, dashed: 5–95%) of the calibrated weights", fontsize=11
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_figures(root: Path, cal, pops, fit: pd.DataFrame) -> list[Path]:
    """Write fit.png and posterior.png under ``root/figures``."""
    folder = root / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    labels = {p.target: f"{p.label}" for p in cal.patterns}
    units = {
        p.target: "relative change (0.1 = +10%)" if p.statistic == "change" else "share (0–1)"
        for p in cal.patterns
    }
    fit_figure(fit, labels, units, folder / "fit.png")
    post = pops[-1]
    ps = cal.parameters
    posterior_figure(
        [p.name for p in ps],
        [p.label for p in ps],
        np.array([p.low for p in ps]),
        np.array([p.high for p in ps]),
        post.theta,
        post.weights,
        folder / "posterior.png",
    )
    return [folder / "fit.png", folder / "posterior.png"]
