"""``mediacluster report``: one self-contained report HTML (and its parameter appendix file)
from results stores, in English or Dutch."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path

import sim

from ..engine.store import check_writable
from . import appendix, grounded, intro, results, sensitivity
from .answer import DEFAULT_DISCOUNT_RATE
from .context import Context
from .html import esc, page
from .messages import Messages
from .stores import open_stores

# (anchor, title message, renderer); the last three are appendices (after the main body)
SECTIONS = [
    ("summary", "sec.summary", intro.summary),
    ("question", "sec.question", intro.question),
    ("scenarios", "sec.scenarios", intro.scenarios),
    ("comparison", "sec.comparison", results.comparison),
    ("choice", "sec.choice", results.choice),
    ("levers", "sec.levers", sensitivity.levers),
    ("rests-on", "sec.rests_on", appendix.rests_on),
    ("grounded", "sec.grounded", grounded.grounded),  # only with a calibration
    ("methods", "sec.methods", sensitivity.methods),
    ("glossary", "sec.glossary", appendix.glossary),
    ("reproducibility", "sec.reproducibility", appendix.reproducibility),
]


def report_name(lang: str) -> str:
    """report.html (English) or report_nl.html: both can live in one store."""
    return "report.html" if lang == "en" else f"report_{lang}.html"


def params_name(out: Path) -> str:
    """The linked parameter appendix next to the report: report_parameters[_nl].html."""
    return out.stem + "_parameters.html"


def build_report(
    paths: list[str | Path],
    out: str | Path | None = None,
    command: str | None = None,
    lang: str = "en",
    target: float | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    hindcast: str | Path | None = None,
) -> Path:
    """Write the report of the given stores (and its parameter appendix file beside it);
    return the report's path.

    ``target``: Hilversum's final-year share to keep, in percent (default: its share in
    the first year); ``discount_rate``: yearly, as a fraction; ``hindcast``: a calibration
    folder to show (default: found from the stores, see :mod:`.hindcast`). Bad input (a folder that
    is not a store, …) raises :class:`sim.ParamsError` before anything is written.
    """
    m = Messages(lang)
    stores = open_stores(paths)
    sweeps = [s.path for s in stores if s.kind == "sweep"]
    out = (
        Path(out)
        if out is not None
        else (sweeps[0] if sweeps else Path(paths[0])) / report_name(lang)
    )
    if out.is_dir():
        raise sim.ParamsError(out, None, "is a folder; give the report's file name (--out FILE)")
    check_writable(out.parent)  # before any figure is drawn into a store
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    command = command or "mediacluster report " + " ".join(shlex.quote(str(p)) for p in paths)
    ctx = Context.build(stores, command, generated, m, target, discount_rate, hindcast)
    ctx.params_file = params_name(out)
    parts = [(anchor, key, render(ctx)) for anchor, key, render in SECTIONS]
    parts = [p for p in parts if p[2]]  # a section with nothing to show is left out
    body = "".join(html for _, _, html in parts)
    folders = ", ".join(f"<code>{esc(s.path)}</code>" for s in stores)
    subtitle = m.html("subtitle", stores=_raw(folders), generated=generated)
    toc = [(anchor, _title(ctx, key)) for anchor, key, _ in parts]
    html = page(lang, m.text("title"), subtitle, toc, body, m.text("contents"))
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(out, html)
    _write(out.with_name(ctx.params_file), appendix.parameter_file(ctx, out.name))
    return out


def _title(ctx: Context, key: str) -> str:
    if key == "sec.scenarios":
        return ctx.m.text(key, n_scenarios=len(ctx.scenarios), n_policies=len(ctx.policies))
    return ctx.m.text(key)


def _raw(text: str):
    from .html import Raw

    return Raw(text)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def command_line() -> str:
    """The command as typed (for the reproducibility block)."""
    return " ".join(shlex.quote(a) for a in ["mediacluster", *sys.argv[1:]])
