"""Exchange rates."""

from decimal import Decimal

from rest_framework import serializers

from investpromo.api.fields import CurrencyField, DecimalStringField, JSONTypes
from investpromo.projects.models import ExchangeRate

# CNY per unit: the dearest currency is worth some ten yuan; a million is a typing error.
MAX_RATE = Decimal(1_000_000)


class ExchangeRateSerializer(JSONTypes, serializers.ModelSerializer):
    """CNY per unit of a currency from a date; currency and date identify it."""

    currency = CurrencyField()
    # Bounded well inside the column: SQLite keeps decimals as floats, and one rounded up to
    # the column's 13th integer digit can no longer be read back.
    cny_per_unit = DecimalStringField(
        max_digits=18, decimal_places=6, max_value=MAX_RATE, min_value=Decimal("0.000001")
    )

    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "date", "cny_per_unit", "source", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Setting a rate that exists replaces it (the service's rule): no uniqueness check here.
        validators = []


class ExchangeRateUpdateSerializer(ExchangeRateSerializer):
    """Changing a rate's value or source; its currency and date stay."""

    class Meta(ExchangeRateSerializer.Meta):
        read_only_fields = ["id", "currency", "date", "created_at", "updated_at"]
