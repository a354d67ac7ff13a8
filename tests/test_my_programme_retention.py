"""Old "Mitt program" lists are deleted by `manage.py clean_my_programmes`, as the privacy note promises."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import MyProgramme, Session
from innovationsvecka import content
from tests.factories import SessionFactory

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def make_list(sessions=(), days_unchanged=0):
    """A list with these sessions, last changed this many days ago (updated is auto_now, so set it afterwards)."""
    programme = MyProgramme.objects.create()
    programme.sessions.set(sessions)
    when = timezone.now() - datetime.timedelta(days=days_unchanged)
    MyProgramme.objects.filter(pk=programme.pk).update(created=when, updated=when)
    return programme


def clean(*args):
    out = io.StringIO()
    call_command("clean_my_programmes", *args, stdout=out)
    return out.getvalue()


def remaining():
    return set(MyProgramme.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_lists_unchanged_for_13_months_and_empty_lists_unchanged_for_30_days_go(edition):
    session = SessionFactory(edition=edition)
    idle = make_list([session], days_unchanged=401)
    kept_a_year = make_list([session], days_unchanged=399)
    empty_idle = make_list([], days_unchanged=31)
    empty_recent = make_list([], days_unchanged=29)
    new_empty = make_list([])
    quiet_but_full = make_list([session], days_unchanged=31)

    assert set(MyProgramme.objects.stale(timezone.now()).values_list("pk", flat=True)) == {idle.pk, empty_idle.pk}
    assert clean() == "Raderade 2 listor i Mitt program.\n"
    assert remaining() == {kept_a_year.pk, empty_recent.pk, new_empty.pk, quiet_but_full.pk}
    # The session stays, and so do the other lists' links to it; only the deleted list's links went.
    assert Session.objects.filter(pk=session.pk).exists()
    assert set(session.starred_in.values_list("pk", flat=True)) == {kept_a_year.pk, quiet_but_full.pk}
    assert not MyProgramme.sessions.through.objects.filter(myprogramme_id=idle.pk).exists()
    assert clean() == "Raderade 0 listor i Mitt program.\n"


@pytest.mark.django_db
def test_empty_is_counted_from_the_last_change_not_from_creation(edition):
    """A list made two months ago and emptied yesterday is not deleted tonight."""
    programme = make_list([], days_unchanged=60)
    MyProgramme.objects.filter(pk=programme.pk).update(updated=timezone.now() - datetime.timedelta(days=1))
    clean()
    assert remaining() == {programme.pk}


@pytest.mark.django_db
def test_starring_an_old_list_keeps_it(client, edition):
    session = SessionFactory(edition=edition)
    client.post("/siv/mitt-program/stjarna/", {"session": session.pk, "action": "add", "next": "/siv/"},
                headers={"Sec-Fetch-Site": "same-origin"})  # fmt: skip
    programme = MyProgramme.objects.get()
    MyProgramme.objects.update(updated=timezone.now() - datetime.timedelta(days=500))
    client.post("/siv/mitt-program/stjarna/", {"session": session.pk, "action": "remove", "next": "/siv/"},
                headers={"Sec-Fetch-Site": "same-origin"})  # fmt: skip
    clean()  # now empty, but changed just now
    assert remaining() == {programme.pk}


@pytest.mark.django_db
def test_days_and_empty_days_override_the_defaults(edition):
    session = SessionFactory(edition=edition)
    month_old = make_list([session], days_unchanged=31)
    empty_week_old = make_list([], days_unchanged=8)
    assert clean("--days", "30") == "Raderade 1 listor i Mitt program.\n"
    assert remaining() == {empty_week_old.pk}
    assert month_old.pk not in remaining()
    clean("--empty-days", "7")
    assert remaining() == set()


@pytest.mark.parametrize("value", ["0", "-5", "tretton"])
@pytest.mark.django_db
def test_days_must_be_a_positive_whole_number(value):
    make_list([], days_unchanged=1000)
    with pytest.raises(CommandError):
        call_command("clean_my_programmes", "--days", value, stdout=io.StringIO())
    assert MyProgramme.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_only_counts(edition):
    make_list([SessionFactory(edition=edition)], days_unchanged=401)
    make_list([], days_unchanged=31)
    make_list([], days_unchanged=1)
    assert clean("--dry-run") == "Skulle radera 2 listor i Mitt program (inget raderat).\n"
    assert MyProgramme.objects.count() == 3


@pytest.mark.django_db
def test_a_deleted_lists_page_feed_and_qr_code_answer_404(client, edition):
    programme = make_list([SessionFactory(edition=edition)], days_unchanged=401)
    urls = [f"/siv/mitt-program/{programme.token}/", f"/siv/mitt-program/{programme.token}.ics",
            f"/siv/mitt-program/{programme.token}/qr.svg", f"/en/siv/mitt-program/{programme.token}/"]  # fmt: skip
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 200]
    clean()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]


@pytest.mark.django_db
def test_deleting_lists_leaves_the_public_content_version_alone(client, edition):
    make_list([SessionFactory(edition=edition)], days_unchanged=401)
    make_list([], days_unchanged=31)
    assert client.get("/siv/2026/").status_code == 200  # a cached public page
    version, from_database = content.content_version(), content._state_from_database()
    assert clean() == "Raderade 2 listor i Mitt program.\n"
    assert content.content_version() == version
    assert content._state_from_database() == from_database  # also after the cache is lost


@pytest.mark.parametrize("lists", [3, 30])
@pytest.mark.django_db
def test_cleaning_costs_the_same_few_queries_for_3_or_30_lists(edition, lists, django_assert_num_queries):
    sessions = SessionFactory.create_batch(3, edition=edition)
    for number in range(lists):
        make_list(sessions if number % 2 else [], days_unchanged=401)
    keep = make_list(sessions)
    # Savepoint, delete the links, delete the lists, the same two for lists visitors deleted over 10 minutes ago
    # (events.my_programme.purge_deleted), release the savepoint (the test's own transaction is outside).
    with django_assert_num_queries(6):
        assert clean() == f"Raderade {lists} listor i Mitt program.\n"
    with django_assert_num_queries(1):
        clean("--dry-run")
    assert remaining() == {keep.pk}
    assert MyProgramme.sessions.through.objects.count() == 3


def test_nothing_but_the_link_table_refers_to_a_list():
    """The command deletes lists with one raw DELETE, skipping Django's cascade: that is only safe while the
    links to sessions (which it deletes first) are the only rows that point at a list."""
    pointing = {rel.related_model for rel in MyProgramme._meta.get_fields(include_hidden=True) if rel.is_relation
                and rel.auto_created and not rel.concrete}  # fmt: skip
    assert pointing == {MyProgramme.sessions.through}


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/siv/integritet/", "En lista som ingen har ändrat på 13 månader raderas automatiskt, en tom lista redan "
                             "efter 30 dagar."),
        ("/en/siv/integritet/", "A list that nobody has changed for 13 months is deleted automatically, an empty "
                                "list after 30 days."),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_privacy_note_says_how_long_a_list_is_kept(client, edition, url, text):
    html = client.get(url).content.decode()
    assert " ".join(text.split()) in " ".join(html.split())


@pytest.mark.django_db
def test_the_list_page_says_it_is_deleted_after_13_months(client, edition):
    programme = make_list([SessionFactory(edition=edition)])
    assert (
        "Listan raderas automatiskt om ingen har ändrat den på 13 månader."
        in client.get(f"/siv/mitt-program/{programme.token}/").content.decode()
    )
    assert (
        "The list is deleted automatically if nobody has changed it for 13 months."
        in client.get(f"/en/siv/mitt-program/{programme.token}/").content.decode()
    )


def test_a_systemd_timer_runs_the_command_nightly():
    service = (DEPLOY / "siv-clean-my-programmes.service").read_text()
    timer = (DEPLOY / "siv-clean-my-programmes.timer").read_text()
    assert "ExecStart=/srv/siv/.venv/bin/python manage.py clean_my_programmes\n" in service
    assert "Type=oneshot" in service and "EnvironmentFile=/etc/siv/env" in service
    assert "OnCalendar=*-*-* 03:45:00" in timer and "Persistent=true" in timer
