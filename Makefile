# Two commands on a fresh machine with Python 3.11+:  make run  |  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

# make run: production settings (DEBUG off) on plain local HTTP. DJANGO_LOCAL_HTTP=1 is the one,
# documented switch that turns off the HTTPS redirect and secure-only cookies for 127.0.0.1.
RUN_ENV = DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_ALLOWED_HOSTS="$(HOST),localhost" \
	DJANGO_LOCAL_HTTP=1 DJANGO_SITE_URL="http://$(HOST):$(PORT)"

.PHONY: run test install superuser messages clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

install: $(BIN)/.installed

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
	$(RUN_ENV) $(BIN)/gunicorn innovationsvecka.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

superuser: install var/secret_key
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py createsuperuser

test: install
	$(BIN)/python -m pytest

messages: install
	cd . && DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete -i ".venv/*" -i "var/*"
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l en -i ".venv"

clean:
	rm -rf $(VENV) var/static
