"""The web application's pages."""

from django.urls import include, path

from investpromo.jobs.models import Job
from investpromo.web.views import (
    accounts,
    dashboard,
    event_forms,
    events,
    followup,
    imports,
    lookups,
    password,
    places,
    portal,
    projects,
    snapshots,
    users,
)

app_name = "web"
PROGRESS = {"kind": Job.Kind.PROGRESS_IMPORT}

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("events/", events.event_list, name="event_list"),
    # Before the event's own page: "new" is no event's slug (the events service refuses it).
    path("events/new/", event_forms.event_create, name="event_create"),
    path("events/<slug:slug>/", events.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", event_forms.event_edit, name="event_edit"),
    path("events/<slug:slug>/bulletin.docx", events.event_bulletin_docx, name="event_bulletin"),
    path("events/<slug:slug>/snapshots/", snapshots.snapshot_create, name="snapshot_create"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/export.xlsx", projects.project_export, name="project_export"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", projects.project_delete, name="project_delete"),
    path("projects/<int:pk>/progress/", followup.record_step, name="record_step"),
    path("orgs/<int:pk>/", places.organisation_detail, name="organisation_detail"),
    # A participant's personal page: its link is its key (no account, no sign-in).
    path("portal/<str:token>/", portal.portal_page, name="portal"),
    path("regions/<str:code>/", places.region_detail, name="region_detail"),
    path("imports/", imports.import_index, name="import_index"),
    path("imports/template.xlsx", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/problems.csv", imports.import_problems, name="import_problems"),
    path("followup/overdue/", followup.overdue, name="overdue"),
    path("followup/overdue/export.xlsx", followup.overdue_export, name="overdue_export"),
    path("followup/overdue/thresholds/", followup.thresholds_edit, name="thresholds_edit"),
    path("followup/evidence/<int:pk>/", followup.evidence_download, name="evidence_download"),
    path("followup/snapshots/<int:pk>/", snapshots.snapshot_detail, name="snapshot_detail"),
    # Progress reports: the signing-list upload views, for the other kind of file.
    path("followup/imports/", imports.import_index, PROGRESS, name="progress_import_index"),
    path(
        "followup/imports/template.xlsx",
        imports.import_template,
        PROGRESS,
        name="progress_import_template",
    ),
    path(
        "followup/imports/<int:pk>/",
        imports.import_detail,
        PROGRESS,
        name="progress_import_detail",
    ),
    path(
        "followup/imports/<int:pk>/progress/",
        imports.import_progress,
        PROGRESS,
        name="progress_import_progress",
    ),
    path(
        "followup/imports/<int:pk>/confirm/",
        imports.import_confirm,
        PROGRESS,
        name="progress_import_confirm",
    ),
    path(
        "followup/imports/<int:pk>/problems.csv",
        imports.import_problems,
        PROGRESS,
        name="progress_import_problems",
    ),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password/", users.user_password, name="user_password"),
    path("lookup/regions/", lookups.region_lookup, name="region_lookup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password/", password.password_change, name="password_change"),
    # Django's set_language: the switch must work on the login page too, so it needs no login.
    path("i18n/", include("django.conf.urls.i18n")),
]
