"""django-filter's DRF backend, with filter errors taken from the form as already formatted."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    """Answers an invalid filter with 400 `{"param": ["message"]}`.

    django-filter's own translation applies `message % params` again, which fails with a
    500 when a message quotes the caller's text and that text contains "%" (e.g. a region
    named "50%"); the form's errors are the messages as the web page shows them.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(
                {field: list(messages) for field, messages in filterset.form.errors.items()}
            )
        return filterset.qs
