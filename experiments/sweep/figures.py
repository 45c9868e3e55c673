"""Figures of a scenario × policy sweep (PNG and SVG), drawn from its store.

- ``fan_<scenario>``: Hilversum's share of jobs 2025–2040, median and 5–95%
  band over replications, one line per policy package (and ``fan_charts``,
  all scenarios side by side);
- ``heatmap_hilversum_jobs_share``: scenario × policy, median final-year share;
- ``jobs_by_location``: median final-year jobs per location per scenario,
  one panel per policy package, with 5–95% whiskers.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..engine.store import Store  # noqa: E402
from ..palette import package_style, place_colours  # noqa: E402
from .summary import final_summary, yearly_band  # noqa: E402

SHARE = "hilversum_jobs_share"
FORMATS = ("png", "svg")


def write_figures(
    store: Store,
    scenarios: list[str],
    policies: list[str],
    locations: list[str],
    summary: pd.DataFrame | None = None,
) -> list[Path]:
    """Draw every figure the stored outcomes allow into ``figures/``; return the files.

    A figure whose outcome was not kept (experiment ``outcomes``) is skipped.
    """
    folder = store.path / "figures"
    folder.mkdir(exist_ok=True)
    columns = set(store.outcome_columns())
    written: list[Path] = []
    if not columns:
        return written
    summary = final_summary(store) if summary is None else summary
    if SHARE in columns:
        bands = yearly_band(store, SHARE)
        for scenario in scenarios:
            fig, ax = plt.subplots(figsize=(7.5, 4.5))
            _fan(ax, bands[bands["scenario"] == scenario], policies)
            ax.set_title(f"Hilversum's share of the sector's jobs (%) — scenario {scenario}")
            ax.legend(  # beside the panel, never over a line
                fontsize=8,
                title="policy (median, 5–95% band)",
                title_fontsize=8,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
            )
            fig.tight_layout()
            written += _save(fig, folder / f"fan_{scenario}")
        written += _fan_grid(bands, scenarios, policies, folder / "fan_charts")
        written += _heatmap(summary, scenarios, policies, folder / "heatmap_hilversum_jobs_share")
    if {f"jobs_{loc}" for loc in locations} <= columns:
        written += _jobs_by_location(
            summary, scenarios, policies, locations, folder / "jobs_by_location"
        )
    return written


def _fan(ax, bands: pd.DataFrame, policies: list[str]) -> None:
    style = package_style(policies)
    for policy in policies:
        b = bands[bands["policy"] == policy].sort_values("year")
        if b.empty:
            continue
        s = style[policy]
        ax.fill_between(
            b["year"], 100 * b["p05"], 100 * b["p95"], color=s["color"], alpha=0.15, lw=0
        )
        ax.plot(b["year"], 100 * b["median"], color=s["color"], ls=s["ls"], lw=2, label=policy)
    ax.set_xlabel("year")
    ax.set_ylabel("Hilversum's share of jobs (%)")
    ax.grid(alpha=0.3)


def _fan_grid(bands: pd.DataFrame, scenarios: list[str], policies: list[str], stem: Path):
    n = len(scenarios)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(4.6 * cols, 3.6 * rows), sharex=True, sharey=True, squeeze=False
    )
    for ax, scenario in zip(axes.flat, scenarios, strict=False):
        _fan(ax, bands[bands["scenario"] == scenario], policies)
        ax.set_title(scenario, fontsize=10)
        ax.label_outer()
    handles, labels = axes.flat[0].get_legend_handles_labels()
    spare = list(axes.flat)[n:]
    for ax in spare:
        ax.axis("off")
    # the legend goes into an empty panel if there is one, else below the panels
    _outside_legend(fig, spare, handles, labels, "policy")
    fig.suptitle("Hilversum's share of the sector's jobs (%): median and 5–95% band over runs")
    fig.tight_layout(rect=(0, 0 if spare else 0.08, 1, 1))
    return _save(fig, stem)


def _heatmap(summary: pd.DataFrame, scenarios: list[str], policies: list[str], stem: Path):
    rows = summary[summary["outcome"] == SHARE]
    year = int(rows["year"].iloc[0])
    grid = 100 * rows.pivot(index="scenario", columns="policy", values="median")
    grid = grid.reindex(index=scenarios, columns=policies)
    low = 100 * rows.pivot(index="scenario", columns="policy", values="p05").reindex_like(grid)
    high = 100 * rows.pivot(index="scenario", columns="policy", values="p95").reindex_like(grid)
    fig, ax = plt.subplots(figsize=(1.5 * len(policies) + 3, 0.8 * len(scenarios) + 2))
    image = ax.imshow(grid.to_numpy(dtype=float), cmap="Blues", aspect="auto")  # darker: higher
    ax.set_xticks(range(len(policies)), policies, rotation=30, ha="right")
    ax.set_yticks(range(len(scenarios)), scenarios)
    mid = np.nanmean(grid.to_numpy(dtype=float))
    for i in range(len(scenarios)):
        for j in range(len(policies)):
            value = grid.iat[i, j]
            if np.isnan(value):
                continue
            text = f"{value:.1f}\n[{low.iat[i, j]:.1f}–{high.iat[i, j]:.1f}]"
            colour = "white" if value > mid else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5, color=colour)
    fig.colorbar(image, ax=ax, label=f"Hilversum's share of jobs {year} (%), median")
    ax.set_title(f"Hilversum's share of jobs in {year} (%): median [5–95%] over runs")
    fig.tight_layout()
    return _save(fig, stem)


def _jobs_by_location(
    summary: pd.DataFrame,
    scenarios: list[str],
    policies: list[str],
    locations: list[str],
    stem: Path,
):
    year = int(summary["year"].iloc[0])
    colours = place_colours(locations)
    n = len(policies)
    cols = min(n, 3)
    rows_ = -(-n // cols)
    fig, axes = plt.subplots(
        rows_, cols, figsize=(5.2 * cols, 4.2 * rows_), sharey=True, squeeze=False
    )
    width = 0.8 / len(locations)
    x = np.arange(len(scenarios))
    for ax, policy in zip(axes.flat, policies, strict=False):
        rows = summary[summary["policy"] == policy].set_index(["scenario", "outcome"])
        for k, loc in enumerate(locations):
            key = [(s, f"jobs_{loc}") for s in scenarios]
            part = rows.reindex(key)
            median = part["median"].to_numpy(dtype=float)
            low, high = part["p05"].to_numpy(dtype=float), part["p95"].to_numpy(dtype=float)
            err = np.vstack([median - low, high - median])
            ax.bar(
                x + (k - (len(locations) - 1) / 2) * width,
                median,
                width,
                yerr=err,
                capsize=1.5,
                color=colours[loc],
                label=loc,
                error_kw={"lw": 0.7},
            )
        ax.set_xticks(x, scenarios, rotation=35, ha="right", fontsize=8)
        ax.set_title(f"policy: {policy}", fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    for row in axes:
        row[0].set_ylabel(f"jobs in {year}\n(median, 5–95% whiskers)")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    spare = list(axes.flat)[n:]
    for ax in spare:
        ax.axis("off")
    _outside_legend(fig, spare, handles, labels, "place")
    fig.suptitle(f"The sector's jobs per place in {year}, by scenario and policy")
    fig.tight_layout(rect=(0, 0 if spare else 0.08, 1, 1))
    return _save(fig, stem)


def _outside_legend(fig, spare: list, handles, labels, title: str) -> None:
    """The legend in the first empty panel, else centred below the panels: never over data."""
    if spare:
        spare[0].legend(handles, labels, loc="center", fontsize=8, title=title)
    else:
        fig.legend(
            handles, labels, loc="lower center", ncol=min(len(labels), 6), fontsize=8, title=title
        )


def _save(fig, stem: Path) -> list[Path]:
    paths = []
    for fmt in FORMATS:
        path = stem.with_suffix(f".{fmt}")
        fig.savefig(path, dpi=120)
        paths.append(path)
    plt.close(fig)
    return paths
