"""The embed inside a page on another origin (a second local port), and axe on the open data page and the embed."""

import functools
import http.server
import socket
import threading

import pytest
from playwright.sync_api import expect

from events.templatetags.embed import embed_code
from tests.factories import OrganisationFactory, SessionFactory, local


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def other_site(tmp_path):
    """An actor's website: plain files served from another origin (127.0.0.1 on its own port)."""
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


def make_programme():
    almi = OrganisationFactory(name="Almi", slug="almi")
    for n in range(6):
        SessionFactory(title=f"Almi punkt {n}", organisers=[almi], start=local(2026, 11, 9 + n % 3, 9 + n))
    SessionFactory(title="Någon annans")


@pytest.mark.django_db(transaction=True)
def test_embed_shows_in_an_iframe_on_another_site_and_tells_it_its_height(live_server, page, other_site, settings):
    make_programme()
    folder, origin = other_site
    settings.SITE_URL = live_server.url  # the snippet points at the live server, as it points at the site
    code = embed_code("aktor=almi")
    assert origin.rsplit(":", 1)[1] != live_server.url.rsplit(":", 1)[1]  # another port: another origin
    (folder / "index.html").write_text(
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Aktörens webbplats</title></head><body>"
        f"<h1>Välkommen</h1>{code['iframe']}{code['script']}"
        f"<iframe id='not-allowed' title='Programmet' src='{live_server.url}/siv/'></iframe></body></html>",
        encoding="utf-8",
    )
    page.goto(f"{origin}/index.html")
    frame = page.frame_locator("iframe[src*='inbaddning']")
    expect(frame.locator("h3 a").first).to_have_text("Almi punkt 0")
    assert frame.locator("h3 a").all_inner_texts() == [f"Almi punkt {n}" for n in (0, 3, 1, 4, 2, 5)]
    assert frame.locator("h3 a").first.evaluate("a => a.target || document.querySelector('base').target") == (
        "_blank"
    )
    # The script in the frame told the page its height; the snippet's listener set it on the iframe.
    iframe = page.locator("iframe[src*='inbaddning']")
    expect(iframe).not_to_have_attribute("height", "600")
    content_height = frame.locator("html").evaluate("html => Math.ceil(html.getBoundingClientRect().height)")
    assert int(iframe.get_attribute("height")) == content_height > 600
    # Any other page refuses to be framed: the browser shows its error page instead of the programme.
    blocked = page.locator("#not-allowed").element_handle().content_frame()
    assert blocked.url == "chrome-error://chromewebdata/"
    assert blocked.locator(".site-header").count() == 0


@pytest.mark.django_db(transaction=True)
def test_embed_opens_our_page_in_a_new_tab(live_server, page, other_site, settings):
    make_programme()
    folder, origin = other_site
    settings.SITE_URL = live_server.url
    (folder / "index.html").write_text(
        f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>A</title></head><body>"
        f"{embed_code('aktor=almi')['iframe']}</body></html>",
        encoding="utf-8",
    )
    page.goto(f"{origin}/index.html")
    frame = page.frame_locator("iframe")
    with page.context.expect_page() as opened:
        frame.get_by_role("link", name="Almi punkt 0").click()
    new_tab = opened.value
    new_tab.wait_for_load_state()
    assert new_tab.url.startswith(f"{live_server.url}/siv/2026/")
    expect(new_tab.get_by_role("heading", level=1)).to_have_text("Almi punkt 0")


@pytest.mark.parametrize("path", ["/siv/oppna-data/", "/en/siv/oppna-data/", "/siv/inbaddning/?aktor=almi",
                                  "/en/siv/inbaddning/", "/siv/aktorer/almi/", "/siv/2026/?aktor=almi"])
@pytest.mark.django_db(transaction=True)
def test_open_data_page_embed_and_the_copy_box_have_no_axe_violations(live_server, page, axe_violations, path):
    make_programme()
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    if page.locator("details.embed-snippet").count():
        page.locator("details.embed-snippet summary").click()
        expect(page.locator("#embed-code")).to_be_visible()
    assert axe_violations(page) == [], path
