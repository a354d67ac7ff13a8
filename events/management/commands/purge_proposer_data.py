"""Delete proposers' personal data a stated time after the week (events/retention.py has the rule).

Run nightly by deploy/siv-clean-my-programmes.service, beside clean_my_programmes. Idempotent.
"""

from django.core.management.base import BaseCommand

from events.management.commands.clean_my_programmes import positive_days
from events.retention import proposal_counts, purge, retention_days


class Command(BaseCommand):
    help = "Raderar förslagsställarnas namn, e-post och samtycke en viss tid efter veckan (standard 90 dagar)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=positive_days, default=None,
            help="Antal dagar efter veckans sista dag (standard SIV_PROPOSER_RETENTION_DAYS, 90).",
        )

    def handle(self, *args, days, **options):
        days = retention_days() if days is None else days
        sessions, history = purge(days=days)
        self.stdout.write(
            f"Raderade förslagsställarens uppgifter i {sessions} förslag och {history} historikrader "
            f"(upplagor som slutade för mer än {days} dagar sedan)."
        )
        for year, counts in proposal_counts().items():
            self.stdout.write(
                f"{year}: {counts['received']} förslag, {counts['accepted']} godkända, {counts['declined']} avböjda, "
                f"{counts['withdrawn']} återtagna, {counts['waiting']} väntar."
            )
