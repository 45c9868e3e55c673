"""The report's appendices: the assumptions table and the reproducibility block."""

from __future__ import annotations

import shlex
from collections import defaultdict

from ..paramdocs import Number, numbers
from .context import Context
from .html import esc, meta, note, paragraph, section, table
from .stores import StoreInfo

SECTION_TITLES = {
    "run": "Run settings",
    "reference": "Reference values in the location utility",
    "locations": "Locations (2025)",
    "travel_minutes": "Travel minutes",
    "kinds": "Kinds of organisation",
    "spillover": "Spillovers between kinds (γ)",
    "demography": "Demography, rent and talent",
    "drivers": "Scenario drivers without scenario (baseline)",
    "policy": "Policy levers (all off in the baseline)",
    "policy_costs": "Unit costs of the levers",
    "policy_effects": "How the money-denominated levers act (innovation fund, cooperation)",
    "uncertain": "Uncertain coefficients: the ranges studies vary them over",
}


def assumptions(ctx: Context) -> str:
    """Every number in the params files with its unit and source comment."""
    base = ctx.params_dir / "baseline.toml"
    rows = numbers(base, "baseline.toml")
    by_section: dict[str, list[Number]] = defaultdict(list)
    for row in rows:
        by_section[row.key.split(".")[0]].append(row)
    unsourced = [r for r in rows if r.source_from != "own"]
    body = [
        paragraph(
            f"Every number the model uses, read from {ctx.params_note}: its key in the params "
            "file, its value, its unit and the comment that gives its source or says it is "
            "an assumption. Where a number has no comment of its own, the table shows the "
            "comment it shares (marked ‘as …’ with the key whose comment it is, or ‘table "
            f"comment’). Of the {len(rows)} numbers in baseline.toml, {len(rows) - len(unsourced)}"
            f" have a comment of their own."
        )
    ]
    for key, group in by_section.items():
        body.append(_numbers_table(SECTION_TITLES.get(key, key), group))
    for folder, title in (("scenarios", "Scenario files"), ("policies", "Policy package files")):
        files = sorted((ctx.params_dir / folder).glob("*.toml"))
        group = []
        for path in files:
            fallback = f"storyline of {path.name}"
            group += numbers(path, f"{folder}/{path.name}", fallback=fallback)
        group = [r for r in group if not r.key.startswith(("scenario.", "policy.name"))]
        if group:
            body.append(_numbers_table(title, group, with_file=True))
    return section("assumptions", "Assumptions", "".join(body))


def _source(row: Number) -> str:
    if row.source_from == "own":
        return row.source
    if row.source_from == "none":
        return "no source given"
    how = "table comment" if row.source_from == "table comment" else row.source_from
    how = "the file's storyline" if row.source_from == "file" else how
    return f"{row.source} [{how}]"


def _numbers_table(title: str, rows: list[Number], with_file: bool = False) -> str:
    headers = (["file"] if with_file else []) + ["key", "value", "unit", "source or assumption"]
    body = [
        ([r.file.split("/")[-1].removesuffix(".toml")] if with_file else [])
        + [r.key, r.value, r.unit, _source(r)]
        for r in rows
    ]
    return table(headers, body, caption=title, classes="assumptions compact")


def reproducibility(ctx: Context) -> str:
    """For every store: manifest summary and the commands that reproduce it."""
    body = [
        paragraph(
            "Everything in this report comes from the stores below and the params files "
            "stored with them. For each store: how to rebuild it from its experiment file "
            "(same master seed, so the same runs) and how to check stored runs against "
            "fresh ones; at the end, the command that built this report."
        )
    ]
    for info in ctx.stores:
        body.append(f"<h3>{esc(info.kind)}: {esc(info.name)}</h3>")
        body.append(_manifest(info))
    body.append("<h3>This report</h3>")
    body.append(
        meta([("generated", esc(ctx.generated)), ("command", f"<code>{esc(ctx.command)}</code>")])
    )
    return section("reproducibility", "Reproducibility", "".join(body))


def _manifest(info: StoreInfo) -> str:
    m = info.manifest
    runs = m.get("runs", {})
    versions = ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())
    inputs = m.get("inputs") or {}
    sub = "sweep" if info.kind == "sweep" else "sensitivity"
    exp_file = m.get("experiment_file") or "EXPERIMENT.toml"
    rebuilt = shlex.quote(f"{info.path}-rebuilt")
    redo = f"mediacluster {sub} {shlex.quote(str(exp_file))} --out {rebuilt}"
    check = f"mediacluster reproduce {shlex.quote(str(info.path))} --sample 20"
    items = [
        ("folder", f"<code>{esc(info.path)}</code>"),
        ("description", esc(m.get("description", ""))),
        ("experiment file", f"<code>{esc(exp_file)}</code>"),
        ("scenarios", esc(", ".join(m.get("scenarios") or []))),
        ("policies", esc(", ".join(m.get("policies") or []))),
        ("replications", esc(m.get("replications", "?"))),
        ("master seed", esc(m.get("master_seed", "?"))),
        (
            "runs",
            esc(
                f"{runs.get('done', '?')} done of {runs.get('planned', '?')} planned, "
                f"{runs.get('failed', '?')} failed (status: {m.get('status', '?')})"
            ),
        ),
        ("started / finished", esc(f"{m.get('started', '?')} / {m.get('finished') or '—'}")),
        ("code (git commit)", f"<code>{esc(m.get('git_commit', '?'))}</code>"),
        ("package versions", esc(versions or "?")),
        (
            "recorded command",
            f"<code>{esc(' '.join(map(str, m.get('command') or [])) or '—')}</code>",
        ),
        ("to rebuild", f"<code>{esc(redo)}</code>"),
        (
            "to check",
            f"<code>{esc(check)}</code> (re-runs 20 stored runs and compares them value by "
            "value; without <code>--sample</code>: every run)",
        ),
    ]
    out = meta(items)
    commit = str(m.get("git_commit", ""))
    if commit.endswith("+dirty") or not commit:
        out += note(
            "The code had uncommitted changes when this store was made (git commit "
            f"<code>{esc(commit or '?')}</code>): a rebuild from that commit may differ; "
            "<code>mediacluster reproduce</code> tells.",
            "warning",
        )
    if inputs:
        rows = [[name, digest[:16] + "…"] for name, digest in sorted(inputs.items())]
        out += table(
            ["input file", "SHA-256"],
            rows,
            caption="Input files and their hashes",
            classes="compact",
        )
    return out
