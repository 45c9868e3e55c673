"""Calibration by likelihood-free inference: ABC-SMC of behavioural weights on
observed 2010–2025 patterns (the hindcast), on the shared engine."""
