"""Claim, party and source pages and lists, with a claim's JSON-LD and other sides."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, Func, OuterRef, Prefetch, Subquery
from django.utils.safestring import SafeString

from claims.anchoring import anchor_is_valid
from claims.history import public_corrections
from claims.models import Citation, Claim, DisputePoint, Party, PointClaim, Statistic
from claims.selectors.figures import statistic_reports
from claims.selectors.passages import _shorten, anchored, highlight_body, passage_in_context
from claims.selectors.relations import related_claims
from claims.selectors.timeline import build_timeline
from sources.models import Source

# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def withdrawn_claim(pk: int) -> dict | None:
    """What a removed claim's permalink shows, from its history; None if it never existed."""
    last = Claim.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != "-":
        return None
    return {
        "summary": last.summary,
        "claim_id": pk,
        "party": Party.objects.filter(pk=last.party_id).first(),
        "claimed_display": last.instance.claimed_display,
        "withdrawn_on": last.history_date,
    }


def claim_for_page(pk: int) -> Claim:
    """One claim with everything its permalink shows; raises Claim.DoesNotExist."""
    return (
        Claim.objects.select_related("party__affiliation", "speaker__affiliation")
        .prefetch_related(
            Prefetch(
                "citations",
                # Earliest report first; undated sources last on every database.
                queryset=Citation.objects.select_related("source__outlet").order_by(
                    F("source__published_on").asc(nulls_last=True), "pk"
                ),
            ),
            Prefetch("statistics", queryset=Statistic.objects.select_related("metric")),
            Prefetch(
                "placements",
                queryset=PointClaim.objects.select_related("point__dispute", "side__party"),
            ),
        )
        .get(pk=pk)
    )


def published_assessment(claim: Claim):
    """The claim's assessment if an editor has published it, with its evidence."""
    from claims.models import Assessment

    return (
        Assessment.objects.filter(claim=claim, is_published=True)
        .prefetch_related(Prefetch("evidence", queryset=Citation.objects.select_related("source")))
        .first()
    )


def party_list():
    """Every party with the number of its claims, as ClaimQuerySet.by_party counts them."""
    counted = (
        Claim.objects.by_party(OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return (
        Party.objects.select_related("affiliation")
        .annotate(claim_count=Subquery(counted))
        .order_by("name")
    )


def source_list():
    return (
        Source.objects.with_outlet()
        .annotate(citation_count=Count("citations"))
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )


# ---------------------------------------------------------------------------------------------
# Page assemblies
# ---------------------------------------------------------------------------------------------


@dataclass
class CitationView:
    citation: Citation
    context: SafeString
    is_anchored: bool


def _party_ld(party: Party) -> dict:
    kind = "Person" if party.is_person else "Organization"
    return {"@type": kind, "name": party.name, **({"url": party.url} if party.url else {})}


def _appearance(citation: Citation, site_url: str) -> dict:
    source = citation.source
    found = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or f"{site_url}{citation.get_absolute_url()}",
    }
    if published := _source_iso(source):
        found["datePublished"] = published
    if source.outlet:
        found["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return found


def claim_json_ld(
    claim: Claim, canonical: str, site_url: str, citations: list[Citation], assessment
) -> list:
    """schema.org Claim, plus ClaimReview when an editor's assessment is published.

    text is the representative quote (see representative_citation); each source appears
    once, the earliest first.
    """
    by_source = {c.source_id: c for c in reversed(citations)}  # the first citation per source
    appearances = [_appearance(c, site_url) for c in citations if by_source[c.source_id] is c]
    quoted = representative_citation(citations)
    item = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": canonical,
        "url": canonical,
        "name": claim.summary,
        "author": _party_ld(claim.speaker or claim.party),
        **({"text": quoted.quote} if quoted else {}),
        **({"dateCreated": claim.claimed_iso} if claim.claimed_iso else {}),
        **({"firstAppearance": appearances[0], "appearance": appearances} if appearances else {}),
    }
    if not assessment:
        return [item]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{canonical}#assessment",
        "claimReviewed": claim.summary,
        "itemReviewed": {"@id": canonical},
        "author": {"@type": "Organization", "name": "Counterpoint"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": assessment.get_rating_display(),
            **(
                {"ratingValue": assessment.rating_value, "bestRating": 5, "worstRating": 1}
                if assessment.rating_value
                else {}
            ),
        },
        **(
            {"datePublished": assessment.published_at.date().isoformat()}
            if assessment.published_at
            else {}
        ),
    }
    return [item, review]


def _source_iso(source: Source) -> str:
    from sources.dates import iso_precise_date

    return iso_precise_date(source.published_on, source.published_precision)


