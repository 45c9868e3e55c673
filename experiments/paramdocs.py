"""What the params files say in their comments: storylines and sources.

``tomllib`` drops comments, so this module reads the files as text:

- :func:`storyline` — the header comment of a scenario or policy file
  (a title line, then the story in words);
- :func:`numbers` — every number in a params file with its key path, unit
  and source comment, for the report's assumptions table. A number without
  a comment of its own takes the comment of the same key in an earlier
  sibling table (the kinds share their weights' comments), else the comment
  block of its table; the row says which (``source_from``).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sim


@dataclass(frozen=True)
class Story:
    """A scenario's or policy package's story from its file's header comment."""

    name: str
    title: str  # the header's first line after the name, e.g. "today's drift continues."
    text: str  # the rest of the header, one paragraph
    description: str  # the [scenario] / [policy] description


@dataclass(frozen=True)
class Number:
    """One number (or driver path) in a params file."""

    file: str
    key: str  # dotted key path, e.g. locations.hilversum.floor_space_m2
    value: str  # as shown, e.g. "155746", "2025: 1 → 2040: 0.85", "unconstrained"
    unit: str
    source: str  # the comment
    source_from: (
        str  # "own" | "as <key>" (same key, sibling table) | "table comment" | "file" | "none"
    )


def header_comment(text: str) -> list[str]:
    """The comment lines at the top of a file (without '#'), up to the first other line."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    return lines


def storyline(path: str | Path) -> Story:
    """The story of a scenario or policy file."""
    path = Path(path)
    return story_from_text(path.stem, sim.read_text(path), path)


def story_from_text(name: str, text: str, source: str | Path = "") -> Story:
    """The story in a params file's text (see :func:`storyline`)."""
    lines = header_comment(text)
    title = ""
    if lines:
        parts = re.split(r"\s+[—–-]+\s+", lines[0], maxsplit=1)
        title = parts[1] if len(parts) == 2 and parts[0].strip() == name else lines[0]
    body = re.sub(r"\s+", " ", " ".join(lines[1:])).strip()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise sim.ParamsError(source or name, None, f"invalid TOML: {err}") from None
    section = data.get("scenario") or data.get("policy") or {}
    return Story(name, title.strip(), body, str(section.get("description", "")))


# ---------------------------------------------------------------- numbers

_HEADER = re.compile(r"^\[\s*([^\]]+?)\s*\]\s*(?:#(.*))?$")
_KEY = re.compile(r"^([A-Za-z0-9_\-]+)\s*=\s*(.*)$")


def split_comment(text: str) -> tuple[str, str]:
    """Split ``value  # comment`` at the first '#' outside a string."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return text[:i].strip(), text[i + 1 :].strip()
    return text.strip(), ""


def numbers(path: str | Path, label: str | None = None, fallback: str = "") -> list[Number]:
    """Every number in a params file, with unit and source comment (see module doc).

    ``fallback`` is the source given to a number with no comment of any
    kind (for scenario and policy files: their storyline).
    """
    path = Path(path)
    return numbers_from_text(sim.read_text(path), label or path.name, path, fallback)


def numbers_from_text(
    text: str, label: str, source: str | Path = "", fallback: str = ""
) -> list[Number]:
    """:func:`numbers` on a file's text."""
    rows: list[Number] = []
    table = ""
    table_comment = ""
    block: list[str] = []  # the comment lines just read
    own_comments: dict[str, str] = {}  # dotted key -> its own comment, for 'same key above'
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            block = []
            continue
        if line.startswith("#"):
            block.append(line.lstrip("#").strip())
            continue
        header = _HEADER.match(line)
        if header:
            table = header.group(1).strip()
            table_comment = " ".join(filter(None, [*block, (header.group(2) or "").strip()]))
            block = []
            continue
        match = _KEY.match(line)
        if not match:
            raise sim.ParamsError(source or label, f"line {lineno}", "cannot read this line")
        key, rest = match.groups()
        value_text, comment = split_comment(rest)
        try:
            value = tomllib.loads(f"v = {value_text}")["v"]
        except tomllib.TOMLDecodeError as err:
            raise sim.ParamsError(
                source or label, f"line {lineno}", f"invalid TOML: {err}"
            ) from None
        dotted = f"{table}.{key}" if table else key
        context = " ".join(block)
        block = []
        for leaf_key, shown in _leaves(dotted, value, table):
            if comment:
                src, how = comment, "own"
            else:
                sibling = _same_key_above(leaf_key, own_comments)
                if sibling:
                    src, how = own_comments[sibling], f"as {sibling}"
                elif context or table_comment:
                    src, how = context or table_comment, "table comment"
                elif fallback:
                    src, how = fallback, "file"
                else:
                    src, how = "", "none"
            rows.append(Number(label, leaf_key, shown, unit_of(leaf_key), src, how))
            if comment:
                own_comments[leaf_key] = comment
    return rows


