"""The explorer model and sweep reference, without a browser: levers act from next year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path as MplPath

import sim
from experiments.engine.design import seed_of
from experiments.explorer import geography, policy_mix, views
from experiments.explorer.model import LEVER_SLIDERS, ExplorerModel
from experiments.explorer.reference import SweepReference
from experiments.paramdocs import numbers, storyline
from experiments.sweep.pipeline import run_sweep

from .conftest import BASELINE
from .sweep_helpers import write_experiment


@pytest.mark.parametrize("package", ["none", "all-in"])
def test_unmoved_explorer_equals_the_model(package):
    a = ExplorerModel("trend", package, seed=4).run().outcomes()
    b = sim.MediaClusterModel(sim.load_params(BASELINE, "trend", package), seed=4).run().outcomes()
    pd.testing.assert_frame_equal(a, b)


def test_a_moved_lever_acts_from_the_next_year():
    m = ExplorerModel("trend", "none", seed=2)
    m.step()  # 2026
    m.set_lever("campus_amenity", 0.3)
    assert m.lever_start("campus_amenity") == 2027
    assert m.recorder.row["policy_cost_meur"] == 0.0  # 2026 is already done
    m.step()  # 2027
    assert m.amenity[m.home] == pytest.approx(m.amenity_0[m.home] + 0.3)
    assert m.recorder.row["policy_cost_meur"] == pytest.approx(0.3 * 20.0)


def test_a_package_lever_keeps_its_later_start_until_moved():
    m = ExplorerModel("trend", "campus-plus", seed=2)
    assert m.lever_start("space_expansion_m2_per_year") == 2027
    m.set_lever("cooperation_programme", 0.1)  # another lever: no effect on space's start
    assert m.lever_start("space_expansion_m2_per_year") == 2027


def test_started_floor_space_is_built_when_the_lever_is_turned_down():
    m = ExplorerModel("trend", "none", seed=2)
    lag = m.params.space.development_lag_years
    m.set_lever("space_expansion_m2_per_year", 5000.0)
    m.step()  # 2026: 5,000 m² started
    m.step()  # 2027: 5,000 m² more
    assert m.recorder.row["space_pipeline_m2_hilversum"] == 10000.0  # trend: no private starts
    m.set_lever("space_expansion_m2_per_year", 0.0)
    m.step()
    assert m.recorder.row["space_pipeline_m2_hilversum"] == 10000.0  # nothing new, nothing lost
    stock = m.recorder.row["space_stock_m2_hilversum"]
    while m.year < 2026 + lag + 1:
        m.step()
    # both projects delivered (minus conversion of empty space, which only shrinks the stock;
    # trend's NPO cut empties some offices, ≈ 1,200 m² converted by then)
    assert m.recorder.row["space_pipeline_m2_hilversum"] == 0.0
    assert 8000.0 < m.recorder.row["space_stock_m2_hilversum"] - stock <= 10000.0


def test_moving_a_lever_leaves_other_models_alone():
    moved = ExplorerModel("trend", "campus-plus", seed=1)
    moved.set_lever("campus_amenity", 0.35)
    fresh = ExplorerModel("trend", "campus-plus", seed=1)
    assert fresh.lever_value("campus_amenity") == 0.2  # the package's value
    assert sim.load_params(BASELINE, "trend", "campus-plus").policy.campus_amenity.value == 0.2


def test_unknown_lever_is_refused():
    with pytest.raises(ValueError, match="unknown lever"):
        ExplorerModel().set_lever("free_money", 1.0)


def test_sliders_cover_every_lever_and_every_package():
    assert [s.name for s in LEVER_SLIDERS] == list(sim.LEVERS)
    for package in sim.available(BASELINE.parent, "policies"):
        policy = sim.load_params(BASELINE, policy=package).policy
        for s in LEVER_SLIDERS:
            assert getattr(policy, s.name).value <= s.max, (package, s.name)


def test_reference_explains_a_missing_store(tmp_path):
    ref = SweepReference(tmp_path / "nothing")
    assert not ref.available and ref.path("trend", "none") is None
    assert "no sweep store" in ref.problem
    (tmp_path / "plain").mkdir()
    assert "not a results store" in SweepReference(tmp_path / "plain").problem


def test_reference_median_paths_from_a_stored_sweep(tmp_path):
    exp = write_experiment(tmp_path, scenarios=["trend"], policies=["none"], replications=3)
    run_sweep(exp, out=tmp_path / "store", workers=1, progress=False, figures=False)
    ref = SweepReference(tmp_path / "store")
    used, band = ref.path("trend", "all-in")  # not in the sweep: falls back to 'none'
    assert used == "none"
    assert list(band["year"]) == [2025, 2026, 2027]
    assert (band["runs"] == 3).all()
    assert (band["p05"] <= band["median"]).all() and (band["median"] <= band["p95"]).all()
    shares = [
        sim.MediaClusterModel(
            sim.load_params(BASELINE, "trend", "none", {"run.end_year": 2027}), seed=int(seed)
        )
        .run()
        .outcomes()["hilversum_jobs_share"]
        .iloc[-1]
        for seed in pd.read_parquet(tmp_path / "store" / "design.parquet")["seed"]
    ]
    assert band["median"].iloc[-1] == pytest.approx(np.median(shares))
    assert ref.path("cloud-commons", "none") is None


def test_views_draw_every_location_and_the_run():
    m = ExplorerModel(seed=3)
    m.step()
    fig = views.location_map(m)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    for name in ("Hilversum", "Amsterdam", "Utrecht", "Rest of NL", "Abroad"):
        assert name in texts
    chart = views.share_chart(m.outcomes(), 2025, 2040)
    (line,) = chart.axes[0].get_lines()
    assert list(line.get_xdata()) == [2025, 2026]
    assert line.get_ydata()[-1] == pytest.approx(100 * m.recorder.row["hilversum_jobs_share"])


def test_places_are_drawn_at_their_coordinates_inside_the_shipped_outline():
    rings = geography.netherlands_outline()
    assert geography.OUTLINE.is_file() and sum(len(r) for r in rings) > 200
    mainland = MplPath(max(rings, key=len))
    fig = views.location_map(ExplorerModel(seed=1))
    centres = [tuple(c.get_offsets()[0]) for c in fig.axes[0].collections]
    for name, where in geography.MAP_PLACES.items():
        assert mainland.contains_point(where), name
        assert where in centres, name
    # The North Sea is west of Amsterdam, Germany east of Hilversum: not on land.
    assert not mainland.contains_point((4.0, 52.4)) and not mainland.contains_point((7.5, 52.2))


def _overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of texts (within one axes) whose drawn boxes intersect."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    found = []
    for ax in fig.axes:
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1 :]:
                if box_a.overlaps(box_b):
                    found.append((a, b))
    return found


@pytest.mark.parametrize(
    ("scenario", "package", "years"),
    [("trend", "none", 0), ("studio-valley", "all-in", 15), ("dispersed-feeds", "none", 15)],
)
def test_map_labels_do_not_overlap(scenario, package, years):
    m = ExplorerModel(scenario, package, seed=2)
    for _ in range(years):
        m.step()
    assert _overlaps(views.location_map(m)) == []


# ------------------------------------------------------------------ a saved lever mix


def _mix(**levers):
    m = ExplorerModel("trend", "none", seed=1)
    for name, value in levers.items():
        m.set_lever(name, value)
    body = policy_mix.lever_body(m.params.policy)
    return body, policy_mix.policy_file_text("my-mix", "A test mix.", body, "scenario trend")


def test_a_saved_mix_is_a_valid_policy_file_with_a_comment_on_every_number(tmp_path):
    body, text = _mix(campus_amenity=0.3, rent_subsidy=0.1)
    assert set(body) == {"campus_amenity", "rent_subsidy"}
    params = policy_mix.validate("my-mix", text, BASELINE, "trend")
    assert (
        params.policy.campus_amenity.value == 0.3
        and params.policy.campus_amenity.start_year == 2026
    )
    path = policy_mix.save("my-mix", text, tmp_path / "policies")
    # The file reads like a shipped policy file: storyline, and every number has a unit and
    # a comment (the checks params/policies/*.toml pass).
    rows = numbers(path)
    assert {r.key for r in rows} == {
        "policy.campus_amenity.value",
        "policy.campus_amenity.start_year",
        "policy.rent_subsidy.value",
        "policy.rent_subsidy.start_year",
    }
    assert all(r.unit != "—" and r.source_from == "own" for r in rows)
    assert storyline(path).description == "A test mix."
    with pytest.raises(sim.ParamsError, match="exists already"):
        policy_mix.save("my-mix", text, tmp_path / "policies")


@pytest.mark.parametrize(
    ("name", "levers", "problem"),
    [
        ("my mix", {}, "letters, digits"),
        ("all-in", {}, "exists; choose another"),
    ],
)
def test_a_bad_mix_is_refused_with_the_reason(name, levers, problem):
    body, _ = _mix(**levers)
    text = policy_mix.policy_file_text(name, "", body, "test")
    with pytest.raises(sim.ParamsError, match=problem):
        policy_mix.validate(name, text, BASELINE, "trend")


def test_an_invalid_lever_value_is_refused_by_the_policy_schema():
    text = policy_mix.policy_file_text(
        "my-mix", "", {"rent_subsidy": {"value": 1.2, "start_year": 2026}}, "test"
    )
    with pytest.raises(sim.ParamsError, match="must be below 1"):
        policy_mix.validate("my-mix", text, BASELINE, "trend")


def test_an_empty_mix_runs_exactly_like_no_policy():
    body, text = _mix()
    assert body == {}
    mix = policy_mix.run_mix("my-mix", text, BASELINE, "trend", runs=5)
    shares = [
        sim.MediaClusterModel(sim.load_params(BASELINE, "trend", "none"), seed=seed_of(s))
        .run()
        .recorder.row["hilversum_jobs_share"]
        for s in np.random.SeedSequence(policy_mix.COMPARE_MASTER_SEED).spawn(5)
    ]
    assert mix["median"] == np.median(shares)
    assert mix["cost_meur"] == 0.0 and mix["runs"] == 5 and mix["year"] == 2040
    again = policy_mix.run_mix("my-mix", text, BASELINE, "trend", runs=5)
    assert again == mix  # seeds from a fixed master seed: the same band every time


def test_comparison_chart_puts_the_mix_first_and_the_packages_by_median():
    packages = pd.DataFrame(
        {"policy": ["none", "all-in"], "median": [0.27, 0.42], "p05": [0.26, 0.4],
         "p95": [0.28, 0.44]}
    )  # fmt: skip
    mix = {"median": 0.3, "p05": 0.29, "p95": 0.31, "runs": 40}
    fig = views.comparison_chart("my-mix", mix, packages, "trend", 2040)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["none", "all-in", "my-mix (your mix, 40 runs)"]  # bottom to top
