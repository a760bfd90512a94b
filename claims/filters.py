"""The claims list's filters: every state is a plain GET query string, shareable as a URL."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from claims.models import Claim, Dispute, Party, PointClaim, Statistic
from sources.dates import DatePrecision
from sources.models import Source


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "id_q-help"}),
        help_text="Searches summaries and quotes; every word must match.",
    )
    party = django_filters.ModelChoiceFilter(
        queryset=Party.objects.order_by("name"),
        to_field_name="slug",
        method="filter_party",
        empty_label="Any party",
        label="Party",
    )
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, empty_label="Any kind")
    dispute = django_filters.ModelChoiceFilter(
        queryset=Dispute.objects.order_by("title"),
        to_field_name="slug",
        method="filter_dispute",
        empty_label="Any dispute",
        label="Dispute",
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.order_by("title").only("pk", "slug", "title"),
        to_field_name="slug",
        method="filter_source",
        empty_label="Any source",
        label="Source",
    )
    date_from = django_filters.DateFilter(
        label="From",
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label="To",
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    has_statistic = django_filters.ChoiceFilter(
        label="Figures",
        choices=[("yes", "With a figure"), ("no", "Without a figure")],
        empty_label="With or without a figure",
        method="filter_has_statistic",
    )

    class Meta:
        model = Claim
        fields = [
            "q",
            "party",
            "kind",
            "dispute",
            "source",
            "date_from",
            "date_to",
            "has_statistic",
        ]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_party(self, queryset, name, value):
        return queryset.by_party(value)

    def filter_dispute(self, queryset, name, value):
        return queryset.filter(
            Exists(PointClaim.objects.filter(claim=OuterRef("pk"), point__dispute=value))
        )

    def filter_source(self, queryset, name, value):
        return queryset.filter(pk__in=value.citations.values("claim_id"))

    def filter_date_from(self, queryset, name, value: datetime.date):
        # A claim dated only "2017" may fall after 1 June 2017: keep any claim whose known
        # period ends on or after the date, so imprecise dates are not silently dropped.
        return queryset.filter(
            Q(claimed_precision=DatePrecision.DAY, claimed_on__gte=value)
            | Q(claimed_precision=DatePrecision.MONTH, claimed_on__gte=value.replace(day=1))
            | Q(claimed_precision=DatePrecision.YEAR, claimed_on__gte=value.replace(month=1, day=1))
        )

    def filter_date_to(self, queryset, name, value: datetime.date):
        # Dates are stored as the first day of their period, so "starts by" is a plain <=.
        return queryset.filter(claimed_on__lte=value)

    def filter_has_statistic(self, queryset, name, value):
        has = Exists(Statistic.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(has if value == "yes" else ~has)
