"""The explorer's drawings, made with matplotlib's object API (thread-safe, no pyplot).

- :func:`location_map`: the places on an outline of the Netherlands at their
  real coordinates (longitude, latitude; the outline is shipped with the
  package, :mod:`experiments.explorer.geography`), each a disc whose area is
  proportional to its sector jobs on a fixed scale (so years compare);
  Hilversum in orange, the rest in blue; travel minutes from Hilversum on
  the lines. "Rest of NL" and "abroad" are not places and are drawn beside
  the map. An overview of the whole country marks the area shown.
- :func:`share_chart`: Hilversum's share of sector jobs in this run, year by
  year, next to the stored sweep's median path and 5–95% band.
- :func:`comparison_chart`: a custom lever mix's 2040 share (median and
  5–95% over its runs) next to the packages' bands from the sweep.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from .geography import MAP_PLACES, ZOOM, netherlands_outline

HILVERSUM_COLOUR = "#d95f02"
OTHER_COLOUR = "#4c72b0"
SWEEP_COLOUR = "#333333"
LAND_COLOUR = "#f2efe6"
COAST_COLOUR = "#9a9a9a"
LABELS = {"rest_nl": "Rest of NL", "abroad": "Abroad"}
# Disc area per job (pt²): 10,000 jobs make a disc of radius 22 pt, small
# enough that Hilversum's and Utrecht's discs (56 pt apart on the map) do not
# meet at 2025 sizes; a fixed scale so that a disc's growth over the years is
# real growth.
SCALE_JOBS = 10_000
SCALE_RADIUS_PT = 22.0
AREA_PER_JOB = math.pi * SCALE_RADIUS_PT**2 / SCALE_JOBS


def label_of(name: str) -> str:
    """A location's name for people."""
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _aspect(lat: float) -> float:
    """Data aspect that keeps distances true near latitude ``lat`` (plate carrée)."""
    return 1.0 / math.cos(math.radians(lat))


def location_map(model) -> Figure:
    """The places at their coordinates, discs sized by jobs, travel minutes from Hilversum."""
    names = list(model.location_names)
    row = model.recorder.row
    jobs = {n: float(row[f"jobs_{n}"]) for n in names}
    orgs = {n: float(row[f"orgs_{n}"]) for n in names}
    total = sum(jobs.values()) or 1.0
    h = names.index("hilversum")
    fig = Figure(figsize=(6.2, 4.0), dpi=80)
    ax = fig.add_axes([0.01, 0.02, 0.64, 0.88])
    _outline(ax, zoomed=True)
    on_map = [n for n in names if n in MAP_PLACES]
    for name in on_map:
        if name == "hilversum":
            continue
        _travel_line(
            ax, MAP_PLACES["hilversum"], MAP_PLACES[name], model.travel[h, names.index(name)]
        )
    for name in on_map:
        _place(ax, name, MAP_PLACES[name], jobs[name], orgs[name], total)
    ax.set_title(f"Sector jobs by place, {model.year} (disc area ∝ jobs)", fontsize=10, loc="left")
    overview = fig.add_axes([0.67, 0.47, 0.31, 0.43])
    _outline(overview, zoomed=False)
    overview.set_title("Netherlands", fontsize=8)
    side = fig.add_axes([0.67, 0.02, 0.31, 0.42])
    _elsewhere(
        side, [n for n in names if n not in MAP_PLACES], jobs, orgs, total, model.travel, h, names
    )
    return fig


def _outline(ax, zoomed: bool) -> None:
    for ring in netherlands_outline():
        ax.add_patch(
            Polygon(ring, closed=True, facecolor=LAND_COLOUR, edgecolor=COAST_COLOUR, lw=0.8)
        )
    (x0, x1), (y0, y1) = ZOOM
    if zoomed:
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_facecolor("#e8f1f8")  # the sea
    else:
        ax.set_xlim(3.2, 7.3)
        ax.set_ylim(50.7, 53.7)
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec=HILVERSUM_COLOUR, lw=1))
        for lon, lat in MAP_PLACES.values():
            ax.plot(lon, lat, "o", ms=2, color=SWEEP_COLOUR)
    ax.set_aspect(_aspect(sum(ax.get_ylim()) / 2))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#cccccc")


