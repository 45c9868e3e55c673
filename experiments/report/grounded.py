"""'Grounded in history' (main body): the 2010–2025 hindcast's fit and what it taught
about the behavioural weights, and page one's line on where those weights come from.

Reads a calibration found by :mod:`.hindcast`. The verdict per parameter comes from
its ``sd_ratio`` (posterior sd / prior sd): below :data:`INFORMED` history informs
it; from there to :data:`NARROWED` history narrows it somewhat; above, history does
not pin it down (a posterior about as wide as the prior: what the data cannot say).
"""

from __future__ import annotations

import math

from . import figures
from .context import Context
from .hindcast import Calibration
from .html import Raw, esc, figure, note, paragraph, section, table

# sd_ratio thresholds (docs/report.md): a posterior sd below 70% of the prior's is a
# clear narrowing (a uniform prior cut to ~70% of its width); 0.7–0.9 is a narrowing
# that 200 particles resolve but that hardly moves a study; above 0.9 the posterior is as
# wide as the prior within the sampling error of a weighted sd with ESS ≈ 170 (~5–10%).
INFORMED = 0.7
NARROWED = 0.9


def verdict(sd_ratio: float) -> str:
    """'informed', 'narrowed' or 'open' (history does not pin it down) from the sd ratio."""
    if not math.isfinite(sd_ratio):
        return "open"
    if sd_ratio < INFORMED:
        return "informed"
    return "narrowed" if sd_ratio < NARROWED else "open"


def grounded(ctx: Context) -> str:
    """The section, or nothing when no calibration was found."""
    cal = ctx.calibration
    m = ctx.m
    if cal is None:
        if not ctx.posterior_problems:
            return ""
        body = "".join(_problems(ctx))
        return section("grounded", m.text("sec.grounded"), body)
    start, end = cal.years
    n = len(cal.fit)
    pops = cal.info.get("populations", [])
    body = [
        paragraph(
            m.html(
                "hc.intro",
                start=start,
                end=end,
                n=n,
                populations=len(pops) or "?",
                particles=cal.info.get("particles", "?"),
                simulations=m.num(cal.simulations, 0) if cal.simulations else "?",
                k=cal.within,
            )
        )
    ]
    body += _problems(ctx)
    if cal.info.get("status") not in (None, "complete"):
        body.append(note(m.html("hc.incomplete", status=cal.info.get("status")), "warning"))
    body.append(fit_table(ctx, cal))
    outside = cal.fit[~cal.fit["within"]]
    if len(outside):
        names = [pattern_label(ctx, str(t)) for t in outside["target"]]
        body.append(paragraph(m.html("hc.outside", names=m.join(names))))
    body.append(
        figure(
            figures.prior_posterior(_rows(ctx, cal), m),
            ".svg",
            m.html("hc.fig.caption", informed=m.num(INFORMED, 1)),
            m.text("hc.fig.title"),
        )
    )
    body.append(parameter_table(ctx, cal))
    body.append(paragraph(transfer_line(ctx, cal)))
    body.append(paragraph(m.html(f"hc.found.{cal.how}", path=str(cal.path))))
    return section("grounded", m.text("sec.grounded"), "".join(body))


def _problems(ctx: Context) -> list[str]:
    """A warning per store whose named posterior is missing or is not the one shown."""
    m = ctx.m
    out = []
    shown = ctx.calibration.sha256 if ctx.calibration and ctx.calibration.sha256 else "—"
    for store, path, sha, problem in ctx.posterior_problems:
        key = "hc.missing" if problem == "missing" else "hc.mismatch"
        out.append(
            note(
                m.html(key, store=store, path=path, sha=sha[:12] or "—", shown=shown[:12]),
                "warning",
            )
        )
    return out


def pattern_label(ctx: Context, target: str) -> str:
    """A pattern's human name: the catalogue's (both languages), else patterns.toml's
    ``label``, else the target name."""
    key = f"pattern.{target}"
    if ctx.m.has(key):
        return ctx.m.text(key)
    entry = ctx.calibration.patterns.get(target, {}) if ctx.calibration else {}
    return str(entry.get("label") or target.replace("_", " "))


def parameter_label(ctx: Context, name: str, capital: bool = False) -> str:
    """A calibrated parameter's human name (catalogue, else its name), lower case for use
    in a sentence; ``capital``: first letter upper case (tables, figure)."""
    key = f"par.{name}"
    label = ctx.m.text(key) if ctx.m.has(key) else name.replace("_", " ")
    return label[:1].upper() + label[1:] if capital else label


def _pct(ctx: Context, value: float, signed: bool) -> str:
    """A fraction in % (one decimal); '+' before a positive change."""
    text = ctx.m.pct(100 * float(value), 1)
    return "+" + text if signed and float(value) > 0 else text


