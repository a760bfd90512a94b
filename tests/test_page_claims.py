import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Assessment, Citation, Claim, ClaimRelation
from claims.views.disputes import CLAIMS_PER_CELL
from sources.dates import DatePrecision
from tests.factories import (
    make_citation,
    make_claim,
    make_dispute,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> list:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_claim_page_shows_who_when_and_the_quote_in_context(client):
    claim = make_claim(summary="The company rejects the listing")
    response = client.get(claim.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>The company rejects the listing</h1>" in html
    assert claim.party.name in html
    assert '<time datetime="2018-01">Jan 2018</time>' in html
    # The passage around the quote, with the quote itself highlighted.
    assert "The agency said the market was notorious." in html
    assert "<mark>We reject the listing entirely</mark>" in html
    citation = claim.citations.get()
    assert f'href="{citation.source.get_absolute_url()}#citation-{citation.pk}"' in html


def test_stale_slug_redirects_permanently_to_canonical_url(client):
    claim = make_claim(summary="Takedown requests fell")
    response = client.get(reverse("claims:detail", kwargs={"pk": claim.pk, "slug": "old-words"}))
    assert response.status_code == 301
    assert response["Location"] == f"/claims/{claim.pk}/takedown-requests-fell/"


def test_id_alone_redirects_permanently_to_canonical_url(client):
    claim = make_claim(summary="Takedown requests fell")
    response = client.get(reverse("claims:detail_by_id", kwargs={"pk": claim.pk}))
    assert response.status_code == 301
    assert response["Location"] == claim.get_absolute_url()


def test_canonical_url_answers_without_redirect(client):
    claim = make_claim()
    assert client.get(claim.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("path", ["/claims/999999/", "/claims/999999/any-slug/"])
def test_unknown_claim_id_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_claim_page_declares_canonical_and_link_preview_tags(client, settings):
    source = make_source()
    target = make_claim(summary="The market is notorious", quote="the market was notorious")
    claim = make_claim(summary="The company rejects the listing", source=source)
    ClaimRelation.objects.create(from_claim=claim, to_claim=target, kind=ClaimRelation.Kind.REBUTS)
    html = client.get(claim.get_absolute_url()).content.decode()
    canonical = f"{settings.SITE_URL}{claim.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    description = re.search(r'<meta property="og:description" content="([^"]*)">', html).group(1)
    assert "“We reject the listing entirely”" in description  # the quote
    assert "“the market was notorious”" in description  # the counter-claim's own words
    assert "The market is notorious" not in description  # not our summary of them
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_claim_page_emits_schema_org_claim_without_review_when_unassessed(client):
    claim = make_claim(summary="The company rejects the listing")
    data = json_ld(client.get(claim.get_absolute_url()).content.decode())
    assert [item["@type"] for item in data] == ["Claim"]
    assert data[0]["name"] == "The company rejects the listing"
    assert data[0]["text"] == "We reject the listing entirely"
    assert data[0]["dateCreated"] == "2018-01"


def test_published_assessment_is_shown_with_claim_review(client):
    claim = make_claim()
    Assessment.objects.create(
        claim=claim,
        rating=Assessment.Rating.MISLEADING,
        rationale="The figure covers another period.",
        is_published=True,
        published_at=timezone.now(),
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Misleading" in html and "The figure covers another period." in html
    review = json_ld(html)[1]
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["ratingValue"] == 2


def test_unpublished_assessment_is_not_shown(client):
    claim = make_claim()
    Assessment.objects.create(
        claim=claim, rating=Assessment.Rating.ACCURATE, rationale="Draft verdict."
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Draft verdict." not in html
    assert [item["@type"] for item in json_ld(html)] == ["Claim"]


def test_script_in_a_quote_cannot_break_out_of_json_ld_or_the_page(client):
    hostile = "He said </script><script>alert(1)</script> & left."
    source = make_source(body=f"Intro. {hostile} Outro.")
    claim = make_claim(summary="A hostile quote", quote=hostile, source=source)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert json_ld(html)[0]["text"] == hostile  # still the exact quote once decoded


def test_related_claims_are_listed_in_both_directions(client):
    first = make_claim(summary="The market is notorious")
    second = make_claim(summary="The listing is political")
    third = make_claim(summary="Another party agrees")
    ClaimRelation.objects.create(from_claim=second, to_claim=first, kind=ClaimRelation.Kind.REBUTS)
    ClaimRelation.objects.create(
        from_claim=third, to_claim=second, kind=ClaimRelation.Kind.SUPPORTS
    )
    html = client.get(second.get_absolute_url()).content.decode()
    assert "Rebuts" in html and "The market is notorious" in html
    assert "Supported by" in html and "Another party agrees" in html
    assert "Rebutted by" in client.get(first.get_absolute_url()).content.decode()


def test_corroboration_counts_distinct_sources(client):
    claim = make_claim()
    Citation.objects.create(
        claim=claim, source=make_source(), quote="We reject the listing entirely"
    )
    assert "Reported by 2 sources" in client.get(claim.get_absolute_url()).content.decode()


def test_citation_needing_review_is_flagged_and_not_highlighted(client):
    claim = make_claim()
    Citation.objects.filter(claim=claim).update(needs_review=True)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "unverified — the source text changed" in html
    assert "<mark>" not in html


def test_claim_page_offers_a_cite_this_block_with_the_permalink(client, settings):
    claim = make_claim(
        summary="Takedown requests fell",
        claimed_on=datetime.date(2017, 1, 1),
        claimed_precision=DatePrecision.YEAR,
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    url = f"{settings.SITE_URL}{claim.get_absolute_url()}"
    # The verbatim quote in quotation marks, never the summary.
    assert f"“We reject the listing entirely” (2017). Counterpoint, claim {claim.pk}. {url}" in html
    assert "“Takedown requests fell”" not in html
    assert f'readonly value="{url}"' in html


def test_claim_list_shows_claims_newest_first(client):
    older = make_claim(summary="Older claim", claimed_on=datetime.date(2016, 1, 1))
    newer = make_claim(summary="Newer claim", claimed_on=datetime.date(2018, 3, 1))
    html = client.get(reverse("claims:list")).content.decode()
    assert html.index(newer.summary) < html.index(older.summary)
    assert "2 claims" in html


def test_claim_page_owns_up_to_corrections(client):
    claim = make_claim(claimed_on=datetime.date(2018, 1, 1), claimed_precision=DatePrecision.MONTH)
    claim.claimed_on = datetime.date(2017, 1, 1)
    claim.claimed_precision = DatePrecision.YEAR
    claim.save()
    html = client.get(claim.get_absolute_url()).content.decode()
    assert 'id="corrections-heading"' in html
    assert "Date corrected" in html


def test_permalink_shows_what_the_other_side_said_on_the_same_point(client):
    agency, company = make_party(name="The Agency"), make_party(name="The Company")
    dispute = make_dispute(parties=(agency, company))
    charge = make_claim(party=agency, summary="The market is notorious")
    answer = make_claim(party=company, summary="The listing is political")
    place_claim(charge, dispute)
    place_claim(answer, dispute)
    html = client.get(answer.get_absolute_url()).content.decode()
    section = html[html.index('id="other-side-heading"') : html.index('id="cite-heading"')]
    assert "The market is notorious" in section
    assert "The Agency" in section
    assert "The listing is political" not in section
    assert 'content="The Company: ' in html
    assert "The Agency: “We reject the listing entirely”" in html  # its quote, not its summary
    assert "“The market is notorious”" not in html


def test_permalink_lists_a_board_cell_of_the_other_side_and_links_to_the_rest(client):
    agency, company = make_party(name="The Agency"), make_party(name="The Company")
    dispute = make_dispute(parties=(agency, company))
    charge = make_claim(party=agency, summary="The market is notorious")
    place_claim(charge, dispute)
    for i in range(CLAIMS_PER_CELL + 2):
        place_claim(make_claim(party=company, summary=f"Answer number {i}"), dispute)
    html = client.get(charge.get_absolute_url()).content.decode()
    section = html[html.index('id="other-side-heading"') : html.index('id="cite-heading"')]
    assert section.count("Answer number") == CLAIMS_PER_CELL
    point, side = dispute.points.get(), dispute.sides.get(party=company)
    cell = reverse("disputes:cell", kwargs={"slug": dispute.slug, "pk": point.pk, "side": side.pk})
    assert f'<a href="{cell}">And 2 more claims from The Company on this point</a>' in section


def test_undated_claims_come_last_in_the_claims_list_on_every_database(client):
    undated = make_claim(summary="Undated claim", claimed_on=None, claimed_precision="unknown")
    older = make_claim(summary="Older claim", claimed_on=datetime.date(2016, 1, 1))
    newer = make_claim(summary="Newer claim", claimed_on=datetime.date(2018, 3, 1))
    html = client.get(reverse("claims:list")).content.decode()
    assert html.index(newer.summary) < html.index(older.summary) < html.index(undated.summary)
    assert list(Claim.objects.all()) == [newer, older, undated]  # Meta.ordering too


def test_link_preview_and_json_ld_quote_the_first_anchored_passage_not_a_headline(client, settings):
    headline = "Market rejects notorious listing"
    body = (
        f"{headline}\n\nThe agency said the market was notorious. We reject the listing entirely."
    )
    early = make_source(title=headline, body=body, published_on=datetime.date(2018, 1, 1))
    claim = make_claim(summary="The company rejects the listing", source=early, quote=headline)
    # A flagged citation from an even earlier source is not quoted either.
    flagged = make_source(published_on=datetime.date(2017, 12, 1), published_precision="day")
    Citation.objects.create(
        claim=claim, source=flagged, quote="The agency said the market was notorious"
    )
    Citation.objects.filter(source=flagged).update(needs_review=True)
    make_citation(claim=claim, source=early, quote="We reject the listing entirely")
    later = make_source(published_on=datetime.date(2018, 2, 1))
    make_citation(claim=claim, source=later, quote="We reject the listing entirely")
    html = client.get(claim.get_absolute_url()).content.decode()
    description = re.search(r'<meta property="og:description" content="([^"]*)">', html).group(1)
    assert description.startswith(f"{claim.party.name}: “We reject the listing entirely”")
    assert headline not in description and "notorious" not in description
    data = json_ld(html)[0]
    assert data["text"] == "We reject the listing entirely"
    urls = [appearance["url"] for appearance in data["appearance"]]
    assert urls == [flagged.url, early.url, later.url]  # each source once, earliest first
    assert data["firstAppearance"]["url"] == flagged.url


def test_claim_page_lists_at_most_twenty_other_values_and_counts_the_rest(client):
    party = make_party()
    source = make_source()
    own = make_statistic(
        claim=make_claim(party=party, source=source), value=1, unit="count", **Y2017
    )
    for value in range(2, 32):
        make_statistic(
            claim=make_claim(party=party, source=source),
            metric=own.metric,
            value=value,
            unit="count",
            **Y2017,
        )
    html = client.get(own.claim.get_absolute_url()).content.decode()
    figures = html[html.index('id="figures-heading"') : html.index('id="related-heading"')]
    assert figures.count('<li class="comparison comparison--drift">') == 20
    assert "And 10 more values that differ" in figures
    assert f'href="{own.metric.get_absolute_url()}"' in figures


def test_a_withdrawn_claims_permalink_answers_gone_and_says_what_it_was(client):
    claim = make_claim(summary="A claim recorded in error")
    url, pk = claim.get_absolute_url(), claim.pk
    claim.delete()
    response = client.get(url)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This claim has been withdrawn" in html
    assert "A claim recorded in error" in html
    assert client.get(f"/claims/{pk}/").status_code == 410


def test_a_claim_number_that_never_existed_is_not_found(client):
    assert client.get("/claims/987654/").status_code == 404
