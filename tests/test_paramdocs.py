"""Storylines and the assumptions table read from the params files' comments."""

from __future__ import annotations

import tomllib

import pytest

import sim
from experiments.paramdocs import numbers, numbers_from_text, split_comment, storyline

from .conftest import BASELINE

PARAMS = BASELINE.parent


def _leaf_numbers(tree, prefix="", table=""):
    """Key paths of every number in a parsed TOML tree (a driver path counts once)."""
    out = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, bool) or isinstance(value, str):
            continue
        if isinstance(value, int | float):
            out.add(path)
        elif isinstance(value, dict):
            if prefix == "drivers." and value:
                out.add(path)
            else:
                out |= _leaf_numbers(value, path + ".")
        elif isinstance(value, list):
            out |= {f"{path}[{i}]" for i, v in enumerate(value) if isinstance(v, int | float)}
    return out


@pytest.mark.parametrize(
    "path",
    [BASELINE]
    + sorted((PARAMS / "scenarios").glob("*.toml"))
    + sorted((PARAMS / "policies").glob("*.toml")),
    ids=lambda p: p.stem,
)
def test_every_number_is_listed_once_with_a_unit(path):
    rows = numbers(path)
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == _leaf_numbers(tomllib.loads(path.read_text()))
    assert [r.key for r in rows if r.unit == "—"] == []


def test_baseline_sources_are_comments_and_say_where_they_came_from():
    rows = {r.key: r for r in numbers(BASELINE)}
    own = rows["locations.hilversum.floor_space_m2"]
    assert (own.source, own.source_from) == ("Media Park owned stock (2019)", "own")
    tech = rows["kinds.tech_firm.rent_weight"]
    assert tech.source_from == "own" and "assumption" in tech.source
    # a number without a comment borrows the comment of the same key in an earlier table
    text = "[kinds.a]\nw = 1.0  # α. assumption\n[kinds.b]\nw = 2.0\n"
    inherited = {r.key: r for r in numbers_from_text(text, "x.toml")}["kinds.b.w"]
    assert (inherited.source_from, inherited.source) == ("as kinds.a.w", "α. assumption")
    assert rows["locations.rest_nl.floor_space_m2"].value == "unconstrained"
    assert rows["drivers.proximity_importance"].value == "2025: 1"
    assert rows["travel_minutes.hilversum.amsterdam"].unit == "minutes"


def test_scenario_paths_are_one_row_with_the_storyline_as_fallback():
    rows = {r.key: r for r in numbers(PARAMS / "scenarios" / "trend.toml", fallback="story")}
    assert rows["drivers.proximity_importance"].value == "2025: 1 → 2040: 0.85"
    assert rows["drivers.tech_growth"].source_from == "own"  # every scenario number has a comment
    # a number with no comment of any kind gets the fallback (the storyline)
    bare = {
        r.key: r
        for r in numbers_from_text("[drivers]\nx = { 2025 = 1.0 }\n", "s", fallback="story")
    }
    assert (bare["drivers.x"].source, bare["drivers.x"].source_from) == ("story", "file")


def test_comment_split_ignores_hash_in_strings():
    assert split_comment('"a # b"  # real') == ('"a # b"', "real")
    assert split_comment("1.0") == ("1.0", "")


def test_unreadable_line_is_a_params_error():
    with pytest.raises(sim.ParamsError, match="line 2"):
        numbers_from_text("[run]\nthis is not toml\n", "x.toml")


@pytest.mark.parametrize(
    "path", sorted((PARAMS / "scenarios").glob("*.toml")), ids=lambda p: p.stem
)
def test_each_scenario_tells_its_story(path):
    story = storyline(path)
    assert story.title and len(story.text) > 80 and story.description
    assert not story.title.startswith(path.stem)
