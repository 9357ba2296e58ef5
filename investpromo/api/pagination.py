"""Page-number pagination with a caller-chosen page size."""

import re

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

_DIGITS = re.compile(r"[0-9]+")


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`, at most 500 rows a page; empty means the default.

    A page or size that is not a whole number is refused rather than silently replaced (DRF's
    default), so a caller's typo is not answered with a page they did not ask for.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    # Only numbers: the schema says `page` is an integer.
    last_page_strings = ()

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not _DIGITS.fullmatch(raw) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: ["a whole number from 1"]})
        return min(int(raw), self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "":
            return 1
        # int() would also take " 2", "²" or "٢"; the paginator answers other bad pages with 404.
        if not _DIGITS.fullmatch(raw):
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        return raw

    def get_schema_operation_parameters(self, view):
        whole_number = {"type": "integer", "minimum": 1}
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "allowEmptyValue": True,
                "description": "The page number, from 1 (default); past the last page: 404.",
                "schema": whole_number,
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "allowEmptyValue": True,
                "description": f"Rows per page (default {self.page_size}); more than "
                f"{self.max_page_size} gives {self.max_page_size}.",
                "schema": whole_number,
            },
        ]
