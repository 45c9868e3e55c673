"""Default weights against the posterior: what changes in a sweep's conclusions.

Reads two sweep stores of the same scenarios × packages — one at the model's
default behavioural weights, one drawing them from a calibration posterior
(``posterior = ...`` in its experiment file) — and writes, per scenario and
package, the 2040 median and 5–95% band of the main outcome in both, the
change, the band's widening, and each package's rank within its scenario::

    python -m experiments.calibration.compare results/scenarios results/scenarios-posterior

Output: ``posterior_vs_default.csv`` in the posterior store, and a table on
standard output. The question it answers (issue 12): which conclusions change
when parameters come from the posterior instead of the defaults.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

OUTCOME = "hilversum_jobs_share"
YEAR = 2040


def _summary(store: Path, outcome: str, year: int) -> pd.DataFrame:
    path = store / "summary.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no summary.csv (is {store} a sweep store?)")
    df = pd.read_csv(path)
    df = df[(df.outcome == outcome) & (df.year == year)]
    if df.empty:
        raise ValueError(f"{path}: no rows for outcome {outcome!r} in {year}")
    return df.set_index(["scenario", "policy"])[["median", "p05", "p95"]]


def compare(default: Path, posterior: Path, outcome: str = OUTCOME, year: int = YEAR):
    """Per scenario × package: medians, bands and ranks at default weights and posterior."""
    a, b = _summary(default, outcome, year), _summary(posterior, outcome, year)
    both = a.add_suffix("_default").join(b.add_suffix("_posterior"), how="inner")
    if both.empty:
        raise ValueError(f"{default} and {posterior} share no scenario × package")
    both["median_change"] = both.median_posterior - both.median_default
    width_a = both.p95_default - both.p05_default
    width_b = both.p95_posterior - both.p05_posterior
    both["band_ratio"] = width_b / width_a
    for tag in ("default", "posterior"):
        both[f"rank_{tag}"] = (
            both.groupby(level="scenario")[f"median_{tag}"].rank(ascending=False).astype(int)
        )
    return both.reset_index()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("default", type=Path, help="sweep store at the default weights")
    ap.add_argument("posterior", type=Path, help="sweep store drawing from a posterior")
    ap.add_argument("--outcome", default=OUTCOME)
    ap.add_argument("--year", type=int, default=YEAR)
    args = ap.parse_args(argv)
    try:
        table = compare(args.default, args.posterior, args.outcome, args.year)
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = args.posterior / "posterior_vs_default.csv"
    table.to_csv(out, index=False)
    cols = [
        "scenario",
        "policy",
        "median_default",
        "median_posterior",
        "median_change",
        "band_ratio",
        "rank_default",
        "rank_posterior",
    ]
    with pd.option_context("display.width", 160, "display.precision", 3):
        print(table[cols].to_string(index=False))
    same = (table.rank_default == table.rank_posterior).mean()
    print(f"package ranks unchanged in {same:.0%} of scenario × package cells; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
