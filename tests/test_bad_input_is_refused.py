"""Bad input is refused with a message that says what to fix, and nothing saved is harmed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Citation, Claim, Statistic
from sources.dates import DatePrecision
from sources.models import Source
from tests.factories import make_claim, make_metric, make_party, make_source

pytestmark = pytest.mark.django_db


def snapshot(source: Source) -> list[tuple]:
    return list(Citation.objects.filter(source=source).values_list("pk", "quote", "start", "end"))


def test_quote_not_in_source_is_refused_with_closest_passage_and_nothing_changes():
    claim = make_claim(quote="We reject the listing entirely")
    source = claim.citations.get().source
    before = snapshot(source)
    bad = Citation(claim=claim, source=source, quote="We accept the listing entirely")
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    message = excinfo.value.message_dict["quote"][0]
    assert "not in the source text" in message
    assert "We reject the listing entirely" in message
    assert snapshot(source) == before


def test_saving_an_unfound_quote_outside_forms_is_refused_too():
    claim = make_claim()
    source = claim.citations.get().source
    with pytest.raises(ValidationError):
        Citation(claim=claim, source=source, quote="words the article never printed").save()
    assert Citation.objects.filter(claim=claim).count() == 1


def test_citation_without_a_source_is_refused_with_a_message():
    claim = make_claim()
    citation = Citation(claim=claim, quote="We reject the listing entirely")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "Choose the source" in " ".join(excinfo.value.message_dict["source"])


def test_citation_pointing_at_a_missing_source_is_refused_with_a_message():
    claim = make_claim()
    citation = Citation(claim=claim, source_id=987654, quote="We reject the listing entirely")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "source" in excinfo.value.message_dict
    assert claim.citations.count() == 1


@pytest.mark.parametrize(
    ("day", "precision", "field", "expected"),
    [
        (datetime.date(2018, 1, 15), "fortnight", "published_precision", "not a date precision"),
        (datetime.date(2018, 1, 15), DatePrecision.MONTH, "published_on", "1st of that month"),
        (datetime.date(2018, 3, 1), DatePrecision.YEAR, "published_on", "1 January"),
        (None, DatePrecision.DAY, "published_on", "Enter the date"),
        (datetime.date(2018, 1, 1), DatePrecision.UNKNOWN, "published_precision", "choose"),
    ],
)
def test_a_bad_date_precision_is_refused_with_a_message(day, precision, field, expected):
    source = Source(
        title="Dated", slug="dated", body="Text.", published_on=day, published_precision=precision
    )
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert any(expected in m for m in excinfo.value.message_dict[field])
    assert not Source.objects.filter(slug="dated").exists()


def test_a_malformed_date_string_is_refused_by_the_field():
    claim = Claim(
        party=make_party(),
        summary="Dated claim",
        claimed_on="2018-13-45",
        claimed_precision=DatePrecision.DAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "claimed_on" in excinfo.value.message_dict


def test_the_database_refuses_a_month_date_that_is_not_the_first():
    party = make_party()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            party=party,
            summary="Bypassing validation",
            claimed_on=datetime.date(2018, 1, 15),
            claimed_precision=DatePrecision.MONTH,
        )


def test_duplicate_source_url_is_refused_and_the_first_source_is_unchanged():
    first = make_source(url="https://example.org/same")
    duplicate = Source(title="Copy", slug="copy", url="https://example.org/same", body="Other.")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "url" in excinfo.value.message_dict
    assert "already" in excinfo.value.message_dict["url"][0]
    first.refresh_from_db()
    assert first.title.startswith("Source")
    assert Source.objects.count() == 1


def test_duplicate_source_url_is_refused_by_the_database_as_well():
    make_source(url="https://example.org/same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="Copy", slug="copy", url="https://example.org/same", body="B")


def test_sources_without_url_may_coexist():
    make_source(url="")
    make_source(url="")
    assert Source.objects.filter(url="").count() == 2


def test_duplicate_body_is_refused_with_a_pointer_to_the_existing_source():
    first = make_source(body="The very same text.")
    duplicate = Source(title="Copy", slug="copy", body="The very same text.")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert first.title in " ".join(excinfo.value.messages)


def test_deleting_a_cited_source_is_refused_and_its_citations_survive():
    claim = make_claim()
    source = claim.citations.get().source
    make_claim(source=source, quote="Takedown requests fell 25% last year")
    with pytest.raises(ProtectedError) as excinfo:
        source.delete()
    assert excinfo.value.args[0] == (
        "This source is still in use (2 citations); remove those first."
    )
    assert {c.claim_id for c in excinfo.value.protected_objects} == {
        c.claim_id for c in source.citations.all()
    }
    assert Source.objects.filter(pk=source.pk).exists()
    assert claim.citations.count() == 1
    assert source.citations.count() == 2


def test_an_uncited_source_can_be_deleted():
    source = make_source()
    source.delete()
    assert not Source.objects.filter(pk=source.pk).exists()


def test_the_same_passage_cannot_be_cited_twice_for_one_claim():
    claim = make_claim()
    first = claim.citations.get()
    again = Citation(claim=claim, source=first.source, quote=first.quote)
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert "already cites this passage" in " ".join(excinfo.value.messages)


def test_offsets_must_run_forwards_in_the_database():
    claim = make_claim()
    citation = claim.citations.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(start=10, end=5)


def test_money_without_currency_is_refused_with_a_message():
    claim = make_claim()
    statistic = Statistic(
        claim=claim, metric=make_metric(unit="currency"), value=675, unit="currency"
    )
    with pytest.raises(ValidationError) as excinfo:
        statistic.full_clean()
    assert "currency" in excinfo.value.message_dict


def test_a_source_titled_only_in_non_latin_script_gets_a_usable_slug():
    source = Source(title="阿里巴巴回应", body="正文。", kind=Source.Kind.ARTICLE)
    source.full_clean()
    source.save()
    assert source.slug == "source"
    assert source.get_absolute_url() == "/sources/source/"
    saved_outside_forms = Source.objects.create(title="淘宝", body="另一篇。")
    assert saved_outside_forms.slug == "source-2"
    assert saved_outside_forms.get_absolute_url() == "/sources/source-2/"


def test_two_sources_with_the_same_title_get_different_slugs():
    first = Source.objects.create(title="Notorious markets", body="First text.")
    second = Source.objects.create(title="Notorious markets", body="Second text.")
    third = Source(title="Notorious markets", body="Third text.")
    third.full_clean()
    third.save()
    assert [first.slug, second.slug, third.slug] == [
        "notorious-markets",
        "notorious-markets-2",
        "notorious-markets-3",
    ]


def test_a_source_keeps_its_slug_when_saved_again():
    source = Source.objects.create(title="Notorious markets", body="First text.")
    source.title = "Notorious markets, corrected"
    source.full_clean()
    source.save()
    assert source.slug == "notorious-markets"
