from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Innovationsveckan")

    def ready(self):
        from innovationsvecka import content

        content.connect_signals()
