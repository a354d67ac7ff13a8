"""The strict Content Security Policy breaks nothing: Chromium reports no violation on public pages or in the admin."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import ContactFactory, SessionFactory

PASSWORD = "ett-langt-losenord-for-test"


def watch_csp(page):
    """Chromium logs every blocked inline script, style or source as a console error naming the policy."""
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


@pytest.mark.django_db(transaction=True)
def test_public_pages_have_no_csp_violations(live_server, page):
    session = SessionFactory(title="Policyn håller")
    contact = ContactFactory()
    violations = watch_csp(page)
    response = page.goto(f"{live_server.url}/siv/2026/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for path in [session.get_absolute_url(), contact.organisation.get_absolute_url(), "/siv/2026/finns-inte/"]:
        page.goto(live_server.url + path)
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_admin_login_and_change_form_have_no_csp_violations(live_server, page):
    session = SessionFactory(title="Redigeras i admin")
    get_user_model().objects.create_superuser("redaktor", "redaktor@example.org", PASSWORD)
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/events/session/{session.pk}/change/")
    assert page.locator("#id_title").input_value() == "Redigeras i admin"
    page.goto(f"{live_server.url}/admin/events/session/add/")
    page.goto(f"{live_server.url}/admin/events/session/")
    assert violations == []
