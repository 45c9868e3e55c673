"""The report's sensitivity section: which levers matter, per scenario, from a study's store.

Reads the outputs ``mediacluster sensitivity`` writes next to the runs:
``ranked_levers_<scenario>.csv`` (levers ranked by their total effect ST on
the final-year Hilversum jobs share), ``factors.csv`` (the ranges tried and
why), ``warnings.txt`` and ``figures/`` (``heatmap_levers``,
``over_time_<scenario>``).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd

from .context import Context
from .html import esc, figure, note, paragraph, section, table
from .stores import StoreInfo

VERDICTS = {
    "influential": "matters",
    "negligible": "does not matter",
    "unclear": "unclear (larger study needed)",
}


def ranked_levers(info: StoreInfo, scenario: str) -> pd.DataFrame | None:
    """The study's ranked lever table for a scenario, or None if it was not written."""
    path = info.path / f"ranked_levers_{scenario}.csv"
    return pd.read_csv(path) if path.is_file() else None


def top_levers(info: StoreInfo) -> str:
    """One sentence: the lever ranked first most often (HTML), or '' without tables."""
    firsts = []
    for scenario in info.manifest.get("scenarios", []):
        table_ = ranked_levers(info, scenario)
        if table_ is not None and len(table_):
            firsts.append(str(table_.iloc[0]["label"]))
    if not firsts:
        return ""
    count = Counter(firsts)
    lever, n = count.most_common(1)[0]
    text = (
        f"Sensitivity study <i>{esc(info.name)}</i>: of the policy levers, the "
        f"<b>{esc(lever)}</b> moves Hilversum's final-year share most in {n} of "
        f"{len(firsts)} scenarios"
    )
    others = [f"{esc(k)} ({v})" for k, v in count.most_common()[1:]]
    return text + (f"; first elsewhere: {', '.join(others)}." if others else ".")


def sensitivity(ctx: Context) -> str:
    """Every study given: ranked levers per scenario, the over-time plots, caveats."""
    if not ctx.studies:
        return section(
            "sensitivity",
            "Which levers matter",
            note(
                "No sensitivity study was given to this report. Run <code>make "
                "sensitivity</code>, then <code>make report</code>, to add the ranked levers "
                "per scenario.",
                "warning",
            ),
        )
    body = [
        paragraph(
            "A sensitivity study varies all policy levers (and the most uncertain model "
            "parameters) at once over wide ranges and asks which of them the final-year "
            "Hilversum jobs share depends on. The <i>total effect</i> ST is the share of "
            "the variation in the outcome that goes away if the lever were fixed — its own "
            "effect and its interplay with the others (Sobol' indices, computed with "
            "SALib). A lever 'matters' when its whole 95% interval lies above 0.05."
        )
    ]
    for info in ctx.studies:
        body += study_block(info, len(ctx.studies) > 1)
    return section("sensitivity", "Which levers matter", "".join(body))


