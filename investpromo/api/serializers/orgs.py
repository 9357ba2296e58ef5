"""Organisations."""

from rest_framework import serializers

from investpromo.api.fields import JSONBooleanField, JSONTypes, RegionField
from investpromo.orgs.models import Organisation


class OrganisationSerializer(JSONTypes, serializers.ModelSerializer):
    """An organisation; the name, USCC and kind are checked by the service."""

    # Plain fields: uniqueness and the USCC checksum are the service's to judge.
    uscc = serializers.CharField(max_length=30, required=False, allow_null=True, allow_blank=True)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100
    )
    home_region = RegionField(required=False, allow_null=True)
    # The demo loader's mark, shown as "example data" on the organisation's page: read-only
    # here, as a project's is (an officer could otherwise mark a real enterprise as invented).
    is_demo = JSONBooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "uscc",
            "aliases",
            "home_region",
            "kind",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "is_demo", "created_at", "updated_at"]
        # The service allows 200 characters.
        extra_kwargs = {"name": {"max_length": 200}}
