"""Recommended counterparts: the event's latest run, its weights, a participant's list."""

from rest_framework import serializers

from investpromo.api.fields import JSONBooleanField, JSONTypes
from investpromo.matchmaking.engine import PARTS
from investpromo.matchmaking.models import WEIGHT_FIELDS
from investpromo.matchmaking.services import MAX_LIMIT


class RecommendationQuerySerializer(serializers.Serializer):
    """Whose recommendations to show, how many, and whether to compute them now."""

    participant = serializers.CharField(
        required=False,
        max_length=200,
        help_text="the participant's id, or its name as registered",
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=10)
    fresh = serializers.BooleanField(
        required=False,
        default=False,
        help_text="compute now rather than read the latest run's results",
    )


class RunRequestSerializer(JSONTypes, serializers.Serializer):
    """How many counterparts a run keeps per participant."""

    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=10)


class RunSerializer(serializers.Serializer):
    """A computation of all of an event's recommendations, and how far it got."""

    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    limit = serializers.IntegerField()
    participants_done = serializers.IntegerField(allow_null=True)
    participants_total = serializers.IntegerField(allow_null=True)
    recommendations = serializers.IntegerField(allow_null=True)
    seconds = serializers.FloatField(allow_null=True)
    error = serializers.CharField(help_text="why it failed, in the caller's language; else empty")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class _Reason(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class _Parts(serializers.Serializer):
    def get_fields(self):
        return {name: serializers.FloatField(required=False) for name in PARTS}


class RecommendationSerializer(serializers.Serializer):
    """A recommended counterpart: as `investpromo recommend --format json`, plus the parts."""

    participant = serializers.IntegerField(help_text="the counterpart's id")
    name = serializers.CharField()
    score = serializers.FloatField()
    reasons = _Reason(many=True)
    parts = _Parts(help_text="the score's parts: why this pair")


class WeightsSerializer(serializers.Serializer):
    """How much each kind of fit counts at this event (the defaults unless changed)."""

    def get_fields(self):
        return {
            name: serializers.BooleanField() if name == "host_pairs" else serializers.FloatField()
            for name in WEIGHT_FIELDS
        }


class JSONNumberField(serializers.FloatField):
    """A JSON number, as the schema says; DRF's own also takes "1.5" and true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class WeightsRequestSerializer(serializers.Serializer):
    """The weights to change; those left out keep their values."""

    def get_fields(self):
        fields = {}
        for name in WEIGHT_FIELDS:
            if name == "host_pairs":
                fields[name] = JSONBooleanField(required=False)
            elif name == "min_text_similarity":
                fields[name] = JSONNumberField(required=False, min_value=0, max_value=1)
            else:
                fields[name] = JSONNumberField(required=False, min_value=0, max_value=1000)
        return fields


class EventRecommendationsSerializer(serializers.Serializer):
    """The event's latest run and weights; with `participant`, that participant's list."""

    run = RunSerializer(allow_null=True, help_text="the latest run, finished or not")
    weights = WeightsSerializer()
    participant = serializers.IntegerField(required=False)
    recommendations = RecommendationSerializer(many=True, required=False)
