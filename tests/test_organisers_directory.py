import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Municipality, Session
from organisers.models import Organisation
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    municipality,
    support_type,
    the_edition,
)

URL = "/siv/aktorer/"


def names(response):
    return [org.name for org in response.context["organisations"]]


def actor(name, support=(), served=(), **kwargs):
    org = OrganisationFactory(name=name, **kwargs)
    org.support_types.set([support_type(slug) for slug in support])
    org.municipalities.set([municipality(slug) for slug in served])
    return org


@pytest.fixture
def actors(edition):
    return {
        "almi": actor("Almi", ["finansiering", "affarsutveckling"], ["eskilstuna", "nykoping"]),
        "msp": actor("Munktell Science Park", ["ideutveckling", "teknikutveckling"], ["eskilstuna"]),
        "mitc": actor("MITC", ["ideutveckling", "digitalisering"], ["nykoping", "trosa"]),
        "bs": actor("Business Sweden", ["internationalisering"], ["eskilstuna", "nykoping", "trosa"]),
        "gone": actor("Nedlagd aktör", ["finansiering"], ["eskilstuna"], is_active=False),
    }


@pytest.mark.django_db
def test_directory_lists_active_actors_by_name(client, actors):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Almi", "Business Sweden", "MITC", "Munktell Science Park"]
    html = response.content.decode()
    assert "<h1>Vad behöver du hjälp med?</h1>" in html
    assert "Nedlagd aktör" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?stod=finansiering", ["Almi"]),
        ("?stod=ideutveckling", ["MITC", "Munktell Science Park"]),
        ("?stod=finansiering&stod=digitalisering", ["Almi", "MITC"]),
        ("?kommun=trosa", ["Business Sweden", "MITC"]),
        ("?kommun=eskilstuna&kommun=trosa", ["Almi", "Business Sweden", "MITC", "Munktell Science Park"]),
        ("?stod=ideutveckling&kommun=eskilstuna", ["Munktell Science Park"]),
        ("?stod=ideutveckling&stod=internationalisering&kommun=trosa", ["Business Sweden", "MITC"]),
        ("?stod=forskning-och-samverkan", []),
        ("?kommun=flen", []),
    ],
)
@pytest.mark.django_db
def test_directory_filter_returns_exactly_the_matching_actors(client, actors, query, expected):
    response = client.get(URL + query)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.django_db
def test_directory_filter_keeps_choices_checked_for_a_shareable_url(client, actors):
    html = client.get(URL + "?stod=finansiering&kommun=nykoping").content.decode()
    assert 'name="stod" value="finansiering"  id="id_stod_2" checked' in html
    assert 'name="kommun" value="nykoping"  id="id_kommun_4" checked' in html
    assert "Du har valt:\n    Finansiering; Nyköping." in html
    assert '<a href="/siv/aktorer/">Rensa valen och visa alla aktörer</a>' in html


@pytest.mark.django_db
def test_directory_ignores_unknown_values_and_says_so(client, actors):
    response = client.get(URL + "?stod=finansiering&stod=trolleri&kommun=stockholm")
    assert response.status_code == 200
    assert names(response) == ["Almi"]
    html = response.content.decode()
    assert "Stödformen ”trolleri” finns inte, så den filtrerar inte listan." in html
    assert "Kommunen ”stockholm” finns inte, så den filtrerar inte listan." in html


