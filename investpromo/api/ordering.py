"""`?ordering=` that always ends with the primary key, so pages never overlap or skip rows."""

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """DRF's OrderingFilter plus a primary-key tie-breaker; a view may supply its own default."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering and hasattr(view, "default_order_by"):
            return queryset.order_by(*view.default_order_by(request))
        if not ordering:
            return queryset
        ordering = list(ordering)
        if not any(term.lstrip("-") in ("pk", queryset.model._meta.pk.name) for term in ordering):
            descending = ordering[-1].startswith("-")
            ordering.append("-pk" if descending else "pk")
        return queryset.order_by(*ordering)
