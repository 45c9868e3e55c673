"""What each lever does (main body, plain sentences) and the sensitivity study's indices,
methods and caveats (appendix A), from a study's store.

Reads what ``mediacluster sensitivity`` writes next to its runs:
``lever_effects.csv`` (paired lever effects; :mod:`.levers`),
``ranked_levers_<scenario>.csv`` (ST per lever), ``factors.csv`` (ranges and why)
and ``warnings.txt`` (caveats, summarised by kind here; the file has them all).
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from . import figures
from .context import Context
from .html import Raw, Rowspan, esc, figure, note, paragraph, section, table
from .levers import lever_name, lever_range, read_lever_effects, sentence
from .stores import StoreInfo


def ranked_levers(info: StoreInfo, scenario: str) -> pd.DataFrame | None:
    """The study's ranked lever table for a scenario, or None if it was not written."""
    path = info.path / f"ranked_levers_{scenario}.csv"
    return pd.read_csv(path) if path.is_file() else None


def levers(ctx: Context) -> str:
    """One sentence per lever from the paired lever effects of every study given."""
    m = ctx.m
    if not ctx.studies:
        return section("levers", m.text("sec.levers"), note(m.html("lv.no_study"), "note"))
    body = []
    for info in ctx.studies:
        if len(ctx.studies) > 1:
            body.append(f"<h3>{esc(info.name)}</h3>")
        read = read_lever_effects(info.path)
        if read is None:
            body.append(note(m.html("lv.no_effects", name=info.name), "warning"))
            continue
        year, effects = read
        body.append(paragraph(m.html("lv.intro", year=year, name=info.name)))
        items = "".join(f"<li>{sentence(m, e, year)}</li>" for e in effects)
        body.append(f'<ul class="levers">{items}</ul>')
        rows = []
        for e in effects:
            for i, r in enumerate(e.per_scenario.itertuples()):
                rows.append(
                    [
                        Rowspan(lever_name(m, e), len(e.per_scenario)) if i == 0 else None,
                        Rowspan(lever_range(m, e) or "—", len(e.per_scenario)) if i == 0 else None,
                        Raw(f"<i>{esc(r.scenario)}</i>"),
                        f"{m.num(r.effect)} [{m.num(r.conf_low)}–{m.num(r.conf_high)}]",
                    ]
                )
        if len({s for e in effects for s in e.per_scenario["scenario"]}) > 1:
            body.append(
                table(
                    [
                        m.text("col.lever"),
                        m.text("col.range"),
                        m.text("col.scenario"),
                        m.text("col.effect", year=year),
                    ],
                    rows,
                    caption=m.text("lv.caption"),
                    numeric=(3,),
                    classes="compact effects",
                )
            )
    return section("levers", m.text("sec.levers"), "".join(body))


def methods(ctx: Context) -> str:
    """Appendix A: how regret and noise are computed, the studies' indices and caveats."""
    m = ctx.m
    year = ctx.sweeps[0].answer.year if ctx.sweeps else 2040
    body = [paragraph(m.html("ap.methods", year=year))]
    for info in ctx.studies:
        body += study_block(ctx, info)
    return section("methods", m.text("sec.methods"), "".join(body), appendix=True)


def study_block(ctx: Context, info: StoreInfo) -> list[str]:
    """One study: what it is, the ST heatmap and table, the ranges and the caveats."""
    m = ctx.m
    man = info.manifest
    runs = man.get("runs", {})
    scenarios = list(man.get("scenarios", []))
    tables = {s: ranked_levers(info, s) for s in scenarios}
    tables = {s: t for s, t in tables.items() if t is not None and len(t)}
    year = study_year(info)
    out = [f"<h3>{esc(info.name)}</h3>"]
    out.append(
        paragraph(
            m.html(
                "ap.sens_intro",
                name=info.name,
                methods=", ".join(man.get("methods", [])) or "—",
                reps=man.get("replications", "?"),
                runs=runs.get("done", "?"),
                year=year,
            )
        )
    )
    if not tables:
        out.append(note(m.html("ap.no_ranked", path=info.path), "warning"))
        return out
    names = {}
    st = {}
    for s, t in tables.items():
        for r in t.itertuples():
            label = _lever_label(ctx, info, r)
            names[label] = True
            st.setdefault(s, {})[label] = getattr(r, "ST", math.nan)
    grid = pd.DataFrame(st).reindex(index=list(names), columns=list(tables))
    if grid.notna().any().any():
        out.append(
            figure(
                figures.lever_heatmap(grid, year, m),
                ".svg",
                m.html("ap.heat.caption"),
                m.text("ap.heat.title", year=year),
            )
        )
    rows = []
    for s, t in tables.items():
        for i, r in enumerate(t.itertuples()):
            verdict = str(getattr(r, "verdict", ""))
            key = f"verdict.{verdict}"
            rows.append(
                [
                    Rowspan(Raw(f"<i>{esc(s)}</i>"), len(t)) if i == 0 else None,
                    _lever_label(ctx, info, r),
                    _interval(m, getattr(r, "ST", math.nan), r),
                    m.text(key) if m.has(key) else verdict,
                ]
            )
    out.append(
        table(
            [
                m.text("col.scenario"),
                m.text("col.lever"),
                m.text("col.total_effect"),
                m.text("col.verdict"),
            ],
            rows,
            caption=m.text("ap.ranked_caption", scenario=", ".join(tables)),
            numeric=(2,),
            classes="compact",
        )
    )
    out += factors_block(ctx, info)
    return out


