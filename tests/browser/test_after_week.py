"""After the week, the session page's calendar action, the confirmation pages and printing, in Chromium:
axe finds nothing in Swedish and English, the primary actions are at least 44 × 44 px, and a printed session
is one page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from events.models import MyProgramme
from tests.factories import EditionFactory, SessionFactory, VenueFactory, local

SHOTS = "/work/wt/rest13-shots"


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def after_the_week(monkeypatch):
    """2 December 2026, in the server thread too (it reads the same module attribute)."""
    from django.utils import timezone

    moment = local(2026, 12, 2, 12)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    edition = EditionFactory(year=2026, proposal_deadline=datetime.date(2026, 10, 1))
    venue = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", postcode="632 20")
    for n in range(4):
        SessionFactory(edition=edition, title=f"Programpunkt {n}", venue=venue, start=local(2026, 11, 10 + n % 3, 10),
                       end=local(2026, 11, 10 + n % 3, 11), registration_url="https://example.org/anmalan",
                       registration_deadline=local(2026, 11, 8, 12))
    return edition


def size(locator):
    box = locator.bounding_box()
    return box["width"], box["height"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_after_the_week_page_says_so_first_and_has_no_axe_violations(live_server, page, axe_violations,
                                                                     after_the_week, prefix):
    for width in (375, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}{prefix}/siv/")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("2026")
        assert heading.bounding_box()["y"] < 400  # the first thing under the header
        save = page.get_by_role("link", name=re.compile("Spara datumet|Save the date"))
        assert min(size(save)) >= 44
        page.screenshot(path=f"{SHOTS}/after-week{prefix.replace('/', '-')}-{width}.png", full_page=width == 375)
    expect(page.locator(".registration-closed").first).to_be_hidden()
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_session_calendar_action_touch_targets_axe_and_screens(live_server, page, axe_violations, prefix):
    session = SessionFactory(title="Från idé till affär", start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10),
                             online_url="https://meet.example.org/a", format="hybrid",
                             registration_url="https://example.org/anmalan/a")
    for width in (375, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}{prefix}{session.get_absolute_url()}")
        button = page.locator(".calendar-button")
        expect(button).to_be_visible()
        width_px, height_px = size(button)
        assert width_px >= 44 and height_px >= 44
        summary = page.locator(".calendar-more summary")
        assert size(summary)[1] >= 44
        page.screenshot(path=f"{SHOTS}/session{prefix.replace('/', '-')}-{width}.png", full_page=True)
    summary.click()
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_confirmation_pages_work_without_javascript_and_have_no_axe_violations(live_server, browser, page,
                                                                               axe_violations, prefix):
    session = SessionFactory(title="Från idé till affär")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667})
    plain = context.new_page()
    plain.goto(f"{live_server.url}{prefix}{session.get_absolute_url()}")
    plain.locator(".calendar-button").click()
    token = MyProgramme.objects.get().token
    plain.locator(f'a[href$="/mitt-program/{token}/ny-adress/"]').click()
    expect(plain.get_by_role("heading", level=1)).to_have_text(re.compile("ny länk|new link"))
    plain.locator(".confirm-actions a").click()  # "Nej": back, nothing changed
    assert MyProgramme.objects.get().token == token
    plain.locator(f'a[href$="/mitt-program/{token}/radera/"]').click()
    expect(plain.get_by_role("heading", level=1)).to_have_text(re.compile("Radera|Delete"))
    confirm_url = plain.url
    # axe needs JavaScript: the same pages, with this browser's cookies, in a page that runs scripts.
    page.context.add_cookies(context.cookies())
    page.set_viewport_size({"width": 375, "height": 667})
    for url in (confirm_url, confirm_url.replace("/radera/", "/ny-adress/")):
        page.goto(url)
        assert axe_violations(page) == [], url
    plain.locator(".confirm-actions button").click()
    undo = plain.locator(".undo-form button")
    expect(undo).to_be_visible()
    page.context.add_cookies(context.cookies())
    page.goto(f"{live_server.url}{prefix}/siv/mitt-program/")
    expect(page.locator(".undo-form button")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/undo{prefix.replace('/', '-')}-375.png")
    assert axe_violations(page) == []
    undo.click()
    expect(plain.get_by_role("link", name="Från idé till affär")).to_be_visible()
    assert MyProgramme.objects.get(token=token).deleted_at is None
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_printed_session_is_one_page_with_the_addresses_written_out(live_server, page):
    venue = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", postcode="632 20")
    session = SessionFactory(title="Från idé till affär", venue=venue, format="hybrid",
                             online_url="https://meet.example.org/siv-1",
                             registration_url="https://example.org/anmalan/1",
                             description="Vi går igenom lån, bidrag och riskkapital. " * 8)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.emulate_media(media="print")
    body = page.locator("main").inner_text()
    for text in ("Från idé till affär", "Verkstadsgatan 11", "https://meet.example.org/siv-1",
                 "https://example.org/anmalan/1", "Sörmlands innovationsvecka – https://siv.example.org/siv/2026/"):
        assert text in body, text
    expect(page.locator(".calendar-action")).to_be_hidden()
    expect(page.locator("main .button").first).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_coming_page_links_the_proposal_form_and_has_no_axe_violations(live_server, page, axe_violations,
                                                                           after_the_week, prefix):
    EditionFactory(year=2027, is_published=False, proposal_deadline=datetime.date(2027, 10, 1))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{prefix}/siv/")
    expect(page.locator(f'main a[href="{prefix}/siv/foresla/"]')).to_be_visible()
    expect(page.locator(f'main a[href="{prefix}/siv/2026/"]')).to_be_visible()
    page.screenshot(path=f"{SHOTS}/coming{prefix.replace('/', '-')}-375.png", full_page=True)
    assert axe_violations(page) == []
