"""Projects: references by id, slug or code in, the same out."""

from decimal import Decimal

from rest_framework import serializers

from investpromo.api.fields import CurrencyField, DecimalStringField, JSONTypes, RegionField
from investpromo.events.models import Event
from investpromo.orgs.models import Organisation
from investpromo.projects.models import Project
from investpromo.projects.services import PROJECT_FIELDS
from investpromo.sectors.models import IndustryCategory, SEIIndustry

# Model fields the service accepts as changes (the many-to-many co-investors are separate).
WRITABLE = PROJECT_FIELDS
# Shown, never taken from a caller: what a signing list wrote (or the value written out), the
# file row it came from, the demo's mark (see projects.services.PROJECT_FIELDS).
DISPLAY_ONLY = ["value_text", "source_ref", "is_demo"]


class ProjectSerializer(JSONTypes, serializers.ModelSerializer):
    """A signed project; the CNY value, rate and version are worked out by the service."""

    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False, allow_null=True
    )
    investor = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    investor_name = serializers.CharField(source="investor.name", read_only=True)
    co_investors = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    destination_region = RegionField()
    origin_region = RegionField(required=False, allow_null=True)
    # Plain text: the service names the allowed values in its message.
    agreement_type = serializers.CharField(max_length=20, required=False)
    sei_status = serializers.CharField(max_length=20, required=False)
    currency = CurrencyField(required=False)
    sei_industry = serializers.PrimaryKeyRelatedField(
        queryset=SEIIndustry.objects.all(), required=False, allow_null=True
    )
    # Any GB/T 4754 code resolves; the service insists on a 4-digit class.
    industry_class = serializers.PrimaryKeyRelatedField(
        queryset=IndustryCategory.objects.all(), required=False, allow_null=True
    )
    # Bounded inside the column (see rates.MAX_RATE); a quadrillion is no real contract.
    contract_value = DecimalStringField(
        max_digits=24, decimal_places=6, max_value=Decimal(10) ** 15
    )
    extra = serializers.DictField(required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On update: the version you edited (or send it as If-Match).",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            *WRITABLE,
            *DISPLAY_ONLY,
            "investor_name",
            "co_investors",
            "value_cny",
            "rate_date",
            "rate_cny_per_unit",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            *DISPLAY_ONLY,
            "value_cny",
            "rate_date",
            "rate_cny_per_unit",
            "created_at",
            "updated_at",
        ]
