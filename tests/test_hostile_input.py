"""Hostile input at the model and database layers: refused with a message that says what to
fix, or by a named constraint on every code path; nothing saved before is changed."""

import datetime
import importlib
import json
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from claims.anchoring import MAX_QUOTE_CHARS, QuoteTooLong, closest_passage, find_quote
from claims.models import Citation, Claim, Party, Statistic
from sources.dates import DatePrecision, validate_precise_date
from sources.models import Outlet, Source
from tests.factories import make_claim, make_metric, make_party, make_source, make_statistic

pytestmark = pytest.mark.django_db

HUGE = Decimal("9999999999999999.9999")


def messages_of(excinfo, field: str) -> str:
    return " ".join(excinfo.value.message_dict[field])


# Statistic values -----------------------------------------------------------------------


def test_a_value_too_large_to_store_exactly_is_refused_with_a_message():
    statistic = make_statistic(value=Decimal("-25"))
    statistic.value = HUGE
    with pytest.raises(ValidationError) as excinfo:
        statistic.full_clean()
    assert "too large" in messages_of(excinfo, "value")
    statistic.refresh_from_db()
    assert statistic.value == Decimal("-25")


def test_a_value_with_more_than_fifteen_significant_digits_is_refused():
    statistic = Statistic(
        claim=make_claim(), metric=make_metric(unit="count"), unit="count", value=Decimal("1")
    )
    statistic.value = Decimal("1234567890.123456")
    with pytest.raises(ValidationError) as excinfo:
        statistic.full_clean()
    assert "15 significant digits" in messages_of(excinfo, "value")


def test_hundreds_of_billions_of_dollars_are_stored_and_read_back_exactly():
    metric = make_metric(unit="currency")
    statistic = make_statistic(metric=metric, unit="currency", currency="USD", value=5 * 10**11)
    statistic.refresh_from_db()
    assert statistic.value == Decimal("500000000000")


@pytest.mark.parametrize("write", ["create", "save", "bulk_create", "update"])
def test_the_database_refuses_an_oversized_value_on_every_orm_path(write):
    claim, metric = make_claim(), make_metric(unit="count")
    fields = {"claim": claim, "metric": metric, "unit": "count", "value": HUGE}
    with pytest.raises(DatabaseError), transaction.atomic():
        if write == "create":
            Statistic.objects.create(**fields)
        elif write == "save":
            Statistic(**fields).save()
        elif write == "bulk_create":
            Statistic.objects.bulk_create([Statistic(**fields)])
        else:
            saved = make_statistic(claim=claim, metric=metric, unit="count", value=Decimal(5))
            Statistic.objects.filter(pk=saved.pk).update(value=HUGE)
    assert not Statistic.objects.filter(value__gt=10**12).exists()


def test_loaddata_cannot_bring_in_an_oversized_value(tmp_path):
    claim, metric = make_claim(), make_metric(unit="count")
    fixture = tmp_path / "hostile.json"
    fields = {"claim": claim.pk, "metric": metric.pk, "unit": "count", "value": str(HUGE)}
    fixture.write_text(json.dumps([{"model": "claims.statistic", "fields": fields}]))
    with pytest.raises(DatabaseError):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not Statistic.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite ever stored such rows")
def test_a_row_sqlite_stored_before_the_constraint_is_clamped_and_pages_answer(client):
    statistic = make_statistic(value=Decimal("-25"))
    metric = make_metric(unit="count")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        cursor.execute(
            "UPDATE claims_statistic SET value = 9999999999999999.9999, unit = 'count', "
            "metric_id = %s WHERE id = %s",
            [metric.pk, statistic.pk],
        )
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    migration = importlib.import_module("claims.migrations.0005_hostile_input_bounds")
    migration.clamp_unreadable_figures(None, connection.schema_editor())
    statistic = Statistic.objects.get(pk=statistic.pk)
    assert statistic.value == Decimal("9999999999999")
    assert "Needs review" in statistic.scope_note
    for url in [reverse("home"), metric.get_absolute_url(), statistic.claim.get_absolute_url()]:
        assert client.get(url).status_code == 200


# Ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        ("count", Decimal(-3), "cannot be negative"),
        ("multiplier", Decimal(-2), "cannot be negative"),
        ("currency", Decimal(-1), "cannot be negative"),
        ("percent", Decimal(250000), "outside -100% to 10,000%"),
        ("percent", Decimal(-101), "outside -100% to 10,000%"),
    ],
)
def test_a_value_outside_its_units_range_is_refused_by_model_and_database(unit, value, expected):
    metric = make_metric(unit=unit)
    currency = "USD" if unit == "currency" else ""
    statistic = Statistic(
        claim=make_claim(), metric=metric, unit=unit, currency=currency, value=value
    )
    with pytest.raises(ValidationError) as excinfo:
        statistic.full_clean()
    assert expected in messages_of(excinfo, "value")
    with pytest.raises(IntegrityError), transaction.atomic():
        statistic.save()


def test_a_negative_percentage_change_is_accepted():
    assert make_statistic(value=Decimal("-100")).value == Decimal("-100")


@pytest.mark.parametrize("code", ["XYZ", "RMB", "usd", "U$D"])
def test_a_currency_code_that_is_not_iso_4217_is_refused(code):
    metric = make_metric(unit="currency")
    statistic = Statistic(
        claim=make_claim(), metric=metric, unit="currency", currency=code, value=Decimal(5)
    )
    with pytest.raises(ValidationError) as excinfo:
        statistic.full_clean()
    assert "ISO 4217" in messages_of(excinfo, "currency")


