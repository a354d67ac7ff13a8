"""Filtering that shows its effect: faceted counts on the programme and the actors directory, disabled dead
ends, what to drop from an empty result, only days with sessions, the list opening at today, constant queries."""

import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.facets import Facets
from events.filters import ProgrammeFilter
from events.models import Session
from organisers.models import Organisation
from tests.factories import (
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    audience,
    local,
    municipality,
    support_type,
    theme,
)

URL = "/siv/2026/"


@pytest.fixture(autouse=True)
def swedish(no_page_cache):
    with translation.override("sv"):
        yield


@pytest.fixture
def programme(edition):
    """Four public sessions over three days (and a draft, never counted)."""
    almi = OrganisationFactory(name="Almi Företagspartner", slug="almi")
    mdu = OrganisationFactory(name="Mälardalens universitet", slug="mdu")
    nykoping = VenueFactory(municipality=municipality("nykoping"), town="Nyköping")
    return {
        "a": SessionFactory(
            edition=edition, title="Finansiering för idébärare",
            start=local(2026, 11, 9, 9), end=local(2026, 11, 9, 10),
            themes=[theme("smart-industri")], organisers=[almi], audiences=[audience("idebarare")],
            format=Session.Format.ON_SITE, language=Session.Language.SWEDISH,
        ),
        "b": SessionFactory(
            edition=edition, title="Energilager i praktiken", start=local(2026, 11, 9, 13), end=local(2026, 11, 9, 14),
            themes=[theme("morgondagens-energilosningar"), theme("smart-industri")], organisers=[mdu],
            audiences=[audience("befintliga-foretag")], format=Session.Format.DIGITAL, venue=None,
            language=Session.Language.ENGLISH,
        ),
        "c": SessionFactory(
            edition=edition, title="Mat från Sörmland", start=local(2026, 11, 10, 10), end=local(2026, 11, 10, 11),
            themes=[theme("hallbar-livsmedelsforsorjning")], organisers=[almi, mdu], venue=nykoping,
            audiences=[audience("idebarare"), audience("nyforetagare")], format=Session.Format.HYBRID,
            language=Session.Language.BOTH,
        ),
        "d": SessionFactory(
            edition=edition, title="Välfärdsteknik", start=local(2026, 11, 11, 10), end=local(2026, 11, 11, 12),
            themes=[theme("life-science")], format=Session.Format.ON_SITE, status=Session.Status.CANCELLED,
        ),
        "e": SessionFactory(
            edition=edition, title="Hemligt utkast", start=local(2026, 11, 12, 9), end=local(2026, 11, 12, 10),
            themes=[theme("smart-industri")], organisers=[almi], status=Session.Status.DRAFT,
        ),
    }


def facets(query, edition):
    return ProgrammeFilter(QueryDict(query), edition).facets


def counts(query, edition):
    return {name: dict(counter) for name, counter in facets(query, edition).counts.items()}


UNFILTERED = {
    "dag": {"2026-11-09": 2, "2026-11-10": 1, "2026-11-11": 1},
    "tema": {
        "smart-industri": 2, "morgondagens-energilosningar": 1, "hallbar-livsmedelsforsorjning": 1, "life-science": 1,
    },
    "format": {"plats": 3, "digitalt": 2, "hybrid": 1},
    "kommun": {"eskilstuna": 2, "nykoping": 1},
    "aktor": {"almi": 2, "mdu": 2},
    "malgrupp": {"idebarare": 2, "befintliga-foretag": 1, "nyforetagare": 1},
    "sprak": {"sv": 3, "en": 2, "sv-en": 1},  # a bilingual session counts under both languages
}


@pytest.mark.django_db
def test_facets_without_filters_count_every_public_session_once_per_option(programme, edition):
    assert counts("", edition) == UNFILTERED
    found = facets("", edition)
    assert (found.total, found.matched) == (4, 4)


