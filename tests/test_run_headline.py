"""`mediacluster run` prints a headline (Hilversum's first- and last-year jobs share, the
policy cost) and its figure's legend covers no data."""

from __future__ import annotations

import pandas as pd

import sim
from experiments.cli import main
from experiments.plots import run_figure


def test_run_prints_the_share_and_cost_it_wrote(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["run", "--scenario", "trend", "--policy", "campus-plus", "--seed", "3"]
    args += ["--out", str(out)]
    assert main([*args, "--set", "run.end_year=2028"]) == 0
    first_line, wrote = capsys.readouterr().out.strip().splitlines()
    rows = pd.read_csv(out / "outcomes.csv")
    start, end = rows.iloc[0], rows.iloc[-1]
    cost = rows["policy_cost_meur"].sum()
    assert cost > 0  # campus-plus spends from 2026: the line must show a real number
    assert first_line == (
        f"Hilversum's share of the sector's jobs: {100 * start.hilversum_jobs_share:.1f}% in "
        f"2025 → {100 * end.hilversum_jobs_share:.1f}% in 2028 (scenario trend, policy "
        f"campus-plus, seed 3); policy cost 2025–2028: {cost:,.1f} M€ "
        f"({cost / 4:,.1f} M€ a year, undiscounted)"
    )
    assert wrote.startswith(f"wrote {out}/")


def test_run_figure_legend_covers_no_panel(tmp_path):
    main(["run", "--seed", "1", "--out", str(tmp_path / "r"), "--set", "run.end_year=2027"])
    params = sim.load_params("params/baseline.toml")
    labels = {kind: params.kind_label(kind) for kind in params.kind_names}
    fig = run_figure(pd.read_csv(tmp_path / "r" / "outcomes.csv"), "test", labels)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    assert len(fig.legends) == 1 and all(ax.get_legend() is None for ax in fig.axes)
    for ax in fig.axes:
        panel = ax.get_window_extent(renderer)
        assert not legend.overlaps(panel), (legend, panel)
    # shares are drawn in % (0-100), not as fractions
    assert fig.axes[0].get_ylim() == (0.0, 100.0)
    assert max(line.get_ydata().max() for line in fig.axes[0].lines) > 1.0
