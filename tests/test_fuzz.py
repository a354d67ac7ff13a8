"""Random and hostile input never gets a 5xx: junk, huge, repeated and Unicode-heavy values, odd paths, broken posts.

The URLs come from the URLconf itself (every named URL in the public namespaces), so a page added later is
fuzzed without anyone remembering to list it.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import MyProgramme, Registration, Session
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, theme

PUBLIC_NAMESPACES = {"events", "organisers"}
# One slug shared by a session and an organisation, so every <slug> URL has something real behind it.
SLUG = "innovation"
KNOWN_PARAMETERS = [
    "dag", "tema", "format", "kommun", "aktor", "malgrupp", "sprak", "q", "stod", "sida", "forhandsvisning",
    "next", "session", "action", "lang", "page", "year", "andrad_efter",
]  # fmt: skip
HOSTILE = [
    "", " ", "\x00", "%00", "\u202e", "\ufeff", "'; DROP TABLE events_session; --", '"><script>alert(1)</script>',
    "javascript:alert(1)", "../../../../etc/passwd", "2026-02-30", "9999-99-99", "0000-00-00", "-1", "1e309",
    "NaN", "99999999999999999999999999", "Ωmega", "ÅÄÖ", "𝕴𝖓𝖓𝖔𝖛𝖆𝖙𝖎𝖔𝖓" * 50, "a" * 10_000, "ä" * 5_000,
    "http://evil.example/", "//evil.example", "\r\nSet-Cookie: x=1", "%", "%%", "%ZZ", "{{ 7*7 }}", "${7*7}",
]  # fmt: skip

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
values = st.one_of(text, st.sampled_from(HOSTILE), st.text(alphabet="0123456789-", max_size=12))
keys = st.one_of(st.sampled_from(KNOWN_PARAMETERS), text)
queries = st.lists(st.tuples(keys, values), max_size=8)
segments = st.lists(st.one_of(text, st.sampled_from(HOSTILE[:20])), min_size=1, max_size=3)


def public_urls():
    """(view name, parameter names) of every named URL in the public namespaces."""
    found = []

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespaces + ([pattern.namespace] if pattern.namespace else []))
            elif pattern.name and namespaces and namespaces[0] in PUBLIC_NAMESPACES:
                converters = getattr(pattern.pattern, "converters", {})
                found.append((":".join(namespaces + [pattern.name]), sorted(converters)))

    walk(get_resolver().url_patterns, [])
    return sorted(set((name, tuple(params)) for name, params in found))


# Forms on other pages post to these; a plain GET is refused (405), never a page.
# Deleting a list and giving it a new address answer GET with a confirmation page; these act on POST only.
POST_ONLY = {"events:my_programme_adopt", "events:star", "events:my_programme_undo"}


def png():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def named_urls(db, edition, settings, tmp_path):
    """(view name, path) of every public URL in both languages, each with something real behind it."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(slug=SLUG, name="Innovationsaktören")
    organisation.logo.save("logo.png", ContentFile(png()))
    contact = ContactFactory(organisation=organisation)
    session = SessionFactory(edition=edition, slug=SLUG, themes=[theme("smart-industri")], organisers=[organisation],
                             registration_mode="here", capacity=10)  # fmt: skip
    registration = Registration.objects.create(session=session, name="Anna", email="anna@example.org")
    programme = MyProgramme.objects.create()
    samples = {"year": 2026, "slug": SLUG, "pk": contact.pk, "token": programme.token}
    proposal = SessionFactory(edition=edition, status=Session.Status.PROPOSED, proposer_email="forslag@example.org",
                              proposal_token="f" * 43)  # fmt: skip
    tokens = {"events:proposal_personal": proposal.proposal_token, "events:proposal_withdraw": proposal.proposal_token,
              "events:registration": registration.token, "events:registration_delete": registration.token,
              "events:registration_cancel": registration.token}  # fmt: skip
    built = []
    for name, params in public_urls():
        kwargs = {param: samples[param] for param in params}
        if name in tokens:
            kwargs["token"] = tokens[name]
        if name == "events:registration_cancel":
            kwargs["pk"] = registration.pk
        path = reverse(name, kwargs=kwargs)
        built.append((name, path))
        built.append((name, "/en" + path))
    return built


@pytest.fixture
def urls(named_urls):
    return [path for _name, path in named_urls]


def test_public_urls_are_discovered_from_the_urlconf():
    names = {name for name, _ in public_urls()}
    assert {"events:programme", "events:detail", "events:feed", "organisers:directory", "organisers:vcard"} <= names
    assert not any(name.startswith("admin:") for name in names)


@pytest.mark.django_db
def test_every_public_url_answers_its_plain_get(client, named_urls):
    """Every page, feed, vCard and image answers 200 in both languages; only the POST-only views refuse (405)."""
    statuses = {path: client.get(path).status_code for _name, path in named_urls}
    expected = {path: 405 if name in POST_ONLY else 200 for name, path in named_urls}
    assert statuses == expected
    assert POST_ONLY <= {name for name, _path in named_urls}  # the list names views that exist


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), query=queries)
def test_hostile_query_strings_never_get_5xx(client, urls, data, query):
    path = data.draw(st.sampled_from(urls))
    response = client.get(path, query)
    assert response.status_code < 500, (path, query)


@pytest.mark.django_db
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from(["/siv/", "/siv/2026/", "/siv/aktorer/", "/en/siv/", "/siv/mitt-program/", "/"]),
       parts=segments)
def test_hostile_paths_never_get_5xx(client, edition, base, parts):
    from urllib.parse import quote

    path = base + "/".join(quote(part, safe="") for part in parts)
    response = client.get(path)
    assert response.status_code < 500, path


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), fields=st.dictionaries(keys, values, max_size=12))
def test_broken_posts_never_get_5xx(client, urls, data, fields):
    path = data.draw(st.sampled_from([p for p in urls if "foresla" in p or "mitt-program" in p]))
    response = client.post(path, fields)
    assert response.status_code < 500, (path, fields)