@pytest.mark.django_db
def test_facets_count_each_option_with_the_other_filters(programme, edition):
    found = counts("format=digitalt", edition)
    assert found["format"] == {"plats": 3, "digitalt": 2, "hybrid": 1}  # its own filter does not narrow it
    assert found["dag"] == {"2026-11-09": 1, "2026-11-10": 1}
    assert found["tema"] == {"smart-industri": 1, "morgondagens-energilosningar": 1, "hallbar-livsmedelsforsorjning": 1}
    found = counts("format=digitalt&dag=2026-11-09", edition)
    assert found["format"] == {"plats": 1, "digitalt": 1}  # a and b are on the 9th
    assert found["dag"] == {"2026-11-09": 1, "2026-11-10": 1}  # b and c are digital
    assert found["aktor"] == {"mdu": 1}
    assert facets("format=digitalt&dag=2026-11-09", edition).matched == 1


@pytest.mark.django_db
def test_facets_follow_the_search_text(programme, edition):
    found = facets("q=energilager", edition)
    assert (found.total, found.matched) == (4, 1)
    assert dict(found.counts["dag"]) == {"2026-11-09": 1}
    assert dict(found.counts["format"]) == {"digitalt": 1}


def option(html, name, value):
    """The <input> of one option and the text of its label."""
    tag = re.search(rf'<input type="checkbox"[^>]*name="{name}" value="{value}"[^>]*>', html).group(0)
    input_id = re.search(r'id="([^"]+)"', tag).group(1)
    label = re.search(rf'<label for="{input_id}" class="form-check-label">\s*(.*?)\s*</label>', html, re.S).group(1)
    return tag, label


@pytest.mark.django_db
def test_programme_options_show_counts_and_disable_dead_ends(client, programme):
    html = client.get(URL + "?format=digitalt").content.decode()
    tag, label = option(html, "format", "digitalt")
    assert (label, "checked" in tag, "disabled" in tag) == ("Digitalt (2)", True, False)
    tag, label = option(html, "tema", "life-science")
    assert (label, "disabled" in tag) == ("Life science med välfärd och hälsa (0)", True)
    tag, label = option(html, "tema", "morgondagens-energilosningar")
    assert (label, "disabled" in tag) == ("Morgondagens energilösningar (1)", False)
    tag, label = option(html, "dag", "2026-11-11")
    assert (label, "disabled" in tag) == ("onsdag 11 november (0)", True)


@pytest.mark.django_db
def test_a_chosen_option_giving_none_stays_enabled_so_it_can_be_unticked(client, programme):
    html = client.get(URL + "?format=digitalt&dag=2026-11-11").content.decode()
    for name, value, label in [("dag", "2026-11-11", "onsdag 11 november (0)"), ("format", "digitalt", "Digitalt (0)")]:
        tag, shown = option(html, name, value)
        assert (shown, "checked" in tag, "disabled" in tag) == (label, True, False)
    tag, shown = option(html, "format", "hybrid")
    assert (shown, "disabled" in tag) == ("Hybrid (0)", True)


@pytest.mark.django_db
def test_only_days_with_sessions_are_offered_and_a_chosen_empty_day_stays(client, programme):
    response = client.get(URL)
    assert [value for value, _ in response.context["filter"].form.fields["dag"].choices] == [
        "2026-11-09", "2026-11-10", "2026-11-11",
    ]
    # the draft's Thursday is not offered; Friday, chosen by a shared link, stays so it can be unticked
    response = client.get(URL + "?dag=2026-11-13")
    assert [label for _, label in response.context["filter"].form.fields["dag"].choices] == [
        "måndag 9 november (2)", "tisdag 10 november (1)", "onsdag 11 november (1)", "fredag 13 november (0)",
    ]


