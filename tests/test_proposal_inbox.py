"""The proposals inbox (issue 15): the list and page in the admin, Godkänn and Avböj with their e-mails, what the
public sees of a declined proposal (nothing), and the proposer's personal link."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Session
from tests.conftest import text
from tests.factories import OrganisationFactory, SessionFactory, UserFactory, actor_editor
from tests.test_proposal import URL, valid_post

pytestmark = pytest.mark.django_db

INBOX = "/admin/events/proposal/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def queued(settings):
    """The real queue in front of the test outbox: tests read mail.outbox after the worker's round."""
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STAFF_EMAILS = ["program@example.org"]


@pytest.fixture
def staff(editor):
    """A Programredaktör in a browser of their own (the `client` fixture is the proposer's)."""
    from django.test import Client

    browser = Client()
    browser.force_login(editor)
    return browser


def flush():
    call_command("mail_worker", "--once")
    return list(mail.outbox)


@pytest.fixture
def open_edition(db):
    from tests.factories import EditionFactory

    year = datetime.date.today().year + 1
    return EditionFactory(year=year, proposal_deadline=datetime.date(year, 10, 1), is_published=True)


def propose(client, edition, prefix="", **overrides):
    response = client.post(prefix + URL, valid_post(edition, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.cookies.clear()
    return Session.objects.order_by("-pk").first()


def act(client, action, sessions, **data):
    post = {"action": action, "_selected_action": [s.pk for s in sessions], **data}
    return client.post(INBOX, post)


# The list and the page


def test_inbox_lists_waiting_proposals_oldest_first_with_proposer_organisation_and_age(
    client, staff, open_edition
):
    organisation = OrganisationFactory(name="Almi Mälardalen")
    first = propose(client, open_edition, title="Först inkommet", organisation=organisation.pk, new_organisation="")
    second = propose(client, open_edition, title="Sedan", proposer_name="Olle Berg")
    Session.objects.filter(pk=first.pk).update(created=timezone.now() - datetime.timedelta(days=8))
    SessionFactory(edition=open_edition, title="Vanlig publicerad")
    response = staff.get(INBOX)
    assert response.status_code == 200
    page = text(response)
    assert "Vanlig publicerad" not in page
    assert page.index("Först inkommet") < page.index("Sedan")
    assert "Saga Lind" in page and "Olle Berg" in page and "Almi Mälardalen" in page
    assert "Ungt Företagande Sörmland (ny)" in page
    assert "8 dagar" in page and "i dag" in page
    assert f"{open_edition.year} 2 0 0 0 2" in page  # the counts for the funder report: 2 received, 2 waiting
    assert second.pk


def test_inbox_query_count_does_not_grow_with_the_proposals(client, staff, open_edition):
    def count(n):
        existing = Session.objects.filter(status=Session.Status.PROPOSED).count()
        for i in range(existing, n):
            SessionFactory(
                edition=open_edition, status=Session.Status.PROPOSED, proposer_name=f"P {i}",
                organisers=[OrganisationFactory()], proposal_language="sv",
            )
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(INBOX).status_code == 200
        return len(queries)

    small, large = count(3), count(30)
    print(f"inbox queries: {small} at 3, {large} at 30")
    assert small == large


def test_proposal_page_starts_with_the_proposer(client, staff, open_edition):
    session = propose(client, open_edition)
    response = staff.get(reverse("admin:events_proposal_change", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="mailto:saga@example.org">saga@example.org</a>' in page
    first_fieldset = page[page.index("<fieldset"):page.index("</fieldset>")]
    assert "Förslagsställare" in first_fieldset and "Saga Lind" in first_fieldset
    assert "collapse" not in first_fieldset
    consent = timezone.localtime(session.consent_at)
    assert f"{consent:%H:%M}" in first_fieldset and "Ungt Företagande Sörmland (ny)" in first_fieldset


def test_actor_editors_do_not_see_the_inbox(client, open_edition):
    organisation = OrganisationFactory()
    user = actor_editor(organisation)
    client.force_login(user)
    assert client.get(INBOX).status_code == 403
    assert "Programförslag" not in text(client.get("/admin/"))


# Godkänn


def test_accept_asks_first_then_publishes_and_tells_proposer_and_actor_editors(
    client, staff, open_edition, queued
):
    organisation = OrganisationFactory(name="Almi Mälardalen")
    editor = actor_editor(organisation, username="aktor", email="aktor@example.org")
    actor_editor(OrganisationFactory(), username="annan", email="annan@example.org")
    session = propose(client, open_edition, organisation=organisation.pk, new_organisation="")
    flush()
    mail.outbox.clear()

    confirm = act(staff, "accept_proposals", [session])
    assert confirm.status_code == 200 and "Godkänn programförslag" in text(confirm)
    assert Session.objects.get(pk=session.pk).status == Session.Status.PROPOSED
    assert client.get(session.get_absolute_url()).status_code == 404

    done = act(staff, "accept_proposals", [session], post="yes", target="publish")
    assert done.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.proposal_outcome) == (Session.Status.PUBLISHED, "accepted")
    assert session.decided_at is not None
    assert client.get(session.get_absolute_url()).status_code == 200
    sent = {tuple(m.to): m for m in flush()}
    assert set(sent) == {("saga@example.org",), (editor.email,)}
    proposer = sent[("saga@example.org",)]
    assert proposer.subject == f"Ditt programförslag till {open_edition.title} är godkänt"
    assert "Hej Saga Lind!" in proposer.body and "Det är publicerat i programmet:" in proposer.body
    assert f"https://siv.example.org{session.get_absolute_url()}" in proposer.body
    notice = sent[(editor.email,)]
    assert notice.subject == "Programförslag godkänt: Idéverkstad för unga"
    assert f"/admin/events/session/{session.pk}/change/" in notice.body


def test_accept_as_draft_keeps_it_out_of_the_programme(client, staff, open_edition, queued):
    session = propose(client, open_edition)
    flush()
    mail.outbox.clear()
    act(staff, "accept_proposals", [session], post="yes", target="draft")
    session.refresh_from_db()
    assert (session.status, session.proposal_outcome) == (Session.Status.DRAFT, "accepted")
    assert client.get(session.get_absolute_url()).status_code == 404
    [message] = flush()
    assert "den syns i programmet när vi har publicerat den" in message.body


def test_english_proposer_gets_the_decision_in_english(client, staff, open_edition, queued):
    session = propose(client, open_edition, prefix="/en")
    assert session.proposal_language == "en"
    [confirmation, _staff] = flush()
    assert "/en/siv/foresla/" in confirmation.body
    mail.outbox.clear()
    act(staff, "accept_proposals", [session], post="yes", target="publish")
    [message] = flush()
    assert message.subject == f"Your programme proposal for {open_edition.title} has been accepted"
    assert f"https://siv.example.org/en{session.get_absolute_url()}" in message.body


# Avböj


def test_decline_asks_for_a_reason_prefilled_from_the_template(client, staff, open_edition):
    session = propose(client, open_edition)
    confirm = act(staff, "decline_proposals", [session])
    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert re.search(r'<textarea name="reason"[^>]*>\s*Tack för ditt förslag!', page)
    empty = act(staff, "decline_proposals", [session], post="yes", reason="  ")
    assert empty.status_code == 200 and "Detta fält måste fyllas i" in text(empty)
    assert Session.objects.get(pk=session.pk).status == Session.Status.PROPOSED


def test_decline_keeps_the_reason_mails_it_and_shows_the_proposal_nowhere(
    client, staff, open_edition, queued, settings
):
    settings.PAGE_CACHE = False
    organisation = OrganisationFactory(name="Almi Mälardalen", slug="almi")
    session = propose(client, open_edition, organisation=organisation.pk, new_organisation="")
    SessionFactory(edition=open_edition, title="Något annat", organisers=[organisation])
    flush()
    mail.outbox.clear()
    reason = "Programmet är fullt den dagen. Hör av dig nästa år!"
    act(staff, "decline_proposals", [session], post="yes", reason=reason)
    session.refresh_from_db()
    assert (session.status, session.proposal_outcome, session.decision_reason) == (
        Session.Status.DECLINED, "declined", reason
    )
    [message] = flush()
    assert message.to == ["saga@example.org"] and reason in message.body
    assert message.subject == f"Ditt programförslag till {open_edition.title}"

    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(f"/siv/{open_edition.year}/{session.slug}.ics").status_code == 404
    year = open_edition.year
    public = [
        "/siv/", f"/siv/{year}/", "/siv/kalender.ics", f"/siv/{year}/kalender.ics", "/siv/api/v1/sessions.json",
        f"/siv/api/v1/{year}/sessions.json", "/siv/api/v1/sessions.jsonld", "/siv/nyheter.xml", "/sitemap.xml",
        "/siv/aktorer/almi/", "/siv/aktorer/almi/kalender.ics", "/en/siv/", "/siv/inbaddning/?aktor=almi",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Idéverkstad" not in body and session.slug not in body and str(session.uid) not in body, url
    searched = client.get(f"/siv/{year}/?q=verkstad").content.decode()
    assert session.slug not in searched and "Något annat" in client.get(f"/siv/{year}/").content.decode()
    # staff still find it, with its reason
    declined = staff.get(INBOX + "?lage=avbojda")
    assert "Idéverkstad för unga" in text(declined)
    page = text(staff.get(reverse("admin:events_proposal_change", args=[session.pk])))
    assert reason in page


def test_decided_proposals_are_skipped_by_a_second_decision(client, staff, open_edition, queued):
    session = propose(client, open_edition)
    act(staff, "decline_proposals", [session], post="yes", reason="Nej tack.")
    flush()
    mail.outbox.clear()
    act(staff, "accept_proposals", [session], post="yes", target="publish")
    session.refresh_from_db()
    assert session.status == Session.Status.DECLINED
    assert flush() == []


# The personal link


def personal_link(message):
    return re.search(r"https://siv\.example\.org(/(?:en/)?siv/foresla/[\w-]+/)", message.body).group(1)


def test_confirmation_carries_a_personal_link_to_see_the_proposal(client, open_edition, queued):
    session = propose(client, open_edition)
    assert len(session.proposal_token) >= 43  # 256 bits, URL-safe base64
    [confirmation, _staff] = flush()
    link = personal_link(confirmation)
    assert link == f"/siv/foresla/{session.proposal_token}/"
    response = client.get(link)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    page = text(response)
    assert "Idéverkstad för unga" in page and "Vi har inte bestämt oss än" in page


def test_personal_link_refuses_other_methods(client, open_edition):
    session = propose(client, open_edition)
    assert client.put(f"/siv/foresla/{session.proposal_token}/").status_code == 405
    assert client.delete(f"/siv/foresla/{session.proposal_token}/dra-tillbaka/").status_code == 405


def test_unknown_personal_link_is_404(client, open_edition):
    assert client.get("/siv/foresla/" + "x" * 43 + "/").status_code == 404
    assert client.post("/siv/foresla/" + "x" * 43 + "/dra-tillbaka/").status_code == 404


def test_proposer_corrects_the_proposal_with_the_forms_rules(client, open_edition):
    session = propose(client, open_edition)
    link = f"/siv/foresla/{session.proposal_token}/"
    data = valid_post(open_edition, title="Idéverkstad för unga vuxna", start_time="18:00", end_time="20:00")
    bad = client.post(link, {**data, "end_time": "17:00"})
    assert bad.status_code == 400 and "Sluttiden måste vara efter starttiden." in text(bad)
    assert Session.objects.get(pk=session.pk).title == "Idéverkstad för unga"
    good = client.post(link, data)
    assert good.status_code == 302 and good["Location"] == link
    session.refresh_from_db()
    assert session.title == "Idéverkstad för unga vuxna"
    assert f"{session.local_start:%H:%M}" == "18:00" and session.status == Session.Status.PROPOSED
    assert "Rättelserna är sparade." in text(client.get(link))


def test_proposer_withdraws_after_a_confirmation_and_staff_hear_of_it(client, open_edition, queued):
    session = propose(client, open_edition)
    flush()
    mail.outbox.clear()
    link = f"/siv/foresla/{session.proposal_token}/"
    confirm = client.get(link + "dra-tillbaka/")
    assert confirm.status_code == 200 and "Ja, dra tillbaka förslaget" in text(confirm)
    assert Session.objects.get(pk=session.pk).status == Session.Status.PROPOSED
    assert client.post(link + "dra-tillbaka/")["Location"] == link
    session.refresh_from_db()
    assert (session.status, session.proposal_outcome) == (Session.Status.DECLINED, "withdrawn")
    [notice] = flush()
    assert notice.to == ["program@example.org"] and "återtaget" in notice.subject
    page = client.get(link)
    assert "Du har dragit tillbaka förslaget." in text(page) and "Rätta förslaget" not in text(page)
    late = client.post(link, valid_post(open_edition, title="Ändrat ändå"))
    assert late.status_code == 409 and Session.objects.get(pk=session.pk).title == "Idéverkstad för unga"


def test_decided_proposal_cannot_be_corrected_and_shows_the_reason(client, staff, open_edition):
    session = propose(client, open_edition)
    act(staff, "decline_proposals", [session], post="yes", reason="Fullt den dagen.")
    link = f"/siv/foresla/{session.proposal_token}/"
    page = text(client.get(link))
    assert "Fullt den dagen." in page and "Rätta förslaget" not in page
    assert client.get(link + "dra-tillbaka/")["Location"] == link


def test_personal_page_in_english(client, open_edition):
    session = propose(client, open_edition, prefix="/en")
    response = client.get(f"/en/siv/foresla/{session.proposal_token}/")
    assert response.status_code == 200 and "Your programme proposal" in text(response)


def test_no_user_needed_for_staff_notice(client, open_edition):
    UserFactory(username="x")
    assert propose(client, open_edition).proposal_token


def test_proposal_history_page_opens(client, staff, open_edition):
    session = propose(client, open_edition)
    response = staff.get(reverse("admin:events_proposal_history", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:events_session_history", args=[session.pk])


def test_proposal_page_saves_through_the_session_form(client, staff, open_edition):
    from tests.admin_post import posted

    session = propose(client, open_edition)
    url = reverse("admin:events_proposal_change", args=[session.pk])
    page = staff.get(url)
    assert 'type="datetime-local"' in page.content.decode()
    response = staff.post(url, posted(page, title="Idéverkstad för unga vuxna", start="2020-01-01 10:00"))
    assert response.status_code == 200  # outside the edition: refused with the reason
    session.refresh_from_db()
    assert session.title == "Idéverkstad för unga"
    response = staff.post(url, posted(page, title="Idéverkstad för unga vuxna"))
    assert response.status_code == 302, text(response)[:3000]
    session.refresh_from_db()
    assert (session.title, session.status, session.proposer_email) == (
        "Idéverkstad för unga vuxna", Session.Status.PROPOSED, "saga@example.org"
    )


def test_a_once_published_proposal_is_not_declined(client, staff, open_edition):
    session = SessionFactory(edition=open_edition, status=Session.Status.PROPOSED, first_published=timezone.now())
    response = act(staff, "decline_proposals", [session], post="yes", reason="Nej.")
    session.refresh_from_db()
    assert session.status == Session.Status.PROPOSED
    assert "har varit publicerad och kan inte avböjas" in text(staff.get(response["Location"]))


def test_thanks_page_links_the_personal_page(client, open_edition):
    response = client.post(URL, valid_post(open_edition), follow=True)
    session = Session.objects.get()
    assert f'href="/siv/foresla/{session.proposal_token}/"' in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"


def test_session_admin_links_still_lead_to_the_session_admin():
    assert reverse("admin:events_session_deleted") == "/admin/events/session/raderade/"
    assert reverse("admin:events_session_changelist") == "/admin/events/session/"
    assert reverse("admin:events_session_import") == "/admin/events/session/import/"
