"""django-import-export ships no Swedish: locale/sv/ gives its admin screens (import, export, errors) Swedish text.

The sv catalogue holds only import-export's msgids; the project's own strings are written in Swedish already.
"""

import csv
import io
import re
from collections import Counter
from pathlib import Path

import import_export
import polib
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from events.models import Session
from tests.factories import OrganisationFactory, VenueFactory

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
PACKAGE_PO = Path(import_export.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
DOCS = Path(settings.BASE_DIR) / "docs" / "import"
CHANGELIST = "/admin/events/session/"
IMPORT = "/admin/events/session/import/"
PROCESS = "/admin/events/session/process_import/"
EXPORT = "/admin/events/session/export/"

# %(name)s, %s, %d, {} and {name}, and HTML tags: each must survive translation unchanged.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "x"))
    return client


def upload(client, data, name, format_):
    return client.post(IMPORT, {"resource": "0", "format": format_,
                                "import_file": SimpleUploadedFile(name, data)})


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


# The catalogue


def test_sv_is_in_the_locale_paths():
    assert Path(settings.BASE_DIR) / "locale" in [Path(p) for p in settings.LOCALE_PATHS]


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(PO))
    assert po.metadata["Language"] == "sv"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert missing == []
    assert [e.msgid for e in po.obsolete_entries()] == []


# The admin block (issue 15) adds the other admin packages' Swedish and a few corrections of Swedish wording.
OTHER_SOURCES = ("simple_history/", "axes/", "django/", "events/")


def test_catalogue_holds_exactly_import_exports_msgids():
    """Nothing of the project's own (Swedish) strings, and nothing of import-export's left out."""
    ours = {
        (e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(PO))
        if not any(path.startswith(OTHER_SOURCES) for path, _line in e.occurrences)
    }
    theirs = {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(PACKAGE_PO)) if not e.obsolete}
    assert ours == theirs


def test_every_translation_keeps_the_placeholders():
    changed = []
    for e in polib.pofile(str(PO)):
        if e.msgid_plural:
            pairs = [(e.msgid if n == 0 else e.msgid_plural, s) for n, s in sorted(e.msgstr_plural.items())]
        else:
            pairs = [(e.msgid, e.msgstr)]
        changed += [(msgid, msgstr) for msgid, msgstr in pairs if placeholders(msgid) != placeholders(msgstr)]
    assert changed == []


def test_placeholder_pattern_sees_every_kind():
    found = placeholders("%(len)s %s {} {} {name} <b>x</b>")
    assert found == Counter({"%(len)s": 1, "%s": 1, "{}": 2, "{name}": 1, "<b>": 1, "</b>": 1})


def translated(language, msgid, plural=None, n=1):
    """Looked up through a variable, so that makemessages does not take these msgids into locale/en/."""
    with translation.override(language):
        return translation.ngettext(msgid, plural, n) if plural else translation.gettext(msgid)


def test_swedish_only_for_swedish():
    assert translated("sv", "File to import") == "Fil att importera"
    one, many = "Export %(len)s selected item.", "Export %(len)s selected items."
    assert translated("sv", one, many, 2) == "Exportera %(len)s markerade objekt."
    assert translated("sv", one, many, 1) == "Exportera %(len)s markerat objekt."
    # Django's own Swedish for the strings import-export shares with the admin is kept
    assert (translated("sv", "Delete"), translated("sv", "Home")) == ("Radera", "Hem")
    # the project's own strings are Swedish source text and stay as they are
    assert translated("sv", "Raderade programpunkter") == "Raderade programpunkter"
    assert translated("en", "File to import") == "File to import"
    assert translated("en", "Raderade programpunkter") == "Deleted sessions"


# Through the admin


@pytest.mark.django_db
def test_change_list_import_and_export_buttons_are_swedish(admin_client, edition):
    page = admin_client.get(CHANGELIST).content.decode()
    assert 'class="import_link">Importera</a>' in page
    assert 'class="export_link">Exportera</a>' in page
    assert ">Import</a>" not in page and ">Export</a>" not in page


@pytest.mark.django_db
def test_import_page_is_swedish(admin_client, edition):
    response = admin_client.get(IMPORT)
    assert response.status_code == 200
    page = response.content.decode()
    for swedish in ["Fil att importera:</label>", "Filformat:</label>", "Följande fält importeras:", "Importera",
                    ">Hem</a>", 'value="Förhandsgranska"']:
        assert swedish in page, swedish
    for english in ["File to import", "Format:</label>", "This importer will import", ">Home</a>", "Submit"]:
        assert english not in page, english
    assert re.search(r"&rsaquo;\s*Importera\s*</div>", page)


@pytest.mark.django_db
def test_export_page_is_swedish(admin_client, edition):
    page = admin_client.get(EXPORT).content.decode()
    for swedish in ["Filformat:</label>", "Följande fält exporteras:", "Markera alla", 'value="Skicka"']:
        assert swedish in page, swedish
    for english in ["Format:</label>", "This exporter will export", "Select all", 'value="Submit"']:
        assert english not in page, english


@pytest.mark.django_db
def test_unreadable_file_has_a_swedish_error(admin_client, edition):
    page = upload(admin_client, b"this is not a spreadsheet", "program.xlsx", "1").content.decode()
    assert "Filen är ingen Excel-arbetsbok (.xlsx). Är det en CSV-fil, välj formatet csv" in page
    assert "encountered while trying to read file" not in page
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_file_without_rows_has_a_swedish_error(admin_client, edition):
    header = (DOCS / "programpunkter-mall.csv").read_bytes()
    page = upload(admin_client, header, "tom.csv", "0").content.decode()
    assert "Filen har inga rader under rubrikraden." in page
    assert "No valid data to import" not in page


@pytest.mark.django_db
def test_finished_import_says_so_in_swedish(admin_client, edition):
    VenueFactory(name="MITC")
    OrganisationFactory(name="MITC")
    header = (DOCS / "programpunkter-mall.csv").read_text(encoding="utf-8").strip().split(",")
    values = {"upplaga": "2026", "rubrik": "Frukostmöte", "datum": "2026-11-10", "börjar": "08:30",
              "slutar": "10:00", "form": "plats", "plats": "MITC", "arrangörer": "MITC"}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([values.get(column, "") for column in header])
    preview = upload(admin_client, out.getvalue().encode("utf-8"), "program.csv", "0")
    confirm = preview.context["confirm_form"]
    response = admin_client.post(PROCESS, {name: confirm[name].value() for name in confirm.fields})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Importen är klar: 1 nya, 0 uppdaterade, 0 raderade och 0 överhoppade programpunkter."
    ]
