"""Figures (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def plot_run_shares(
    outcomes: pd.DataFrame, title: str, path: str | Path, labels: dict[str, str]
) -> Path:
    """Hilversum's share of jobs and of organisations, overall and per kind, over time.

    ``labels`` maps each kind to its human name (``Params.kind_label``).
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, measure, label in zip(axes, ("jobs", "orgs"), ("jobs", "organisations"), strict=True):
        ax.plot(
            outcomes["year"],
            outcomes[f"hilversum_{measure}_share"],
            color="black",
            lw=2.5,
            label="all kinds",
        )
        for kind, label in labels.items():
            ax.plot(
                outcomes["year"], outcomes[f"hilversum_{measure}_share_{kind}"], lw=1.3, label=label
            )
        ax.set_title(f"Hilversum share of {label}")
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("share")
    axes[1].legend(fontsize=8, loc="upper right")
    fig.suptitle(title)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