def _radius(jobs: float) -> float:
    return math.sqrt(AREA_PER_JOB * max(jobs, 0.0) / math.pi)


def _place(ax, name, where, jobs, orgs, total) -> None:
    colour = HILVERSUM_COLOUR if name == "hilversum" else OTHER_COLOUR
    ax.scatter(*where, s=AREA_PER_JOB * max(jobs, 0.0), c=colour, alpha=0.55, zorder=3, lw=0)
    ax.scatter(*where, s=6, c=colour, zorder=4)
    # Labels to the west of Amsterdam and to the east of Hilversum and
    # Utrecht, clear of the discs and the travel lines between them.
    west = name == "amsterdam"
    ax.annotate(
        f"{label_of(name)}\n{jobs / 1000:.1f}k jobs ({100 * jobs / total:.0f}%)\n"
        f"{orgs:.0f} organisations",
        where,
        xytext=((-1 if west else 1) * (_radius(jobs) + 4), 0),
        textcoords="offset points",
        ha="right" if west else "left",
        va="center",
        fontsize=8.5,
        fontweight="bold" if name == "hilversum" else "normal",
        zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def _travel_line(ax, start, end, minutes: float) -> None:
    ax.plot(*zip(start, end, strict=True), color="#999999", lw=1, zorder=1)
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    # Written west of the line (the labels of Hilversum and Utrecht are east).
    ax.annotate(
        f"{minutes:.0f} min",
        mid,
        xytext=(-6, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=7,
        color="#555555",
        zorder=2,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5},
    )


def _elsewhere(ax, names, jobs, orgs, total, travel, h, all_names) -> None:
    """Discs (same scale) for the locations that are not places on the map."""
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.text(0.0, 0.98, "Not places on the map:", fontsize=8, va="top", color="#555555")
    for i, name in enumerate(names):
        y = 0.72 - 0.42 * i
        ax.scatter(0.14, y, s=AREA_PER_JOB * max(jobs[name], 0.0), c=OTHER_COLOUR, alpha=0.55)
        ax.text(
            0.32,
            y,
            f"{label_of(name)}\n{jobs[name] / 1000:.1f}k jobs ({100 * jobs[name] / total:.0f}%)"
            f"\n{travel[h, all_names.index(name)]:.0f} min from Hilversum",
            fontsize=7.5,
            va="center",
        )


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
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    ax.set_title("Hilversum's share of the sector's jobs (all five locations)", fontsize=10)
    fig.tight_layout()
    return fig


def comparison_chart(
    mix_name: str, mix: dict[str, float], packages: pd.DataFrame, scenario: str, year: int
) -> Figure:
    """A custom mix's final-year share next to the packages' bands from the sweep.

    ``mix`` has ``median``, ``p05``, ``p95`` (fractions) and ``runs``;
    ``packages`` one row per package with ``policy``, ``median``, ``p05``,
    ``p95``. One row each, the mix on top, then the packages from the highest
    median down; bands as bars and medians as dots.
    """
    rows = [(f"{mix_name} (your mix, {mix['runs']} runs)", mix, HILVERSUM_COLOUR)]
    for _, r in packages.sort_values("median", ascending=False).iterrows():
        rows.append((str(r["policy"]), r, OTHER_COLOUR))
    fig = Figure(figsize=(6.0, 0.45 * len(rows) + 1.3), dpi=80)
    ax = fig.subplots()
    for i, (_label, r, colour) in enumerate(rows):
        y = len(rows) - 1 - i
        ax.plot([100 * r["p05"], 100 * r["p95"]], [y, y], color=colour, lw=6, alpha=0.35)
        ax.plot(100 * r["median"], y, "o", color=colour, ms=7)
        ax.text(100 * r["p95"] + 0.3, y, f"{100 * r['median']:.1f}%", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), [label for label, _, _ in reversed(rows)], fontsize=8)
    lows = [100 * r["p05"] for _, r, _ in rows]
    highs = [100 * r["p95"] for _, r, _ in rows]
    ax.set_xlim(min(lows) - 1.5, max(highs) + 3.5)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(
        f"Hilversum share of sector jobs in {year} (%)\ndot: median; bar: 5–95% of runs",
        fontsize=9,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"Your mix against the packages, scenario {scenario}", fontsize=10, loc="left")
    fig.tight_layout()
    return fig
