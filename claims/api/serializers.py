"""The API's records: every one has its stable id and its absolute permalink on the site.

Output only (the API is read-only). Related records appear as short references (id, name,
permalink) so a client follows the id to the full record. The computed parts (relations,
how a metric's values relate) come from the modules that compute them for the pages, for a
whole page of records at once, so a request costs a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.fields import PermalinkField, PreciseDateField
from claims.cards import RelatedClaim, related_claims
from claims.comparisons import metric_entries, statistic_reports, tally
from claims.models import (
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from claims.verdicts import Verdict
from sources.models import Outlet, Source


class Record(serializers.ModelSerializer):
    """Output only: every field read-only, so the schema says every field is present."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class PartyRefSerializer(Record):
    permalink = PermalinkField()

    class Meta:
        model = Party
        fields = ["id", "slug", "name", "permalink"]


class PartySerializer(Record):
    affiliation = PartyRefSerializer(allow_null=True, help_text=Party.affiliation.field.help_text)
    claim_count = serializers.IntegerField(
        help_text="Claims made by the party, said by it, or by its members."
    )
    permalink = PermalinkField()

    class Meta:
        model = Party
        fields = [
            *("id", "slug", "name", "kind", "role", "description", "url"),
            *("affiliation", "claim_count", "permalink"),
        ]


class OutletSerializer(Record):
    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "homepage"]


class SourceRefSerializer(Record):
    published = PreciseDateField("published_on", "published_precision")
    permalink = PermalinkField()

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "url", "published", "permalink"]


class SourceSerializer(Record):
    outlet = OutletSerializer(allow_null=True)
    published = PreciseDateField("published_on", "published_precision")
    permalink = PermalinkField()

    class Meta:
        model = Source
        fields = [
            *("id", "slug", "title", "kind", "outlet", "author", "url"),
            *("published", "published_on", "published_precision", "date_note"),
            *("body_sha256", "added_at", "updated_at", "permalink"),
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "body"]


class CitationSerializer(Record):
    source = SourceRefSerializer()
    is_anchored = serializers.BooleanField(
        help_text="The quote is still found, verbatim, at [start, end) of the source's body."
    )
    permalink = PermalinkField(help_text="The passage, marked in the source's text.")

    class Meta:
        model = Citation
        fields = [
            *("id", "source", "quote", "start", "end", "prefix", "suffix"),
            *("is_anchored", "needs_review", "permalink"),
        ]


class MetricRefSerializer(Record):
    permalink = PermalinkField()

    class Meta:
        model = Metric
        fields = ["id", "slug", "name", "unit", "permalink"]


class StatisticSerializer(Record):
    metric = MetricRefSerializer()
    display_value = serializers.CharField(help_text="As the site shows it: “over 1,000”, “25%”.")
    period = serializers.CharField(
        source="period.text",
        allow_null=True,
        default=None,
        help_text="The period the figure covers; null when the source does not say.",
    )

    class Meta:
        model = Statistic
        fields = [*("id", "metric", "value", "unit", "currency", "qualifier", "display_value")]
        fields += ["period", "period_label", "period_start", "period_end", "scope_note"]


class ClaimRefSerializer(Record):
    party = PartyRefSerializer()
    permalink = PermalinkField()

    class Meta:
        model = Claim
        fields = ["id", "summary", "party", "permalink"]


class RelationSerializer(serializers.Serializer):
    """A relation read from this claim's side: "rebuts #12" or "rebutted by #12"."""

    kind = serializers.ChoiceField(choices=ClaimRelation.Kind.choices)
    label = serializers.CharField(help_text="From this claim: “rebuts”, “rebutted by”…")
    claim = ClaimRefSerializer(help_text="The other claim.")
    note = serializers.CharField()


class DisputeRefSerializer(Record):
    permalink = PermalinkField()

    class Meta:
        model = Dispute
        fields = ["id", "slug", "title", "permalink"]


class PointRefSerializer(Record):
    permalink = PermalinkField()

    class Meta:
        model = DisputePoint
        fields = ["id", "question", "permalink"]


class SideRefSerializer(Record):
    party = PartyRefSerializer()
    heading = serializers.CharField(help_text="The column heading: the label, else the party.")

    class Meta:
        model = DisputeSide
        fields = ["id", "heading", "party"]


class ClaimPlacementSerializer(Record):
    """Where a claim stands in a dispute: on a point, in the column of a side."""

    dispute = DisputeRefSerializer(source="point.dispute")
    point = PointRefSerializer()
    side = SideRefSerializer()

    class Meta:
        model = PointClaim
        fields = ["id", "dispute", "point", "side", "order"]


