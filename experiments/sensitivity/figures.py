"""Figures of a sensitivity study (matplotlib, written as PNG).

- ``sobol_<scenario>.png``: S1 and ST per factor with interval bars, one
  panel per outcome (final year);
- ``morris_<scenario>.png``: μ* against σ per factor, one panel per outcome;
- ``over_time_<scenario>.png``: ST of every lever (and the most
  influential parameters) per year with its interval, one panel per
  yearly outcome — when a lever starts to matter;
- ``heatmap_levers.png``: levers × scenarios, ST on the main outcome;
- ``convergence_<scenario>.png``: each factor's corrected ST and S1 on the
  main outcome (final year) against the nested sample size N, with intervals,
  and the variance of the conditional mean — whether N was enough;
- ``lever_effects.png``: each lever's paired effect on the main outcome
  (final year, percentage points for a share) with its 95% interval, per
  scenario;
- ``emulator_vs_direct.png``: the emulator's S1 and ST against the direct
  estimates, with both intervals.

The dummy factor is drawn in black: an index no larger than the dummy's is
seed noise.
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
DUMMY_COLOUR = "#000000"  # black: no tab20 colour of a factor
TOP_PARAMETERS = 3


def write_figures(analysis, folder: Path) -> list[Path]:
    """Write every figure of an :class:`.analysis.Analysis` under ``folder``; their paths."""
    study, indices = analysis.study, analysis.indices
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for scenario in study.scenarios:
        cell = indices[indices["scenario"] == scenario]
        if study.methods.sobol is not None:
            paths.append(sobol_bars(study, cell, folder / f"sobol_{scenario}.png"))
            paths.append(over_time(study, cell, folder / f"over_time_{scenario}.png"))
            conv = analysis.convergence
            if len(conv):
                conv = conv[conv["scenario"] == scenario]
                paths.append(convergence_plot(study, conv, folder / f"convergence_{scenario}.png"))
        if study.methods.morris is not None:
            paths.append(morris_plot(study, cell, folder / f"morris_{scenario}.png"))
    paths.append(lever_heatmap(study, indices, folder / "heatmap_levers.png"))
    if study.methods.levers is not None and len(analysis.lever_effects):
        paths.append(lever_effect_bars(study, analysis.lever_effects, folder / "lever_effects.png"))
    if (indices["method"] == "emulator").any():
        paths.append(emulator_vs_direct(study, indices, folder / "emulator_vs_direct.png"))
    return paths


def _unit(outcome: str) -> tuple[float, str]:
    """Scale and unit label of an outcome's effects (shares in percentage points)."""
    if outcome.endswith("share"):
        return 100.0, "percentage points"
    return 1.0, "outcome units"


def convergence_plot(study: Study, conv: pd.DataFrame, path: Path) -> Path:
    """Corrected ST and S1 against N (main outcome, final year), and Var of the mean."""
    main = conv[conv["outcome"] == study.analysis.main_outcome]
    main = main[main["year"] == main["year"].max()]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    cmap = plt.get_cmap("tab20")
    for ax, index in zip(axes[:2], ("ST", "S1"), strict=True):
        sel = main[main["index"] == index]
        for i, name in enumerate(study.factor_names):
            line = sel[sel["factor"] == name].sort_values("n")
            colour = DUMMY_COLOUR if name == "dummy" else cmap(i % 20)
            ax.plot(line["n"], line["value"], "-o", ms=3, color=colour, lw=1.2, label=name)
            ax.fill_between(
                line["n"], line["conf_low"], line["conf_high"], color=colour, alpha=0.10
            )
        ax.axhline(0, color="black", lw=0.5)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("base samples N (nested, one Sobol' sequence)")
        ax.set_ylabel(f"{index} (noise-corrected)")
        ax.set_title(f"{index} against N", fontsize=9, loc="left")
    axes[0].legend(fontsize=6, ncol=2, loc="upper right")
    var = main[(main["factor"] == "*") & (main["index"].isin(["var_Y", "var_f"]))]
    for index, label, style in (
        ("var_Y", "Var of replication means", "--o"),
        ("var_f", "Var of conditional mean (corrected)", "-o"),
    ):
        line = var[var["index"] == index].sort_values("n")
        axes[2].plot(line["n"], line["value"], style, ms=3, label=label)
        if index == "var_f":
            axes[2].fill_between(line["n"], line["conf_low"], line["conf_high"], alpha=0.15)
    axes[2].set_xscale("log", base=2)
    axes[2].set_xlabel("base samples N")
    axes[2].set_ylabel(f"variance of {study.analysis.main_outcome} (outcome units²)")
    axes[2].legend(fontsize=7)
    year = int(main["year"].max()) if len(main) else ""
    scenario = conv["scenario"].iloc[0] if len(conv) else ""
    fig.suptitle(
        f"Convergence · {study.name} · {scenario} · {study.analysis.main_outcome} ({year})",
        fontsize=10,
    )
    return _save(fig, path)


