# Two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test audit install lint format bench load fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Development-only JavaScript for the browser tests (package.json); never served to users.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Local development: DEBUG is off unless set, so this target turns it on.
PORT ?= 8000
run: export DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_articles seeds/
	PORT=$(PORT) $(BIN)/python manage.py setup_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production way: settings come from the environment only (DEBUG=0 unless set,
# SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, DATABASE_URL, WORKBENCH_ORG_*; see README).
BIND ?= 127.0.0.1:8000
WORKERS ?= 4
THREADS ?= 4
serve: export DEBUG ?= 0
serve: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collect_static
	$(BIN)/gunicorn workbench.wsgi --config python:workbench.gunicorn_conf \
		--bind $(BIND) --workers $(WORKERS) \
		--worker-class gthread --threads $(THREADS) --timeout 60 --graceful-timeout 30 \
		--max-requests 5000 --max-requests-jitter 500 --no-control-socket

# Known vulnerabilities in the installed dependencies (exit 1), or a clear "NOT RUN" (exit 3).
audit: $(STAMP)
	$(BIN)/python .ci/audit.py

test: export DEBUG ?= 1
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: export DEBUG ?= 1
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Loopback load test of `make serve`, on PostgreSQL then SQLite (LOAD_SECONDS=60 at most).
LOAD_SECONDS ?= 60
load: export DEBUG ?= 1
load: $(STAMP)
	$(BIN)/python bench/load.py --db postgres --seconds $(LOAD_SECONDS)
	$(BIN)/python bench/load.py --db sqlite --seconds $(LOAD_SECONDS)

# schemathesis with every check and phase against `make serve`, as a reviewer and as an
# editor, on SQLite then PostgreSQL (bench/fuzz.py; FUZZ_EXAMPLES per operation and phase).
FUZZ_EXAMPLES ?= 30
fuzz: export DEBUG ?= 1
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --db sqlite --max-examples $(FUZZ_EXAMPLES)
	$(BIN)/python bench/fuzz.py --db postgres --max-examples $(FUZZ_EXAMPLES)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm
