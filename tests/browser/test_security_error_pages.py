"""The 404, 500 and 503 pages are accessible (axe finds nothing) and load under the strict CSP."""

import pytest
from django.test import RequestFactory

from innovationsvecka.middleware import database_unavailable
from innovationsvecka.views import server_error


def serve(page, url, response):
    page.route(url, lambda route: route.fulfill(status=response.status_code, body=response.content,
                                                 headers={"content-type": "text/html; charset=utf-8"}))


@pytest.mark.django_db(transaction=True)
def test_error_pages_have_no_axe_violations(live_server, page, axe_violations):
    response = page.goto(f"{live_server.url}/siv/finns-inte/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    assert axe_violations(page) == []
    for path, built in [("/fel/500/", server_error(RequestFactory().get("/"))), ("/fel/503/", database_unavailable())]:
        serve(page, live_server.url + path, built)
        response = page.goto(live_server.url + path)
        assert response.status == built.status_code
        assert page.locator("link[rel=stylesheet]").count() == 1
        assert axe_violations(page) == [], path
