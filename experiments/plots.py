"""Figures (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from sim import KINDS  # noqa: E402

KIND_LABELS = {
    "public_broadcaster": "public broadcasters",
    "commercial_broadcaster": "commercial broadcasters & production",
    "tech_firm": "tech firms",
    "school": "schools",
    "startup": "start-ups",
}


def run_figure(outcomes: pd.DataFrame, title: str):
    """Hilversum's share of jobs and of organisations (%), overall and per kind, over time.

    The legend sits below the two panels, so it never covers a line.
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), sharey=True)
    for ax, measure, label in zip(axes, ("jobs", "orgs"), ("jobs", "organisations"), strict=True):
        ax.plot(
            outcomes["year"],
            100 * outcomes[f"hilversum_{measure}_share"],
            color="black",
            lw=2.5,
            label="all kinds",
        )
        for kind in KINDS:
            ax.plot(
                outcomes["year"],
                100 * outcomes[f"hilversum_{measure}_share_{kind}"],
                lw=1.3,
                label=KIND_LABELS[kind],
            )
        ax.set_title(f"Hilversum's share of the sector's {label} (%)")
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
        ax.set_ylim(0, 100)
    axes[0].set_ylabel("share in Hilversum (%)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def plot_run_shares(outcomes: pd.DataFrame, title: str, path: str | Path) -> Path:
    """:func:`run_figure` written to ``path`` (PNG)."""
    fig = run_figure(outcomes, title)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
