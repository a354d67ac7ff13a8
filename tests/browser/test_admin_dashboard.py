"""The admin's first page in Chromium, on a phone and a desktop, with the strict CSP and axe watching. The admin is
Swedish only (its addresses have no /en/ prefix, so LocaleMiddleware always picks the default language)."""

import datetime

import pytest
from django.utils import timezone

from events.models import Edition
from tests.factories import STAFF_PASSWORD, SessionFactory, programme_editor


def watch_csp(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1366])
def test_dashboard_reads_well_and_passes_axe(live_server, page, axe_violations, tmp_path, width):
    year = timezone.localdate().year
    edition = Edition.objects.create(year=year, title=f"Sörmlands innovationsvecka {year}",
                                     proposal_deadline=datetime.date(year, 10, 25))
    monday = edition.start_date
    for hour, status in [(9, "draft"), (11, "proposed"), (13, "published"), (15, "published")]:
        start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(hour)))
        SessionFactory(edition=edition, status=status, start=start, end=start + datetime.timedelta(hours=1),
                       summary="" if hour == 9 else "Kort.", proposer_name="Ada" if status == "proposed" else "")
    programme_editor(username="redaktor")
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    dashboard = page.locator(".siv-dashboard")
    assert dashboard.get_by_role("heading", name="Förslag som väntar på beslut").is_visible()
    assert dashboard.get_by_role("link", name="2 publicerad").is_visible()
    assert dashboard.locator(".siv-problems").get_by_text("Sammanfattning saknas.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations == []
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"dashboard-{width}.png"), full_page=True)
    dashboard.get_by_role("link", name="2 publicerad").click()
    page.wait_for_url("**/admin/events/session/?*status__exact=published")
    assert page.locator("#result_list tbody tr").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1366])
def test_session_form_hides_the_cancellation_note_until_cancelled(live_server, page, axe_violations, tmp_path,
                                                                   width):
    year = timezone.localdate().year
    edition = Edition.objects.create(year=year, title=f"Sörmlands innovationsvecka {year}")
    start = timezone.make_aware(datetime.datetime.combine(edition.start_date, datetime.time(9)))
    session = SessionFactory(edition=edition, status="published", start=start,
                             end=start + datetime.timedelta(hours=1))
    programme_editor(username="redaktor")
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/events/session/{session.pk}/change/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/admin/events/session/{session.pk}/change/")
    note = page.locator("#id_cancellation_note")
    assert not note.is_visible()
    page.select_option("#id_status", "cancelled")
    assert note.is_visible()
    assert page.locator("#id_start_1").input_value() == "09:00"
    assert page.locator("#id_end_0").input_value() == ""
    assert violations == []
    page.screenshot(path=str(tmp_path / f"session-form-{width}.png"), full_page=True)
