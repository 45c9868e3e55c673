"""The report's figures, drawn from the stores in the report's language.

Colours: one colour per policy package, the same in every figure (Okabe & Ito's
colour-blind-safe palette, 'none' in black), and a different, muted palette for
places (Paul Tol's colour-blind-safe 'muted' scheme), so a colour never means a
package in one chart and a place in the next. Shares are in % everywhere.
Legends sit outside the plotting area, so they never cover data.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.lines  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..palette import package_style, place_colours  # noqa: E402
from .answer import Answer  # noqa: E402
from .messages import Messages  # noqa: E402


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes (text as paths: no font needed to view it)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def fan_charts(bands: pd.DataFrame, a: Answer, m: Messages) -> bytes:
    """Median and 5–95% band of the share per year, one panel per scenario."""
    style = package_style(a.policies)
    n = len(a.scenarios)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig = Figure(figsize=(3.3 * cols, 2.6 * rows + 0.9))
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    for ax, scenario in zip(axes, a.scenarios, strict=False):
        b = bands[bands["scenario"] == scenario]
        for p in a.policies:
            part = b[b["policy"] == p].sort_values("year")
            if part.empty:
                continue
            s = style[p]
            ax.fill_between(
                part["year"], 100 * part["p05"], 100 * part["p95"], color=s["color"], alpha=0.12
            )
            ax.plot(part["year"], 100 * part["median"], color=s["color"], ls=s["ls"], lw=1.6)
        ax.axhline(a.target, color="#555555", lw=0.9, ls=(0, (4, 3)))
        ax.set_title(scenario, fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    for ax in axes[n:]:
        ax.axis("off")
    for i, ax in enumerate(axes[:n]):
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=4, integer=True))
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(m.text("fig.share_pct"), fontsize=8)
        if i + cols >= n:  # the lowest panel of its column
            ax.set_xlabel(m.text("fig.year"), fontsize=8)
            ax.tick_params(labelbottom=True)
    handles = [
        matplotlib.lines.Line2D([], [], color=style[p]["color"], ls=style[p]["ls"], lw=1.8)
        for p in a.policies
    ] + [matplotlib.lines.Line2D([], [], color="#555555", lw=0.9, ls=(0, (4, 3)))]
    labels = [*a.policies, f"{m.text('fig.target')} {m.pct(a.target)}"]
    legend = {"fontsize": 8, "title": m.text("fig.legend_packages"), "title_fontsize": 8}
    if len(axes) > n:  # an empty panel: the legend goes there, clear of every line
        axes[n].legend(handles, labels, loc="center", frameon=False, **legend)
        bottom = 0.0
    else:
        fig.legend(
            handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False, **legend
        )
        bottom = 0.1 if rows > 1 else 0.18
    fig.suptitle(m.text("fig.fan.title"), fontsize=10)
    fig.tight_layout(rect=(0, bottom, 1, 1))
    return to_svg(fig)


def heatmap(a: Answer, m: Messages) -> bytes:
    """Scenario × package: median final-year share (%), darker = higher."""
    share = a.cells["share"].unstack("policy").reindex(index=a.scenarios, columns=a.policies)
    low = a.cells["p05"].unstack("policy").reindex_like(share)
    high = a.cells["p95"].unstack("policy").reindex_like(share)
    grid = share.to_numpy(dtype=float)
    fig = Figure(figsize=(1.25 * len(a.policies) + 2.6, 0.55 * len(a.scenarios) + 1.4))
    ax = fig.subplots()
    image = ax.imshow(grid, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(a.policies)), a.policies, rotation=20, ha="right", fontsize=8)
    ax.set_yticks(range(len(a.scenarios)), a.scenarios, fontsize=8)
    lo, hi = np.nanmin(grid), np.nanmax(grid)
    for i in range(len(a.scenarios)):
        for j in range(len(a.policies)):
            v = grid[i, j]
            if np.isnan(v):
                continue
            dark = hi > lo and (v - lo) / (hi - lo) > 0.55
            ax.text(
                j,
                i,
                f"{m.num(v)}\n[{m.num(low.iat[i, j])}–{m.num(high.iat[i, j])}]",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )
    fig.colorbar(image, ax=ax, label=m.text("fig.heat.colorbar"), shrink=0.9)
    ax.set_title(m.text("fig.heat.title", year=a.year), fontsize=10)
    fig.tight_layout()
    return to_svg(fig)


def jobs_by_place(jobs: pd.DataFrame, a: Answer, policy: str, m: Messages) -> bytes:
    """Median final-year jobs per place (thousands) per scenario, 5–95% whiskers."""
    places = list(dict.fromkeys(jobs["place"]))
    colours = place_colours(places)
    fig = Figure(figsize=(7.2, 3.3))
    ax = fig.subplots()
    width = 0.8 / max(1, len(places))
    x = np.arange(len(a.scenarios))
    for k, place in enumerate(places):
        part = jobs[jobs["place"] == place].set_index("scenario").reindex(a.scenarios)
        med = part["median"].to_numpy() / 1000
        err = np.vstack([med - part["p05"] / 1000, part["p95"] / 1000 - med])
        ax.bar(
            x + (k - (len(places) - 1) / 2) * width,
            med,
            width,
            yerr=err,
            capsize=2,
            color=colours[place],
            edgecolor="#333333",
            lw=0.4,
            label=m.place(place),
            error_kw={"lw": 0.7},
        )
    ax.set_xticks(x, a.scenarios, fontsize=8)
    ax.set_ylabel(m.text("fig.jobs.axis"), fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(m.text("fig.jobs.title", year=a.year, policy=policy), fontsize=10)
    fig.tight_layout()
    return to_svg(fig)


def cost_and_kept(a: Answer, m: Messages) -> bytes | None:
    """Discounted cost against points kept over no policy, per package."""
    if not a.has_reference:
        return None
    style = package_style(a.policies)
    kept = a.cells["kept"].unstack("scenario").reindex(index=a.policies, columns=a.scenarios)
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    for p in a.policies:
        o = a.overall.loc[p]
        y, x = o["kept"], o["cost_pv"]
        ax.errorbar(
            x,
            y,
            yerr=[[y - kept.loc[p].min()], [kept.loc[p].max() - y]],
            fmt="o",
            ms=6,
            capsize=3,
            lw=1.2,
            color=style[p]["color"],
        )
        ax.annotate(p, (x, y), xytext=(6, 4), textcoords="offset points", fontsize=8)
    ax.axhline(0, color="#999999", lw=0.8)
    top = max(1.0, float(a.overall["cost_pv"].max()))
    ax.set_xlim(-0.05 * top, 1.25 * top)
    ax.set_xlabel(m.text("fig.cost.x", start_year=a.start_year, year=a.year), fontsize=8)
    ax.set_ylabel(m.text("fig.cost.y", year=a.year), fontsize=8)
    ax.set_title(m.text("fig.cost.title"), fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return to_svg(fig)


def frontier(front: pd.DataFrame, metric: str, scale: float, unit: str, m: Messages) -> bytes:
    """The robustness study's budget frontier: the lead metric per budget, labelled."""
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    x = front["budget_meur"].to_numpy(dtype=float)
    y = scale * front[metric].to_numpy(dtype=float)
    ax.step(x, y, where="post", color="#0072B2", lw=1.6)
    ax.plot(x, y, "o", color="#0072B2", ms=5)
    for xi, yi, p in zip(x, y, front["policy"], strict=True):
        ax.annotate(str(p), (xi, yi), xytext=(4, 5), textcoords="offset points", fontsize=7)
    ax.set_xlabel(m.text("fig.frontier.x"), fontsize=8)
    ax.set_ylabel(f"{m.metric(metric)}{unit}", fontsize=8)
    ax.set_title(m.text("fig.frontier.title"), fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return to_svg(fig)


def lever_heatmap(st: pd.DataFrame, year: int, m: Messages) -> bytes:
    """Lever × scenario total-effect index ST; darker = larger ST (the share depends more)."""
    grid = st.to_numpy(dtype=float)
    fig = Figure(figsize=(1.1 * st.shape[1] + 3.2, 0.38 * st.shape[0] + 1.4))
    ax = fig.subplots()
    image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=max(0.05, float(np.nanmax(grid))))
    ax.set_xticks(range(st.shape[1]), list(st.columns), rotation=20, ha="right", fontsize=8)
    ax.set_yticks(range(st.shape[0]), list(st.index), fontsize=8)
    top = float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
    for i in range(st.shape[0]):
        for j in range(st.shape[1]):
            v = grid[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    m.num(v, 2),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.55 * top else "black",
                )
    fig.colorbar(image, ax=ax, label=m.text("ap.heat.colorbar"), shrink=0.9)
    ax.set_title(m.text("ap.heat.title", year=year), fontsize=10)
    fig.tight_layout()
    return to_svg(fig)


