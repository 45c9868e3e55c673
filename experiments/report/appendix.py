"""What the answer rests on (main body), the glossary and reproducibility (appendices), and
the linked parameter appendix file (every number with its source)."""

from __future__ import annotations

import shlex
from collections import defaultdict

from ..paramdocs import Number, numbers, unit_in
from .context import Context
from .html import Raw, esc, meta, note, page, paragraph, section, table
from .intro import policy_effect_keys, varied_keys
from .stores import StoreInfo

COST_UNITS = {  # params policy_costs key -> the lever it prices
    "space_meur_per_m2": "space_expansion_m2_per_year",
    "rent_subsidy_share_paid": "rent_subsidy",
    "talent_meur_per_student_year": "talent_programme_students",
    "facilities_meur_per_point_year": "shared_facilities",
    "accessibility_meur_per_minute_year": "accessibility_minutes_saved",
    "amenity_meur_per_point_year": "campus_amenity",
    "cooperation_meur_per_point_year": "cooperation_programme",
}
SECTION_TITLES = {
    "run": "Run settings",
    "reference": "Reference values in the location utility",
    "locations": "Locations (2025)",
    "travel_minutes": "Travel minutes",
    "kinds": "Kinds of organisation",
    "spillover": "Spillovers between kinds (γ)",
    "demography": "Demography, rent and talent",
    "space": "Floor-space market (stock, permission, pipeline)",
    "drivers": "Scenario drivers without scenario (baseline)",
    "policy": "Policy levers (all off in the baseline)",
    "policy_costs": "Unit costs of the levers",
    "policy_effects": "How the money-denominated levers act (innovation fund, cooperation)",
    "uncertain": "Uncertain coefficients: the ranges studies vary them over",
}


def rests_on(ctx: Context) -> str:
    """The assumptions the answer depends on most: policy effects, unit costs, discounting."""
    m = ctx.m
    link = Raw(f'<a href="{esc(ctx.params_file)}">{esc(ctx.params_file)}</a>')
    body = [paragraph(m.html("ro.intro", link=link))]
    rows = number_rows(ctx, ("policy_effects", "policy_costs"))
    varied = varied_keys(ctx)
    table_rows = []
    for r in rows:
        name = r.key.split(".", 1)[1]
        label = m.text(f"coef.{name}") if m.has(f"coef.{name}") else None
        if label is None and name in COST_UNITS:
            label = m.lever(COST_UNITS[name])
        text = (label or name) + (" ✱" if r.key in varied else "")
        table_rows.append([text, key_cell(r.key), r.value, unit_in(r.unit, m.lang), _source(m, r)])
    body.append(
        table(
            [
                m.text("col.lever"),
                m.text("col.key"),
                m.text("col.value"),
                m.text("col.unit"),
                m.text("col.source"),
            ],
            table_rows,
            caption=m.text("ro.effects_caption"),
            numeric=(2,),
            classes="assumptions compact",
        )
    )
    names = [k for k, _ in policy_effect_keys(ctx) if f"policy_effects.{k}" in varied]
    fixed = [k for k, _ in policy_effect_keys(ctx) if f"policy_effects.{k}" not in varied]
    body.append(
        paragraph(
            m.html(
                "ro.varied",
                names=", ".join(names) or "—",
                fixed=", ".join(fixed) or "—",
            )
        )
    )
    body.append(paragraph(m.html("ro.discount", rate=m.pct(100 * ctx.rate, 2))))
    return section("rests-on", m.text("sec.rests_on"), "".join(body))


def number_rows(ctx: Context, sections: tuple[str, ...]) -> list[Number]:
    rows = numbers(ctx.params_dir / "baseline.toml", "baseline.toml")
    return [r for r in rows if r.key.split(".")[0] in sections]


def key_cell(key: str) -> Raw:
    """A params key that wraps only at its dots and underscores (never mid-word)."""
    text = esc(key).replace(".", ".<wbr>").replace("_", "_<wbr>")
    return Raw(f"<code>{text}</code>")


def _source(m, row: Number) -> str:
    if row.source_from == "own":
        return row.source
    if row.source_from == "none":
        return m.text("pa.no_source")
    return f"{row.source} [{row.source_from}]"


def glossary(ctx: Context) -> str:
    """Appendix B: the terms."""
    m = ctx.m
    keys = [
        "gl.share", "gl.media_valley", "gl.point", "gl.target", "gl.scenario", "gl.package",
        "gl.lever", "gl.median", "gl.kept", "gl.discounted", "gl.regret", "gl.frontier",
        "gl.st", "gl.paired",
    ]  # fmt: skip
    items = []
    for key in keys:
        term, _, meaning = m.text(key).partition("|")
        items.append((term, esc(meaning)))
    return section(
        "glossary",
        m.text("sec.glossary"),
        paragraph(m.html("gl.intro")) + meta(items),
        appendix=True,
    )


def reproducibility(ctx: Context) -> str:
    """Appendix C: for every store, manifest summary and the commands that reproduce it."""
    m = ctx.m
    body = [paragraph(m.html("rp.intro"))]
    for info in ctx.stores:
        body.append(f"<h3>{esc(info.kind)}: {esc(info.name)}</h3>")
        body.append(_manifest(ctx, info))
    if ctx.calibration is not None:
        body.append(_calibration(ctx))
    body.append(f"<h3>{esc(m.text('rp.this_report'))}</h3>")
    body.append(
        meta(
            [
                (m.text("rp.generated"), esc(ctx.generated)),
                (m.text("rp.command"), f"<code>{esc(ctx.command)}</code>"),
            ]
        )
    )
    return section("reproducibility", m.text("sec.reproducibility"), "".join(body), appendix=True)


