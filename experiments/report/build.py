"""``mediacluster report``: one self-contained report.html from results stores."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path

import sim

from ..engine.store import check_writable
from . import appendix, intro, results, sensitivity
from .context import Context
from .html import esc, page
from .stores import open_stores

TITLE = "Media Valley 2040: scenarios and robust policy for Hilversum"
SECTIONS = [
    ("summary", "Summary", intro.summary),
    ("question", "The question and how to read this report", intro.question),
    ("scenarios", "The five scenarios and the policy packages", intro.scenarios),
    ("comparison", "The scenarios compared", results.comparison),
    ("robustness", "Which policy package holds up", results.robustness_section),
    ("sensitivity", "Which levers matter", sensitivity.sensitivity),
    ("assumptions", "Assumptions", appendix.assumptions),
    ("reproducibility", "Reproducibility", appendix.reproducibility),
]


def default_output(paths: list[str | Path]) -> Path:
    """report.html in the first sweep store given (DESIGN §8), else in the first folder."""
    return Path(paths[0]) / "report.html"


def build_report(
    paths: list[str | Path], out: str | Path | None = None, command: str | None = None
) -> Path:
    """Write the report of the given stores; return its path.

    Bad input (a folder that is not a sweep or sensitivity store, …) raises
    :class:`sim.ParamsError` before anything is written.
    """
    stores = open_stores(paths)
    sweeps = [s.path for s in stores if s.kind == "sweep"]
    out = (
        Path(out)
        if out is not None
        else (sweeps[0] / "report.html" if sweeps else default_output(paths))
    )
    if out.is_dir():
        raise sim.ParamsError(out, None, "is a folder; give the report's file name (--out FILE)")
    check_writable(out.parent)  # before any figure is drawn into a store
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    command = command or "mediacluster report " + " ".join(shlex.quote(str(p)) for p in paths)
    ctx = Context.build(stores, command, generated)
    body = "".join(render(ctx) for _, _, render in SECTIONS)
    folders = ", ".join(f"<code>{esc(s.path)}</code>" for s in stores)
    subtitle = f"Generated {esc(generated)} from {folders}."
    html = page(TITLE, subtitle, [(a, t) for a, t, _ in SECTIONS], body)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return out


def command_line() -> str:
    """The command as typed (for the reproducibility block)."""
    return " ".join(shlex.quote(a) for a in ["mediacluster", *sys.argv[1:]])
