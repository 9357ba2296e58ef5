"""The admin site's title, and translated names for the models and apps it lists.

The names of the established apps' models are set here, at start-up, rather than in each
model's Meta: a Meta option would need a migration in every one of those apps for a change no
table sees (Django's migration state reads only the options written in Meta). New models name
themselves in their Meta with gettext_lazy; a model named here and in its Meta keeps this name.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _model(singular: str, plural: str) -> tuple:
    # A context of their own: "projects" elsewhere is a count word (3 个项目), not a table.
    return pgettext_lazy("model name", singular), pgettext_lazy("model name", plural)


admin.site.site_header = _("InvestPromo administration")
admin.site.site_title = _("InvestPromo administration")
admin.site.index_title = _("Records")

APP_NAMES = {
    "accounts": _("Accounts"),
    "core": _("Change log"),
    "events": _("Events"),
    "followup": _("Follow-through"),
    "geo": _("Regions"),
    "jobs": _("Background jobs"),
    "orgs": _("Organisations"),
    "projects": _("Projects"),
    "sectors": _("Industries"),
}

MODEL_NAMES = {
    "core.changelog": _model("change-log entry", "change-log entries"),
    "events.event": _model("event", "events"),
    "events.participant": _model("event participant", "event participants"),
    "followup.progressstep": _model("progress step", "progress steps"),
    "followup.evidence": _model("evidence file", "evidence files"),
    "followup.overduethresholds": _model("overdue thresholds", "overdue thresholds"),
    "followup.snapshot": _model("snapshot", "snapshots"),
    "followup.projectstate": _model("project state", "project states"),
    "geo.region": _model("region", "regions"),
    "jobs.storedfile": _model("stored file", "stored files"),
    "jobs.storedfilechunk": _model("stored file part", "stored file parts"),
    "jobs.job": _model("job", "jobs"),
    "orgs.organisation": _model("organisation", "organisations"),
    "projects.exchangerate": _model("exchange rate", "exchange rates"),
    "projects.project": _model("project", "projects"),
    "sectors.industrycategory": _model("industry category", "industry categories"),
    "sectors.seiindustry": _model("strategic emerging industry", "strategic emerging industries"),
    "sectors.seiclassmapping": _model("SEI class mapping", "SEI class mappings"),
}


def name_models_and_apps() -> None:
    """Give the listed apps and models their translated names (idempotent)."""
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for label, (singular, plural) in MODEL_NAMES.items():
        try:
            meta = apps.get_model(label)._meta
        except LookupError:  # a model since removed: nothing to name
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural


name_models_and_apps()


class AccountAdmin(UserAdmin):
    """Accounts, read-only here: they change on 用户管理 (/users/) or with `investpromo user`,
    through the services that audit them and keep the last administrator. The admin's own
    password form stays (a new password still ends the user's API token)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)
