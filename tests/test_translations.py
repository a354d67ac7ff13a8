"""Swedish is the source language; every UI string must also exist in English."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert missing == []


@pytest.mark.parametrize("language", ["en", "sv"])  # sv: only django-import-export's strings
def test_compiled_catalogue_matches_the_source(language):
    po_path = PO.parent.parent.parent / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural) for e in mo}
    source = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural) for e in po.translated_entries()}
    assert compiled == source


@pytest.mark.django_db
def test_english_pages_use_the_english_catalogue(client, edition):
    html = client.get("/en/siv/2026/").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to content" in html
    assert "Hoppa till innehållet" not in html
