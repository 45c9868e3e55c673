"""The engine every kind of study stands on: run specs and seeds (``design``),
the worker side (``execute``), executors, the shared inputs bundle, provenance,
the runner, the crash-safe store and ``reproduce``."""