@dataclass
class OtherSide:
    """What another side of a dispute said on a point where this claim stands."""

    point: DisputePoint
    heading: str
    claims: list[Claim]


def other_sides(claim: Claim) -> list[OtherSide]:
    """Claims placed on the same dispute points as claim, under the other sides (one query)."""
    placements = list(claim.placements.all())
    if not placements:
        return []
    own_sides = {p.side_id for p in placements}
    points = {p.point_id: p.point for p in placements}
    facing = (
        PointClaim.objects.filter(point_id__in=points)
        .exclude(side_id__in=own_sides)
        .select_related("side__party", "claim__party", "claim__speaker")
        .order_by("point__order", "side__order", "order", "pk")
    )
    grouped: dict[tuple[int, int], OtherSide] = {}
    for placement in facing:
        key = (placement.point_id, placement.side_id)
        if key not in grouped:
            grouped[key] = OtherSide(points[placement.point_id], placement.side.heading, [])
        grouped[key].claims.append(placement.claim)
    return list(grouped.values())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def representative_citation(citations: Iterable[Citation]) -> Citation | None:
    """The citation whose quote stands for the claim in link previews and JSON-LD: the first
    that is anchored in its source and is not merely the source's title (a headline)."""
    return next(
        (
            c
            for c in citations
            if not c.needs_review
            and anchor_is_valid(c.source.body, c.start, c.end, c.quote)
            and _words(c.quote) != _words(c.source.title)
        ),
        None,
    )


def claim_page(claim: Claim, site_url: str) -> dict:
    """Everything the claim permalink shows, from a claim loaded by claim_for_page()."""
    citations = list(claim.citations.all())
    canonical = f"{site_url}{claim.get_absolute_url()}"
    related = related_claims([claim.pk]).get(claim.pk, [])
    counter = next((r for r in related if r.is_opposing), None)
    facing = other_sides(claim)
    assessment = published_assessment(claim)
    quoted = representative_citation(citations)
    quote = quoted.quote if quoted else claim.summary
    description = f"{claim.party.name}: “{_shorten(quote, 160)}”"
    if counter:
        counter_quote = _shorten(counter.claim.summary, 120)
        description += (
            f" — {counter.label.capitalize()} {counter.claim.party.name}: “{counter_quote}”"
        )
    elif facing:
        answer = facing[0].claims[0]
        description += f" — {answer.party.name}: “{_shorten(answer.summary, 120)}”"
    cite_text = (
        f"{claim.party.name}, “{claim.summary}” ({claim.claimed_display}). "
        f"Counterpoint, claim {claim.pk}. {canonical}"
    )
    return {
        "claim": claim,
        "corrections": public_corrections(claim),
        "citations": [
            CitationView(c, passage_in_context(c), bool(anchored([c], c.source.body)))
            for c in citations
        ],
        "corroboration": len({c.source_id for c in citations}),
        "related": related,
        "other_sides": facing,
        "statistics": statistic_reports(claim.statistics.all()),
        "assessment": assessment,
        "placements": list(claim.placements.all()),
        "canonical_url": canonical,
        "meta_description": description,
        "cite_text": cite_text,
        "json_ld": claim_json_ld(claim, canonical, site_url, citations, assessment),
    }


CLAIMS_PER_PARTY_PAGE = 50


def party_page(party: Party, page_number: str | None = None) -> dict:
    """The party, its people, and its claims on a timeline with their rebuttals, paginated
    in timeline order."""
    claims = Claim.objects.by_party(party).with_related().chronological()
    page = Paginator(claims, CLAIMS_PER_PARTY_PAGE).get_page(page_number)
    shown = list(page.object_list)
    related = related_claims(c.pk for c in shown)
    for claim in shown:
        # As on a dispute board: the timeline draws rebuttals and contradictions.
        claim.board_related = [r for r in related.get(claim.pk, []) if r.is_opposing]
    return {
        "party": party,
        "members": list(party.members.all()),
        "claims": shown,
        "claim_count": page.paginator.count,
        "page_obj": page,
        "timeline": build_timeline(shown),
        "sides": list(party.dispute_sides.select_related("dispute")),
    }


def source_page(source: Source) -> dict:
    citations = list(source.citations.select_related("claim__party").order_by("start", "pk"))
    highlighted = anchored(citations, source.body)
    highlighted_ids = {c.pk for c in highlighted}
    return {
        "source": source,
        "body_html": highlight_body(source.body, highlighted),
        "citations": highlighted,
        "unverified": [c for c in citations if c.pk not in highlighted_ids],
    }