def fit_table(ctx: Context, cal: Calibration) -> str:
    """Each pattern: observed, tolerance, simulated median and 5–95%, within or not."""
    m = ctx.m
    rows = []
    for r in cal.fit.itertuples():
        entry = cal.patterns.get(str(r.target), {})
        change = entry.get("statistic", "change" if "change" in str(r.target) else "value")
        signed = change == "change"
        rows.append(
            [
                pattern_label(ctx, str(r.target)),
                _pct(ctx, r.observed, signed),
                m.text("range", low=_pct(ctx, r.low, signed), high=_pct(ctx, r.high, signed)),
                _pct(ctx, r.sim_median, signed),
                m.text(
                    "range", low=_pct(ctx, r.sim_p05, signed), high=_pct(ctx, r.sim_p95, signed)
                ),
                m.text("hc.yes") if r.within else Raw(f"<b>{esc(m.text('hc.no'))}</b>"),
            ]
        )
    return table(
        [
            m.text("col.pattern"),
            m.text("col.observed"),
            m.text("col.tolerance"),
            m.text("col.sim_median"),
            m.text("col.sim_band"),
            m.text("col.within"),
        ],
        rows,
        caption=m.text("hc.fit_caption", k=cal.within, n=len(cal.fit)),
        numeric=(1, 3),
        classes="compact",
    )


def _mode(cal: Calibration, name: str) -> str:
    spec = cal.info.get("parameters", {}).get(name, {})
    return str(spec.get("mode", "scale")) if isinstance(spec, dict) else "scale"


def _rows(ctx: Context, cal: Calibration) -> list[dict]:
    """What the figure draws per parameter: labels, prior range, posterior points."""
    out = []
    for r in cal.summary.itertuples():
        name = str(r.parameter)
        label = parameter_label(ctx, name, capital=True)
        if _mode(cal, name) != "scale":
            label += " " + ctx.m.text("hc.fig.value")
        if cal.transfer and not cal.transfer.get(name, True):
            label += " " + ctx.m.text("hc.fig.history_only")
        out.append(
            {
                "label": label,
                "prior": (float(r.prior_low), float(r.prior_high)),
                "posterior": (
                    float(r.posterior_p05),
                    float(r.posterior_median),
                    float(r.posterior_p95),
                ),
                "verdict": verdict(float(r.sd_ratio)),
            }
        )
    return out


def parameter_table(ctx: Context, cal: Calibration) -> str:
    """Each parameter: prior range, posterior median and 90% interval, verdict, transfer."""
    m = ctx.m
    rows = []
    for r in cal.summary.itertuples():
        name = str(r.parameter)
        times = "×" if _mode(cal, name) == "scale" else ""
        transfer = cal.transfer.get(name)
        rows.append(
            [
                parameter_label(ctx, name, capital=True),
                m.text("range", low=times + m.num(r.prior_low, 2), high=m.num(r.prior_high, 2)),
                times + m.num(r.posterior_median, 2),
                m.text("range", low=m.num(r.posterior_p05, 2), high=m.num(r.posterior_p95, 2)),
                m.num(r.sd_ratio, 2),
                m.text(f"hc.verdict.{verdict(float(r.sd_ratio))}"),
                "—" if transfer is None else m.text("hc.yes" if transfer else "hc.transfer_no"),
            ]
        )
    return table(
        [
            m.text("col.parameter"),
            m.text("col.prior_range"),
            m.text("col.post_median"),
            m.text("col.post_interval"),
            m.text("col.sd_ratio"),
            m.text("col.history_says"),
            m.text("col.transfers"),
        ],
        rows,
        caption=m.text("hc.param_caption"),
        numeric=(2, 4),
        classes="compact",
    )


def transfer_line(ctx: Context, cal: Calibration) -> str:
    """Which parameters a 2040 study naming this posterior draws, and which it leaves."""
    m = ctx.m
    names = list(cal.summary["parameter"].astype(str))
    if not cal.transfer:
        return m.html("hc.transfer_unknown")
    moved = [parameter_label(ctx, n) for n in names if cal.transfer.get(n, True)]
    stay = [parameter_label(ctx, n) for n in names if not cal.transfer.get(n, True)]
    return m.html(
        "hc.transfer_line",
        moved=m.join(moved) or "—",
        stay=m.join(stay) or "—",
    )


def weights_line(ctx: Context) -> str:
    """Page one: whether the stores' behavioural weights are defaults or from a posterior,
    and — if defaults and a calibration is shown — whether history narrowed them."""
    m = ctx.m
    infos = [s.info for s in ctx.sweeps] + ctx.studies
    drawn = [i.name for i in infos if i.manifest.get("posterior")]
    default = [i.name for i in infos if not i.manifest.get("posterior")]
    section_title = m.text("sec.grounded")
    if drawn and default:
        return m.html("sum.weights_mixed", drawn=m.join(drawn), default=m.join(default))
    if drawn:
        return m.html("sum.weights_posterior", section=section_title)
    line = m.html("sum.weights_default")
    cal = ctx.calibration
    if cal is None:
        return line + " " + m.html("sum.weights_no_calibration")
    names = [
        str(r.parameter)
        for r in cal.summary.itertuples()
        if not cal.transfer or cal.transfer.get(str(r.parameter), True)
    ]
    ratio = dict(zip(cal.summary["parameter"].astype(str), cal.summary["sd_ratio"], strict=True))
    narrowed = [parameter_label(ctx, n) for n in names if verdict(float(ratio[n])) == "informed"]
    still = [parameter_label(ctx, n) for n in names if verdict(float(ratio[n])) != "informed"]
    if not narrowed:
        return line + " " + m.html("sum.weights_not_narrowed", section=section_title)
    return (
        line
        + " "
        + m.html(
            "sum.weights_some_narrowed",
            narrowed=m.join(narrowed),
            still=m.join(still) or "—",
            section=section_title,
        )
    )
