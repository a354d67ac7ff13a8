import pytest

from tests.factories import SessionFactory


@pytest.mark.django_db(transaction=True)
def test_programme_renders_in_chromium_without_axe_violations(live_server, page, axe_violations):
    SessionFactory(title="Från idé till affär")
    page.goto(f"{live_server.url}/siv/2026/")
    assert page.get_by_role("heading", name="Från idé till affär").is_visible()
    assert axe_violations(page) == []
