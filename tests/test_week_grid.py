"""The week at a glance (events/week.py, /siv/vecka/): the layout, the page, its filters and its cost."""

import datetime
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from events import addresses
from events.models import Session
from events.week import css_rules, place, rows
from innovationsvecka.pagecache import PAGES, PROGRAMME_PARAMS
from tests.conftest import text
from tests.factories import EditionFactory, SessionFactory, local, municipality, theme
from tests.test_programme_page import batch_programme

WEEK_CSS = Path(settings.BASE_DIR) / "static" / "css" / "week.css"


def hours(*spans):
    """(start, end) in minutes from "HH:MM-HH:MM" strings."""
    result = []
    for span in spans:
        start, end = span.split("-")
        result.append(tuple(int(t[:2]) * 60 + int(t[3:]) for t in (start, end)))
    return result


# ---- the layout function ----


def test_place_gives_sessions_one_after_another_the_whole_width():
    slots = place(hours("09:00-10:00", "10:00-11:00", "13:00-14:00"))
    assert [(s.lane, s.lanes) for s in slots] == [(0, 1), (0, 1), (0, 1)]
    assert [s.cluster for s in slots] == [0, 1, 2]


def test_place_puts_parallel_sessions_side_by_side_up_to_three():
    slots = place(hours("09:00-11:00", "09:30-10:30", "10:00-12:00"))
    assert [(s.lane, s.lanes) for s in slots] == [(0, 3), (1, 3), (2, 3)]


def test_place_reuses_a_column_that_is_free_again():
    slots = place(hours("09:00-10:00", "09:00-11:00", "10:00-11:00"))
    assert [(s.lane, s.lanes) for s in slots] == [(0, 2), (1, 2), (0, 2)]


def test_place_stacks_a_cluster_of_more_than_three_at_once():
    slots = place(hours("09:00-12:00", "09:00-10:00", "09:30-10:30", "09:45-11:00", "13:00-14:00"))
    assert [s.lanes for s in slots] == [0, 0, 0, 0, 1]  # stacked, then a session of its own
    assert [s.cluster for s in slots] == [0, 0, 0, 0, 1]


def test_place_never_uses_more_than_three_columns():
    spans = [(start, start + 90) for start in range(8 * 60, 17 * 60, 20)]
    assert all(slot.lanes <= 3 for slot in place(spans))


spans = st.lists(
    st.tuples(st.integers(0, 23 * 60), st.integers(1, 6 * 60)).map(lambda pair: (pair[0], pair[0] + pair[1])),
    max_size=40,
).map(sorted)


@given(spans)
def test_place_never_puts_overlapping_sessions_in_one_column(spans):
    slots = place(spans)
    assert len(slots) == len(spans)
    placed = list(zip(spans, slots, strict=True))
    for (a, slot_a), (b, slot_b) in itertools.combinations(placed, 2):
        overlap = a[0] < b[1] and b[0] < a[1]
        if overlap:
            assert slot_a.cluster == slot_b.cluster  # overlapping sessions share a cluster
            if slot_a.lanes:
                assert slot_a.lane != slot_b.lane
    for slot in slots:
        assert 0 <= slot.lanes <= 3 and (slot.lanes == 0 or slot.lane < slot.lanes)
    clusters = [slot.cluster for slot in slots]
    assert clusters == sorted(clusters)  # a cluster is a run in start order: the page reads in time order


def test_rows_are_15_minutes_from_the_first_hour():
    assert rows(8 * 60 + 30, 10 * 60, 8 * 60) == (3, 6)
    assert rows(8 * 60, 8 * 60 + 5, 8 * 60) == (1, 1)  # never less than one row
    assert rows(9 * 60 + 10, 9 * 60 + 50, 8 * 60) == (5, 4)  # rounded out to whole rows


def test_week_css_holds_the_generated_rows():
    assert WEEK_CSS.read_text().endswith(css_rules())


# ---- the page ----


def block_titles(html):
    return re.findall(r'<span class="block-title">([^<]*)</span>', html)


def day_sections(html):
    return re.findall(r'<section class="week-day[^"]*" id="(dag-[0-9-]+)"', html)


@pytest.mark.django_db
def test_week_shows_blocks_per_day_in_time_order(client, edition):
    SessionFactory(edition=edition, title="Tisdag tidig", start=local(2026, 11, 10, 9))
    SessionFactory(edition=edition, title="Måndag sen", start=local(2026, 11, 9, 15))
    SessionFactory(edition=edition, title="Måndag tidig", start=local(2026, 11, 9, 8, 30))
    html = client.get("/siv/vecka/").content.decode()
    assert day_sections(html) == ["dag-2026-11-09", "dag-2026-11-10"]
    assert block_titles(html) == ["Måndag tidig", "Måndag sen", "Tisdag tidig"]
    assert '<h2 id="dag-2026-11-09-heading">Måndag 9 november</h2>' in html
    # rows of 15 minutes from 08:00, the first hour of the week: 08:30-09:30 is rows 3 to 6
    assert 'class="block lane-1-of-1 row-start-3 row-span-4"' in html
    assert '<a href="#dag-2026-11-10">Tis 10/11</a>' in html


