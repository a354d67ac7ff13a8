"""The API's OpenAPI 3.1 description (/siv/api/v1/openapi.json), written here beside the code it describes.

Schemas are JSON Schema 2020-12, as OpenAPI 3.1 has them. Each example names the request that gives it in
`x-request`; tests/test_api_openapi.py builds the matching data, asks for it and compares the answers.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from innovationsvecka.seo import absolute

from .api import CHANGED_SINCE, LICENCE, changed_since_problem

VERSION = "1.0.0"


def nullable(kind, **extra):
    return {"type": [kind, "null"], **extra}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def array(item):
    return {"type": "array", "items": item}


def strict(properties, **extra):
    """An object with exactly these properties, all present (null when there is no value)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        **extra,
    }


MOMENT = {"type": "string", "format": "date-time", "description": "ISO 8601 with the Swedish offset."}
SLUGS = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}

SCHEMAS = {
    "Licence": strict({"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}}),
    "Named": strict({"slug": SLUGS, "name": {"type": "string"}, "name_en": nullable("string")}),
    "Venue": strict(
        {
            "name": {"type": "string"},
            "street_address": nullable("string"),
            "postcode": nullable("string"),
            "town": nullable("string"),
            "municipality": ref("Named"),
            "latitude": nullable("number", minimum=-90, maximum=90),
            "longitude": nullable("number", minimum=-180, maximum=180),
        }
    ),
    "Online": strict({"url": nullable("string", format="uri"), "note": nullable("string")}),
    "OrganisationRef": strict(
        {
            "slug": SLUGS,
            "name": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "The actor's page on this site."},
            "website": nullable("string", format="uri"),
            "email": nullable(
                "string", format="email", description="The organisation's general address, never a person's."
            ),
        }
    ),
    "Registration": strict(
        {
            "state": {"enum": ["open", "closed", "full", "none", "cancelled"]},
            "url": nullable("string", format="uri"),
            "deadline": {**MOMENT, "type": ["string", "null"]},
            "capacity": nullable("integer", minimum=1),
        }
    ),
    "Session": strict(
        {
            "id": {"type": "string", "description": "Stable; the UID of the session's calendar event."},
            "sequence": {"type": "integer", "minimum": 0, "description": "The calendar event's SEQUENCE."},
            "status": {
                "enum": ["scheduled", "cancelled", "withdrawn"],
                "description": "withdrawn: published once, then taken back; treat it as cancelled.",
            },
            "cancellation_note": nullable("string"),
            "edition": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "summary": nullable("string"),
            "description": nullable("string"),
            "start": MOMENT,
            "end": MOMENT,
            "format": {"enum": ["plats", "digitalt", "hybrid"]},
            "language": {"enum": ["sv", "en", "sv-en"]},
            "venue": {"oneOf": [ref("Venue"), {"type": "null"}]},
            "online": {"oneOf": [ref("Online"), {"type": "null"}]},
            "themes": array(ref("Named")),
            "audiences": array(ref("Named")),
            "organisers": array(ref("OrganisationRef")),
            "registration": ref("Registration"),
            "cost": nullable("string", description="null: free of charge."),
            "updated": {**MOMENT, "description": "The last change a calendar event would show."},
        }
    ),
    "SessionList": strict(
        {
            "licence": ref("Licence"),
            "edition": {"type": "integer"},
            "filters": {"type": "object", "description": "The filter values that were used."},
            "ignored": array({"type": "string"}),
            "changed_since": {**MOMENT, "type": ["string", "null"]},
            "count": {"type": "integer", "minimum": 0},
            "sessions": array(ref("Session")),
        }
    ),
    "Organisation": strict(
        {
            "slug": SLUGS,
            "name": {"type": "string"},
            "kind": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "help_text": nullable("string"),
            "website": nullable("string", format="uri"),
            "email": nullable("string", format="email"),
            "phone": nullable("string"),
            "logo": nullable("string", format="uri"),
            "support_types": array(ref("Named")),
            "municipalities": array(ref("Named")),
            "sessions_in_current_edition": {"type": "integer", "minimum": 0},
            "updated": MOMENT,
        }
    ),
    "OrganisationList": strict(
        {
            "licence": ref("Licence"),
            "filters": {"type": "object"},
            "ignored": array({"type": "string"}),
            "count": {"type": "integer", "minimum": 0},
            "organisations": array(ref("Organisation")),
        }
    ),
    "Edition": strict(
        {
            "year": {"type": "integer"},
            "title": {"type": "string"},
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
            "is_current": {"type": "boolean"},
            "url": {"type": "string", "format": "uri"},
            "sessions": {"type": "string", "format": "uri"},
            "calendar": {"type": "string", "format": "uri"},
            "session_count": {"type": "integer", "minimum": 0},
        }
    ),
    "EditionList": strict(
        {"licence": ref("Licence"), "count": {"type": "integer"}, "editions": array(ref("Edition"))}
    ),
    "EventGraph": {
        "type": "object",
        "description": "schema.org Event objects (https://schema.org/Event) in an @graph.",
        "properties": {"@context": {"const": "https://schema.org"}, "@graph": array({"type": "object"})},
        "required": ["@context", "@graph"],
    },
    "Error": strict({"error": {"type": "string"}}),
}


def multi(name, description):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": array({"type": "string"}),
        "style": "form",
        "explode": True,
    }


