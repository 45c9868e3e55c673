# Media Valley 2040 — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test test-slow lint format clean report explore

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## run: the main sweep (params/experiments/scenarios.toml): every scenario × policy package
## × replications; store, summary.csv and figures in results/scenarios/ (replaced each time)
run: $(STAMP)
	$(PY) -m experiments sweep params/experiments/scenarios.toml --overwrite

## report: the policymakers' report in English and Dutch (report.html, report_nl.html, each
## with its linked parameter appendix) from the stores `make run`, `make sensitivity` and the
## robustness study wrote; a study that is not there is said to be missing in the report.
## Written to results/scenarios/. Options: REPORT_OPTIONS="--target 30 --discount-rate 3".
SENSITIVITY_STORE ?= results/policy-sensitivity-quick
ROBUST_STORE ?= results/robust
REPORT_STORES = results/scenarios \
  $(patsubst %/manifest.json,%,$(wildcard $(SENSITIVITY_STORE)/manifest.json)) \
  $(sort $(patsubst %/robustness.csv,%,$(wildcard $(ROBUST_STORE)/robustness.csv)) \
         $(patsubst %/frontier.csv,%,$(wildcard $(ROBUST_STORE)/frontier.csv)))
report: $(STAMP)
	$(PY) -m experiments report $(REPORT_STORES) --lang en $(REPORT_OPTIONS)
	$(PY) -m experiments report $(REPORT_STORES) --lang nl $(REPORT_OPTIONS)

## report-figures: screenshots of the report's first page (docs/figures/report_en.png,
## report_nl.png) from the reports `make report` wrote (needs Chromium, see .ci/run)
.PHONY: report-figures
report-figures: $(STAMP)
	$(PY) -m tests.browser.shoot_report results/scenarios/report.html results/scenarios/report_nl.html

## explore: the interactive explorer (a Solara page on the model) at http://127.0.0.1:8765/
## (EXPLORE_PORT=N for another port; Ctrl-C stops it). It compares with the sweep in
## results/scenarios (make run first; MEDIACLUSTER_SWEEP=DIR for another store).
EXPLORE_PORT ?= 8765
explore: $(STAMP)
	$(PY) -m experiments.explorer.serve --port $(EXPLORE_PORT)

## sensitivity: the quick sensitivity study (params/experiments/policy-sensitivity-quick.toml):
## Sobol, Morris and PAWN on the eight policy levers and four model parameters in all five
## scenarios; indices.csv, ranked levers, figures in results/policy-sensitivity-quick/ (replaced)
.PHONY: sensitivity
sensitivity: $(STAMP)
	$(PY) -m experiments sensitivity params/experiments/policy-sensitivity-quick.toml --overwrite

## hindcast: the shipped calibration on 2010–2025 history (params/history/calibration.toml):
## ABC-SMC of the behavioural weights; results/hindcast/ with posterior.parquet,
## posterior_summary.csv, fit.csv and figures/ (replaced each time; about 15 minutes on 2 cores)
.PHONY: hindcast
hindcast: $(STAMP)
	$(PY) -m experiments calibrate params/history/calibration.toml --overwrite

## robust: the robust study (params/experiments/robust.toml): the packages, two named mixes and
## mixes found by NSGA-II search across 60 sampled futures and the five storylines; robustness.csv,
## frontier.csv, pareto.csv, prim_boxes.csv and figures in results/robust/ (replaced each time)
.PHONY: robust
robust: $(STAMP)
	$(PY) -m experiments robust params/experiments/robust.toml --overwrite

## posterior-sweep: the main sweep with behavioural weights drawn from the hindcast's
## posterior (needs `make hindcast` and `make run`), then what changes against the
## default weights: results/scenarios-posterior/posterior_vs_default.csv
.PHONY: posterior-sweep
posterior-sweep: $(STAMP)
	$(PY) -m experiments sweep params/history/scenarios-posterior.toml --overwrite
	$(PY) -m experiments.calibration.compare results/scenarios results/scenarios-posterior

## robust-posterior: the robust study with every future's behavioural weights drawn from the
## hindcast's posterior (needs `make hindcast`; about 2 minutes on 2 cores): results/robust-posterior/
.PHONY: robust-posterior
robust-posterior: $(STAMP)
	$(PY) -m experiments robust params/experiments/robust-posterior.toml --overwrite

## sensitivity-posterior: trend-only sensitivity study with behaviour as one factor drawn from the
## hindcast's posterior (needs `make hindcast`; 9,664 runs, about 5 minutes on 2 cores)
.PHONY: sensitivity-posterior
sensitivity-posterior: $(STAMP)
	$(PY) -m experiments sensitivity params/experiments/policy-sensitivity-posterior.toml --overwrite

## test: the test suite (fast part; slow statistical checks: make test-slow)
test: $(STAMP)
	$(PY) -m pytest -q -n 2 -m "not slow"

test-slow: $(STAMP)
	$(PY) -m pytest -q -n 2 -m slow

## bench: speed figures on this machine (a few minutes; never part of `make test`):
## prints a JSON table and writes results/bench.json (benchmarks/bench.py)
.PHONY: bench validation-figures
bench: $(STAMP)
	$(PY) -m benchmarks.bench

## bench-robust: the robust-study speed figure alone (about 10 minutes on 2 cores): 1,000 futures
## × 10 policies through the robust pipeline; writes results/bench_robust.json
.PHONY: bench-robust
bench-robust: $(STAMP)
	$(PY) -m benchmarks.bench --robust

## validation-figures: the figures and numbers of docs/validation.md (a few minutes)
validation-figures: $(STAMP)
	$(PY) -m tests.validation_figures > /dev/null
	$(PY) -m tests.space_figures > /dev/null

lint: $(STAMP)
	$(VENV)/bin/ruff check sim experiments tests benchmarks
	$(VENV)/bin/ruff format --check sim experiments tests benchmarks

format: $(STAMP)
	$(VENV)/bin/ruff format sim experiments tests benchmarks
	$(VENV)/bin/ruff check --fix sim experiments tests benchmarks

clean:
	rm -rf $(VENV) results/runs results/scenarios
