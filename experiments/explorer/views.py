"""The explorer's two drawings, made with matplotlib's object API (thread-safe, no pyplot).

- :func:`location_map`: a map-like view of the locations, roughly where
  they are (Amsterdam north-west of Hilversum, Utrecht south), each a disc
  whose area is proportional to its sector jobs; Hilversum in orange, the
  rest in blue; lines labelled with this year's travel minutes.
- :func:`share_chart`: Hilversum's share of sector jobs in this run, year by
  year, next to the stored sweep's median path and 5–95% band.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

HILVERSUM_COLOUR = "#d95f02"
OTHER_COLOUR = "#4c72b0"
SWEEP_COLOUR = "#333333"

# Schematic positions (longitude, latitude-ish) of the modelled locations;
# 'rest_nl' and 'abroad' are not places but are put where a reader expects them.
POSITIONS = {
    "hilversum": (5.25, 52.24),
    "amsterdam": (4.72, 52.40),
    "utrecht": (5.08, 51.99),
    "rest_nl": (5.80, 52.02),
    "abroad": (4.38, 51.97),
}
LABELS = {"rest_nl": "rest of NL", "abroad": "abroad"}
MAX_DISC_POINTS = 3600.0  # marker area (pt²) of the location with the most jobs


def positions(names: list[str]) -> dict[str, tuple[float, float]]:
    """Positions for the locations: known ones from POSITIONS, others on a ring."""
    out = {}
    unknown = [n for n in names if n not in POSITIONS]
    for name in names:
        if name in POSITIONS:
            out[name] = POSITIONS[name]
    for i, name in enumerate(unknown):
        angle = 2 * math.pi * i / max(1, len(unknown))
        out[name] = (5.1 + 0.6 * math.cos(angle), 52.2 + 0.3 * math.sin(angle))
    return out


def location_map(model) -> Figure:
    """Discs sized by jobs at each location this year; Hilversum coloured apart."""
    names = list(model.location_names)
    row = model.recorder.row
    jobs = np.array([row[f"jobs_{n}"] for n in names])
    orgs = np.array([row[f"orgs_{n}"] for n in names])
    pos = positions(names)
    fig = Figure(figsize=(6.0, 3.9), dpi=80)
    ax = fig.subplots()
    h = names.index("hilversum")
    for j, name in enumerate(names):
        if j == h:
            continue
        (x0, y0), (x1, y1) = pos["hilversum"], pos[name]
        ax.plot([x0, x1], [y0, y1], color="#bbbbbb", lw=1, zorder=1)
        ax.text(
            x0 + 0.6 * (x1 - x0),  # nearer the partner: clear of Hilversum's label
            y0 + 0.6 * (y1 - y0),
            f"{model.travel[h, j]:.0f} min",
            fontsize=7,
            color="#777777",
            ha="center",
            va="center",
            zorder=2,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )
    top = jobs.max() if jobs.max() > 0 else 1.0
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    colours = [HILVERSUM_COLOUR if j == h else OTHER_COLOUR for j in range(len(names))]
    areas = MAX_DISC_POINTS * jobs / top
    ax.scatter(xs, ys, s=areas, c=colours, alpha=0.55, zorder=3)
    ax.scatter(xs, ys, s=8, c=colours, zorder=4)
    total = jobs.sum() if jobs.sum() > 0 else 1.0
    for j, name in enumerate(names):
        label = LABELS.get(name, name.capitalize())
        radius = math.sqrt(areas[j] / math.pi)  # points
        ax.annotate(
            f"{label}\n{jobs[j] / 1000:.1f}k jobs ({100 * jobs[j] / total:.0f}%)\n"
            f"{orgs[j]:.0f} organisations",
            (xs[j], ys[j]),
            xytext=(0, -radius - 2),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
            fontweight="bold" if j == h else "normal",
            zorder=5,
        )
    ax.set_xlim(4.1, 6.1)
    ax.set_ylim(51.80, 52.52)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#dddddd")
    ax.set_title(
        f"Media Valley sector jobs by location, {model.year} (disc area ∝ jobs)", fontsize=9
    )
    fig.tight_layout()
    return fig


def share_chart(
    run: pd.DataFrame,
    start_year: int,
    end_year: int,
    reference: pd.DataFrame | None = None,
    reference_label: str = "",
) -> Figure:
    """Hilversum jobs share of this run (solid) and the sweep's median and band (dashed)."""
    fig = Figure(figsize=(6.0, 3.4), dpi=80)
    ax = fig.subplots()
    if reference is not None and len(reference):
        ax.fill_between(
            reference["year"],
            100 * reference["p05"],
            100 * reference["p95"],
            color=SWEEP_COLOUR,
            alpha=0.12,
            lw=0,
            label="sweep: 5–95% of runs",
        )
        ax.plot(
            reference["year"],
            100 * reference["median"],
            color=SWEEP_COLOUR,
            ls="--",
            lw=1.5,
            label=f"sweep median {reference_label}".strip(),
        )
    ax.plot(
        run["year"],
        100 * run["hilversum_jobs_share"],
        color=HILVERSUM_COLOUR,
        lw=2.5,
        marker="o",
        ms=4,
        label="this run",
    )
    ax.set_xlim(start_year - 0.3, end_year + 0.3)
    values = [100 * run["hilversum_jobs_share"].to_numpy()]
    if reference is not None and len(reference):
        values += [100 * reference["p05"].to_numpy(), 100 * reference["p95"].to_numpy()]
    stacked = np.concatenate(values)
    stacked = stacked[np.isfinite(stacked)]
    low, high = (stacked.min(), stacked.max()) if stacked.size else (0.0, 100.0)
    pad = max(2.0, 0.15 * (high - low))
    ax.set_ylim(max(0.0, low - pad), min(100.0, high + pad))
    ax.set_xlabel("year")
    ax.set_ylabel("Hilversum share of sector jobs (%)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Hilversum's share of Media Valley sector jobs", fontsize=10)
    fig.tight_layout()
    return fig
