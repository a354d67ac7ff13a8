"""The embed for actors' websites (events/embed.py): the one page another site may frame, and what it shows."""

import re

import pytest
from django.urls import reverse

from events.models import MyProgramme, Session
from innovationsvecka import pagecache
from tests import test_fuzz
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, local


def directives(response):
    policy = response.get("Content-Security-Policy", "")
    return {part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1] for part in policy.split(";") if part.strip()}


def framing(response):
    """(X-Frame-Options, frame-ancestors) of a response."""
    return response.get("X-Frame-Options"), directives(response).get("frame-ancestors")


@pytest.fixture
def actors(edition):
    almi = OrganisationFactory(name="Almi", slug="almi")
    mdu = OrganisationFactory(name="Mälardalens universitet", slug="mdu")
    sessions = [
        SessionFactory(edition=edition, title="Almi först", organisers=[almi], start=local(2026, 11, 9, 9)),
        SessionFactory(edition=edition, title="MDU", organisers=[mdu], start=local(2026, 11, 9, 10)),
        SessionFactory(edition=edition, title="Almi inställd", organisers=[almi], status=Session.Status.CANCELLED,
                       start=local(2026, 11, 10, 9)),  # fmt: skip
        SessionFactory(edition=edition, title="Almi utkast", organisers=[almi], status=Session.Status.DRAFT),
    ]
    return {"almi": almi, "sessions": sessions}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/siv/inbaddning/?aktor=almi", "/en/siv/inbaddning/?aktor=almi", "/siv/inbaddning/"])
def test_embed_may_be_framed_by_any_https_site_also_from_the_page_cache(client, settings, actors, path):
    settings.PAGE_CACHE = True
    site_policy = {name: " ".join(values) for name, values in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()}
    answers = [client.get(path)]  # built
    answers.append(client.get(path))  # from this process's memory
    pagecache.MEMORY.clear()
    answers.append(client.get(path))  # from the shared cache, as another server would answer
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[1].content == answers[0].content == answers[2].content
    for answer in answers:
        assert framing(answer) == (None, " ".join(settings.EMBED_FRAME_ANCESTORS))
        assert directives(answer) == {**site_policy, "frame-ancestors": " ".join(settings.EMBED_FRAME_ANCESTORS)}
    assert settings.EMBED_FRAME_ANCESTORS[0] == "https:"


def test_production_embed_frame_ancestors_are_https_only():
    from tests.test_security_headers import production_env, run_python

    code = "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'innovationsvecka.settings');" \
           "from django.conf import settings; print(settings.EMBED_FRAME_ANCESTORS)"  # fmt: skip
    result = run_python(code, production_env())
    assert (result.returncode, result.stdout.strip()) == (0, "['https:']"), result.stderr


@pytest.fixture
def every_url(edition):
    """Every named public URL (found as the fuzz test finds them), in both languages, and the site's others."""
    organisation = OrganisationFactory(slug=test_fuzz.SLUG)
    contact = ContactFactory(organisation=organisation)
    SessionFactory(edition=edition, slug=test_fuzz.SLUG, organisers=[organisation])
    samples = {"year": 2026, "slug": test_fuzz.SLUG, "pk": contact.pk, "token": MyProgramme.objects.create().token}
    paths = []
    for name, params in test_fuzz.public_urls():
        path = reverse(name, kwargs={param: samples[param] for param in params})
        paths += [path, "/en" + path]
    return paths + ["/", "/robots.txt", "/sitemap.xml", "/admin/login/", "/siv/integritet/", "/siv/finns-inte/"]


@pytest.mark.django_db
def test_no_other_route_may_be_framed(client, settings, every_url):
    settings.PAGE_CACHE = True
    embed = reverse("events:embed")
    checked = 0
    for path in every_url:
        for _attempt in range(2):  # built, then from the page cache
            response = client.get(path)
            if path.endswith(embed):
                assert framing(response)[0] is None, path
                continue
            assert framing(response) == ("DENY", "'none'"), (path, response.status_code)
            checked += 1
    assert checked > 60


@pytest.mark.django_db
def test_embed_shows_the_filtered_sessions_without_the_sites_header_and_footer(client, actors):
    response = client.get("/siv/inbaddning/?aktor=almi")
    html = response.content.decode()
    assert re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", html) == ["Almi först", "Almi inställd"]
    assert "site-header" not in html and "site-footer" not in html and "skip-link" not in html
    assert '<base target="_blank">' in html
    assert "<title>Programpunkter med Almi – Sörmlands innovationsvecka</title>" in html
    assert re.search(r'<script src="/static/js/embed-height\.[0-9a-f]+\.js" defer></script>', html)
    assert 'href="https://siv.example.org/siv/2026/?aktor=almi"' in html
    assert "style=" not in html and "<script>" not in html
    page = client.get("/siv/?aktor=almi")
    assert [s.title for s in page.context["sessions"]] == ["Almi först", "Almi inställd"]


@pytest.mark.django_db
def test_embed_of_an_unpublished_programme_says_so(client):
    from tests.factories import EditionFactory

    EditionFactory(year=2026, is_published=False)
    html = client.get("/siv/inbaddning/").content.decode()
    assert "Programmet är inte publicerat ännu." in html
    assert '<li class="session' not in html


def snippet(html):
    found = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.S)
    return found.group(1) if found else None


@pytest.mark.django_db
def test_actor_page_and_filtered_programme_offer_the_embed_code(client, actors):
    actor = client.get("/siv/aktorer/almi/").content.decode()
    assert snippet(actor) == (
        "&lt;iframe src=&quot;https://siv.example.org/siv/inbaddning/?aktor=almi&quot; "
        "title=&quot;Program – Sörmlands innovationsvecka&quot; width=&quot;100%&quot; height=&quot;600&quot; "
        "loading=&quot;lazy&quot;&gt;&lt;/iframe&gt;"
    )
    filtered = client.get("/siv/2026/?aktor=almi&tema=smart-industri&nonsense=1").content.decode()
    assert "src=&quot;https://siv.example.org/siv/inbaddning/?tema=smart-industri&amp;amp;aktor=almi&quot;" in (
        snippet(filtered)
    )
    assert snippet(client.get("/siv/2026/").content.decode()) is None  # the whole programme: no box
    english = client.get("/en/siv/aktorer/almi/").content.decode()
    assert "https://siv.example.org/en/siv/inbaddning/?aktor=almi" in snippet(english)
    assert "Embed on your website" in english


@pytest.mark.django_db
def test_embed_code_from_the_page_leads_to_the_same_sessions(client, actors):
    code = snippet(client.get("/siv/2026/?aktor=almi&format=plats").content.decode())
    src = re.search(r"src=&quot;https://siv\.example\.org([^&]+(?:&amp;amp;[^&]+)*)&quot;", code).group(1)
    html = client.get(src.replace("&amp;amp;", "&")).content.decode()
    assert re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", html) == ["Almi först", "Almi inställd"]
