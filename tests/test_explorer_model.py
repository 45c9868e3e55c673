"""The explorer model and sweep reference, without a browser: levers act from next year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from experiments.explorer import views
from experiments.explorer.model import LEVER_SLIDERS, ExplorerModel
from experiments.explorer.reference import SweepReference
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
    # both projects delivered (minus conversion of empty space, which only shrinks the stock)
    assert m.recorder.row["space_pipeline_m2_hilversum"] == 0.0
    assert 9000.0 < m.recorder.row["space_stock_m2_hilversum"] - stock <= 10000.0


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
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for name in ("Hilversum", "Amsterdam", "Utrecht", "rest of NL", "abroad"):
        assert name in texts
    chart = views.share_chart(m.outcomes(), 2025, 2040)
    (line,) = chart.axes[0].get_lines()
    assert list(line.get_xdata()) == [2025, 2026]
    assert line.get_ydata()[-1] == pytest.approx(100 * m.recorder.row["hilversum_jobs_share"])
