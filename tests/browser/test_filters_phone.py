"""The programme's filter on a 375 × 667 phone, with and without JavaScript: "find a digital session about
energy on Wednesday" in a few taps, the results in view after each applied change, a live count in a sticky
bar while the panel is open, axe on the open panel, the skip link, and the list opening at today."""

import re

import pytest
from django.utils import timezone

from events.models import Session
from tests.factories import SessionFactory, local, theme

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}
URL = "/siv/2026/"


@pytest.fixture
def programme(db):
    energy, smart = theme("morgondagens-energilosningar"), theme("smart-industri")
    rows = [
        ("Robotar i verkstaden", (9, 9), Session.Format.ON_SITE, smart),
        ("Batterier på distans", (10, 9), Session.Format.DIGITAL, energy),
        ("Digital tillverkning", (11, 9), Session.Format.DIGITAL, smart),
        ("Vätgas på distans", (11, 10), Session.Format.DIGITAL, energy),
        ("Solceller i praktiken", (11, 13), Session.Format.ON_SITE, energy),
        ("Mat på nätet", (11, 15), Session.Format.HYBRID, theme("hallbar-livsmedelsforsorjning")),
        ("Energi för lantbruket", (12, 10), Session.Format.HYBRID, energy),
        ("Välfärdsteknik", (13, 10), Session.Format.ON_SITE, theme("life-science")),
    ]
    for n, (title, (day, hour), session_format, subject) in enumerate(rows):
        SessionFactory(
            title=title, slug=f"punkt-{n}", start=local(2026, 11, day, hour), end=local(2026, 11, day, hour + 1),
            format=session_format, themes=[subject],
            **({"venue": None} if session_format == Session.Format.DIGITAL else {}),
        )


class Taps:
    """Counts what the visitor does: every click or key press that acts, and how far the page scrolled."""

    def __init__(self, page):
        self.page, self.count, self.scrolled, self.last_y = page, 0, 0, 0

    def scroll_y(self):
        return -self.page.locator("body").bounding_box()["y"]  # works with JavaScript off too

    def _note_scroll(self):
        y = self.scroll_y()
        self.scrolled += abs(y - self.last_y)
        self.last_y = y

    def tap(self, locator):
        locator.scroll_into_view_if_needed()
        self._note_scroll()
        locator.click()
        self.count += 1

    def settle(self):
        self.page.wait_for_load_state()
        self.last_y = self.scroll_y()  # a new page: scrolling starts where it lands

    @property
    def screens(self):
        self._note_scroll()
        return self.scrolled / PHONE["height"]