@pytest.mark.django_db
def test_week_block_shows_time_place_theme_and_links_to_the_session(client, edition):
    SessionFactory(
        edition=edition, title="Vätgas", slug="vatgas", start=local(2026, 11, 9, 10), themes=[theme("life-science")]
    )
    SessionFactory(edition=edition, title="Webbinarium", start=local(2026, 11, 9, 13), format="digitalt", venue=None)
    response = client.get("/siv/vecka/")
    html = response.content.decode()
    assert '<a class="session-block theme-life-science" href="/siv/2026/vatgas/">' in html
    assert '<time datetime="2026-11-09T10:00:00+01:00">10:00</time>–11:00' in html
    assert "Vätgas Eskilstuna Life science med välfärd och hälsa" in text(response)
    assert "Webbinarium Digitalt" in text(response)
    assert '<a class="session-block theme-none"' in html


@pytest.mark.django_db
def test_week_places_parallel_sessions_side_by_side_then_stacks(client, edition):
    for n, (hour, minute) in enumerate([(9, 0), (9, 30), (10, 0)]):  # an hour each: the third takes the first's column
        SessionFactory(edition=edition, title=f"Måndag {n}", start=local(2026, 11, 9, hour, minute))
    for n in range(4):
        SessionFactory(edition=edition, title=f"Tisdag {n}", start=local(2026, 11, 10, 9, 15 * n))
    html = client.get("/siv/vecka/").content.decode()
    monday = html[html.index('id="dag-2026-11-09"') : html.index('id="dag-2026-11-10"')]
    assert re.findall(r'class="block (lane-\d-of-\d)', monday) == ["lane-1-of-2", "lane-2-of-2", "lane-1-of-2"]
    tuesday = html[html.index('id="dag-2026-11-10"') :]
    assert tuesday.count('class="block stack row-start-1 row-span-7"') == 1  # 09:00, the first hour, to 10:45
    stack = tuesday[tuesday.index("stack-list") : tuesday.index("</ol>")]
    assert block_titles(stack) == ["Tisdag 0", "Tisdag 1", "Tisdag 2", "Tisdag 3"]


@pytest.mark.django_db
def test_week_takes_the_programme_filters(client, edition):
    SessionFactory(edition=edition, title="Industri", themes=[theme("smart-industri")])
    SessionFactory(edition=edition, title="Mat", themes=[theme("hallbar-livsmedelsforsorjning")])
    SessionFactory(edition=edition, title="I Nyköping", venue__municipality=municipality("nykoping"))
    response = client.get("/siv/vecka/?tema=smart-industri&tema=hallbar-livsmedelsforsorjning&kommun=eskilstuna")
    assert block_titles(response.content.decode()) == ["Industri", "Mat"]
    assert "2 av 3 programpunkter matchar dina val." in text(response)
    assert client.get("/siv/vecka/?q=mat").content.decode().count('class="block-title"') == 1


@pytest.mark.django_db
def test_week_address_is_shareable_and_the_switch_keeps_the_filters(client, edition):
    SessionFactory(edition=edition, title="Industri", themes=[theme("smart-industri")])
    url = "/siv/vecka/?tema=smart-industri&kommun=eskilstuna"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert block_titles(first.content.decode()) == block_titles(again.content.decode()) == ["Industri"]
    html = first.content.decode()
    assert '<a href="/siv/?tema=smart-industri&amp;kommun=eskilstuna">Lista</a>' in html
    assert '<a href="/siv/vecka/?tema=smart-industri&amp;kommun=eskilstuna" aria-current="page">Vecka</a>' in html
    programme = client.get("/siv/?tema=smart-industri").content.decode()
    assert '<a href="/siv/vecka/?tema=smart-industri">Vecka</a>' in programme
    assert '<a href="/siv/?tema=smart-industri" aria-current="page">Lista</a>' in programme


@pytest.mark.django_db
def test_week_handles_unknown_and_bad_parameters(client, edition):
    SessionFactory(edition=edition, title="Kvar")
    response = client.get("/siv/vecka/?tema=nope&dag=igår&utm_source=x&kommun=%00")
    assert response.status_code == 200
    assert block_titles(response.content.decode()) == ["Kvar"]
    assert "Det finns inget tema ”nope”; det ignorerades." in text(response)
    assert client.get("/siv/vecka/?tema=smart-industri").status_code == 200
    empty = client.get("/siv/vecka/?tema=smart-industri")
    assert "Inga programpunkter matchar dina val" in text(empty)


