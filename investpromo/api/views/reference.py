"""Read-only reference data: regions, industry classes, strategic emerging industries."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from investpromo.api.filters import IndustryCategoryFilter, RegionListFilter
from investpromo.api.serializers.reference import (
    IndustryCategorySerializer,
    RegionSerializer,
    SEIIndustrySerializer,
)
from investpromo.api.views.base import LOOKUP
from investpromo.geo.models import Region
from investpromo.sectors.models import IndustryCategory, SEIIndustry


@extend_schema_view(
    list=extend_schema(summary="List administrative divisions (GB/T 2260)"),
    retrieve=extend_schema(summary="One division by its 6-digit code"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Provinces, prefectures and counties."""

    queryset = Region.objects.all()
    lookup_value_regex = LOOKUP
    serializer_class = RegionSerializer
    filterset_class = RegionListFilter
    lookup_field = "code"
    ordering_fields = ["code", "name", "level"]
    ordering = ["code"]


@extend_schema_view(
    list=extend_schema(summary="List GB/T 4754-2017 industry categories"),
    retrieve=extend_schema(summary="One industry category by code (letter or digits)"),
)
class IndustryCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Sections, divisions, groups and classes of the national industry classification."""

    queryset = IndustryCategory.objects.all()
    lookup_value_regex = LOOKUP
    serializer_class = IndustryCategorySerializer
    filterset_class = IndustryCategoryFilter
    lookup_field = "code"
    ordering_fields = ["code", "name", "level"]
    ordering = ["code"]


@extend_schema_view(
    list=extend_schema(summary="List the nine strategic emerging industries"),
    retrieve=extend_schema(summary="One strategic emerging industry by code (1-9)"),
)
class SEIIndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """The 2018 strategic emerging industries."""

    queryset = SEIIndustry.objects.all()
    lookup_value_regex = LOOKUP
    serializer_class = SEIIndustrySerializer
    lookup_field = "code"
    ordering_fields = ["code", "name_zh", "name_en"]
    ordering = ["code"]
