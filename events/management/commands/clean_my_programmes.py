"""Delete visitors' "Mitt program" lists that nobody uses any more (deploy/siv-clean-my-programmes.timer runs it).

The rule, which the privacy note (/siv/integritet/) tells visitors:

* A list is deleted when it has not been changed for 400 days (about 13 months; --days overrides). A list is
  about one November's week, and a visitor who keeps using it changes it: every star, unstar and new address
  sets MyProgramme.updated. Reading the page or the calendar feed does not count, so a calendar that only
  subscribes stops getting the list a year after the week, when there is nothing left to update in it.
  13 months rather than 12, so that a list made for one week survives until next year's programme is out.
* An empty list (no sessions) is deleted when it has not been changed for 30 days (--empty-days): it was made by
  a star and then emptied, and holds nothing worth a link. Counted from the last change, not from its creation,
  so a list emptied yesterday is not deleted tonight.

Deleting a list removes its links to the sessions, never the sessions. It does not change the public content
version (innovationsvecka/content.py watches only public models), so no page cache is emptied. The list's page and feed
answer 404 afterwards, as for any unknown token.

The cost does not grow with the number of lists: one query counts them and two DELETEs, each with the rule as a
subquery, remove first the links and then the lists, in one transaction (no rows are loaded into Python, no
signals are sent). A visitor who changes a stale list in the instant between the two DELETEs keeps the list but
only the new star; for a list untouched for over a year that is a risk worth no lock.

Backups (make backup) hold the lists too; those copies go when the backups are pruned, after 30 days.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events.models import MyProgramme, MyProgrammeQuerySet
from events.my_programme import purge_deleted


def positive_days(value):
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise CommandError(f"Antal dagar måste vara ett heltal, 1 eller mer: {value!r}")
    return days


class Command(BaseCommand):
    help = "Raderar listor i Mitt program som inte har ändrats på länge (se modulens beskrivning för regeln)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=positive_days, default=MyProgrammeQuerySet.RETENTION_DAYS,
            help=f"Radera listor som inte har ändrats på så här många dagar "
                 f"(standard {MyProgrammeQuerySet.RETENTION_DAYS}, ungefär 13 månader).",
        )  # fmt: skip
        parser.add_argument(
            "--empty-days", type=positive_days, default=MyProgrammeQuerySet.EMPTY_RETENTION_DAYS,
            help=f"Radera tomma listor som inte har ändrats på så här många dagar "
                 f"(standard {MyProgrammeQuerySet.EMPTY_RETENTION_DAYS}).",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="Räkna bara; radera ingenting.")

    def handle(self, *args, days, empty_days, dry_run, **options):
        stale = MyProgramme.objects.stale(timezone.now(), days=days, empty_days=empty_days)
        if dry_run:
            self.stdout.write(f"Skulle radera {stale.count()} listor i Mitt program (inget raderat).")
            return
        with transaction.atomic():
            count = delete_stale(stale)
            purged = purge_deleted()
        self.stdout.write(f"Raderade {count} listor i Mitt program.")
        if purged:
            self.stdout.write(f"Tog bort {purged} listor som besökare raderat för mer än tio minuter sedan.")


def delete_stale(stale):
    """Delete the lists in `stale` and their links to sessions in two queries, whatever their number.

    QuerySet.delete() would load every list and delete them a hundred at a time. The links have nothing that
    depends on them, so their delete() is a single DELETE already; the lists are then deleted by _raw_delete(),
    Django's own single-DELETE path, which is safe because nothing else refers to a list.
    """
    links = MyProgramme.sessions.through.objects.filter(myprogramme__in=stale.values("pk"))
    links.delete()
    return stale._raw_delete(stale.db)
