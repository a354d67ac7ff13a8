"""Two browser tabs, one object: the second save must not silently undo the first.

An admin form carries, in a hidden field, a short fingerprint of each of its fields as stored when the form was
loaded. On submit the stored values are read again; if a field someone else changed meanwhile would be
overwritten with a different value, nothing is saved. The form comes back with the editor's own input and, per
field, what is stored now and what they wrote. The fingerprints are then brought up to date, so submitting again
saves (the editor has seen the other change). A form re-shown for any other reason keeps the fingerprints it was
loaded with, so the check survives confirmation steps.
"""

import hashlib
import json

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext

VERSION_FIELD = "version"
SHOWN_CHARACTERS = 200


def _normal(model_field, value):
    """One comparable value per field, whether it comes from the database or from cleaned_data."""
    if model_field.many_to_many:
        return sorted(getattr(item, "pk", item) for item in (value or ()))
    if model_field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _fingerprint(value):
    text = json.dumps(value, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _shown(model_field, value):
    """A stored or submitted value as an editor reads it."""
    if model_field.many_to_many:
        items = list(value or ())
        return ", ".join(str(item) for item in items) or gettext("(tomt)")
    if value in (None, ""):
        return gettext("(tomt)")
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if model_field.choices and not model_field.is_relation:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    text = str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + " …"


class EditConflictForm(forms.ModelForm):
    """Base for admin model forms. The admin must list VERSION_FIELD in its fields or fieldsets."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            # Read from the database, not the instance: a history revert form holds an old version.
            self.initial[VERSION_FIELD] = json.dumps(self._stored_fingerprints(), sort_keys=True)

    def _model_fields(self):
        opts = self._meta.model._meta
        names = [name for name in self.fields if name != VERSION_FIELD]
        return [opts.get_field(name) for name in names if name in {f.name for f in opts.get_fields()}]

    def _stored(self):
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if stored is None:
            return None, {}
        values = {}
        for field in self._model_fields():
            if field.many_to_many:
                values[field.name] = list(getattr(stored, field.name).all())
            else:
                values[field.name] = getattr(stored, field.name)
        return stored, values

    def _stored_fingerprints(self):
        values = self._stored()[1]
        fields = {field.name: field for field in self._model_fields()}
        return {name: _fingerprint(_normal(fields[name], value)) for name, value in values.items()}

    def clean(self):
        cleaned_data = super().clean()
        loaded = self._loaded_fingerprints()
        if loaded is None or self.instance.pk is None:
            return cleaned_data
        stored, values = self._stored()
        if stored is None:
            return cleaned_data
        changes = []
        for field in self._model_fields():
            now = _normal(field, values[field.name])
            if loaded.get(field.name) == _fingerprint(now) or field.name not in cleaned_data:
                continue
            mine = cleaned_data[field.name]
            if _normal(field, mine) == now:
                continue  # someone else made the same change
            changes.append(
                gettext("%(field)s – Sparat nu: %(stored)s / Ditt värde: %(mine)s") % {
                    "field": str(self.fields[field.name].label or field.verbose_name).capitalize(),
                    "stored": _shown(field, values[field.name]),
                    "mine": _shown(field, mine),
                }
            )
        if changes:
            self.add_error(None, [
                gettext(
                    "Någon annan har sparat ändringar sedan du öppnade sidan. Ingenting är sparat. Jämför och "
                    "spara igen om ditt värde ska gälla:"
                ),
                *changes,
            ])
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = json.dumps(self._stored_fingerprints(), sort_keys=True)
        return cleaned_data

    def _loaded_fingerprints(self):
        raw = self.data.get(self.add_prefix(VERSION_FIELD)) or ""
        try:
            loaded = json.loads(raw)
        except ValueError:
            return None
        return loaded if isinstance(loaded, dict) else None



class EditConflictAdminMixin:
    """For a ModelAdmin whose form is an EditConflictForm: the hidden version field goes only on pages that can
    save (a view-only page would list it as an empty read-only row)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != VERSION_FIELD]})
            for name, options in fieldsets
        ]