@pytest.mark.django_db
def test_empty_result_names_what_to_drop_with_its_count(client, programme):
    response = client.get(URL + "?dag=2026-11-11&format=digitalt")
    assert response.context["sessions"] == []
    assert response.context["filter"].drops == [
        ("Dag", "onsdag 11 november", 2, "format=digitalt"),
        ("Form", "Digitalt", 1, "dag=2026-11-11"),
    ]
    html = response.content.decode()
    drop_day = "Utan Dag: onsdag 11 november finns 2 programpunkter"
    assert f'<a href="/siv/2026/?format=digitalt#resultat">{drop_day}</a>' in html
    assert '<a href="/siv/2026/?dag=2026-11-11#resultat">Utan Form: Digitalt finns 1 programpunkt</a>' in html


@pytest.mark.django_db
def test_empty_result_may_say_to_drop_the_search_or_several_values_of_one_filter(client, programme):
    drops = client.get(URL + "?q=energilager&dag=2026-11-10&dag=2026-11-11").context["filter"].drops
    assert drops == [
        ("Sök", "”energilager”", 2, "dag=2026-11-10&dag=2026-11-11"),
        ("Dag", "tisdag 10 november, onsdag 11 november", 1, "q=energilager"),
    ]
    # removing either of two filters that both exclude everything helps nothing: no advice, only "clear all"
    response = client.get(URL + "?dag=2026-11-11&tema=smart-industri&format=digitalt&kommun=nykoping")
    assert (response.context["sessions"], response.context["filter"].drops) == ([], [])


@pytest.fixture
def wednesday(monkeypatch):
    """The clock at 12.00 on Wednesday 11 November 2026, the week's third day."""
    moment = local(2026, 11, 11, 12)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.mark.django_db
def test_during_the_week_the_list_opens_at_today_with_earlier_days_folded(client, programme, wednesday):
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["earlier_days"] == 2
    folded = re.search(r'<details class="earlier-days" id="tidigare-dagar">(.*?)</details>', html, re.S).group(1)
    assert "<summary>Visa tidigare dagar (2 dagar)</summary>" in folded
    assert re.findall(r'<h2 id="dag-([\d-]+)"', folded) == ["2026-11-09", "2026-11-10"]
    assert '<h2 id="dag-2026-11-11"><span class="today-badge">Idag</span>, onsdag 11 november</h2>' in html
    assert '<h2 id="dag-2026-11-11">' not in folded
    assert '<a class="results-skip" href="#dag-2026-11-11">Hoppa till programpunkterna</a>' in html


@pytest.mark.django_db
def test_chosen_days_or_a_day_without_sessions_fold_nothing(client, programme, wednesday):
    response = client.get(URL + "?dag=2026-11-09&dag=2026-11-11")
    assert response.context["earlier_days"] == 0
    assert 'class="earlier-days"' not in response.content.decode()
    Session.objects.filter(start__date=datetime.date(2026, 11, 11)).delete()
    response = client.get(URL)
    assert response.context["earlier_days"] == 0
    assert '<a class="results-skip" href="#dag-2026-11-09">' in response.content.decode()


def sessions_in_bulk(edition, count):
    almi, mdu = OrganisationFactory(slug="almi"), OrganisationFactory(slug="mdu")
    sessions = Session.objects.bulk_create(
        Session(
            edition=edition, title=f"Punkt {n}", slug=f"punkt-{n}", venue=None,
            start=local(2026, 11, 9 + n % 5, 8 + n % 9), end=local(2026, 11, 9 + n % 5, 18),
            format=[Session.Format.ON_SITE, Session.Format.DIGITAL, Session.Format.HYBRID][n % 3],
            status=Session.Status.PUBLISHED,
        )
        for n in range(count)
    )
    themes = [theme("smart-industri"), theme("morgondagens-energilosningar")]
    Session.themes.through.objects.bulk_create(
        Session.themes.through(session=s, theme=themes[n % 2]) for n, s in enumerate(sessions)
    )
    Session.organisers.through.objects.bulk_create(
        Session.organisers.through(session=s, organisation=org) for s in sessions for org in (almi, mdu)
    )
    Session.audiences.through.objects.bulk_create(
        Session.audiences.through(session=s, audience=audience("idebarare")) for s in sessions
    )


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "format=digitalt&tema=morgondagens-energilosningar&dag=2026-11-11&q=punkt"])
def test_facets_take_two_queries_for_3_and_30_sessions(edition, query):
    measured = []
    for count in (3, 30):
        Session.objects.all().delete()
        Organisation.objects.all().delete()
        sessions_in_bulk(edition, count)
        flt = ProgrammeFilter(QueryDict(query), edition)
        with CaptureQueriesContext(connection) as queries:
            found = Facets(flt, Session.objects.public().in_edition(edition))
        assert found.total == count
        measured.append(len(queries))
    assert measured == [2, 2]


