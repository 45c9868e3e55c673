"""Everything above one model run: runs, sweeps, sensitivity, plots, report, CLI.

Calls the model only through the public API of :mod:`sim`.
"""
