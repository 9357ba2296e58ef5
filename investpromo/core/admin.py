"""Admin for the change log (read-only) and the base that routes admin writes through services."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from investpromo.core.errors import UserError
from investpromo.core.models import ChangeLog


def _nothing_deleted(error: UserError) -> str:
    return _("%(reason)s; nothing was deleted.") % {"reason": error}


class _Refused(Exception):
    """A service refused an admin save: raised through the admin's transaction to undo it."""

    def __init__(self, error: UserError):
        super().__init__(str(error))
        self.error = error


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes go through the app's services (and so are audited)."""

    def create_via_service(self, request, obj, form):  # pragma: no cover - abstract
        raise NotImplementedError

    def update_via_service(self, request, obj, form, changes):  # pragma: no cover - abstract
        raise NotImplementedError

    def delete_via_service(self, request, obj):  # pragma: no cover - abstract
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        try:
            if change:
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                fresh = type(obj).objects.get(pk=obj.pk)
                self.update_via_service(request, fresh, form, changes)
            else:
                saved = self.create_via_service(request, obj, form)
                obj.pk = saved.pk
        except UserError as error:
            # Out of the admin's transaction: no "added successfully", no log entry for a
            # record that was never saved.
            raise _Refused(error) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            self.message_user(
                request,
                _("%(reason)s; nothing was saved.") % {"reason": refused.error},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request, form, formsets, change):
        # Related objects are saved by the services; many-to-many fields are not edited here.
        pass

    def response_action(self, request, queryset):
        # Every action on the selected records ("delete selected" or our own) is one
        # transaction: a service refusing one record rolls back those done before it.
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except UserError as error:
            if request.POST.get("action") == "delete_selected":
                message = _nothing_deleted(error)
            else:
                message = _("%(reason)s; nothing was changed.") % {"reason": error}
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request, obj):
        self.delete_via_service(request, obj)

    def delete_queryset(self, request, queryset):
        # Each record through its service (which audits it); the caller's transaction makes the
        # whole selection one change.
        for obj in queryset:
            self.delete_via_service(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except UserError as error:
            # Django's delete view runs in a transaction: the refusal left nothing changed.
            self.message_user(request, _nothing_deleted(error), messages.ERROR)
            meta = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])
            )


@admin.register(ChangeLog)
class ChangeLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "content_type", "object_repr", "source"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_label", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
