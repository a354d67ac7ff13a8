import pytest
from django.core.management import call_command

from events.models import Edition, Session
from organisers.models import Contact, Organisation


def snapshot():
    return (
        Edition.objects.count(),
        sorted(Session.objects.values_list("edition__year", "slug", "status", "start")),
        Organisation.objects.count(),
        Contact.objects.count(),
    )


@pytest.mark.django_db
def test_demo_programme_is_idempotent():
    call_command("demo_programme", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("demo_programme", stdout=open("/dev/null", "w"))
    assert snapshot() == first


@pytest.mark.django_db
def test_demo_programme_covers_the_week_the_county_and_every_format():
    call_command("demo_programme", "--year", "2026", stdout=open("/dev/null", "w"))
    edition = Edition.objects.get(year=2026)
    sessions = Session.objects.in_edition(edition)
    assert 35 <= sessions.count() <= 45
    assert set(sessions.values_list("format", flat=True)) == set(Session.Format.values)
    assert sessions.filter(status=Session.Status.CANCELLED).count() == 1
    assert sessions.filter(status=Session.Status.DRAFT).count() == 1
    assert sessions.values("venue__municipality").exclude(venue=None).distinct().count() == 9
    assert sessions.values("themes").distinct().count() == 4
    weekdays = {s.local_start.isoweekday() for s in sessions}
    assert weekdays == {1, 2, 3, 4, 5}
    assert Edition.objects.get(year=2025).sessions.exists()
    assert edition.is_sample


@pytest.mark.django_db
def test_demo_programme_scales_for_benchmarks():
    call_command("demo_programme", "--year", "2026", "--sessions", "300", stdout=open("/dev/null", "w"))
    assert Session.objects.filter(edition__year=2026).count() == 300
