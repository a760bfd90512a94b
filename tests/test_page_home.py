import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import make_claim, make_dispute, make_party, make_statistic

Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}
Y2016 = {"period_start": datetime.date(2016, 1, 1), "period_end": datetime.date(2016, 12, 31)}


@pytest.mark.django_db
def test_home_shows_disputes_newest_claims_and_open_discrepancies(client):
    dispute = make_dispute(title="Is the market notorious?")
    claim = make_claim(summary="The newest claim")
    first = make_statistic(**Y2017)
    make_statistic(metric=first.metric, value=-42, **Y2017)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{dispute.get_absolute_url()}"' in html
    assert "The newest claim" in html and f'href="{claim.get_absolute_url()}"' in html
    assert "Sources disagree" in html and first.metric.name in html


@pytest.mark.django_db
def test_about_page_explains_quote_verification_discrepancy_and_dates(client):
    html = client.get(reverse("about")).content.decode()
    for text in ["How quotes are verified", "whitespace", "Drift", "Sources disagree", "2017"]:
        assert text in html


@pytest.mark.django_db
def test_every_page_has_one_h1_a_skip_link_and_landmarks(client):
    party = make_party()
    claim = make_claim(party=party)
    pages = [
        reverse("home"),
        reverse("about"),
        reverse("claims:list"),
        claim.get_absolute_url(),
        party.get_absolute_url(),
        claim.citations.get().source.get_absolute_url(),
        "/does-not-exist/",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        assert len(re.findall(r"<h1[ >]", html)) == 1, path
        assert '<a class="skip-link" href="#main">' in html, path
        assert '<main id="main"' in html and "<header" in html and "<footer" in html, path
        assert 'role="search"' in html and '<label for="site-search-q">' in html, path


@pytest.mark.django_db
def test_no_inline_script_or_style_anywhere(client):
    claim = make_claim()
    for path in [reverse("home"), claim.get_absolute_url(), reverse("claims:list")]:
        html = client.get(path).content.decode()
        assert " style=" not in html and "<style" not in html, path
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in s or "src=" in s for s in scripts), path


@pytest.mark.django_db
def test_not_found_page_is_the_sites_own(client):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_database_or_context(settings):
    # A broken database must not stop the 500 page: render it with no DB access at all.
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1 and '<main id="main"' in html


@pytest.mark.django_db
def test_home_lists_only_real_conflicts_not_series_or_explained_differences(client):
    series = make_statistic(**Y2016)
    make_statistic(metric=series.metric, value=-42, **Y2017)  # another period: a series
    explained = make_statistic(**Y2017)
    make_statistic(metric=explained.metric, value=-42, scope_note="Only Taobao.", **Y2017)
    unstated = make_statistic(**Y2017)
    make_statistic(metric=unstated.metric, value=-42)  # other party, no period
    html = client.get(reverse("home")).content.decode()
    section = html[html.index('id="discrepancies-heading"') : html.index('id="newest-heading"')]
    assert "No open discrepancies between figures." in section
    for statistic in (series, explained, unstated):
        assert statistic.metric.name not in section


@pytest.mark.django_db
def test_home_gives_one_line_per_conflicting_figure_with_how_many_more(client):
    party = make_party(name="Company")
    first = make_statistic(claim=make_claim(party=party), **Y2017)
    for value in (-30, -35, -40):
        make_statistic(metric=first.metric, claim=make_claim(party=party), value=value, **Y2017)
    html = client.get(reverse("home")).content.decode()
    section = html[html.index('id="discrepancies-heading"') : html.index('id="newest-heading"')]
    assert section.count('<span class="flag flag--conflict">Drift</span>') == 1
    assert "and 5 more conflicting pairs" in section


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [("list", 'aria-current="page"'), ("detail", 'aria-current="true"')],
)
def test_header_marks_the_current_section_and_only_its_own_list_as_the_page(client, path, current):
    claim = make_claim()
    url = reverse("claims:list") if path == "list" else claim.get_absolute_url()
    html = client.get(url).content.decode()
    assert f'<a href="{reverse("claims:list")}" {current}>Claims</a>' in html
    assert html.count("aria-current=") == 1


@pytest.mark.parametrize(
    "metric", ["takedown-requests-change", "takedown-requests-handled-within-24-hours"]
)
def test_seeded_figures_whose_periods_are_not_both_stated_are_never_open_discrepancies(
    client, seeded, metric
):
    # −25% vs −42% and 97% vs 95%: one text of each pair states no period, so the pair is
    # "periods not stated" on its metric page and is not listed on the home page.
    home = client.get("/").content.decode()
    listed = home[home.index('id="discrepancies-heading"') : home.index('id="newest-heading"')]
    assert f"/metrics/{metric}/" not in listed
    page = client.get(f"/metrics/{metric}/").content.decode()
    verdicts = page[page.index('id="verdict-heading"') : page.index('id="values-heading"')]
    assert "verdict-heading--period_unknown" in verdicts
    assert "flag--conflict" not in verdicts
