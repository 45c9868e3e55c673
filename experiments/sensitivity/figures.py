"""Figures of a sensitivity study (matplotlib, written as PNG).

- ``sobol_<scenario>.png``: S1 and ST per factor with interval bars, one
  panel per outcome (final year);
- ``morris_<scenario>.png``: μ* against σ per factor, one panel per outcome;
- ``over_time_<scenario>.png``: ST of every lever (and the most
  influential parameters) per year with its interval, one panel per
  yearly outcome — when a lever starts to matter;
- ``heatmap_levers.png``: levers × scenarios, ST on the main outcome.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .study import Study  # noqa: E402

LEVER_COLOUR = "#1f77b4"
PARAM_COLOUR = "#7f7f7f"
TOP_PARAMETERS = 3


def write_figures(study: Study, indices: pd.DataFrame, folder: Path) -> list[Path]:
    """Write every figure under ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for scenario in study.scenarios:
        cell = indices[indices["scenario"] == scenario]
        if study.methods.sobol is not None:
            paths.append(sobol_bars(study, cell, folder / f"sobol_{scenario}.png"))
            paths.append(over_time(study, cell, folder / f"over_time_{scenario}.png"))
        if study.methods.morris is not None:
            paths.append(morris_plot(study, cell, folder / f"morris_{scenario}.png"))
    paths.append(lever_heatmap(study, indices, folder / "heatmap_levers.png"))
    return paths


def _final(cell: pd.DataFrame) -> pd.DataFrame:
    last = cell.groupby("outcome")["year"].transform("max")
    return cell[cell["year"] == last]


def _order(study: Study, cell: pd.DataFrame) -> list[str]:
    """Factors by ST (or μ*) on the main outcome, largest first."""
    main = _final(cell[cell["outcome"] == study.analysis.main_outcome])
    method, index = ("sobol", "ST") if study.methods.sobol is not None else ("morris", "mu_star")
    got = main[(main["method"] == method) & (main["index"] == index)].set_index("factor")
    score = got["value"].reindex(study.factor_names).fillna(-1.0)
    return list(score.sort_values(ascending=False, kind="stable").index)


def _colours(study: Study, names: list[str]) -> list[str]:
    role = {f.name: f.role for f in study.factors}
    return [LEVER_COLOUR if role[n] == "lever" else PARAM_COLOUR for n in names]


