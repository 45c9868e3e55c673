"""The policymakers' report (``mediacluster report RESULTS_DIR ... [--lang en|nl]``,
``make report``).

One self-contained HTML page per language from sweep, sensitivity and robustness-study
stores, and a linked parameter appendix file: ``stores`` checks and reads the folders,
``answer`` computes page one (target, points kept, discounted cost, M€ per point, the
budget frontier), ``robust`` reads a robustness study's tables, ``levers`` phrases the
paired lever effects, ``figures`` draws every figure in the report's language,
``messages`` is the English/Dutch catalogue; ``intro``, ``results``, ``sensitivity`` and
``appendix`` write the sections, ``html`` the markup and print CSS, ``build`` puts it
together. How to read and build it: docs/report.md.
"""

from .build import build_report

__all__ = ["build_report"]
