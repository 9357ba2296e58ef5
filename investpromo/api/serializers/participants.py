"""An event's participants and meeting requests, and the meetings a project came from."""

from decimal import Decimal

from rest_framework import serializers

from investpromo.api.fields import (
    CurrencyField,
    DecimalStringField,
    JSONBooleanField,
    JSONTypes,
    RegionField,
)
from investpromo.core.errors import UserError
from investpromo.participants.models import (
    ContactPerson,
    CooperationMode,
    DeclineReason,
    Language,
    MeetingPriority,
    MeetingRequest,
    MeetingState,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Side,
)
from investpromo.projects.rates import normalize_currency

_AMOUNT = {"max_digits": 24, "decimal_places": 6, "min_value": Decimal(0)}


class ContactSerializer(JSONTypes, serializers.ModelSerializer):
    """A person who represents a participant."""

    language = serializers.ChoiceField(choices=Language.choices, required=False, default="zh")
    is_primary = JSONBooleanField(
        required=False, allow_null=True, default=None, help_text="default: the first person"
    )

    class Meta:
        model = ContactPerson
        fields = ["id", "name", "title", "phone", "email", "language", "is_primary"]
        read_only_fields = ["id"]
        extra_kwargs = {"email": {"required": False}}


class ParticipantSerializer(serializers.ModelSerializer):
    """A participant with its profile and people; its ETag is its version."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_uscc = serializers.CharField(
        source="organisation.uscc", read_only=True, allow_null=True
    )
    region = serializers.CharField(
        source="region_id", read_only=True, allow_null=True, help_text="GB/T 2260 code"
    )
    sei_industries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    industry_classes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    regions_of_interest = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    investment_min = DecimalStringField(**_AMOUNT, allow_null=True, read_only=True)
    investment_max = DecimalStringField(**_AMOUNT, allow_null=True, read_only=True)
    cooperation_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationMode.choices), read_only=True
    )
    attendance = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), read_only=True
    )
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "event",
            "organisation",
            "organisation_uscc",
            "name",
            "kind",
            "side",
            "status",
            "merged_into",
            "region",
            "offers",
            "seeks",
            "profile_language",
            "sei_industries",
            "industry_classes",
            "regions_of_interest",
            "investment_min",
            "investment_max",
            "investment_currency",
            "investment_text",
            "cooperation_modes",
            "attendance",
            "contacts",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ProfileFields(JSONTypes, serializers.Serializer):
    """What a participant's profile takes (every field optional)."""

    kind = serializers.ChoiceField(choices=ParticipantKind.choices, required=False)
    side = serializers.ChoiceField(choices=Side.choices, required=False)
    region = RegionField(required=False, allow_null=True)
    offers = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    seeks = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    profile_language = serializers.ChoiceField(choices=Language.choices, required=False)
    sei_industries = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=9), required=False, max_length=9
    )
    industry_classes = serializers.ListField(
        child=serializers.RegexField(r"^[0-9]{4}$", max_length=4),
        required=False,
        max_length=50,
        help_text="GB/T 4754 class codes (4 digits)",
    )
    regions_of_interest = serializers.ListField(
        child=serializers.RegexField(r"^[0-9]{6}$", max_length=6),
        required=False,
        max_length=50,
        help_text="GB/T 2260 codes",
    )
    investment_min = DecimalStringField(**_AMOUNT, required=False, allow_null=True)
    investment_max = DecimalStringField(**_AMOUNT, required=False, allow_null=True)
    investment_currency = CurrencyField(required=False)
    investment_text = serializers.CharField(required=False, allow_blank=True, max_length=200)
    cooperation_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationMode.choices), required=False
    )
    attendance = serializers.DictField(
        child=serializers.ListField(
            child=serializers.ChoiceField(choices=Participant.Session.choices), max_length=3
        ),
        required=False,
        help_text='{"2026-06-18": ["am", "pm"]}: days of the event (an empty list: the whole '
        "day); {} is the whole event",
    )

    def validate_investment_currency(self, value):
        # Here, not in the service: a change is checked before its version is.
        try:
            return normalize_currency(value)
        except UserError as error:
            raise serializers.ValidationError(error.message) from None


class ParticipantCreateSerializer(_ProfileFields):
    """A new participant: its organisation by USCC, else by name (created if new)."""

    name = serializers.CharField(max_length=200)
    side = serializers.ChoiceField(choices=Side.choices)
    uscc = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=18)
    status = serializers.ChoiceField(
        choices=[ParticipantStatus.PENDING, ParticipantStatus.APPROVED],
        required=False,
        default=ParticipantStatus.APPROVED,
    )
    contacts = ContactSerializer(many=True, required=False, max_length=20)


class ParticipantUpdateSerializer(_ProfileFields):
    """Changes to a participant (needs If-Match or version)."""

    name = serializers.CharField(required=False, max_length=200)
    version = serializers.IntegerField(required=False, min_value=1, max_value=999_999_999)


class ReviewSerializer(JSONTypes, serializers.Serializer):
    """The organiser's decision on a registration (needs If-Match or version)."""

    action = serializers.ChoiceField(choices=["approve", "reject", "merge"])
    into = serializers.IntegerField(
        required=False, min_value=1, help_text="merge: the participant it duplicates"
    )
    version = serializers.IntegerField(required=False, min_value=1, max_value=999_999_999)


class MeetingRequestSerializer(serializers.ModelSerializer):
    """A meeting request between two participants; its ETag is its version."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices, allow_blank=True, read_only=True
    )
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "event",
            "requester",
            "requester_name",
            "recipient",
            "recipient_name",
            "message",
            "state",
            "decline_reason",
            "priority",
            "by_organiser",
            "responded_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingRequestCreateSerializer(JSONTypes, serializers.Serializer):
    """An organiser's request for a participant; priority `must` makes a must-meeting."""

    requester = serializers.IntegerField(min_value=1)
    recipient = serializers.IntegerField(min_value=1)
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    priority = serializers.ChoiceField(
        choices=MeetingPriority.choices, required=False, default=MeetingPriority.NORMAL
    )


class MeetingStateSerializer(JSONTypes, serializers.Serializer):
    """What happens to a request (needs If-Match or version)."""

    action = serializers.ChoiceField(
        choices=[
            "accept",
            "decline",
            "cancel",
            "schedule",
            "unschedule",
            "held",
            "no_show",
            "priority",
        ]
    )
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, help_text="decline: why"
    )
    priority = serializers.ChoiceField(
        choices=MeetingPriority.choices, required=False, help_text="priority: the new one"
    )
    version = serializers.IntegerField(required=False, min_value=1, max_value=999_999_999)


class RequestQuerySerializer(serializers.Serializer):
    """Which of the event's requests to list."""

    state = serializers.ChoiceField(choices=MeetingState.choices, required=False)


class ParticipantQuerySerializer(serializers.Serializer):
    """Which of the event's participants to list."""

    status = serializers.ChoiceField(choices=ParticipantStatus.choices, required=False)


class _Count(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    requests = serializers.IntegerField()


class _Named(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeetingOverviewSerializer(serializers.Serializer):
    """The organiser's view: requests by state, who has no agreed meeting, who is most asked."""

    by_state = serializers.DictField(child=serializers.IntegerField())
    without_agreed_meeting = _Named(many=True)
    most_requested = _Count(many=True)


class ProjectMeetingSerializer(JSONTypes, serializers.Serializer):
    """The meeting a project came from."""

    meeting = serializers.IntegerField(min_value=1)
