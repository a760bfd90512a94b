"""A stored URL becomes a link only when it is http(s); anything else is shown as text."""

import pytest
from django.db import IntegrityError, transaction

from claims.templatetags.counterpoint import web_url
from sources.models import Source
from tests.factories import make_party, make_source


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a", "http://example.org", "HTTPS://EXAMPLE.ORG/"],
)
def test_an_http_url_is_kept(url):
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example.org/",
        "http://[::1",
        "",
    ],
)
def test_any_other_url_is_not_a_link(url):
    assert web_url(url) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["party", "source"])
def test_a_javascript_url_written_past_validation_is_shown_as_text(client, kind):
    url = "javascript:alert(1)"
    try:
        with transaction.atomic():  # no form: only a database constraint can refuse it
            if kind == "party":
                page = make_party(url=url)
            else:
                page = make_source()
                Source.objects.filter(pk=page.pk).update(url=url)
    except IntegrityError:
        return  # refused by the database: safe as well
    html = client.get(page.get_absolute_url()).content.decode()
    assert url in html
    assert f'href="{url}"' not in html
