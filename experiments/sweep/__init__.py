"""Scenario × policy sweeps: experiment files, the sweep pipeline, its summary
tables and figures."""
