"""The proposal form and its confirmation page in Chromium: usable without help, and axe finds nothing."""

import datetime

import pytest
from django.core.cache import cache

from events.models import Edition, Municipality, Session, Venue


@pytest.fixture
def open_edition(settings):
    settings.SIV_PROPOSAL_MIN_SECONDS = 0  # Playwright fills the form faster than any person
    cache.clear()
    municipality, _ = Municipality.objects.get_or_create(slug="trosa", defaults={"name": "Trosa"})
    Venue.objects.create(name="Trosa stadshus", town="Trosa", municipality=municipality)
    year = datetime.date.today().year + 1
    return Edition.objects.create(year=year, title=f"Sörmlands innovationsvecka {year}",
                                  proposal_deadline=datetime.date(year, 10, 1))


def fill_and_send(page, edition):
    page.locator("#id_title").fill("Idéverkstad för unga")
    page.locator("#id_summary").fill("Testa din idé på en kväll.")
    page.locator("#id_day").select_option(edition.start_date.isoformat())
    page.locator("#id_start_time").fill("17:00")
    page.locator("#id_end_time").fill("19:00")
    page.locator("#id_venue").select_option(label="Trosa stadshus, Trosa")
    page.locator("#id_new_organisation").fill("Ungt Företagande Sörmland")
    page.locator("#id_proposer_name").fill("Saga Lind")
    page.locator("#id_proposer_email").fill("saga@example.org")
    page.locator("#id_consent").check()
    page.locator("input[type=submit]").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "prefix, thanks_heading", [("", "Tack för ditt förslag!"), ("/en", "Thank you for your proposal!")]
)
def test_proposal_form_and_confirmation_have_no_axe_violations(
    live_server, page, axe_violations, open_edition, prefix, thanks_heading
):
    page.goto(f"{live_server.url}{prefix}/siv/foresla/")
    assert axe_violations(page) == []
    fill_and_send(page, open_edition)
    page.wait_for_url(f"**{prefix}/siv/foresla/tack/")
    assert page.get_by_role("heading", level=1).inner_text() == thanks_heading
    assert axe_violations(page) == []
    assert Session.objects.get().status == "proposed"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_proposal_form_with_errors_has_no_axe_violations(live_server, page, axe_violations, open_edition, prefix):
    page.goto(f"{live_server.url}{prefix}/siv/foresla/")
    page.locator("#id_proposer_name").fill("Saga Lind")
    page.locator("input[type=submit]").click()
    page.wait_for_selector("#problems")
    assert page.locator("#id_proposer_name").input_value() == "Saga Lind"
    assert page.locator("#id_title").get_attribute("aria-invalid") == "true" or page.locator(
        "#id_title.is-invalid").count() == 1
    assert axe_violations(page) == []
    assert Session.objects.count() == 0
