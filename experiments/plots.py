"""Figures (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def run_figure(outcomes: pd.DataFrame, title: str, labels: dict[str, str]):
    """Hilversum's share of jobs and of organisations (%), overall and per kind, over time.

    ``labels`` maps each kind to its human name (``Params.kind_label``).

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
        for kind, kind_label in labels.items():
            ax.plot(
                outcomes["year"],
                100 * outcomes[f"hilversum_{measure}_share_{kind}"],
                lw=1.3,
                label=kind_label,
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


def plot_run_shares(
    outcomes: pd.DataFrame, title: str, path: str | Path, labels: dict[str, str]
) -> Path:
    """:func:`run_figure` written to ``path`` (PNG)."""
    fig = run_figure(outcomes, title, labels)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
