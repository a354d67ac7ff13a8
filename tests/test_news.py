"""The Atom feed of new and changed sessions (/siv/nyheter.xml), read with feedparser as a reader would."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from events.models import Session
from tests.factories import EditionFactory, OrganisationFactory, SessionFactory, local


def stamp(day, hour=12):
    return timezone.make_aware(datetime.datetime(2026, 10, day, hour))


@pytest.mark.django_db
def test_news_feed_lists_new_and_changed_sessions_newest_change_first(client, edition):
    almi = OrganisationFactory(name="Almi")
    old = SessionFactory(edition=edition, title="Gammal", start=local(2026, 11, 9, 9), organisers=[almi])
    moved = SessionFactory(edition=edition, title="Flyttad", start=local(2026, 11, 10, 13), end=local(2026, 11, 10, 15))
    cancelled = SessionFactory(edition=edition, title="Inställd", status=Session.Status.CANCELLED)
    withdrawn = SessionFactory(edition=edition, title="Tillbakadragen", status=Session.Status.DRAFT,
                               first_published=stamp(1))  # fmt: skip
    SessionFactory(edition=edition, title="Utkast", status=Session.Status.DRAFT)
    SessionFactory(edition=EditionFactory(year=2027, is_published=False), title="Nästa år")
    for session, day in [(old, 2), (moved, 20), (cancelled, 15), (withdrawn, 10)]:
        Session.objects.filter(pk=session.pk).update(updated=stamp(day))

    response = client.get("/siv/nyheter.xml")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Nytt och ändrat i programmet – Sörmlands innovationsvecka"
    assert feed.feed.link == "https://siv.example.org/siv/"
    assert [entry.title for entry in feed.entries] == ["Flyttad", "INSTÄLLT: Inställd", "INSTÄLLT: Tillbakadragen",
                                                       "Gammal"]  # fmt: skip
    first = feed.entries[0]
    assert first.link == f"https://siv.example.org/siv/2026/{moved.slug}/"
    assert first.id == f"urn:uuid:{moved.uid}"
    assert first.updated_parsed[:5] == (2026, 10, 20, 10, 0)  # 12:00 Swedish summer time, in UTC
    assert first.summary.startswith("2026-11-10 13:00–15:00 · ")
    assert feed.entries[3].author == "Almi"


@pytest.mark.django_db
def test_news_feed_in_english_and_empty(client):
    feed = feedparser.parse(client.get("/en/siv/nyheter.xml").content)
    assert not feed.bozo
    assert feed.feed.title == "New and changed in the programme – Sörmland Innovation Week"
    assert feed.entries == []
