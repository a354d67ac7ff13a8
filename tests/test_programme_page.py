import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from events.models import Session
from tests.factories import EditionFactory, OrganisationFactory, SessionFactory, local, theme


def session_titles(response):
    return [s.title for s in response.context["sessions"]]


@pytest.mark.django_db
def test_programme_lists_public_sessions_in_day_and_time_order(client, edition):
    late = SessionFactory(edition=edition, title="Tisdag", start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10))
    early = SessionFactory(edition=edition, title="Måndag sen", start=local(2026, 11, 9, 15), end=local(2026, 11, 9, 16))
    first = SessionFactory(edition=edition, title="Måndag tidig", start=local(2026, 11, 9, 8), end=local(2026, 11, 9, 9))
    SessionFactory(edition=edition, title="Utkast", status=Session.Status.DRAFT)
    SessionFactory(edition=edition, title="Förslag", status=Session.Status.PROPOSED)
    response = client.get("/siv/2026/")
    assert response.status_code == 200
    assert session_titles(response) == [first.title, early.title, late.title]
    html = response.content.decode()
    assert "Måndag 9 november" in html and "Tisdag 10 november" in html
    assert "Utkast" not in html and "Förslag" not in html


@pytest.mark.django_db
def test_unpublished_programme_shows_coming_soon(client):
    EditionFactory(year=2027, is_published=False, intro="Snart kommer programmet.")
    SessionFactory(edition__year=2027, title="Hemlig punkt")
    response = client.get("/siv/2027/")
    html = response.content.decode()
    assert "Programmet för 2027 års innovationsvecka kommer att finnas här." in html
    assert "Snart kommer programmet." in html
    assert "Hemlig punkt" not in html


@pytest.mark.django_db
def test_root_redirects_to_programme(client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/siv/")


@pytest.mark.django_db
def test_unknown_year_and_slug_give_404(client, edition):
    assert client.get("/siv/1999/").status_code == 404
    assert client.get("/siv/2026/finns-inte/").status_code == 404


@pytest.mark.django_db
def test_draft_session_page_is_not_public(client, edition):
    draft = SessionFactory(edition=edition, status=Session.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def programme_queries(client, count):
    edition = EditionFactory(year=2026)
    orgs = OrganisationFactory.create_batch(2)
    for _ in range(count):
        SessionFactory(edition=edition, themes=[theme("smart-industri")], organisers=orgs)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/siv/2026/")
    assert len(response.context["sessions"]) == count
    return len(queries)


@pytest.mark.django_db
def test_programme_query_count_does_not_grow_with_sessions(client):
    small = programme_queries(client, 3)
    Session.objects.all().delete()
    assert programme_queries(client, 30) == small