@pytest.mark.django_db
def test_programme_page_query_count_is_pinned_for_3_and_30_sessions(client, edition):
    query = "?format=digitalt&tema=smart-industri&dag=2026-11-11&dag=2026-11-12&q=punkt&aktor=almi"
    measured = []
    for count in (3, 30):
        Session.objects.all().delete()
        Organisation.objects.all().delete()
        sessions_in_bulk(edition, count)
        for url in (URL, URL + query):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            assert response.context["sessions"]
            measured.append(len(queries))
    assert measured == [14, 14, 14, 14]


# ---- the actors directory ----

DIRECTORY = "/siv/aktorer/"


def actor(name, support, served, **kwargs):
    org = OrganisationFactory(name=name, **kwargs)
    org.support_types.set([support_type(slug) for slug in support])
    org.municipalities.set([municipality(slug) for slug in served])
    return org


@pytest.fixture
def actors(edition):
    actor("Almi", ["finansiering"], ["eskilstuna"])
    actor("MITC", ["finansiering", "ideutveckling"], ["trosa"])
    actor("Munktell Science Park", ["ideutveckling"], ["eskilstuna"])
    actor("Nedlagd aktör", ["finansiering"], ["eskilstuna"], is_active=False)


def directory_counts(client, query=""):
    html = client.get(DIRECTORY + query).content.decode()
    found = {}
    for name, value in [("stod", "finansiering"), ("stod", "ideutveckling"), ("stod", "digitalisering"),
                        ("kommun", "eskilstuna"), ("kommun", "trosa"), ("kommun", "flen")]:
        tag, label = option(html, name, value)
        found[value] = (re.search(r"\((\d+)\)$", label).group(1), "disabled" in tag)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"finansiering": 2, "ideutveckling": 2, "eskilstuna": 2, "trosa": 1}),
        ("?kommun=eskilstuna", {"finansiering": 1, "ideutveckling": 1, "eskilstuna": 2, "trosa": 1}),
        ("?stod=finansiering", {"finansiering": 2, "ideutveckling": 2, "eskilstuna": 1, "trosa": 1}),
        ("?stod=finansiering&kommun=trosa", {"finansiering": 1, "ideutveckling": 1, "eskilstuna": 1, "trosa": 1}),
    ],
)
def test_directory_counts_follow_the_other_filter(client, actors, query, expected):
    found = directory_counts(client, query)
    expected = {"digitalisering": 0, "flen": 0, **expected}
    assert {value: int(count) for value, (count, _disabled) in found.items()} == expected
    assert {value for value, (count, disabled) in found.items() if disabled} == {"digitalisering", "flen"}


@pytest.mark.django_db
def test_directory_chosen_option_giving_none_stays_enabled(client, actors):
    found = directory_counts(client, "?kommun=flen")
    assert found["flen"] == ("0", False)
    assert found["finansiering"] == ("0", True)
    assert found["eskilstuna"] == ("2", False)


@pytest.mark.django_db
def test_directory_query_count_is_pinned_for_3_and_30_actors(client, edition):
    measured = []
    for count in (3, 30):
        Organisation.objects.all().delete()
        for n in range(count):
            actor(f"Aktör {n:02}", ["finansiering", "ideutveckling"][: 1 + n % 2], ["eskilstuna", "trosa"][n % 2 :])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DIRECTORY + "?stod=finansiering&kommun=trosa")
        assert len(response.context["organisations"]) == count
        measured.append(len(queries))
    assert measured[0] == measured[1]
