"""A session form that explains itself (issue 15): fieldsets in the order staff think, one day with a start and
an end time, help texts, checkboxes, a confirmation before publishing, cancelling or moving a public address, and
venues that can be told apart."""

import json

from events.models import Session, Venue
from tests.admin_post import posted
from tests.conftest import text
from tests.factories import SessionFactory, VenueFactory, local, municipality, theme

CHANGELIST = "/admin/events/session/"


def change_url(session):
    return f"{CHANGELIST}{session.pk}/change/"


def test_fieldsets_follow_what_when_where_who(editor_client, edition):
    session = SessionFactory(edition=edition)
    page = editor_client.get(change_url(session))
    fieldsets = [(fieldset.name, [line.fields for line in fieldset]) for fieldset in page.context["adminform"]]
    assert [name for name, _ in fieldsets] == [
        "Vad", "På engelska", "När", "Var", "Vilka", "Anmälan", "Anmälan här på webbplatsen", "Status",
        "Förslag och kalender",
    ]
    assert [field for line in fieldsets[0][1] for field in line] == [
        "title", "slug", "summary", "description", "themes", "audiences", "language"
    ]
    assert [field for line in dict(fieldsets)["Anmälan"] for field in line] == [
        "registration_mode", "registration_url", "registration_deadline", "capacity", "is_full", "cost"
    ]


def test_times_are_shown_without_seconds_and_the_end_day_only_past_midnight(editor_client, edition):
    session = SessionFactory(edition=edition, start=local(2026, 11, 10, 9, 30), end=local(2026, 11, 10, 11))
    html = editor_client.get(change_url(session)).content.decode()
    assert 'name="start_1" value="09:30"' in html.replace(' class="vTimeField"', "")
    assert 'name="end_1" value="11:00"' in html.replace(' class="vTimeField"', "")
    assert 'name="end_0" value=' not in html  # same day: the end day box is empty
    assert "Slutdag, om en annan:" in html


