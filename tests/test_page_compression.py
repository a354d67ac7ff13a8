"""Public cached pages and feeds go out gzip-compressed, compressed once when stored (innovationsvecka.pagecache)."""

import gzip

import pytest

from innovationsvecka import pagecache
from tests.factories import SessionFactory, theme

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def compressions(monkeypatch):
    """Every gzip.compress the page cache makes."""
    calls = []
    real = gzip.compress

    def counting(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(pagecache.gzip, "compress", counting)
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/siv/2026/", "/en/siv/2026/", "/siv/kalender.ics", "/siv/aktorer/",
                                 "/siv/api/v1/2026/sessions.json"])  # fmt: skip
def test_a_client_that_accepts_gzip_gets_the_same_page_compressed(client, edition, url, compressions):
    SessionFactory(edition=edition, title="Solenergi på gården", themes=[theme("smart-industri")])
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    pagecache.MEMORY.clear()  # another server: from the shared cache
    for _ in ("shared cache", "this process's memory"):
        packed = client.get(url, **GZIP)
        assert packed.status_code == 200 and packed["Content-Encoding"] == "gzip", url
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) * 0.7
        assert "Accept-Encoding" in packed["Vary"]
        assert packed["ETag"] == "W/" + plain["ETag"]  # one more representation of the same page
    assert len(compressions) == 1  # compressed once, when it was stored; a hit costs none
    again = client.get(url, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP)
    assert again.status_code == 304 and again.content == b""


@pytest.mark.django_db
def test_the_first_visitor_gets_the_compressed_page_too_and_gzip_refused_is_respected(client, edition):
    SessionFactory(edition=edition)
    first = client.get("/siv/2026/", **GZIP)
    assert first["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(first.content)
    refused = client.get("/siv/2026/", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in refused and b"<html" in refused.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/admin/password_reset/"])
def test_pages_with_a_csrf_token_are_never_compressed(client, edition, url, compressions):
    """BREACH: a page that reflects a secret (the CSRF token) must not have a length that depends on it."""
    response = client.get(url, **GZIP)
    assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response and compressions == []


@pytest.mark.django_db
def test_the_programme_with_40_sessions_is_at_most_15_kb_on_the_wire(client, edition):
    themes = [theme("smart-industri"), theme("life-science")]
    for n in range(40):
        SessionFactory(edition=edition, title=f"Programpunkt nummer {n} om innovation", themes=themes,
                       summary="En kort sammanfattning av vad som händer och för vem den passar.")  # fmt: skip
    response = client.get("/siv/2026/", **GZIP)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).count(b'<li class="session" id="s') == 40
    assert len(response.content) <= 15 * 1024, len(response.content)
