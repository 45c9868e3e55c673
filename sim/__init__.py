"""Media Valley 2040: an agent-based model of where media organisations settle.

Public API (docs/design.md §9)::

    from sim import load_params, MediaClusterModel
    p = load_params("params/baseline.toml", scenario="cloud-commons", policy="campus-plus")
    m = MediaClusterModel(p, seed=1).run()
    df = m.outcomes()
"""

from .model import MediaClusterModel, run_model
from .outcomes import columns as outcome_columns
from .outcomes import run_summary
from .params import (
    CORE_DRIVERS,
    LEVERS,
    Params,
    ParamsError,
    available,
    check_file,
    describe_validation_error,
    load_params,
    read_text,
    validate,
)

__all__ = [
    "CORE_DRIVERS",
    "LEVERS",
    "MediaClusterModel",
    "Params",
    "ParamsError",
    "available",
    "check_file",
    "describe_validation_error",
    "load_params",
    "outcome_columns",
    "read_text",
    "run_model",
    "run_summary",
    "validate",
]