def in_view(page, selector):
    """Whether the element is (partly) on screen; from its box, so it works with JavaScript off."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] > 0 and box["y"] < page.viewport_size["height"]


def titles(page):
    return page.locator(".session h3").all_inner_texts()


def option(page, text):
    return page.locator("#programme-filter label", has_text=re.compile(r"^\s*" + re.escape(text)))


def test_digital_energy_on_wednesday_without_javascript(live_server, browser, programme):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + URL)
    assert page.locator("#filter-panel").get_attribute("open") is None  # results first
    taps = Taps(page)
    taps.tap(page.locator("#filter-panel > summary"))
    for text in ["onsdag 11 november", "Morgondagens energilösningar", "Digitalt"]:
        taps.tap(option(page, text))
    # the bar at the bottom is the submit button, on screen while the panel is open
    assert in_view(page, "#filter-submit")
    bar = page.locator("#filter-submit").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE["height"]
    # (axe needs JavaScript: the open panel and its bar are checked in the test with JavaScript)
    taps.tap(page.locator("#filter-submit"))
    taps.settle()
    assert page.url.endswith("?q=&dag=2026-11-11&tema=morgondagens-energilosningar&format=digitalt#resultat")
    assert titles(page) == ["Vätgas på distans"]
    assert in_view(page, "#resultat") and in_view(page, ".session")
    assert page.locator("#filter-panel").get_attribute("open") is None
    assert taps.count == 5
    assert taps.screens <= 3, taps.screens
    print(f"without JavaScript: {taps.count} taps, {taps.screens:.2f} screens scrolled")
    # Removing a chip keeps the visitor at the results.
    taps.tap(page.locator("a.chip", has_text="Form: Digitalt"))
    taps.settle()
    assert page.url.endswith("?dag=2026-11-11&tema=morgondagens-energilosningar#resultat")
    assert titles(page) == ["Vätgas på distans", "Solceller i praktiken"]
    assert in_view(page, "#resultat")
    context.close()


@pytest.mark.parametrize("language", ["", "/en"])
def test_digital_energy_on_wednesday_with_javascript(live_server, browser, programme, axe_violations, language):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + language + URL)
    show = (lambda n: f"Show {n} sessions") if language else (lambda n: f"Visa {n} programpunkter")
    one = "Show 1 session" if language else "Visa 1 programpunkt"
    day, digital = ("Wednesday 11 November", "Digital") if language else ("onsdag 11 november", "Digitalt")
    energy = "Energy solutions of tomorrow" if language else "Morgondagens energilösningar"
    assert page.locator("#filter-panel").get_attribute("open") is None
    taps = Taps(page)
    taps.tap(page.locator("#filter-panel > summary"))
    assert page.locator("#filter-submit").input_value() == show(8)
    for text, expected in [(day, show(4)), (energy, show(2)), (digital, one)]:
        taps.tap(option(page, text))
        page.wait_for_function(
            "(text) => document.getElementById('filter-submit').value === text"
            " && !document.getElementById('programme-results').hasAttribute('aria-busy')",
            arg=expected,
        )
        # the change shows its effect at once: the live count in the sticky bar, on screen
        assert in_view(page, "#filter-submit"), text
    assert option(page, digital).inner_text() == f"{digital} (1)"
    assert axe_violations(page) == []  # panel open, sticky bar showing
    taps.tap(page.locator("#filter-submit"))
    page.wait_for_function("() => !document.getElementById('filter-panel').open")
    assert page.evaluate("() => document.activeElement.id") == "resultat"
    assert in_view(page, "#resultat") and in_view(page, ".session")
    assert titles(page) == ["Vätgas på distans"]
    assert taps.count == 5
    assert taps.screens <= 3, taps.screens
    print(f"with JavaScript{language}: {taps.count} taps, {taps.screens:.2f} screens scrolled")
    # the "Kopiera" button survived the live update
    assert page.locator("#programme-results .copy-button").count() >= 1
    # removing a chip: a live update too, and the visitor stays at the results
    taps.tap(page.locator("a.chip", has_text=re.compile(digital)))
    page.wait_for_function("() => document.querySelectorAll('.session').length === 2")
    assert in_view(page, "#resultat")
    assert page.locator("#programme-results .copy-button").count() >= 1
    assert not page.locator("#filter-" + "format_1").is_checked()
    context.close()


def test_closing_the_panel_after_a_change_lands_at_the_results(live_server, browser, programme):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + URL)
    page.locator("#filter-panel > summary").click()
    option(page, "Morgondagens energilösningar").click()
    page.wait_for_function("() => document.getElementById('filter-submit').value === 'Visa 4 programpunkter'")
    page.locator("#filter-panel > summary").click()  # close it
    page.wait_for_function("() => document.activeElement.id === 'resultat'")
    assert in_view(page, "#resultat")
    assert len(titles(page)) == 4
    context.close()


def test_touch_targets_of_toggle_bar_and_chips_are_44_px(live_server, page, programme):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + URL + "?format=digitalt&dag=2026-11-11")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('#filter-panel > summary, a.chip, a.clear-all')]
             .map(e => { const b = e.getBoundingClientRect(); return [Math.round(b.width), Math.round(b.height)]; })"""
    )
    assert len(sizes) == 4
    assert all(width >= 44 and height >= 44 for width, height in sizes), sizes
    page.locator("#filter-panel > summary").click()
    bar = page.locator("#filter-submit").bounding_box()
    assert bar["height"] >= 44 and bar["width"] >= 44


@pytest.fixture
def wednesday(monkeypatch):
    moment = local(2026, 11, 11, 8)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize("language", ["", "/en"])
def test_keyboard_reaches_the_first_session_in_five_tabs_and_today_opens(
    live_server, browser, programme, wednesday, axe_violations, language
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + language + URL)
    heading = page.locator(".day.today h2").inner_text()
    assert heading == ("Today, Wednesday 11 November" if language else "Idag, onsdag 11 november")
    assert page.locator("#tidigare-dagar").count() == 1
    assert page.locator("#tidigare-dagar").get_attribute("open") is None
    assert axe_violations(page) == []
    # "Hoppa till innehållet", then the first stops in the content up to "Hoppa till programpunkterna", then one more
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tabs = 1
    while tabs < 5:
        page.keyboard.press("Tab")
        tabs += 1
        if page.evaluate("() => document.activeElement.classList.contains('results-skip')"):
            break
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    tabs += 1
    focused = page.evaluate("() => [document.activeElement.tagName, !!document.activeElement.closest('.session')]")
    assert focused == ["A", True]
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Digital tillverkning"
    assert tabs <= 5
    print(f"first session after {tabs} Tab presses")
    # the earlier days are one tap away
    page.locator("#tidigare-dagar > summary").click()
    assert page.locator("#dag-2026-11-09").is_visible()
    context.close()
