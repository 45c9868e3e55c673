"""``make run``: every scenario once under the baseline policy, with a comparison figure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sim

from .plots import plot_scenario_comparison
from .single_run import write_run

SCENARIOS_DIR = Path("params/scenarios")


def main(out: Path = Path("results/scenarios")) -> None:
    runs: dict[str, pd.DataFrame] = {}
    for scenario in sim.available("params", "scenarios"):
        folder = write_run("params/baseline.toml", scenario, "none", None, {}, out / scenario)
        runs[scenario] = pd.read_csv(folder / "outcomes.csv")
        share = runs[scenario]["hilversum_jobs_share"]
        print(f"{scenario:20s} Hilversum jobs share {share.iloc[0]:.3f} -> {share.iloc[-1]:.3f}")
    table = pd.DataFrame({name: df.iloc[-1] for name, df in runs.items()}).T
    table.index.name = "scenario"
    table.to_csv(out / "final_year.csv")
    plot_scenario_comparison(runs, out / "scenario_comparison.png")
    print(f"wrote {out}/ (one folder per scenario, final_year.csv, scenario_comparison.png)")


if __name__ == "__main__":
    main()
