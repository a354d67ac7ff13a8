"""No English left on the admin pages a Programredaktör uses (issue 15): a walk through them that looks for
Django's and the admin packages' English, and a check that the Swedish catalogues (ours, Django's admin,
django-simple-history, django-axes, django-import-export) translate every string those packages have."""

import re
from html.parser import HTMLParser
from pathlib import Path

import axes
import django
import import_export
import polib
import pytest
import simple_history
from django.conf import settings
from django.utils import translation

from events import services
from tests.admin_post import posted
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, VenueFactory, actor_editor, theme

# Whole words or phrases of the stock admin that have a Swedish translation; one of them on a page means a string
# went through untranslated (or a template hard-codes English).
ENGLISH = [
    "Django administration", "Django site admin", "Site administration", "Select", "History", "Add", "Change",
    "None", "Save and continue editing", "Save and add another", "Save", "Delete", "View on site", "View site",
    "Recent actions", "My actions", "Home", "Log out", "Welcome", "Filter", "Search", "Show all", "Revert",
    "Object", "Date/time", "Changed by", "Change reason", "Comment", "entries", "entry", "Today", "Now",
    "Yesterday", "Date:", "Time:", "Currently:", "Hold down", "Choose", "Remove", "Close", "Import", "Export",
    "Action:", "Go", "selected", "results", "Unknown", "Yes", "No", "Toggle", "Skip to main content",
    "Change password", "Documentation", "was changed successfully", "You may edit it again below",
]
# Swedish slips: the word for a session is "programpunkt", and Swedish quotes are ”…”.
SLIPS = ["sessionen", "sessioner", "“"]
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(phrase) for phrase in ENGLISH) + r")(?![\w-])")


class Visible(HTMLParser):
    """The text a person reads or hears: text outside script and style, and the attributes read aloud or shown."""

    SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skipping += 1
        values = dict(attrs)
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def english_on(html):
    parser = Visible()
    parser.feed(html)
    english = {match for part in parser.parts for match in PATTERN.findall(part)}
    slips = {slip for part in parser.parts for slip in SLIPS if slip in part.lower()}
    return sorted(english | slips)


@pytest.fixture
def programme(edition):
    organisation = OrganisationFactory(name="Almi Mälardalen")
    contact = ContactFactory(organisation=organisation)
    venue = VenueFactory(name="Munktell Science Park")
    session = SessionFactory(edition=edition, status="draft", title="Innovationsfrukost", venue=venue,
                             organisers=[organisation], contact=contact, themes=[theme("smart-industri")])
    session.title = "Innovationsfrukost på Munktell"
    services.save_session(session=session)
    return {"session": session, "venue": venue, "organisation": organisation, "contact": contact}


def pages(programme, edition):
    session, venue, organisation = programme["session"], programme["venue"], programme["organisation"]
    version = session.history.earliest().history_id
    return [
        "/admin/",
        "/admin/events/",
        "/admin/events/session/",
        f"/admin/events/session/?edition__id__exact={edition.pk}&status__exact=draft",
        "/admin/events/session/add/",
        f"/admin/events/session/{session.pk}/change/",
        f"/admin/events/session/{session.pk}/history/",
        f"/admin/events/session/{session.pk}/history/{version}/",
        "/admin/events/session/raderade/",
        "/admin/events/venue/",
        "/admin/events/venue/add/",
        f"/admin/events/venue/{venue.pk}/change/",
        f"/admin/events/edition/{edition.pk}/change/",
        "/admin/organisers/organisation/",
        f"/admin/organisers/organisation/{organisation.pk}/change/",
    ]


def test_admin_pages_of_a_programme_editor_have_no_english(editor_client, programme, edition):
    found = {}
    for url in pages(programme, edition):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        english = english_on(response.content.decode())
        if english:
            found[url] = english
    assert found == {}


def test_confirmation_pages_and_messages_have_no_english(editor_client, programme):
    session = programme["session"]
    url = f"/admin/events/session/{session.pk}/change/"
    data = posted(editor_client.get(url), status="published")
    asked = editor_client.post(url, data)
    assert english_on(asked.content.decode()) == []
    done = editor_client.post(url, {**data, "_bekraftat": "1", "_continue": "1"}, follow=True)
    assert english_on(done.content.decode()) == []
    assert [re.sub(r"<[^>]+>", "", str(message)) for message in done.context["messages"]] == [
        "Ändringarna i programpunkt ”Innovationsfrukost på Munktell” är sparade. Du kan redigera den igen nedan."
    ]
    bulk = editor_client.post("/admin/events/session/", {"action": "cancel_sessions", "_selected_action": [session.pk]})
    assert english_on(bulk.content.decode()) == []


def test_the_walk_would_see_english():
    assert english_on('<h1>Select programpunkt to change</h1><a title="View on site">x</a>') == [
        "Select", "View on site"
    ]
    assert english_on('<input type="submit" value="Save and continue editing"><script>var History;</script>') == [
        "Save and continue editing"
    ]
    assert english_on("<p>Historik: Status: Utkast → Publicerad, Spara, Django-administration</p>") == []
    assert english_on("<p>Sätts när sessionen publiceras. Lade till “x”.</p>") == ["sessionen", "“"]


# The catalogues

CATALOGUES = {
    "Django admin": Path(django.__file__).parent / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    # These ship no Swedish and no template catalogue: their German one lists every msgid they have.
    "django-simple-history": Path(simple_history.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po",
    "django-axes": Path(axes.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po",
    "django-import-export": Path(import_export.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po",
}
# simple-history strings newer than its German catalogue.
MORE_MSGIDS = ["View history: %s", "View %s", "Close", "Changes", "Deleted %(type_name)s",
               "Press the 'Change History' button below to edit the history."]
SAME_IN_SWEDISH = {"Administration", "%(class_name)s %(instance)s", "HTTP Accept"}


def swedish(entry):
    if entry.msgid_plural:
        if entry.msgctxt:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
        return translation.ngettext(entry.msgid, entry.msgid_plural, 1)
    return translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid)


@pytest.mark.parametrize("package", list(CATALOGUES))
def test_swedish_catalogues_translate_every_admin_package_string(package):
    entries = [entry for entry in polib.pofile(str(CATALOGUES[package])) if not entry.obsolete and entry.msgid]
    if package == "django-simple-history":
        entries += [polib.POEntry(msgid=msgid) for msgid in MORE_MSGIDS]
    with translation.override("sv"):
        untranslated = [e.msgid for e in entries if swedish(e) == e.msgid and e.msgid not in SAME_IN_SWEDISH]
    assert untranslated == []


def test_admin_javascript_is_translated_to_swedish():
    """The calendar and time pickers ("Today", "Now", "Choose a time") come from Django's djangojs catalogue."""
    po = polib.pofile(str(Path(django.__file__).parent / "contrib/admin/locale/sv/LC_MESSAGES/djangojs.po"))
    assert [entry.msgid for entry in po.untranslated_entries()] == []


def test_our_swedish_catalogue_has_no_gaps():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()] == []


def test_admin_pages_of_an_actor_editor_have_no_english(client, programme):
    client.force_login(actor_editor(programme["organisation"]))
    session = programme["session"]
    found = {}
    for url in ["/admin/", "/admin/events/session/", "/admin/events/session/add/",
                f"/admin/events/session/{session.pk}/change/", f"/admin/events/session/{session.pk}/history/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        if english_on(response.content.decode()):
            found[url] = english_on(response.content.decode())
    assert found == {}