CLI = ".venv/bin/mediacluster"  # as installed by `make install` (the README's set-up)


def _manifest(ctx: Context, info: StoreInfo) -> str:
    m = ctx.m
    man = info.manifest
    runs = man.get("runs", {})
    items = [(m.text("rp.folder"), f"<code>{esc(info.path)}</code>")]
    if man.get("description"):
        items.append((m.text("rp.description"), esc(man.get("description", ""))))
    if info.kind in ("sweep", "sensitivity"):
        exp_file = man.get("experiment_file") or "EXPERIMENT.toml"
        rebuilt = shlex.quote(f"{info.path}-rebuilt")
        redo = f"{CLI} {info.kind} {shlex.quote(str(exp_file))} --out {rebuilt}"
        check = f"{CLI} reproduce {shlex.quote(str(info.path))} --sample 20"
        items += [
            (
                m.text("rp.runs"),
                m.html(
                    "rp.runs_value",
                    done=runs.get("done", "?"),
                    planned=runs.get("planned", "?"),
                    failed=runs.get("failed", "?"),
                    status=man.get("status", "?"),
                ),
            ),
            (m.text("rp.seed"), esc(man.get("master_seed", "?"))),
            (m.text("rp.commit"), f"<code>{esc(man.get('git_commit', '?'))}</code>"),
            (m.text("rp.rebuild"), f"<code>{esc(redo)}</code>"),
            (m.text("rp.check"), f"<code>{esc(check)}</code>"),
        ]
    out = meta(items)
    commit = str(man.get("git_commit", ""))
    if info.kind in ("sweep", "sensitivity") and (commit.endswith("+dirty") or not commit):
        out += note(m.html("rp.dirty", commit=commit or "?"), "warning")
    return out


def _calibration(ctx: Context) -> str:
    """The calibration shown in "Grounded in history": folder, seed, commit, the posterior's
    hash and the command that rebuilds it."""
    m = ctx.m
    cal = ctx.calibration
    info = cal.info
    file = info.get("calibration_file") or "CALIBRATION.toml"
    rebuilt = shlex.quote(f"{cal.path}-rebuilt")
    items = [(m.text("rp.folder"), f"<code>{esc(cal.path)}</code>")]
    if info.get("description"):
        items.append((m.text("rp.description"), esc(info["description"])))
    items += [
        (m.text("rp.seed"), esc(info.get("master_seed", "?"))),
        (m.text("rp.commit"), f"<code>{esc(info.get('git_commit', '?'))}</code>"),
        (m.text("rp.posterior_sha"), f"<code>{esc(cal.sha256 or '—')}</code>"),
        (
            m.text("rp.rebuild"),
            f"<code>{esc(f'{CLI} calibrate {shlex.quote(str(file))} --out {rebuilt}')}</code>",
        ),
    ]
    name = info.get("calibration") or cal.path.name
    return f"<h3>calibration: {esc(name)}</h3>" + meta(items)


def parameter_file(ctx: Context, report_name: str) -> str:
    """The linked appendix file: every number in the params files with unit and source."""
    m = ctx.m
    base = ctx.params_dir / "baseline.toml"
    rows = numbers(base, "baseline.toml")
    by_section: dict[str, list[Number]] = defaultdict(list)
    for row in rows:
        by_section[row.key.split(".")[0]].append(row)
    own = sum(1 for r in rows if r.source_from == "own")
    back = Raw(f'<a href="{esc(report_name)}">{esc(report_name)}</a>')
    body = [
        paragraph(m.html("pa.back", link=back)),
        paragraph(m.html("pa.intro", source=Raw(ctx.params_note), n=len(rows), own=own)),
    ]
    headers = [m.text("col.key"), m.text("col.value"), m.text("col.unit"), m.text("col.source")]
    for key, group in by_section.items():
        body.append(
            table(
                headers,
                [[key_cell(r.key), r.value, unit_in(r.unit, m.lang), _source(m, r)] for r in group],
                caption=SECTION_TITLES.get(key, key),
                classes="assumptions compact",
            )
        )
    for folder, title in (("scenarios", "pa.scenario_files"), ("policies", "pa.policy_files")):
        group = []
        for path in sorted((ctx.params_dir / folder).glob("*.toml")):
            group += numbers(path, f"{folder}/{path.name}", fallback=f"storyline of {path.name}")
        group = [r for r in group if not r.key.startswith(("scenario.", "policy.name"))]
        if group:
            body.append(
                table(
                    [m.text("col.file"), *headers],
                    [
                        [
                            r.file.split("/")[-1].removesuffix(".toml"),
                            key_cell(r.key),
                            r.value,
                            unit_in(r.unit, m.lang),
                            _source(m, r),
                        ]
                        for r in group
                    ],
                    caption=m.text(title),
                    classes="assumptions compact with-file",
                )
            )
    return page(m.lang, m.text("pa.title"), "", [], "".join(body), m.text("contents"))