def _leaves(key: str, value: Any, table: str) -> list[tuple[str, str]]:
    """(key path, shown value) for every number in a value; a driver path is one row."""
    if isinstance(value, bool) or isinstance(value, str):
        return []
    if isinstance(value, int | float):
        return [(key, _fmt(value))]
    if isinstance(value, dict):
        if table == "drivers" and value and all(str(k).isdigit() for k in value):
            path = " → ".join(f"{k}: {_fmt(v)}" for k, v in sorted(value.items()))
            return [(key, path)]
        out = []
        for sub, item in value.items():
            out += _leaves(f"{key}.{sub}", item, table)
        return out
    if isinstance(value, list):
        out = []
        for i, item in enumerate(value):
            out += _leaves(f"{key}[{i}]", item, table)
        return out
    return []


def _fmt(value: float | int) -> str:
    if isinstance(value, float) and math.isinf(value):
        return "unconstrained" if value > 0 else "-inf"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}".replace(",", " ") if abs(value) >= 10000 else str(int(value))
    if isinstance(value, int) and abs(value) >= 10000:
        return f"{value:,}".replace(",", " ")
    return f"{value:g}"


def _same_key_above(key: str, own: dict[str, str]) -> str:
    """The nearest earlier sibling key with its own comment (kinds.A.x for kinds.B.x), or ''."""
    parts = key.split(".")
    if len(parts) < 3:
        return ""
    prefix, leaf = parts[0], ".".join(parts[2:])
    for other in reversed(own):
        bits = other.split(".")
        if len(bits) >= 3 and bits[0] == prefix and ".".join(bits[2:]) == leaf:
            return other
    return ""


# Units by the key's last part (then by its parent for lever tables).
UNITS = {
    "start_year": "year",
    "end_year": "year",
    "seed": "integer",
    "decision_batch": "organisations per batch",
    "logit_scale": "utility units",
    "tipping_threshold": "share (0–1)",
    "mass_jobs": "jobs",
    "rent": "€/m²/yr",
    "talent": "workers",
    "floor_space_m2": "m²",
    "occupancy_2025": "share (0–1)",
    "permission_m2": "m²",
    "development_rate": "share of the gap per year",
    "pipeline_m2": "m² by year of delivery",
    "internal_minutes": "minutes",
    "development_lag_years": "years",
    "development_trigger_occupancy": "share (0–1)",
    "conversion_rate": "share of structural vacancy per year",
    "space_permission_m2": "m²",
    "base_rent": "€/m²/yr",
    "rent_trend": "per year",
    "talent_pool": "workers",
    "facility_quality": "index (0–1)",
    "amenity": "index (0–1)",
    "eg_reference_share": "share (0–1)",
    "count": "organisations",
    "employees_median": "employees",
    "employees_sigma": "log standard deviation",
    "employees_min": "employees",
    "space_per_employee_m2": "m² per employee",
    "students_per_org": "students",
    "rent_weight": "utility units",
    "talent_weight": "utility units",
    "facility_weight": "utility units",
    "amenity_weight": "utility units",
    "moving_cost": "utility units",
    "relocation_hazard": "per year",
    "exit_below_employees": "employees",
    "exit_hazard": "per year",
    "exit_spillover_protection": "per unit of spillover",
    "min_age": "years",
    "rate": "per year",
    "school_programme_years": "years",
    "talent_attrition": "per year",
    "talent_drift": "per year",
    "rent_elasticity": "elasticity",
    "target_occupancy": "share (0–1)",
    "rent_floor_factor": "× base rent",
    "rent_cap_factor": "× base rent",
    "proximity_importance": "multiplier",
    "spillover_decay_minutes": "minutes",
    "facility_importance": "multiplier",
    "public_broadcaster_growth": "growth per year",
    "commercial_broadcaster_growth": "growth per year",
    "production_demand": "growth per year",
    "consolidation_rate": "per year",
    "tech_entry_rate": "share of 2025 firms per year",
    "tech_growth": "growth per year",
    "startup_birth_rate": "share of 2025 start-ups per year",
    "international_pull": "utility units",
    "platform_hub_pull": "utility units",
    "intercity_loss_minutes": "minutes",
    "other_tenant_absorption": "share of structural vacancy per year",
    "public_commercial_cooperation": "utility units (added to γ)",
    "space_expansion_m2_per_year": "m² per year",
    "rent_subsidy": "share of rent",
    "talent_programme_students": "students",
    "innovation_fund_meur_per_year": "M€ per year",
    "shared_facilities": "index points (0–1)",
    "accessibility_minutes_saved": "minutes",
    "campus_amenity": "index points (0–1)",
    "cooperation_programme": "programme points",
    "space_meur_per_m2": "M€ per m²",
    "rent_subsidy_share_paid": "share (0–1)",
    "talent_meur_per_student_year": "M€ per student-year",
    "facilities_meur_per_point_year": "M€ per index point per year",
    "accessibility_meur_per_minute_year": "M€ per minute per year",
    "amenity_meur_per_point_year": "M€ per index point per year",
    "cooperation_meur_per_point_year": "M€ per point per year",
    "discount_rate": "per year",
    "innovation_max_utility": "utility units",
    "innovation_grant_scale_meur": "M€ per firm per year",
    "innovation_grant_cap_meur": "M€ per firm per year",
    "incubation_support_max": "share of hazard",
    "cooperation_gamma_per_point": "utility units (γ) per programme point",
    "bounds": "units of the named key",
}