class ClaimListSerializer(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[dict]:
        claims = list(data)  # a page: a list, never a manager
        # Every relation of the page's claims in one query, not one per claim.
        self.context["related"] = related_claims(c.pk for c in claims)
        return super().to_representation(claims)


class ClaimSerializer(Record):
    """A claim, from Claim.objects.for_export()."""

    slug = serializers.SlugField(help_text="Follows the summary; the id alone also finds it.")
    party = PartyRefSerializer(help_text=Claim.party.field.help_text)
    speaker = PartyRefSerializer(allow_null=True, help_text=Claim.speaker.field.help_text)
    claimed = PreciseDateField("claimed_on", "claimed_precision")
    citations = CitationSerializer(many=True, help_text="Earliest report first.")
    statistics = StatisticSerializer(many=True, help_text="The figures the claim gives.")
    relations = serializers.SerializerMethodField()
    placements = ClaimPlacementSerializer(many=True)
    permalink = PermalinkField()

    class Meta:
        model = Claim
        list_serializer_class = ClaimListSerializer
        fields = [
            *("id", "slug", "summary", "kind", "party", "speaker"),
            *("claimed", "claimed_on", "claimed_precision", "date_note"),
            *("citations", "statistics", "relations", "placements"),
            *("created_at", "updated_at", "permalink"),
        ]

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations(self, claim: Claim) -> list[dict]:
        related: dict[int, list[RelatedClaim]] | None = self.context.get("related")
        if related is None:
            related = related_claims([claim.pk])
        return RelationSerializer(related.get(claim.pk, []), many=True).data


class VerdictCountSerializer(serializers.Serializer):
    """How many pairs of a metric's distinct values reach one verdict."""

    verdict = serializers.ChoiceField(choices=Verdict.choices, source="verdict.value")
    label = serializers.CharField(source="verdict.label")
    note = serializers.CharField(source="verdict.note")
    is_conflict = serializers.BooleanField(source="verdict.is_conflict")
    total = serializers.IntegerField()
    complete = serializers.BooleanField(
        help_text="False when the comparison budget ran out: total is then a lower bound."
    )


class MetricListSerializer(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[dict]:
        metrics = list(data)
        entries = metric_entries([m.pk for m in metrics])  # one query for the page
        self.context["verdicts"] = {m.pk: tally(entries.get(m.pk, []))[0] for m in metrics}
        return super().to_representation(metrics)


class MetricSerializer(Record):
    value_count = serializers.IntegerField(help_text="Every value reported for the metric.")
    verdicts = serializers.SerializerMethodField(
        help_text="How the metric's distinct values compare, pair by pair, conflicts first."
    )
    permalink = PermalinkField()

    class Meta:
        model = Metric
        list_serializer_class = MetricListSerializer
        fields = [
            *("id", "slug", "name", "definition", "unit"),
            *("value_count", "verdicts", "permalink"),
        ]

    @extend_schema_field(VerdictCountSerializer(many=True))
    def get_verdicts(self, metric: Metric) -> list[dict]:
        verdicts = self.context.get("verdicts")
        groups = (
            verdicts[metric.pk]
            if verdicts is not None
            else tally(metric_entries([metric.pk]).get(metric.pk, []))[0]
        )
        return VerdictCountSerializer(groups.values(), many=True).data


class OtherValueSerializer(Record):
    claim = ClaimRefSerializer()
    period = serializers.CharField(source="period.text", allow_null=True, default=None)

    class Meta:
        model = Statistic
        fields = ["id", "value", "qualifier", "display_value", "period", "scope_note", "claim"]


class ComparisonSerializer(serializers.Serializer):
    """How another value of the metric relates to this one."""

    verdict = serializers.ChoiceField(choices=Verdict.choices, source="verdict.value")
    label = serializers.CharField(source="verdict.label")
    is_conflict = serializers.BooleanField(source="verdict.is_conflict")
    other = OtherValueSerializer(source="second")
    other_count = serializers.IntegerField(
        source="second_count", help_text="How many statements gave the other value."
    )


class MetricValueSerializer(serializers.Serializer):
    """One value of the metric, who gave it, and how the metric's other values relate."""

    statistic = StatisticSerializer()
    claim = ClaimRefSerializer(source="statistic.claim")
    comparisons = ComparisonSerializer(many=True, help_text="The first few, conflicts first.")
    comparison_total = serializers.IntegerField(source="total")
    conflict_total = serializers.IntegerField()


class MetricDetailSerializer(MetricSerializer):
    values = serializers.SerializerMethodField(help_text="Every value, by period and date.")

    class Meta(MetricSerializer.Meta):
        fields = [*MetricSerializer.Meta.fields, "values"]

    @extend_schema_field(MetricValueSerializer(many=True))
    def get_values(self, metric: Metric) -> list[dict]:
        values = (
            Statistic.objects.filter(metric=metric)
            .select_related("metric", "claim__party")
            .order_by(
                models.F("period_start").asc(nulls_last=True),
                models.F("claim__claimed_on").asc(nulls_last=True),
                "pk",
            )
        )
        return MetricValueSerializer(statistic_reports(values), many=True).data


class SideSerializer(Record):
    party = PartyRefSerializer()
    heading = serializers.CharField(help_text="The column heading: the label, else the party.")

    class Meta:
        model = DisputeSide
        fields = ["id", "party", "label", "heading", "stance", "order"]


class PointPlacementSerializer(Record):
    claim = ClaimRefSerializer()
    side = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The side's id.")

    class Meta:
        model = PointClaim
        fields = ["id", "claim", "side", "order"]


class PointSerializer(Record):
    placements = PointPlacementSerializer(many=True, help_text="The claims on this point.")
    permalink = PermalinkField()

    class Meta:
        model = DisputePoint
        fields = ["id", "question", "summary", "order", "placements", "permalink"]


class DisputeSerializer(Record):
    sides = SideSerializer(many=True, help_text="The columns of the board, in order.")
    points = PointSerializer(many=True, help_text="The rows of the board, in order.")
    permalink = PermalinkField()

    class Meta:
        model = Dispute
        fields = ["id", "slug", "title", "summary", "created_at", "sides", "points", "permalink"]