def lever_effect_bars(study: Study, effects: pd.DataFrame, path: Path) -> Path:
    """Each lever's paired effect on the main outcome in the final year, per scenario."""
    outcome = study.analysis.main_outcome
    sel = effects[effects["outcome"] == outcome]
    sel = sel[sel["year"] == sel["year"].max()]
    scale, unit = _unit(outcome)
    levers = [f.name for f in study.levers]
    scenarios = list(study.scenarios)
    fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(levers) * len(scenarios) / 3), 4.6))
    width = 0.8 / len(scenarios)
    x = np.arange(len(levers))
    cmap = plt.get_cmap("tab10")
    for i, scenario in enumerate(scenarios):
        got = sel[sel["scenario"] == scenario].set_index("lever").reindex(levers)
        value = scale * got["effect"].to_numpy()
        err = scale * np.abs(
            np.vstack([got["effect"] - got["conf_low"], got["conf_high"] - got["effect"]])
        )
        ax.bar(
            x + (i - (len(scenarios) - 1) / 2) * width,
            np.nan_to_num(value),
            width=width,
            yerr=np.nan_to_num(err),
            capsize=2,
            color=cmap(i % 10),
            label=scenario,
        )
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(x, levers, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(f"effect on {outcome} ({unit})")
    ax.legend(fontsize=7, ncol=len(scenarios))
    year = int(sel["year"].max()) if len(sel) else ""
    ax.set_title(
        f"Each lever alone at the top of its range vs every lever off, paired over "
        f"{study.methods.levers.members} uncertainty draws ({year}; bars: 95% intervals)",
        fontsize=9,
    )
    return _save(fig, path)


def emulator_vs_direct(study: Study, indices: pd.DataFrame, path: Path) -> Path:
    """The emulator's S1 and ST against the direct (noise-corrected) estimates."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 5))
    outcome = study.analysis.main_outcome
    cell = indices[indices["outcome"] == outcome]
    for ax, index in zip(axes, ("S1", "ST"), strict=True):
        d = cell[(cell["method"] == "sobol") & (cell["index"] == index)]
        e = cell[(cell["method"] == "emulator") & (cell["index"] == index)]
        both = d.merge(e, on=["scenario", "year", "factor"], suffixes=("_d", "_e"))
        ax.errorbar(
            both["value_d"],
            both["value_e"],
            xerr=np.abs(np.vstack([both["value_d"] - both["conf_low_d"],
                                   both["conf_high_d"] - both["value_d"]])),
            yerr=np.abs(np.vstack([both["value_e"] - both["conf_low_e"],
                                   both["conf_high_e"] - both["value_e"]])),
            fmt="o", ms=3, lw=0.6, alpha=0.7,
        )  # fmt: skip
        top = max(1.0, float(np.nanmax(both[["value_d", "value_e"]].to_numpy(), initial=0)))
        ax.plot([-0.1, top], [-0.1, top], color="#999999", lw=0.8)
        ax.set_xlabel(f"direct {index} (noise-corrected Saltelli/Jansen)")
        ax.set_ylabel(f"emulator {index} (GP conditional mean)")
        ax.set_title(f"{index}: every factor × scenario, {outcome}", fontsize=9, loc="left")
    fig.suptitle(f"Emulator against direct estimates · {study.name}", fontsize=10)
    return _save(fig, path)


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
    palette = {"lever": LEVER_COLOUR, "parameter": PARAM_COLOUR, "dummy": DUMMY_COLOUR}
    return [palette[role[n]] for n in names]


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
    params = [f.name for f in study.parameters]
    params = [n for n in order if n in params][:TOP_PARAMETERS]
    shown = [f.name for f in study.levers] + params + ["dummy"]
    fig, axes = plt.subplots(len(yearly), 1, figsize=(9, 3.6 * len(yearly)), squeeze=False)
    cmap = plt.get_cmap("tab20")
    for ax, outcome in zip(axes[:, 0], yearly, strict=True):
        sel = sobol[sobol["outcome"] == outcome]
        for i, name in enumerate(shown):
            line = sel[sel["factor"] == name].sort_values("year")
            style = "-" if name not in params else "--"
            colour = DUMMY_COLOUR if name == "dummy" else cmap(i % 20)
            style = ":" if name == "dummy" else style
            ax.plot(line["year"], line["value"], style, color=colour, lw=1.3, label=name)
            ax.fill_between(
                line["year"], line["conf_low"], line["conf_high"], color=colour, alpha=0.12
            )
        ax.set_ylim(-0.05, 1.0)
        ax.set_ylabel("total effect ST")
        ax.set_title(outcome, fontsize=9, loc="left")
    axes[0, 0].legend(fontsize=7, ncol=3, loc="upper left")
    fig.suptitle(
        f"Total effects over time · {study.name} · {cell['scenario'].iloc[0]}\n"
        "(solid: levers; dashed: top model parameters; black dotted: the dummy = seed noise; "
        "bands: 95% intervals; noise-corrected)",
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
