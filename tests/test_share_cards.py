"""Share cards: canonical, Open Graph and Twitter tags on every page kind; quotation marks
only around the sources' own words; the 1200×630 share images and their caching; oEmbed
and the embed pages it frames."""

import html as html_lib
import io
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from claims import share_images
from claims.models import Citation, ClaimRelation
from tests.factories import make_claim, make_dispute, make_party, make_source, place_claim
from tests.page_kinds import ANSWER, QUOTE, build_world, page_urls
from tests.test_queries import build as build_big_world

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_world()


def meta(html: str) -> dict[str, str]:
    """The page's <meta property|name=… content=…> tags, unescaped."""
    found = {}
    for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html):
        found[key] = html_lib.unescape(value)
    return found


def get_html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def png_size(content: bytes) -> tuple[str, tuple[int, int]]:
    image = Image.open(io.BytesIO(content))
    return image.format, image.size


@pytest.fixture
def count_renders(monkeypatch):
    drawn = []
    real = share_images.render_png

    def counting(card):
        drawn.append(card)
        return real(card)

    monkeypatch.setattr(share_images, "render_png", counting)
    return drawn


# ---- tags on every page kind ------------------------------------------------------------

PAGE_KINDS = [
    "home",
    "about",
    "claim list",
    "claim",
    "dispute list",
    "dispute",
    "party list",
    "party",
    "person",
    "source list",
    "source",
    "metric list",
    "metric",
]


@pytest.mark.parametrize("page_kind", PAGE_KINDS)
def test_every_page_kind_has_canonical_open_graph_and_twitter_tags(client, world, page_kind):
    path = page_urls(world)[page_kind]
    html = get_html(client, path)
    tags = meta(html)
    assert f'<link rel="canonical" href="{SITE}{path}">' in html
    assert tags["og:url"] == f"{SITE}{path}"
    assert tags["og:site_name"] == "Counterpoint"
    assert tags["og:type"] in {"website", "article", "profile"}
    assert tags["og:title"] and tags["og:description"]
    assert tags["og:image"].startswith(f"{SITE}/") and tags["og:image"].endswith(".png")
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:title"] == tags["og:title"]
    assert tags["twitter:description"] == tags["og:description"] == tags["description"]
    assert tags["twitter:image"] == tags["og:image"]
    assert len(tags["og:title"]) <= 70
    assert len(tags["og:description"]) <= 160
    assert html.count('name="description"') == 1  # one definition, not a second by a block


@pytest.mark.parametrize("page_kind", PAGE_KINDS)
def test_every_page_kinds_og_image_is_a_1200_by_630_png(client, world, page_kind):
    image = meta(get_html(client, page_urls(world)[page_kind]))["og:image"]
    response = client.get(image.removeprefix(SITE))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png_size(response.content) == ("PNG", (1200, 630))


def test_long_texts_are_cut_at_a_word_within_the_limits(client):
    party = make_party(name="Office of the Very Long Name of a Government Agency")
    words = "the number of takedown requests declined by a quarter in the year " * 4
    body = f"Intro. {words.strip()}. Outro."
    claim = make_claim(
        party=party, summary=words.strip()[:300], quote=words.strip(), source=make_source(body=body)
    )
    tags = meta(get_html(client, claim.get_absolute_url()))
    assert len(tags["og:title"]) <= 70 and tags["og:title"].endswith("…")
    assert not tags["og:title"].endswith(" …")  # cut at a word, not mid-word
    assert len(tags["og:description"]) <= 160


def test_the_title_names_the_party_once(client, world):
    tags = meta(get_html(client, world.claim.get_absolute_url()))
    assert tags["og:title"] == "MarketCo: Takedown requests fell 25% year on year"
    usr = make_party(name="Office of the United States Trade Representative")
    listed = make_claim(party=usr, summary="USTR lists the market again")
    assert meta(get_html(client, listed.get_absolute_url()))["og:title"] == (
        "USTR lists the market again"
    )


