"""The registration form, the errors page and the personal page in Chromium, in Swedish and English: axe finds
nothing, and the form works by keyboard and mouse without any script of ours. Screenshots at 375 and 1366 px go to
REGISTRATION_SHOTS when it is set."""

import datetime
import os

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import Registration
from tests.factories import EditionFactory, SessionFactory, local

SHOTS = os.environ.get("REGISTRATION_SHOTS")


@pytest.fixture
def session(settings):
    settings.SIV_REGISTRATION_MIN_SECONDS = 0  # Playwright fills the form faster than any person
    cache.clear()
    year = timezone.localdate().year + 1
    edition = EditionFactory(year=year)
    start = local(year, 11, edition.start_date.day + 1, 13)
    return SessionFactory(
        edition=edition, slug="ideverkstad", title="Idéverkstad för unga", registration_mode="here", capacity=30,
        start=start, end=start + datetime.timedelta(hours=2), first_published=timezone.now(),
        ask_organisation=True, ask_org_number=True, ask_municipality=True, ask_audience=True, ask_needs=True,
        registration_deadline=start - datetime.timedelta(days=2),
    )


def shoot(page, name):
    if not SHOTS:
        return
    for width in (375, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_form_errors_and_personal_page_have_no_axe_violations(live_server, page, axe_violations, session, prefix):
    language = prefix.strip("/") or "sv"
    page.goto(f"{live_server.url}{prefix}/siv/{session.edition.year}/ideverkstad/")
    page.locator(f"a[href='{prefix}/siv/{session.edition.year}/ideverkstad/anmalan/']").click()
    assert axe_violations(page) == []
    shoot(page, f"form-{language}")
    page.locator("#id_name").fill("Saga Lind")
    page.locator("#id_org_number").fill("556016-0681")
    page.locator("#id_needs").fill("Hörslinga")
    page.locator("input[type=submit]").click()
    page.wait_for_selector("#problems")
    assert page.locator("#id_name").input_value() == "Saga Lind"
    assert page.locator("#id_needs").input_value() == "Hörslinga"
    assert axe_violations(page) == []
    shoot(page, f"form-errors-{language}")
    page.locator("#id_email").fill("saga@example.org")
    page.locator("#id_org_number").fill("556016-0680")
    page.locator("#id_needs_consent").check()
    page.locator("#id_consent").check()
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/siv/anmalan/**")
    assert axe_violations(page) == []
    shoot(page, f"receipt-{language}")
    registration = Registration.objects.get()
    answers = (registration.org_number, registration.needs, registration.language)
    assert answers == ("556016-0680", "Hörslinga", language)
    page.goto(f"{live_server.url}{prefix}{registration.get_absolute_url()}")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Avboka" if language == "sv" else "Cancel").first.click()
    assert axe_violations(page) == []
    page.locator("form.registration-confirm button").click()
    page.wait_for_url("**avbokad=1")
    assert Registration.objects.get().status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_attendance_page_on_a_phone_has_no_axe_violations(live_server, page, axe_violations, session):
    from django.conf import settings
    from django.test import Client

    from events import registrations
    from tests.factories import programme_editor

    for n in range(3):
        registrations.register(session_id=session.pk, name=f"Deltagare {n}", email=f"d{n}@example.org")
    client = Client()
    client.force_login(programme_editor())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/admin/events/registration/narvaro/{session.pk}/")
    page.get_by_text("Deltagare 1").click()  # the whole row is the checkbox's label: a large target
    page.get_by_role("button", name="Spara närvaron").click()
    page.wait_for_selector(".messagelist")
    assert Registration.objects.filter(attended=True).count() == 1
    assert axe_violations(page) == []
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "attendance-375.png"), full_page=True)
