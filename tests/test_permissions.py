"""Who may do what in the admin, through the admin's real views: the two groups, and the login lockout."""

import pytest
from django.contrib.auth.models import Group

from events.models import Session
from organisers.models import Contact
from tests.conftest import login_staff
from tests.factories import (
    STAFF_PASSWORD,
    ContactFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    actor_editor,
    programme_editor,
)

CHANGELIST = "/admin/events/session/"


@pytest.fixture
def own(db):
    return OrganisationFactory(name="Egen aktör")


@pytest.fixture
def other(db):
    return OrganisationFactory(name="Annan aktör")


@pytest.fixture
def actor_client(client, own):
    login_staff(client, actor_editor(own))
    return client


def proposal_data(edition, organisation, **overrides):
    data = {
        "edition": edition.pk, "title": "Vårt seminarium", "slug": "vart-seminarium", "status": "proposed",
        "start_0": "2026-11-10", "start_1": "13:00", "end_0": "2026-11-10", "end_1": "14:00", "format": "plats",
        "venue": VenueFactory().pk, "summary": "Om idéer.", "language": "sv", "organisers": [organisation.pk],
    }
    data.update(overrides)
    return data


def test_groups_exist_with_their_permissions(db):
    programme = set(Group.objects.get(name="Programredaktör").permissions.values_list("codename", flat=True))
    actor = set(Group.objects.get(name="Aktörsredaktör").permissions.values_list("codename", flat=True))
    assert {"add_session", "change_session", "delete_session", "change_edition", "change_organisation",
            "delete_contact", "change_venue"} <= programme
    assert {"add_session", "change_session", "view_session", "change_contact"} <= actor
    assert not {"delete_session", "change_edition", "change_organisation", "change_venue"} & actor


# Programredaktör


def test_programme_editor_sees_all_sessions_and_all_actions(client, edition, own, other):
    login_staff(client, programme_editor())
    SessionFactory(edition=edition, organisers=[own])
    SessionFactory(edition=edition, organisers=[other])
    response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 2
    choices = [name for name, _ in response.context["action_form"].fields["action"].choices if name]
    assert choices == ["publish_sessions", "unpublish_sessions", "cancel_sessions", "duplicate_sessions",
                       "delete_unpublished"]


def test_programme_editor_can_edit_any_contact(client, other):
    login_staff(client, programme_editor())
    contact = ContactFactory(organisation=other)
    assert client.get(f"/admin/organisers/contact/{contact.pk}/change/").status_code == 200


# Aktörsredaktör


def test_actor_editor_list_shows_only_own_organisations_sessions(actor_client, edition, own, other):
    mine = SessionFactory(edition=edition, organisers=[own], status="proposed")
    SessionFactory(edition=edition, organisers=[other])
    SessionFactory(edition=edition)  # no organiser at all
    response = actor_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [mine]