def test_a_statistic_in_another_unit_than_its_metric_is_refused():
    statistic = Statistic(
        claim=make_claim(), metric=make_metric(unit="percent"), unit="count", value=Decimal(5)
    )
    with pytest.raises(ValidationError) as excinfo:
        statistic.full_clean()
    assert "measured as percent" in messages_of(excinfo, "unit")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(1, 1, 1), "before 1900-01-01"),
        (datetime.date(1899, 12, 31), "before 1900-01-01"),
        (datetime.date(9999, 12, 31), "in the future"),
        (datetime.date.today() + datetime.timedelta(days=2), "in the future"),
    ],
)
def test_implausible_publication_and_claim_dates_are_refused(day, expected):
    source = Source(title="Dated", body="Dated text.", published_on=day, published_precision="day")
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert expected in messages_of(excinfo, "published_on")
    claim = Claim(party=make_party(), summary="Dated", claimed_on=day, claimed_precision="day")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert expected in messages_of(excinfo, "claimed_on")
    assert not Source.objects.filter(title="Dated").exists()


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_the_database_refuses_dates_far_outside_the_range(day):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="T", body="B", published_on=day, published_precision="day")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            party=make_party(), summary="S", claimed_on=day, claimed_precision="day"
        )


def test_the_date_rule_leaves_an_unparsed_value_to_the_field():
    validate_precise_date("2018-13-45", DatePrecision.MONTH, "claimed_on", "claimed_precision")  # type: ignore[arg-type]
    claim = Claim(
        party=make_party(), summary="S", claimed_on="2018-13-45", claimed_precision="month"
    )
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "claimed_on" in excinfo.value.message_dict


# Web addresses ----------------------------------------------------------------------------

HOSTILE_URLS = ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://example.org/"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_non_web_url_is_refused_with_a_message_by_every_model(url):
    checks = [
        (Source(title="T", body="B", url=url), "url"),
        (Outlet(name="O", slug="o", homepage=url), "homepage"),
        (Party(name="P", slug="p", kind="company", url=url), "url"),
    ]
    for obj, field in checks:
        with pytest.raises(ValidationError) as excinfo:
            obj.full_clean()
        assert "http:// or https://" in messages_of(excinfo, field)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_database_refuses_a_non_web_url_written_through_the_orm(url):
    party = make_party()
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.filter(pk=party.pk).update(url=url)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.create(name="O", slug="o", homepage=url)
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="T", body="B", url=url)
    party.refresh_from_db()
    assert party.url == ""


def test_loaddata_cannot_bring_in_a_javascript_url(tmp_path):
    fixture = tmp_path / "hostile.json"
    fields = {"name": "P", "slug": "p", "kind": "company", "url": "javascript:alert(1)"}
    fixture.write_text(json.dumps([{"model": "claims.party", "fields": fields}]))
    with pytest.raises(DatabaseError):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not Party.objects.filter(slug="p").exists()


def test_an_upper_case_web_scheme_is_accepted_everywhere():
    party = Party(name="P", slug="p", kind="company", url="HTTPS://Example.org/")
    party.full_clean()
    party.save()
    assert Party.objects.get(slug="p").url == "HTTPS://Example.org/"


# Control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_pasted_text_are_refused_with_where_they_are(char):
    source = Source(title="T", body=f"First line.\nSecond{char} line.")
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert f"U+{ord(char):04X}) on line 2" in messages_of(excinfo, "body")
    claim = Claim(party=make_party(), summary=f"Said{char}", claimed_precision="unknown")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "control character" in messages_of(excinfo, "summary") or "NUL" in messages_of(
        excinfo, "summary"
    )


def test_tabs_and_line_breaks_are_text():
    source = Source(title="T", body="Line one.\r\n\tLine two.\n")
    source.full_clean()


def test_a_quote_with_a_nul_is_refused():
    claim = make_claim()
    citation = Citation(claim=claim, source=claim.citations.get().source, quote="We\x00 reject")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "NUL" in messages_of(excinfo, "quote")
    assert claim.citations.count() == 1


# Bounded work -----------------------------------------------------------------------------


def test_an_over_long_quote_is_refused_before_any_matching():
    body = "word " * 400_000
    started = time.monotonic()
    with pytest.raises(QuoteTooLong) as excinfo:
        find_quote(body, "missing " * 4_000)
    assert time.monotonic() - started < 1
    assert f"at most {MAX_QUOTE_CHARS:,}" in excinfo.value.message


def test_the_closest_passage_search_is_bounded_on_a_large_body():
    body = " ".join(f"w{i % 997}x{i % 13}" for i in range(250_000))  # ~2 MB
    started = time.monotonic()
    closest_passage(body, "zq " * (MAX_QUOTE_CHARS // 3))
    assert time.monotonic() - started < 3


def test_an_over_long_quote_is_a_message_on_the_citation_and_nothing_changes():
    claim = make_claim()
    source = claim.citations.get().source
    citation = Citation(claim=claim, source=source, quote="x" * (MAX_QUOTE_CHARS + 1))
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "Quote only the passage" in messages_of(excinfo, "quote")
    assert claim.citations.count() == 1


def test_a_body_over_the_upload_limit_is_refused(settings):
    settings.SOURCE_UPLOAD_MAX_BYTES = 1000
    source = Source(title="T", body="a" * 1001)
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert "the largest accepted is" in messages_of(excinfo, "body")
    assert make_source(body="b" * 900).body == "b" * 900
