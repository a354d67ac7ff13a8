# Two commands on a fresh machine with Python 3.11+:  make run  |  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

# make run: production settings (DEBUG off) on plain local HTTP. DJANGO_LOCAL_HTTP=1 is the one,
# documented switch that turns off the HTTPS redirect and secure-only cookies for 127.0.0.1, and
# DJANGO_EMAIL_BACKEND=console the one that prints e-mails instead of sending them. umask 077: the
# SQLite database (var/db.sqlite3) is created readable by its owner only.
RUN_ENV = umask 077 && DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_ALLOWED_HOSTS="$(HOST),localhost" \
	DJANGO_LOCAL_HTTP=1 DJANGO_SITE_URL="http://$(HOST):$(PORT)" DJANGO_EMAIL_BACKEND=console

.PHONY: run test lint install install-dev superuser messages clean backup restore bench load bench-phone

# What the site needs to run, and nothing else: a server never gets pytest, Playwright or Hypothesis.
$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

# The tools for tests and checks, on top (held to the same pins: requirements-dev.in says -c requirements.txt).
$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

install-dev: $(BIN)/.installed-dev

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: install var/secret_key
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py createcachetable
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py demo_programme --if-empty
	@echo ""
	@echo "  Programmet:   http://$(HOST):$(PORT)/siv/"
	@echo "  Admin:        http://$(HOST):$(PORT)/admin/"
	@echo "  Skapa ett personalkonto (i en annan terminal):  make superuser"
	@echo ""
	@# The e-mail worker (innovationsvecka/mail.py) runs beside gunicorn in this one shell: e-mails are queued in
	@# the database and the worker prints them to the console. Ctrl-C stops gunicorn, and the trap the worker.
	($(RUN_ENV) exec $(BIN)/python manage.py mail_worker) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/gunicorn innovationsvecka.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

superuser: install var/secret_key
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py createsuperuser

# make test: first everything that can run side by side, spread over the cores by pytest-xdist; then, one at a
# time, the browser tests (one live server, one Chromium) and the tests that start servers or processes of their
# own. SKIP_BROWSER=1 leaves the browser tests out (CI runs them once, on PostgreSQL). TEST_WORKERS=1 for a
# serial run of the first part.
TEST_WORKERS ?= auto
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser and not slow"
	$(BIN)/python -m pytest -m "$(if $(SKIP_BROWSER),slow and not browser,browser or slow)"

# make lint: ruff, and no model change without its migration.
lint: install-dev
	$(BIN)/python -m ruff check .
	DJANGO_DEBUG=1 DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	cd . && DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete -i ".venv/*" -i "var/*"
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l en -i ".venv"

clean:
	rm -rf $(VENV) var/static

# Backups: every edition, session, organiser, contact, staff account and history record as JSON, with
# natural keys, so it loads into any freshly migrated database (SQLite or PostgreSQL). Uses the
# environment's DATABASE_URL and DJANGO_SECRET_KEY when set. See README "Deploy".
BACKUP_DIR ?= var/backups
# Backups send no e-mail and build no links, so the local defaults below only matter without a production environment.
MANAGE_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}" DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-localhost}" \
	DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://localhost}" \
	DJANGO_EMAIL_BACKEND="$${DJANGO_EMAIL_BACKEND:-console}"
DUMP_ARGS = --natural-foreign --natural-primary --exclude contenttypes --exclude auth.permission --exclude sessions

# umask 077: the folder and the file are private from the moment they exist (a chmod afterwards leaves a window).
backup: install var/secret_key
	@umask 077 && mkdir -p $(BACKUP_DIR) && file="$(BACKUP_DIR)/siv-$$(date -u +%Y%m%dT%H%M%SZ).json.gz" && \
	$(MANAGE_ENV) $(BIN)/python manage.py dumpdata $(DUMP_ARGS) -o "$$file" && echo "$$file"

restore: install var/secret_key
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/siv-<date>.json.gz"; exit 2; }
	@test -f "$(FILE)" || { echo "No such file: $(FILE)"; exit 2; }
	$(MANAGE_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(MANAGE_ENV) $(BIN)/python manage.py createcachetable
	@$(MANAGE_ENV) $(BIN)/python manage.py shell -c "import sys; from events.models import Edition; \
	sys.exit(0 if '$(FORCE)' == '1' or not Edition.objects.exists() else 'The database already has editions: \
	restore into an empty database, or add FORCE=1 to load over it.')"
	@# History is off while loading: the backup holds the history, and loading many-to-many fields would
	@# otherwise add a second, fake history record for every session.
	$(MANAGE_ENV) $(BIN)/python manage.py shell -c "from django.conf import settings; \
	settings.SIMPLE_HISTORY_ENABLED = False; from django.core.management import call_command; \
	call_command('loaddata', '$(FILE)')"
	$(MANAGE_ENV) $(BIN)/python manage.py shell -c "from django.core.cache import cache; cache.clear()"

# Speed and load (never part of `make test`): see docs/benchmarks.md. Both need wrk (apt-get install wrk).
bench: install
	$(BIN)/python bench/run.py --output docs/benchmarks.md

# The registration scenario (bench/load_registrations.py) needs PostgreSQL: it runs when DATABASE_URL is postgres://…
# (in a database of its own on that server) and otherwise says so and is skipped.
load: install
	$(BIN)/python bench/load.py
	$(BIN)/python bench/load_registrations.py

# /siv/ with 40 sessions on a slow-4G phone with a 4× slower CPU (Chromium's throttling, Playwright): first
# contentful paint, bytes on the wire, one live filter change; exits non-zero if a target of issue 13 is missed.
bench-phone: install-dev
	$(BIN)/python bench/phone.py
