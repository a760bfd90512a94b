"""How the claims app answers the sources app's signals (connected in ClaimsConfig.ready)."""

from typing import Any

from claims.services import ReanchorResult, reanchor_source
from sources.models import Source


def reanchor_after_body_change(
    sender: type[Source], *, source: Source, **kwargs: Any
) -> ReanchorResult:
    """A corrected source text: every citation of it is found again, or flagged for review."""
    return reanchor_source(source=source)
