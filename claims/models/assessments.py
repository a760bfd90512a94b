"""An editor's published verdict on a claim."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.models.claims import Citation, Claim


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def published_for(self, claim: Claim) -> "Assessment | None":
        """The claim's assessment if an editor has published it, with its evidence."""
        return (
            self.filter(claim=claim, is_published=True)
            .prefetch_related(
                models.Prefetch("evidence", queryset=Citation.objects.select_related("source"))
            )
            .first()
        )


class Assessment(models.Model):
    """An editor's verdict on a claim, compatible with schema.org ClaimReview."""

    class Rating(models.TextChoices):
        ACCURATE = "accurate", "Accurate"
        MOSTLY_ACCURATE = "mostly_accurate", "Mostly accurate"
        MIXED = "mixed", "Mixed"
        MISLEADING = "misleading", "Misleading"
        INACCURATE = "inaccurate", "Inaccurate"
        UNVERIFIABLE = "unverifiable", "Cannot be verified"

        @property
        def scale_value(self) -> int:
            """1 (inaccurate) to 5 (accurate) for ClaimReview's reviewRating and the method
            page; 0 for "Cannot be verified", which is not a point on the scale."""
            return _RATING_SCALE.get(self, 0)

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="assessment")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    rationale = models.TextField()
    evidence = models.ManyToManyField(Citation, blank=True, related_name="assessments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[evidence])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "pk"]
        permissions = [("publish_assessment", "Can publish assessments")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="assessment_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.claim}"

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#assessment"

    @property
    def rating_value(self) -> int:
        """1 (worst) to 5 (best), for ClaimReview's reviewRating; 0 when not rateable."""
        return Assessment.Rating(self.rating).scale_value


_RATING_SCALE: dict[str, int] = {
    Assessment.Rating.INACCURATE: 1,
    Assessment.Rating.MISLEADING: 2,
    Assessment.Rating.MIXED: 3,
    Assessment.Rating.MOSTLY_ACCURATE: 4,
    Assessment.Rating.ACCURATE: 5,
}
