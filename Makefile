# The front door. `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test browser-deps lint format check-deploy serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# CI installs what the browser tests need; locally they are skipped until
# `sudo make browser-deps` has run once.
TEST_DEPS := $(VENV)/.dev-installed
ifneq ($(filter-out 0 false,$(CI)),)
TEST_DEPS += browser-deps
endif

test: $(TEST_DEPS)
	$(BIN)/pytest $(PYTEST_ARGS)

# What tests/browser needs besides Python packages: Debian's Chromium and a Java
# runtime (installed as root, only when missing), and the Nu HTML Checker (npm).
BROWSER_PACKAGES := chromium fonts-liberation default-jre-headless
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

browser-deps: $(VNU_JAR)
	@if [ ! -x /usr/bin/chromium ] || ! command -v java >/dev/null; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) || \
	  { apt-get update && apt-get install -y --no-install-recommends $(BROWSER_PACKAGES); }; \
	fi

# --ignore-scripts: vnu-jar's install script would download a Java of its own.
$(VNU_JAR): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `check --deploy` under production-like settings must print no warning at all.
check-deploy: $(VENV)/.runtime-installed
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(openssl rand -hex 40)" \
	DJANGO_ALLOWED_HOSTS=patients.example.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Production-like: hashed and compressed static files, migrations, then gunicorn
# as kyphoinfo/gunicorn.conf.py configures it. Needs at least DJANGO_SECRET_KEY
# and DJANGO_ALLOWED_HOSTS (README, "Production"); DJANGO_HTTPS=0 for plain
# HTTP on this machine.
GUNICORN_BIND ?= $(HOST):$(PORT)

serve: $(VENV)/.runtime-installed
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 GUNICORN_BIND="$(GUNICORN_BIND)" \
	  exec $(BIN)/gunicorn -c kyphoinfo/gunicorn.conf.py

# The benchmark of the README, in a temporary database and directory: about ten
# minutes. A quick try: make bench BENCH_ARGS="--duration 5 --rounds 1".
# wrk comes from apt (as root), only when missing.
bench: $(VENV)/.runtime-installed
	@if ! command -v wrk >/dev/null; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y --no-install-recommends wrk || \
	  { apt-get update && apt-get install -y --no-install-recommends wrk; }; \
	fi
	$(BIN)/python manage.py benchmark $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules
