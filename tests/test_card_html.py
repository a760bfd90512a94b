"""The card, timeline-row and pair tags write what the templates they replaced wrote, and the
filter form's <select>s what Django's widget templates write: the same markup, escaped."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils.safestring import mark_safe

from claims.cards import Card, ConflictNote, FigureLine, Link, RelatedClaim, plain_cards
from claims.filters import ClaimFilter
from claims.models import Citation, Claim, ClaimRelation
from claims.search.matching import Highlight
from claims.templatetags.card_html import claim_card, timeline_item
from claims.templatetags.form_html import widget_html
from sources.links import reverse_kept
from tests.factories import (
    make_citation,
    make_claim,
    make_outlet,
    make_party,
    make_source,
    make_statistic,
)

# The templates as they were before the tags (commit 8504a3a), kept as the reference.
BEFORE = Path(__file__).parent / "data" / "card_templates_before_tags"
OLD_CARD = (BEFORE / "_claim_card.html").read_text()
OLD_TIMELINE_ITEM = (BEFORE / "_timeline_item.html").read_text()

HOSTILE = '<script>alert(1)</script> & "quoted" \u202eevil'


def same_html(html: str) -> str:
    """Whitespace runs collapsed: the tags indent differently, the markup is the same."""
    return re.sub(r"\s+", " ", str(html)).strip()


def old(template: str, **context) -> str:
    return Template(template).render(Context(context))


def loaded(claim: Claim) -> Claim:
    return Claim.objects.with_related().get(pk=claim.pk)


def rich_card() -> Card:
    """A card with everything a card can show: a speaker with a role, two sources (one
    without an outlet), an unverified first quote, figures with conflicts, five rebuttals."""
    party = make_party(name=f"Party {HOSTILE}")
    speaker = make_party(name=f"Speaker {HOSTILE}", role=f"Role {HOSTILE}", kind="person")
    claim = make_claim(
        party=party,
        speaker=speaker,
        summary=f"Summary {HOSTILE}",
        source=make_source(outlet=make_outlet(name=f"Outlet {HOSTILE}")),
    )
    make_citation(
        claim=claim,
        source=make_source(title=f"A very long source title {HOSTILE} " * 4, outlet=None),
        quote="Takedown requests fell 25% last year",
    )
    Citation.objects.filter(claim=claim).update(needs_review=True)
    make_statistic(claim=claim)
    claim = loaded(claim)
    others = [make_claim(summary=f"Other claim {i} {HOSTILE} " * 5) for i in range(5)]
    kind = ClaimRelation.Kind.REBUTS
    links = [
        Link(RelatedClaim(kind, kind.label, other), f"#claim-{other.pk}", f"({HOSTILE} column)")
        for other in others
    ]
    statistic = claim.card_statistics[0]  # type: ignore[attr-defined]
    figures = [
        FigureLine(statistic, [ConflictNote("Conflicts", "-30%", f"P {HOSTILE}")] * 2, 3),
        FigureLine(statistic),
    ]
    return Card(claim, links=links, figures=figures, anchor=True)


@pytest.mark.django_db
@pytest.mark.parametrize("heading_level", [3, 4])
def test_a_full_card_is_the_markup_of_the_old_template(heading_level):
    card = rich_card()
    html = claim_card(card, heading_level)
    assert same_html(html) == same_html(old(OLD_CARD, card=card, heading_level=heading_level))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<bdi>" in html  # the directional override is isolated
    assert '<details class="relations-more">' in html  # more than three rebuttals fold
    assert "quote--unverified" in html and f"<h{heading_level} " in html


@pytest.mark.django_db
def test_a_plain_card_and_a_highlighted_one_are_the_markup_of_the_old_template():
    claim = loaded(make_claim(summary=HOSTILE))
    marked = [
        Highlight(summary=mark_safe("<mark>Sum</mark>mary"), quote=None),
        Highlight(summary=mark_safe("S"), quote=mark_safe("<mark>Q</mark>")),
    ]
    for card in plain_cards([claim]) + [Card(claim, highlight=h) for h in marked]:
        html = claim_card(card)
        assert same_html(html) == same_html(old(OLD_CARD, card=card))


@pytest.mark.django_db
def test_a_claim_without_citations_shows_no_quote_as_before():
    claim = make_claim()
    Citation.objects.filter(claim=claim).delete()
    card = plain_cards([loaded(claim)])[0]
    html = claim_card(card)
    assert "blockquote" not in html
    assert same_html(html) == same_html(old(OLD_CARD, card=card))


@pytest.mark.django_db
def test_a_timeline_row_is_the_markup_of_the_old_template():
    card = rich_card()
    undated = loaded(make_claim(claimed_on=None, claimed_precision="unknown", date_note=HOSTILE))
    for row in (card, Card(undated)):
        html = timeline_item(row)
        assert same_html(html) == same_html(old(OLD_TIMELINE_ITEM, card=row))
        assert "<script>" not in html


@pytest.mark.django_db
def test_the_filter_form_renders_as_django_renders_it():
    party = make_party(name=HOSTILE)
    make_claim(party=party)
    bound = ClaimFilter({"party": party.slug, "kind": "assertion", "q": HOSTILE}).form
    for form in (ClaimFilter().form, bound):
        for field in form:
            assert same_html(widget_html(field)) == same_html(str(field)), field.name


@pytest.mark.django_db
def test_kept_addresses_are_reverse_s_and_follow_the_script_prefix():
    claim = make_claim()
    assert claim.get_absolute_url() == reverse(
        "claims:detail", kwargs={"pk": claim.pk, "slug": claim.slug}
    )
    set_script_prefix("/news/")
    try:
        assert reverse_kept("parties:detail", slug="x") == "/news/parties/x/"
        assert claim.get_absolute_url().startswith("/news/claims/")
    finally:
        set_script_prefix("/")
    assert reverse_kept("parties:detail", slug="x") == "/parties/x/"
