"""Every staff role against every admin page that shows another organisation's session, organisation or contact.

Organisation B owns the objects; the actor editor edits organisation A only. The groups are the real ones the
data migration creates (innovationsvecka/roles.py names them).
"""

import pytest
from django.contrib.auth.models import Group

from innovationsvecka.roles import ACTOR_EDITORS, PROGRAMME_EDITORS
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, UserFactory

ADMIN_INDEX = "/admin/"
WITH, WITHOUT = "listed", "not listed"


@pytest.fixture
def world(edition):
    own, other = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    contact = ContactFactory(organisation=other, name="Kontakt B")
    session = SessionFactory(edition=edition, title="B:s programpunkt", status="draft", organisers=[other],
                             contact=contact)
    return {"own": own, "session": session, "organisation": other, "contact": contact}


def user_for(role, own):
    if role == "superuser":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    if role == "programme editor":
        user.groups.add(Group.objects.get(name=PROGRAMME_EDITORS))
    else:
        user.groups.add(Group.objects.get(name=ACTOR_EDITORS))
        own.editors.add(user)
    return user


def urls(kind, obj):
    base = {"session": "/admin/events/session/", "organisation": "/admin/organisers/organisation/",
            "contact": "/admin/organisers/contact/"}[kind]
    version = obj.history.earliest().history_id
    return {
        "changelist": base,
        "change": f"{base}{obj.pk}/change/",
        "history": f"{base}{obj.pk}/history/",
        "revert form": f"{base}{obj.pk}/history/{version}/",
        "delete": f"{base}{obj.pk}/delete/",
        "export": f"{base}export/",
    }


def outcome(response, obj):
    if response.status_code == 302:
        return 302, response["Location"]
    if response.status_code == 200 and "cl" in (response.context or {}):
        return 200, WITH if obj in response.context["cl"].result_list else WITHOUT
    if response.status_code == 200 and "export" in response.wsgi_request.path and response.context is None:
        return 200, WITH if obj.title.encode() in response.content else WITHOUT
    return response.status_code, None


EVERYONE = ("superuser", "programme editor")
FULL = {"changelist": (200, WITH), "change": (200, None), "history": (200, None), "revert form": (200, None)}
ACTOR = {"changelist": (200, WITHOUT), "change": (302, ADMIN_INDEX), "history": (403, None),
         "revert form": (403, None), "delete": (302, ADMIN_INDEX)}

EXPECTED = {
    **{(role, "session", page): result for role in EVERYONE for page, result in
       {**FULL, "delete": (200, None), "export": (200, WITH)}.items()},
    **{(role, "organisation", page): result for role in EVERYONE for page, result in
       {**FULL, "delete": (302, "/admin/organisers/organisation/{pk}/change/")}.items()},
    **{(role, "contact", page): result for role in EVERYONE for page, result in
       {**FULL, "delete": (200, None)}.items()},
    # Actor editors may not delete sessions or organisations at all, but may delete their own contacts.
    **{("actor editor", "session", page): result for page, result in
       {**ACTOR, "delete": (403, None), "export": (403, None)}.items()},
    **{("actor editor", "organisation", page): result for page, result in {**ACTOR, "delete": (403, None)}.items()},
    **{("actor editor", "contact", page): result for page, result in ACTOR.items()},
}


@pytest.mark.parametrize(("role", "kind", "page"), sorted(EXPECTED))
def test_role_sees_exactly_what_it_may(client, world, role, kind, page):
    obj = world[kind]
    client.force_login(user_for(role, world["own"]))
    url = urls(kind, obj)[page]
    if page == "export":
        from events.resources import SessionResource

        fields = {f"sessionresource_{name}": "on" for name in SessionResource.fields}
        response = client.post(url, {"resource": "0", "format": "0", **fields})
    else:
        response = client.get(url)
    status, detail = EXPECTED[(role, kind, page)]
    expected = (status, detail.format(pk=obj.pk) if detail else detail)
    assert outcome(response, obj) == expected


@pytest.mark.parametrize("kind", ["session", "organisation", "contact"])
def test_actor_editor_cannot_post_a_revert_of_another_organisations_object(client, world, kind):
    obj = world[kind]
    client.force_login(user_for("actor editor", world["own"]))
    response = client.post(urls(kind, obj)["revert form"], {"title": "Kapad", "name": "Kapad"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert "Kapad" not in (getattr(obj, "title", ""), obj.name if kind != "session" else "")
