"""`make backup` and `make restore FILE=…` round trip: a fresh database gets back every edition, session,
organiser and contact, field for field, plus staff accounts and history."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPARED = ["events.edition", "events.session", "organisers.organisation", "organisers.contact", "events.venue",
            "auth.user", "auth.group", "events.historicalsession"]  # fmt: skip
SNAPSHOT = """
import json, django
django.setup()
from django.apps import apps
from django.core import serializers
out = {"counts": {m._meta.label_lower: m.objects.count() for m in apps.get_models()}}
for label in COMPARED:
    model = apps.get_model(label)
    text = serializers.serialize("json", model.objects.order_by("pk"), use_natural_foreign_keys=True)
    # Django's JSON keeps milliseconds: a time with only microseconds past the second reads back as the
    # whole second, and its ".000Z" becomes "Z". The same instant to the millisecond, written two ways.
    out[label] = json.loads(text.replace('.000Z"', 'Z"'))
print(json.dumps(out))
""".replace("COMPARED", repr(COMPARED))


def environment(database):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    env.update(DATABASE_URL=database, DJANGO_SECRET_KEY="backup-test-" + "x" * 50, DJANGO_ALLOWED_HOSTS="localhost",
               DJANGO_SITE_URL="http://localhost", DJANGO_EMAIL_BACKEND="console",
               DJANGO_SETTINGS_MODULE="innovationsvecka.settings")
    return env


def run(args, database, **kwargs):
    result = subprocess.run(args, cwd=ROOT, env=environment(database), capture_output=True, text=True, timeout=300,
                            **kwargs)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def make(target, database, *variables):
    # -o: treat the venv as installed, so the test never runs pip
    return run(["make", "-s", "-o", ".venv/bin/.installed", target, *variables], database)


def snapshot(database):
    return json.loads(run([sys.executable, "-c", SNAPSHOT], database).strip().splitlines()[-1])


@pytest.mark.slow
def test_backup_and_restore_round_trip_restores_everything(tmp_path):
    source = f"sqlite:///{tmp_path}/source.sqlite3"
    target = f"sqlite:///{tmp_path}/target.sqlite3"
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], source)
    run([*manage, "demo_programme", "--sessions", "30"], source)
    run([*manage, "shell", "-c", "from django.contrib.auth.models import User, Group; "
         "u = User.objects.create_user('redaktor', 'r@example.org', 'ett-langt-losenord-123', is_staff=True); "
         "u.groups.set(Group.objects.all()[:1])"], source)  # fmt: skip
    before = snapshot(source)
    assert before["counts"]["events.session"] >= 30 and before["counts"]["organisers.contact"] > 0

    backup = make("backup", source, f"BACKUP_DIR={tmp_path}/backups").strip().splitlines()[-1]
    assert backup.startswith(f"{tmp_path}/backups/siv-") and backup.endswith(".json.gz")
    assert oct(os.stat(backup).st_mode & 0o777) == "0o600"
    make("restore", target, f"FILE={backup}")
    after = snapshot(target)

    for label in COMPARED:
        assert after[label] == before[label], label
    unchanged = {k: v for k, v in before["counts"].items() if not k.startswith(("sessions.", "axes."))}
    assert {k: after["counts"][k] for k in unchanged} == unchanged


@pytest.mark.slow
def test_restore_refuses_to_load_over_existing_editions(tmp_path):
    database = f"sqlite:///{tmp_path}/busy.sqlite3"
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], database)
    run([sys.executable, "manage.py", "demo_programme", "--sessions", "3"], database)
    dump = tmp_path / "dump.json"
    dump.write_text("[]")
    result = subprocess.run(["make", "-s", "-o", ".venv/bin/.installed", "restore", f"FILE={dump}"], cwd=ROOT,
                            env=environment(database), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode != 0
    assert "The database already has editions" in result.stderr
