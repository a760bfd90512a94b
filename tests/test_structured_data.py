"""schema.org JSON-LD on every page kind, read back the way a consumer reads it: extracted
from the HTML with extruct, and expanded with pyld against a local copy of a schema.org
context (tests/data/schemaorg-context.jsonld; no network)."""

import json
from pathlib import Path

import extruct
import pytest
from django.conf import settings
from django.utils import timezone
from pyld import jsonld

from claims.models import Assessment
from sources.models import Source
from tests.factories import make_claim, make_source
from tests.page_kinds import ANSWER, QUOTE, build_world, page_urls

SITE = settings.SITE_URL
pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
CONTEXT_FILE = Path(__file__).parent / "data" / "schemaorg-context.jsonld"


@pytest.fixture
def world():
    return build_world()


def json_ld(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    return extruct.extract(response.content.decode(), syntaxes=["json-ld"])["json-ld"]


def local_schema_org(url: str, options: dict) -> dict:
    """pyld's document loader: the schema.org context from the committed file, and nothing
    else (a test that reached for the network would fail here, not hang)."""
    if url.rstrip("/") not in {"https://schema.org", "http://schema.org"}:
        raise ValueError(f"No remote documents in tests: {url}")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXT_FILE.read_text()),
    }


def expanded_types(items: list[dict]) -> set[str]:
    found: set[str] = set()
    for node in jsonld.expand(items, {"documentLoader": local_schema_org}):
        found.update(node.get("@type", []))
    return found


def test_claim_permalink_is_a_claim_with_its_speaker_date_and_appearances(client, world):
    (item,) = json_ld(client, world.claim.get_absolute_url())
    assert item["@type"] == "Claim"
    assert item["text"] == QUOTE
    assert item["datePublished"] == "2018-01"  # at the precision known: the month
    author = item["author"]
    assert author["@type"] == "Person" and author["name"] == "Jane Doe"
    assert author["jobTitle"] == "Spokesperson"
    assert author["worksFor"] == {
        "@type": "Organization",
        "@id": f"{SITE}{world.company.get_absolute_url()}",
        "name": "MarketCo",
        "url": "https://marketco.example/",
    }
    (appearance,) = item["appearance"]
    assert appearance == item["firstAppearance"]
    assert appearance["@type"] == "NewsArticle"
    assert appearance["url"] == "https://daily.example/takedowns"  # the article's own URL
    assert appearance["datePublished"] == "2018-01"
    assert appearance["publisher"]["name"] == "The Daily"
    assert appearance["author"] == {"@type": "Person", "name": "A. Reporter"}


def test_a_claim_of_an_organisation_with_an_undated_source_says_only_what_is_known(client):
    source = make_source(url="", published_on=None, published_precision="unknown")
    claim = make_claim(source=source, claimed_on=None, claimed_precision="unknown")
    (item,) = json_ld(client, claim.get_absolute_url())
    assert item["author"]["@type"] == "Organization"
    assert "datePublished" not in item
    appearance = item["firstAppearance"]
    assert "datePublished" not in appearance
    # No URL of its own: our copy of the source stands for it.
    assert appearance["url"] == f"{SITE}{source.get_absolute_url()}"


def test_claim_review_appears_only_once_an_assessment_is_published(client, world):
    assessment = Assessment.objects.create(
        claim=world.claim, rating=Assessment.Rating.MISLEADING, rationale="Another period."
    )
    url = world.claim.get_absolute_url()
    assert [i["@type"] for i in json_ld(client, url)] == ["Claim"]
    assessment.is_published = True
    assessment.published_at = timezone.now()
    assessment.save()
    claim, review = json_ld(client, url)
    assert claim["@type"] == "Claim"
    assert review["@type"] == "ClaimReview"
    reviewed = review["itemReviewed"]
    assert reviewed["@type"] == "Claim" and reviewed["text"] == QUOTE  # nested, not a link
    assert reviewed["datePublished"] == "2018-01"
    assert reviewed["author"]["name"] == "Jane Doe"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Misleading",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["author"] == {
        "@type": "Organization",
        "name": "Counterpoint",
        "url": SITE,
    }
    assert review["datePublished"] == timezone.now().date().isoformat()


def test_cannot_be_verified_is_named_without_a_number(client, world):
    Assessment.objects.create(
        claim=world.claim,
        rating=Assessment.Rating.UNVERIFIABLE,
        rationale="No data.",
        is_published=True,
        published_at=timezone.now(),
    )
    _, review = json_ld(client, world.claim.get_absolute_url())
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Cannot be verified"}


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (Source.Kind.ARTICLE, "NewsArticle"),
        (Source.Kind.PRESS_RELEASE, "Article"),
        (Source.Kind.STATEMENT, "Article"),
        (Source.Kind.REPORT, "Report"),
        (Source.Kind.BLOG_POST, "BlogPosting"),
        (Source.Kind.COMMENT, "Comment"),
    ],
)
def test_source_page_is_the_kind_of_work_the_source_is(client, kind, schema_type):
    source = make_source(kind=kind, author="A. Reporter", url="https://example.org/original")
    (item,) = json_ld(client, source.get_absolute_url())
    assert item["@type"] == schema_type
    assert item["headline"] == source.title
    assert item["datePublished"] == "2018-01-15"
    assert item["author"]["name"] == "A. Reporter"
    assert item["isBasedOn"] == item["sameAs"] == "https://example.org/original"
    assert item["url"] == f"{SITE}{source.get_absolute_url()}"


def test_source_page_names_its_publisher(client, world):
    (item,) = json_ld(client, world.source.get_absolute_url())
    assert item["publisher"] == {
        "@type": "Organization",
        "name": "The Daily",
        "url": "https://daily.example/",
    }
    assert item["datePublished"] == "2018-01"


def test_party_pages_are_an_organization_or_a_person_with_job_and_employer(client, world):
    (company,) = json_ld(client, world.company.get_absolute_url())
    assert company["@type"] == "Organization" and company["url"] == "https://marketco.example/"
    (person,) = json_ld(client, world.spokesperson.get_absolute_url())
    assert person["@type"] == "Person"
    assert person["jobTitle"] == "Spokesperson"
    assert person["worksFor"]["name"] == "MarketCo"


def test_dispute_page_lists_its_claims_with_their_urls(client, world):
    (board,) = json_ld(client, world.dispute.get_absolute_url())
    assert board["@type"] == "ItemList"
    urls = [entry["url"] for entry in board["itemListElement"]]
    assert urls == [
        f"{SITE}{world.answer.get_absolute_url()}",
        f"{SITE}{world.claim.get_absolute_url()}",
    ]
    assert [e["position"] for e in board["itemListElement"]] == [1, 2]
    assert board["itemListElement"][0]["item"]["datePublished"] == "2017"
    assert board["numberOfItems"] == 2


def test_metric_page_lists_each_value_with_its_claim(client, world):
    (values,) = json_ld(client, world.metric.get_absolute_url())
    assert values["@type"] == "ItemList"
    (entry,) = values["itemListElement"]
    assert entry["name"].startswith("-25%")
    assert entry["url"] == f"{SITE}{world.claim.get_absolute_url()}"
    assert entry["item"]["author"]["name"] == "Jane Doe"


def test_home_is_a_website_with_a_search_and_lists_are_collection_pages(client, world):
    (site,) = json_ld(client, "/")
    assert site["@type"] == "WebSite"
    assert site["potentialAction"]["target"].endswith("/claims/?q={search_term_string}")
    (claims,) = json_ld(client, "/claims/")
    assert claims["@type"] == "CollectionPage"
    listed = claims["mainEntity"]["itemListElement"]
    assert {e["item"]["name"] for e in listed} == {world.claim.summary, world.answer.summary}


EXPECTED_TYPES = {
    "home": "WebSite",
    "about": "AboutPage",
    "claim list": "CollectionPage",
    "claim": "Claim",
    "dispute list": "CollectionPage",
    "dispute": "ItemList",
    "party list": "CollectionPage",
    "party": "Organization",
    "person": "Person",
    "source list": "CollectionPage",
    "source": "NewsArticle",
    "metric list": "CollectionPage",
    "metric": "ItemList",
}


@pytest.mark.parametrize("page_kind", EXPECTED_TYPES)
def test_every_page_kind_expands_to_its_schema_org_type(client, world, page_kind):
    items = json_ld(client, page_urls(world)[page_kind])
    assert f"{SCHEMA}{EXPECTED_TYPES[page_kind]}" in expanded_types(items)


def test_an_assessed_claim_expands_to_a_claim_review_of_a_claim_by_a_person(client, world):
    Assessment.objects.create(
        claim=world.claim,
        rating=Assessment.Rating.ACCURATE,
        rationale="Checked.",
        is_published=True,
        published_at=timezone.now(),
    )
    items = json_ld(client, world.claim.get_absolute_url())
    (review,) = [
        n
        for n in jsonld.expand(items, {"documentLoader": local_schema_org})
        if f"{SCHEMA}ClaimReview" in n["@type"]
    ]
    (reviewed,) = review[f"{SCHEMA}itemReviewed"]
    assert reviewed["@type"] == [f"{SCHEMA}Claim"]
    assert reviewed[f"{SCHEMA}author"][0]["@type"] == [f"{SCHEMA}Person"]
    assert reviewed[f"{SCHEMA}text"] == [{"@value": QUOTE}]
    rating = review[f"{SCHEMA}reviewRating"][0]
    assert rating[f"{SCHEMA}ratingValue"] == [{"@value": 5}]


def test_the_context_loader_refuses_anything_but_schema_org():
    with pytest.raises(ValueError, match="No remote documents"):
        local_schema_org("https://example.org/context", {})


def test_the_method_page_documents_the_rating_scale(client):
    html = client.get("/about/").content.decode()
    rows = [
        ("Accurate", "5"),
        ("Mostly accurate", "4"),
        ("Mixed", "3"),
        ("Misleading", "2"),
        ("Inaccurate", "1"),
        ("Cannot be verified", "none: not rated"),
    ]
    for label, number in rows:
        assert f'<tr><td>{label}</td><td class="num">{number}</td></tr>' in html
    assert html.index("<td>Accurate</td>") < html.index("<td>Inaccurate</td>")


def test_the_answer_claim_quotes_its_own_words(client, world):
    (item,) = json_ld(client, world.answer.get_absolute_url())
    assert item["text"] == ANSWER
    assert item["author"]["@type"] == "Organization"
