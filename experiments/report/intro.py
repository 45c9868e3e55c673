"""The report's opening: page one's answer, the question and how to read it, the scenarios
and packages (one storyline each)."""

from __future__ import annotations

import math

import pandas as pd

import sim

from ..paramdocs import storyline
from .answer import NO_POLICY, Answer
from .context import Context
from .grounded import weights_line
from .html import Raw, esc, note, paragraph, section, table
from .levers import read_lever_effects, sentence
from .messages import STORYLINES_NL
from .robust import kind_of

MAX_BUDGET_LINES = 5


def summary(ctx: Context) -> str:
    """Page one: the answer, what it rests on, the table across the scenarios."""
    m = ctx.m
    parts = []
    if ctx.sweeps:
        a = ctx.sweeps[0].answer
        lines = answer_lines(ctx, a)
        parts.append(note("<ul>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>", "finding"))
        parts.append(overall_table(ctx, a))
    else:
        lines = budget_lines(ctx, None) + lever_lines(ctx)
        if lines:
            lines.append(weights_line(ctx))
            items = "".join(f"<li>{x}</li>" for x in lines)
            parts.append(note(f"<ul>{items}</ul>", "finding"))
    parts += missing_notes(ctx)
    return section("summary", m.text("sec.summary"), "".join(parts))


def answer_lines(ctx: Context, a: Answer) -> list[str]:
    """The bullets of page one."""
    m = ctx.m
    out = []
    n = len(a.scenarios)
    if a.has_reference:
        none = a.cells.xs(NO_POLICY, level="policy")["share"].reindex(a.scenarios)
        out.append(
            m.html(
                "sum.no_policy",
                start=m.pct(a.start_share),
                start_year=a.start_year,
                low=m.pct(none.min()),
                low_scenario=none.idxmin(),
                high=m.pct(none.max()),
                high_scenario=none.idxmax(),
                year=a.year,
                n_scenarios=n,
            )
        )
    why = m.html("sum.target_default", start_year=a.start_year) if a.target_is_default else ""
    out.append(m.html("sum.target", year=a.year, target=m.pct(a.target), why=Raw(why)))
    o = a.overall
    best_k = int(o["at_target"].max())
    if best_k > 0:
        ties = [p for p in a.policies if o.loc[p, "at_target"] == best_k]
        p = min(ties, key=lambda q: o.loc[q, "cost_pv"])
        out.append(
            m.html(
                "sum.meets",
                policy=p,
                k=best_k,
                n_scenarios=n,
                cost=m.meur(o.loc[p, "cost_pv"]),
                per_year=m.meur(o.loc[p, "per_year"]),
                start_year=a.start_year,
                year=a.year,
            )
        )
    else:
        closest = max(a.policies, key=lambda q: o.loc[q, "best_share"])
        out.append(
            m.html(
                "sum.none_meets",
                policy=closest,
                gap=m.num(a.target - o.loc[closest, "best_share"]),
            )
        )
    out.append(per_scenario_line(m, a))
    priced = o["per_point"].dropna()
    if len(priced):
        p = priced.idxmin()
        se2 = 2 * o.loc[p, "kept_se"]
        close = [
            f"{esc(q)} ({m.meur(priced[q])})"
            for q in priced.index
            if q != p and o.loc[q, "per_point_low"] <= o.loc[p, "per_point_high"]
        ]
        out.append(
            m.html(
                "sum.value",
                policy=p,
                per_point=m.meur(priced[p]),
                pp_low=m.num(o.loc[p, "per_point_low"]),
                pp_high=m.num(o.loc[p, "per_point_high"]),
                kept=m.num(o.loc[p, "kept"]),
                low=m.num(o.loc[p, "kept"] - se2),
                high=m.num(o.loc[p, "kept"] + se2),
                cost=m.meur(o.loc[p, "cost_pv"]),
                close=Raw(m.html("sum.value_close", others=Raw(m.join(close))) if close else ""),
            )
        )
    out += budget_lines(ctx, a)
    out += lever_lines(ctx)
    out.append(rests_on_line(ctx, a))
    out.append(weights_line(ctx))
    return out


def per_scenario_line(m, a: Answer) -> str:
    """Per scenario: the cheapest package whose median run is at or above the target."""
    items = []
    for s in a.scenarios:
        cells = a.cells.xs(s, level="scenario")
        meeting = cells[cells["share"] >= a.target - 1e-9]
        if meeting.empty:
            items.append(m.html("sum.per_scenario_none", scenario=s))
            continue
        p = meeting["cost_pv"].idxmin()
        items.append(
            m.html(
                "sum.per_scenario_item",
                scenario=s,
                policy=p,
                cost=m.meur(meeting.loc[p, "cost_pv"]),
                runs=m.pct(100 * meeting.loc[p, "at_target"], 0),
            )
        )
    return m.html("sum.per_scenario", items=Raw("; ".join(items)))


