"""The week grid and the county map in a real browser, at 375 and 1366 px: no horizontal scroll, blocks in time
order on the screen as in the page, the phone's day switcher without JavaScript, axe in both languages."""

import datetime

import pytest
from playwright.sync_api import expect

from events.models import Session
from tests.factories import SessionFactory, VenueFactory, local, municipality, theme

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [375, 1366]


@pytest.fixture
def week(db):
    nykoping = VenueFactory(municipality=municipality("nykoping"), town="Nyköping")
    smart, life = theme("smart-industri"), theme("life-science")
    plan = [
        ("Frukostmöte om patent", 9, 8, 30, 60, [smart], {}),
        ("Vätgas i Sörmland med en lång rubrik som bryts", 9, 9, 0, 120, [life], {"venue": nykoping}),
        ("Digitala tvillingar", 9, 9, 30, 60, [], {"format": Session.Format.DIGITAL, "venue": None}),
        ("Cirkulära affärsmodeller", 9, 13, 0, 90, [smart], {"status": Session.Status.CANCELLED}),
        ("Pitchträning", 10, 10, 0, 60, [life], {"format": Session.Format.HYBRID}),
        ("Fyra samtidigt A", 11, 9, 0, 60, [smart], {}),
        ("Fyra samtidigt B", 11, 9, 0, 60, [smart], {}),
        ("Fyra samtidigt C", 11, 9, 15, 60, [life], {}),
        ("Fyra samtidigt D", 11, 9, 30, 60, [], {}),
    ]
    for title, day, hour, minute, minutes, themes, extra in plan:
        start = local(2026, 11, day, hour, minute)
        end = start + datetime.timedelta(minutes=minutes)
        SessionFactory(title=title, start=start, end=end, themes=themes, **extra)


def block_starts(page):
    """(day, start time, top on screen) of the visible blocks, in page order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.week-day')].filter(d => d.offsetParent !== null).flatMap(day =>
             [...day.querySelectorAll('.session-block')].map(b =>
               [day.id, b.querySelector('time').getAttribute('datetime'), b.getBoundingClientRect().top]))"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_week_has_no_horizontal_scroll_and_blocks_in_time_order(live_server, page, week, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/siv/2026/vecka/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    starts = block_starts(page)
    assert starts, "no blocks shown"
    assert [s[1] for s in starts] == sorted(s[1] for s in starts)  # page order is time order
    for day in {s[0] for s in starts}:
        tops = [s[2] for s in starts if s[0] == day]
        assert tops == sorted(tops), (day, tops)  # a later start is never drawn above an earlier one
    # an hour is four 15-minute rows high at least, on the phone too
    hour_tops = page.evaluate(
        "() => [...document.querySelectorAll('#dag-2026-11-09 .hour')].map(h => h.getBoundingClientRect().top)"
    )
    row = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize) * 1.15")
    assert all(b - a >= 4 * row - 1 for a, b in zip(hour_tops, hour_tops[1:], strict=False)), hour_tops
    if width == 1366:
        assert page.locator(".week-day:visible").count() == 3  # the days side by side
        # 09:00 on Monday and on Wednesday is on one level: the days share their rows
        monday = page.locator("#dag-2026-11-09 .hour").nth(1).bounding_box()["y"]
        wednesday = page.locator("#dag-2026-11-11 .hour").nth(1).bounding_box()["y"]
        assert abs(monday - wednesday) < 1
        # parallel sessions side by side: at most three columns
        lefts = page.evaluate(
            "() => [...document.querySelectorAll('#dag-2026-11-09 .block:not(.stack)')]"
            ".map(b => Math.round(b.getBoundingClientRect().left))"
        )
        assert 1 < len(set(lefts)) <= 3
        stacked = page.locator("#dag-2026-11-11 .stack .session-block")
        assert stacked.count() == 4
        boxes = [stacked.nth(i).bounding_box() for i in range(4)]
        assert all(a["y"] + a["height"] <= b["y"] + 0.5 for a, b in zip(boxes, boxes[1:], strict=False))


def test_week_day_switcher_works_without_javascript(live_server, browser, week):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/siv/2026/vecka/")
    assert page.locator(".week-day:visible").count() == 1
    assert page.locator("#dag-2026-11-09").is_visible()
    page.get_by_role("link", name="Tis 10/11").click()
    assert page.url.endswith("/siv/2026/vecka/#dag-2026-11-10")
    assert page.locator("#dag-2026-11-10").is_visible()
    assert not page.locator("#dag-2026-11-09").is_visible()
    assert page.locator(".week-day:visible .block-title").all_inner_texts() == ["Pitchträning"]
    page.get_by_role("link", name="Ons 11/11").click()
    assert page.locator(".week-day:visible .block-title").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_map_has_no_horizontal_scroll_and_counts_equal_the_list(live_server, page, week, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/siv/2026/karta/?tema=smart-industri")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    tile = page.locator(".county-map .tile-eskilstuna a")
    count = int(tile.locator(".tile-count").inner_text().split()[0])
    assert count == 4  # Frukostmöte, Cirkulära (cancelled, still listed), Fyra samtidigt A and B
    # Nyköping is south-east of Eskilstuna on the screen
    eskilstuna = page.locator(".tile-eskilstuna").bounding_box()
    nykoping = page.locator(".tile-nykoping").bounding_box()
    assert nykoping["y"] > eskilstuna["y"] and nykoping["x"] > eskilstuna["x"]
    tile.click()
    page.wait_for_url("**kommun=eskilstuna**")
    expect(page.locator(".session h3")).to_have_count(count)  # waits for the new page, unlike count()


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize(
    "path", ["/siv/2026/vecka/", "/siv/2026/vecka/?tema=life-science", "/siv/2026/karta/", "/siv/2026/"]
)
@pytest.mark.parametrize("width", WIDTHS)
def test_week_and_map_have_no_axe_violations(live_server, page, axe_violations, week, language, path, width):
    csp = []
    page.on("console", lambda message: csp.append(message.text) if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{language}{path}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert csp == []  # no style attributes: blocks are placed by classes
