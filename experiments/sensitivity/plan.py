"""The runs of a study: design points × scenarios × replications, plus references.

The plan is a table with one row per *design row* (a point of a method's
sample in one scenario, or a no-policy reference) and the run specs the
sweep runner executes, ``replications`` per design row:

- ``row``: design row id; run ids are ``row * replications + k``;
- ``scenario``, ``method`` (``sobol`` / ``morris``), ``point`` (row of the
  method's sample, -1 for a reference);
- ``seed_group``: runs of one seed group and replication share a seed (see
  :mod:`.sampling`); seeds come from ``SeedSequence(master_seed)``, spawned
  per seed group and then per replication (:func:`experiments.engine.design.run_seeds`);
- ``reference``: True for a no-policy reference: the same scenario,
  parameter values and seed as the points it serves, every lever at 0;
- ``ref_row``: the reference row of a point (-1 if none);
- one column per factor with its value (levers 0 in references).

The same sample is used in every scenario, so the scenarios' indices are
directly comparable; the seeds differ between scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.design import RunSpec, run_seeds
from .sampling import Sample, designs
from .study import Study, overrides_at

PLAN_COLUMNS = ("row", "scenario", "method", "point", "seed_group", "reference", "ref_row")


@dataclass(frozen=True)
class Plan:
    """A study's design rows (``frame``) and samples by method."""

    study: Study
    frame: pd.DataFrame
    samples: dict[str, Sample]

    @property
    def n_runs(self) -> int:
        """Runs in the study (design rows × replications)."""
        return len(self.frame) * self.study.replications

    def points(self, scenario: str, method: str) -> pd.DataFrame:
        """The sample's design rows in one scenario, in sample order."""
        f = self.frame
        sel = f[(f["scenario"] == scenario) & (f["method"] == method) & ~f["reference"]]
        return sel.sort_values("point")

    def seeds(self) -> np.ndarray:
        """Run seeds, shape ``(design rows, replications)``: one row per seed group from
        ``SeedSequence(master_seed)``, shared by every design row of the group."""
        study = self.study
        n_groups = int(self.frame["seed_group"].max()) + 1
        seeds = run_seeds(study.master_seed, n_groups, study.replications)
        return seeds[self.frame["seed_group"].to_numpy()]

    def specs(self) -> list[RunSpec]:
        """Run specs for the sweep runner: every design row × replication."""
        study = self.study
        if study.targets is None:
            raise ValueError("the study has no params targets; load it with load_study")
        reps = study.replications
        seeds = self.seeds()
        names = study.factor_names
        specs = []
        for i, row in enumerate(self.frame.itertuples(index=False)):
            values = dict(zip(names, (getattr(row, n) for n in names), strict=True))
            design = {}
            for factor in study.factors:
                design.update(
                    overrides_at(study.targets[row.scenario], factor, values[factor.name])
                )
                if factor.grouped:  # the posterior particle u picks (.behaviour)
                    design.update(study.behaviour.overrides(row.scenario, values[factor.name]))
            for k in range(reps):
                specs.append(
                    RunSpec(
                        run_id=int(row.row) * reps + k,
                        scenario=row.scenario,
                        policy=study.policy,
                        replication=k,
                        seed=int(seeds[i, k]),
                        design=design,
                    )
                )
        return specs


def make_plan(study: Study, scenarios: tuple[str, ...] | None = None) -> Plan:
    """Build the plan of a study (scenarios default to the study's)."""
    samples = designs(study)
    scenarios = scenarios or study.scenarios
    names = study.factor_names
    lever = np.array([f.is_lever for f in study.factors])
    blocks, next_row, next_group = [], 0, 0
    for scenario in scenarios:
        for method, sample in samples.items():
            n = len(sample.X)
            block = pd.DataFrame(
                {
                    "row": np.arange(next_row, next_row + n),
                    "scenario": scenario,
                    "method": method,
                    "point": np.arange(n),
                    "seed_group": sample.groups + next_group,
                    "reference": False,
                    "ref_row": -1,
                }
            )
            values = pd.DataFrame(sample.X, columns=names)
            next_row += n
            if study.needs_reference and method != "levers":
                refs, ref_of = _references(sample, lever, next_row)
                block["ref_row"] = ref_of
                ref_block = pd.DataFrame(
                    {
                        "row": np.arange(next_row, next_row + len(refs)),
                        "scenario": scenario,
                        "method": method,
                        "point": -1,
                        "seed_group": sample.groups[refs] + next_group,
                        "reference": True,
                        "ref_row": -1,
                    }
                )
                ref_values = pd.DataFrame(sample.X[refs], columns=names)
                ref_values.loc[:, list(np.array(names)[lever])] = 0.0
                block = pd.concat([block, ref_block], ignore_index=True)
                values = pd.concat([values, ref_values], ignore_index=True)
                next_row += len(refs)
            blocks.append(pd.concat([block, values], axis=1))
            next_group += sample.n_groups
    frame = pd.concat(blocks, ignore_index=True)
    return Plan(study, frame, samples)


def _references(sample: Sample, lever: np.ndarray, first_row: int) -> tuple[list[int], np.ndarray]:
    """One reference per distinct (seed group, non-lever values); returns the sample rows
    that define them and each point's reference row id."""
    keys: dict[tuple, int] = {}
    ref_points: list[int] = []
    ref_of = np.empty(len(sample.X), dtype=np.int64)
    for i, (group, x) in enumerate(zip(sample.groups, sample.X, strict=True)):
        key = (int(group), *x[~lever].tolist())
        if key not in keys:
            keys[key] = first_row + len(ref_points)
            ref_points.append(i)
        ref_of[i] = keys[key]
    return ref_points, ref_of


def describe_study(study: Study) -> str:
    """One line: the study's size (for ``mediacluster check``)."""
    plan = make_plan(study)
    points = int((~plan.frame["reference"]).sum())
    refs = len(plan.frame) - points
    methods = []
    if study.methods.sobol:
        methods.append(f"Sobol N={study.methods.sobol.base_samples}")
    if study.methods.morris:
        methods.append(f"Morris r={study.methods.morris.trajectories}")
    if study.methods.pawn:
        methods.append("PAWN")
    if study.methods.levers:
        methods.append(f"lever ensemble of {study.methods.levers.members}")
    if study.behaviour is not None:
        post = study.behaviour.posterior
        methods.append(
            f"behaviour from posterior {post.path} ({len(post.names)} parameters as one "
            f"grouped factor, sha256 {post.sha256[:12]})"
        )
    return (
        f"{study.path}: valid sensitivity study '{study.name}': {len(study.factors)} factors "
        "(with the dummy) "
        f"({len(study.levers)} levers), {', '.join(methods)}; {len(study.scenarios)} scenarios: "
        f"{points} design points + {refs} references × {study.replications} replications "
        f"= {plan.n_runs} runs"
    )
