"""The chainable queries over claims (ClaimQuerySet, Claim.objects): what each page loads
with a claim, a party's claims, timeline order."""

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q

from claims.models.parties import Party
from claims.models.timeline_order import TIMELINE_ORDER, PartyTimeline, timeline_key_expression


def _citations() -> models.Manager:
    # Citation is defined in claims.models.claims, which builds on this module.
    return apps.get_model("claims", "Citation")._default_manager


# The columns a claim card reads of its citations (the quote, whether it needs review, each
# source's title, date and outlet, and their addresses; not the source bodies, offsets or
# bookkeeping: a card names its sources, it does not quote them in full) and of its
# figures. Loading only these halves the columns of a board's two prefetches.
CARD_CITATION = (
    "claim",
    "source",
    "quote",
    "needs_review",
    "source__title",
    "source__slug",
    "source__outlet",
    "source__published_on",
    "source__published_precision",
    "source__outlet__name",
    "source__outlet__slug",
)
CARD_STATISTIC = (
    "claim",
    "metric",
    "value",
    "unit",
    "currency",
    "qualifier",
    "period_label",
    "period_start",
    "period_end",
    "scope_note",
    "metric__name",
    "metric__slug",
    "metric__unit",
    "metric__summary__entry_count",
)


class ClaimQuerySet(models.QuerySet):
    def with_related(self) -> "ClaimQuerySet":
        """Everything a claim card shows (three queries): party, speaker, and as plain lists
        (cheaper than a queryset per card) claim.card_citations and claim.card_statistics;
        not the source bodies: a card names its sources, it does not quote them in full."""
        # Statistic is defined in claims.models.figures, which builds on this module.
        statistic = apps.get_model("claims", "Statistic")
        return self.select_related("party", "speaker").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=apps.get_model("claims", "Citation")
                .objects.select_related("source__outlet")
                .only(*CARD_CITATION),
                to_attr="card_citations",
            ),
            models.Prefetch(
                "statistics",
                # The summary's stored count lets a board cap its comparisons (no query); its
                # tally and chart are the metric page's.
                queryset=statistic.objects.select_related("metric__summary").only(*CARD_STATISTIC),
                to_attr="card_statistics",
            ),
        )

    def for_permalink(self) -> "ClaimQuerySet":
        """Everything a claim permalink shows: parties with their organisations, citations
        (earliest report first, undated sources last on every database) with their sources,
        figures with their metrics, placements on disputes (four queries in all)."""
        statistic = apps.get_model("claims", "Statistic")
        placement = apps.get_model("claims", "PointClaim")
        return self.select_related("party__affiliation", "speaker__affiliation").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=apps.get_model("claims", "Citation")
                .objects.select_related("source__outlet")
                .order_by(F("source__published_on").asc(nulls_last=True), "pk"),
            ),
            models.Prefetch("statistics", queryset=statistic.objects.select_related("metric")),
            models.Prefetch(
                "placements",
                queryset=placement.objects.select_related("point__dispute", "side__party"),
            ),
        )

    def with_cited_sources(self) -> "ClaimQuerySet":
        """Party, speaker and citations in permalink order (earliest report first), each
        cited source loaded once with its body, which tells an anchored quote (3 queries)."""
        return self.select_related("party", "speaker").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=_citations().order_by(
                    F("source__published_on").asc(nulls_last=True), "pk"
                ),
            ),
            "citations__source",
        )

    def for_export(self) -> "ClaimQuerySet":
        """Everything an open-data record of a claim gives: with_cited_sources(), figures
        with their metrics, placements on disputes (five queries in all)."""
        statistic = apps.get_model("claims", "Statistic")
        placement = apps.get_model("claims", "PointClaim")
        return self.with_cited_sources().prefetch_related(
            models.Prefetch("statistics", queryset=statistic.objects.select_related("metric")),
            models.Prefetch(
                "placements",
                queryset=placement.objects.select_related("point__dispute", "side__party"),
            ),
        )

    def by_party(
        self, party: "Party | models.Expression | OuterRef", group: list[int] | None = None
    ) -> "ClaimQuerySet":
        """A party's claims: made by the party, said by it as speaker, or by its members; the
        one definition (party page, party counts, the claims filter). party may be an
        OuterRef; given a party, two index scans find them, not joins over every claim.
        group: party.group_ids() when the caller has it already (it costs a query)."""
        if isinstance(party, Party):
            group = party.group_ids() if group is None else group
            return self.filter(Q(party__in=group) | Q(speaker__in=group))
        by_members = Q(party__affiliation=party) | Q(speaker__affiliation=party)
        return self.filter(Q(party=party) | Q(speaker=party) | by_members)

    def newest_first(self) -> "ClaimQuerySet":
        """Latest claim date first; undated claims last on every database."""
        return self.order_by(F("claimed_on").desc(nulls_last=True), "-pk")

    def chronological(self) -> "ClaimQuerySet":
        """The order of timeline.build_timeline, so a timeline is paginated in SQL: by the
        stored timeline_key (see timeline_key()), undated claims last, then by id."""
        return self.order_by(*TIMELINE_ORDER)

    def timeline_of(self, group: list[int], count: int) -> "PartyTimeline":
        """by_party(...).chronological() for the party whose group_ids() is group, as a list
        of count claims that a paginator slices: each page is read from the timeline indexes
        (see PartyTimeline), not sorted from all of the party's claims."""
        return PartyTimeline(self, group, count)

    def refresh_timeline_keys(self) -> int:
        """Recompute the stored timeline_key of these claims in one UPDATE, for writes that
        bypass save() (a restore of an older backup, raw SQL); returns how many rows."""
        return self.update(timeline_key=timeline_key_expression())
