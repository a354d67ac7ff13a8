"""Who may do what in the admin.

Two groups are made by a data migration (organisers/migrations): "Programredaktör" edits everything, and
"Aktörsredaktör" is tied to organisations through Organisation.editors. An actor editor sees and edits only
those organisations' sessions and contacts, and may submit sessions as proposals, never publish them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

PROGRAMME_EDITORS = "Programredaktör"
ACTOR_EDITORS = "Aktörsredaktör"


def is_actor_editor(user):
    """True for a user who is limited to their own organisations (cached on the user for the request)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    cached = getattr(user, "_siv_actor_editor", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = ACTOR_EDITORS in names and PROGRAMME_EDITORS not in names
        user._siv_actor_editor = cached
    return cached


def own_organisation_ids(user):
    cached = getattr(user, "_siv_organisation_ids", None)
    if cached is None:
        cached = frozenset(user.edited_organisations.values_list("pk", flat=True))
        user._siv_organisation_ids = cached
    return cached


class RevertNeedsChangeMixin:
    """simple-history's revert page saves on POST after checking only the right to view; ask for the right to
    change the current object as well (a deleted object is brought back through its own restore view)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_queryset(request).filter(pk=object_id).first()
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class OrganisationScopedAdminMixin(RevertNeedsChangeMixin):
    """Limits an admin to the actor editor's own organisations.

    organisation_lookup is the path from the model to Organisation's pk: "pk" for Organisation itself,
    "organisation" for Contact.
    """

    organisation_lookup = "organisation"

    def _organisation_id_of(self, obj):
        return obj.pk if self.organisation_lookup == "pk" else getattr(obj, f"{self.organisation_lookup}_id")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_actor_editor(request.user):
            key = "pk__in" if self.organisation_lookup == "pk" else f"{self.organisation_lookup}__in"
            queryset = queryset.filter(Q(**{key: own_organisation_ids(request.user)}))
        return queryset

    def _allowed(self, request, obj):
        if obj is None or not is_actor_editor(request.user):
            return True
        return self._organisation_id_of(obj) in own_organisation_ids(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and is_actor_editor(request.user):
            from organisers.models import Organisation

            kwargs["queryset"] = Organisation.objects.filter(pk__in=own_organisation_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
