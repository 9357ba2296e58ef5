"""The shape of an event's figures, for the schema only: the data is event_summary()'s as is."""

from rest_framework import serializers

MONEY = {"help_text": "yuan, two decimals, as text"}


class _Host(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _Event(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    host_region = _Host()
    is_example_data = serializers.BooleanField()


class _SEI(serializers.Serializer):
    projects = serializers.IntegerField()
    value_cny = serializers.CharField(**MONEY)
    share_by_value = serializers.FloatField()
    share_by_count = serializers.FloatField()


class _SEIRow(serializers.Serializer):
    code = serializers.IntegerField(allow_null=True)
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    projects = serializers.IntegerField()
    value_cny = serializers.CharField(**MONEY)


class _RegionRow(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_blank=True)
    projects = serializers.IntegerField()
    value_cny = serializers.CharField(**MONEY)


class EventSummarySerializer(serializers.Serializer):
    """An event's headline figures, SEI shares and breakdowns."""

    event = _Event()
    projects = serializers.IntegerField()
    total_value_cny = serializers.CharField(**MONEY)
    total_value_usd = serializers.CharField(allow_null=True)
    usd_rate = serializers.CharField(allow_null=True)
    usd_rate_date = serializers.DateField(allow_null=True)
    usd_rate_source = serializers.CharField(allow_null=True, allow_blank=True)
    sei = _SEI()
    by_sei_industry = _SEIRow(many=True)
    by_destination = _RegionRow(many=True)
    by_origin_province = _RegionRow(many=True)
    # The follow-through section belongs to the followup app; described loosely on purpose.
    followthrough = serializers.DictField(required=False)
    note = serializers.CharField(required=False)