def budget_lines(ctx: Context, a: Answer | None) -> list[str]:
    """The robust choice per budget: from the robustness study if given, else the sweep."""
    m = ctx.m
    study = next((r for r in ctx.robust if r.frontier is not None), None)
    if study is not None:
        metric = study.frontier_metric()
        rows = []
        for r in study.frontier.head(MAX_BUDGET_LINES).itertuples(index=False):
            row = r._asdict()
            detail = f"{m.metric(metric)} {format_metric(m, metric, row.get(metric))}"
            rows.append(
                m.html(
                    "sum.budget_line",
                    budget=m.meur(float(row["budget_meur"])),
                    policy=row["policy"],
                    detail=detail,
                )
            )
        head = m.html("sum.budget_head", source=Raw(m.html("sum.source_robust", name=study.name)))
        return [head + "<ul>" + "".join(f"<li>{r}</li>" for r in rows) + "</ul>"]
    if a is None or a.frontier.empty:
        return []
    rows = []
    for r in a.frontier.head(MAX_BUDGET_LINES).itertuples():
        detail = m.html(
            "sum.budget_detail_sweep",
            regret=m.num(r.max_regret),
            k=r.at_target,
            n_scenarios=len(a.scenarios),
        )
        rows.append(
            m.html("sum.budget_line", budget=m.meur(r.budget), policy=r.policy, detail=Raw(detail))
        )
    head = m.html("sum.budget_head", source=Raw(m.html("sum.source_sweep")))
    items = "".join(f"<li>{r}</li>" for r in rows)
    return [f"{head}<ul>{items}</ul>{m.html('sum.allin_note')}"]


def lever_lines(ctx: Context) -> list[str]:
    """The lever with the largest clear effect, in one sentence (if a study has effects)."""
    for study in ctx.studies:
        read = read_lever_effects(study.path)
        if read is None:
            continue
        year, effects = read
        clear = [e for e in effects if e.verdict in ("raises", "lowers", "mixed")]
        if not clear:
            continue
        top = max(clear, key=lambda e: abs(e.effect))
        return [ctx.m.html("lv.top_summary", sentence=Raw(sentence(ctx.m, top, year)))]
    return []


def policy_effect_keys(ctx: Context) -> list[tuple[str, float]]:
    """The policy-effect coefficients (params [policy_effects]) and their values."""
    params = sim.load_params(ctx.params_dir / "baseline.toml")
    return [
        (k, v)
        for k, v in params.policy_effects.model_dump().items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]


def varied_keys(ctx: Context) -> set[str]:
    """Every params key a given sensitivity study varied (its factors.csv ``keys``)."""
    out: set[str] = set()
    for study in ctx.studies:
        path = study.path / "factors.csv"
        if path.is_file():
            f = pd.read_csv(path)
            col = "keys" if "keys" in f else "key" if "key" in f else None
            if col:
                for keys in f[col].dropna().astype(str):
                    out.update(keys.split())
    return out


def rests_on_line(ctx: Context, a: Answer) -> str:
    m = ctx.m
    varied = varied_keys(ctx)
    coefs = policy_effect_keys(ctx)
    fixed = [(k, v) for k, v in coefs if f"policy_effects.{k}" not in varied]
    shown = fixed or coefs
    names = []
    for k, v in shown[:2]:
        label = m.text(f"coef.{k}") if m.has(f"coef.{k}") else k
        names.append(f"{esc(label)} (<code>{esc(k)} = {m.num(v, 2)}</code>)")
    none = a.cells.xs(NO_POLICY, level="policy")["share"] if a.has_reference else a.cells["share"]
    return m.html(
        "sum.rests_on",
        coefficients=Raw(m.join(names)),
        varied=Raw(m.html("sum.not_varied" if fixed else "sum.varied")),
        section=m.text("sec.rests_on"),
        rate=m.pct(100 * a.rate, 2),
        noise=m.num(a.diff_noise),
        spread=m.num(float(none.max() - none.min())),
    )


def overall_table(ctx: Context, a: Answer) -> str:
    """Page one's table: each package across the scenarios."""
    m = ctx.m
    n = len(a.scenarios)
    headers = [
        m.text("col.package"),
        m.text("col.at_target"),
        m.text("col.kept"),
        m.text("col.cost_pv"),
        m.text("col.per_year"),
        m.text("col.per_point"),
    ]
    rows, classes = [], []
    for p in a.policies:
        o = a.overall.loc[p]
        if p == NO_POLICY:
            kept, per_point = m.text("reference"), "—"
        elif not a.has_reference:
            kept, per_point = "—", "—"
        else:
            kept = f"{m.num(o['kept'])} [{m.num(o['kept_low'])}–{m.num(o['kept_high'])}]"
            per_point = m.num(o["per_point"], 0) if math.isfinite(o["per_point"]) else "—"
            if not math.isfinite(o["per_point"]) and o["cost_pv"] > 0:
                per_point = m.text("no_gain")
        rows.append(
            [
                p,
                f"{int(o['at_target'])} / {n}",
                kept,
                m.num(o["cost_pv"], 0),
                m.num(o["per_year"], 1),
                per_point,
            ]
        )
        classes.append("reference" if p == NO_POLICY else "")
    return table(
        headers,
        rows,
        caption=m.text("sum.table_caption", n_scenarios=n, target=m.pct(a.target), year=a.year),
        numeric=range(1, len(headers)),
        classes="overall compact",
        row_classes=classes,
    )


