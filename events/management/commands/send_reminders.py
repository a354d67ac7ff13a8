"""Queue the day-before reminders that are due (deploy/siv-send-reminders.timer runs it every 15 minutes).

A registration with a place at a session tomorrow (Europe/Stockholm) is reminded once the edition's reminder time
(Edition.reminder_time, default 09:00) of today has come. Idempotent: each registration's reminded_at is set in
the same transaction as its e-mail is queued, so running it again, or two at once, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from events import registrations


class Command(BaseCommand):
    help = "Köar påminnelser dagen före till dem som har en plats (se modulens beskrivning)."

    def handle(self, *args, **options):
        sent = registrations.send_reminders()
        self.stdout.write(f"Köade {sent} påminnelser.")
