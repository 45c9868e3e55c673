"""The report's message catalogue: every message in both languages, with the same fields,
and every message the report's code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from experiments.report.messages import LANGUAGES, MESSAGES, Messages, fields

REPORT = Path(__file__).resolve().parent.parent / "experiments" / "report"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
    for lang in LANGUAGES:
        assert entry[lang].strip(), f"{key}: empty in {lang}"
    assert fields(entry["en"]) == fields(entry["nl"]), key
    if "|" in entry["en"]:  # glossary entries: term|meaning in both
        assert entry["nl"].count("|") == entry["en"].count("|") == 1, key


def test_every_message_the_code_asks_for_exists():
    used = set()
    pattern = re.compile(r"""\bm\.(?:text|html|has)\(\s*["']([a-z_.]+)["']""")
    for path in REPORT.glob("*.py"):
        used |= set(pattern.findall(path.read_text()))
    assert len(used) > 60  # the scan finds the calls (a broken pattern would find none)
    assert sorted(used - set(MESSAGES)) == []


def test_numbers_follow_the_language():
    en, nl = Messages("en"), Messages("nl")
    assert en.num(12345.678, 1) == "12,345.7" and nl.num(12345.678, 1) == "12.345,7"
    assert en.pct(32.44) == "32.4%" and nl.pct(32.44) == "32,4%"
    assert nl.num(-1.25, 2) == "−1,25"
    assert en.meur(655.4) == "655 M€" and nl.meur(23.26) == "23,3 M€"
    assert en.join(["a", "b", "c"]) == "a, b and c" and nl.join(["a", "b"]) == "a en b"
    assert en.lever_amount("rent_subsidy", 0.2) == "20% of rent"
    assert nl.lever_amount("innovation_fund_meur_per_year", 10.0) == "10 M€ per jaar"


def test_values_are_escaped_in_html_but_not_in_figure_text():
    m = Messages("en")
    assert "&lt;b&gt;" in m.html("ch.scenario_caption", scenario="<b>")
    assert m.text("ch.scenario_caption", scenario="<b>") == "Scenario <b>"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        Messages("de")


def test_every_unit_of_the_shipped_params_has_a_dutch_name():
    """The Dutch report's parameter tables give units in Dutch: every unit any shipped
    params key has (baseline, scenarios, policies, history) must be in UNITS_NL."""
    from pathlib import Path

    from experiments.paramdocs import UNITS_NL, numbers, unit_in

    params = Path(__file__).resolve().parents[1] / "params"
    # params files of the model (history's patterns and calibration files are not params)
    files = [
        params / "baseline.toml",
        params / "history" / "2010.toml",
        *sorted((params / "scenarios").glob("*.toml")),
        *sorted((params / "policies").glob("*.toml")),
    ]
    units = {r.unit for f in files for r in numbers(f, f.name)}
    assert units, "no units read"
    missing = sorted(u for u in units if u not in UNITS_NL)
    assert not missing, missing
    assert unit_in("per year", "nl") == "per jaar" and unit_in("per year", "en") == "per year"