VERDICT_COLOURS = {"informed": "#0072B2", "narrowed": "#56B4E9", "open": "#999999"}


def prior_posterior(rows: list[dict], m: Messages) -> bytes:
    """Per calibrated parameter: its prior range (light grey bar) against its posterior
    90% interval (coloured bar) and median (dot); colour by what history says (blue: it
    informs the parameter, light blue: narrows it somewhat, grey: does not pin it down).
    Most parameters are multipliers of the default; those set as values (μ, whose default
    is 1, and history's 2010 occupancy) say so in their label; one axis with a line at 1
    serves them all."""
    n = len(rows)
    height = 0.34 * n + 1.7
    fig = Figure(figsize=(6.6, height))
    ax = fig.subplots()
    for i, r in enumerate(rows):
        y = n - 1 - i
        low, high = r["prior"]
        ax.plot([low, high], [y, y], color="#dddddd", lw=9, solid_capstyle="butt")
        p05, median, p95 = r["posterior"]
        colour = VERDICT_COLOURS[r["verdict"]]
        ax.plot([p05, p95], [y, y], color=colour, lw=3.5, solid_capstyle="butt")
        ax.plot(median, y, "o", color=colour, ms=6, markeredgecolor="#1d1d1f", mew=0.6)
    ax.axvline(1.0, color="#555555", lw=0.8, ls=(0, (4, 3)))
    ax.set_yticks(range(n), [r["label"] for r in reversed(rows)], fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(m.text("hc.fig.x"), fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    handles = [
        matplotlib.lines.Line2D([], [], color="#dddddd", lw=7),
        *[
            matplotlib.lines.Line2D([], [], color=VERDICT_COLOURS[k], lw=3, marker="o", ms=5)
            for k in ("informed", "narrowed", "open")
        ],
        matplotlib.lines.Line2D([], [], color="#555555", lw=0.8, ls=(0, (4, 3))),
    ]
    labels = [
        m.text("hc.fig.prior"),
        *[m.text(f"hc.verdict.{k}") for k in ("informed", "narrowed", "open")],
        m.text("hc.fig.default"),
    ]
    fig.legend(handles, labels, fontsize=7, frameon=False, loc="lower center", ncol=3)
    ax.set_title(m.text("hc.fig.title"), fontsize=10)
    fig.tight_layout(rect=(0, 0.5 / height, 1, 1))  # 0.5 inch for the legend's two rows
    return to_svg(fig)
