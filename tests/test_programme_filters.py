"""events.filters.ProgrammeFilter: each filter alone and combined, returning exactly the right sessions."""

import pytest
from django.http import QueryDict
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.filters import ProgrammeFilter
from events.models import Session
from tests.factories import (
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    audience,
    local,
    municipality,
    theme,
)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


@pytest.fixture
def programme(edition):
    """Five sessions that differ in every filtered way."""
    almi = OrganisationFactory(name="Almi Företagspartner", slug="almi")
    mdu = OrganisationFactory(name="Mälardalens universitet", slug="mdu")
    nykoping = VenueFactory(municipality=municipality("nykoping"), town="Nyköping")
    sessions = {
        "a": SessionFactory(
            edition=edition,
            title="Finansiering för idébärare",
            start=local(2026, 11, 9, 9),
            end=local(2026, 11, 9, 10),
            themes=[theme("smart-industri")],
            organisers=[almi],
            audiences=[audience("idebarare")],
            format=Session.Format.ON_SITE,
            language=Session.Language.SWEDISH,
        ),
        "b": SessionFactory(
            edition=edition,
            title="Energilager i praktiken",
            start=local(2026, 11, 9, 13),
            end=local(2026, 11, 9, 14),
            themes=[theme("morgondagens-energilosningar"), theme("smart-industri")],
            organisers=[mdu],
            audiences=[audience("befintliga-foretag")],
            format=Session.Format.DIGITAL,
            venue=None,
            language=Session.Language.ENGLISH,
            description="Batterier och vätgas.",
        ),
        "c": SessionFactory(
            edition=edition,
            title="Mat från Sörmland",
            start=local(2026, 11, 10, 10),
            end=local(2026, 11, 10, 11),
            themes=[theme("hallbar-livsmedelsforsorjning")],
            organisers=[almi, mdu],
            venue=nykoping,
            audiences=[audience("idebarare"), audience("nyforetagare")],
            format=Session.Format.HYBRID,
            language=Session.Language.BOTH,
            summary="Lokal produktion.",
        ),
        "d": SessionFactory(
            edition=edition,
            title="Välfärdsteknik",
            start=local(2026, 11, 11, 10),
            end=local(2026, 11, 11, 12),
            themes=[theme("life-science")],
            format=Session.Format.ON_SITE,
            status=Session.Status.CANCELLED,
        ),
        "e": SessionFactory(
            edition=edition,
            title="Hemligt utkast",
            start=local(2026, 11, 9, 9),
            end=local(2026, 11, 9, 10),
            themes=[theme("smart-industri")],
            organisers=[almi],
            status=Session.Status.DRAFT,
        ),
    }
    return sessions


def titles(query, edition):
    flt = ProgrammeFilter(QueryDict(query), edition)
    queryset = flt.apply(Session.objects.public().in_edition(edition))
    return [s.title for s in queryset], flt


def named(programme, *keys):
    return [programme[k].title for k in keys]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abcd"),
        ("dag=2026-11-09", "ab"),
        ("dag=2026-11-10", "c"),
        ("dag=2026-11-09&dag=2026-11-11", "abd"),
        ("dag=2026-11-13", ""),
        ("tema=smart-industri", "ab"),
        ("tema=life-science&tema=hallbar-livsmedelsforsorjning", "cd"),
        ("format=plats", "acd"),
        ("format=digitalt", "bc"),
        ("format=hybrid", "c"),
        ("format=plats&format=digitalt", "abcd"),
        ("kommun=eskilstuna", "ad"),
        ("kommun=nykoping", "c"),
        ("kommun=nykoping&kommun=eskilstuna", "acd"),
        ("aktor=almi", "ac"),
        ("aktor=mdu", "bc"),
        ("aktor=almi&aktor=mdu", "abc"),
        ("malgrupp=idebarare", "ac"),
        ("malgrupp=befintliga-foretag&malgrupp=nyforetagare", "bc"),
        ("sprak=sv", "acd"),
        ("sprak=en", "bc"),
        ("sprak=sv-en", "c"),
        ("q=energilager", "b"),
        ("q=VÄTGAS", "b"),
        ("q=lokal", "c"),
        ("q=välfärdsTEKNIK", "d"),
        ("q=SÖRMLAND", "c"),
        ("q=universitet", "bc"),
        ("q=almi+mat", "c"),
        ("q=finns+inte", ""),
    ],
)
def test_filter_alone_returns_exact_sessions(programme, edition, query, expected):
    result, flt = titles(query, edition)
    assert result == named(programme, *expected)
    assert flt.ignored == []
    assert flt.is_filtered == bool(query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dag=2026-11-09&tema=smart-industri&format=digitalt", "b"),
        ("tema=smart-industri&aktor=almi", "a"),
        ("aktor=almi&aktor=mdu&kommun=nykoping", "c"),
        ("malgrupp=idebarare&sprak=en", "c"),
        ("malgrupp=idebarare&sprak=en&dag=2026-11-09", ""),
        ("q=i&format=plats&kommun=eskilstuna", "ad"),
        ("dag=2026-11-09&dag=2026-11-10&tema=smart-industri&tema=hallbar-livsmedelsforsorjning&aktor=mdu", "bc"),
    ],
)
def test_filters_combined_return_exact_sessions(programme, edition, query, expected):
    result, flt = titles(query, edition)
    assert result == named(programme, *expected)
    assert flt.ignored == []


