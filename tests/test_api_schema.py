"""The API answers every operation of its OpenAPI schema as the schema says: schemathesis
generates requests from /api/schema/ (its coverage phase: boundary and malformed values of
every parameter; then random ones) and checks each response: no server error, a documented
status and content type, a body that validates against the schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.test_queries import build
from tracker.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

# What the schema promises. (Not schemathesis's stricter defaults: the API, like the site,
# reads a page_size it cannot use as the default size rather than refusing the request.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ENDPOINTS = ["parties", "sources", "claims", "metrics", "disputes"]


@pytest.fixture(autouse=True)
def keep_the_test_database_connection():
    """Schemathesis calls the WSGI application itself, whose end-of-request signal would
    close the connection holding the test's transaction (on PostgreSQL); Django's test
    client unhooks the same receiver for the same reason."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(db):
    """Records in every endpoint: claims with citations, figures, relations, placements."""
    return build(12)


# Schemathesis calls the WSGI application directly and does not decode a gzipped body, as an
# HTTP client would; the schema describes the JSON, so ask for it uncompressed.
PLAIN = {"Accept-Encoding": "identity"}


@schema.parametrize()
@settings(
    # Bounded for CI (about a minute for every operation); the same cases on every run.
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_operation_answers_as_its_schema_says(case, world):
    case.call_and_validate(checks=CHECKS, headers=PLAIN)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_record_that_exists_validates_against_the_schema(client, world, endpoint):
    # Generated ids mostly miss; this walks the records that are there.
    listed = schema[f"/api/{endpoint}/"]["GET"].Case(query={"page_size": 100})
    response = listed.call_and_validate(checks=CHECKS, headers=PLAIN)
    ids = [record["id"] for record in response.json()["results"]]
    assert ids
    detail = schema[f"/api/{endpoint}/{{id}}/"]["GET"]
    for pk in ids:
        detail.Case(path_parameters={"id": pk}).call_and_validate(checks=CHECKS, headers=PLAIN)
