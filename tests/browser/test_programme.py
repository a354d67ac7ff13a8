"""The public programme in a real browser: axe in both languages, keyboard-only filtering, phones, print."""

import pytest

from events.models import Session
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, VenueFactory, audience, local, theme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programme(db):
    almi = OrganisationFactory(name="Almi Företagspartner Mälardalen", slug="almi", email="info@almi.example")
    ContactFactory(organisation=almi, name="Ada Rådgivare", email="ada@almi.example")
    venue = VenueFactory(name="Munktell Science Park", accessibility="Hiss, hörslinga och parkering nära entrén.")
    sessions = [
        SessionFactory(
            title="Från idé till affär",
            slug="fran-ide-till-affar",
            start=local(2026, 11, 9, 9),
            end=local(2026, 11, 9, 10),
            themes=[theme("smart-industri")],
            organisers=[almi],
            venue=venue,
            audiences=[audience("idebarare")],
            registration_url="https://example.org/anmal",
            registration_deadline=local(2099, 11, 6, 12),
            capacity=30,
            description="En förmiddag om hur en idé blir ett företag.\n\nMed fika.",
        ),
        SessionFactory(
            title="Energilager i praktiken",
            slug="energilager",
            start=local(2026, 11, 10, 13),
            end=local(2026, 11, 10, 15),
            themes=[theme("morgondagens-energilosningar")],
            format=Session.Format.DIGITAL,
            venue=None,
            online_note="Länken skickas efter anmälan.",
        ),
        SessionFactory(
            title="Mat från Sörmland",
            slug="mat",
            start=local(2026, 11, 11, 10),
            end=local(2026, 11, 11, 12),
            themes=[theme("hallbar-livsmedelsforsorjning")],
            status=Session.Status.CANCELLED,
            cancellation_note="Flyttas till våren.",
            organisers=[almi],
            format=Session.Format.HYBRID,
        ),
    ]
    return sessions


PAGES = [
    "/siv/2026/",
    "/siv/2026/?tema=smart-industri&format=plats&kommun=finns-inte",
    "/siv/2026/?tema=life-science",
    "/siv/2026/fran-ide-till-affar/",
    "/siv/2026/mat/",
    "/siv/om/",
    "/siv/tillganglighet/",
    "/siv/arkiv/",
    "/siv/nu/",
]


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(live_server, page, axe_violations, programme, language, path):
    page.goto(f"{live_server.url}{language}{path}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["", "/en"])
def test_programme_with_closed_filter_panel_on_a_phone_has_no_axe_violations(
    live_server, page, axe_violations, programme, language
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{language}/siv/2026/")
    assert page.locator("#filter-panel").get_attribute("open") is None
    assert axe_violations(page) == []


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return [e.tagName, e.name || '', e.value || '', e.textContent.trim()]; }"
    )


def tab_until(page, wanted, limit=150):
    """Press Tab until the focused element satisfies `wanted`; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return
    raise AssertionError(f"never reached the element; last focus {focused(page)}")


def shown_titles(page):
    return page.locator(".session h3").all_inner_texts()


def test_filter_flow_by_keyboard_alone(live_server, page, programme):
    page.goto(f"{live_server.url}/siv/2026/")
    assert shown_titles(page) == ["Från idé till affär", "Energilager i praktiken", "Mat från Sörmland"]
    tab_until(page, lambda f: f[:3] == ["INPUT", "tema", "smart-industri"])
    page.keyboard.press("Space")
    tab_until(page, lambda f: f[:3] == ["INPUT", "tema", "hallbar-livsmedelsforsorjning"])
    page.keyboard.press("Space")
    tab_until(page, lambda f: f[0] == "INPUT" and f[2] == "Visa 2 programpunkter")  # the live count
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.session').length === 2")
    assert shown_titles(page) == ["Från idé till affär", "Mat från Sörmland"]
    assert page.url.endswith("/siv/2026/?tema=smart-industri&tema=hallbar-livsmedelsforsorjning")
    assert page.locator(".hits").inner_text() == "2 av 3 programpunkter matchar dina val."
    # The shared address gives the same page to someone else.
    other = page.context.new_page()
    other.goto(page.url)
    assert shown_titles(other) == ["Från idé till affär", "Mat från Sörmland"]
    other.close()
    # One link clears everything, by keyboard too.
    tab_until(page, lambda f: f[0] == "A" and f[3] == "Rensa alla filter")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/siv/2026/")
    assert len(shown_titles(page)) == 3


def test_filter_flow_by_keyboard_without_javascript(live_server, browser, programme):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/siv/2026/")
    tab_until(page, lambda f: f[0] == "SUMMARY" and f[3].startswith("Filtrera programmet"))  # not a menu's
    page.keyboard.press("Enter")  # opens the filter panel
    tab_until(page, lambda f: f[:3] == ["INPUT", "format", "digitalt"])
    page.keyboard.press("Space")
    tab_until(page, lambda f: f[0] == "INPUT" and f[2] == "Visa programpunkter")
    page.keyboard.press("Enter")
    # a plain GET form sends the empty search too; it opens at the results
    page.wait_for_url(f"{live_server.url}/siv/2026/?q=&format=digitalt#resultat")
    assert shown_titles(page) == ["Energilager i praktiken", "Mat från Sörmland"]
    tab_until(page, lambda f: f[0] == "A" and "Form: Digitalt" in f[3])  # remove just this choice
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/siv/2026/#resultat")
    assert len(shown_titles(page)) == 3
    context.close()


def test_ticking_a_box_updates_the_list_without_reload(live_server, page, programme):
    page.goto(f"{live_server.url}/siv/2026/")
    page.evaluate("() => { window.__kept = true; }")
    page.get_by_label("Digitalt").check()
    page.wait_for_function("() => document.querySelectorAll('.session').length === 2")
    assert page.evaluate("() => window.__kept") is True  # same document: no reload
    assert page.url.endswith("/siv/2026/?format=digitalt")
    assert page.locator("#filter-announcer").inner_text() == "2 av 3 programpunkter matchar dina val."
    # the results are still plain links
    assert page.locator(".session h3 a").first.get_attribute("href") == "/siv/2026/energilager/"


@pytest.mark.parametrize(
    "path",
    [
        "/siv/2026/",
        "/siv/2026/?tema=smart-industri&q=" + "x" * 300,
        "/siv/2026/fran-ide-till-affar/",
        "/siv/om/",
        "/siv/tillganglighet/",
        "/en/siv/2026/mat/",
    ],
)
def test_no_horizontal_scroll_at_375_px(live_server, page, programme, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{path}")
    if page.locator("#filter-panel").count():
        page.locator("#filter-panel > summary").click()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]


def test_print_gives_a_clean_day_by_day_list(live_server, page, programme):
    page.goto(f"{live_server.url}/siv/2026/")
    page.emulate_media(media="print")
    assert page.locator("#programme-filter").is_hidden()
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    assert page.locator(".day h2").all_inner_texts() == [
        "Måndag 9 november",
        "Tisdag 10 november",
        "Onsdag 11 november",
    ]
    assert page.locator(".session").count() == 3
