"""Reference data: regions, GB/T 4754 industry classes, strategic emerging industries."""

from rest_framework import serializers

from investpromo.geo.models import Region
from investpromo.sectors.models import IndustryCategory, SEIIndustry


class RegionSerializer(serializers.ModelSerializer):
    """A division with its parent, province and statistical prefecture codes."""

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "short_name",
            "name_en",
            "level",
            "parent",
            "province",
            "stat_prefecture",
            "acts_as_prefecture",
        ]
        read_only_fields = fields


class IndustryCategorySerializer(serializers.ModelSerializer):
    """A GB/T 4754-2017 section, division, group or class."""

    class Meta:
        model = IndustryCategory
        fields = ["code", "name", "level", "parent", "section", "description"]
        read_only_fields = fields


class SEIIndustrySerializer(serializers.ModelSerializer):
    """One of the nine strategic emerging industries."""

    class Meta:
        model = SEIIndustry
        fields = ["code", "name_zh", "name_en"]
        read_only_fields = fields
