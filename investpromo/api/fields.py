"""Serializer fields that turn codes, names and ids into records (parsing only, no rules)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from investpromo.core.errors import UserError
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region
from investpromo.projects.rates import CURRENCIES


@extend_schema_field(
    {
        "type": "string",
        "description": "A 6-digit GB/T 2260 code, or a name the resolver knows (e.g. 哈尔滨市南岗区)",
        "example": "230103",
    }
)
class RegionField(serializers.Field):
    """A region given as a code or name; shown as its code."""

    default_error_messages = {"invalid": "Give the region as a text code or name."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        try:
            resolved = resolve_region(data)
        except UserError as error:
            raise serializers.ValidationError(error.message) from None
        # The resolver's instances are shared between callers: hand the services their own.
        return Region.objects.get(pk=resolved.pk)

    def to_representation(self, value):
        return value.pk if isinstance(value, Region) else value


class JSONBooleanField(serializers.BooleanField):
    """true or false, as the schema says; DRF's own also takes 1, "yes", "on" and the like."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class DecimalStringField(serializers.DecimalField):
    """A decimal sent as a string ("7.1"), as the schema says: a JSON number may lose digits."""

    default_error_messages = {
        "not_a_string": _('Send the number as a string, e.g. "7.1", so that no digit is lost.')
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


def _not_text(field, value) -> bool:
    return (
        isinstance(field, serializers.CharField)
        and value is not None
        and not isinstance(value, str)
    )


class JSONTypes:
    """Serializer mixin: a JSON body's text fields hold text, as the schema says.

    DRF's CharField also takes a number and makes it text; a form's values are text anyway.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not hasattr(data, "getlist"):
            errors = {}
            for name, field in self.fields.items():
                value = data.get(name)
                if field.read_only or value is None:
                    continue
                items = value if isinstance(field, serializers.ListField) else None
                if _not_text(field, value) or (
                    isinstance(items, list) and any(_not_text(field.child, v) for v in items)
                ):
                    errors[name] = [serializers.CharField.default_error_messages["invalid"]]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _any_case(code: str) -> str:
    return "".join(f"[{letter.upper()}{letter.lower()}]" for letter in code)


@extend_schema_field(
    {
        "type": "string",
        "description": f"One of {', '.join(CURRENCIES)} (in any case)",
        # The service takes a code in any case and with spaces around it; so does the pattern.
        "pattern": rf"^\s*(?:{'|'.join(_any_case(code) for code in CURRENCIES)})\s*$",
        "example": "USD",
    }
)
class CurrencyField(serializers.CharField):
    """A currency code the ledger knows; the service normalises and checks it."""
