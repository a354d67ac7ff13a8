"""History pages staff can read (issue 15): django-simple-history's pages, in Swedish and in the editors' terms.

A change reads "Status: Utkast → Publicerad" and "Börjar: 12 nov 17:00 → 18:00": labels instead of codes, local
times without seconds, names instead of ids, "–" instead of None. The revert page lists what a revert will change
before its button. install() puts this on every history admin (SimpleHistoryAdmin), so editions, sessions, actors
and contacts read the same.
"""

import datetime

from django.db import models
from django.db.models.signals import post_save
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "–"
SHOWN_CHARACTERS = 120


def shown_value(field, value):
    """One stored value as an editor reads it."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if getattr(field, "choices", None) and not field.is_relation:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j b H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j b Y")
    text = str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + " …"


def shown_change(field, old, new):
    """(old, new) as text; a time moved within one day shows only the new clock time ("12 nov 17:00 → 18:00")."""
    old_text, new_text = shown_value(field, old), shown_value(field, new)
    if isinstance(old, datetime.datetime) and isinstance(new, datetime.datetime):
        old_local, new_local = timezone.localtime(old), timezone.localtime(new)
        if old_local.date() == new_local.date():
            new_text = f"{new_local:%H:%M}"
    return old_text, new_text


class ReadableChanges(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return [str(item) for item in super().prepare_delta_change_value(change, value)]
        return value

    def stringify_delta_change_values(self, change, old, new):
        field = self.model._meta.get_field(change.field)
        old_text, new_text = shown_change(field, old, new)
        return conditional_escape(old_text), conditional_escape(new_text)

    def context_for_delta_changes(self, delta):
        order = {field.name: index for index, field in enumerate(self.model._meta.get_fields())}
        ordered = sorted(delta.changes, key=lambda change: order.get(change.field, len(order)))
        return super().context_for_delta_changes(type(delta)(
            changes=ordered, changed_fields=delta.changed_fields, old_record=delta.old_record,
            new_record=delta.new_record,
        ))


def get_historical_record_context_helper(self, request, historical_record):
    return ReadableChanges(self.model, historical_record)


def revert_changes(admin, request, object_id, version_id):
    """What reverting to the version would change, as (field, now, after) rows: the latest record against it."""
    history = admin.model.history.filter(**{admin.model._meta.pk.attname: object_id})
    version = history.filter(history_id=version_id).first()
    latest = history.order_by("-history_date", "-history_id").first()
    if version is None or latest is None or latest.history_id == version.history_id:
        return []
    delta = version.diff_against(latest, foreign_keys_are_objs=True)
    return ReadableChanges(admin.model, version).context_for_delta_changes(delta)


_history_form_view = SimpleHistoryAdmin.history_form_view


def history_form_view(self, request, object_id, version_id, extra_context=None):
    context = {"revert_changes": revert_changes(self, request, object_id, version_id), **(extra_context or {})}
    return _history_form_view(self, request, object_id, version_id, extra_context=context)


class OneRecordPerSave:
    """One save of an admin form (or a revert) is one history record, with the many-to-many values it saved.

    simple-history records the model's save and then every change of a many-to-many field as a row of its own, so
    a form that also changes themes, audiences and organisers made four rows. Here the save and the relations'
    changes are made without history, and the record is written once they are all in place. It is written by the
    model's post_save, sent once more for the whole save (the content version's receiver hears it too; it only
    bumps the version again in the same transaction).
    """

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        obj.skip_history_when_saving = True
        save_m2m = form.save_m2m

        def save_m2m_then_record():
            try:
                save_m2m()
            finally:
                del obj.skip_history_when_saving
            post_save.send(sender=type(obj), instance=obj, created=not change, update_fields=None, raw=False,
                           using=obj._state.db)  # fmt: skip

        form.save_m2m = save_m2m_then_record
        return obj


def install():
    SimpleHistoryAdmin.object_history_template = "admin/history/object_history.html"
    SimpleHistoryAdmin.object_history_list_template = "admin/history/object_history_list.html"
    SimpleHistoryAdmin.object_history_form_template = "admin/history/object_history_form.html"
    SimpleHistoryAdmin.get_historical_record_context_helper = get_historical_record_context_helper
    SimpleHistoryAdmin.history_form_view = history_form_view
