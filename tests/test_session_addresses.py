"""Issue 11, items 19 and 20: a session keeps its old addresses, a withdrawn one answers 410, and the slugs
that name pages under /siv/<year>/ are reserved. Through the real admin, services and public views."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from events import services
from events.addresses import RESERVED_SLUGS
from events.models import Edition, OldSessionAddress, Session
from tests.conftest import login_staff
from tests.factories import EditionFactory, SessionFactory, VenueFactory, programme_editor

CHANGELIST = "/admin/events/session/"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def editor_client(client, db):
    login_staff(client, programme_editor())
    return client


def change_data(session, **overrides):
    start, end = session.local_start, session.local_end
    data = {
        "edition": session.edition_id, "title": session.title, "slug": session.slug, "status": session.status,
        "cancellation_note": session.cancellation_note, "start_0": f"{start:%Y-%m-%d}", "start_1": f"{start:%H:%M}",
        "end_0": f"{end:%Y-%m-%d}", "end_1": f"{end:%H:%M}", "format": session.format, "venue": session.venue_id,
        "online_url": "", "online_note": "", "summary": session.summary, "description": "", "language": "sv",
        "cost": "", "registration_url": "", "registration_deadline_0": "", "registration_deadline_1": "",
        "capacity": "",
    }
    data.update(overrides)
    return data


def published(edition, slug, **kwargs):
    session = SessionFactory(edition=edition, slug=slug, status="draft", **kwargs)
    return services.publish(session=session)


def rename(session, slug):
    session.slug = slug
    return services.save_session(session=session)


# Item 19: old addresses redirect


def test_slug_changed_in_the_admin_redirects_page_and_ics(editor_client, edition):
    session = published(edition, "gammal", title="Vätgasfrukost")
    asked = editor_client.post(f"{CHANGELIST}{session.pk}/change/", change_data(session, slug="ny"))
    assert asked.templates[0].name == "admin/events/session/confirm_save.html"  # a public address: asked first
    response = editor_client.post(f"{CHANGELIST}{session.pk}/change/", change_data(session, slug="ny", _bekraftat="1"))
    assert response.status_code == 302
    editor_client.logout()
    page = editor_client.get("/siv/2026/gammal/")
    assert (page.status_code, page["Location"]) == (301, "/siv/2026/ny/")
    ics = editor_client.get("/siv/2026/gammal.ics")
    assert (ics.status_code, ics["Location"]) == (301, "/siv/2026/ny.ics")
    assert "Vätgasfrukost" in editor_client.get("/siv/2026/ny/").content.decode()
    assert editor_client.get("/siv/2026/ny.ics").status_code == 200


def test_parameters_the_page_does_not_read_are_dropped_from_the_redirect(client, edition):
    """The caching contract (innovationsvecka.pagecache): a page sees only the parameters it knows."""
    rename(published(edition, "gammal"), "ny")
    response = client.get("/siv/2026/gammal/?utm_source=nyhetsbrev&q=v%C3%A4tgas")
    assert (response.status_code, response["Location"]) == (301, "/siv/2026/ny/")
    ics = client.get("/siv/2026/gammal.ics?x=1")
    assert (ics.status_code, ics["Location"]) == (301, "/siv/2026/ny.ics")


def test_chain_redirects_straight_to_the_newest_address(client, edition):
    session = rename(rename(published(edition, "a"), "b"), "c")
    for old in ("a", "b"):
        response = client.get(f"/siv/2026/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/siv/2026/c/")
        ics = client.get(f"/siv/2026/{old}.ics")
        assert (ics.status_code, ics["Location"]) == (301, "/siv/2026/c.ics")
    assert client.get("/siv/2026/c/").status_code == 200
    assert set(OldSessionAddress.objects.values_list("slug", "session")) == {("a", session.pk), ("b", session.pk)}


def test_back_to_an_old_slug_serves_the_page_and_keeps_the_other_redirect(client, edition):
    session = rename(rename(published(edition, "a"), "b"), "a")
    assert client.get("/siv/2026/a/").status_code == 200
    assert client.get("/siv/2026/b/")["Location"] == "/siv/2026/a/"
    assert session.old_addresses.count() == 2  # harmless: a session living at an address wins over its row


def test_a_new_session_taking_an_old_slug_wins_over_the_redirect(client, edition):
    rename(published(edition, "gammal", title="Den första"), "ny")
    published(edition, "gammal", title="Den andra")
    response = client.get("/siv/2026/gammal/")
    assert response.status_code == 200 and "Den andra" in response.content.decode()
    assert client.get("/siv/2026/gammal.ics").status_code == 200
    assert "Den andra" in client.get("/siv/2026/gammal.ics").content.decode()


def test_moving_to_another_edition_in_the_admin_keeps_the_old_address(editor_client, edition):
    EditionFactory(year=2027)
    next_year = Edition.objects.get(year=2027)
    session = published(edition, "flyttad")
    data = change_data(
        session, edition=next_year.pk, start_0="2027-11-16", start_1="10:00", end_0="2027-11-16", end_1="11:00"
    )
    assert editor_client.post(f"{CHANGELIST}{session.pk}/change/", data).status_code == 302
    response = editor_client.get("/siv/2026/flyttad/")
    assert (response.status_code, response["Location"]) == (301, "/siv/2027/flyttad/")


def test_english_address_redirects_to_the_english_new_address(client, edition):
    rename(published(edition, "gammal"), "ny")
    response = client.get("/en/siv/2026/gammal/?a=1")
    assert (response.status_code, response["Location"]) == (301, "/en/siv/2026/ny/")
    ics = client.get("/en/siv/2026/gammal.ics")
    assert (ics.status_code, ics["Location"]) == (301, "/en/siv/2026/ny.ics")


def test_renamed_draft_that_was_never_public_reveals_nothing(client, edition):
    draft = SessionFactory(edition=edition, slug="hemligt", status="draft")
    rename(draft, "hemligare")
    assert OldSessionAddress.objects.filter(slug="hemligt").exists()
    for url in ("/siv/2026/hemligt/", "/siv/2026/hemligt.ics"):
        response = client.get(url)
        assert response.status_code == 404 and "hemligare" not in response.content.decode()


def test_staff_who_may_preview_follow_a_draft_to_its_new_address(editor_client, edition):
    rename(SessionFactory(edition=edition, slug="utkast", status="draft"), "utkast-nytt")
    response = editor_client.get("/siv/2026/utkast/?forhandsvisning=1")
    assert (response.status_code, response["Location"]) == (301, "/siv/2026/utkast-nytt/?forhandsvisning=1")


def test_saving_without_changing_the_address_records_nothing(editor_client, edition):
    session = published(edition, "stilla")
    services.cancel(session=session, note="Flyttas till våren.")
    editor_client.post(f"{CHANGELIST}{session.pk}/change/", change_data(session, title="Ny rubrik"))
    services.duplicate(session=session)
    assert not OldSessionAddress.objects.exists()


def test_deleting_a_session_takes_its_old_addresses_with_it(client, edition):
    session = rename(SessionFactory(edition=edition, slug="a", status="draft"), "b")
    session.delete()
    assert not OldSessionAddress.objects.exists()
    assert client.get("/siv/2026/a/").status_code == 404


# Item 20: a withdrawn session answers 410


def withdrawn(edition, slug="indragen", **kwargs):
    return services.unpublish(session=published(edition, slug, **kwargs))


def test_withdrawn_session_answers_410_with_a_way_to_the_programme(client, edition):
    session = withdrawn(edition, title="Offentlig rubrik")
    session.title = "Hemlig ny rubrik i utkastet"
    services.save_session(session=session)
    response = client.get("/siv/2026/indragen/")
    assert response.status_code == 410
    assert [t.name for t in response.templates][0] == "events/session_gone.html"
    html = response.content.decode()
    assert "Programpunkten är inte längre med i programmet" in html
    assert 'href="/siv/2026/"' in html
    assert "Hemlig ny rubrik" not in html and "Offentlig rubrik" not in html
    assert "felskriven" not in html  # not the "you mistyped the address" page
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"] == "no-cache"


def test_withdrawn_back_to_proposal_is_410_too(client, edition):
    session = published(edition, "tillbaka")
    session.status = Session.Status.PROPOSED
    services.save_session(session=session)
    assert client.get("/siv/2026/tillbaka/").status_code == 410


def test_withdrawn_page_in_english(client, edition):
    withdrawn(edition)
    response = client.get("/en/siv/2026/indragen/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "This session is no longer in the programme" in html and 'href="/en/siv/2026/"' in html


def test_old_address_of_a_withdrawn_session_redirects_to_the_410(client, edition):
    rename(withdrawn(edition, "forst"), "sedan")
    response = client.get("/siv/2026/forst/")
    assert (response.status_code, response["Location"]) == (301, "/siv/2026/sedan/")
    assert client.get("/siv/2026/sedan/").status_code == 410


def test_never_published_draft_stays_a_plain_404(client, edition):
    SessionFactory(edition=edition, slug="aldrig", status="draft")
    response = client.get("/siv/2026/aldrig/")
    assert response.status_code == 404
    assert "felskriven" in response.content.decode()


def test_withdrawn_session_of_an_unpublished_edition_is_a_404(client, db):
    edition = EditionFactory(year=2027, is_published=False)
    withdrawn(edition)
    assert client.get("/siv/2027/indragen/").status_code == 404


def test_cancelled_session_keeps_its_normal_page(client, edition):
    session = services.cancel(session=published(edition, "installd", title="Inställd frukost"), note="Sjukdom.")
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200 and "Inställd frukost" in response.content.decode()


def test_staff_who_may_view_it_get_the_preview_of_a_withdrawn_session(editor_client, edition):
    withdrawn(edition, title="Indragen punkt")
    response = editor_client.get("/siv/2026/indragen/")
    assert response.status_code == 200 and "Indragen punkt" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_withdrawn_session_keeps_its_ics_as_cancelled(client, edition):
    """Calendars that imported it must hear it is off; the .ics is not a 410."""
    withdrawn(edition)
    response = client.get("/siv/2026/indragen.ics")
    assert response.status_code == 200 and "STATUS:CANCELLED" in response.content.decode()


# Reserved slugs


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_reserved_slug_is_refused_in_the_admin_with_a_reason(editor_client, edition, slug):
    data = change_data(SessionFactory.build(edition=edition, venue=VenueFactory(), slug="x", status="draft"))
    data["slug"] = slug
    response = editor_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert errors == [f"Kortnamnet ”{slug}” används av en annan sida på webbplatsen. Välj ett annat."]
    assert not Session.objects.filter(slug=slug).exists()


def test_reserved_slug_message_in_english(edition):
    session = SessionFactory.build(edition=edition, slug="kalender")
    with translation.override("en"):
        message = services.session_problems(session)["slug"]
    assert message == "The short name “kalender” is used by another page of the site. Choose another."


@pytest.mark.parametrize("title", ["Kalender", "Vecka", "API", "Inbäddning", "Anmälan", "Karta"])
def test_unique_slug_steps_around_reserved_slugs(edition, title):
    slug = services.unique_slug(edition=edition, base=title)
    assert slug not in RESERVED_SLUGS and slug.endswith("-2")


def test_proposal_titled_like_a_page_gets_a_free_slug(client, db):
    """Through the public proposal form, which names the session after its title."""
    from django.core.cache import cache

    from tests.test_proposal import valid_post

    year = datetime.date.today().year + 1  # the form takes proposals for an upcoming edition only
    open_edition = EditionFactory(year=year, proposal_deadline=datetime.date(year, 10, 1), is_published=False)
    cache.clear()
    response = client.post("/siv/foresla/", valid_post(open_edition, title="Kalender"))
    assert response.status_code == 302
    assert Session.objects.get().slug == "kalender-2"


# Hostile addresses: 404, never 500


@pytest.mark.parametrize(
    "url",
    [
        "/siv/99999999999999999999/x/",
        "/siv/99999999999999999999/x.ics",
        "/siv/99999999999999999999/",
        "/siv/0/x/",
        "/siv/0/x.ics",
        "/siv/2026/" + "a" * 600 + "/",
        "/siv/2026/" + "a" * 600 + ".ics",
        "/siv/2026/%00/",
        "/siv/2026/..%2Fadmin/",
        "/siv/2026/%C3%A5%C3%A4/",
        "/siv/2026/-/",
        "/siv/2026/finns-inte/?forhandsvisning=1",
        "/en/siv/99999999999999999999/x/",
        "/en/siv/2026/finns-inte.ics",
    ],
)
def test_odd_years_and_slugs_are_404(client, edition, url):
    published(edition, "riktig")
    rename(published(edition, "gammal"), "ny")
    assert client.get(url).status_code == 404


def test_odd_addresses_for_staff_are_404_too(editor_client, edition):
    for url in ["/siv/99999999999999999999/x/?forhandsvisning=1", "/siv/2026/finns-inte/?forhandsvisning=1"]:
        assert editor_client.get(url).status_code == 404


def test_the_410_costs_no_more_than_the_404(client, edition):
    """Cheap: the one query that finds the session, then the base template's usual queries."""
    withdrawn(edition)
    client.get("/siv/2026/indragen/")  # warm up once-per-process lookups
    with CaptureQueriesContext(connection) as gone:
        assert client.get("/siv/2026/indragen/").status_code == 410
    with CaptureQueriesContext(connection) as missing:
        assert client.get("/siv/2026/finns-inte/").status_code == 404
    assert len(gone) < len(missing)
    assert sum(q["sql"].startswith('SELECT "events_session"."id"') for q in gone.captured_queries) == 1
