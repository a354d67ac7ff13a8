import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Municipality, Session
from organisers.models import Contact, Organisation
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    local,
    municipality,
    support_type,
    the_edition,
)


def jsonld(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


@pytest.fixture
def almi(edition):
    org = OrganisationFactory(
        name="Almi Företagspartner Mälardalen",
        slug="almi",
        kind=Organisation.Kind.FUNDER,
        help_text="Vi ger lån.\n\nOch rådgivning.",
        website="https://www.almi.se",
        email="info@example.org",
        phone="08-46 50 05 00",
    )
    org.support_types.set([support_type("finansiering"), support_type("affarsutveckling")])
    org.municipalities.set([municipality("eskilstuna"), municipality("strangnas")])
    return org


@pytest.mark.django_db
def test_organisation_page_shows_how_they_help_and_how_to_reach_them(client, almi):
    html = client.get("/siv/aktorer/almi/").content.decode()
    assert "<h1>Almi Företagspartner Mälardalen</h1>" in html
    assert '<p class="org-kind">Finansiär eller bank</p>' in html
    assert '<h2 id="help-heading">Så kan vi hjälpa dig</h2>' in html
    assert '<div class="org-help"><p>Vi ger lån.</p>\n\n<p>Och rådgivning.</p></div>' in html
    assert (
        '<ul><li><a href="/siv/aktorer/?stod=affarsutveckling">Affärsutveckling</a></li>'
        '<li><a href="/siv/aktorer/?stod=finansiering">Finansiering</a></li></ul>'
    ) in html
    assert "<ul><li>Eskilstuna</li><li>Strängnäs</li></ul>" in html
    assert '<dd><a href="https://www.almi.se" rel="noopener">https://www.almi.se</a></dd>' in html
    assert '<dd><a href="tel:+46846500500">08-46 50 05 00</a></dd>' in html
    assert '<dd><a href="mailto:info@example.org">info@example.org</a></dd>' in html


@pytest.mark.django_db
def test_organisation_page_lists_public_contacts_in_order_with_tel_links(client, almi):
    second = ContactFactory(organisation=almi, name="Bo Andersson", order=2, phones="Telefon: 08-46 50 05 01")
    first = ContactFactory(
        organisation=almi, name="Sara Berg", title="Rådgivare", unit="Innovation", order=1,
        phones="Mobil: 070-174 06 05\n\n 08-46 50 05 02 ", email="sara@example.org",
    )
    ContactFactory(organisation=almi, name="Hemlig Person", is_public=False)
    response = client.get("/siv/aktorer/almi/")
    assert [c.name for c in response.context["organisation"].public_contacts] == ["Sara Berg", "Bo Andersson"]
    html = response.content.decode()
    assert "Hemlig Person" not in html
    assert '<p>Mobil: <a href="tel:+46701740605">070-174 06 05</a></p>' in html
    assert '<p>Telefon: <a href="tel:+46846500502">08-46 50 05 02</a></p>' in html
    assert '<p>E-post: <a href="mailto:sara@example.org">sara@example.org</a></p>' in html
    assert (
        f'<a href="/siv/aktorer/almi/kontakt/{first.pk}.vcf" download>'
        'Spara kontakten<span class="visually-hidden"> Sara Berg</span> (vCard)</a>'
    ) in html
    assert f'/siv/aktorer/almi/kontakt/{second.pk}.vcf' in html


@pytest.mark.django_db
def test_organisation_page_without_contacts_or_sessions_reads_well(client, edition):
    OrganisationFactory(name="Tyst aktör", slug="tyst", help_text="")
    html = client.get("/siv/aktorer/tyst/").content.decode()
    assert "Aktören har ännu inte beskrivit sitt stöd här. Kontakta dem gärna direkt." in html
    assert "Inga stödformer angivna." in html
    assert "Inga kommuner angivna." in html
    assert "Inga kontaktuppgifter är publicerade ännu." in html
    assert (
        "Tyst aktör har inga programpunkter under innovationsveckan 2026. "
        "Stödet finns ändå året runt: kontakta dem gärna."
    ) in html
    assert "archive-heading" not in html


@pytest.mark.django_db
def test_organisation_page_says_whole_county(client, almi):
    almi.municipalities.set(Municipality.objects.all())
    assert "<p>Hela Sörmland, alla nio kommuner.</p>" in client.get("/siv/aktorer/almi/").content.decode()


@pytest.mark.django_db
def test_organisation_page_lists_this_editions_sessions_and_an_archive(client, almi, edition):
    monday = SessionFactory(
        edition=edition, title="Måndagsfika", organisers=[almi], start=local(2026, 11, 9, 9), end=local(2026, 11, 9, 10)
    )
    cancelled = SessionFactory(
        edition=edition, title="Inställd punkt", organisers=[almi], status=Session.Status.CANCELLED,
        start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10),
    )
    SessionFactory(edition=edition, title="Utkastpunkt", organisers=[almi], status=Session.Status.DRAFT)
    SessionFactory(edition=edition, title="Någon annans", organisers=[OrganisationFactory()])
    old = SessionFactory(edition=EditionFactory(year=2024), title="Förra förra året", organisers=[almi])
    older = SessionFactory(edition=EditionFactory(year=2025), title="Förra året", organisers=[almi])
    SessionFactory(edition=EditionFactory(year=2023, is_published=False), title="Opublicerat år", organisers=[almi])
    response = client.get("/siv/aktorer/almi/")
    assert list(response.context["current_sessions"]) == [monday, cancelled]
    assert list(response.context["archive_sessions"]) == [older, old]
    html = response.content.decode()
    assert '<h2 id="week-heading">Under innovationsveckan 2026</h2>' in html
    assert '<p class="time">Måndag 9 november 2026, kl. 09:00–10:00</p>' in html
    assert '<strong class="status-cancelled">Inställt</strong>' in html
    assert "<h3>Innovationsveckan 2025</h3>" in html and "<h3>Innovationsveckan 2024</h3>" in html
    assert '<a href="/siv/2026/?aktor=almi">Visa Almi Företagspartner Mälardalen i programmet för 2026</a>' in html
    for hidden in ["Utkastpunkt", "Någon annans", "Opublicerat år"]:
        assert hidden not in html


