# The two commands of the README: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python example_site/manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/kokreative_test
# Both cores: test modules are spread over two workers (pytest-xdist).
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: demo test test-fast test-localize test-postgres test-newest lint format messages docs api-docs screenshots time-demo clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# axe-core for the accessibility audit of the browser tests (skipped with a hint without npm).
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.package-lock.json: package.json package-lock.json
ifneq ($(NPM),)
	npm ci --no-audit --no-fund --silent
else
	@echo "npm not found: the axe-core audit of the browser tests will be skipped"
endif

demo: $(BIN)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

# The whole suite. Under CI=true also on PostgreSQL, there with the newest version combination.
test: $(BIN)/.installed node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) test-localize
ifeq ($(CI),true)
	$(MAKE) test-postgres
endif

test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not slow"

# With wagtail-localize and Wagtail's i18n on (German and English); skipped by the plain run.
test-localize: $(BIN)/.installed
	DJANGO_SETTINGS_MODULE=tests.settings_localize $(BIN)/python -m pytest tests/localize $(PYTEST_ARGS)

# The server side on PostgreSQL with Wagtail 8, Django 6 and Python 3.13 (the nox session of
# the newest combination): one pass covers both what the database changes and what the newest
# versions change, while `make test` ran everything on SQLite with the .venv's versions. The
# browser tests drive the same views and ran there already. Keeps CI under 15 minutes.
test-postgres: $(BIN)/.installed
	$(BIN)/python tests/wait_for_postgres.py "$(PG_URL)"
	DATABASE_URL="$(PG_URL)" $(BIN)/nox -s "tests(wagtail8-django6-py3.13)" -- $(PYTEST_ARGS) --ignore=tests/browser

# The same combination on SQLite (`nox` without arguments runs the suite on every combination).
test-newest: $(BIN)/.installed
	$(BIN)/nox -s "tests(wagtail8-django6-py3.13)" -- $(PYTEST_ARGS) --ignore=tests/browser

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check kokreative_wagtail tests

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

docs: $(BIN)/.installed
	$(BIN)/python -m mkdocs build --strict --site-dir site

# docs/api-reference.md from the OpenAPI snapshot (tests/core/test_api_reference.py holds them equal).
api-docs: $(BIN)/.installed
	$(BIN)/python tools/api_reference.py

# docs/img/*.png from the demo site in Debian's chromium.
screenshots: $(BIN)/.installed
	$(BIN)/python tools/screenshots.py

# The newcomer path: a fresh clone, `make demo`, first 200 on / (needs port 8000 free).
time-demo:
	tools/time_make_demo.sh

messages: $(BIN)/.installed
	cd kokreative_wagtail && ../$(BIN)/django-admin makemessages -l de --no-obsolete --add-location file
	cd kokreative_wagtail && ../$(BIN)/django-admin compilemessages -l de

clean:
	rm -rf $(VENV) .nox build dist *.egg-info example_site/db.sqlite3 node_modules
