from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row: the version of everything the public can see (innovationsvecka.content).

    A table rather than a cache entry, because a cache may cull or lose it at any time, and a lost version
    would make every page and every client's ETag stale at once. It is changed in the same transaction as the
    edit, so a rolled-back edit leaves it alone.
    """

    version = models.CharField(_("version"), max_length=40)
    changed = models.DateTimeField(_("ändrad"))

    class Meta:
        verbose_name = _("innehållsversion")
        verbose_name_plural = _("innehållsversioner")

    def __str__(self):
        return self.version


from .mail import EmailAttempt, QueuedEmail  # noqa: E402, F401  the e-mail queue's admin names (issue 16)
