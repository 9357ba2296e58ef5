"""OpenAPI generation: the schema says what each operation takes and every answer it can give.

Generated clients and schemathesis (tests/api/test_schemathesis.py) both read it, so it is
kept to the truth: the error statuses an operation can answer with and their body, the media
types a request may use, and the values a query parameter takes.
"""

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.settings import api_settings

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ErrorSerializer(serializers.Serializer):
    """`detail` for the request as a whole; otherwise one list of messages per faulty field."""

    detail = serializers.CharField(required=False)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses and tighter parameter types."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                # Filters and options read an empty value as not given (a web form's blank field).
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, {})
        for code, response in list(responses.items()):
            if code[0] in "45" and "content" not in response:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        headers = {p["name"].lower() for p in parameters if p["in"] == "header"}
        writes = self.method not in SAFE_METHODS
        codes = ["401"] if operation.get("security") and {} not in operation["security"] else []
        if writes or any(p["in"] == "query" for p in parameters):
            # A bad filter or field; a service's refusal (e.g. an event with projects) too.
            codes.append("400")
        if writes:
            codes += ["403", "409"]
        if "{" in self.path or self._is_list_view():
            # List pages answer 404 for a page past the end.
            codes.append("404")
        if "if-match" in headers:
            codes += ["412", "428"]
        return codes

    def map_parsers(self):
        media_types = super().map_parsers()
        # Views that keep the default parsers take records: JSON says what forms cannot (null,
        # lists). Upload views name their own parsers; of those, multipart carries the file.
        if self.view.parser_classes == api_settings.DEFAULT_PARSER_CLASSES and JSON in media_types:
            return [JSON]
        return [media_type for media_type in media_types if media_type != FORM] or media_types

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset is not None else {}
        for parameter in parameters:
            extra = getattr(filters.get(parameter["name"]), "extra", {})
            schema = dict(parameter["schema"])
            if extra.get("max_length") is not None:
                schema["maxLength"] = extra["max_length"]
            if extra.get("min_value") is not None:
                schema["minimum"] = extra["min_value"]
            parameter["schema"] = schema
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and schema.get("format") == "decimal":
            schema = {**schema, "pattern": _decimal_pattern(field)}
        return schema


def _decimal_pattern(field: serializers.DecimalField) -> str:
    """A decimal string DRF takes: at least one digit, a sign only where negatives are allowed.

    drf-spectacular's own pattern also matches "", "-" and ".", which DRF refuses; DRF strips
    surrounding spaces, and reads a blank as null where null is allowed.
    """
    whole = field.max_whole_digits
    places = field.decimal_places
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    if whole is None or places is None:
        number = rf"{sign}(?:\d+(?:\.\d*)?|\.\d+)"
    elif places == 0:
        number = rf"{sign}\d{{1,{whole}}}"
    elif whole == 0:
        number = rf"{sign}(?:0|0?\.\d{{1,{places}}})"
    else:
        number = rf"{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})"
    blank = "|" if field.allow_null else ""
    return rf"^\s*(?:{number}{blank})\s*$"
