"""The programme's other pages: archive, now and next, about, accessibility, and the shared layout."""

import datetime
import re

import pytest
from django.utils import timezone

from events.models import Edition, Session
from tests.conftest import text
from tests.factories import EditionFactory, SessionFactory, local, the_edition

pytestmark = pytest.mark.usefixtures("no_page_cache")


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.mark.django_db
def test_archive_lists_every_edition_with_its_public_session_count(client, edition):
    EditionFactory(year=2025)
    EditionFactory(year=2027, is_published=False)
    SessionFactory.create_batch(2, edition=edition)
    SessionFactory(edition=edition, status=Session.Status.CANCELLED)
    SessionFactory(edition=edition, status=Session.Status.DRAFT)
    SessionFactory(edition=the_edition(2025))
    response = client.get("/siv/arkiv/")
    html = response.content.decode()
    headings = re.findall(r'<h2><a href="(/siv/\d+/)">([^<]+)</a></h2>', html)
    assert headings == [
        ("/siv/2027/", "Sörmlands innovationsvecka 2027"),
        ("/siv/2026/", "Sörmlands innovationsvecka 2026"),
        ("/siv/2025/", "Sörmlands innovationsvecka 2025"),
    ]
    page = text(response)
    assert "9 november till 15 november 2026 3 programpunkter" in page
    assert "10 november till 16 november 2025 1 programpunkt" in page
    assert "Programmet är inte publicerat än." in page


@pytest.mark.django_db
def test_past_edition_programme_stays_available(client, edition):
    SessionFactory(
        edition=the_edition(2025), title="Förra året", start=local(2025, 11, 11, 10), end=local(2025, 11, 11, 11)
    )
    response = client.get("/siv/2025/")
    assert [s.title for s in response.context["sessions"]] == ["Förra året"]
    assert "Tisdag 11 november" in response.content.decode()


@pytest.mark.django_db
def test_now_during_the_week_shows_ongoing_and_next(client):
    today = timezone.localdate()
    now = timezone.localtime()
    week = EditionFactory(
        year=2031, start_date=today - datetime.timedelta(days=1), end_date=today + datetime.timedelta(days=2)
    )
    SessionFactory(
        edition=week,
        title="Pågår",
        start=now - datetime.timedelta(minutes=30),
        end=now + datetime.timedelta(minutes=30),
    )
    SessionFactory(
        edition=week, title="Slut", start=now - datetime.timedelta(hours=3), end=now - datetime.timedelta(hours=2)
    )
    SessionFactory(
        edition=week, title="Sen", start=now + datetime.timedelta(hours=5), end=now + datetime.timedelta(hours=6)
    )
    SessionFactory(
        edition=week, title="Snart", start=now + datetime.timedelta(hours=1), end=now + datetime.timedelta(hours=2)
    )
    SessionFactory(
        edition=week,
        title="Utkast",
        start=now - datetime.timedelta(minutes=5),
        end=now + datetime.timedelta(hours=1),
        status=Session.Status.DRAFT,
    )
    response = client.get("/siv/nu/")
    assert [s.title for s in response.context["ongoing"]] == ["Pågår"]
    assert [s.title for s in response.context["upcoming"]] == ["Snart", "Sen"]
    assert "Utkast" not in response.content.decode()


@pytest.mark.django_db
def test_now_outside_the_week_shows_next_edition_start(client):
    today = timezone.localdate()
    Edition.objects.all().delete()
    EditionFactory(year=2040)
    response = client.get("/siv/nu/")
    assert (
        "Just nu pågår ingen innovationsvecka. Sörmlands innovationsvecka 2040 börjar måndag 12 november 2040."
        in text(response)
    )
    assert response.context["running"] is None
    assert today < datetime.date(2040, 11, 12)


@pytest.mark.django_db
def test_about_page_shows_edition_text_and_the_four_themes(client, edition):
    edition.about = "Syftet är att visa stödet.\n\nBakgrund: regionen samordnar."
    edition.save()
    response = client.get("/siv/om/")
    html = response.content.decode()
    assert "<p>Syftet är att visa stödet.</p>" in html and "<p>Bakgrund: regionen samordnar.</p>" in html
    themes = re.findall(r'<dt><a href="/siv/\?tema=([a-z-]+)">([^<]+)</a></dt>', html)
    assert themes == [
        ("smart-industri", "Smart industri"),
        ("hallbar-livsmedelsforsorjning", "Hållbar livsmedelsförsörjning"),
        ("morgondagens-energilosningar", "Morgondagens energilösningar"),
        ("life-science", "Life science med välfärd och hälsa"),
    ]
    english = client.get("/en/siv/om/").content.decode()
    assert '<div class="about-text" lang="sv">' in english
    assert "Smart industry" in english


@pytest.mark.django_db
def test_about_text_is_escaped(client, edition):
    edition.about = "<script>alert(1)</script>"
    edition.save()
    html = client.get("/siv/om/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_accessibility_statement_has_status_contact_and_supervisor(client, edition):
    response = client.get("/siv/tillganglighet/")
    html = response.content.decode()
    page = text(response)
    assert "Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service" in page
    assert "lagen (2018:1937)" in page
    assert '<a href="mailto:region@regionsormland.se">region@regionsormland.se</a>' in html
    assert '<a href="tel:+46155245000">0155-24 50 00</a>' in html
    assert (
        '<a href="https://www.digg.se/tdosanmalan" rel="noopener">Anmäl bristande tillgänglighet till Digg</a>' in html
    )
    assert "Innehåll som inte är tillgängligt" in page


@pytest.mark.django_db
def test_footer_shows_newest_published_change(client, edition):
    draft = SessionFactory(edition=edition, status=Session.Status.DRAFT)
    public = SessionFactory(edition=edition)
    Edition.objects.update(updated=local(2026, 9, 1, 12))
    Session.objects.filter(pk=public.pk).update(updated=local(2026, 10, 14, 12))
    Session.objects.filter(pk=draft.pk).update(updated=local(2026, 10, 20, 12))
    html = client.get("/siv/om/").content.decode()
    assert '<p class="updated">Uppdaterad <time datetime="2026-10-14T12:00:00+02:00">14 oktober 2026</time></p>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/siv/", "/siv/nu/", "/siv/arkiv/", "/siv/om/", "/siv/tillganglighet/"])
def test_pages_link_the_other_language_with_hreflang(client, edition, path):
    html = client.get(path).content.decode()
    assert f'<link rel="alternate" hreflang="en" href="https://siv.example.org/en{path}">' in html
    assert f'<a href="/en{path}" lang="en" hreflang="en">English</a>' in html
    english = client.get("/en" + path).content.decode()
    assert f'<a href="{path}" lang="sv" hreflang="sv">Svenska</a>' in english
    assert f'<link rel="canonical" href="https://siv.example.org/en{path}">' in english
