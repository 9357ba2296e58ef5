"""Events and their figures."""

from rest_framework import serializers

from investpromo.api.fields import JSONBooleanField, JSONTypes, RegionField
from investpromo.events.models import Event


class EventSerializer(JSONTypes, serializers.ModelSerializer):
    """An event; the slug is fixed once created."""

    # No uniqueness validator: the service refuses a duplicate slug with its own message.
    slug = serializers.CharField(max_length=80)
    host_region = RegionField()
    end_date = serializers.DateField(required=False)
    is_demo = JSONBooleanField(required=False)
    project_count = serializers.IntegerField(read_only=True, required=False)
    value_cny = serializers.DecimalField(
        max_digits=22, decimal_places=2, read_only=True, required=False, allow_null=True
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "name_en",
            "start_date",
            "end_date",
            "host_region",
            "organiser",
            "description",
            "source",
            "is_demo",
            "project_count",
            "value_cny",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
