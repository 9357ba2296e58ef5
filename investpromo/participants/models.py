"""An event's participants, their people and profiles, meeting requests, and what they led to.

A participant is one organisation's registration at one event: who it is (kind, host or
visiting side), what it offers and seeks, and when it attends. Meeting requests run between two
participants of the same event; a signed project may name the meeting(s) it came from
(ProjectOrigin), kept here so the projects app does not depend on matchmaking.

Not to be confused with events.Participant, the older plain list of organisations a published
report names as present (no profile, no review): this app's records are reached as
`event.registrations` and `organisation.registrations`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The language a person or a profile is written in."""

    ZH = "zh", _("Chinese")
    EN = "en", _("English")


class EventOrganiser(models.Model):
    """A user who organises one event: manages its participants and meeting requests."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="organisers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organised_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event organiser")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="unique_event_organiser")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event}"


class MeetingRules(models.Model):
    """An event's limits on meeting requests and portal links (defaults apply without a row)."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_rules"
    )
    # Open (requested, accepted or scheduled) requests a participant may have sent; the
    # organiser's must-meetings do not count.
    max_requests_sent = models.PositiveSmallIntegerField(default=20)
    # Open requests a participant may have received, so the popular are not swamped.
    max_requests_received = models.PositiveSmallIntegerField(default=40)
    portal_link_days = models.PositiveSmallIntegerField(default=30)

    class Meta:
        verbose_name = _("meeting rules")
        verbose_name_plural = _("meeting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(portal_link_days__gte=1), name="portal_link_lasts_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"rules of {self.event}"


class ParticipantKind(models.TextChoices):
    """What sort of organisation a participant is."""

    INVESTOR = "investor", _("investor or enterprise")
    GOVERNMENT = "government", _("government department")
    PARK = "park", _("park or development zone")
    BUREAU = "bureau", _("county or city bureau")
    RESEARCH = "research", _("research institute")
    INTERMEDIARY = "intermediary", _("intermediary")
    DATA_EXCHANGE = "data_exchange", _("data exchange")
    OTHER = "other", _("other")


class Side(models.TextChoices):
    """Which side of the event a participant is on: the host province's or a visitor."""

    HOST = "host", _("host side")
    VISITOR = "visitor", _("visiting side")


class ParticipantStatus(models.TextChoices):
    """Where a registration stands in the organiser's review."""

    PENDING = "pending", _("pending review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    MERGED = "merged", _("merged into another participant")


class CooperationMode(models.TextChoices):
    """Forms of cooperation a participant is open to."""

    SOLE = "sole", _("wholly owned (独资)")
    JOINT_VENTURE = "joint_venture", _("joint venture (合资)")
    COOPERATION = "cooperation", _("cooperation (合作)")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("technology transfer (技术转让)")
    MERGER = "merger", _("merger or acquisition (并购)")


class Session(models.TextChoices):
    """Parts of an event day a participant attends."""

    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")
    EVENING = "eve", _("evening")


class Participant(models.Model):
    """One organisation's registration at one event, with its matchmaking profile."""

    Kind = ParticipantKind
    Side = Side
    Status = ParticipantStatus
    CooperationMode = CooperationMode
    Session = Session

    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="registrations", db_index=False
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="registrations"
    )
    # The name as the participant registered it (the organisation's name may be corrected later).
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INVESTOR)
    side = models.CharField(max_length=10, choices=Side.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # Where the participant is (所在地区): the counterpart of others' regions of interest.
    region = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offers = models.TextField(blank=True)
    seeks = models.TextField(blank=True)
    profile_language = models.CharField(max_length=2, choices=Language.choices, default="zh")
    sei_industries = models.ManyToManyField("sectors.SEIIndustry", blank=True, related_name="+")
    industry_classes = models.ManyToManyField(
        "sectors.IndustryCategory", blank=True, related_name="+", limit_choices_to={"level": 4}
    )
    regions_of_interest = models.ManyToManyField("geo.Region", blank=True, related_name="+")
    # Investment size range: None at either end is open; the text as the participant wrote it.
    investment_min = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    investment_max = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    investment_currency = models.CharField(max_length=3, default="CNY")
    investment_text = models.CharField(max_length=200, blank=True, help_text="as written")
    # CooperationMode codes.
    cooperation_modes = models.JSONField(default=list, blank=True)
    # {"2026-06-18": ["am", "pm"], "2026-06-19": []}: an empty list is the whole day; an empty
    # map is the whole event (nothing said).
    attendance = models.JSONField(default=dict, blank=True)
    source_ref = models.CharField(max_length=300, blank=True, help_text="file!sheet!row")
    is_demo = models.BooleanField(default=False, help_text="synthetic example data")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participant")
        ordering = ["event", "name", "id"]
        indexes = [models.Index(fields=["event", "status"], name="participant_event_status")]
        constraints = [
            # Rejected and merged registrations stay as history; a live one per organisation.
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_live_participant_per_org",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="merged_iff_merged_into",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="participant_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(investment_min__isnull=True)
                | Q(investment_max__isnull=True)
                | Q(investment_min__lte=F("investment_max")),
                name="investment_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(investment_min__isnull=True) | Q(investment_min__gte=0),
                name="investment_min_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ParticipantKind.values), name="participant_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(side__in=Side.values), name="participant_side_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values), name="participant_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A person who represents a participant at the event."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default="zh")
    # The first person the organiser writes to (portal links go to this address).
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["participant", "-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=Q(is_primary=True), name="one_primary_contact"
            )
        ]

    def __str__(self) -> str:
        return self.name


OPEN_REQUEST_STATES = ("requested", "accepted", "scheduled")


class MeetingState(models.TextChoices):
    """Where a meeting request stands: answered by the counterpart, then the scheduler and check-in."""

    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    NO_SHOW = "no_show", _("no-show")


class DeclineReason(models.TextChoices):
    """Why a counterpart declined a request."""

    NOT_RELEVANT = "not_relevant", _("not relevant to us")
    NO_TIME = "no_time", _("no time at the event")
    ALREADY_IN_CONTACT = "already_in_contact", _("already in contact")
    WRONG_PERSON = "wrong_person", _("not the right counterpart in our organisation")
    OTHER = "other", _("other")


class MeetingPriority(models.TextChoices):
    """How much the organiser wants a meeting to happen."""

    MUST = "must", _("must")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")


class MeetingRequest(models.Model):
    """One participant's request to meet another at the same event, and what became of it."""

    State = MeetingState
    DeclineReason = DeclineReason
    Priority = MeetingPriority

    # The event of both participants, kept here so the database can hold one-request rules
    # and the scheduler reads an event's requests without a join.
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="meeting_requests", db_index=False
    )
    requester = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="requests_received"
    )
    message = models.CharField(max_length=1000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    priority = models.CharField(max_length=6, choices=Priority.choices, default=Priority.NORMAL)
    # Set by an organiser (a must-meeting, or made for a participant); False from the portal.
    by_organiser = models.BooleanField(default=False)
    # The signed-in user who made it; None when the participant made it through their link.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting request")
        ordering = ["event", "-created_at", "id"]
        indexes = [models.Index(fields=["event", "state"], name="meeting_request_event_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="no_meeting_with_oneself"
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(state__in=OPEN_REQUEST_STATES),
                name="one_open_request_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(state="declined", decline_reason__gt="")
                | (~Q(state="declined") & Q(decline_reason="")),
                name="decline_reason_iff_declined",
            ),
            models.CheckConstraint(
                condition=Q(state__in=MeetingState.values), name="meeting_state_known"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=MeetingPriority.values),
                name="meeting_priority_known",
            ),
            models.CheckConstraint(
                condition=~Q(priority="must") | Q(by_organiser=True),
                name="must_meetings_by_organisers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient} ({self.state})"


class ProjectOrigin(models.Model):
    """A signed project named as coming from a meeting at an event."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="meeting_origins"
    )
    meeting = models.ForeignKey(
        MeetingRequest, on_delete=models.PROTECT, related_name="projects_signed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project origin")
        constraints = [
            models.UniqueConstraint(fields=["project", "meeting"], name="unique_project_origin")
        ]

    def __str__(self) -> str:
        return f"{self.project} ← {self.meeting}"


class PortalLink(models.Model):
    """A participant's personal link to its portal: signed, expiring, revocable, no account."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="portal_links"
    )
    # SHA-256 of the random part of the token: the token itself is never stored, so a copy
    # of the database gives no one a working link.
    secret_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("portal link")
        ordering = ["participant", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="portal_link_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} of {self.participant}"