@pytest.mark.django_db
def test_filter_never_shows_drafts_or_duplicates(programme, edition):
    # c has two organisers and two audiences: a join would list it four times.
    result, _ = titles("aktor=almi&aktor=mdu&malgrupp=idebarare&malgrupp=nyforetagare", edition)
    assert result == named(programme, "a", "c")


@pytest.mark.django_db
def test_filter_keeps_queryset_ordering(programme, edition):
    flt = ProgrammeFilter(QueryDict("tema=smart-industri&tema=life-science"), edition)
    queryset = flt.apply(Session.objects.public().in_edition(edition).order_by("-start"))
    assert [s.title for s in queryset] == named(programme, "d", "b", "a")


@pytest.mark.django_db
def test_filter_ignores_malformed_and_unknown_values_with_messages(programme, edition):
    query = (
        "dag=2026-13-45&dag=igår&dag=2026-11-20&tema=okant-tema&format=teleport&kommun=stockholm"
        "&aktor=ingen-alls&malgrupp=katter&sprak=fi&tema=smart-industri"
    )
    result, flt = titles(query, edition)
    assert result == named(programme, "a", "b")
    assert flt.ignored == [
        "”2026-13-45” är inget datum som ÅÅÅÅ-MM-DD och ignorerades.",
        "”igår” är inget datum som ÅÅÅÅ-MM-DD och ignorerades.",
        "20 november 2026 är inte en dag under veckan och ignorerades.",
        "Det finns inget tema ”okant-tema”; det ignorerades.",
        "Det finns ingen form ”teleport”; den ignorerades.",
        "Det finns ingen kommun ”stockholm”; den ignorerades.",
        "Det finns ingen arrangör ”ingen-alls” i programmet; den ignorerades.",
        "Det finns ingen målgrupp ”katter”; den ignorerades.",
        "Det finns inget språk ”fi”; det ignorerades.",
    ]
    assert flt.is_filtered is True
    assert flt.cleaned["tema"] == ["smart-industri"]


@pytest.mark.django_db
def test_filter_all_values_unknown_is_unfiltered(programme, edition):
    result, flt = titles("tema=nope&kommun=&dag=", edition)
    assert result == named(programme, *"abcd")
    assert flt.is_filtered is False
    assert flt.ignored == ["Det finns inget tema ”nope”; det ignorerades."]


@pytest.mark.django_db
def test_filter_long_junk_is_ignored_and_quoted_short(programme, edition):
    junk = "x" * 5000
    result, flt = titles(f"tema={junk}&q={junk}", edition)
    assert result == named(programme, *"abcd")
    assert flt.ignored == [
        f"Det finns inget tema ”{'x' * 40}…”; det ignorerades.",
        "Söktexten var längre än 200 tecken och ignorerades.",
    ]


