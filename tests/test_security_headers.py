"""Every response carries the strict headers; pages under /embed/ may be framed by anyone."""

from html.parser import HTMLParser

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse

import tracker.urls

pytestmark = pytest.mark.django_db

STRICT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def embeddable(request: HttpRequest) -> HttpResponse:
    # Deliberately not marked xframe_options_exempt: the path alone decides.
    return HttpResponse("<p>embedded claim card</p>")


# The project's URLs plus one page under /embed/, for the tests marked with this module.
urlpatterns = [
    path("embed/test-card/", embeddable),
    path("", include(tracker.urls)),
]


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


def assert_common_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    hsts = {
        part.strip().partition("=")[0].lower(): part.strip().partition("=")[2]
        for part in response["Strict-Transport-Security"].split(";")
    }
    assert int(hsts["max-age"]) >= 15_768_000  # six months, Observatory's threshold
    assert "includesubdomains" in hsts


def test_a_public_page_has_the_strict_policy_and_refuses_framing(client):
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert_common_headers(response)


def test_an_admin_page_has_the_strict_policy_and_refuses_framing(client):
    response = client.get(reverse("admin:login"), secure=True)
    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert_common_headers(response)


def test_a_missing_page_has_the_strict_policy_too(client):
    response = client.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert policy(response) == STRICT_POLICY
    assert response["X-Frame-Options"] == "DENY"


def test_a_missing_page_under_embed_may_be_framed_by_any_site(client):
    response = client.get("/embed/no-such-card/", secure=True)
    assert response.status_code == 404
    assert policy(response) == {**STRICT_POLICY, "frame-ancestors": ["*"]}
    assert "X-Frame-Options" not in response
    assert_common_headers(response)


@pytest.mark.urls(__name__)
def test_a_page_under_embed_may_be_framed_by_any_site_but_keeps_the_rest_of_the_policy(client):
    response = client.get("/embed/test-card/", secure=True)
    assert response.status_code == 200
    assert policy(response) == {**STRICT_POLICY, "frame-ancestors": ["*"]}
    assert "X-Frame-Options" not in response
    assert_common_headers(response)


def test_a_path_merely_containing_embed_is_not_framable(client):
    response = client.get("/claims/embed/", secure=True)
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(client, staff_user):
    client.get(reverse("admin:login"), secure=True)
    csrf = client.cookies["csrftoken"]
    response = client.post(
        reverse("admin:login"),
        {
            "username": "analyst",
            "password": "correct-horse-battery",
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name] if name in response.cookies else client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes,
    event-handler attributes. JSON-LD is data, not script, and CSP leaves it alone."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/ld+json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"{tag} {name}=" for name in names if name == "style"]
        self.found += [f"{tag} {name}=" for name in names if name.startswith("on")]


PUBLIC_PAGES = [
    "/",
    "/about/",
    "/claims/",
    "/claims/1/",
    "/disputes/",
    "/disputes/taobao-notorious-markets-listing/",
    "/parties/",
    "/metrics/",
    "/sources/",
    "/no-such-page/",
]


def test_public_pages_have_no_inline_script_or_style(client, seeded):
    # One test over every page: loading the seed corpus is the slow part.
    found = {}
    for url in PUBLIC_PAGES:
        parser = InlineCode()
        parser.feed(client.get(url, follow=True).text)
        if parser.found:
            found[url] = parser.found
    assert found == {}


def test_a_policy_changed_in_settings_reaches_the_next_response(client):
    """The site's policy string is built once per process: a change of settings must still
    show at once, not the string built before it."""
    assert policy(client.get(reverse("home"))) == STRICT_POLICY
    changed = {"DIRECTIVES": {**STRICT_POLICY, "img-src": ["'self'", "https://img.example"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert policy(client.get(reverse("home")))["img-src"] == ["'self'", "https://img.example"]
    assert policy(client.get(reverse("home"))) == STRICT_POLICY


def test_a_report_only_policy_in_settings_is_sent_beside_the_enforced_one(client):
    report_only = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        response = client.get(reverse("home"))
    assert policy(response) == STRICT_POLICY
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]
    assert "Content-Security-Policy-Report-Only" not in client.get(reverse("home"))
