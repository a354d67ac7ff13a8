"""The proposals inbox and a proposal's page in the admin, and the proposer's personal page in Swedish and
English, in Chromium at phone and desktop width: axe finds nothing, nothing is wider than the window."""

import datetime
import os
import secrets
from pathlib import Path

import pytest
from django.utils import timezone

from events.models import Edition, Municipality, Session, Venue
from tests.factories import STAFF_PASSWORD, programme_editor

SHOTS = Path(os.environ.get("SIV_SHOTS", "/tmp/siv-shots"))


@pytest.fixture
def proposals(db):
    municipality, _ = Municipality.objects.get_or_create(slug="trosa", defaults={"name": "Trosa"})
    venue = Venue.objects.create(name="Trosa stadshus", town="Trosa", municipality=municipality)
    year = datetime.date.today().year + 1
    edition = Edition.objects.create(year=year, title=f"Sörmlands innovationsvecka {year}",
                                     proposal_deadline=datetime.date(year, 10, 1), is_published=True)
    made = []
    for n, (title, name, language) in enumerate([
        ("Idéverkstad för unga", "Saga Lind", "sv"), ("Hackathon för kommunernas data", "Olle Berg", "en"),
        ("Frukost om finansiering", "Anna Ek", "sv"),
    ]):
        start = timezone.make_aware(datetime.datetime.combine(edition.start_date, datetime.time(9 + n)))
        session = Session.objects.create(
            edition=edition, title=title, slug=f"forslag-{n}", summary="Testa din idé på en kväll.",
            start=start, end=start + datetime.timedelta(hours=1), venue=venue, status=Session.Status.PROPOSED,
            proposer_name=name, proposer_email=f"{name.split()[0].lower()}@example.org",
            proposed_organisation="Ungt Företagande Sörmland", consent_at=timezone.now(),
            proposal_token=secrets.token_urlsafe(32), proposal_language=language,
        )
        Session.objects.filter(pk=session.pk).update(created=timezone.now() - datetime.timedelta(days=3 * n))
        made.append(session)
    return made


def log_in(page, live_server):
    programme_editor(username="redaktor")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def look(page, axe_violations, name, width):
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1366])
def test_inbox_and_proposal_page(live_server, page, axe_violations, proposals, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/events/proposal/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 3
    assert "Frukost om finansiering" in rows.first.inner_text()  # the oldest first
    look(page, axe_violations, "inbox", width)
    page.get_by_role("link", name="Idéverkstad för unga").click()
    page.wait_for_url(f"**/admin/events/proposal/{proposals[0].pk}/change/")
    assert page.get_by_role("link", name="saga@example.org").get_attribute("href") == "mailto:saga@example.org"
    look(page, axe_violations, "proposal", width)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("width", [375, 1366])
def test_personal_page(live_server, page, axe_violations, proposals, prefix, width):
    page.set_viewport_size({"width": width, "height": 900})
    session = proposals[0]
    page.goto(f"{live_server.url}{prefix}/siv/foresla/{session.proposal_token}/")
    heading = "Your programme proposal" if prefix else "Ditt programförslag"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    look(page, axe_violations, f"personal{prefix.replace('/', '-')}", width)
    page.locator("#id_title").fill("Idéverkstad för unga vuxna")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**{prefix}/siv/foresla/{session.proposal_token}/")
    assert Session.objects.get(pk=session.pk).title == "Idéverkstad för unga vuxna"
    page.locator(".button-link").click()
    page.wait_for_url("**/dra-tillbaka/")
    look(page, axe_violations, f"withdraw{prefix.replace('/', '-')}", width)


@pytest.mark.django_db(transaction=True)
def test_invitation_form_and_password_page(live_server, page, axe_violations, settings):
    from django.core import mail

    from organisers.invitations import make_token
    from tests.factories import OrganisationFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    organisation = OrganisationFactory(name="Almi Mälardalen")
    page.set_viewport_size({"width": 375, "height": 900})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/organisers/organisation/{organisation.pk}/change/")
    page.get_by_role("link", name="Bjud in en aktörsredaktör").click()
    look(page, axe_violations, "invite", 375)
    page.get_by_label("Namn").fill("Olle Berg")
    page.get_by_label("E-postadress").fill("olle@example.org")
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.wait_for_url(f"**/admin/organisers/organisation/{organisation.pk}/change/")
    assert len(mail.outbox) == 1
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="olle@example.org")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/organisers/organisation/inbjudan/{make_token(user)}/")
    look(page, axe_violations, "invitation-password", 375)
