# CRS platform. The two commands a newcomer needs: `make run` and `make test`.
.DEFAULT_GOAL := help
UV := bash scripts/uv.sh
PY := $(UV) run --frozen python
ROLE ?= practitioner

.PHONY: help setup run run-distributed test test-unit bench token demo import-catalogue infra-up infra-down asyncapi clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: ## install the Python environment (uv workspace, locked)
	@bash scripts/setup.sh

run: setup ## start all four services in one process on the embedded default (SQLite + in-process events)
	@mkdir -p var/embedded
	@$(PY) scripts/run_embedded.py

run-distributed: ## start real PostgreSQL and Kafka, then each service as its own processes
	@bash scripts/run_distributed.sh

test: ## unit tests, then integration and end-to-end tests on real PostgreSQL and Kafka
	@bash scripts/test.sh

test-unit: setup ## unit tests only (no PostgreSQL, no Kafka)
	@$(UV) run --frozen pytest -q -m "not integration and not e2e and not browser" shared/tests services

bench: ## benchmarks against this machine's own baselines (real PostgreSQL and Kafka)
	@bash bench/run.sh

token: setup ## print a development token: make token ROLE=practitioner [ORG=<provider id>] [REGION=A]
	@$(PY) scripts/print_token.py --role $(ROLE) $(if $(ORG),--org $(ORG)) $(if $(REGION),--region $(REGION)) $(if $(TEAM),--team $(TEAM)) $(if $(EMAIL),--email $(EMAIL))

demo: setup ## load a Day-1 market and a flow of referrals into a running platform (make run first; DEMO_ARGS=--referrals 600)
	@$(PY) scripts/demo $(DEMO_ARGS)

import-catalogue: setup ## import providers and interventions: make import-catalogue FILE=path.json|csv
	@test -n "$(FILE)" || (echo "usage: make import-catalogue FILE=path.json" && exit 2)
	@$(PY) -m providers import "$(FILE)"

asyncapi: setup ## regenerate docs/asyncapi.json from the event contracts
	@$(PY) scripts/asyncapi.py > docs/asyncapi.json

infra-up: ## start the development PostgreSQL and Kafka only
	@bash scripts/setup.sh infra && bash deploy/local/infra.sh up dev

infra-down: ## stop the development PostgreSQL and Kafka
	@bash deploy/local/infra.sh down dev

clean: ## remove local state (databases, broker data, embedded files)
	@bash deploy/local/infra.sh down dev 2>/dev/null || true
	@bash deploy/local/infra.sh down test 2>/dev/null || true
	rm -rf var/embedded var/dev var/test
