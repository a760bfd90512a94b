"""The claims app's models, one module per concern; Django finds them through this package."""

from claims.models.assessments import Assessment
from claims.models.claims import Citation, Claim
from claims.models.disputes import Dispute, DisputePoint, DisputeSide, PointClaim
from claims.models.figures import Metric, Statistic
from claims.models.parties import Party
from claims.models.relations import ClaimRelation
from claims.models.summaries import MetricSummary, MetricValueOrder, PartySummary

__all__ = [
    "Assessment",
    "Citation",
    "Claim",
    "ClaimRelation",
    "Dispute",
    "DisputePoint",
    "DisputeSide",
    "Metric",
    "MetricSummary",
    "MetricValueOrder",
    "Party",
    "PartySummary",
    "PointClaim",
    "Statistic",
]
