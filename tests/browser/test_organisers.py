import pytest
from playwright.sync_api import expect

from events.models import Municipality
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, support_type, the_edition


def make_actors():
    almi = OrganisationFactory(name="Almi Företagspartner", slug="almi", help_text="Lån och rådgivning.\n\nHör av dig!",
                               website="https://www.almi.se", phone="08-46 50 05 00")
    almi.support_types.set([support_type("finansiering"), support_type("affarsutveckling")])
    almi.municipalities.set(Municipality.objects.all())
    ContactFactory(organisation=almi, name="Sara Berg", title="Rådgivare", unit="Innovation", email="sara@example.org")
    msp = OrganisationFactory(name="Munktell Science Park", slug="msp")
    msp.support_types.set([support_type("ideutveckling")])
    msp.municipalities.set(Municipality.objects.filter(slug="eskilstuna"))
    SessionFactory(title="Finansiering för innovativa företag", organisers=[almi])
    SessionFactory(edition=the_edition(2025), title="Förra årets fika", organisers=[almi])
    return almi


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.django_db(transaction=True)
def test_directory_and_actor_page_have_no_axe_violations(live_server, page, axe_violations, prefix):
    make_actors()
    base = f"{live_server.url}{prefix}/siv/aktorer/"
    for url in [base, base + "?stod=finansiering&kommun=flen", base + "?stod=forskning-och-samverkan&kommun=nope"]:
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], url
    page.goto(base + "almi/")
    assert page.get_by_role("heading", level=1).inner_text() == "Almi Företagspartner"
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_directory_filter_works_without_javascript(live_server, browser):
    make_actors()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/siv/aktorer/")
    page.get_by_label("Idéutveckling").check()
    page.get_by_role("button", name="Visa aktörer").click()
    page.wait_for_url("**/siv/aktorer/?stod=ideutveckling")
    cards = page.locator(".org-card h3")
    assert cards.all_inner_texts() == ["Munktell Science Park"]
    expect(page.get_by_role("heading", level=2, name="1 aktör kan hjälpa dig")).to_be_visible()
    page.get_by_role("link", name="Munktell Science Park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Munktell Science Park")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_directory_is_keyboard_usable(live_server, page):
    make_actors()
    page.goto(f"{live_server.url}/siv/aktorer/")
    page.get_by_label("Finansiering").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Visa aktörer").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/siv/aktorer/?stod=finansiering")
    assert page.locator(".org-card h3").all_inner_texts() == ["Almi Företagspartner"]