@pytest.mark.django_db
def test_week_of_a_past_edition_has_its_own_address(client):
    this_year = timezone.localdate().year
    past = EditionFactory(year=this_year - 1)
    EditionFactory(year=this_year)
    monday = past.start_date
    SessionFactory(edition=past, title="Förra året", slug="forra", start=local(past.year, 11, monday.day, 10))
    response = client.get(f"/siv/{past.year}/vecka/")
    html = response.content.decode()
    assert block_titles(html) == ["Förra året"]
    assert f'href="/siv/{past.year}/forra/"' in html
    assert f'<a href="/siv/{past.year}/">Lista</a>' in html
    assert block_titles(client.get("/siv/vecka/").content.decode()) == []
    assert client.get(f"/siv/{this_year - 5}/vecka/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["vecka", "karta"])
def test_week_and_map_of_an_unpublished_edition_are_not_shown(client, page):
    edition = EditionFactory(year=timezone.localdate().year + 1, is_published=False)
    SessionFactory(edition=edition, title="Hemlig", venue__municipality=municipality("trosa"))
    response = client.get(f"/siv/{edition.year}/{page}/")
    assert response.status_code == 200
    assert "Hemlig" not in text(response)
    assert "kommer att finnas här" in text(response)


def test_vecka_and_karta_are_reserved_slugs_and_their_own_pages():
    assert addresses.is_reserved("vecka") and addresses.is_reserved("karta")
    assert resolve("/siv/2026/vecka/").view_name == "events:edition_week"
    assert resolve("/siv/2026/karta/").view_name == "events:edition_map"
    assert resolve("/siv/vecka/").view_name == "events:week"


def test_week_and_map_are_cached_pages_with_the_programme_parameters():
    for name in ("events:week", "events:edition_week", "events:map", "events:edition_map"):
        assert PAGES[name].lifetime == 300
        assert PAGES[name].params == PROGRAMME_PARAMS


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # the filter form's option counts (events.facets) are two of them
        ("/siv/2026/vecka/", 12),
        # one more: the unfiltered total for "n av m programpunkter"
        ("/siv/2026/vecka/?tema=smart-industri&dag=2026-11-10&dag=2026-11-11&kommun=eskilstuna&aktor=aktor-0", 13),
    ],
)
def test_week_query_count_is_the_same_for_3_and_30_sessions(client, no_page_cache, url, expected):
    batch_programme(3)
    small, response = count_queries(client, url)
    assert len(response.context["sessions"]) > 0
    Session.objects.all().delete()
    batch_programme(30)
    large, response = count_queries(client, url)
    assert len(response.context["sessions"]) > 5
    assert small == large == expected


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_theme_colour_has_text_contrast_of_at_least_4_5():
    css = WEEK_CSS.read_text()
    site = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    ink = re.search(r"--ink: (#[0-9a-f]{6})", site).group(1)
    title = re.search(r"--accent-dark: (#[0-9a-f]{6})", site).group(1)
    warn = re.search(r"--warn: (#[0-9a-f]{6})", site).group(1)
    backgrounds = dict(re.findall(r"--week-theme-([a-z-]+?): (#[0-9a-f]{6})", css))
    assert set(backgrounds) >= {
        "smart-industri", "hallbar-livsmedelsforsorjning", "morgondagens-energilosningar", "life-science", "none"
    }
    for name, background in backgrounds.items():
        if name.endswith("-edge"):
            continue
        for colour in (ink, title, warn):
            assert contrast(colour, background) >= 4.5, (name, colour, background)


@pytest.mark.django_db
def test_week_session_past_midnight_is_drawn_to_the_end_of_its_day(client, edition):
    start = timezone.make_aware(datetime.datetime(2026, 11, 9, 23, 0))
    SessionFactory(edition=edition, title="Sen kväll", start=start, end=start + datetime.timedelta(hours=2))
    html = client.get("/siv/vecka/").content.decode()
    assert block_titles(html) == ["Sen kväll"]
    assert "23:00</time>–01:00" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/siv/vecka/?tema=smart-industri", "/siv/karta/?tema=smart-industri"])
def test_week_and_map_are_served_from_the_page_cache(client, edition, url):
    SessionFactory(edition=edition, title="Industri", themes=[theme("smart-industri")])
    first = client.get(url + "&utm_source=nyhetsbrev")
    queries, again = count_queries(client, url)
    assert queries <= 1
    assert again.content == first.content
