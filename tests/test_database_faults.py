"""An unreachable database gives a 503 to retry, not a 500, and the site recovers by itself."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

import tracker.urls


def fails_with(exc: Exception):
    def view(request: HttpRequest) -> HttpResponse:
        raise exc

    return view


def slow_query(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


# The project's URLs plus views that fail in chosen ways, for the tests marked with this module.
handler500 = tracker.urls.handler500
urlpatterns = [
    path("test/slow/", slow_query),
    path("test/db-gone/", fails_with(InterfaceError("connection already closed"))),
    path("test/integrity/", fails_with(IntegrityError("duplicate key"))),
    path("test/bug/", fails_with(ValueError("a plain bug"))),
    path("", include(tracker.urls)),
]


@pytest.fixture
def browser_client() -> Client:
    # Answer as a real server would, instead of re-raising the exception into the test.
    return Client(raise_request_exception=False)


def unreachable():
    return mock.patch.object(
        connections["default"],
        "ensure_connection",
        side_effect=OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
    )


@pytest.mark.django_db(transaction=True)
def test_while_the_database_is_unreachable_pages_are_503_with_retry_after(browser_client):
    with unreachable():
        response = browser_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
    assert "Temporarily unavailable" in response.text
    assert "cannot reach its database" in response.text
    assert '<html lang="en">' in response.text
    assert "<h1>" in response.text
    # The strict headers still apply to the error page.
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db(transaction=True)
def test_once_the_database_is_back_the_next_request_succeeds_without_a_restart(
    browser_client,
):
    with (
        unreachable(),
        mock.patch.object(
            connections["default"], "close", wraps=connections["default"].close
        ) as close,
    ):
        assert browser_client.get("/claims/").status_code == 503
    # The broken connection was dropped so that the next request opens a fresh one.
    assert close.called
    response = browser_client.get("/claims/")
    assert response.status_code == 200
    assert connection.is_usable()


@pytest.mark.django_db(transaction=True)
def test_the_admin_is_503_too_while_the_database_is_unreachable(browser_client, staff_user):
    browser_client.force_login(staff_user)
    with unreachable():
        response = browser_client.get("/admin/")
    assert response.status_code == 503
    assert browser_client.get("/admin/").status_code == 200


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_is_a_503(browser_client):
    response = browser_client.get("/test/db-gone/")
    assert response.status_code == 503
    assert "Retry-After" in response


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/test/integrity/", "/test/bug/"])
def test_other_errors_stay_500s_with_the_error_page(browser_client, url):
    response = browser_client.get(url)
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Retry-After" not in response


def test_database_waits_are_bounded():
    options = settings.DATABASES["default"]["OPTIONS"]
    if connection.vendor == "postgresql":
        assert 1 <= options["connect_timeout"] <= 10
        assert options["options"] == (
            f"-c statement_timeout={settings.DATABASE_STATEMENT_TIMEOUT_MS} -c jit=off"
        )
    else:
        assert options["timeout"] == settings.DATABASE_STATEMENT_TIMEOUT_MS / 1000
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL only."
)
@pytest.mark.django_db
def test_postgresql_connections_carry_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (value,) = cursor.fetchone()
    assert value == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS // 1000}s"


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL only."
)
@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile_short_page_queries():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        (value,) = cursor.fetchone()
    assert value == "off"


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL only."
)
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_statement_over_the_timeout_is_cancelled_and_the_page_is_a_503(browser_client):
    response = browser_client.get("/test/slow/")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.text
    assert browser_client.get("/claims/").status_code == 200
