# mieplan — `make run` to try it, `make test` to test it. `make help` lists everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
SERVE_ENV := DJANGO_SETTINGS_MODULE=mieplan_site.settings.production \
	SECRET_KEY="$$(cat var/secret_key)" \
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false

.DEFAULT_GOAL := help
.PHONY: help run serve setup test test-unit test-e2e bench worker lint format messages browser clean audit \
	deploy-tools deploy-check faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev: requirements-dev.txt requirements.txt $(BIN)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: $(BIN)/.runtime ## Install, migrate, load the plan and the demo data (what `run` does before serving)
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_plan
	$(MANAGE) update_index -v0
	$(MANAGE) create_demo_consultation
	$(MANAGE) ensure_demo_admin

run: setup ## Set everything up and serve on http://127.0.0.1:$(PORT)/ (SQLite, no Redis)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: setup var/secret_key ## Serve the same database production-like: gunicorn, DEBUG off, collected static
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v0
	$(SERVE_ENV) $(BIN)/gunicorn mieplan_site.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} \
		--access-logfile - --log-level warning

worker: $(BIN)/.runtime ## Celery worker with beat against REDIS_URL
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 2; }
	$(BIN)/celery -A mieplan_site worker --beat --loglevel INFO

browser: ## Install Debian's Chromium (browser tests) and Java (HTML validator) (needs root), unless they are there
	@command -v chromium >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; }
	@command -v java >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends default-jre-headless; }

test: $(BIN)/.dev lint browser deploy-tools ## Lint, checks, migrations check and the whole test suite (incl. browser tests)
	$(MANAGE) compilemessages --ignore=.venv -v0
	DJANGO_SETTINGS_MODULE=mieplan_site.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=mieplan_site.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

test-unit: $(BIN)/.dev ## The tests without the browser
	$(BIN)/pytest -m "not e2e"

test-e2e: $(BIN)/.dev browser ## Only the browser tests
	$(BIN)/pytest -m e2e

deploy-tools: ## Install nginx and docker-compose (Debian; needs root) for tests/deploy, unless they are there
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx; }
	@command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose; }

deploy-check: $(BIN)/.dev deploy-tools ## The deployment checks alone: deploy/smoke.py (local PostgreSQL + Redis), nginx -t, units, compose
	MIEPLAN_DEPLOY_CHECK=1 $(BIN)/pytest -m deploy tests/deploy

faults: $(BIN)/.dev ## Fault tests alone: Redis killed and PostgreSQL restarted under comment load
	MIEPLAN_FAULTS=1 $(BIN)/pytest -m faults tests/faults

bench: $(BIN)/.dev var/secret_key ## Load benchmark on loopback; writes docs/PERFORMANCE.md
	@command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
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
