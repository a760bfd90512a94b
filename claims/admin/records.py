from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from claims.forms import ClaimAdminForm, PointChoiceField, SideChoiceField
from claims.models import (
    Assessment,
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.admin_keys import KeyCheckingAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a dev-only package: for mypy only


class _ClaimCount(TypedDict):
    n_claims: int


class _CitationCount(TypedDict):
    n_citations: int


class _StatisticCount(TypedDict):
    n_statistics: int


@admin.register(Party)
class PartyAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "affiliation", "role", "claim_count"]
    ordering = ["name"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "role", "description"]
    autocomplete_fields = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims", distinct=True))

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj: "WithAnnotations[Party, _ClaimCount]") -> int:
        return obj.n_claims


class CitationFormSet(BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": "A claim needs at least one citation: give the source and the exact "
        "quote that reports it (remove a citation only after adding its replacement).",
    }


class CitationInline(KeyCheckingAdminMixin, admin.StackedInline):
    model = Citation
    formset = CitationFormSet
    # Every claim is cited: the first citation form must be filled in, and a post that
    # removes every citation (or sends none) is refused.
    min_num = 1
    extra = 0
    autocomplete_fields = ["source"]
    # needs_review is the system's verdict (set by re-anchoring, cleared when the quote is
    # found again), so it is shown, never edited: an analyst corrects the quote instead.
    fields = ["source", "quote", "anchor_display"]
    readonly_fields = ["anchor_display"]

    def get_formset(self, request, obj=None, **kwargs):
        # The admin passes min_num but not validate_min to the formset factory.
        return super().get_formset(request, obj, **{"validate_min": True, **kwargs})

    @admin.display(description="anchor")
    def anchor_display(self, obj: Citation) -> str:
        if not obj.pk:
            return "Found in the source text when saved."
        if obj.needs_review:
            return (
                "Not found in the current source text: needs review. Correct the quote to "
                "match the text (or choose the right source) to clear this."
            )
        return f"Characters {obj.start}–{obj.end} of the source text."


class StatisticInline(KeyCheckingAdminMixin, admin.TabularInline):
    model = Statistic
    extra = 0
    autocomplete_fields = ["metric"]
    fields = [
        "metric",
        "qualifier",
        "value",
        "unit",
        "currency",
        "period_label",
        "period_start",
        "period_end",
        "scope_note",
    ]


class RelationInline(KeyCheckingAdminMixin, admin.TabularInline):
    model = ClaimRelation
    fk_name = "from_claim"
    extra = 0
    autocomplete_fields = ["to_claim"]
    verbose_name = "relation to another claim"


class PlacementForm(forms.ModelForm):
    """A placement made from its claim: any point, and a side labelled with its dispute (a
    side of another dispute than the point's is refused by PointClaim.clean)."""

    point = PointChoiceField(
        queryset=DisputePoint.objects.select_related("dispute").order_by("dispute__title", "order")
    )
    side = SideChoiceField(
        queryset=DisputeSide.objects.select_related("dispute", "party").order_by(
            "dispute__title", "order"
        ),
        help_text="A side of the point's dispute.",
    )

    class Meta:
        model = PointClaim
        fields = ["point", "side"]


class PlacementInline(KeyCheckingAdminMixin, admin.TabularInline):
    """Place the claim on points of disputes from the claim's page; each new placement goes
    last in its cell (PointClaim.save)."""

    model = PointClaim
    form = PlacementForm
    fk_name = "claim"
    extra = 0
    verbose_name = "placement on a dispute"
    verbose_name_plural = "placements on disputes"