@pytest.mark.django_db
def test_filter_repeated_values_count_once(programme, edition):
    result, flt = titles("tema=smart-industri&tema=smart-industri&aktor=almi&aktor=almi", edition)
    assert result == named(programme, "a")
    assert flt.ignored == []
    assert flt.cleaned["tema"] == ["smart-industri"]


@pytest.mark.django_db
def test_filter_repeated_query_uses_first(programme, edition):
    result, flt = titles("q=energilager&q=mat", edition)
    assert result == named(programme, "b")
    assert flt.ignored == ["Bara den första söktexten användes."]


@pytest.mark.django_db
def test_filter_control_characters_and_nul_do_not_break_the_query(programme, edition):
    result, flt = titles("q=energi%00lager&tema=%00smart-industri%00&dag=%002026-11-09", edition)
    assert result == named(programme, "b")
    assert flt.ignored == []


@pytest.mark.django_db
def test_filter_without_edition_accepts_any_day_and_existing_organiser(programme, edition):
    flt = ProgrammeFilter(QueryDict("dag=2026-11-10&aktor=almi&aktor=finns-inte"), None)
    assert [s.title for s in flt.apply(Session.objects.public())] == named(programme, "c")
    assert flt.ignored == ["Det finns ingen arrangör ”finns-inte” i programmet; den ignorerades."]


@pytest.mark.django_db
def test_filter_organiser_choices_are_those_in_the_edition(programme, edition):
    OrganisationFactory(name="Utan programpunkt", slug="utan")
    flt = ProgrammeFilter(QueryDict(""), edition)
    assert flt.organiser_choices == [("almi", "Almi Företagspartner"), ("mdu", "Mälardalens universitet")]
    _, other = titles("aktor=utan", edition)
    assert other.ignored == ["Det finns ingen arrangör ”utan” i programmet; den ignorerades."]


@pytest.mark.django_db
def test_filter_form_reflects_accepted_values(programme, edition):
    flt = ProgrammeFilter(QueryDict("tema=smart-industri&tema=bad&q=energi&dag=2026-11-09"), edition)
    form = flt.form
    assert form.is_valid()
    assert form.cleaned_data["tema"] == ["smart-industri"]
    assert form.cleaned_data["q"] == "energi"
    assert form.cleaned_data["dag"] == ["2026-11-09"]
    # only the days with sessions, each with what it gives together with the theme and the search
    assert [label for _, label in form.fields["dag"].choices] == [
        "måndag 9 november (1)",
        "tisdag 10 november (0)",
        "onsdag 11 november (0)",
    ]


@pytest.mark.django_db
def test_filter_querystring_drops_one_value(programme, edition):
    flt = ProgrammeFilter(QueryDict("tema=smart-industri&tema=life-science&q=mat+lokal"), edition)
    assert flt.querystring() == "tema=smart-industri&tema=life-science&q=mat+lokal"
    assert flt.querystring(tema="life-science") == "tema=smart-industri&q=mat+lokal"
    assert flt.querystring(q="mat lokal") == "tema=smart-industri&tema=life-science"


@pytest.mark.django_db
def test_filter_too_many_query_words_keeps_first_ten(programme, edition):
    result, flt = titles("q=" + "+".join(["energilager"] + ["i"] * 12), edition)
    assert result == named(programme, "b")
    assert flt.ignored == ["Bara de första 10 orden i söktexten användes."]


@pytest.mark.django_db
def test_filter_too_many_values_keeps_first_fifty(programme, edition):
    result, flt = titles("&".join(f"kommun=k{n}" for n in range(60)) + "&kommun=nykoping", edition)
    assert result == named(programme, *"abcd")
    assert flt.ignored[0] == "Bara de första 50 värdena för ”kommun” användes."
    assert len(flt.ignored) == 51


PARAM_NAMES = st.sampled_from(["dag", "tema", "format", "kommun", "aktor", "malgrupp", "sprak", "q", "x", "dag[]"])


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(PARAM_NAMES, st.text(max_size=300)), max_size=12))
def test_filter_survives_any_parameters(edition, pairs):
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    flt = ProgrammeFilter(data, edition)
    list(flt.apply(Session.objects.public().in_edition(edition)))
    assert flt.form.is_valid()
    assert all(isinstance(message, str) and len(message) < 200 for message in flt.ignored)
