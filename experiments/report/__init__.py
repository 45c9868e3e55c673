"""The policymakers' report (``mediacluster report RESULTS_DIR ...``, ``make report``).

One self-contained ``report.html`` built from sweep and sensitivity stores:
``stores`` checks and reads them, ``robustness`` computes the regret table,
``intro``, ``results``, ``sensitivity`` and ``appendix`` write the sections,
``html`` the markup and print CSS, ``build`` puts it together.
"""

from .build import build_report

__all__ = ["build_report"]
