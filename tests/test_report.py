"""The funder report (events.report, events.report_views): exact figures on a known programme, the earlier
editions beside, the spreadsheet, a fixed number of queries, and staff only."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Session
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    actor_editor,
    audience,
    local,
    municipality,
    theme,
)

PUBLISHED, CANCELLED, DRAFT, PROPOSED = (Session.Status.PUBLISHED, Session.Status.CANCELLED, Session.Status.DRAFT,
                                         Session.Status.PROPOSED)  # fmt: skip


@pytest.fixture
def programme(edition):
    """2026: five public sessions (four held, one cancelled), a draft and a proposal; 2025: two held."""
    almi, mdu = OrganisationFactory(name="Almi"), OrganisationFactory(name="Mälardalens universitet")
    nykoping = VenueFactory(municipality=municipality("nykoping"))
    eskilstuna = VenueFactory()
    smart, life, energy = theme("smart-industri"), theme("life-science"), theme("morgondagens-energilosningar")
    now = timezone.now()
    SessionFactory(edition=edition, venue=eskilstuna, themes=[smart, energy], organisers=[almi],
                   audiences=[audience("idebarare")])  # fmt: skip
    SessionFactory(edition=edition, venue=eskilstuna, themes=[smart], organisers=[almi, mdu])
    SessionFactory(edition=edition, venue=nykoping, themes=[life], organisers=[mdu], consent_at=now)
    SessionFactory(edition=edition, venue=None, format=Session.Format.DIGITAL, themes=[energy], organisers=[mdu])
    SessionFactory(edition=edition, venue=nykoping, themes=[smart], status=CANCELLED, organisers=[almi])
    SessionFactory(edition=edition, status=DRAFT, themes=[smart], consent_at=now)  # accepted, not yet published
    SessionFactory(edition=edition, status=PROPOSED, themes=[life], consent_at=now)  # waiting
    earlier = EditionFactory(year=2025, is_published=True)
    for hour in (9, 13):
        SessionFactory(edition=earlier, start=local(2025, 11, 10, hour), end=local(2025, 11, 10, hour + 1),
                       organisers=[almi])  # fmt: skip
    return edition


def table(html, caption_or_heading):
    return html.split(caption_or_heading, 1)[1].split("</table>", 1)[0]


def cells(fragment):
    import re

    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment)]


@pytest.mark.django_db
def test_report_has_the_exact_figures_and_the_earlier_edition_beside(editor_client, programme):
    response = editor_client.get("/admin/rapport/2026/")
    assert response.status_code == 200
    html = response.content.decode()
    summary = cells(table(html, "Den här upplagan och de tidigare"))
    # year, held, cancelled, organisations, proposals received, proposals accepted
    assert summary[6:] == ["2026", "4", "1", "2", "3", "2", "2025", "2", "0", "1", "0", "0"]
    assert cells(table(html, 'id="rubrik-tema"'))[4:] == [
        "Smart industri", "2", "1", "3",
        "Morgondagens energilösningar", "2", "0", "2",
        "Life science med välfärd och hälsa", "1", "0", "1",
    ]  # fmt: skip
    assert cells(table(html, 'id="rubrik-kommun"'))[4:] == [
        "Eskilstuna", "2", "0", "2", "Nyköping", "1", "1", "2", "Digitalt", "1", "0", "1"]  # fmt: skip
    assert cells(table(html, 'id="rubrik-form"'))[4:] == ["På plats", "3", "1", "4", "Digitalt", "1", "0", "1"]
    assert cells(table(html, 'id="rubrik-malgrupp"'))[4:] == ["Idébärare", "1", "0", "1"]
    assert cells(table(html, "<h2>Organisationer som deltog</h2>"))[2:] == [
        "Almi", "2", "Mälardalens universitet", "3"]  # fmt: skip
    assert html.count('<svg class="bars"') == 4 and 'role="img"' in html
    assert 'width="320.0"' in html  # the longest bar (Eskilstuna: 2 of 2 held) is the full width
    assert "<script" not in html.split('id="content-main"')[1].split("</div>")[0]


@pytest.mark.django_db
def test_the_spreadsheet_holds_the_same_figures(editor_client, programme):
    response = editor_client.get("/admin/rapport/2026.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rapport-innovationsveckan-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in row] for row in book["Sammanfattning"].iter_rows()]
    assert rows[1:] == [[2026, 4, 1, 2, 3, 2], [2025, 2, 0, 1, 0, 0]]
    rows = [[c.value for c in row] for row in book["Per kommun"].iter_rows()]
    assert rows[1:] == [["Eskilstuna", 2, 0, 2], ["Nyköping", 1, 1, 2], ["Digitalt", 1, 0, 1]]


def report_queries(client, edition, count):
    venues = [VenueFactory(), VenueFactory(municipality=municipality("flen"))]
    org = OrganisationFactory()
    for n in range(count):
        SessionFactory(edition=edition, venue=venues[n % 2], themes=[theme("smart-industri")],
                       audiences=[audience("idebarare")], organisers=[org])  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/admin/rapport/{edition.year}/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_report_query_count_does_not_grow_with_the_programme(editor_client, edition):
    small = report_queries(editor_client, edition, 3)
    Session.objects.all().delete()
    assert report_queries(editor_client, edition, 30) == small


@pytest.mark.django_db
def test_only_staff_who_run_the_week_see_the_report(client, programme):
    assert client.get("/admin/rapport/2026/")["Location"].startswith("/admin/login/")
    client.force_login(actor_editor(OrganisationFactory()))
    assert client.get("/admin/rapport/2026/").status_code == 403
    assert client.get("/admin/rapport/2026.xlsx").status_code == 403


@pytest.mark.django_db
def test_unknown_year_is_a_404_and_the_index_goes_to_the_newest(editor_client, programme):
    assert editor_client.get("/admin/rapport/1999/").status_code == 404
    assert editor_client.get("/admin/rapport/")["Location"] == "/admin/rapport/2026/"
