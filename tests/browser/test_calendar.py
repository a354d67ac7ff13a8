"""Subscribe block and my programme in a real browser: accessible, and starring works without JavaScript."""

import pytest
from playwright.sync_api import expect

from events.models import MyProgramme
from tests.factories import SessionFactory, local


@pytest.fixture(autouse=True)
def plain_static_names(settings):
    """The live server serves static files through the finders, which don't know the manifest's hashed
    names; plain names let copy-link.js and the CSS load, as they do in production through whitenoise."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def session(db):
    return SessionFactory(title="Från idé till affär", start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10))


@pytest.mark.django_db(transaction=True)
def test_session_page_with_subscribe_block_has_no_axe_violations(live_server, page, axe_violations, session):
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    block = page.locator("#kalender")
    assert block.get_by_role("heading", name="Till din kalender").is_visible()
    assert block.get_by_role("button", name="Lägg till i min kalender").is_visible()
    assert not block.get_by_role("link", name="Lägg till i Google Kalender").is_visible()
    block.get_by_text("Fler sätt").click()
    assert block.get_by_role("link", name="Lägg till i Google Kalender").is_visible()
    assert block.get_by_label("Kopiera adressen till programpunkten").input_value() == (
        f"https://siv.example.org/siv/2026/{session.slug}/"
    )
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_starring_works_without_javascript(live_server, browser, session):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("button", name="Lägg till i min kalender").click()
    # The session page is cached and the same for everyone, so the visitor's own list says what happened
    expect(page.get_by_role("heading", level=1, name="Mitt program")).to_be_visible()
    expect(page.get_by_text("”Från idé till affär” finns nu i ditt program.")).to_be_visible()
    back = page.get_by_role("link", name="Tillbaka dit du var")
    expect(back).to_have_attribute("href", session.get_absolute_url() + "#kalender")
    expect(page.get_by_role("link", name="Från idé till affär")).to_be_visible()
    programme = MyProgramme.objects.get()
    assert page.url == f"{live_server.url}/siv/mitt-program/{programme.token}/"
    page.get_by_role("button", name="Ta bort ”Från idé till affär” ur mitt program").click()
    expect(page.get_by_text("Ditt program är tomt.")).to_be_visible()
    assert list(programme.sessions.all()) == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_my_programme_page_has_no_axe_violations_and_copies_the_link(live_server, page, axe_violations, session):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("button", name="Lägg till i min kalender").click()
    # With JavaScript the page stays: the button turns into "remove", the subscription to my programme is
    # offered and the header counts the session
    expect(page.get_by_role("button", name="Ta bort ur mitt program")).to_be_visible()
    expect(page.get_by_text("Programpunkten finns i ditt program.")).to_be_visible()
    expect(page.get_by_role("link", name="Prenumerera på mitt program")).to_be_focused()
    expect(page.locator("[data-my-programme-count]")).to_have_text(" (1)")
    page.reload()  # the cached page again: the script asks status.json and shows the state once more
    expect(page.get_by_role("button", name="Ta bort ur mitt program")).to_be_visible()
    page.goto(f"{live_server.url}/siv/mitt-program/")
    expect(page.get_by_role("heading", level=1, name="Mitt program")).to_be_visible()
    expect(page.get_by_role("img", name="QR-kod med länken till den här sidan.", exact=False)).to_be_visible()
    assert axe_violations(page) == []
    page.locator("#kalender").get_by_role("button", name="Kopiera").click()
    expect(page.locator("#kalender").get_by_role("status")).to_have_text("Kopierad")
    token = MyProgramme.objects.get().token
    assert page.evaluate("navigator.clipboard.readText()") == f"https://siv.example.org/siv/mitt-program/{token}.ics"
