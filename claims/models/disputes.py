"""Disputes: the sides (columns), the points (rows) and the claims placed on them."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from claims.models.parties import Party
from sources.links import reverse_kept


class DisputeQuerySet(models.QuerySet):
    def for_listing(self) -> "DisputeQuerySet":
        """Disputes by title with their sides and how many points and placed claims each
        has: counted per dispute shown (correlated subqueries, index scans on the point's
        dispute and the placement's point), not by a GROUP BY over every placement."""
        points = DisputePoint.objects.filter(dispute=models.OuterRef("pk"))
        placements = PointClaim.objects.filter(point__dispute=models.OuterRef("pk"))
        return (
            self.annotate(point_count=_count(points), claim_count=_count(placements))
            .order_by("title", "pk")
            .prefetch_related(
                models.Prefetch("sides", queryset=DisputeSide.objects.select_related("party"))
            )
        )


def _count(rows: models.QuerySet) -> models.Subquery:
    counted = rows.order_by().annotate(n=models.Func(models.F("pk"), function="COUNT"))
    return models.Subquery(counted.values("n"), output_field=models.IntegerField())


class Dispute(models.Model):
    title = models.CharField(max_length=300, help_text="The question in contention.")
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            # The dispute list's pages: ORDER BY title, id LIMIT 50 OFFSET n.
            models.Index(fields=["title", "id"], name="dispute_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_kept("disputes:detail", slug=self.slug)


class DisputeSide(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sides")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="dispute_sides")
    label = models.CharField(
        max_length=120, blank=True, help_text="Column heading; the party's name if blank."
    )
    stance = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dispute_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "party"], name="dispute_side_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.heading}: {self.stance}"

    def get_absolute_url(self) -> str:
        return self.dispute.get_absolute_url()

    @property
    def heading(self) -> str:
        return self.label or self.party.name


class DisputePoint(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="points")
    question = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    claims = models.ManyToManyField(Claim, through="PointClaim", related_name="points")

    # The placements (PointClaim) keep their own history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["dispute_id", "order", "pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return f"{self.dispute.get_absolute_url()}#point-{self.pk}"


class PointClaim(models.Model):
    """A claim placed on a point of a dispute, in the column of one side."""

    point = models.ForeignKey(DisputePoint, on_delete=models.CASCADE, related_name="placements")
    side = models.ForeignKey(DisputeSide, on_delete=models.CASCADE, related_name="placements")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="placements")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["point_id", "side_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["point", "claim"], name="point_claim_unique"),
        ]
        indexes = [
            # A dispute cell: placements of one point and side in board order (the board's
            # first CLAIMS_PER_CELL per cell and its counts, the cell page and its count).
            models.Index(fields=["point", "side", "order"], name="point_claim_cell_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} on {self.point}"

    def save(self, *args, **kwargs) -> None:
        # A new placement left at the default order goes after those already in its cell
        # (point and side), so the dispute page shows claims in the order they were placed.
        if self._state.adding and self.order == 0 and self.point_id and self.side_id:
            last = PointClaim.objects.filter(
                point_id=self.point_id, side_id=self.side_id
            ).aggregate(last=models.Max("order"))["last"]
            if last is not None:
                self.order = last + 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.point_id and self.side_id and self.point.dispute_id != self.side.dispute_id:
            raise ValidationError({"side": "Choose a side of the same dispute as the point."})
