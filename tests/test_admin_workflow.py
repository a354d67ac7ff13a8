"""The staff workflow in the admin: actions with a confirmation step, validation, the list, editions."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.models import Edition, Session
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    local,
    theme,
)

CHANGELIST = "/admin/events/session/"


def session_post(edition, **overrides):
    venue = overrides.pop("venue", None) or VenueFactory()
    data = {
        "edition": edition.pk, "title": "Innovationsfrukost", "slug": "innovationsfrukost", "status": "draft",
        "cancellation_note": "", "start_0": "2026-11-10", "start_1": "08:30", "end_0": "2026-11-10",
        "end_1": "10:00", "format": "plats", "venue": venue.pk, "online_url": "", "online_note": "",
        "summary": "Frukost och idéer.", "description": "", "language": "sv", "cost": "", "registration_url": "",
        "registration_deadline_0": "", "registration_deadline_1": "", "capacity": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response):
    form = response.context["adminform"].form
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Validation, one message per rule


def test_add_session_valid_is_saved_as_draft(editor_client, edition):
    response = editor_client.post(CHANGELIST + "add/", session_post(edition))
    assert response.status_code == 302
    session = Session.objects.get(slug="innovationsfrukost")
    assert (session.status, session.local_start.hour, session.local_start.minute) == ("draft", 8, 30)


def test_add_session_end_before_start_says_so(editor_client, edition):
    response = editor_client.post(CHANGELIST + "add/", session_post(edition, end_1="08:00"))
    assert errors_of(response) == {"end": ["Sluttiden måste vara efter starttiden."]}


def test_add_session_outside_edition_says_which_dates(editor_client, edition):
    response = editor_client.post(CHANGELIST + "add/", session_post(edition, start_0="2026-11-20", end_0="2026-11-20"))
    assert errors_of(response) == {
        "start": [
            "Programpunkten måste ligga inom upplagans datum, måndag 9 november 2026 till söndag 15 november 2026."
        ]
    }


@pytest.mark.parametrize("format_", ["plats", "hybrid"])
def test_add_session_on_site_without_venue_needs_one(editor_client, edition, format_):
    data = session_post(edition, format=format_, online_note="Länken skickas efter anmälan.")
    data.pop("venue")
    response = editor_client.post(CHANGELIST + "add/", data)
    assert errors_of(response) == {"venue": ["En programpunkt på plats eller hybrid behöver en plats."]}


@pytest.mark.parametrize("format_", ["digitalt", "hybrid"])
def test_add_session_digital_without_link_or_note_needs_one(editor_client, edition, format_):
    response = editor_client.post(CHANGELIST + "add/", session_post(edition, format=format_))
    assert errors_of(response) == {"online_url": [
        "En digital programpunkt eller hybrid behöver en länk eller en rad om länken "
        "(till exempel: Länken skickas efter anmälan)."
    ]}


def test_add_session_digital_with_note_only_is_saved(editor_client, edition):
    data = session_post(edition, format="digitalt", online_note="Länken skickas efter anmälan.")
    data.pop("venue")
    response = editor_client.post(CHANGELIST + "add/", data)
    session = Session.objects.get(slug="innovationsfrukost")
    assert response["Location"] == CHANGELIST
    assert (session.format, session.online_url, session.online_note, session.venue) == (
        "digitalt", "", "Länken skickas efter anmälan.", None,
    )


def test_add_session_registration_deadline_after_start_says_so(editor_client, edition):
    data = session_post(edition, registration_deadline_0="2026-11-10", registration_deadline_1="09:00")
    response = editor_client.post(CHANGELIST + "add/", data)
    assert errors_of(response) == {"registration_deadline": ["Sista anmälningsdag måste vara före starten."]}


def test_add_session_slug_taken_in_edition_says_so(editor_client, edition):
    SessionFactory(edition=edition, slug="innovationsfrukost")
    response = editor_client.post(CHANGELIST + "add/", session_post(edition))
    assert errors_of(response) == {
        "slug": ["Det finns redan en programpunkt med kortnamnet ”innovationsfrukost” i upplagan 2026. Välj ett annat."]
    }


def test_add_session_same_slug_in_other_edition_is_fine(editor_client, edition):
    earlier = SessionFactory(edition=EditionFactory(year=2025), slug="innovationsfrukost")
    response = editor_client.post(CHANGELIST + "add/", session_post(edition))
    assert response["Location"] == CHANGELIST
    saved = Session.objects.filter(slug="innovationsfrukost").order_by("edition__year")
    assert [(s.pk == earlier.pk, s.edition.year, s.title) for s in saved] == [
        (True, 2025, earlier.title), (False, 2026, "Innovationsfrukost"),
    ]


def test_add_session_cancelled_without_note_asks_for_one(editor_client, edition):
    response = editor_client.post(CHANGELIST + "add/", session_post(edition, status="cancelled"))
    assert errors_of(response) == {
        "cancellation_note": ["Skriv ett kort meddelande till besökarna om varför programpunkten är inställd."]
    }


def test_add_session_overlapping_at_same_venue_warns_but_saves(editor_client, edition):
    venue = VenueFactory(name="Rosenhall")
    SessionFactory(
        edition=edition, venue=venue, title="Morgonmöte", start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 11)
    )
    response = editor_client.post(CHANGELIST + "add/", session_post(edition, venue=venue), follow=True)
    assert Session.objects.filter(slug="innovationsfrukost").exists()
    assert [m for m in texts(response) if m.startswith("Obs")] == [
        "Obs: ”Morgonmöte” är på samma plats (Rosenhall, Eskilstuna) samtidigt, tisdag 10 november 09:00–11:00. "
        "Programpunkten sparades ändå."
    ]


def test_edit_session_time_raises_calendar_sequence(editor_client, edition):
    session = SessionFactory(edition=edition, slug="innovationsfrukost")
    data = session_post(edition, venue=session.venue, status="published", start_1="09:00", end_1="10:00")
    assert editor_client.post(f"{CHANGELIST}{session.pk}/change/", data).status_code == 302
    session.refresh_from_db()
    assert (session.sequence, session.local_start.hour) == (1, 9)


# Actions: publish, unpublish, cancel, each confirmed first


def action(client, name, sessions, **extra):
    return client.post(CHANGELIST, {"action": name, "_selected_action": [s.pk for s in sessions], **extra})


def test_publish_action_first_asks_then_publishes(editor_client, edition):
    drafts = SessionFactory.create_batch(3, edition=edition, status="draft")
    page = action(editor_client, "publish_sessions", drafts)
    assert page.status_code == 200
    assert page.templates[0].name == "admin/events/confirm_action.html"
    assert set(Session.objects.values_list("status", flat=True)) == {"draft"}
    response = action(editor_client, "publish_sessions", drafts, post="yes")
    assert response.status_code == 302
    assert set(Session.objects.values_list("status", "sequence")) == {("published", 1)}
    assert Session.objects.filter(first_published__isnull=True).count() == 0


def test_publish_action_skips_already_published_and_says_so(editor_client, edition):
    published = SessionFactory(edition=edition, status="published")
    draft = SessionFactory(edition=edition, status="draft")
    response = action(editor_client, "publish_sessions", [published, draft], post="yes", )
    assert texts(response) == ["1 programpunkt publicerades.", "1 var redan publicerad."]
    published.refresh_from_db()
    assert published.sequence == 0


def test_unpublish_action_withdraws_to_draft(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    services.publish(session=session)
    action(editor_client, "unpublish_sessions", [session], post="yes")
    session.refresh_from_db()
    assert (session.status, session.sequence, session.first_published is not None) == ("draft", 2, True)


def test_cancel_action_asks_for_note_and_requires_it(editor_client, edition):
    session = SessionFactory(edition=edition, status="published")
    page = action(editor_client, "cancel_sessions", [session])
    assert b'name="note"' in page.content
    empty = action(editor_client, "cancel_sessions", [session], post="yes", note="  ")
    assert empty.status_code == 200
    assert empty.context["form"].errors == {"note": ["Skriv ett meddelande till besökarna innan du ställer in."]}
    session.refresh_from_db()
    assert session.status == "published"
    action(editor_client, "cancel_sessions", [session], post="yes", note="Flyttas till våren.")
    session.refresh_from_db()
    assert (session.status, session.cancellation_note, session.sequence) == ("cancelled", "Flyttas till våren.", 1)


def test_cancel_action_leaves_drafts_alone(editor_client, edition):
    draft = SessionFactory(edition=edition, status="draft")
    response = action(editor_client, "cancel_sessions", [draft], post="yes", note="Inställt.")
    assert texts(response) == ["1 var inte publicerad och ställdes inte in."]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_bulk_publish_of_300_sessions_saves_each_through_services(editor_client, edition):
    SessionFactory.create_batch(300, edition=edition, status="draft", venue=VenueFactory())
    response = action(editor_client, "publish_sessions", list(Session.objects.all()), post="yes")
    assert texts(response) == ["300 programpunkter publicerades."]
    assert set(Session.objects.values_list("sequence", flat=True)) == {1}


def test_duplicate_action_makes_draft_copy_with_own_identity(editor_client, edition):
    organisation = OrganisationFactory()
    session = SessionFactory(edition=edition, slug="frukost", title="Frukost", themes=[theme("smart-industri")],
                             organisers=[organisation])
    response = action(editor_client, "duplicate_sessions", [session])
    copy = Session.objects.exclude(pk=session.pk).get()
    assert response["Location"] == reverse("admin:events_session_change", args=[copy.pk])
    assert (copy.title, copy.slug, copy.status, copy.start) == ("Frukost (kopia)", "frukost-2", "draft", session.start)
    assert copy.uid != session.uid and copy.first_published is None
    assert list(copy.organisers.all()) == [organisation]
    assert list(copy.themes.values_list("slug", flat=True)) == ["smart-industri"]



def test_a_copy_keeps_how_people_register_and_the_english_texts_but_no_registrations(editor_client, edition):
    from events.models import Registration

    session = SessionFactory(edition=edition, slug="verkstad", title="Verkstad", title_en="Workshop",
                             summary_en="In English.", registration_mode="here", capacity=12,
                             join_url="https://meet.example.org/verkstad", ask_org_number=True,
                             ask_needs=True)  # fmt: skip
    Registration.objects.create(session=session, name="Anna", email="anna@example.org")
    action(editor_client, "duplicate_sessions", [session])
    copy = Session.objects.exclude(pk=session.pk).get()
    assert (copy.registration_mode, copy.capacity, copy.join_url) == ("here", 12, "https://meet.example.org/verkstad")
    assert (copy.ask_org_number, copy.ask_needs, copy.ask_organisation) == (True, True, False)
    assert (copy.title_en, copy.summary_en) == ("Workshop", "In English.")
    assert copy.registrations.count() == 0 and session.registrations.count() == 1


# Editions: the programme switch, the preview link and copy to next year


def test_edition_publish_programme_switch(editor_client):
    edition = EditionFactory(year=2027, is_published=False)
    editor_client.post("/admin/events/edition/", {"action": "publish_programme", "_selected_action": [edition.pk]})
    edition.refresh_from_db()
    assert edition.is_published is True
    assert edition.history.first().history_user.groups.get().name == "Programredaktör"


def test_edition_change_page_links_to_preview(editor_client):
    edition = EditionFactory(year=2027, is_published=False)
    response = editor_client.get(f"/admin/events/edition/{edition.pk}/change/")
    assert b'href="/siv/2027/?forhandsvisning=1"' in response.content


def test_copy_edition_action_with_sessions_moves_them_to_same_weekday(editor_client, edition):
    edition.proposal_deadline = datetime.date(2026, 9, 30)
    edition.save()
    tuesday = SessionFactory(
        edition=edition, slug="tisdag", start=local(2026, 11, 10, 13, 30), end=local(2026, 11, 10, 15)
    )
    SessionFactory(edition=edition, slug="inställd", status="cancelled", cancellation_note="Nej.")
    selected = {"action": "copy_to_next_year", "_selected_action": [edition.pk]}
    page = editor_client.post("/admin/events/edition/", selected)
    assert b'name="with_sessions"' in page.content
    response = editor_client.post("/admin/events/edition/", {
        "action": "copy_to_next_year", "_selected_action": [edition.pk], "post": "yes", "with_sessions": "on",
    })
    new = Edition.objects.get(year=2027)
    assert response["Location"] == reverse("admin:events_edition_change", args=[new.pk])
    assert (new.start_date, new.end_date, new.is_published, new.title) == (
        datetime.date(2027, 11, 15), datetime.date(2027, 11, 21), False, "Sörmlands innovationsvecka 2027",
    )
    assert new.proposal_deadline == datetime.date(2027, 10, 6)
    copy = new.sessions.get()
    assert (copy.slug, copy.status, copy.local_start.isoweekday(), copy.local_start.date()) == (
        "tisdag", "draft", 2, datetime.date(2027, 11, 16),
    )
    assert (copy.local_start.time(), copy.local_end.time()) == (datetime.time(13, 30), datetime.time(15, 0))
    assert copy.uid != tuesday.uid


def test_copy_edition_twice_says_it_exists(editor_client, edition):
    services.copy_edition(edition=edition)
    response = editor_client.post("/admin/events/edition/", {
        "action": "copy_to_next_year", "_selected_action": [edition.pk], "post": "yes",
    })
    assert texts(response) == ["Upplagan 2027 finns redan."]


# The list


def test_session_list_shows_columns_in_stockholm_time(editor_client, edition):
    organisation = OrganisationFactory(name="Almi")
    SessionFactory(edition=edition, title="Frukost", status="proposed", start=local(2026, 11, 10, 8, 30),
                   end=local(2026, 11, 10, 10), organisers=[organisation])
    response = editor_client.get(CHANGELIST)
    row = response.context["cl"].result_list[0]
    admin = response.context["cl"].model_admin
    assert admin.day_and_time(row) == "tis 10 nov 08:30–10:00"
    assert (admin.municipality(row), admin.organiser_names(row)) == ("Eskilstuna", "Almi")
    assert 'href="/siv/2026/programpunkt-' in admin.preview_link(row) and "forhandsvisning=1" in admin.preview_link(row)


def test_session_list_day_filter_lists_edition_days(editor_client, edition):
    SessionFactory(edition=edition, start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10))
    SessionFactory(edition=edition, start=local(2026, 11, 11, 9), end=local(2026, 11, 11, 10))
    response = editor_client.get(CHANGELIST + "?dag=2026-11-11")
    assert [s.local_start.day for s in response.context["cl"].result_list] == [11]
    assert b"onsdag 11 november 2026" in response.content


def test_session_list_unknown_day_shows_nothing_not_error(editor_client, edition):
    SessionFactory(edition=edition)
    response = editor_client.get(CHANGELIST + "?dag=inte-ett-datum")
    assert (response.status_code, len(response.context["cl"].result_list)) == (200, 0)


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_session_list_query_count_is_constant(editor_client, edition):
    organisations = OrganisationFactory.create_batch(3)
    venue = VenueFactory()
    SessionFactory.create_batch(
        3, edition=edition, venue=venue, organisers=organisations, themes=[theme("life-science")]
    )
    few = list_queries(editor_client)
    SessionFactory.create_batch(297, edition=edition, venue=venue, organisers=organisations)
    many = list_queries(editor_client)
    # One of them asks whether the user has the second factor on (innovationsvecka.twofactor).
    assert (few, many) == (17, 17)


def test_session_change_page_view_on_site_previews_drafts(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft", slug="utkast")
    response = editor_client.get(f"{CHANGELIST}{session.pk}/change/")
    assert b'href="/siv/2026/utkast/?forhandsvisning=1"' in response.content


def test_session_change_page_view_on_site_of_published_is_plain(editor_client, edition):
    session = SessionFactory(edition=edition, status="published", slug="publicerad")
    response = editor_client.get(f"{CHANGELIST}{session.pk}/change/")
    assert b'href="/siv/2026/publicerad/"' in response.content


def test_publish_action_refuses_session_that_breaks_a_rule(editor_client, edition):
    proposal = SessionFactory(edition=edition, status="proposed", title="Utan plats", venue=None)
    fine = SessionFactory(edition=edition, status="proposed")
    response = action(editor_client, "publish_sessions", [proposal, fine], post="yes")
    assert texts(response) == [
        "”Utan plats” publicerades inte: En programpunkt på plats eller hybrid behöver en plats.",
        "1 programpunkt publicerades.",
    ]
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