def test_end_time_alone_ends_on_the_start_day(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft", start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10))
    page = editor_client.get(change_url(session))
    data = posted(page, start_0="2026-11-11", start_1="13:00", end_0="", end_1="15:00")
    assert editor_client.post(change_url(session), data).status_code == 302
    session.refresh_from_db()
    assert (session.start, session.end) == (local(2026, 11, 11, 13), local(2026, 11, 11, 15))


def test_a_session_past_midnight_sets_an_end_day(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    page = editor_client.get(change_url(session))
    earlier = editor_client.post(change_url(session), posted(page, start_0="2026-11-12", start_1="22:00",
                                                             end_0="", end_1="01:00"))  # fmt: skip
    assert earlier.context["adminform"].form.errors["end"] == [
        "Sluttiden måste vara efter starttiden. Pågår programpunkten över midnatt, ange slutdagen."
    ]
    data = posted(page, start_0="2026-11-12", start_1="22:00", end_0="2026-11-13", end_1="01:00")
    assert editor_client.post(change_url(session), data).status_code == 302
    session.refresh_from_db()
    assert session.end == local(2026, 11, 13, 1)


def test_help_texts_and_checkboxes(editor_client, edition):
    page = editor_client.get(f"{CHANGELIST}add/")
    shown = text(page)
    assert "Ändrar du den ändras adressen" in shown
    assert "Utkast och förslag syns bara här i administrationen" in shown
    assert "Högst 300 tecken" in shown
    assert "Lämna tomt om det inte finns någon gräns." in shown
    assert "”Fullbokat”" in shown
    html = page.content.decode()
    assert f'type="checkbox" name="themes" value="{theme("smart-industri").pk}"' in html
    assert 'name="audiences"' in html and "selectfilter" not in html.lower()
    assert "js/admin-session-form" in html


def test_publishing_in_the_form_is_asked_first_then_saved_like_the_action(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft", title="Frukost")
    page = editor_client.get(change_url(session))
    data = posted(page, status="published")
    asked = editor_client.post(change_url(session), data)
    assert asked.templates[0].name == "admin/events/session/confirm_save.html"
    assert "Programpunkten blir synlig för alla, i programmet och i kalendrarna." in text(asked)
    assert 'class="siv-go"' in asked.content.decode()  # not the red delete button
    session.refresh_from_db()
    assert (session.status, session.first_published) == ("draft", None)
    history = session.history.count()
    done = editor_client.post(change_url(session), {**data, "_bekraftat": "1"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.status == "published" and session.first_published is not None
    assert session.sequence == 1
    assert session.history.count() == history + 1


def test_cancelling_in_the_form_is_asked_first_with_the_note(editor_client, edition):
    session = SessionFactory(edition=edition, status="published")
    data = posted(editor_client.get(change_url(session)), status="cancelled", cancellation_note="Flyttas till våren.")
    asked = editor_client.post(change_url(session), data)
    assert "med meddelandet: ”Flyttas till våren.”" in text(asked)
    assert 'class="siv-go"' not in asked.content.decode()
    assert editor_client.post(change_url(session), {**data, "_bekraftat": "1"}).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancellation_note) == ("cancelled", "Flyttas till våren.")


def test_ordinary_saves_and_draft_slugs_are_not_asked(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft", slug="gammal")
    page = editor_client.get(change_url(session))
    assert editor_client.post(change_url(session), posted(page, slug="ny")).status_code == 302
    published = SessionFactory(edition=edition, status="published")
    page = editor_client.get(change_url(published))
    assert editor_client.post(change_url(published), posted(page, title="Ny rubrik")).status_code == 302


def test_slug_of_a_public_session_is_asked_first(editor_client, edition):
    session = SessionFactory(edition=edition, status="published", slug="gammal")
    asked = editor_client.post(change_url(session), posted(editor_client.get(change_url(session)), slug="ny"))
    assert "Adressen ändras från /siv/2026/gammal/ till /siv/2026/ny/." in text(asked)
    assert Session.objects.get(pk=session.pk).slug == "gammal"


def test_publish_action_button_is_not_red_but_cancel_is(editor_client, edition):
    drafts = SessionFactory.create_batch(2, edition=edition, status="draft")
    page = editor_client.post(CHANGELIST, {"action": "publish_sessions", "_selected_action": [s.pk for s in drafts]})
    assert 'value="Ja, publicera" class="siv-go"' in page.content.decode()
    live = SessionFactory(edition=edition, status="published")
    page = editor_client.post(CHANGELIST, {"action": "cancel_sessions", "_selected_action": [live.pk]})
    assert 'value="Ja, ställ in">' in page.content.decode()


def test_venue_autocomplete_shows_street_and_municipality(editor_client, edition):
    venue = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11")
    response = editor_client.get("/admin/autocomplete/", {
        "app_label": "events", "model_name": "session", "field_name": "venue", "term": "Munktell",
    })
    assert json.loads(response.content)["results"] == [
        {"id": str(venue.pk), "text": "Munktell Science Park, Verkstadsgatan 11, Eskilstuna"}
    ]
    session = SessionFactory(edition=edition, venue=venue)
    assert "Munktell Science Park, Verkstadsgatan 11, Eskilstuna</option>" in editor_client.get(
        change_url(session)).content.decode()


def venue_post(**values):
    data = {"name": "Munktell", "street_address": "", "postcode": "", "town": "",
            "municipality": municipality("eskilstuna").pk, "latitude": "", "longitude": "", "accessibility": ""}
    return {**data, **values}


def test_a_second_venue_with_the_same_name_warns_and_links_the_first(editor_client):
    existing = VenueFactory(name="Munktell", street_address="Verkstadsgatan 11")
    page = editor_client.post("/admin/events/venue/add/", venue_post(name="munktell "))
    assert page.status_code == 200
    errors = page.context["adminform"].form.non_field_errors()
    assert f'<a href="/admin/events/venue/{existing.pk}/change/">' in str(errors)
    assert "Det finns redan en plats som heter ”Munktell” i Eskilstuna" in text(page)
    assert Venue.objects.count() == 1
    again = editor_client.post("/admin/events/venue/add/", venue_post(same_name_ok="on"))
    assert again.status_code == 302
    assert Venue.objects.count() == 2
    other_town = editor_client.post("/admin/events/venue/add/", venue_post(municipality=municipality("nykoping").pk))
    assert other_town.status_code == 302


def test_venue_form_explains_coordinates(editor_client):
    assert "Högerklicka på platsen i OpenStreetMap" in text(editor_client.get("/admin/events/venue/add/"))


def test_a_new_session_saved_as_published_is_asked_first(editor_client, edition):
    venue = VenueFactory()
    add = editor_client.get(f"{CHANGELIST}add/")
    data = posted(add, title="Ny", slug="ny", status="published", start_0="2026-11-10", start_1="09:00",
                  end_0="", end_1="10:00", format="plats", venue=str(venue.pk), summary="Kort.")
    asked = editor_client.post(f"{CHANGELIST}add/", data)
    assert asked.templates[0].name == "admin/events/session/confirm_save.html"
    assert not Session.objects.filter(slug="ny").exists()
    assert editor_client.post(f"{CHANGELIST}add/", {**data, "_bekraftat": "1"}).status_code == 302
    session = Session.objects.get(slug="ny")
    assert (session.status, session.end, session.first_published is not None) == (
        "published", local(2026, 11, 10, 10), True
    )
    assert [record.history_type for record in session.history.all()] == ["+"]


def test_the_day_and_time_boxes_each_have_a_label(editor_client, edition):
    """axe: "Form elements must have labels". Django's split widget writes "Dag:" and "Klockan:" as plain text."""
    html = editor_client.get(change_url(SessionFactory(edition=edition))).content.decode()
    for box, label in [("start_0", "Dag:"), ("start_1", "Klockan:"), ("end_0", "Slutdag, om en annan:"),
                      ("end_1", "Klockan:")]:  # fmt: skip
        assert f'<label for="id_{box}">{label}</label>' in html, box
        assert f'id="id_{box}"' in html
