"""A Programredaktör invites an actor editor from the organisation's admin page (organisers/invitations.py):
the e-mail in Swedish, the link to choose a password, the group and organisation, the expiry after 7 days."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from innovationsvecka.roles import is_actor_editor, own_organisation_ids
from tests.conftest import text
from tests.factories import OrganisationFactory, actor_editor, programme_editor

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Ett långt nytt lösenord 2026!"


@pytest.fixture
def queued(settings):
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def flush():
    call_command("mail_worker", "--once")
    return list(mail.outbox)


def invite_url(organisation):
    return reverse("admin:organisers_organisation_invite", args=[organisation.pk])


def link_in(message):
    return re.search(r"https://siv\.example\.org(/\S+/inbjudan/\S+/)", message.body).group(1)


def test_programme_editor_invites_and_the_person_chooses_a_password(client, queued):
    organisation = OrganisationFactory(name="Almi Mälardalen")
    client.force_login(programme_editor(first_name="Anna", last_name="Redaktör"))
    page = client.get(reverse("admin:organisers_organisation_change", args=[organisation.pk]))
    assert f'href="{invite_url(organisation)}"' in page.content.decode()
    assert client.get(invite_url(organisation)).status_code == 200

    response = client.post(invite_url(organisation), {"name": "Olle Berg", "email": "Olle.Berg@Example.org"})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="olle.berg@example.org")
    assert (user.first_name, user.last_name, user.is_staff, user.has_usable_password()) == (
        "Olle", "Berg", True, False
    )
    assert is_actor_editor(user) and own_organisation_ids(user) == {organisation.pk}
    [message] = flush()
    assert message.to == ["olle.berg@example.org"]
    assert message.subject == "Inbjudan till administrationen för Sörmlands innovationsvecka"
    assert "Hej Olle Berg!" in message.body and "Anna Redaktör har bjudit in dig" in message.body
    assert "Almi Mälardalen" in message.body and f"Ditt användarnamn är {user.username}" in message.body

    stranger = Client()
    link = link_in(message)
    form = stranger.get(link)
    assert form.status_code == 200 and "Välj ett lösenord" in text(form)
    assert form["X-Robots-Tag"] == "noindex"
    short = stranger.post(link, {"new_password1": "kort", "new_password2": "kort"})
    assert short.status_code == 400
    done = stranger.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("admin:login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert stranger.get(link).status_code == 410  # once only
    assert stranger.login(username=user.username, password=NEW_PASSWORD)
    assert stranger.get("/admin/events/session/").status_code == 200


def test_the_link_expires_after_seven_days(client, queued, monkeypatch):
    organisation = OrganisationFactory()
    client.force_login(programme_editor())
    client.post(invite_url(organisation), {"name": "Olle Berg", "email": "olle@example.org"})
    link = link_in(flush()[0])
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 6 * 24 * 60 * 60)
    assert Client().get(link).status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + 7 * 24 * 60 * 60 + 60)
    expired = Client().get(link)
    assert expired.status_code == 410 and "Länken har gått ut" in text(expired)
    assert Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 410


def test_a_tampered_link_is_refused(client):
    assert Client().get("/admin/organisers/organisation/inbjudan/nonsens:abc/").status_code == 410


def test_existing_account_is_tied_to_the_organisation_too(client, queued):
    first, second = OrganisationFactory(), OrganisationFactory(name="Drivhuset")
    user = actor_editor(first, username="olle", email="olle@example.org")
    client.force_login(programme_editor())
    client.post(invite_url(second), {"name": "Olle", "email": "olle@example.org"})
    user.refresh_from_db()
    user._siv_organisation_ids = None
    assert own_organisation_ids(user) == {first.pk, second.pk}
    assert get_user_model().objects.filter(email="olle@example.org").count() == 1
    [message] = flush()
    assert "Du har redan ett konto" in message.body and "/inbjudan/" not in message.body


def test_programme_editors_and_superusers_are_not_invited_as_actor_editors(client, queued):
    organisation = OrganisationFactory()
    programme_editor(username="anna", email="anna@example.org")
    client.force_login(programme_editor())
    response = client.post(invite_url(organisation), {"name": "Anna", "email": "anna@example.org"})
    assert response.status_code == 400 and "har redan ett konto som programredaktör" in text(response)
    assert flush() == []


def test_actor_editors_cannot_invite(client):
    organisation = OrganisationFactory()
    client.force_login(actor_editor(organisation))
    assert client.get(invite_url(organisation)).status_code == 403
    page = client.get(reverse("admin:organisers_organisation_change", args=[organisation.pk]))
    assert invite_url(organisation) not in page.content.decode()
