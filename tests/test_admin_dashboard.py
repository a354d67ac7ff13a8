"""The admin's first page: the current edition at a glance, for the real staff groups (events/dashboard.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Session
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    actor_editor,
    local,
)

INDEX = "/admin/"
NOW = local(2026, 10, 20, 9)  # three weeks before the week: proposals still open


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def week(db):
    return EditionFactory(year=2026, proposal_deadline=datetime.date(2026, 10, 25), is_published=False)


def fine(edition, **kwargs):
    """A session with nothing to fix."""
    values = {"edition": edition, "contact": ContactFactory(), "status": "published"}
    return SessionFactory(**{**values, **kwargs})


def made_at(session, moment):
    Session.objects.filter(pk=session.pk).update(created=moment)


def test_dashboard_counts_sessions_by_status_with_links(editor_client, week):
    fine(week, status="draft")
    fine(week, status="draft")
    fine(week, status="published")
    fine(week, status="cancelled", cancellation_note="Flyttas.")
    counts = editor_client.get(INDEX).context["dashboard"]["counts"]
    assert [(row["label"], row["count"]) for row in counts] == [
        ("Utkast", 2), ("Förslag", 0), ("Publicerad", 1), ("Inställd", 1), ("Avböjd", 0)
    ]
    assert counts[0]["url"] == f"/admin/events/session/?edition__id__exact={week.pk}&status__exact=draft"
    assert editor_client.get(counts[0]["url"]).context["cl"].result_count == 2


def test_dashboard_lists_waiting_proposals_oldest_first_with_age(editor_client, week):
    newer = fine(week, status="proposed", title="Nyare", proposer_name="Bo")
    older = fine(week, status="proposed", title="Äldre", proposer_name="Ada")
    made_at(newer, NOW - datetime.timedelta(days=2))
    made_at(older, NOW - datetime.timedelta(days=10))
    rows = editor_client.get(INDEX).context["dashboard"]["proposals"]
    assert [(row["title"], row["proposer"], row["age"]) for row in rows] == [
        ("Äldre", "Ada", "10 dagar"), ("Nyare", "Bo", "2 dagar")
    ]
    assert rows[0]["url"] == f"/admin/events/session/{older.pk}/change/"


def test_dashboard_lists_problems_with_reasons(editor_client, week):
    venue = VenueFactory(name="Munktell")
    fine(week, title="Utan problem")
    first = fine(week, title="Krock ett", venue=venue)
    fine(week, title="Krock två", venue=venue, start=first.start + datetime.timedelta(minutes=30),
         end=first.end + datetime.timedelta(minutes=30))
    fine(week, title="Ingen kontakt", contact=None)
    fine(week, title="Ingen sammanfattning", summary="")
    fine(week, title="Platser utan anmälan", capacity=30)
    fine(week, title="Anmälan utan platser", registration_url="https://example.org/anmal")
    stale = fine(week, title="Gammalt förslag", status="proposed")
    made_at(stale, NOW - datetime.timedelta(days=9))
    fine(week, title="Inställd utan kontakt", contact=None, status="cancelled", cancellation_note="Flyttas.")
    page = editor_client.get(INDEX)
    problems = {row["title"]: row["reasons"] for row in page.context["dashboard"]["problems"]}
    assert problems == {
        "Krock ett": ["Samma plats (Munktell, Eskilstuna) som en annan programpunkt samtidigt."],
        "Krock två": ["Samma plats (Munktell, Eskilstuna) som en annan programpunkt samtidigt."],
        "Ingen kontakt": ["Kontaktperson saknas."],
        "Ingen sammanfattning": ["Sammanfattning saknas."],
        "Platser utan anmälan": [
            "Sista anmälningsdag, antal platser eller fullbokat är angivet men länk till anmälan saknas."
        ],
        "Anmälan utan platser": ["Anmälan finns men antal platser saknas."],
        "Gammalt förslag": ["Förslaget har väntat på beslut i 9 dagar."],
    }
    assert "Samma plats (Munktell, Eskilstuna) som en annan programpunkt samtidigt." in page.content.decode()


def test_dashboard_flags_a_past_draft(client, editor, week, monkeypatch):
    fine(week, title="Glömt utkast", status="draft")
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 11, 20, 9))
    client.force_login(editor)
    problems = client.get(INDEX).context["dashboard"]["problems"]
    assert [(row["title"], row["reasons"]) for row in problems] == [
        ("Glömt utkast", ["Har redan ägt rum men är fortfarande ett utkast."])
    ]


def test_dashboard_shows_deadlines_and_days(editor_client, week):
    fine(week, start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10))
    fine(week, start=local(2026, 11, 10, 23), end=local(2026, 11, 11, 1))  # a Tuesday evening, in local time
    fine(week, start=local(2026, 11, 12, 9), end=local(2026, 11, 12, 10), status="cancelled",
         cancellation_note="Flyttas.")
    dashboard = editor_client.get(INDEX).context["dashboard"]
    assert [(row["label"], row["date"], row["left"]) for row in dashboard["deadlines"]] == [
        ("Sista dag för programförslag", "söndag 25 oktober 2026", "om 5 dagar"),
        ("Programmet publiceras", "inte publicerat ännu", ""),
        ("Veckan", "måndag 9 november – söndag 15 november 2026", "om 20 dagar"),
    ]
    assert [(row["label"], row["count"]) for row in dashboard["days"]] == [
        ("måndag 9 november", 0), ("tisdag 10 november", 2), ("onsdag 11 november", 0),
        ("torsdag 12 november", 0), ("fredag 13 november", 0),
    ]
    assert dashboard["days"][1]["url"] == f"/admin/events/session/?edition__id__exact={week.pk}&dag=2026-11-10"
    assert editor_client.get(dashboard["days"][1]["url"]).context["cl"].result_count == 2


def test_actor_editor_sees_only_own_organisations(client, week):
    own, other = OrganisationFactory(), OrganisationFactory()
    fine(week, status="draft", organisers=[own], contact=None, title="Egen")
    fine(week, status="draft", organisers=[other], contact=None, title="Annans")
    fine(week, status="proposed", organisers=[own, other], title="Delad")
    client.force_login(actor_editor(own))
    dashboard = client.get(INDEX).context["dashboard"]
    assert dashboard["own_only"] is True
    assert [row["count"] for row in dashboard["counts"]] == [1, 1, 0, 0, 0]
    assert [row["title"] for row in dashboard["problems"]] == ["Egen"]
    assert [row["title"] for row in dashboard["proposals"]] == ["Delad"]


def test_innovationsveckan_comes_first_in_the_app_list(editor_client, week):
    apps = editor_client.get(INDEX).context["app_list"]
    assert apps[0]["name"] == "Innovationsveckan"


def test_axes_tables_have_swedish_names(admin_client, week):
    apps = {app["app_label"]: app for app in admin_client.get(INDEX).context["app_list"]}
    assert apps["axes"]["name"] == "Inloggningsspärrar"
    assert sorted(model["name"] for model in apps["axes"]["models"]) == [
        "Felaktiga inloggningar", "Inloggningar", "Misslyckade inloggningsförsök",
    ]


def queries_for_index(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["programme editor", "actor editor"])
def test_dashboard_query_count_is_constant(client, week, editor, role):
    own = OrganisationFactory()
    user = editor if role == "programme editor" else actor_editor(own)
    client.force_login(user)
    venue = VenueFactory()

    def add(count):
        for n in range(count):
            status = ["draft", "proposed", "published"][n % 3]
            fine(week, status=status, venue=venue, contact=None, summary="", organisers=[own],
                 start=local(2026, 11, 9 + n % 5, 8 + n % 10), end=local(2026, 11, 9 + n % 5, 9 + n % 10))

    add(3)
    few = queries_for_index(client)
    add(297)
    assert Session.objects.count() == 300
    assert queries_for_index(client) == few
    assert few == (12 if role == "programme editor" else 13)


@pytest.mark.django_db
def test_after_the_week_the_dashboard_is_about_next_years_edition(editor_client, monkeypatch):
    """As /siv/ (Edition.objects.home): in December staff prepare next year's week, not the one just over."""
    from tests.factories import EditionFactory

    year = timezone.localdate().year
    EditionFactory(year=year, is_published=True)
    coming = EditionFactory(year=year + 1, is_published=False)
    december = datetime.date(year, 12, 2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: december)
    assert editor_client.get(INDEX).context["dashboard"]["edition"] == coming