@pytest.mark.parametrize(
    "query",
    [
        "?stod=",
        "?stod=%00",
        "?stod=" + "x" * 5000,
        "?kommun[]=eskilstuna",
        "?stod=%C3%28",
        "?kommun=<script>alert(1)</script>",
        "?stod=finansiering&stod=finansiering",
        "?page=-1&stod=FINANSIERING",
    ],
)
@pytest.mark.django_db
def test_directory_survives_odd_query_strings(client, actors, query):
    response = client.get(URL + query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_directory_duplicate_value_counts_once(client, actors):
    response = client.get(URL + "?stod=finansiering&stod=finansiering")
    assert response.context["filter"].support_slugs == ["finansiering"]
    assert response.context["filter"].ignored == []


@pytest.mark.django_db
def test_directory_empty_state_when_no_actor_matches(client, actors):
    coordinator = Organisation.objects.get(name="Almi")
    edition = the_edition(2026)
    edition.coordinator = coordinator
    edition.save()
    html = client.get(URL + "?stod=forskning-och-samverkan").content.decode()
    assert '<h2 id="results-heading">0 aktörer kan hjälpa dig</h2>' in html
    assert "Ingen aktör i katalogen matchar alla dina val." in html
    assert "Hör av dig till Almi, som samordnar innovationsstödet och kan tipsa om rätt aktör:" in html
    assert '<ul class="org-cards">' not in html


@pytest.mark.django_db
def test_directory_empty_state_when_there_are_no_actors(client, edition):
    html = client.get(URL).content.decode()
    assert '<h2 id="results-heading">0 aktörer</h2>' in html
    assert "Det finns inga aktörer i katalogen ännu. Titta gärna i programmet under tiden." in html


@pytest.mark.django_db
def test_directory_card_counts_only_published_sessions_of_this_edition(client, actors):
    edition = the_edition(2026)
    almi = actors["almi"]
    SessionFactory.create_batch(2, edition=edition, organisers=[almi])
    SessionFactory(edition=edition, organisers=[almi, actors["mitc"]])
    SessionFactory(edition=edition, organisers=[almi], status=Session.Status.CANCELLED)
    SessionFactory(edition=edition, organisers=[almi], status=Session.Status.DRAFT)
    SessionFactory(edition=EditionFactory(year=2025), organisers=[almi])
    response = client.get(URL)
    counts = {org.name: org.session_count for org in response.context["organisations"]}
    assert counts == {"Almi": 3, "Business Sweden": 0, "MITC": 1, "Munktell Science Park": 0}
    html = response.content.decode()
    assert f'<a href="/siv/2026/?aktor={almi.slug}">3 programpunkter under innovationsveckan 2026</a>' in html
    assert f'<a href="/siv/2026/?aktor={actors["mitc"].slug}">1 programpunkt under innovationsveckan 2026</a>' in html
    assert "Inga programpunkter under innovationsveckan 2026" in html


@pytest.mark.django_db
def test_directory_card_hides_counts_while_the_programme_is_unpublished(client, actors, edition):
    edition.is_published = False
    edition.save()
    SessionFactory(edition=edition, organisers=[actors["almi"]])
    response = client.get(URL)
    assert {org.session_count for org in response.context["organisations"]} == {0}
    assert "programpunkt" not in response.content.decode()


@pytest.mark.django_db
def test_directory_card_shows_kind_support_area_and_initials(client, actors):
    html = client.get(URL + "?stod=finansiering").content.decode()
    assert '<span class="org-initials" aria-hidden="true">A</span>' in html
    assert '<p class="org-kind">Rådgivande organisation</p>' in html
    assert '<span class="label">Stöd:</span> Affärsutveckling, Finansiering</p>' in html
    assert '<span class="label">Verksam i:</span> Eskilstuna, Nyköping</p>' in html


@pytest.mark.django_db
def test_directory_card_says_whole_county_when_all_municipalities_are_served(client, edition):
    org = OrganisationFactory(name="Region Sörmland")
    org.municipalities.set(Municipality.objects.all())
    html = client.get(URL).content.decode()
    assert '<span class="label">Verksam i:</span> hela Sörmland</p>' in html
    assert '<span class="org-initials" aria-hidden="true">RS</span>' in html


@pytest.mark.django_db
def test_directory_in_english_uses_english_labels(client, actors):
    html = client.get("/en" + URL + "?stod=finansiering").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>What do you need help with?</h1>" in html
    assert '<span class="label">Support:</span> Business development, Funding</p>' in html
    assert '<p class="org-help" lang="sv">' in html


def directory_queries(client, count, query=""):
    edition = the_edition(2026)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Aktör {i:03}", slug=f"aktor-{i:03}", kind=Organisation.Kind.ADVISORY) for i in range(count)
    )
    finance, ideas = support_type("finansiering"), support_type("ideutveckling")
    eskilstuna, trosa = municipality("eskilstuna"), municipality("trosa")
    Organisation.support_types.through.objects.bulk_create(
        Organisation.support_types.through(organisation=org, supporttype=kind)
        for org in organisations
        for kind in (finance, ideas)
    )
    Organisation.municipalities.through.objects.bulk_create(
        Organisation.municipalities.through(organisation=org, municipality=place)
        for org in organisations
        for place in (eskilstuna, trosa)
    )
    session = SessionFactory(edition=edition)
    session.organisers.set(organisations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL + query)
    assert len(response.context["organisations"]) == count
    assert {org.session_count for org in response.context["organisations"]} == {1}
    return len(queries)


@pytest.mark.parametrize("query", ["", "?stod=finansiering&kommun=trosa&kommun=flen"])
@pytest.mark.django_db
def test_directory_query_count_is_the_same_for_3_and_100_actors(client, query):
    small = directory_queries(client, 3, query)
    Session.objects.all().delete()
    Organisation.objects.all().delete()
    assert directory_queries(client, 100, query) == small
    assert small <= 10  # one of them the faceted counts (organisers.filters.DirectoryFilter.count_actors)


@pytest.mark.django_db
def test_directory_reports_at_most_five_unknown_values_per_parameter(client, actors):
    query = "&".join(f"kommun=okand-{i}" for i in range(40)) + "&kommun=trosa"
    response = client.get(URL + "?" + query)
    assert names(response) == ["Business Sweden", "MITC"]
    ignored = response.context["filter"].ignored
    assert ignored[:2] == [
        "Kommunen ”okand-0” finns inte, så den filtrerar inte listan.",
        "Kommunen ”okand-1” finns inte, så den filtrerar inte listan.",
    ]
    assert len(ignored) == 6
    assert ignored[-1] == "… och 35 okända värden till."


@pytest.mark.django_db
def test_directory_choices_show_how_many_active_actors_each_would_find(client, actors):
    form = client.get(URL).context["form"]
    assert list(form.fields["stod"].choices) == [
        ("ideutveckling", "Idéutveckling (2)"),
        ("affarsutveckling", "Affärsutveckling (1)"),
        ("finansiering", "Finansiering (1)"),
        ("teknikutveckling", "Teknikutveckling (1)"),
        ("digitalisering", "Digitalisering (1)"),
        ("hallbar-omstallning", "Hållbar omställning (0)"),
        ("internationalisering", "Internationalisering (1)"),
        ("forskning-och-samverkan", "Forskning och samverkan (0)"),
    ]
    assert dict(form.fields["kommun"].choices)["eskilstuna"] == "Eskilstuna (3)"
    assert dict(form.fields["kommun"].choices)["flen"] == "Flen (0)"
