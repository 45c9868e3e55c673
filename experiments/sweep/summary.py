"""Tables derived from a store: summary.csv, failures.csv and the fan-chart bands.

They read only the columns they need from the Parquet parts (and, for the
final-year summary, only final-year rows), a batch of outcome columns at a
time, so memory grows with runs × a few numbers, never with the whole store.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from ..engine.store import Store

QUANTILES = (0.05, 0.5, 0.95)  # numpy's default (linear) interpolation between runs
COLUMN_BATCH = 16
GROUP = ["scenario", "policy"]


def final_year(store: Store) -> int | None:
    """The last stored year (2040 for a full run), or None for an empty store."""
    if not store.parts("runs"):
        return None
    years = store.dataset().to_table(columns=["year"])["year"]
    return int(pd.Series(years.to_numpy()).max())


def final_summary(store: Store) -> pd.DataFrame:
    """Per scenario × policy × outcome: runs, median and 5–95% band in the final year.

    Long format: ``scenario, policy, outcome, year, runs, p05, median, p95, mean``.
    ``runs`` counts the runs with a value (a share is NaN when its total is 0).
    """
    year = final_year(store)
    cols = ["scenario", "policy", "outcome", "year", "runs", "p05", "median", "p95", "mean"]
    if year is None:
        return pd.DataFrame(columns=cols)
    outcomes = store.outcome_columns()
    dataset = store.dataset()
    pieces = []
    for i in range(0, len(outcomes), COLUMN_BATCH):
        batch = outcomes[i : i + COLUMN_BATCH]
        frame = dataset.to_table(
            columns=[*GROUP, *batch], filter=ds.field("year") == year
        ).to_pandas()
        long = frame.melt(id_vars=GROUP, var_name="outcome", value_name="value")
        pieces.append(band(long, [*GROUP, "outcome"]))
    table = pd.concat(pieces, ignore_index=True)
    table.insert(3, "year", year)
    order = {name: i for i, name in enumerate(outcomes)}
    table = table.sort_values(
        ["scenario", "policy", "outcome"], key=lambda s: s.map(order) if s.name == "outcome" else s
    )
    return table[cols].reset_index(drop=True)


def band(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Runs, 5% / 50% / 95% quantiles and mean of ``value`` per group."""
    grouped = frame.groupby(by, sort=False)["value"]
    q = grouped.quantile(list(QUANTILES)).unstack()
    q.columns = ["p05", "median", "p95"]
    out = pd.concat([grouped.count().rename("runs"), q, grouped.mean().rename("mean")], axis=1)
    return out.reset_index()


def yearly_band(store: Store, outcome: str) -> pd.DataFrame:
    """Per scenario × policy × year: median and 5–95% band of one outcome (fan charts)."""
    frame = store.dataset().to_table(columns=[*GROUP, "year", outcome]).to_pandas()
    return band(frame.rename(columns={outcome: "value"}), [*GROUP, "year"])


def write_tables(store: Store, summary: pd.DataFrame | None = None) -> list[Path]:
    """Write summary.csv and failures.csv (if any run failed); return the paths."""
    written = []
    path = store.path / "summary.csv"
    (final_summary(store) if summary is None else summary).to_csv(path, index=False)
    written.append(path)
    failures = store.failures()
    path = store.path / "failures.csv"
    if len(failures):
        failures.drop(columns=["traceback"]).to_csv(path, index=False)
        written.append(path)
    elif path.exists():
        path.unlink()  # a resumed sweep whose retried runs now all succeeded
    return written
