"""Nothing lost: history with diff and revert, no deleting what was ever published, restoring what was deleted."""

from django.contrib.messages import get_messages
from django.urls import reverse

from events import services
from events.models import Session
from tests.factories import OrganisationFactory, SessionFactory, theme

CHANGELIST = "/admin/events/session/"


def test_history_page_shows_who_changed_what(editor_client, editor, edition):
    session = SessionFactory(edition=edition, title="Före", status="draft")
    session._history_user = editor
    session.title = "Efter"
    services.save_session(session=session)
    response = editor_client.get(f"{CHANGELIST}{session.pk}/history/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Före" in page and "Efter" in page  # the diff between the two versions
    assert editor.username in page


def test_history_revert_goes_back_to_earlier_version(editor_client, edition):
    session = SessionFactory(edition=edition, title="Första rubriken", status="draft")
    first = session.history.earliest()
    session.title = "Andra rubriken"
    services.save_session(session=session)
    page = editor_client.get(f"{CHANGELIST}{session.pk}/history/{first.history_id}/")
    form = page.context["adminform"].form
    assert form.initial["title"] == "Första rubriken"
    data = {
        "edition": edition.pk, "title": "Första rubriken", "slug": session.slug, "status": "draft",
        "start_0": "2026-11-09", "start_1": "10:00", "end_0": "2026-11-09", "end_1": "11:00",
        "format": "plats", "venue": session.venue_id, "language": "sv", "summary": session.summary,
    }
    response = editor_client.post(f"{CHANGELIST}{session.pk}/history/{first.history_id}/", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Första rubriken"
    assert session.history.count() == 3


def test_edition_history_records_changes(editor_client, edition):
    edition.intro = "Ny ingress"
    edition.save()
    response = editor_client.get(f"/admin/events/edition/{edition.pk}/history/")
    assert response.status_code == 200
    assert [h.intro for h in edition.history.all()] == ["Ny ingress", "Välkommen till innovationsveckan."]


def test_organisation_and_contact_have_history_pages(editor_client):
    organisation = OrganisationFactory()
    assert editor_client.get(f"/admin/organisers/organisation/{organisation.pk}/history/").status_code == 200


# Deleting


def test_published_session_offers_no_delete(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    services.publish(session=session)
    change = editor_client.get(f"{CHANGELIST}{session.pk}/change/")
    assert change.context["has_delete_permission"] is False
    assert b'class="deletelink"' not in change.content
    assert editor_client.get(f"{CHANGELIST}{session.pk}/delete/").status_code == 403
    assert editor_client.post(f"{CHANGELIST}{session.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Session.objects.filter(pk=session.pk).exists()


def test_withdrawn_session_still_cannot_be_deleted(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    services.publish(session=session)
    services.unpublish(session=session)
    assert editor_client.get(f"{CHANGELIST}{session.pk}/delete/").status_code == 403


def test_never_published_draft_can_be_deleted(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    response = editor_client.post(f"{CHANGELIST}{session.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


def test_bulk_delete_skips_ever_published_and_says_so(editor_client, edition):
    draft = SessionFactory(edition=edition, status="draft")
    published = SessionFactory(edition=edition, status="draft")
    services.publish(session=published)
    selected = {"action": "delete_unpublished", "_selected_action": [draft.pk, published.pk]}
    page = editor_client.post(CHANGELIST, selected)
    assert [str(m) for m in get_messages(page.wsgi_request)] == [
        "1 av de valda har varit publicerad och kan inte raderas. Ställ in eller avpublicera den i stället."
    ]
    assert list(page.context["queryset"]) == [draft]
    editor_client.post(CHANGELIST, {**selected, "post": "yes"})
    assert list(Session.objects.all()) == [published]


def test_django_bulk_delete_action_is_not_offered(editor_client, edition):
    SessionFactory(edition=edition)
    response = editor_client.get(CHANGELIST)
    assert "delete_selected" not in dict(response.context["action_form"].fields["action"].choices)


# Finding and restoring a deleted session


def test_deleted_session_is_listed_and_restored_with_relations(editor_client, edition):
    organisation = OrganisationFactory(name="Almi")
    session = SessionFactory(edition=edition, status="draft", title="Borttagen", slug="borttagen",
                             organisers=[organisation], themes=[theme("smart-industri")])
    session.save()  # a history row that includes the relations
    uid, pk = session.uid, session.pk
    editor_client.post(f"{CHANGELIST}{pk}/delete/", {"post": "yes"})
    assert not Session.objects.filter(pk=pk).exists()

    listing = editor_client.get(CHANGELIST + "raderade/")
    assert [record.title for record in listing.context["records"]] == ["Borttagen"]
    assert reverse("admin:events_session_restore", args=[pk]).encode() in listing.content

    response = editor_client.post(reverse("admin:events_session_restore", args=[pk]))
    assert response["Location"] == reverse("admin:events_session_change", args=[pk])
    restored = Session.objects.get(pk=pk)
    assert (restored.title, restored.slug, restored.status, restored.uid) == ("Borttagen", "borttagen", "draft", uid)
    assert list(restored.organisers.all()) == [organisation]
    assert list(restored.themes.values_list("slug", flat=True)) == ["smart-industri"]
    assert list(editor_client.get(CHANGELIST + "raderade/").context["records"]) == []


def test_restore_with_get_changes_nothing(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    pk = session.pk
    session.delete()
    response = editor_client.get(reverse("admin:events_session_restore", args=[pk]))
    assert response["Location"] == reverse("admin:events_session_deleted")
    assert not Session.objects.filter(pk=pk).exists()


def test_restore_unknown_session_is_404(editor_client):
    assert editor_client.post(reverse("admin:events_session_restore", args=[99999])).status_code == 404


def test_restore_after_its_place_was_removed_comes_back_without_place(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft", slug="utan-lokal")
    pk, venue = session.pk, session.venue
    session.delete()
    venue.delete()
    editor_client.post(reverse("admin:events_session_restore", args=[pk]))
    restored = Session.objects.get(pk=pk)
    assert (restored.slug, restored.venue_id) == ("utan-lokal", None)