# ---- quotation marks only around verbatim quotes ------------------------------------------


def test_the_description_carries_the_quote_and_the_other_sides_quote(client, world):
    description = meta(get_html(client, world.claim.get_absolute_url()))["og:description"]
    assert description == f"MarketCo: “{QUOTE}” — Rebutted by Trade Office: “{ANSWER}”"


def test_a_summary_is_never_put_in_quotation_marks(client, world):
    # The answer's only citation is no longer found in its source: only our summary is left.
    Citation.objects.filter(claim=world.answer).update(needs_review=True)
    html = get_html(client, world.claim.get_absolute_url())
    description = meta(html)["og:description"]
    assert description.endswith(f"Rebutted by Trade Office: {world.answer.summary}")
    assert f"“{world.answer.summary}" not in html
    # And its own page cites the summary without quotation marks.
    own = get_html(client, world.answer.get_absolute_url())
    cite = re.search(r'<p class="cite-this__text" id="cite-text">(.*?)</p>', own).group(1)
    cite = html_lib.unescape(cite)
    assert cite.startswith(f"Trade Office: {world.answer.summary} (2017).")
    assert "“" not in cite and "”" not in cite


def test_cite_this_quotes_the_verbatim_words(client, world):
    html = get_html(client, world.claim.get_absolute_url())
    cite = html_lib.unescape(re.search(r'id="cite-text">(.*?)</p>', html).group(1))
    assert cite.startswith(f"MarketCo, “{QUOTE}” (Jan 2018). Counterpoint, claim")
    assert f"“{world.claim.summary}”" not in cite


def test_a_point_answer_is_the_other_sides_claim_on_the_same_point(client):
    agency, company = make_party(name="Agency"), make_party(name="Company")
    dispute = make_dispute(parties=(agency, company))
    charge = make_claim(party=agency, summary="The market is notorious")
    answer = make_claim(party=company, summary="We reject it", quote=ANSWER)
    place_claim(charge, dispute)
    place_claim(answer, dispute)
    description = meta(get_html(client, charge.get_absolute_url()))["og:description"]
    assert description == f"Agency: “{ANSWER}” — Company: “{ANSWER}”"


# ---- the images ------------------------------------------------------------------------------


