"""The report after the week (issue 16): exact figures on a known data set, earlier editions beside (from the
totals kept after their registrants were deleted), SVG charts with tables, the xlsx export, and who may see it."""

import io

import openpyxl
import pytest
from django.utils import timezone

from events import registrations, report
from events.models import Registration, RegistrationTotals, Session
from tests.conftest import login_staff, text
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    actor_editor,
    audience,
    municipality,
    theme,
)
from tests.test_registration import YEAR, here_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_set():
    edition = EditionFactory(year=YEAR)
    almi, ri = OrganisationFactory(name="Almi"), OrganisationFactory(name="RISE")
    a = here_session(edition, slug="a", title="A", themes=[theme("smart-industri")], organisers=[almi],
                     audiences=[audience("idebarare"), audience("nyforetagare")])
    SessionFactory(edition=edition, slug="b", format=Session.Format.DIGITAL, venue=None, online_note="Sänds.",
                   themes=[theme("smart-industri"), theme("life-science")], organisers=[almi, ri])
    SessionFactory(edition=edition, slug="c", status=Session.Status.CANCELLED, cancellation_note="Sjuk.")
    SessionFactory(edition=edition, slug="d", status=Session.Status.DRAFT)
    SessionFactory(edition=edition, slug="p1", consent_at=timezone.now(), first_published=timezone.now(),
                   venue=VenueFactory(municipality=municipality("trosa")))
    SessionFactory(edition=edition, slug="p2", consent_at=timezone.now(), status=Session.Status.PROPOSED)
    eskilstuna = municipality("eskilstuna")
    one = registrations.register(session_id=a.pk, name="1", email="1@example.org", municipality=eskilstuna)
    registrations.register(session_id=a.pk, name="2", email="2@example.org", municipality=eskilstuna)
    registrations.register(session_id=a.pk, name="3", email="3@example.org")
    registrations.register(session_id=a.pk, name="4", email="1@example.org")  # the same person again: queue (cap 3)
    Registration.objects.filter(pk=one.pk).update(attended=True)
    Registration.objects.create(session=a, name="Gäst", walk_in=True, attended=True)
    earlier = EditionFactory(year=YEAR - 1)
    SessionFactory(edition=earlier, slug="old", venue=VenueFactory(municipality=municipality("flen")))
    RegistrationTotals.objects.create(edition=earlier, data={
        "registrations": 40, "attended": 31, "walk_ins": 2, "no_shows": 11, "waiting": 0, "unique_participants": 35,
        "organisations": 7, "per_session": {}, "per_municipality": {"Flen": {"registrations": 40, "attended": 31}},
        "per_audience": {},
    })
    return edition


def test_the_figures_are_exact(data_set):
    this, earlier = report.report(data_set)
    assert (this["held"], this["cancelled"], this["organisations"]) == (3, 1, 2)
    assert (this["proposals_received"], this["proposals_accepted"]) == (2, 1)
    assert this["by_theme"] == {"Smart industri": 2, "Life science med välfärd och hälsa": 1, "Inget tema": 1}
    assert this["by_municipality"] == {"Eskilstuna": 1, "Trosa": 1, "Digitalt": 1}
    assert this["by_format"] == {"På plats": 2, "Digitalt": 1}
    assert this["by_audience"] == {"Idébärare": 1, "Nyföretagare": 1, "Ingen målgrupp": 2}
    # The cancelled session "c", by the same groupings.
    assert (this["cancelled_by_theme"], this["cancelled_by_municipality"]) == ({"Inget tema": 1}, {"Eskilstuna": 1})
    assert (this["cancelled_by_format"], this["cancelled_by_audience"]) == ({"På plats": 1}, {"Ingen målgrupp": 1})
    r = this["registration"]
    assert (r["registrations"], r["attended"], r["walk_ins"], r["no_shows"], r["waiting"]) == (4, 2, 1, 2, 1)
    assert r["unique_participants"] == 4  # three addresses and one walk-in without one
    assert r["per_municipality"]["Eskilstuna"] == {"registrations": 2, "attended": 1}
    assert r["per_session"]["a"] == {"title": "A", "registrations": 4, "attended": 2, "walk_ins": 1, "no_shows": 2,
                                     "waiting": 1}
    assert earlier["held"] == 1 and earlier["registration"]["unique_participants"] == 35


def test_the_report_page_draws_svg_charts_with_tables_and_exports_xlsx(editor_client, data_set):
    url = f"/admin/events/registration/rapport/{YEAR}/"
    response = editor_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="report-chart"') == 10
    assert page.count("<table class=\"report-table\"") == 12  # the summary, one under each chart, per session
    assert "Inställda programpunkter per kommun" in page
    summary = text(response)
    assert f"Mått {YEAR} {YEAR - 1}" in summary and "Unika deltagare 4 35" in summary
    assert "Programförslag som kom in 2 0" in summary
    workbook = openpyxl.load_workbook(io.BytesIO(editor_client.get(url + "?format=xlsx").content))
    rows = list(workbook["Sammanfattning"].values)
    assert rows[0] == ("Mått", str(YEAR), str(YEAR - 1)) and ("Anmälningar", 4, 40) in rows
    assert ("A", 4, 2, 1, 2, 1) in list(workbook["Per programpunkt"].values)


def test_actor_editors_do_not_get_the_report(client, data_set):
    login_staff(client, actor_editor(OrganisationFactory()))
    assert client.get(f"/admin/events/registration/rapport/{YEAR}/").status_code == 403
