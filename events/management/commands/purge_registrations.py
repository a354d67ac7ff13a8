"""Delete registrants' personal data once an edition's retention has passed (deploy/siv-purge-registrations.timer,
nightly).

An edition's registrations are deleted Edition.registration_retention_days (default 90) after its last day. First
the report's figures are written to RegistrationTotals (counts only: registrations, attendance, no-shows per
session, per municipality and audience, unique participants), so the report of an earlier edition still works.
Registrations have no history table; backups hold them until the backups are pruned, 30 days later.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from events import registrations


def day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ett datum som ÅÅÅÅ-MM-DD: {value!r}") from error


class Command(BaseCommand):
    help = "Raderar anmäldas personuppgifter när upplagans sparandetid har gått ut, efter att siffrorna sparats."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=day, default=None, help="Räkna som om det vore den här dagen.")

    def handle(self, *args, today=None, **options):
        done = registrations.purge_due(today=today)
        for edition, totals in done:
            self.stdout.write(f"{edition.year}: sparade siffrorna och raderade {totals['registrations']} anmälningar.")
        if not done:
            self.stdout.write("Inga anmälningar att radera.")