def format_metric(m, metric: str, value) -> str:
    """A robustness-study value in the unit its name implies (see robust.kind_of)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(value):
        return "—"
    kind = kind_of(metric)
    if kind == "cost":
        return m.meur(value)
    scale = 100 if abs(value) <= 1.0 else 1  # fractions are written 0–1 by the study
    if kind in ("fraction", "share"):
        return m.pct(scale * value)
    if kind == "regret":
        return m.num(scale * value)
    return m.num(value, 3)


def missing_notes(ctx: Context) -> list[str]:
    """What is absent or incomplete, said plainly."""
    m = ctx.m
    out = []
    if not ctx.sweeps:
        out.append(note(m.html("miss.sweep"), "warning"))
    if not ctx.robust:
        out.append(note(m.html("miss.robust"), "note"))
    if not ctx.studies:
        out.append(note(m.html("lv.no_study"), "note"))
    for info in ctx.stores:
        if not info.complete:
            runs = info.manifest.get("runs", {})
            out.append(
                note(
                    m.html(
                        "miss.incomplete",
                        path=info.path,
                        done=runs.get("done", "?"),
                        planned=runs.get("planned", "?"),
                        failed=runs.get("failed", "?"),
                    ),
                    "warning",
                )
            )
    return out


def question(ctx: Context) -> str:
    """The question and how to read the report."""
    m = ctx.m
    a = ctx.sweeps[0].answer if ctx.sweeps else None
    year = a.year if a else 2040
    start = a.start_year if a else 2025
    reps = {s.info.manifest.get("replications") for s in ctx.sweeps} - {None}
    items = [
        m.html("q.measure", places=m.text("places_list")),
        m.html("q.model", start_year=start),
    ]
    if reps:
        items.append(m.html("q.runs", reps=min(reps)))
    items.append(m.html("q.cost", start_year=start, year=year, rate=m.pct(100 * ctx.rate, 2)))
    items.append(m.html("q.not_forecast"))
    body = paragraph(m.html("q.intro", year=year, n_scenarios=len(ctx.scenarios)))
    body += "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    return section("question", m.text("sec.question"), body)


def _story(ctx: Context, folder: str, name: str) -> str | None:
    """The file's storyline (English), or the catalogue's Dutch one."""
    if ctx.m.lang == "nl" and name in STORYLINES_NL:
        return esc(STORYLINES_NL[name])
    path = ctx.params_dir / folder / f"{name}.toml"
    if not path.is_file():
        return None
    story = storyline(path)
    title = story.title[:1].upper() + story.title[1:]
    return f"<b>{esc(title)}</b> {esc(story.text)}"


def scenarios(ctx: Context) -> str:
    """One paragraph per scenario and one line per package (storyline and levers)."""
    m = ctx.m
    body = [paragraph(m.html("sc.intro"))]
    a = ctx.sweeps[0].answer if ctx.sweeps else None
    items = []
    for name in ctx.scenarios:
        text = _story(ctx, "scenarios", name) or m.html("sc.no_file")
        if a is not None and a.has_reference and name in a.scenarios:
            c = a.cell(name, NO_POLICY)
            text += " <i>" + m.html(
                "sc.no_policy_band",
                year=a.year,
                mid=m.pct(c["share"]),
                low=m.pct(c["p05"]),
                high=m.pct(c["p95"]),
            )
            text += "</i>"
        items.append(f'<li class="scenario"><b><i>{esc(name)}</i></b> — {text}</li>')
    body.append('<ul class="stories">' + "".join(items) + "</ul>")
    body.append(f"<h3>{esc(m.text('sc.packages'))}</h3>")
    items = []
    for name in ctx.policies:
        text = _story(ctx, "policies", name) or m.html("sc.no_file")
        levers = lever_summary(ctx, name)
        if levers:
            text += " <i>" + m.html("sc.levers", levers=levers) + "</i>"
        items.append(f"<li><b>{esc(name)}</b> — {text}</li>")
    body.append('<ul class="stories">' + "".join(items) + "</ul>")
    title = m.text("sec.scenarios", n_scenarios=len(ctx.scenarios), n_policies=len(ctx.policies))
    return section("scenarios", title, "".join(body))


def lever_summary(ctx: Context, policy: str) -> str:
    """The package's levers in words, e.g. 'extra floor space 4,000 m² a year from 2027'."""
    m = ctx.m
    try:
        params = sim.load_params(ctx.params_dir / "baseline.toml", policy=policy)
    except sim.ParamsError:
        return ""  # a package defined elsewhere (e.g. inline in the experiment file)
    parts = []
    for name in sim.LEVERS:
        lever = getattr(params.policy, name)
        if lever.value > 0:
            text = f"{m.lever(name)} {m.lever_amount(name, lever.value)}"
            if lever.kinds:
                text += " " + m.text("sc.for_kinds", kinds=m.join([m.kind(k) for k in lever.kinds]))
            text += " " + m.text("sc.from_year", year=lever.start_year)
            parts.append(text)
    return "; ".join(parts)
