"""OpenAPI generation: every operation documents the error bodies it can answer with."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """`detail` for the request as a whole; otherwise one list of messages per faulty field."""

    detail = serializers.CharField(required=False)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses (400-409) where they can occur."""

    def _error_codes(self) -> list[str]:
        codes = ["401"] if self.get_auth() else []
        writes = self.method not in ("GET", "HEAD")
        if writes or self._is_list_view():
            # A service's refusal (e.g. deleting an event that has projects) is a 400 too.
            codes.append("400")
        if writes:
            codes += ["403", "409"]
        if "{" in self.path or self._is_list_view():
            # List pages answer 404 for a page past the end.
            codes.append("404")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses or "content" not in responses[code]:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        for code, response in responses.items():
            if code[0] in "45" and "content" not in response:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses
