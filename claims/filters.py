"""The claims list's filters: every state is a plain GET query string, shareable as a URL."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from claims.models import Claim, Dispute, Party, PointClaim, Statistic
from claims.search.matching import search
from sources.dates import DatePrecision
from sources.models import Source


def starts_on_or_after(value: datetime.date) -> Q:
    """Claims whose known period ends on or after the date.

    A claim dated only "2017" may fall after 1 June 2017: it is kept, so imprecise dates are
    not silently dropped. (Dates are stored as the first day of their period, so "To" is a
    plain <=.)
    """
    return (
        Q(claimed_precision=DatePrecision.DAY, claimed_on__gte=value)
        | Q(claimed_precision=DatePrecision.MONTH, claimed_on__gte=value.replace(day=1))
        | Q(claimed_precision=DatePrecision.YEAR, claimed_on__gte=value.replace(month=1, day=1))
    )


class ClaimFilterForm(forms.Form):
    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            # Neither date is applied: an empty list would look like "nothing was said".
            del cleaned["date_from"]
            self.add_error(
                "date_to",
                f"“To” ({end:%-d %b %Y}) is before “From” ({start:%-d %b %Y}); "
                "swap the dates or clear one. The date filter was not applied.",
            )
        return cleaned


# How many parties, disputes or sources a filter <select> offers. The filter still accepts
# any slug (links from party, dispute and source pages carry theirs); listing every record
# made the claims list render 1,000+ options per select at 100,000 claims.
SHOWN_CHOICES = 50


class ShownChoiceIterator(forms.models.ModelChoiceIterator):
    """The newest SHOWN_CHOICES records (a bounded scan of the primary key) plus the one
    selected, in the field's order: one query whatever the table's size."""

    field: "ShownModelChoiceField"

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        queryset = field.queryset
        assert queryset is not None  # every ShownModelChoiceFilter is given one
        newest = queryset.model._default_manager.order_by("-pk").values("pk")[:SHOWN_CHOICES]
        shown = Q(pk__in=newest)
        if field.selected:
            shown |= Q(**{str(field.to_field_name or "pk"): field.selected})
        for obj in queryset.filter(shown):
            yield self.choice(obj)

    def __len__(self):
        return SHOWN_CHOICES + (self.field.empty_label is not None)

    def __bool__(self):
        return True


class ShownModelChoiceField(forms.ModelChoiceField):
    """Validates against the whole queryset; offers only a bounded few (ShownChoiceIterator)."""

    iterator = ShownChoiceIterator
    selected: str = ""


class ShownModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ShownModelChoiceField


SHOWN_FILTERS = ("party", "dispute", "source")

DATE_FILTERS = ("date_from", "date_to")
# Applied after every other filter: the search ranks, and caps, what the filters leave.
APPLIED_LAST = (*DATE_FILTERS, "q")


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "id_q-help"}),
        help_text=(
            "Searches summaries, quotes and names; every word must match. "
            "\u201cA phrase\u201d in quotes, -word to leave out, OR for either."
        ),
    )
    party = ShownModelChoiceFilter(
        queryset=Party.objects.order_by("name"),
        to_field_name="slug",
        method="filter_party",
        empty_label="Any party",
        label="Party",
    )
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, empty_label="Any kind")
    dispute = ShownModelChoiceFilter(
        queryset=Dispute.objects.order_by("title"),
        to_field_name="slug",
        method="filter_dispute",
        empty_label="Any dispute",
        label="Dispute",
    )
    source = ShownModelChoiceFilter(
        queryset=Source.objects.order_by("title").only("pk", "slug", "title"),
        to_field_name="slug",
        method="filter_source",
        empty_label="Any source",
        label="Source",
    )
    # The date filters are applied together by filter_queryset(); their methods pass through.
    date_from = django_filters.DateFilter(
        label="From",
        method="filter_applied_later",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label="To",
        method="filter_applied_later",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    include_undated = django_filters.BooleanFilter(
        label="Include undated claims",
        method="filter_applied_later",
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_include_undated-help"}),
        help_text="A date filter otherwise leaves out claims whose date is not known.",
    )
    has_statistic = django_filters.ChoiceFilter(
        label="Figures",
        choices=[("yes", "With a figure"), ("no", "Without a figure")],
        empty_label="With or without a figure",
        method="filter_has_statistic",
    )

    class Meta:
        model = Claim
        form = ClaimFilterForm
        fields = [
            "q",
            "party",
            "kind",
            "dispute",
            "source",
            "date_from",
            "date_to",
            "include_undated",
            "has_statistic",
        ]

    @property
    def form(self):
        form = super().form
        for name in SHOWN_FILTERS:
            # The selected record is offered even when it is not among the newest.
            selected = form.data.get(name) if form.is_bound else ""
            form.fields[name].selected = selected if isinstance(selected, str) else ""
        return form

    def filter_queryset(self, queryset):
        """Every filter, then the dates, remembering the result before them so the page can
        say how many undated claims the date filter left out, then the search, which ranks
        (and keeps the best of at most SEARCH_LIMIT) what the filters leave."""
        cleaned = self.form.cleaned_data
        for name, value in cleaned.items():
            if name not in APPLIED_LAST:
                queryset = self.filters[name].filter(queryset, value)
        self.before_dates = queryset
        within = Q()
        if cleaned.get("date_from"):
            within &= starts_on_or_after(cleaned["date_from"])
        if cleaned.get("date_to"):
            within &= Q(claimed_on__lte=cleaned["date_to"])
        if within and cleaned.get("include_undated"):
            within |= Q(claimed_on__isnull=True)
        if within:
            queryset = queryset.filter(within)
        return self.filters["q"].filter(queryset, cleaned.get("q"))

    def date_filter_is_set(self) -> bool:
        cleaned = getattr(self.form, "cleaned_data", {})
        return any(cleaned.get(name) for name in DATE_FILTERS)

    def undated_left_out(self) -> int:
        """How many undated claims matching the other filters the date filter left out."""
        self.qs  # noqa: B018 -- runs the filters, which sets before_dates
        if not self.date_filter_is_set() or self.form.cleaned_data.get("include_undated"):
            return 0
        undated = self.before_dates.filter(claimed_on__isnull=True)
        return search(undated, self.form.cleaned_data.get("q") or "").count()

    def search_text(self) -> str:
        """The search as typed, when the filters were understood; else ""."""
        return getattr(self.form, "cleaned_data", {}).get("q") or ""

    def filter_q(self, queryset, name, value):
        return search(queryset, value) if value else queryset

    def filter_party(self, queryset, name, value):
        return queryset.by_party(value)

    def filter_applied_later(self, queryset, name, value):
        return queryset

    def filter_dispute(self, queryset, name, value: Dispute):
        return queryset.filter(
            Exists(PointClaim.objects.filter(claim=OuterRef("pk"), point__dispute=value))
        )

    def filter_source(self, queryset, name, value: Source):
        return queryset.filter(pk__in=value.citations.values("claim_id"))

    def filter_has_statistic(self, queryset, name, value):
        has = Exists(Statistic.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(has if value == "yes" else ~has)
