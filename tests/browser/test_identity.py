"""The identity in a real browser: the phone header (at most 64 px, a menu that works without JavaScript, "Mitt
program" always there), no sideways scrolling at 375 px, names without mid-word breaks, and axe on the programme,
a session page, an actor page and the 404 page in Swedish and English, at 375 and 1366 px."""

import pytest
from playwright.sync_api import expect

from events.models import Municipality
from tests.factories import OrganisationFactory, SessionFactory, theme

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}
# Every run of letters between spaces and soft hyphens that the browser laid out on more than one line.
BROKEN_WORDS = """(element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/[^\\s\\u00ad]+/g)) {
      const lines = new Set();
      for (let i = match.index; i < match.index + match[0].length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rects = [...range.getClientRects()];  // (a break at a soft hyphen adds the hyphen's rect first)
        if (rects.length) lines.add(Math.round(rects[rects.length - 1].top));
      }
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def make_week():
    long_name = OrganisationFactory(name="Sparbanksstiftelsen Rekarne", slug="sparbanksstiftelsen")
    centrum = OrganisationFactory(name="NyföretagarCentrum Sörmland", slug="nyforetagarcentrum")
    long_name.municipalities.set(Municipality.objects.filter(slug="eskilstuna"))
    session = SessionFactory(title="Från idé till affär", slug="fran-ide", organisers=[long_name, centrum],
                             themes=[theme("smart-industri"), theme("life-science")])
    SessionFactory(title="Digital rådgivning", format="digitalt", venue=None, organisers=[centrum],
                   themes=[theme("morgondagens-energilosningar")])
    return session


def pages(base, prefix):
    return {
        "programme": f"{base}{prefix}/siv/",
        "session": f"{base}{prefix}/siv/2026/fran-ide/",
        "actor": f"{base}{prefix}/siv/aktorer/sparbanksstiftelsen/",
        "actors": f"{base}{prefix}/siv/aktorer/",
        "404": f"{base}{prefix}/siv/finns-inte/",
    }


def layout(page):
    return page.evaluate("""() => ({
        header: document.querySelector('.site-header').getBoundingClientRect().height,
        scroll: document.documentElement.scrollWidth, width: window.innerWidth })""")


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.django_db(transaction=True)
def test_phone_header_is_compact_and_nothing_scrolls_sideways(live_server, page, axe_violations, prefix):
    make_week()
    page.set_viewport_size(PHONE)
    my_programme = "My programme" if prefix else "Mitt program"
    for name, url in pages(live_server.url, prefix).items():
        response = page.goto(url)
        assert response.status == (404 if name == "404" else 200), url
        facts = layout(page)
        assert facts["header"] <= 64, (name, facts)
        assert facts["scroll"] <= facts["width"], (name, facts)
        header = page.locator(".site-header")
        expect(header.get_by_role("link", name=my_programme)).to_be_visible()
        expect(header.locator(".brand")).to_be_visible()
        if name != "404":  # an unknown address has no page in the other language
            expect(header.locator(".language-switch a")).to_be_visible()
        expect(header.locator(".menu > summary")).to_be_visible()
        expect(header.locator(".nav-wide")).to_be_hidden()
        assert page.eval_on_selector("h1", BROKEN_WORDS) == [], name
        for button in page.locator("main .button:visible, main button:visible").all():
            assert button.evaluate(BROKEN_WORDS) == [], (name, button.inner_text())
        assert axe_violations(page) == [], url
    # WCAG's reflow width: still one row, nothing sideways.
    page.set_viewport_size({"width": 320, "height": 700})
    for url in pages(live_server.url, prefix).values():
        page.goto(url)
        facts = layout(page)
        assert facts["header"] <= 64 and facts["scroll"] <= facts["width"], (url, facts)
    # The menu opens and shows the main links, and axe is content with it open too.
    page.goto(pages(live_server.url, prefix)["programme"])
    page.locator(".menu > summary").click()
    menu = page.locator(".menu-panel")
    expect(menu.get_by_role("link", name="Support actors" if prefix else "Aktörer")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_names_do_not_break_mid_word_in_cards_and_headings(live_server, page):
    make_week()
    for viewport in (PHONE, {"width": 320, "height": 700}, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/siv/aktorer/")
        for card in page.locator(".org-card h3").all():
            assert card.evaluate(BROKEN_WORDS) == [], viewport
        widths = {round(box["width"]) for box in
                  page.eval_on_selector_all(".org-card", "cards => cards.map(c => c.getBoundingClientRect())")}
        assert len(widths) == 1, widths  # every card as wide as the others, logo or not
        page.goto(f"{live_server.url}/siv/aktorer/nyforetagarcentrum/")
        assert page.eval_on_selector("h1", BROKEN_WORDS) == [], viewport
        assert layout(page)["scroll"] <= viewport["width"]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.django_db(transaction=True)
def test_desktop_header_shows_the_menu_and_passes_axe(live_server, page, axe_violations, prefix):
    make_week()
    page.set_viewport_size(DESKTOP)
    for url in pages(live_server.url, prefix).values():
        page.goto(url)
        header = page.locator(".site-header")
        expect(header.locator(".nav-wide")).to_be_visible()
        expect(header.locator(".menu")).to_be_hidden()
        assert layout(page)["header"] <= 64
        assert axe_violations(page) == [], url


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.django_db(transaction=True)
def test_in_between_widths_the_header_keeps_one_row(live_server, page, prefix):
    make_week()
    for width in (600, 800, 1024, 1088, 1200):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}{prefix}/siv/")
        facts = layout(page)
        assert facts["header"] <= 64 and facts["scroll"] <= width, (width, facts)


@pytest.mark.django_db(transaction=True)
def test_the_menu_works_without_javascript(live_server, browser):
    make_week()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/siv/")
    page.get_by_text("Meny", exact=True).click()
    page.locator(".menu-panel").get_by_role("link", name="Aktörer").click()
    page.wait_for_url("**/siv/aktorer/")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_my_programme_count_shows_in_the_phone_header(live_server, page):
    make_week()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/siv/2026/fran-ide/")
    page.get_by_role("button", name="Lägg till i min kalender").click()
    expect(page.locator(".site-header .my-programme-link")).to_contain_text("(1)")
    facts = layout(page)
    assert facts["header"] <= 64 and facts["scroll"] <= facts["width"]


@pytest.mark.django_db(transaction=True)
def test_the_phone_header_works_with_the_keyboard(live_server, page):
    make_week()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/siv/")
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.className || document.activeElement.textContent.trim()"))
    assert order == ["skip-link", "brand", "my-programme-link", "English", "Meny"], order
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Programmet"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus ring shows