def test_claim_and_point_cards_are_1200_by_630_pngs_with_cache_headers(client, world):
    for path in (
        reverse("claims:card", kwargs={"pk": world.claim.pk}),
        reverse("disputes:point_card", kwargs={"slug": world.dispute.slug, "pk": world.point.pk}),
        reverse("share:site_card"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert png_size(response.content) == ("PNG", (1200, 630))
        assert re.fullmatch(r'"[0-9a-f]{64}"', response["ETag"])
        assert "max-age=3600" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


def test_a_second_request_is_served_from_the_cache_not_drawn_again(client, world, count_renders):
    path = reverse("claims:card", kwargs={"pk": world.claim.pk})
    first = client.get(path)
    second = client.get(path)
    assert len(count_renders) == 1
    assert first.content == second.content and first["ETag"] == second["ETag"]


def test_an_edit_to_what_the_card_shows_draws_a_new_image(client, world, count_renders):
    path = reverse("claims:card", kwargs={"pk": world.claim.pk})
    before = client.get(path)
    world.claim.summary = "Takedown requests fell by a quarter"
    world.claim.save()
    after = client.get(path)
    assert len(count_renders) == 2
    assert before["ETag"] != after["ETag"] and before.content != after.content


def test_a_matching_etag_is_answered_not_modified_without_drawing(client, world, count_renders):
    path = reverse("claims:card", kwargs={"pk": world.claim.pk})
    etag = client.get(path)["ETag"]
    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""
    assert len(count_renders) == 1


def test_the_card_draws_the_quote_against_the_counter_quote(world):
    from claims.views.share import claim_card

    card = claim_card(world.claim)
    assert [(p.heading, p.date, p.text) for p in card.panels] == [
        ("MarketCo", "Jan 2018", f"“{QUOTE}”"),
        ("Trade Office", "2017", f"“{ANSWER}”"),
    ]


def test_hostile_and_unusual_text_is_only_drawn(client):
    hostile = "</script><img src=x onerror=alert(1)> — 北京 × naïve " + "W" * 300
    source = make_source(body=f"Intro. {hostile} Outro.")
    claim = make_claim(summary="A hostile quote", quote=hostile, source=source)
    response = client.get(reverse("claims:card", kwargs={"pk": claim.pk}))
    assert png_size(response.content) == ("PNG", (1200, 630))


def test_a_missing_claim_or_a_point_of_another_dispute_has_no_card(client, world):
    other = make_dispute()
    assert client.get(reverse("claims:card", kwargs={"pk": 999999})).status_code == 404
    wrong = reverse("disputes:point_card", kwargs={"slug": other.slug, "pk": world.point.pk})
    assert client.get(wrong).status_code == 404
    assert client.post(reverse("claims:card", kwargs={"pk": world.claim.pk})).status_code == 405


CARD_QUERIES = {
    # The claim; its relations; both claims' citations. (A claim nothing rebuts costs one
    # more, for the other side's placement on its points.)
    "claim card": (lambda w: reverse("claims:card", kwargs={"pk": w.claim.pk}), 3),
    # The point with its dispute; the sides; the first placements; their citations.
    "point card": (
        lambda w: reverse(
            "disputes:point_card",
            kwargs={"slug": w.dispute.slug, "pk": w.dispute.points.first().pk},
        ),
        4,
    ),
    "site card": (lambda w: reverse("share:site_card"), 0),
}


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("endpoint", CARD_QUERIES)
def test_image_endpoints_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, endpoint, size
):
    big = build_big_world(size)
    url, queries = CARD_QUERIES[endpoint]
    path = url(big)
    for _ in range(2):  # drawn, then cached: the same queries, to know what to look up
        with django_assert_num_queries(queries):
            assert client.get(path).status_code == 200


def test_a_claim_without_an_answer_is_drawn_alone(client):
    claim = make_claim(summary="Nobody answered")
    from claims.views.share import claim_card

    assert len(claim_card(claim).panels) == 1
    response = client.get(reverse("claims:card", kwargs={"pk": claim.pk}))
    assert png_size(response.content) == ("PNG", (1200, 630))


# ---- oEmbed and the embed pages ----------------------------------------------------------


def oembed(client, **params):
    return client.get(reverse("share:oembed"), params)


def test_oembed_embeds_a_claim_permalink_as_a_rich_iframe(client, world):
    response = oembed(client, url=f"{SITE}{world.claim.get_absolute_url()}", format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["provider_name"] == "Counterpoint"
    assert data["author_name"] == "MarketCo"
    src = f"{SITE}/embed/claims/{world.claim.pk}/"
    assert data["html"].startswith(f'<iframe src="{src}" width="560" height="340"')
    assert (data["width"], data["height"]) == (560, 340)
    assert data["thumbnail_url"] == f"{SITE}/claims/{world.claim.pk}/card.png"
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (1200, 630)


def test_oembed_accepts_an_old_slug_or_the_bare_id_of_a_claim(client, world):
    for path in (f"/claims/{world.claim.pk}/", f"/claims/{world.claim.pk}/old-words/"):
        data = oembed(client, url=f"{SITE}{path}").json()
        assert f"/embed/claims/{world.claim.pk}/" in data["html"]


def test_oembed_embeds_a_dispute_point(client, world):
    url = f"{SITE}{world.point.get_absolute_url()}"
    data = oembed(client, url=url, format="json", maxwidth="500", maxheight="300").json()
    assert f'src="{SITE}/embed/points/{world.point.pk}/"' in data["html"]
    assert (data["width"], data["height"]) == (500, 300)
    assert 'width="500" height="300"' in data["html"]
    assert "thumbnail_url" not in data  # 1200×630 would not fit what the consumer allows


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"format": "xml"}, 501, "Only format=json"),
        ({"format": "yaml"}, 400, "format must be json"),
        ({"maxwidth": "wide"}, 400, "maxwidth: Enter a whole number"),
        ({"maxheight": "0"}, 400, "maxheight:"),
        ({"url": ""}, 400, "url: This field is required"),
        ({"url": "https://elsewhere.example/claims/1/"}, 404, "can be embedded"),
        ({"url": "javascript:alert(1)"}, 404, "can be embedded"),
        ({"url": f"{SITE}/claims/999999/"}, 404, "can be embedded"),
        ({"url": f"{SITE}/parties/marketco/"}, 404, "can be embedded"),
        ({"url": f"{SITE}/disputes/no-such-dispute/#point-1"}, 404, "can be embedded"),
        ({"url": f"{SITE}/no/such/page/"}, 404, "can be embedded"),
    ],
)
def test_oembed_refuses_what_it_cannot_embed_with_the_spec_status(
    client, world, params, status, message
):
    query = {"url": f"{SITE}{world.claim.get_absolute_url()}", **params}
    response = oembed(client, **query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_oembed_refuses_a_point_of_another_dispute(client, world):
    other = make_dispute()
    url = f"{SITE}{other.get_absolute_url()}#point-{world.point.pk}"
    assert oembed(client, url=url).status_code == 404


def test_claim_and_dispute_pages_advertise_oembed_discovery(client, world):
    for page, embedded in (
        (world.claim.get_absolute_url(), f"/embed/claims/{world.claim.pk}/"),
        (world.dispute.get_absolute_url(), f"/embed/points/{world.point.pk}/"),
    ):
        html = get_html(client, page)
        href = re.search(
            r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html
        ).group(1)
        response = client.get(html_lib.unescape(href).removeprefix(SITE))
        assert embedded in response.json()["html"]


def test_embed_pages_may_be_framed_and_carry_no_script(client, world):
    for path in (f"/embed/claims/{world.claim.pk}/", f"/embed/points/{world.point.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        body = response.content.decode()
        assert "<script" not in body and "style=" not in body and "<style" not in body
        assert '<link rel="stylesheet" href="/static/css/embed.css">' in body
        assert f"“{QUOTE}”" in body and f"“{ANSWER}”" in body
    # Ordinary pages still refuse to be framed.
    assert client.get(world.claim.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_the_embedded_claim_shows_its_answer_beside_it(client, world):
    body = client.get(f"/embed/claims/{world.claim.pk}/").content.decode()
    assert "Rebutted by Trade Office" in body
    assert body.index("MarketCo") < body.index("Rebutted by Trade Office")


def test_a_rebuttal_from_the_same_party_is_still_an_answer(world):
    # The relation, not the party, decides: a party may correct itself.
    from claims.voices import counterpart

    later = make_claim(party=world.company, summary="We restate it", quote=QUOTE)
    ClaimRelation.objects.create(
        from_claim=later, to_claim=world.answer, kind=ClaimRelation.Kind.CONTRADICTS
    )
    found = counterpart(world.answer)
    assert found is not None and found.claim in {world.claim, later}


def test_a_claim_answered_only_on_a_dispute_point_costs_one_query_more(
    client, django_assert_num_queries
):
    agency, company = make_party(name="Agency"), make_party(name="Company")
    dispute = make_dispute(parties=(agency, company))
    charge = make_claim(party=agency, summary="The market is notorious")
    place_claim(charge, dispute)
    place_claim(make_claim(party=company, summary="We reject it"), dispute)
    with django_assert_num_queries(4):
        client.get(reverse("claims:card", kwargs={"pk": charge.pk}))
