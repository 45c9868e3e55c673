"""The report's own figure (the others come from the stores' figures/ folders).

:func:`value_for_money`: for every policy package, what it costs over the
run against the points of Hilversum's final-year jobs share it keeps over
no policy — the mean over scenarios, with a bar from the scenario where it
keeps least to the one where it keeps most.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from .robustness import NO_POLICY, Robustness


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes (text as paths: no font needed to view it)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def value_for_money(r: Robustness) -> bytes | None:
    """Cost against share kept, one point per package; None without a 'none' reference."""
    if r.kept is None:
        return None
    kept = r.share - r.share.loc[NO_POLICY]
    fig = Figure(figsize=(7.2, 4.2))
    ax = fig.subplots()
    for policy in r.policies:
        x, y = r.cost[policy], r.kept[policy]
        low, high = kept.loc[policy].min(), kept.loc[policy].max()
        ax.errorbar(
            x,
            y,
            yerr=[[y - low], [high - y]],
            fmt="o",
            ms=7,
            capsize=4,
            lw=1.2,
            color="#d95f02" if policy in r.most_robust else "#4c72b0",
        )
        ax.annotate(policy, (x, y), xytext=(7, 5), textcoords="offset points", fontsize=9)
    ax.axhline(0, color="#999999", lw=0.8)
    ax.set_xlabel(f"policy cost {r.start_year}–{r.year} (M€, median over runs)")
    ax.set_ylabel(f"points of {r.year} share kept over no policy")
    ax.set_title("What each package costs and what it keeps (mean and range over scenarios)")
    ax.grid(alpha=0.3)
    ax.set_xlim(left=-0.04 * max(1.0, r.cost.max()), right=1.18 * max(1.0, r.cost.max()))
    fig.tight_layout()
    return to_svg(fig)
