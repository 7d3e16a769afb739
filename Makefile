# mieplan — `make run` to try it, `make test` to test it. `make help` lists everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The sitemap, canonical links and mails name the origin the site is served on (settings: PUBLIC_ORIGIN).
export PUBLIC_ORIGIN ?= http://127.0.0.1:$(PORT)
MANAGE := $(BIN)/python manage.py
SERVE_ENV := DJANGO_SETTINGS_MODULE=mieplan_site.settings.production \
	SECRET_KEY="$$(cat var/secret_key)" \
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false

.DEFAULT_GOAL := help
.PHONY: help run serve setup test test-unit test-e2e test-tools bench worker lint format messages clean audit \
	deploy-check faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# uv installs the pinned requirements several times faster than pip; pip does it where uv cannot be had.
UV_VERSION := 0.13.8
INSTALL = { $(BIN)/uv --version >/dev/null 2>&1 || $(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); } \
	&& $(BIN)/uv pip install --quiet --python $(BIN)/python -r $(1) \
	|| $(BIN)/pip install --quiet --disable-pip-version-check -r $(1)

$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call INSTALL,requirements.txt)
	touch $@

$(BIN)/.dev: requirements-dev.txt requirements.txt $(BIN)/.runtime
	$(call INSTALL,requirements-dev.txt)
	touch $@

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# What setup reads: when none of it changed since the last setup (and the embedded database is still there), a
# second `make run` goes straight to serving. With DATABASE_URL set, setup always runs (each step is idempotent).
SETUP_INPUTS := $(BIN)/.runtime $(wildcard */migrations/*.py plan/data/*/* locale/*/LC_MESSAGES/django.po) \
	plan/loader.py plan/translations.py
SETUP_STAMP := var/setup-done
$(SETUP_STAMP): $(SETUP_INPUTS) $(if $(wildcard db.sqlite3),,FORCE) $(if $(DATABASE_URL),FORCE,)
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_plan
	$(MANAGE) create_demo_consultation
	$(MANAGE) create_demo_progress
	$(MANAGE) ensure_demo_admin
	mkdir -p var && touch $@

FORCE:

setup: $(SETUP_STAMP) ## Install, migrate, load the plan and the demo data (what `run` does before serving)

run: setup ## Set everything up and serve on http://127.0.0.1:$(PORT)/ (SQLite, no Redis)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: setup var/secret_key ## Serve the same database production-like: gunicorn, DEBUG off, collected static
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v0
	$(SERVE_ENV) $(BIN)/gunicorn mieplan_site.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
		--access-logfile - --log-level warning

worker: $(BIN)/.runtime ## Celery worker with beat against REDIS_URL
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 2; }
	$(BIN)/celery -A mieplan_site worker --beat --loglevel INFO

# Debian packages the tests and the benchmark use: Chromium and CJK fonts (browser tests), Java (the Nu HTML
# checker), nginx and docker-compose (tests/deploy), wrk (make bench). CI calls this target; on a laptop install
# them once, as root.
TEST_TOOLS := chromium fonts-noto-cjk default-jre-headless nginx docker-compose wrk

test-tools: ## Install the Debian packages the tests need (needs root; CI runs it), unless they are there
	@missing=$$(for package in $(TEST_TOOLS); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; fi

# Both cores: pytest-xdist workers (tests/conftest.py loads the whole plan once per run for all of them).
PYTEST_WORKERS ?= 2

test: $(BIN)/.dev lint ## Lint, checks, migrations check and the whole test suite (incl. browser tests; see test-tools)
	$(MANAGE) compilemessages --ignore=.venv -v0
	DJANGO_SETTINGS_MODULE=mieplan_site.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=mieplan_site.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not faults"
	@# The fault tests load the machine hard: alone, after the rest (they skip themselves without PostgreSQL).
	$(BIN)/pytest -m faults tests/faults

test-unit: $(BIN)/.dev ## The tests without the browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not e2e"

test-e2e: $(BIN)/.dev ## Only the browser tests
	$(BIN)/pytest -m e2e

deploy-check: $(BIN)/.dev ## The deployment checks alone: deploy/smoke.py (local PostgreSQL + Redis), nginx -t, units, compose
	MIEPLAN_DEPLOY_CHECK=1 $(BIN)/pytest -m deploy tests/deploy

faults: $(BIN)/.dev ## Fault tests alone: Redis killed and PostgreSQL restarted under comment load
	MIEPLAN_FAULTS=1 $(BIN)/pytest -m faults tests/faults

bench: $(BIN)/.dev var/secret_key ## Load benchmark on loopback (wrk: make test-tools); writes docs/PERFORMANCE.md
	@command -v wrk >/dev/null || { echo "wrk is missing: make test-tools"; exit 2; }
	$(MAKE) setup
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v0
	$(BIN)/python bench/run.py

audit: $(BIN)/.dev ## Dependency audit (pip-audit over requirements.txt): fails on a known vulnerability
	$(BIN)/python deploy/audit.py

lint: $(BIN)/.dev ## ruff, djhtml in check mode and the import layers (.importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports

format: $(BIN)/.dev ## Format Python and templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

messages: $(BIN)/.runtime ## Extract translatable strings into locale/*/LC_MESSAGES/django.po
	$(MANAGE) makemessages --all --ignore=.venv --ignore=staticfiles --no-obsolete

clean: ## Remove the local database, media and collected static files (keeps .venv)
	rm -rf db.sqlite3 media staticfiles var
