import re

import pytest
from django.urls import reverse

from claims.models import Citation
from tests.factories import make_claim, make_outlet, make_source

pytestmark = pytest.mark.django_db

HOSTILE = (
    'Intro <script>alert("x")</script> text. '
    "The minister said “we will act” and then <b>left</b>. "
    "Figures rose 10% overall."
)


def test_source_page_shows_its_metadata(client):
    source = make_source(
        author="A. Writer", outlet=make_outlet(name="The Daily"), date_note="Dated in the text."
    )
    html = client.get(source.get_absolute_url()).content.decode()
    assert f"<h1>{source.title}</h1>" in html
    for text in ["The Daily", "A. Writer", "15 Jan 2018", "Dated in the text.", "News article"]:
        assert text in html
    assert source.url in html
    assert source.body_sha256 in html


def test_cited_passage_is_highlighted_and_linked_to_its_claim(client):
    claim = make_claim(summary="The company rejects it")
    citation = claim.citations.get()
    html = client.get(citation.source.get_absolute_url()).content.decode()
    assert (
        f'<mark class="cite" id="citation-{citation.pk}">We reject the listing entirely</mark>'
        in html
    )
    assert f'href="{claim.get_absolute_url()}"' in html


def test_hostile_body_is_escaped(client):
    source = make_source(body=HOSTILE)
    make_claim(quote="we will act", source=source)
    html = client.get(source.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;left&lt;/b&gt;" in html
    assert ">we will act</mark>" in html


def test_hostile_quote_is_escaped_on_the_claim_page(client):
    source = make_source(body=HOSTILE)
    claim = make_claim(quote='<script>alert("x")</script>', source=source)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "<mark>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</mark>" in html


def test_overlapping_citations_keep_the_markup_well_formed(client):
    source = make_source(body="One two three four five six seven.")
    first = make_claim(quote="two three four", source=source).citations.get()
    second = make_claim(quote="four five six", source=source).citations.get()
    inner = make_claim(quote="three", source=source).citations.get()
    html = client.get(source.get_absolute_url()).content.decode()
    body = re.search(r'<div class="source-body">(.*?)</div>', html, re.S).group(1)
    assert body.count("<mark") == body.count("</mark>")
    for citation in (first, second, inner):
        assert f'id="citation-{citation.pk}"' in body
    text = re.sub(r"<a [^>]*>\[\d+\]</a>", "", body)
    assert re.sub(r"<[^>]+>", "", text) == "One two three four five six seven."
    # Nested, not crossing: the inner passage sits inside the first one's mark.
    outer = f'<mark class="cite" id="citation-{first.pk}">two '
    assert f'{outer}<mark class="cite" id="citation-{inner.pk}">three</mark>' in body


def test_citation_needing_review_is_listed_as_unverified_not_highlighted(client):
    claim = make_claim()
    citation = claim.citations.get()
    Citation.objects.filter(pk=citation.pk).update(needs_review=True)
    html = client.get(citation.source.get_absolute_url()).content.decode()
    assert f'id="citation-{citation.pk}"' not in html
    assert "unverified — the source text changed" in html


def test_unknown_source_is_not_found(client):
    assert client.get("/sources/nothing-here/").status_code == 404


def test_source_list_filters_by_outlet(client):
    outlet = make_outlet(name="The Daily", slug="the-daily")
    mine = make_source(outlet=outlet, title="From the Daily")
    other = make_source(title="From elsewhere")
    html = client.get(reverse("sources:list"), {"outlet": "the-daily"}).content.decode()
    assert mine.title in html and other.title not in html
    assert client.get(reverse("sources:list"), {"outlet": "nope"}).status_code == 404
