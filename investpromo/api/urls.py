"""The API's routes, its schema and its documentation."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from investpromo.api.docs import RedocView, SchemaView, SwaggerView
from investpromo.api.views.auth import MeView, TokenView, UserTokenView
from investpromo.api.views.base import not_found
from investpromo.api.views.events import EventViewSet
from investpromo.api.views.followup import (
    EventFollowthroughView,
    EventSnapshotsView,
    EvidenceDownloadView,
    OverdueView,
    ProgressImportView,
    ProgressStepView,
    ProjectProgressView,
    SnapshotDetailView,
    ThresholdsView,
)
from investpromo.api.views.imports import EventImportView
from investpromo.api.views.jobs import JobView
from investpromo.api.views.matchmaking import EventMatchWeightsView, EventRecommendationsView
from investpromo.api.views.orgs import OrganisationViewSet
from investpromo.api.views.participants import (
    EventMeetingOverviewView,
    EventMeetingRequestsView,
    EventParticipantsView,
    MeetingRequestView,
    ParticipantContactsView,
    ParticipantReviewView,
    ParticipantView,
    ProjectMeetingsView,
)
from investpromo.api.views.projects import ProjectViewSet
from investpromo.api.views.rates import ExchangeRateViewSet
from investpromo.api.views.reference import (
    IndustryCategoryViewSet,
    RegionViewSet,
    SEIIndustryViewSet,
)

app_name = "api"

# SimpleRouter: no format-suffix routes, so a "." in a slug or code reaches the view.
router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("industries", IndustryCategoryViewSet, basename="industry")
router.register("sei-industries", SEIIndustryViewSet, basename="sei-industry")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("events", EventViewSet, basename="event")
router.register("projects", ProjectViewSet, basename="project")
router.register("rates", ExchangeRateViewSet, basename="rate")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/<str:username>/", UserTokenView.as_view(), name="user-token"),
    path("auth/me/", MeView.as_view(), name="me"),
    path("events/<str:slug>/imports/", EventImportView.as_view(), name="event-import"),
    path(
        "events/<str:slug>/followthrough/",
        EventFollowthroughView.as_view(),
        name="event-followthrough",
    ),
    path("events/<str:slug>/snapshots/", EventSnapshotsView.as_view(), name="event-snapshots"),
    path(
        "events/<str:slug>/recommendations/",
        EventRecommendationsView.as_view(),
        name="event-recommendations",
    ),
    path(
        "events/<str:slug>/match-weights/",
        EventMatchWeightsView.as_view(),
        name="event-match-weights",
    ),
    path(
        "events/<str:slug>/participants/",
        EventParticipantsView.as_view(),
        name="event-participants",
    ),
    path(
        "events/<str:slug>/meeting-requests/",
        EventMeetingRequestsView.as_view(),
        name="event-meeting-requests",
    ),
    path(
        "events/<str:slug>/meeting-overview/",
        EventMeetingOverviewView.as_view(),
        name="event-meeting-overview",
    ),
    path("participants/<str:id>/", ParticipantView.as_view(), name="participant"),
    path(
        "participants/<str:id>/review/", ParticipantReviewView.as_view(), name="participant-review"
    ),
    path(
        "participants/<str:id>/contacts/",
        ParticipantContactsView.as_view(),
        name="participant-contacts",
    ),
    path("meeting-requests/<str:id>/", MeetingRequestView.as_view(), name="meeting-request"),
    path("projects/<str:id>/meetings/", ProjectMeetingsView.as_view(), name="project-meetings"),
    path("snapshots/<str:id>/", SnapshotDetailView.as_view(), name="snapshot"),
    path("projects/<str:id>/progress/", ProjectProgressView.as_view(), name="project-progress"),
    path("progress/<str:id>/", ProgressStepView.as_view(), name="progress-step"),
    path("progress-imports/", ProgressImportView.as_view(), name="progress-import"),
    path("jobs/<str:id>/", JobView.as_view(), name="job-detail"),
    path("evidence/<str:id>/", EvidenceDownloadView.as_view(), name="evidence"),
    path("overdue/", OverdueView.as_view(), name="overdue"),
    path("overdue/thresholds/", ThresholdsView.as_view(), name="overdue-thresholds"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404, like every other API error.
    re_path(r"^.*$", not_found),
]