def sobol_bars(study: Study, cell: pd.DataFrame, path: Path) -> Path:
    """S1 and ST bars with interval bars, one panel per outcome, final year."""
    final = _final(cell[cell["method"] == "sobol"])
    order = _order(study, cell)
    outcomes = list(study.outcomes)
    fig, axes = plt.subplots(
        len(outcomes),
        1,
        figsize=(max(7, 0.55 * len(order) + 2), 2.6 * len(outcomes)),
        squeeze=False,
    )
    x = np.arange(len(order))
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        sel = final[final["outcome"] == outcome]
        for offset, index, alpha in ((-0.2, "S1", 0.45), (0.2, "ST", 0.95)):
            got = sel[sel["index"] == index].set_index("factor").reindex(order)
            value = got["value"].to_numpy()
            err = np.vstack([value - got["conf_low"], got["conf_high"] - value])
            ax.bar(
                x + offset,
                np.nan_to_num(value),
                width=0.4,
                color=_colours(study, order),
                alpha=alpha,
                yerr=np.nan_to_num(np.abs(err)),
                capsize=2,
                label=index,
            )
        year = int(sel["year"].max()) if len(sel) else ""
        ax.set_title(f"{outcome} ({year})", fontsize=9, loc="left")
        ax.axhline(0, color="black", lw=0.5)
        ax.set_ylim(min(-0.05, ax.get_ylim()[0]), max(1.0, ax.get_ylim()[1]))
        ax.set_xticks(x, order, rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("index")
    axes[0, 0].legend(
        handles=[
            plt.Rectangle((0, 0), 1, 1, color="black", alpha=0.45),
            plt.Rectangle((0, 0), 1, 1, color="black", alpha=0.95),
            plt.Rectangle((0, 0), 1, 1, color=LEVER_COLOUR),
            plt.Rectangle((0, 0), 1, 1, color=PARAM_COLOUR),
        ],
        labels=["S1 (light)", "ST (dark)", "policy lever", "model parameter"],
        fontsize=7,
        ncol=4,
        loc="upper right",
    )
    fig.suptitle(f"Sobol indices · {study.name} · {cell['scenario'].iloc[0]}", fontsize=10)
    return _save(fig, path)


def morris_plot(study: Study, cell: pd.DataFrame, path: Path) -> Path:
    """μ* against σ per factor, with μ* interval bars, one panel per outcome."""
    final = _final(cell[cell["method"] == "morris"])
    outcomes = list(study.outcomes)
    ncol = min(2, len(outcomes))
    nrow = int(np.ceil(len(outcomes) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(6 * ncol, 4.2 * nrow), squeeze=False)
    for ax in axes.flat[len(outcomes) :]:
        ax.set_visible(False)
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sel = final[final["outcome"] == outcome]
        mu_star = sel[sel["index"] == "mu_star"].set_index("factor").reindex(study.factor_names)
        sigma = sel[sel["index"] == "sigma"].set_index("factor")["value"]
        sigma = sigma.reindex(study.factor_names)
        xs, ys = mu_star["value"].to_numpy(), sigma.to_numpy()
        err = np.abs(np.vstack([xs - mu_star["conf_low"], mu_star["conf_high"] - xs]))
        colours = _colours(study, study.factor_names)
        ax.errorbar(xs, ys, xerr=np.nan_to_num(err), fmt="none", ecolor="#bbbbbb", lw=0.8)
        ax.scatter(xs, ys, c=colours, s=22, zorder=3)
        for name, x, y in zip(study.factor_names, xs, ys, strict=True):
            if np.isfinite(x) and np.isfinite(y):
                ax.annotate(name, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
        top = np.nanmax(np.concatenate([xs, ys])) if np.isfinite(xs).any() else 1.0
        ax.plot([0, top], [0, top], color="#dddddd", lw=0.8, zorder=0)
        year = int(sel["year"].max()) if len(sel) else ""
        ax.set_title(f"{outcome} ({year})", fontsize=9, loc="left")
        ax.set_xlabel("μ* (mean |elementary effect|)")
        ax.set_ylabel("σ (interactions, non-linearity)")
    fig.suptitle(
        f"Morris screening · {study.name} · {cell['scenario'].iloc[0]}\n"
        "(blue: policy levers; grey: model parameters; line σ = μ*)",
        fontsize=10,
    )
    return _save(fig, path)


def over_time(study: Study, cell: pd.DataFrame, path: Path) -> Path:
    """ST per year with its interval for levers and the top parameters, per yearly outcome."""
    sobol = cell[(cell["method"] == "sobol") & (cell["index"] == "ST")]
    yearly = [o for o in study.outcomes if sobol[sobol["outcome"] == o]["year"].nunique() > 1]
    if not yearly:
        yearly = [study.analysis.main_outcome]
    order = _order(study, cell)
    params = [n for n in order if n not in {f.name for f in study.levers}][:TOP_PARAMETERS]
    shown = [f.name for f in study.levers] + params
    fig, axes = plt.subplots(len(yearly), 1, figsize=(9, 3.6 * len(yearly)), squeeze=False)
    cmap = plt.get_cmap("tab20")
    for ax, outcome in zip(axes[:, 0], yearly, strict=True):
        sel = sobol[sobol["outcome"] == outcome]
        for i, name in enumerate(shown):
            line = sel[sel["factor"] == name].sort_values("year")
            style = "-" if name not in params else "--"
            ax.plot(line["year"], line["value"], style, color=cmap(i % 20), lw=1.3, label=name)
            ax.fill_between(
                line["year"], line["conf_low"], line["conf_high"], color=cmap(i % 20), alpha=0.12
            )
        ax.set_ylim(-0.05, 1.0)
        ax.set_ylabel("total effect ST")
        ax.set_title(outcome, fontsize=9, loc="left")
    axes[0, 0].legend(fontsize=7, ncol=3, loc="upper left")
    fig.suptitle(
        f"Total effects over time · {study.name} · {cell['scenario'].iloc[0]}\n"
        "(solid: levers; dashed: top model parameters; bands: intervals)",
        fontsize=10,
    )
    return _save(fig, path)


def lever_heatmap(study: Study, indices: pd.DataFrame, path: Path) -> Path:
    """Levers × scenarios: total effect on the main outcome in the final year."""
    main = indices[indices["outcome"] == study.analysis.main_outcome]
    main = _final(main)
    method, index = ("sobol", "ST") if study.methods.sobol is not None else ("morris", "mu_star")
    sel = main[(main["method"] == method) & (main["index"] == index)]
    levers = [f.name for f in study.levers] or study.factor_names
    grid = sel.pivot_table(index="factor", columns="scenario", values="value")
    grid = grid.reindex(index=levers, columns=list(study.scenarios))
    fig, ax = plt.subplots(figsize=(1.6 * len(study.scenarios) + 3, 0.5 * len(levers) + 1.8))
    im = ax.imshow(grid.to_numpy(dtype=float), cmap="viridis", aspect="auto", vmin=0)
    ax.set_xticks(range(len(grid.columns)), grid.columns, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(grid.index)), grid.index, fontsize=8)
    values = grid.to_numpy(dtype=float)
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            colour = "black" if v > 0.6 * top else "white"
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color=colour)
    fig.colorbar(im, ax=ax, label=index)
    ax.set_title(
        f"{index} of each lever on {study.analysis.main_outcome} "
        f"({int(main['year'].max()) if len(main) else ''}) · {study.name}",
        fontsize=9,
    )
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
