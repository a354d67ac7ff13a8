"""Saving keeps what the editor did not see or change: another organisation on a shared session, and another
editor's save made meanwhile in a second tab (the form carries the version it was loaded from)."""

import pytest

from events.models import Session
from organisers.models import Contact, Organisation
from tests.admin_post import posted
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    SessionFactory,
    actor_editor,
    programme_editor,
    theme,
)

SESSION = "/admin/events/session/{}/change/"
CONFLICT = ("Någon annan har sparat ändringar sedan du öppnade sidan. Ingenting är sparat. Jämför och spara igen "
            "om ditt värde ska gälla:")


def errors(response):
    return list(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def editor_client(client, db):
    client.force_login(programme_editor())
    return client


# Item 1: an actor editor's save keeps the organisations and the contact they cannot see


def test_actor_editor_save_keeps_other_organisation_and_its_contact(client, edition):
    own, other = OrganisationFactory(name="Egen"), OrganisationFactory(name="Annan")
    their_contact = ContactFactory(organisation=other)
    session = SessionFactory(edition=edition, status="proposed", organisers=[own, other], contact=their_contact)
    client.force_login(actor_editor(own))
    page = client.get(SESSION.format(session.pk))
    assert [o.pk for o in page.context["adminform"].form.fields["organisers"].queryset] == [own.pk]
    response = client.post(SESSION.format(session.pk), posted(page, title="Ny rubrik"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, sorted(session.organisers.values_list("name", flat=True)), session.contact) == (
        "Ny rubrik", ["Annan", "Egen"], their_contact,
    )


def test_actor_editor_may_replace_the_contact_with_their_own(client, edition):
    own, other = OrganisationFactory(), OrganisationFactory()
    mine = ContactFactory(organisation=own)
    session = SessionFactory(edition=edition, status="proposed", organisers=[own, other],
                             contact=ContactFactory(organisation=other))
    client.force_login(actor_editor(own))
    page = client.get(SESSION.format(session.pk))
    client.post(SESSION.format(session.pk), posted(page, contact=mine.pk))
    session.refresh_from_db()
    assert (session.contact, set(session.organisers.all())) == (mine, {own, other})


# Item 2: two tabs, one session


def test_second_tab_save_is_refused_with_a_comparison_and_saves_when_sent_again(editor_client, edition):
    session = SessionFactory(edition=edition, title="Original", status="draft")
    first_tab = editor_client.get(SESSION.format(session.pk))
    second_tab = editor_client.get(SESSION.format(session.pk))
    assert editor_client.post(SESSION.format(session.pk), posted(first_tab, title="Ett")).status_code == 302

    refused = editor_client.post(SESSION.format(session.pk), posted(second_tab, title="Två"))
    assert refused.status_code == 200
    assert errors(refused) == [CONFLICT, "Rubrik – Sparat nu: Ett / Ditt värde: Två"]
    assert refused.context["adminform"].form["title"].value() == "Två"  # my input is kept
    assert Session.objects.get(pk=session.pk).title == "Ett"

    again = editor_client.post(SESSION.format(session.pk), posted(refused))
    assert again.status_code == 302
    assert Session.objects.get(pk=session.pk).title == "Två"


def test_second_tab_changing_another_field_would_undo_the_first_so_it_is_refused(editor_client, edition):
    session = SessionFactory(edition=edition, title="Original", summary="Kort.", status="draft")
    first_tab = editor_client.get(SESSION.format(session.pk))
    second_tab = editor_client.get(SESSION.format(session.pk))
    editor_client.post(SESSION.format(session.pk), posted(first_tab, title="Ny", themes=[theme("smart-industri").pk]))
    refused = editor_client.post(SESSION.format(session.pk), posted(second_tab, summary="Längre."))
    assert errors(refused) == [
        CONFLICT,
        "Rubrik – Sparat nu: Ny / Ditt värde: Original",
        "Teman – Sparat nu: Smart industri / Ditt värde: (tomt)",
    ]
    session.refresh_from_db()
    assert (session.title, session.summary) == ("Ny", "Kort.")


def test_the_same_change_in_both_tabs_is_no_conflict(editor_client, edition):
    session = SessionFactory(edition=edition, title="Original", status="draft")
    first_tab = editor_client.get(SESSION.format(session.pk))
    second_tab = editor_client.get(SESSION.format(session.pk))
    editor_client.post(SESSION.format(session.pk), posted(first_tab, title="Samma"))
    assert editor_client.post(SESSION.format(session.pk), posted(second_tab, title="Samma")).status_code == 302


def test_version_survives_a_form_shown_again_for_another_reason(editor_client, edition):
    """The form comes back with an error (here: end before start) and keeps the version it was loaded from,
    so a save made elsewhere meanwhile is still caught when it is sent again."""
    session = SessionFactory(edition=edition, title="Original", status="draft")
    first_tab = editor_client.get(SESSION.format(session.pk))
    second_tab = editor_client.get(SESSION.format(session.pk))
    shown_again = editor_client.post(SESSION.format(session.pk),
                                     posted(second_tab, title="Två", end_0="2026-11-09", end_1="08:00"))
    assert shown_again.status_code == 200 and CONFLICT not in errors(shown_again)
    editor_client.post(SESSION.format(session.pk), posted(first_tab, title="Ett"))
    fixed = posted(shown_again)
    fixed.update(end_0=posted(second_tab)["end_0"], end_1=posted(second_tab)["end_1"])
    refused = editor_client.post(SESSION.format(session.pk), fixed)
    assert errors(refused) == [CONFLICT, "Rubrik – Sparat nu: Ett / Ditt värde: Två"]


def test_revert_form_carries_the_stored_version_not_the_old_ones(editor_client, edition):
    session = SessionFactory(edition=edition, title="Första", status="draft")
    first = session.history.earliest()
    page = editor_client.get(SESSION.format(session.pk))
    editor_client.post(SESSION.format(session.pk), posted(page, title="Andra"))
    url = f"/admin/events/session/{session.pk}/history/{first.history_id}/"
    revert = editor_client.get(url)
    assert editor_client.post(url, posted(revert)).status_code == 302
    assert Session.objects.get(pk=session.pk).title == "Första"


def test_organisation_second_tab_is_refused(editor_client):
    organisation = OrganisationFactory(name="Almi")
    url = f"/admin/organisers/organisation/{organisation.pk}/change/"
    first_tab, second_tab = editor_client.get(url), editor_client.get(url)
    inline = {"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"}
    assert editor_client.post(url, {**posted(first_tab, phone="016-10 00 00"), **inline}).status_code == 302
    refused = editor_client.post(url, {**posted(second_tab, phone="016-20 00 00"), **inline})
    assert errors(refused) == [CONFLICT, "Telefon – Sparat nu: 016-10 00 00 / Ditt värde: 016-20 00 00"]
    assert Organisation.objects.get(pk=organisation.pk).phone == "016-10 00 00"


def test_contact_second_tab_is_refused(editor_client):
    contact = ContactFactory(title="Rådgivare")
    url = f"/admin/organisers/contact/{contact.pk}/change/"
    first_tab, second_tab = editor_client.get(url), editor_client.get(url)
    assert editor_client.post(url, posted(first_tab, title="Chef")).status_code == 302
    refused = editor_client.post(url, posted(second_tab, title="Säljare"))
    assert errors(refused) == [CONFLICT, "Titel – Sparat nu: Chef / Ditt värde: Säljare"]
    assert Contact.objects.get(pk=contact.pk).title == "Chef"


def test_view_only_pages_show_no_version_row(client, edition):
    own = OrganisationFactory()
    session = SessionFactory(edition=edition, status="published", organisers=[own])  # published: view only
    contact = ContactFactory(organisation=own)
    client.force_login(actor_editor(own))
    for url in (SESSION.format(session.pk), f"/admin/organisers/organisation/{own.pk}/change/"):
        page = client.get(url)
        readonly = page.context["adminform"].readonly_fields
        assert ("title" in readonly or "name" in readonly) and "version" not in readonly
    editable = client.get(f"/admin/organisers/contact/{contact.pk}/change/")
    assert editable.context["adminform"].form["version"].value()
