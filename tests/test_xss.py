"""Script, javascript: URLs and event-handler payloads in every text field come out inert everywhere:
in the pages (escaped text, no new elements or attributes), in JSON-LD (escaped so it cannot close the
script element, and the same text when parsed), in iCalendar and vCard (the same text, no injected lines)."""

import json
import re
import time
from html.parser import HTMLParser

import icalendar
import pytest
import vobject

from events.models import Session, Venue
from events.proposals import sign_start
from events.services import save_session
from tests.factories import ContactFactory, EditionFactory, OrganisationFactory, SessionFactory, VenueFactory, theme

PAYLOAD = (
    '<script>alert(1)</script>"><img src=x onerror=alert(2)>\' onmouseover=\'alert(3)\' '
    "<a href=\"javascript:alert(4)\">x</a></script><svg onload=alert(5)>"
)
LINE_BREAKER = "Rad ett\r\nX-INJECTED:1\r\nBEGIN:VEVENT"


class Inspector(HTMLParser):
    """Collects what a browser would execute: scripts, event handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.json_ld, self.text = [], [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "data:text/html", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self._in_json_ld = True
                self.json_ld.append("")
            elif not (attributes.get("src") or "").startswith("/static/"):
                self.problems.append(f"<script {attributes}>")
        if tag in ("img", "svg", "iframe", "object", "embed") and "x" == attributes.get("src"):
            self.problems.append(f"<{tag} src=x>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data
        else:
            self.text.append(data)


def inspect(html):
    inspector = Inspector()
    inspector.feed(html)
    return inspector


@pytest.fixture
def hostile(edition):
    """Every text field of the public models filled with the payload."""
    edition.intro = PAYLOAD
    edition.about = PAYLOAD
    edition.save()
    venue = VenueFactory(name=PAYLOAD[:200], street_address=PAYLOAD[:200], town=PAYLOAD[:100], accessibility=PAYLOAD)
    organisation = OrganisationFactory(slug="farlig", name=PAYLOAD[:200], help_text=PAYLOAD, phone="070-1",
                                       logo_alt=PAYLOAD[:200])  # fmt: skip
    contact = ContactFactory(organisation=organisation, name=PAYLOAD[:200], title=PAYLOAD[:200], unit=PAYLOAD[:200],
                             phones=f"{PAYLOAD[:60]}: 070-123 45 67\n{LINE_BREAKER}", is_public=True)  # fmt: skip
    edition.contacts.add(contact) if hasattr(edition, "contacts") else None
    session = SessionFactory(
        edition=edition, slug="farlig-punkt", title=PAYLOAD[:200], summary=PAYLOAD[:300],
        description=PAYLOAD + "\n" + LINE_BREAKER, venue=venue, format=Session.Format.HYBRID,
        online_note=PAYLOAD[:200], cost=PAYLOAD[:100], themes=[theme("smart-industri")], organisers=[organisation],
        contact=contact, online_url="https://example.org/?q=<script>", registration_url="https://example.org/\"><x",
    )  # fmt: skip
    cancelled = SessionFactory(edition=edition, slug="installd", title="Inställd", status=Session.Status.CANCELLED,
                               cancellation_note=PAYLOAD)  # fmt: skip
    return {"session": session, "cancelled": cancelled, "organisation": organisation, "contact": contact}


def public_pages(hostile):
    session, organisation = hostile["session"], hostile["organisation"]
    return [
        "/siv/", "/siv/2026/", session.get_absolute_url(), hostile["cancelled"].get_absolute_url(),
        "/en/siv/2026/" + session.slug + "/", "/siv/aktorer/", organisation.get_absolute_url(),
        "/en/siv/aktorer/" + organisation.slug + "/", "/siv/om/", "/siv/nu/", "/siv/arkiv/",
        "/siv/2026/?q=" + PAYLOAD, "/siv/aktorer/?q=" + PAYLOAD, "/siv/2026/?tema=" + PAYLOAD,
    ]  # fmt: skip


@pytest.mark.django_db
def test_payloads_are_inert_in_every_page(client, hostile):
    for path in public_pages(hostile):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        page = inspect(html)
        assert page.problems == [], path
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html, path
    detail = client.get(hostile["session"].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # shown as text, not dropped


@pytest.mark.django_db
def test_payloads_in_json_ld_cannot_close_the_script_and_parse_back(client, hostile):
    checked = 0
    for path in [hostile["session"].get_absolute_url(), hostile["organisation"].get_absolute_url()]:
        page = inspect(client.get(path).content.decode())
        for block in page.json_ld:
            assert "<" not in block and ">" not in block, path
            data = json.dumps(json.loads(block), ensure_ascii=False)
            assert PAYLOAD[:200].replace('"', '\\"') in data, path
            checked += 1
    assert checked >= 2


def calendar_events(body):
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


@pytest.mark.django_db
def test_payloads_in_ical_are_escaped_text_without_injected_lines(client, hostile):
    for path in ["/siv/kalender.ics", "/siv/2026/kalender.ics", "/siv/2026/farlig-punkt.ics",
                 "/siv/aktorer/farlig/kalender.ics"]:  # fmt: skip
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200, path
        unfolded = re.sub(r"\r\n[ \t]", "", body)
        assert not any(line.startswith("X-INJECTED") for line in unfolded.split("\r\n")), path
        lines = unfolded.split("\r\n")
        assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(calendar_events(body)), path
        calendar = icalendar.Calendar.from_ical(body)
        events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        ours = [e for e in events.values() if str(e["SUMMARY"]) == PAYLOAD[:200]]
        assert len(ours) == 1, path
        assert LINE_BREAKER.replace("\r\n", "\n") in str(ours[0]["DESCRIPTION"]).replace("\r\n", "\n")
        vobject.readOne(body, validate=True)


@pytest.mark.django_db
def test_payloads_in_vcard_are_escaped_text_without_injected_lines(client, hostile):
    contact = hostile["contact"]
    response = client.get(f"/siv/aktorer/farlig/kontakt/{contact.pk}.vcf")
    body = response.content.decode()
    assert response.status_code == 200
    unfolded = re.sub(r"\r\n[ \t]", "", body)
    assert not any(line.startswith(("X-INJECTED", "BEGIN:VEVENT")) for line in unfolded.split("\r\n"))
    card = vobject.readOne(body)
    assert card.fn.value == PAYLOAD[:200]
    assert card.title.value == PAYLOAD[:200]


@pytest.mark.django_db
def test_proposal_with_payloads_is_kept_as_text_and_javascript_urls_are_refused(client):
    upcoming = EditionFactory(year=2027)  # proposals go to the next edition that has not ended
    venue = Venue.objects.first() or VenueFactory()
    day = next(iter(upcoming.days)).isoformat()
    fields = {
        "title": PAYLOAD[:200], "summary": PAYLOAD[:300], "description": PAYLOAD, "day": day,
        "start_time": "10:00", "end_time": "11:00", "format": Session.Format.HYBRID, "venue": venue.pk,
        "online_url": "javascript:alert(1)", "online_note": PAYLOAD[:200],
        "themes": [theme("smart-industri").pk], "language": Session.Language.SWEDISH, "cost": PAYLOAD[:100],
        "registration_url": "javascript:alert(1)", "new_organisation": PAYLOAD[:200],
        "proposer_name": PAYLOAD[:200], "proposer_email": "forslag@example.org", "consent": "on", "website": "",
        "started": sign_start(time.time() - 120),
    }  # fmt: skip
    refused = client.post("/siv/foresla/", fields)
    assert refused.status_code == 200 and not Session.objects.filter(status=Session.Status.PROPOSED).exists()
    page = inspect(refused.content.decode())
    assert page.problems == []
    accepted = client.post("/siv/foresla/", {**fields, "online_url": "https://example.org/sand",
                                             "registration_url": ""})  # fmt: skip
    assert accepted.status_code == 302
    proposal = Session.objects.get(status=Session.Status.PROPOSED)
    assert (proposal.title, proposal.proposer_name, proposal.description) == (PAYLOAD[:200], PAYLOAD[:200], PAYLOAD)
    proposal.status = Session.Status.PUBLISHED
    save_session(session=proposal)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert inspect(html).problems == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