def study_block(info: StoreInfo, titled: bool) -> list[str]:
    """One study: description, ranked tables, figures, ranges and caveats."""
    m = info.manifest
    out = [f"<h3>Study {esc(info.name)}</h3>"] if titled else []
    runs = m.get("runs", {})
    out.append(
        paragraph(
            f"{esc(m.get('description', ''))} Methods: {esc(', '.join(m.get('methods', [])))}; "
            f"{m.get('replications', '?')} replications per design point; "
            f"{runs.get('done', '?')} runs."
        )
    )
    scenarios = list(m.get("scenarios", []))
    tables = {s: ranked_levers(info, s) for s in scenarios}
    if not any(t is not None for t in tables.values()):
        out.append(
            note(
                f"The study at <code>{esc(info.path)}</code> has no ranked tables yet "
                "(ranked_levers_&lt;scenario&gt;.csv): it has not finished or was not analysed. "
                "Resume it with <code>mediacluster sensitivity … --resume</code>.",
                "warning",
            )
        )
        return out
    heat = _figure_file(info.path / "figures", "heatmap_levers")
    if heat is not None:
        out.append(
            figure(
                heat.read_bytes(),
                heat.suffix,
                "Total effect ST of every lever (rows) on Hilversum's final-year jobs share in "
                "every scenario (columns): the darker, the more the outcome depends on it.",
                "lever heatmap",
            )
        )
    for scenario in scenarios:
        out.append(f'<h4 class="scenario">{esc(scenario)}</h4>')
        t = tables[scenario]
        if t is None:
            out.append(note("No ranked table for this scenario.", "warning"))
            continue
        out.append(lever_table(t, scenario))
        plot = _figure_file(info.path / "figures", f"over_time_{scenario}")
        if plot is not None:
            out.append(
                figure(
                    plot.read_bytes(),
                    plot.suffix,
                    f"{esc(scenario)}: how the total effect of each lever builds up year by "
                    "year (solid: levers; dashed: the most influential model parameters; "
                    "bands: 95% intervals).",
                    f"over time {scenario}",
                )
            )
    out += factors_block(info)
    return out


def lever_table(t: pd.DataFrame, scenario: str) -> str:
    """A ranked lever table in words a policymaker can read."""
    rows = []
    for r in t.itertuples():
        # From the lever's paired effect over the uncertainty ensemble (issue 13);
        # older stores only have Spearman's rho.
        direction = getattr(r, "direction", None)
        if not isinstance(direction, str) or not direction:
            rho = getattr(r, "spearman_rho", math.nan)
            direction = "—" if not math.isfinite(rho) else ("raises it" if rho > 0 else "lowers it")
        rows.append(
            [
                int(r.rank),
                r.label,
                f"{_num(r.low)} – {_num(r.high)}",
                _interval(r.ST, r.ST_low, r.ST_high),
                _num(r.S1, 2),
                _num(r.mu_star, 4),
                direction,
                VERDICTS.get(str(r.verdict), str(r.verdict)),
            ]
        )
    return table(
        [
            "rank",
            "lever",
            "range tried",
            "total effect ST (95% interval)",
            "first-order S1",
            "Morris μ*",
            "more of it…",
            "verdict",
        ],
        rows,
        caption=f"Levers ranked by their effect on Hilversum's final-year share — {scenario}",
        numeric=(0, 4, 5),
        classes="compact",
    )


def factors_block(info: StoreInfo) -> list[str]:
    """The ranges tried and why, and the study's own warnings."""
    out = []
    path = info.path / "factors.csv"
    if path.is_file():
        f = pd.read_csv(path)
        rows = [
            [r.label, r.role, f"{_num(r.low)} – {_num(r.high)}", r.reason] for r in f.itertuples()
        ]
        out.append(
            table(
                ["factor", "role", "range", "why this range"],
                rows,
                caption="What the study varied",
                classes="compact",
            )
        )
    warnings = info.path / "warnings.txt"
    lines = warnings.read_text().splitlines() if warnings.is_file() else []
    if lines:
        shown = "".join(f"<li>{esc(line)}</li>" for line in lines[:12])
        more = f"<li>… and {len(lines) - 12} more in warnings.txt</li>" if len(lines) > 12 else ""
        out.append(
            note(
                f"<b>Caveats of this study ({len(lines)}):</b> wide intervals mean a ranking "
                f"may change in a larger study.<ul>{shown}{more}</ul>",
                "warning",
            )
        )
    return out


def _figure_file(folder: Path, stem: str) -> Path | None:
    for suffix in (".svg", ".png"):
        path = folder / f"{stem}{suffix}"
        if path.is_file() and path.stat().st_size > 0:
            return path
    return None


def _num(value: float, digits: int = 3) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def _interval(value: float, low: float, high: float) -> str:
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (value, low, high)):
        return _num(value, 2)
    return f"{value:.2f} ({low:.2f} to {high:.2f})"
