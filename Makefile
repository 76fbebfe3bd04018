# Harambee: `make run` starts everything on a fresh clone, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install messages migrate seed static run check-run test lint format bench bench-load clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

messages: install ## Compile the translation catalogues (needs GNU gettext's msgfmt)
	@command -v msgfmt >/dev/null || { echo "Install GNU gettext (apt-get install gettext) to compile translations."; exit 1; }
	$(PY) manage.py compilemessages --ignore "$(VENV)/*" -v 0

migrate: install ## Apply database migrations
	@mkdir -p var/broker/queue var/broker/processed var/broker/control
	$(PY) manage.py migrate --no-input -v 0

seed: migrate ## Build the demo world if the database is empty, and print the demo logins
	$(PY) manage.py seed_demo --if-empty

# With DEBUG off, WhiteNoise serves what collectstatic gathers under var/static: hashed names,
# cached for a year, gzip and Brotli files made ahead of time. (`make run` keeps DEBUG on,
# and the development server serves the source files, so an edited stylesheet shows at once.)
static: install ## Gather the static files for serving with DEBUG off (gunicorn, the benchmark)
	DEBUG=false $(PY) manage.py collectstatic --no-input -v 0

run: messages seed ## Serve the site with a Celery worker and beat at http://$(HOST):$(PORT)
	@echo ""
	@echo "Harambee is starting at http://$(HOST):$(PORT)/  (Ctrl-C stops everything)"
	@echo ""
# One Ctrl-C stops the whole process group (the trap clears itself first, or each
# `kill 0` would run it again). If the worker cannot start or stops, stop everything
# rather than serve pages whose emails would wait in the broker for ever. Links in
# emails point at this server unless SITE_URL says otherwise.
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	( $(VENV)/bin/celery -A harambee --quiet worker --beat --loglevel=WARNING --concurrency=1 \
		--schedule=var/celerybeat-schedule \
		|| { echo "The Celery worker stopped (exit $$?): stopping Harambee." >&2; kill 0; } ) & \
	$(PY) manage.py runserver $(HOST):$(PORT)

check-run: ## Check that `make run` on a fresh clone serves the site and runs tasks (as CI does)
	$(PYTHON) scripts/check_run.py

test: messages ## Run the whole test suite
	$(PY) -m pytest -n $(or $(PYTEST_WORKERS),auto)

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Reformat the code
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: migrate static ## Print the benchmark figures (list and page query counts and timings)
	$(PY) benchmarks/bench_pages.py

# Needs PostgreSQL and Redis on loopback; see benchmarks/bench_load.py for its options, e.g.
# make bench-load BENCH_LOAD_ARGS="--scale 10000 --duration 15 --server-time".
bench-load: install ## Load benchmark: gunicorn on PostgreSQL and Redis, page cache off and on
	$(PY) benchmarks/bench_load.py $(BENCH_LOAD_ARGS)

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
