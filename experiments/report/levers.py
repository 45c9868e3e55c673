"""What each lever does, in one sentence, from a sensitivity study's paired lever effects.

The sensitivity study (issue 13) writes ``lever_effects.csv``:
``scenario, outcome, year, lever, effect, conf_low, conf_high`` — per scenario,
the paired effect on the outcome of turning one lever from off to the top of its
range, the rest of each run (futures, seeds) held the same, with its 95%
interval. The effect is in the outcome's units: for the share, a fraction, shown
here in points (× 100).

Per lever, over the scenarios of the final year of the main outcome:

- every scenario's interval above 0 → "raises … by x points [a–b] across futures"
  (x the median effect over the scenarios; a, b the lowest lower and highest upper
  bound, so the interval covers every scenario's);
- every interval below 0 → "lowers …";
- every interval containing 0 → "no clear effect";
- some above (or below) and the rest containing 0 → "raises it in S1, S2 and has no
  clear effect in S3"; a lever that raises in one scenario and lowers in another is
  reported as no clear effect overall with the per-scenario values.

The lever's human name and range come from the study's ``factors.csv`` (``factor,
keys, low, high``) where it lists the lever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import sim

from .messages import Messages, Raw

MAIN_OUTCOME = "hilversum_jobs_share"
SHARE_OUTCOMES = ("hilversum_jobs_share", "hilversum_orgs_share", "media_valley_jobs_share")


@dataclass
class LeverEffect:
    """One lever over the scenarios (points)."""

    lever: str  # the study's factor name
    key: str | None  # the params lever (sim.LEVERS) it sets, if known
    low: float | None  # range tried
    high: float | None
    per_scenario: pd.DataFrame  # scenario, effect, conf_low, conf_high (points)

    @property
    def verdict(self) -> str:
        """'raises', 'lowers', 'unclear' or 'mixed' / 'mixed_lower'."""
        up = self.per_scenario["conf_low"] > 0
        down = self.per_scenario["conf_high"] < 0
        if up.all():
            return "raises"
        if down.all():
            return "lowers"
        if up.any() and not down.any():
            return "mixed"
        if down.any() and not up.any():
            return "mixed_lower"
        return "unclear"

    @property
    def effect(self) -> float:
        return float(self.per_scenario["effect"].median())

    @property
    def conf(self) -> tuple[float, float]:
        return float(self.per_scenario["conf_low"].min()), float(
            self.per_scenario["conf_high"].max()
        )


def read_lever_effects(folder: Path) -> tuple[int, list[LeverEffect]] | None:
    """(year, effects per lever) of the main outcome's final year, or None if the study
    wrote no lever_effects.csv."""
    path = folder / "lever_effects.csv"
    if not path.is_file():
        return None
    rows = pd.read_csv(path)
    outcomes = list(dict.fromkeys(rows["outcome"].astype(str)))
    if not outcomes:
        return None
    outcome = MAIN_OUTCOME if MAIN_OUTCOME in outcomes else outcomes[0]
    rows = rows[rows["outcome"].astype(str) == outcome]
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year].copy()
    if outcome in SHARE_OUTCOMES:
        for col in ("effect", "conf_low", "conf_high"):
            rows[col] = 100 * rows[col]
    factors = _factors(folder)
    out = []
    for lever in dict.fromkeys(rows["lever"].astype(str)):
        part = rows[rows["lever"].astype(str) == lever]
        key, low, high = factors.get(lever, (_lever_key(lever), None, None))
        per = part[["scenario", "effect", "conf_low", "conf_high"]].reset_index(drop=True)
        out.append(LeverEffect(lever, key, low, high, per))
    return year, out


def _factors(folder: Path) -> dict[str, tuple[str | None, float | None, float | None]]:
    path = folder / "factors.csv"
    if not path.is_file():
        return {}
    f = pd.read_csv(path)
    out = {}
    for r in f.itertuples():
        keys = str(getattr(r, "keys", "") or getattr(r, "key", ""))
        out[str(r.factor)] = (_lever_key(keys), float(r.low), float(r.high))
    return out


def _lever_key(text: str) -> str | None:
    """The sim lever a factor name or params key refers to."""
    for lever in sim.LEVERS:
        if f"policy.{lever}." in f"{text}." or text == lever or lever.startswith(f"{text}_"):
            return lever
    return None


def lever_name(m: Messages, e: LeverEffect) -> str:
    """The lever's human name, capitalised."""
    name = m.lever(e.key) if e.key else e.lever.replace("_", " ")
    return name[:1].upper() + name[1:]


def lever_range(m: Messages, e: LeverEffect) -> str:
    """'0 to 20 M€ a year' (or '' without factors.csv)."""
    if e.low is None or e.high is None or not e.key:
        return ""
    low = 100 * e.low if e.key == "rent_subsidy" else e.low  # rent support is shown in %
    low_text = m.num(low, 0 if float(low).is_integer() else 2)
    return m.text("range", low=low_text, high=m.lever_amount(e.key, e.high))


def sentence(m: Messages, e: LeverEffect, year: int) -> str:
    """The lever's sentence in HTML."""
    low, high = e.conf
    per = e.per_scenario
    values = {
        "lever": lever_name(m, e),
        "range": lever_range(m, e) or "—",
        "year": year,
        "effect": _signed(m, e.effect),
        "low": _signed(m, low),
        "high": _signed(m, high),
    }
    verdict = e.verdict
    if verdict in ("mixed", "mixed_lower"):
        clear = per["conf_low"] > 0 if verdict == "mixed" else per["conf_high"] < 0
        values["raised"] = Raw(m.join([f"<i>{_esc(s)}</i>" for s in per.loc[clear, "scenario"]]))
        values["others"] = Raw(m.join([f"<i>{_esc(s)}</i>" for s in per.loc[~clear, "scenario"]]))
        return m.html("lv.mixed" if verdict == "mixed" else "lv.mixed_lower", **values)
    if len(per) == 1:
        values["where"] = Raw(m.html("lv.where_one", scenario=per["scenario"].iloc[0]))
    else:
        listed = ", ".join(
            f"<i>{_esc(r.scenario)}</i> {_signed(m, r.effect)}" for r in per.itertuples()
        )
        values["where"] = Raw(m.html("lv.where_all", n=len(per), values=Raw(listed)))
    if verdict == "raises":
        values["effect"] = m.num(abs(e.effect), 1)
        return m.html("lv.raises", **values)
    if verdict == "lowers":
        values["effect"] = m.num(abs(e.effect), 1)
        return m.html("lv.lowers", **values)
    return m.html("lv.unclear", **values)


def _signed(m: Messages, value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return ("+" if value > 0 else "") + m.num(value, 1)


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))