@admin.register(Claim)
class ClaimAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["summary", "party", "speaker", "kind", "claimed_display", "citation_count"]
    list_filter = ["kind", "claimed_precision", "party", "citations__needs_review"]
    list_select_related = ["party", "speaker"]
    search_fields = ["summary", "citations__quote", "party__name", "speaker__name"]
    autocomplete_fields = ["party", "speaker"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    form = ClaimAdminForm
    inlines = [CitationInline, StatisticInline, RelationInline, PlacementInline]
    fieldsets = [
        (None, {"fields": ["summary", "kind", "party", "speaker"]}),
        ("Date", {"fields": ["claimed_on", "date_note"]}),
        ("Record", {"fields": ["slug", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("citations", distinct=True))

    @admin.display(description="date", ordering="claimed_on")
    def claimed_display(self, obj: Claim) -> str:
        return obj.claimed_display

    @admin.display(description="sources", ordering="n_citations")
    def citation_count(self, obj: "WithAnnotations[Claim, _CitationCount]") -> int:
        return obj.n_citations


class NeedsReviewFilter(admin.SimpleListFilter):
    """Citations whose quote a corrected source body no longer contains."""

    title = "anchoring"
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", "Needs review"), ("no", "Found in the source text")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(needs_review=True)
        if self.value() == "no":
            return queryset.filter(needs_review=False)
        return queryset


@admin.register(Citation)
class CitationAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "source", "short_quote", "start", "end", "needs_review"]
    list_filter = [NeedsReviewFilter, "source"]
    list_select_related = ["claim", "source"]
    search_fields = ["quote", "claim__summary", "source__title"]
    autocomplete_fields = ["claim", "source"]
    # needs_review is set and cleared by re-anchoring; see CitationInline.
    readonly_fields = ["needs_review", "start", "end", "prefix", "suffix"]

    @admin.display(description="quote")
    def short_quote(self, obj: Citation) -> str:
        return obj.quote if len(obj.quote) <= 90 else f"{obj.quote[:87]}…"


@admin.register(Metric)
class MetricAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "statistic_count"]
    list_filter = ["unit"]
    search_fields = ["name", "definition"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_statistics=Count("statistics"))

    @admin.display(description="reported values", ordering="n_statistics")
    def statistic_count(self, obj: "WithAnnotations[Metric, _StatisticCount]") -> int:
        return obj.n_statistics


@admin.register(Statistic)
class StatisticAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["metric", "display_value", "period_label", "claim", "has_scope_note"]
    list_filter = ["metric", "unit", "qualifier"]
    list_select_related = ["metric", "claim"]
    search_fields = ["metric__name", "claim__summary", "scope_note", "period_label"]
    autocomplete_fields = ["claim", "metric"]

    @admin.display(description="scope note", boolean=True)
    def has_scope_note(self, obj: Statistic) -> bool:
        return bool(obj.scope_note)


@admin.register(ClaimRelation)
class ClaimRelationAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["from_claim", "kind", "to_claim"]
    list_filter = ["kind"]
    list_select_related = ["from_claim", "to_claim"]
    search_fields = ["from_claim__summary", "to_claim__summary", "note"]
    autocomplete_fields = ["from_claim", "to_claim"]


class DisputeSideInline(KeyCheckingAdminMixin, admin.TabularInline):
    model = DisputeSide
    extra = 0
    autocomplete_fields = ["party"]


class DisputePointInline(KeyCheckingAdminMixin, admin.StackedInline):
    model = DisputePoint
    extra = 0
    fields = ["order", "question", "summary"]
    show_change_link = True


@admin.register(Dispute)
class DisputeAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "created_at"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [DisputeSideInline, DisputePointInline]


class PointClaimInline(KeyCheckingAdminMixin, admin.TabularInline):
    model = PointClaim
    extra = 1
    autocomplete_fields = ["claim"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the sides of the dispute this point belongs to.
        if db_field.name == "side" and request.resolver_match:
            point_id = request.resolver_match.kwargs.get("object_id")
            if point_id:
                kwargs["queryset"] = DisputeSide.objects.filter(
                    dispute__points__pk=point_id
                ).select_related("party")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DisputePoint)
class DisputePointAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["question", "dispute", "order"]
    list_filter = ["dispute"]
    list_select_related = ["dispute"]
    search_fields = ["question", "summary"]
    inlines = [PointClaimInline]


# Sides and placements are edited inline on their dispute and point; these admins exist so
# that each has its own history page (who changed which side or placement, and when).
@admin.register(DisputeSide)
class DisputeSideAdmin(SimpleHistoryAdmin):
    list_display = ["heading", "dispute", "stance", "order"]
    list_filter = ["dispute"]
    list_select_related = ["dispute", "party"]
    search_fields = ["label", "stance", "party__name"]
    autocomplete_fields = ["party"]


@admin.register(PointClaim)
class PointClaimAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "point", "side", "order"]
    list_filter = ["point__dispute"]
    list_select_related = ["claim", "point", "side__party"]
    search_fields = ["claim__summary", "point__question"]
    autocomplete_fields = ["claim"]


@admin.register(Assessment)
class AssessmentAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "rating", "is_published", "published_at", "author"]
    list_filter = ["rating", "is_published"]
    list_select_related = ["claim", "author"]
    search_fields = ["claim__summary", "rationale"]
    autocomplete_fields = ["claim"]
    filter_horizontal = ["evidence"]
    readonly_fields = ["author", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("claims.publish_assessment"):
            fields.append("is_published")  # only editors publish or unpublish a verdict
        return fields

    def has_change_permission(self, request, obj: Assessment | None = None) -> bool:
        # A published verdict is live: changing its rating, rationale or evidence is
        # publishing, so only editors may; others see it read-only.
        if (
            obj is not None
            and obj.is_published
            and not request.user.has_perm("claims.publish_assessment")
        ):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj: Assessment, form, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        if not obj.is_published:
            obj.published_at = None  # unpublished: no longer live since any date
        elif obj.published_at is None:
            obj.published_at = timezone.now()  # published, or published again
        super().save_model(request, obj, form, change)
