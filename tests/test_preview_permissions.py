"""Issue 11, item 7: the public preview shows only what the same user may view in the admin.

Through the real views and the real admin: superuser, Programredaktör, Aktörsredaktör of organisation A,
against drafts of A and of B, on the session page and on the programme preview of an unpublished edition.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from events.models import Session
from tests.conftest import login_staff
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    actor_editor,
    programme_editor,
)

PREVIEW = "?forhandsvisning=1"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Aktör A")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Aktör B")


@pytest.fixture
def drafts(edition, org_a, org_b):
    return {
        "a": SessionFactory(
            edition=edition, slug="utkast-a", title="Utkast från A", status="draft", organisers=[org_a]
        ),
        "b": SessionFactory(
            edition=edition, slug="forslag-b", title="Förslag från B", status="proposed", organisers=[org_b]
        ),
    }


def user_for(role, org_a):
    if role == "anonymous":
        return None
    if role == "superuser":
        return UserFactory(is_superuser=True)
    if role == "programme":
        return programme_editor()
    if role == "actor_a":
        return actor_editor(org_a)
    return UserFactory()  # staff, in no group: may open the admin but view no session


def log_in(client, role, org_a):
    user = user_for(role, org_a)
    if user is not None:
        login_staff(client, user)


# (role, own draft of A, draft of B): exact status codes of the session page preview
SESSION_MATRIX = [
    ("anonymous", 404, 404),
    ("staff_without_rights", 404, 404),
    ("superuser", 200, 200),
    ("programme", 200, 200),
    ("actor_a", 200, 404),
]


@pytest.mark.parametrize(("role", "code_a", "code_b"), SESSION_MATRIX)
@pytest.mark.parametrize("query", ["", PREVIEW])
def test_session_preview_follows_admin_view_rights(client, drafts, org_a, role, code_a, code_b, query):
    log_in(client, role, org_a)
    for key, expected in (("a", code_a), ("b", code_b)):
        response = client.get(drafts[key].get_absolute_url() + query)
        assert response.status_code == expected, (role, key)
        html = response.content.decode()
        if expected == 200:
            assert drafts[key].title in html and "Förhandsvisning" in html
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        else:
            assert drafts[key].title not in html


@pytest.mark.parametrize(("role", "code_a", "code_b"), SESSION_MATRIX[2:])
def test_view_on_site_from_the_admin_leads_only_to_what_the_admin_shows(client, drafts, org_a, role, code_a, code_b):
    """The admin's "view on site" shortcut (/admin/r/<ct>/<pk>/) redirects any staff user to the public
    address; the public page then decides, with the same rule as the admin's change page."""
    log_in(client, role, org_a)
    content_type = ContentType.objects.get_for_model(Session).pk
    for key, expected in (("a", code_a), ("b", code_b)):
        session = drafts[key]
        change = client.get(f"/admin/events/session/{session.pk}/change/")
        assert change.status_code == (200 if expected == 200 else 302), (role, key)
        shortcut = client.get(f"/admin/r/{content_type}/{session.pk}/")
        assert shortcut.status_code == 302 and shortcut["Location"].endswith(session.get_absolute_url())
        assert client.get(session.get_absolute_url()).status_code == expected, (role, key)


def test_preview_of_a_shared_draft_lists_no_other_organisations_unpublished_sessions(client, org_a, org_b):
    """In an unpublished edition, "other sessions by the same organisers" are not public either."""
    edition = EditionFactory(year=2027, is_published=False)
    shared = SessionFactory(edition=edition, slug="gemensam", status="draft", organisers=[org_a, org_b])
    SessionFactory(edition=edition, slug="bara-b", title="Bara B:s punkt", organisers=[org_b])
    SessionFactory(edition=edition, slug="bara-a", title="Bara A:s punkt", organisers=[org_a])
    login_staff(client, actor_editor(org_a))
    html = client.get(shared.get_absolute_url()).content.decode()
    assert "Bara A:s punkt" in html and "Bara B:s punkt" not in html
    login_staff(client, programme_editor())
    html = client.get(shared.get_absolute_url()).content.decode()
    assert "Bara A:s punkt" in html and "Bara B:s punkt" in html


# The programme preview of an unpublished edition


@pytest.fixture
def unpublished(org_a, org_b):
    edition = EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=edition, slug="punkt-a", title="Punkt från A", organisers=[org_a])
    SessionFactory(edition=edition, slug="punkt-b", title="Punkt från B", organisers=[org_b])
    return edition


# (role, previews the whole programme)
PROGRAMME_MATRIX = [
    ("anonymous", False),
    ("staff_without_rights", False),
    ("superuser", True),
    ("programme", True),
    ("actor_a", False),
]


@pytest.mark.parametrize(("role", "previews"), PROGRAMME_MATRIX)
def test_programme_preview_only_for_who_may_view_every_session_in_it(client, unpublished, org_a, role, previews):
    log_in(client, role, org_a)
    response = client.get("/siv/2027/" + PREVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    if previews:
        assert "Punkt från A" in html and "Punkt från B" in html
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert [t.name for t in response.templates][0] == "events/programme.html"
    else:
        assert "Punkt från A" not in html and "Punkt från B" not in html
        assert [t.name for t in response.templates][0] == "events/coming.html"
        assert 'href="?forhandsvisning=1"' not in html  # no preview link offered that would not work


@pytest.mark.parametrize(("role", "previews"), PROGRAMME_MATRIX)
def test_coming_page_offers_the_preview_link_to_exactly_those_who_get_it(client, unpublished, org_a, role, previews):
    log_in(client, role, org_a)
    response = client.get("/siv/2027/")
    assert response.status_code == 200
    assert ('href="?forhandsvisning=1"' in response.content.decode()) is previews
    if role != "anonymous":
        assert "private" in response["Cache-Control"]


def test_actor_editor_whose_organisations_own_every_session_gets_the_preview(client, org_a):
    """The rule is "may view every session it would show", not a role name."""
    edition = EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=edition, slug="egen", title="Egen punkt", organisers=[org_a])
    login_staff(client, actor_editor(org_a))
    response = client.get("/siv/2027/" + PREVIEW)
    assert response.status_code == 200 and "Egen punkt" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_preview_is_never_stored_in_the_shared_page_cache(client, settings, unpublished, org_a):
    settings.PAGE_CACHE = True
    login_staff(client, programme_editor())
    assert "Punkt från B" in client.get("/siv/2027/" + PREVIEW).content.decode()
    client.logout()
    client.cookies.clear()
    for url in ["/siv/2027/", "/siv/2027/" + PREVIEW, "/siv/2027/punkt-b/"]:
        response = client.get(url)
        assert "Punkt från B" not in response.content.decode(), url
