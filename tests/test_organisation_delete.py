"""An organisation with sessions is not deleted (its sessions would lose organiser and contact with no record):
the admin says which sessions and points to making it inactive."""

import pytest
from django.contrib.messages import get_messages

from organisers.models import Organisation
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, programme_editor

CHANGELIST = "/admin/organisers/organisation/"


@pytest.fixture
def editor_client(client, db):
    client.force_login(programme_editor())
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_delete_of_organisation_with_sessions_is_refused_and_names_them(editor_client, edition):
    almi = OrganisationFactory(name="Almi")
    contact = ContactFactory(organisation=almi)
    SessionFactory(edition=edition, title="Frukostmöte", organisers=[almi], contact=contact)
    SessionFactory(edition=edition, title="Utkastet", organisers=[almi], status="draft")
    refusal = [
        "”Almi” kan inte raderas: aktören är arrangör av 2 programpunkter: Frukostmöte (2026); Utkastet (2026). "
        "Avaktivera aktören i stället (bocka ur ”aktiv”): då försvinner den ur katalogen men finns kvar på "
        "programpunkterna."
    ]
    page = editor_client.get(f"{CHANGELIST}{almi.pk}/delete/")
    assert (page.status_code, page["Location"], messages_of(page)) == (302, f"{CHANGELIST}{almi.pk}/change/", refusal)
    editor_client.get(page["Location"])  # shows the message
    posted = editor_client.post(f"{CHANGELIST}{almi.pk}/delete/", {"post": "yes"})
    assert (posted.status_code, messages_of(posted)) == (302, refusal)
    assert Organisation.objects.filter(pk=almi.pk).exists()
    assert list(almi.sessions.get(title="Frukostmöte").organisers.all()) == [almi]


def test_organisation_without_sessions_can_still_be_deleted(editor_client):
    empty = OrganisationFactory(name="Tom")
    assert editor_client.get(f"{CHANGELIST}{empty.pk}/delete/").status_code == 200
    response = editor_client.post(f"{CHANGELIST}{empty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=empty.pk).exists()


def test_bulk_delete_refuses_organisations_with_sessions_and_deletes_the_rest(editor_client, edition):
    almi = OrganisationFactory(name="Almi")
    SessionFactory(edition=edition, title="Frukostmöte", organisers=[almi])
    empty = OrganisationFactory(name="Tom")
    selected = {"action": "delete_selected", "_selected_action": [almi.pk, empty.pk]}
    confirm = editor_client.post(CHANGELIST, selected)
    assert confirm.status_code == 200
    assert list(confirm.context["queryset"]) == [empty]
    assert messages_of(confirm) == [
        "”Almi” kan inte raderas: aktören är arrangör av 1 programpunkt: Frukostmöte (2026). Avaktivera aktören i "
        "stället (bocka ur ”aktiv”): då försvinner den ur katalogen men finns kvar på programpunkten."
    ]
    done = editor_client.post(CHANGELIST, {**selected, "post": "yes"})
    assert done.status_code == 302
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Almi"]


def test_bulk_delete_of_only_organisations_with_sessions_deletes_nothing(editor_client, edition):
    almi = OrganisationFactory(name="Almi")
    SessionFactory(edition=edition, organisers=[almi])
    response = editor_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [almi.pk],
                                                  "post": "yes"})
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=almi.pk).exists()