@pytest.mark.django_db
def test_organisation_page_before_the_programme_is_published(client, almi, edition):
    edition.is_published = False
    edition.save()
    SessionFactory(edition=edition, title="Hemlig punkt", organisers=[almi])
    html = client.get("/siv/aktorer/almi/").content.decode()
    assert "Programmet för innovationsveckan 2026 är inte publicerat ännu." in html
    assert "Hemlig punkt" not in html


@pytest.mark.django_db
def test_inactive_organisation_keeps_its_page_but_leaves_the_directory(client, almi, edition):
    SessionFactory(edition=EditionFactory(year=2025), title="Gammal punkt", organisers=[almi])
    session = SessionFactory(edition=edition, title="Punkt", organisers=[almi])
    almi.is_active = False
    almi.save()
    page = client.get("/siv/aktorer/almi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "Almi Företagspartner Mälardalen är inte längre med bland aktörerna i katalogen." in html
    assert "Gammal punkt" in html
    assert list(client.get("/siv/aktorer/").context["organisations"]) == []
    assert 'href="/siv/aktorer/almi/"' in client.get(session.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_organisation_page_unknown_slug_is_404(client, edition):
    assert client.get("/siv/aktorer/finns-inte/").status_code == 404


@pytest.mark.django_db
def test_organisation_jsonld_describes_the_organisation_and_public_contacts(client, almi):
    ContactFactory(organisation=almi, name="Sara Berg", title="Rådgivare", phones="Mobil: 070-174 06 05",
                   email="sara@example.org")
    ContactFactory(organisation=almi, name="Hemlig Person", is_public=False)
    data = jsonld(client.get("/siv/aktorer/almi/").content.decode())
    assert data == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": "https://siv.example.org/siv/aktorer/almi/#organisation",
        "name": "Almi Företagspartner Mälardalen",
        "url": "https://www.almi.se",
        "mainEntityOfPage": "https://siv.example.org/siv/aktorer/almi/",
        "description": "Vi ger lån.\n\nOch rådgivning.",
        "email": "info@example.org",
        "telephone": "08-46 50 05 00",
        "areaServed": [
            {"@type": "AdministrativeArea", "name": "Eskilstuna"},
            {"@type": "AdministrativeArea", "name": "Strängnäs"},
        ],
        "knowsAbout": ["Affärsutveckling", "Finansiering"],
        "contactPoint": [
            {"@type": "ContactPoint", "name": "Sara Berg", "contactType": "Rådgivare",
             "telephone": "+46701740605", "email": "sara@example.org"},
        ],
    }


@pytest.mark.django_db
def test_organisation_jsonld_is_inert_against_script_breaking_text(client, edition):
    nasty = 'Ond "aktör" </script><script>alert(1)</script> & <!-- co'
    OrganisationFactory(name=nasty, slug="ond", help_text="</SCRIPT>'\"")
    html = client.get("/siv/aktorer/ond/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert html.count('<script type="application/ld+json">') == 1
    assert "<script>alert(1)" not in html
    data = json.loads(script)
    assert (data["name"], data["description"]) == (nasty, "</SCRIPT>'\"")
    escaped = "Ond &quot;aktör&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- co"
    assert f"<h1>{escaped}</h1>" in html


@pytest.mark.django_db
def test_week_contact_block_links_the_coordinating_organisation(client, almi, edition):
    edition.coordinator = almi
    edition.save()
    public = ContactFactory(organisation=almi, name="Veckans Kontakt", phones="Mobil: 070-174 06 06")
    private = ContactFactory(organisation=almi, name="Dold Kontakt", is_public=False)
    edition.contacts.set([public, private])
    html = client.get("/siv/aktorer/").content.decode()
    footer = html[html.index("<footer"):]
    assert '<p>Veckan samordnas av <a href="/siv/aktorer/almi/">Almi Företagspartner Mälardalen</a>.</p>' in footer
    assert '<p>Mobil: <a href="tel:+46701740606">070-174 06 06</a></p>' in footer
    assert "Dold Kontakt" not in html


def organisation_page_queries(client, count):
    edition = the_edition(2026)
    past = the_edition(2025)
    Organisation.objects.bulk_create(
        Organisation(name=f"Aktör {i:03}", slug=f"aktor-{i:03}", kind=Organisation.Kind.ADVISORY) for i in range(count)
    )
    org = OrganisationFactory(slug="mal")
    org.support_types.set([support_type("finansiering")])
    org.municipalities.set(Municipality.objects.all())
    Contact.objects.bulk_create(
        Contact(organisation=org, name=f"Kontakt {i}", phones="Mobil: 070-174 06 05", is_public=i % 2 == 0)
        for i in range(count)
    )
    for year_edition in (edition, past):
        for _ in range(min(count, 12)):
            SessionFactory(edition=year_edition, organisers=[org], venue=None, format=Session.Format.DIGITAL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/siv/aktorer/mal/")
    assert response.status_code == 200
    assert len(response.context["organisation"].public_contacts) == (count + 1) // 2
    return len(queries)


@pytest.mark.django_db
def test_organisation_page_query_count_is_the_same_for_3_and_100(client):
    small = organisation_page_queries(client, 3)
    Session.objects.all().delete()
    Organisation.objects.all().delete()
    assert organisation_page_queries(client, 100) == small
    assert small <= 12


@pytest.mark.django_db
def test_coordinating_organisation_page_says_it_coordinates_the_week(client, almi, edition):
    edition.coordinator = almi
    edition.save()
    html = client.get("/siv/aktorer/almi/").content.decode()
    assert (
        '<p class="notice">Almi Företagspartner Mälardalen samordnar Sörmlands innovationsvecka 2026. '
        "Vet du inte vem du ska fråga? Börja här.</p>"
    ) in html
    other = OrganisationFactory(slug="annan")
    assert "samordnar Sörmlands innovationsvecka" not in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_organisation_sitemap_lists_active_actors_in_both_languages(edition):
    from innovationsvecka.sitemaps import OrganisationSitemap

    active = OrganisationFactory(name="Aktiv", slug="aktiv")
    OrganisationFactory(name="Borta", slug="borta", is_active=False)
    urls = [entry["location"] for entry in OrganisationSitemap().get_urls(protocol="https", site=FakeSite())]
    assert urls == ["https://siv.example.org/siv/aktorer/aktiv/", "https://siv.example.org/en/siv/aktorer/aktiv/"]
    assert active.get_absolute_url() == "/siv/aktorer/aktiv/"


class FakeSite:
    domain = "siv.example.org"
    name = "SIV"


@pytest.mark.django_db
def test_directory_and_organisation_page_work_before_any_edition_exists(client):
    OrganisationFactory(name="Tidig aktör", slug="tidig")
    directory = client.get("/siv/aktorer/")
    assert [org.name for org in directory.context["organisations"]] == ["Tidig aktör"]
    assert "programpunkt" not in directory.content.decode()
    page = client.get("/siv/aktorer/tidig/").content.decode()
    assert '<h2 id="week-heading">Under innovationsveckan</h2>' in page
    assert "Det finns inget program publicerat ännu." in page
