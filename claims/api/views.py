"""The API's endpoints: anonymous and read-only (GET, HEAD, OPTIONS; anything else is 405).

Each queryset loads what its serializer shows in a fixed number of queries, whatever the
page size. The claims endpoint filters with the claims list's own ClaimFilter, so a query
string means the same thing on /claims/ and on /api/claims/.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets

from claims.api.serializers import (
    ClaimSerializer,
    DisputeSerializer,
    MetricDetailSerializer,
    MetricSerializer,
    PartySerializer,
    SourceDetailSerializer,
    SourceSerializer,
)
from claims.filters import ClaimFilter
from claims.models import Claim, Dispute, DisputePoint, DisputeSide, Metric, Party, PointClaim
from sources.models import Source

ERROR = inline_serializer("Error", fields={"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(ERROR, description="No record has this id.")
NO_SUCH_PAGE = OpenApiResponse(ERROR, description="The page number is past the last page.")
# tracker/middleware.py refuses any address with a control character before a view runs.
BAD_ADDRESS = OpenApiResponse(ERROR, description="The address holds a control character.")
FILTER_ERRORS = OpenApiResponse(
    inline_serializer(
        "ClaimFilterErrors",
        fields={
            **{
                name: serializers.ListField(child=serializers.CharField(), required=False)
                for name in ClaimFilter.base_filters
            },
            # Set instead of the filters' messages when the address itself was refused.
            "detail": serializers.CharField(required=False),
        },
    ),
    description="A filter value was not understood: the messages the claims list shows, "
    "by filter name. Nothing was filtered.",
)


# django-filter's model choices by slug: the schema says so (spectacular cannot tell).
SLUG_FILTERS = [
    OpenApiParameter(name, str, description=f"The slug of a {name}: only its claims.")
    for name in ("party", "dispute", "source")
]


def documented(
    plural: str,
    serializer: type[serializers.Serializer],
    detail: type[serializers.Serializer] | None = None,
    list_errors: dict[int, OpenApiResponse] | None = None,
    parameters: list[OpenApiParameter] | None = None,
):
    """The summaries and responses of a list and a detail operation, errors included."""
    return extend_schema_view(
        list=extend_schema(
            summary=f"A page of {plural}",
            parameters=parameters,
            responses={
                200: serializer(many=True),
                400: BAD_ADDRESS,
                404: NO_SUCH_PAGE,
                **(list_errors or {}),
            },
        ),
        retrieve=extend_schema(
            summary=f"One of the {plural}, by its id",
            responses={200: detail or serializer, 400: BAD_ADDRESS, 404: NOT_FOUND},
        ),
    )


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "head", "options"]
    # Any id reaches the view, so a malformed one ("1.5", "-3") gets the API's JSON 404,
    # not the site's HTML page.
    lookup_value_regex = "[^/]+"


@documented("parties", PartySerializer)
class PartyViewSet(ReadOnlyViewSet):
    """Parties: the organisations and people claims are attributed to, by name."""

    serializer_class = PartySerializer

    def get_queryset(self) -> QuerySet[Party]:
        return Party.objects.with_claim_counts().order_by("name", "pk")


@documented("sources", SourceSerializer, SourceDetailSerializer)
class SourceViewSet(ReadOnlyViewSet):
    """Sources, newest first; a source's own record has its full text (body)."""

    def get_queryset(self) -> QuerySet[Source]:
        sources = Source.objects.with_outlet().order_by(
            F("published_on").desc(nulls_last=True), "title", "pk"
        )
        return sources if self.action == "retrieve" else sources.defer("body")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return SourceDetailSerializer if self.action == "retrieve" else SourceSerializer


@documented("claims", ClaimSerializer, list_errors={400: FILTER_ERRORS}, parameters=SLUG_FILTERS)
class ClaimViewSet(ReadOnlyViewSet):
    """Claims, newest first, with the claims list's filters and search (same parameters)."""

    serializer_class = ClaimSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter

    def get_queryset(self) -> QuerySet[Claim]:
        return Claim.objects.newest_first().for_export()


@documented("metrics", MetricSerializer, MetricDetailSerializer)
class MetricViewSet(ReadOnlyViewSet):
    """Metrics with how their values compare; a metric's own record lists every value."""

    def get_queryset(self) -> QuerySet[Metric]:
        return Metric.objects.annotate(value_count=Count("statistics")).order_by("name", "pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MetricDetailSerializer if self.action == "retrieve" else MetricSerializer


@documented("disputes", DisputeSerializer)
class DisputeViewSet(ReadOnlyViewSet):
    """Disputes with their sides (columns), points (rows) and the claims placed on them."""

    serializer_class = DisputeSerializer

    def get_queryset(self) -> QuerySet[Dispute]:
        return Dispute.objects.order_by("title", "pk").prefetch_related(
            Prefetch("sides", queryset=DisputeSide.objects.select_related("party")),
            Prefetch("points", queryset=DisputePoint.objects.order_by("order", "pk")),
            Prefetch(
                "points__placements",
                queryset=PointClaim.objects.select_related("claim__party").order_by(
                    "side__order", "order", "pk"
                ),
            ),
        )
