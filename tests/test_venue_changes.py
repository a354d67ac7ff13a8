"""A venue's new address reaches subscribed calendars: its sessions' SEQUENCE rises (events.services.save_venue)."""

import pytest
from django.contrib.auth import get_user_model

from events.models import Session, Venue
from events.services import save_venue
from tests.factories import SessionFactory, VenueFactory
from tests.test_calendar import feed_for, parse_everywhere, uid


@pytest.fixture
def venue(db):
    return VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", town="Eskilstuna")


@pytest.mark.django_db
def test_a_new_address_raises_the_sequence_of_every_session_there_and_shows_in_the_feed(edition, venue):
    here = [SessionFactory(edition=edition, venue=venue, format=Session.Format.ON_SITE) for _ in range(2)]
    elsewhere = SessionFactory(edition=edition, venue=VenueFactory(), format=Session.Format.ON_SITE)
    before = parse_everywhere(feed_for(*here, elsewhere))
    changed_before = {session.pk: session.updated for session in here}
    venue.street_address = "Verkstadsgatan 5"
    save_venue(venue=venue)
    after = parse_everywhere(feed_for(*here, elsewhere))
    for session in here:
        assert (before[uid(session)]["SEQUENCE"], after[uid(session)]["SEQUENCE"]) == (0, 1)
        assert "Verkstadsgatan 5" in str(after[uid(session)]["LOCATION"])
        assert Session.objects.get(pk=session.pk).updated > changed_before[session.pk]  # LAST-MODIFIED follows
    assert after[uid(elsewhere)]["SEQUENCE"] == 0


@pytest.mark.django_db
def test_moving_the_map_pin_raises_the_sequence_but_accessibility_notes_do_not(edition, venue):
    session = SessionFactory(edition=edition, venue=venue, format=Session.Format.ON_SITE)
    venue.accessibility = "Hiss och hörslinga."
    save_venue(venue=venue)
    assert Session.objects.get(pk=session.pk).sequence == 0
    venue.latitude, venue.longitude = "59.371000", "16.509000"
    save_venue(venue=venue)
    venue.latitude, venue.longitude = "59.371", "16.509"  # the same place, written shorter
    save_venue(venue=venue)
    assert Session.objects.get(pk=session.pk).sequence == 1


@pytest.mark.django_db
def test_the_admin_saves_venues_through_save_venue(client, edition, venue):
    session = SessionFactory(edition=edition, venue=venue, format=Session.Format.ON_SITE)
    staff = get_user_model().objects.create_superuser("redaktor", "r@example.org", "ett-langt-losenord-123")
    client.force_login(staff)
    response = client.post(f"/admin/events/venue/{venue.pk}/change/", {
        "name": venue.name, "street_address": "Kungsgatan 2", "postcode": "632 20", "town": "Eskilstuna",
        "municipality": venue.municipality_id, "latitude": "", "longitude": "", "accessibility": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Venue.objects.get(pk=venue.pk).street_address == "Kungsgatan 2"
    assert Session.objects.get(pk=session.pk).sequence == 1