# The same units in Dutch, for the Dutch report (keyed by the English text).
UNITS_NL = {
    "M€ per firm per year": "M€ per bedrijf per jaar",
    "M€ per index point per year": "M€ per indexpunt per jaar",
    "M€ per minute per year": "M€ per minuut per jaar",
    "M€ per m²": "M€ per m²",
    "M€ per point per year": "M€ per punt per jaar",
    "M€ per student-year": "M€ per studentjaar",
    "M€ per year": "M€ per jaar",
    "elasticity": "elasticiteit",
    "employees": "werknemers",
    "growth per year": "groei per jaar",
    "index (0–1)": "index (0–1)",
    "index points (0–1)": "indexpunten (0–1)",
    "integer": "geheel getal",
    "jobs": "banen",
    "log standard deviation": "standaardafwijking van de logaritme",
    "minutes": "minuten",
    "multiplier": "vermenigvuldiger",
    "m²": "m²",
    "m² by year of delivery": "m² per opleverjaar",
    "m² per employee": "m² per werknemer",
    "m² per year": "m² per jaar",
    "organisations": "organisaties",
    "organisations per batch": "organisaties per groep",
    "per unit of spillover": "per eenheid spillover",
    "per year": "per jaar",
    "programme points": "programmapunten",
    "share (0–1)": "aandeel (0–1)",
    "share of 2025 firms per year": "aandeel van de bedrijven van 2025 per jaar",
    "share of 2025 start-ups per year": "aandeel van de start-ups van 2025 per jaar",
    "share of hazard": "aandeel van de kans",
    "share of rent": "aandeel van de huur",
    "share of structural vacancy per year": "aandeel van de structurele leegstand per jaar",
    "share of the gap per year": "aandeel van het tekort per jaar",
    "students": "studenten",
    "units of the named key": "eenheden van de genoemde sleutel",
    "utility units": "nutseenheden",
    "utility units (added to γ)": "nutseenheden (opgeteld bij γ)",
    "utility units (γ)": "nutseenheden (γ)",
    "utility units (γ) per programme point": "nutseenheden (γ) per programmapunt",
    "workers": "werkenden",
    "year": "jaar",
    "years": "jaren",
    "× base rent": "× basishuur",
    "—": "—",
    "€/m²/yr": "€/m²/jaar",
}


def unit_in(unit: str, lang: str) -> str:
    """A unit of :func:`unit_of` in the report's language (English if no Dutch is known)."""
    return UNITS_NL.get(unit, unit) if lang == "nl" else unit


def unit_of(key: str) -> str:
    """The unit of a params key path ('—' if none is known)."""
    parts = [p.split("[")[0] for p in key.split(".")]
    top, leaf = parts[0], parts[-1]
    if top == "travel_minutes":
        return "minutes"
    if top == "spillover":
        return "utility units (γ)"
    if top == "kinds" and len(parts) >= 4 and parts[2] == "shares_2025":
        return "share (0–1)"
    if top == "kinds" and len(parts) >= 4 and parts[2] == "asc":
        return "utility units"
    if top == "policy" and leaf == "value" and len(parts) >= 3:
        return UNITS.get(parts[-2], "—")
    return UNITS.get(leaf, "—")