def test_actor_editor_cannot_open_other_organisations_session(actor_client, edition, other):
    theirs = SessionFactory(edition=edition, organisers=[other], status="draft")
    response = actor_client.get(f"{CHANGELIST}{theirs.pk}/change/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_actor_editor_has_no_publish_cancel_delete_or_import(actor_client, edition, own):
    SessionFactory(edition=edition, organisers=[own], status="draft")
    response = actor_client.get(CHANGELIST)
    choices = [name for name, _ in response.context["action_form"].fields["action"].choices if name]
    assert choices == ["duplicate_sessions"]
    assert actor_client.get(CHANGELIST + "import/").status_code == 403
    assert actor_client.get(CHANGELIST + "raderade/").status_code == 403


def test_actor_editor_publish_action_post_is_refused(actor_client, edition, own):
    session = SessionFactory(edition=edition, organisers=[own], status="proposed")
    actor_client.post(CHANGELIST, {"action": "publish_sessions", "_selected_action": [session.pk], "post": "yes"})
    session.refresh_from_db()
    assert session.status == "proposed"


def test_actor_editor_can_submit_a_proposal(actor_client, edition, own):
    response = actor_client.post(CHANGELIST + "add/", proposal_data(edition, own))
    assert response.status_code == 302
    session = Session.objects.get(slug="vart-seminarium")
    assert (session.status, list(session.organisers.all())) == ("proposed", [own])


def test_actor_editor_status_choices_exclude_published(actor_client, edition):
    response = actor_client.get(CHANGELIST + "add/")
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == ["draft", "proposed"]


def test_actor_editor_cannot_set_status_published(actor_client, edition, own):
    response = actor_client.post(CHANGELIST + "add/", proposal_data(edition, own, status="published"))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["status"]
    assert not Session.objects.exists()


def test_actor_editor_cannot_give_session_to_other_organisation(actor_client, edition, other):
    response = actor_client.post(CHANGELIST + "add/", proposal_data(edition, other))
    assert list(response.context["adminform"].form.errors) == ["organisers"]
    assert not Session.objects.exists()


def test_actor_editor_sees_own_published_session_read_only(actor_client, edition, own):
    session = SessionFactory(edition=edition, organisers=[own], status="published", title="Live")
    response = actor_client.get(f"{CHANGELIST}{session.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    actor_client.post(f"{CHANGELIST}{session.pk}/change/", proposal_data(edition, own, title="Ändrad"))
    session.refresh_from_db()
    assert session.title == "Live"


def test_actor_editor_contacts_are_limited_to_own(actor_client, own, other):
    mine = ContactFactory(organisation=own)
    theirs = ContactFactory(organisation=other)
    response = actor_client.get("/admin/organisers/contact/")
    assert list(response.context["cl"].result_list) == [mine]
    assert actor_client.get(f"/admin/organisers/contact/{theirs.pk}/change/").status_code == 302
    assert actor_client.get(f"/admin/organisers/contact/{mine.pk}/change/").status_code == 200


def test_actor_editor_cannot_add_contact_to_other_organisation(actor_client, own, other):
    data = {"organisation": other.pk, "name": "Ny person", "order": 0, "phones": ""}
    response = actor_client.post("/admin/organisers/contact/add/", data)
    assert list(response.context["adminform"].form.errors) == ["organisation"]
    assert not Contact.objects.filter(name="Ny person").exists()


def test_actor_editor_organisation_autocomplete_offers_only_own(actor_client, own, other):
    response = actor_client.get(
        "/admin/autocomplete/", {"app_label": "events", "model_name": "session", "field_name": "organisers"}
    )
    assert [item["text"] for item in response.json()["results"]] == ["Egen aktör"]


def test_staff_without_group_cannot_open_sessions(client, db):
    login_staff(client, UserFactory())
    assert client.get(CHANGELIST).status_code == 403


# Guessing passwords


def login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "redaktor", "password": password})


def test_login_right_password_works(client, db):
    UserFactory(username="redaktor")
    response = login(client, STAFF_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_login_sixth_attempt_after_five_wrong_is_locked_even_with_right_password(client, db):
    UserFactory(username="redaktor")
    for _ in range(4):
        assert login(client, "fel").status_code == 200  # the login form again, with Django's message
    fifth = login(client, "fel")
    assert fifth.status_code == 429
    response = login(client, STAFF_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>Inloggningen är tillfälligt spärrad</h1>" in page
    assert "Fel lösenord har angetts 5 gånger i rad." in page
    assert "inte heller med rätt lösenord" in page
    assert "_auth_user_id" not in client.session


def test_login_success_resets_failure_count(client, db):
    UserFactory(username="redaktor")
    for _ in range(4):
        login(client, "fel")
    assert login(client, STAFF_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "fel").status_code == 200
    assert login(client, STAFF_PASSWORD).status_code == 302


def test_actor_editor_cannot_see_history_of_other_organisations_session(actor_client, edition, other):
    theirs = SessionFactory(edition=edition, organisers=[other], status="draft")
    assert actor_client.get(f"{CHANGELIST}{theirs.pk}/history/").status_code == 403


def test_actor_editor_cannot_revert_published_session(actor_client, edition, own):
    session = SessionFactory(edition=edition, organisers=[own], status="published", title="Live")
    version = session.history.earliest()
    data = proposal_data(edition, own, title="Tillbaka", status="draft", slug=session.slug)
    response = actor_client.post(f"{CHANGELIST}{session.pk}/history/{version.history_id}/", data)
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.title == "Live"


def test_actor_editor_cannot_revert_edition(actor_client, edition):
    version = edition.history.earliest()
    data = {"year": 2026, "title": "Kapad", "start_date": "2026-11-09", "end_date": "2026-11-15"}
    response = actor_client.post(f"/admin/events/edition/{edition.pk}/history/{version.history_id}/", data)
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.title == "Sörmlands innovationsvecka 2026"
