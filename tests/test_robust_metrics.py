"""Robustness metrics and the budget frontier against values computed by hand (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.robust import metrics as m

# Three policies (rows) in four futures (columns); "more is better".
VALUES = np.array(
    [
        [0.30, 0.20, 0.25, 0.35],  # A
        [0.32, 0.28, 0.22, 0.33],  # B
        [0.29, 0.31, 0.30, 0.30],  # C
    ]
)
TARGET = 0.30


def test_satisficing_counts_futures_at_or_above_the_target():
    # A: 0.30 (meets, >=), 0.35 -> 2/4; B: 0.32, 0.33 -> 2/4; C: 0.31, 0.30, 0.30 -> 3/4
    np.testing.assert_allclose(m.satisficing(VALUES, TARGET), [0.5, 0.5, 0.75])


def test_satisficing_with_a_target_per_future():
    target = np.array([[0.31, 0.19, 0.25, 0.36]] * 3)
    # A: no, yes, yes, no -> 0.5; B: yes, yes, no, no -> 0.5; C: no, yes, yes, no -> 0.5
    np.testing.assert_allclose(m.satisficing(VALUES, target), [0.5, 0.5, 0.5])


def test_tenth_percentile_interpolates_linearly():
    # sorted A: 0.20 0.25 0.30 0.35; position 0.1 × 3 = 0.3 -> 0.20 + 0.3 × 0.05 = 0.215
    # sorted B: 0.22 0.28 ...  -> 0.22 + 0.3 × 0.06 = 0.238
    # sorted C: 0.29 0.30 ...  -> 0.29 + 0.3 × 0.01 = 0.293
    np.testing.assert_allclose(m.percentile(VALUES, 10), [0.215, 0.238, 0.293])


def test_regret_against_the_best_policy_of_each_future():
    # best per future: 0.32 (B), 0.31 (C), 0.30 (C), 0.35 (A)
    expected = np.array(
        [
            [0.02, 0.11, 0.05, 0.00],
            [0.00, 0.03, 0.08, 0.02],
            [0.03, 0.00, 0.00, 0.05],
        ]
    )
    np.testing.assert_allclose(m.regret(VALUES), expected, atol=1e-12)
    metrics = m.outcome_metrics(VALUES, TARGET, 10)
    np.testing.assert_allclose(metrics["max_regret"], [0.11, 0.08, 0.05])
    np.testing.assert_allclose(metrics["mean_regret"], [0.045, 0.0325, 0.02])
    np.testing.assert_allclose(metrics["mean"], [0.275, 0.2875, 0.30])
    np.testing.assert_allclose(metrics["target"], [0.30, 0.30, 0.30])


def test_cost_summed_and_discounted_from_the_first_year():
    years = np.array([2025, 2026, 2027])
    # one policy, two futures, two replications: yearly costs 0, 10, 10 and 0, 20, 20
    cost = np.array([[[[0, 10, 10], [0, 10, 10]], [[0, 20, 20], [0, 20, 20]]]], dtype=float)
    np.testing.assert_allclose(m.cumulative_cost(cost, years, 0.0), [[20.0, 40.0]])
    r = 0.0225
    by_hand = 10 / 1.0225 + 10 / 1.0225**2
    np.testing.assert_allclose(m.cumulative_cost(cost, years, r), [[by_hand, 2 * by_hand]])


def _wide():
    return pd.DataFrame(
        {
            "satisficing": [0.10, 0.50, 0.50, 0.80, 0.80],
            "p10": [0.20, 0.25, 0.27, 0.30, 0.30],
            "mean": [0.25, 0.30, 0.31, 0.33, 0.34],
            "max_regret": [0.1, 0.05, 0.04, 0.02, 0.01],
            "mean_regret": [0.05, 0.02, 0.02, 0.01, 0.0],
            "cost_meur": [0.0, 40.0, 60.0, 90.0, 300.0],
            "cost_discounted_meur": [0.0, 35.0, 50.0, 80.0, 260.0],
        },
        index=["none", "cheap", "mid", "good", "dear"],
    )


def test_frontier_picks_the_most_robust_policy_within_each_budget():
    front = m.frontier(_wide(), [0, 50, 70, 100, 1000], "cost_meur", "p10")
    chosen = front.groupby("budget_meur")["policy"].first().to_dict()
    # 50: cheap (0.5); 70: mid beats cheap on p10 at equal satisficing; 100 and 1000:
    # good and dear tie on satisficing and p10, good is cheaper
    assert chosen == {0.0: "none", 50.0: "cheap", 70.0: "mid", 100.0: "good", 1000.0: "good"}
    row = front[(front["budget_meur"] == 70) & (front["metric"] == "cost_meur")]
    assert row["value"].item() == 60.0
    assert set(front["metric"]) == {
        "satisficing",
        "p10",
        "mean",
        "max_regret",
        "mean_regret",
        "cost_meur",
        "cost_discounted_meur",
    }


def test_frontier_on_discounted_cost_and_a_budget_nothing_fits():
    wide = _wide().drop(index="none")
    front = m.frontier(wide, [10, 80], "cost_discounted_meur", "p10")
    # nothing costs 10 M€ or less: no row; 80 M€ discounted buys "good"
    assert front["budget_meur"].unique().tolist() == [80.0]
    assert front["policy"].unique().tolist() == ["good"]


@pytest.mark.parametrize("q,name", [(10, "p10"), (5, "p5"), (12.5, "p12.5")])
def test_percentile_names(q, name):
    assert m.percentile_name(q) == name