def study_year(info: StoreInfo) -> int:
    """The final year the study's indices are for (from its tables; 2040 if none say)."""
    for name in ("lever_effects.csv", "indices.csv"):
        path = info.path / name
        if path.is_file():
            years = pd.read_csv(path, usecols=["year"])["year"]
            if len(years):
                return int(years.max())
    return 2040


def _lever_label(ctx: Context, info: StoreInfo, row) -> str:
    """The lever's human name from the catalogue via factors.csv, else the study's label."""
    factors = _factor_keys(info)
    key = factors.get(str(getattr(row, "factor", "")))
    if key:
        name = ctx.m.lever(key)
        return name[:1].upper() + name[1:]
    return str(getattr(row, "label", getattr(row, "factor", "?")))


def _factor_keys(info: StoreInfo) -> dict[str, str]:
    from .levers import _lever_key

    path = info.path / "factors.csv"
    if not path.is_file():
        return {}
    f = pd.read_csv(path)
    out = {}
    for r in f.itertuples():
        key = _lever_key(str(getattr(r, "keys", "")))
        if key:
            out[str(r.factor)] = key
    return out


def factors_block(ctx: Context, info: StoreInfo) -> list[str]:
    """The ranges tried and why, and the study's warnings summarised by kind."""
    m = ctx.m
    out = []
    path = info.path / "factors.csv"
    if path.is_file():
        f = pd.read_csv(path)
        keys = _factor_keys(info)
        rows = []
        for r in f.itertuples():
            key = keys.get(str(r.factor))
            if key:
                name = m.lever(key)
                rng = m.text("range", low=m.num(r.low, 0), high=m.lever_amount(key, r.high))
            else:
                name = str(r.label)
                times = "×" if str(getattr(r, "mode", "")) == "scale" else ""  # a multiplier
                rng = m.text("range", low=times + m.num(r.low, 2), high=times + m.num(r.high, 2))
            rows.append([name, str(r.role), rng, str(r.reason)])
        out.append(
            table(
                [
                    m.text("col.factor"),
                    m.text("col.role"),
                    m.text("col.range"),
                    m.text("col.why_range"),
                ],
                rows,
                caption=m.text("ap.factors_caption"),
                classes="compact",
            )
        )
    warnings = info.path / "warnings.txt"
    lines = warnings.read_text().splitlines() if warnings.is_file() else []
    if lines:
        kinds = Counter(_warning_kind(line) for line in lines)
        text = ", ".join(f"{esc(k)} ({v})" for k, v in kinds.most_common())
        out.append(note(m.html("ap.caveats", n=len(lines), kinds=Raw(text)), "warning"))
    return out


def _warning_kind(line: str) -> str:
    """'scenario · outcome · method index: text' → 'method index'."""
    head = line.split(":", 1)[0]
    parts = [p.strip() for p in head.split("·")]
    return parts[-1] if parts else head


def _interval(m, value: float, r) -> str:
    low, high = getattr(r, "ST_low", math.nan), getattr(r, "ST_high", math.nan)
    try:
        if all(math.isfinite(float(v)) for v in (value, low, high)):
            return f"{m.num(value, 2)} [{m.num(low, 2)}–{m.num(high, 2)}]"
    except (TypeError, ValueError):
        pass
    return m.num(value, 2)
