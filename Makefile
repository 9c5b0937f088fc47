# The README's commands. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app locator
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test lint format bench translations lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

instance:
	mkdir -p instance

# Compiled catalogues are built, not committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locator/translations/*/LC_MESSAGES/messages.po))
locator/translations/%/LC_MESSAGES/messages.mo: locator/translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime
	$(BIN)/pybabel compile -d locator/translations -l $*

## Set up, migrate, seed an empty database, and serve at http://$(HOST):$(PORT) on SQLite, with the production
## server (gunicorn.conf.py, two workers): Werkzeug's development server skips a response's close when the browser
## drops the connection first, and with it the notices sent once a response has gone.
run: $(VENV)/.runtime $(CATALOGUES) | instance
	$(FLASK) db upgrade
	$(FLASK) seed load --if-empty
	@# Links follow the address served; production still has to name its own (config refuses to start without).
	if [ "$${LOCATOR_ENV:-development}" != production ]; then export LOCATOR_BASE_URL=$${LOCATOR_BASE_URL:-http://$(HOST):$(PORT)}; fi; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - 'locator:create_app()'

## Lint, then the test suite on SQLite; and again on PostgreSQL when TEST_DATABASE_URL is set.
test: $(VENV)/.dev $(CATALOGUES)
	$(BIN)/ruff check .
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$TEST_DATABASE_URL"; \
		$(BIN)/pytest; \
	fi

## Benchmarks; results in bench/RESULTS.md (search at 10k / 100k / 1M programs takes ~10 minutes;
## intake through gunicorn on SQLite and PostgreSQL, the staff queue at 100k requests, and the national
## directory import: a minute or less each).
bench: $(VENV)/.dev
	$(BIN)/python -m bench.intake
	$(BIN)/python -m bench.queue
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.search

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Extract translatable strings and update/compile the catalogues (Spanish is `es`). PYTHONPATH: babel.cfg names
## an extractor of ours, for the taxonomy's labels.
translations: $(VENV)/.dev
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs '.*' -o locator/translations/messages.pot .
	@if [ -d locator/translations/es ]; then \
		$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i locator/translations/messages.pot -d locator/translations; \
	else \
		$(BIN)/pybabel init -i locator/translations/messages.pot -d locator/translations -l es; \
	fi
	$(BIN)/pybabel compile -d locator/translations

## Re-pin requirements*.txt from requirements*.in in a clean virtualenv.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	( echo '# Pinned runtime requirements (from requirements.in); regenerate with `make lock`.'; \
	  .lock-venv/bin/pip freeze ) > requirements.txt
	.lock-venv/bin/pip install --quiet -r requirements-dev.in
	( echo '# Pinned development requirements (from requirements-dev.in); regenerate with `make lock`.'; \
	  echo '-r requirements.txt'; .lock-venv/bin/pip freeze | grep -v -x -F -f requirements.txt ) > requirements-dev.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