PROGRAMME_FILTERS = [
    multi("dag", "A day of the week, YYYY-MM-DD."),
    multi("tema", "A theme's slug."),
    multi("format", "plats (hybrid included), digitalt (hybrid included) or hybrid."),
    multi("kommun", "A municipality's slug (where the venue is)."),
    multi("aktor", "An organiser's slug."),
    multi("malgrupp", "An audience's slug."),
    multi("sprak", "sv, en or sv-en (bilingual sessions match both)."),
    {
        "name": "q",
        "in": "query",
        "required": False,
        "description": "Words that must all occur in title, summary, description or an organiser's name.",
        "schema": {"type": "string", "maxLength": 200},
    },
]
CHANGED_SINCE_PARAMETER = {
    "name": CHANGED_SINCE,
    "in": "query",
    "required": False,
    "description": "Only sessions with a change after this moment (the session, its venue, themes or "
    "organisers), cancelled and withdrawn ones included. Without an offset: Swedish time.",
    "schema": {"type": "string", "format": "date-time"},
}
YEAR = {"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}}
DIRECTORY_FILTERS = [
    multi("stod", "A support type's slug."),
    multi("kommun", "A municipality the actor serves."),
]


# ---- examples: each a real answer to its x-request for the data tests/test_api_openapi.py builds ----

EXAMPLE_UID = "6f1c2a4e-8d3b-4c55-9a57-2f0e1d9b7c31"
EXAMPLE_ORGANISATION = "almi-exempel"
EXAMPLE_BAD_MOMENT = "igår"


def example_sessions():
    organisation = {
        "slug": EXAMPLE_ORGANISATION,
        "name": "Almi Exempel",
        "url": absolute(reverse("organisers:detail", kwargs={"slug": EXAMPLE_ORGANISATION})),
        "website": "https://www.almi.se/",
        "email": "info@almi.example",
    }
    session = {
        "id": f"{EXAMPLE_UID}@siv.regionsormland.se",
        "sequence": 1,
        "status": "scheduled",
        "cancellation_note": None,
        "edition": 2026,
        "title": "Frukostmöte: finansiering för din idé",
        "url": absolute(reverse("events:detail", kwargs={"year": 2026, "slug": "frukostmote"})),
        "summary": "Vilka pengar finns för en ny idé, och hur söker du dem?",
        "description": None,
        "start": "2026-11-10T08:00:00+01:00",
        "end": "2026-11-10T09:30:00+01:00",
        "format": "hybrid",
        "language": "sv",
        "venue": {
            "name": "Munktellstaden",
            "street_address": "Verkstadsgatan 1",
            "postcode": "633 42",
            "town": "Eskilstuna",
            "municipality": {"slug": "eskilstuna", "name": "Eskilstuna", "name_en": "Eskilstuna"},
            "latitude": 59.3712,
            "longitude": 16.5005,
        },
        "online": {"url": "https://meet.example.org/frukost", "note": None},
        "themes": [{"slug": "smart-industri", "name": "Smart industri", "name_en": "Smart industry"}],
        "audiences": [{"slug": "idebarare", "name": "Idébärare", "name_en": "Idea-holders"}],
        "organisers": [organisation],
        "registration": {
            "state": "full",
            "url": "https://www.almi.se/anmalan",
            "deadline": "2026-11-09T12:00:00+01:00",
            "capacity": 40,
        },
        "cost": None,
        "updated": "2026-10-20T14:30:00+02:00",
    }
    return {
        "licence": LICENCE,
        "edition": 2026,
        "filters": {"aktor": [EXAMPLE_ORGANISATION]},
        "ignored": [],
        "changed_since": "2026-10-01T00:00:00+02:00",
        "count": 1,
        "sessions": [session],
    }


def example_organisations():
    return {
        "licence": LICENCE,
        "filters": {"stod": ["finansiering"]},
        "ignored": [],
        "count": 1,
        "organisations": [
            {
                "slug": EXAMPLE_ORGANISATION,
                "name": "Almi Exempel",
                "kind": "finansiar",
                "url": absolute(reverse("organisers:detail", kwargs={"slug": EXAMPLE_ORGANISATION})),
                "help_text": "Lån och rådgivning för nya företag.",
                "website": "https://www.almi.se/",
                "email": "info@almi.example",
                "phone": "010-130 00 00",
                "logo": None,
                "support_types": [{"slug": "finansiering", "name": "Finansiering", "name_en": "Funding"}],
                "municipalities": [{"slug": "eskilstuna", "name": "Eskilstuna", "name_en": "Eskilstuna"}],
                "sessions_in_current_edition": 1,
                "updated": "2026-10-20T14:30:00+02:00",
            }
        ],
    }


def example_editions():
    return {
        "licence": LICENCE,
        "count": 1,
        "editions": [
            {
                "year": 2026,
                "title": "Sörmlands innovationsvecka 2026",
                "start_date": "2026-11-09",
                "end_date": "2026-11-15",
                "is_current": True,
                "url": absolute(reverse("events:edition", kwargs={"year": 2026})),
                "sessions": absolute(reverse("events:api_edition_sessions", kwargs={"year": 2026})),
                "calendar": absolute(reverse("events:edition_feed", kwargs={"year": 2026})),
                "session_count": 2,
            }
        ],
    }


def example_error():
    return {"error": changed_since_problem()}


def example(request_path, value, summary):
    return {"summary": summary, "value": value, "x-request": request_path}


def answer(schema, description, examples=None, media="application/json"):
    content = {"schema": ref(schema)}
    if examples:
        content["examples"] = examples
    return {"description": description, "content": {media: content}}


def bad_moment():
    path = reverse("events:api_sessions") + f"?{CHANGED_SINCE}={EXAMPLE_BAD_MOMENT}"
    return answer(
        "Error",
        "andrad_efter is not an ISO 8601 time.",
        {"bad-moment": example(path, example_error(), "A malformed andrad_efter")},
    )


def not_found():
    return answer("Error", "There is no such edition.")


def sessions_operation(operation_id, summary, *, year, examples=None):
    parameters = ([YEAR] if year else []) + PROGRAMME_FILTERS + [CHANGED_SINCE_PARAMETER]
    responses = {
        "200": answer("SessionList", "The sessions, in start order.", examples),
        "304": {"description": "Not modified since the ETag or Last-Modified the client sent."},
        "400": bad_moment(),
    }
    if year:
        responses["404"] = not_found()
    return {"get": {"operationId": operation_id, "summary": summary, "parameters": parameters, "responses": responses}}


def jsonld_operation(operation_id, *, year):
    parameters = ([YEAR] if year else []) + PROGRAMME_FILTERS + [CHANGED_SINCE_PARAMETER]
    responses = {
        "200": answer("EventGraph", "schema.org Events of the public programme.", media="application/ld+json"),
        "400": bad_moment(),
    }
    if year:
        responses["404"] = not_found()
    summary = "The programme as schema.org Event JSON-LD, for search engines and event aggregators."
    return {"get": {"operationId": operation_id, "summary": summary, "parameters": parameters, "responses": responses}}


def document():
    sessions_path = reverse("events:api_edition_sessions", kwargs={"year": 2026})
    session_examples = {
        "organiser-changed-since": example(
            f"{sessions_path}?aktor={EXAMPLE_ORGANISATION}&{CHANGED_SINCE}=2026-10-01T00:00:00%2B02:00",
            example_sessions(),
            "One organiser's sessions changed since 1 October",
        )
    }
    organisations_examples = {
        "funders": example(
            reverse("events:api_organisations") + "?stod=finansiering", example_organisations(), "Actors who fund"
        )
    }
    edition_examples = {"all": example(reverse("events:api_editions"), example_editions(), "Every published year")}

    def year_path(name):
        return reverse(name, kwargs={"year": 2026}).replace("2026", "{year}")

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sörmlands innovationsvecka – open data",
            "version": VERSION,
            "description": "The programme of Sörmlands innovationsvecka, its actors and its years, read-only. "
            "The filters are the programme page's own. Answers carry ETag and Last-Modified (send them back "
            "for a 304) and Access-Control-Allow-Origin: *. There is no rate limit beyond the page cache.",
            "license": {"name": LICENCE["name"], "identifier": "CC0-1.0"},
        },
        "servers": [{"url": absolute("")}],
        "externalDocs": {"url": absolute(reverse("events:open_data"))},
        "paths": {
            reverse("events:api_sessions"): sessions_operation(
                "currentSessions", "The current edition's sessions", year=False
            ),
            year_path("events:api_edition_sessions"): sessions_operation(
                "editionSessions", "One edition's sessions", year=True, examples=session_examples
            ),
            reverse("events:api_sessions_jsonld"): jsonld_operation("currentSessionsJsonLd", year=False),
            year_path("events:api_edition_sessions_jsonld"): jsonld_operation("editionSessionsJsonLd", year=True),
            reverse("events:api_organisations"): {
                "get": {
                    "operationId": "organisations",
                    "summary": "The active actors, with the directory's filters",
                    "parameters": DIRECTORY_FILTERS,
                    "responses": {"200": answer("OrganisationList", "The actors, by name.", organisations_examples)},
                }
            },
            reverse("events:api_editions"): {
                "get": {
                    "operationId": "editions",
                    "summary": "The published years of the week",
                    "responses": {"200": answer("EditionList", "Newest first.", edition_examples)},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


@require_safe
def openapi(request):
    response = JsonResponse(document(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response
