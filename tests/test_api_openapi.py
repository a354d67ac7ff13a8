"""The OpenAPI description (events/openapi.py) is valid, covers every API route, and tells the truth: each example
is what its request really answers for the data built here, and real answers fit the schemas."""

import datetime
import uuid

import jsonschema
import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from openapi_spec_validator import validate

from events import openapi
from events.models import Session, Theme, Venue
from organisers.models import Organisation
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    audience,
    local,
    municipality,
    support_type,
    theme,
)


@pytest.fixture
def example_world(edition):
    """Exactly the data the examples in events/openapi.py describe."""
    almi = OrganisationFactory(
        name="Almi Exempel", slug=openapi.EXAMPLE_ORGANISATION, kind=Organisation.Kind.FUNDER,
        help_text="Lån och rådgivning för nya företag.", website="https://www.almi.se/", email="info@almi.example",
        phone="010-130 00 00",
    )  # fmt: skip
    almi.support_types.set([support_type("finansiering")])
    almi.municipalities.set([municipality("eskilstuna")])
    ContactFactory(organisation=almi, name="Anna Andersson", email="anna@almi.example")  # never in the open data
    OrganisationFactory(name="Mälardalens universitet", slug="mdu")  # offers no funding
    venue = VenueFactory(name="Munktellstaden", street_address="Verkstadsgatan 1", postcode="633 42",
                         town="Eskilstuna", latitude="59.371200", longitude="16.500500")  # fmt: skip
    SessionFactory(
        edition=edition, uid=uuid.UUID(openapi.EXAMPLE_UID), sequence=1, slug="frukostmote",
        title="Frukostmöte: finansiering för din idé",
        summary="Vilka pengar finns för en ny idé, och hur söker du dem?",
        start=local(2026, 11, 10, 8), end=local(2026, 11, 10, 9, 30), format=Session.Format.HYBRID, venue=venue,
        online_url="https://meet.example.org/frukost", language="sv", registration_url="https://www.almi.se/anmalan",
        registration_deadline=local(2026, 11, 9, 12), capacity=40, is_full=True, themes=[theme("smart-industri")],
        audiences=[audience("idebarare")], organisers=[almi],
    )  # fmt: skip
    SessionFactory(edition=edition, title="Annan arrangör", start=local(2026, 11, 11, 10))
    stamp = timezone.make_aware(datetime.datetime(2026, 10, 20, 14, 30))
    older = timezone.make_aware(datetime.datetime(2026, 9, 1, 12))
    Session.objects.update(updated=stamp)
    Organisation.objects.update(updated=stamp)
    Venue.objects.update(updated=older)
    Theme.objects.update(updated=older)


def document():
    return openapi.document()


def examples(doc):
    """(path template, status, media type, example) for every example in the document."""
    for template, item in doc["paths"].items():
        for operation in item.values():
            for status, answer in operation["responses"].items():
                for media, content in answer.get("content", {}).items():
                    for example in content.get("examples", {}).values():
                        yield template, int(status), media, content["schema"], example


def schema_validator(doc, schema):
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "components": doc["components"]}
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


@pytest.mark.django_db
def test_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/siv/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["license"] == {"name": "CC0 1.0", "identifier": "CC0-1.0"}
    for schema in doc["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def api_routes():
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name and pattern.name.startswith("api_") and pattern.name != "api_openapi":
                found.append("/" + (prefix + str(pattern.pattern)).replace("<int:year>", "{year}"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@pytest.mark.django_db
def test_every_api_route_is_described():
    assert sorted(document()["paths"]) == api_routes()
    assert len(api_routes()) == 6


@pytest.mark.django_db
def test_every_example_is_the_real_answer_for_its_request(client, example_world):
    doc = document()
    found = list(examples(doc))
    assert {(template, status) for template, status, *_ in found} == {
        ("/siv/api/v1/{year}/sessions.json", 200), ("/siv/api/v1/{year}/sessions.json", 400),
        ("/siv/api/v1/sessions.json", 400), ("/siv/api/v1/organisations.json", 200),
        ("/siv/api/v1/editions.json", 200), ("/siv/api/v1/sessions.jsonld", 400),
        ("/siv/api/v1/{year}/sessions.jsonld", 400),
    }  # fmt: skip
    for template, status, media, schema, example in found:
        response = client.get(example["x-request"])
        assert (response.status_code, response["Content-Type"].split(";")[0]) == (status, media), template
        assert response.json() == example["value"], example["x-request"]
        schema_validator(doc, schema).validate(example["value"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, schema",
    [
        ("/siv/api/v1/sessions.json", "SessionList"),
        ("/siv/api/v1/2026/sessions.json?format=digitalt", "SessionList"),
        ("/siv/api/v1/2026/sessions.json?tema=nope", "SessionList"),
        ("/siv/api/v1/organisations.json", "OrganisationList"),
        ("/siv/api/v1/editions.json", "EditionList"),
        ("/siv/api/v1/sessions.jsonld", "EventGraph"),
        ("/siv/api/v1/1999/sessions.json", "Error"),
    ],
)
def test_real_answers_fit_their_schemas(client, example_world, edition, path, schema):
    SessionFactory(edition=edition, venue=None, format=Session.Format.DIGITAL, status=Session.Status.CANCELLED)
    SessionFactory(edition=edition, status=Session.Status.DRAFT, first_published=local(2026, 10, 1))
    data = client.get(path).json()
    doc = document()
    schema_validator(doc, {"$ref": f"#/components/schemas/{schema}"}).validate(data)
    if schema == "SessionList":
        assert data["count"] > 0
