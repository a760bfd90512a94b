"""Parties: the organisations and people claims are attributed to."""

from collections.abc import Collection
from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from sources.links import reverse_kept
from sources.validation import WebURLField, reject_control_characters, web_url_constraint


class PartyQuerySet(models.QuerySet):
    def with_claim_counts(self) -> "PartyQuerySet":
        """Parties by name with claim_count: their claims as ClaimQuerySet.by_party counts
        them (made by the party, said by it, or by its members). Counted per party shown,
        as claims by the group plus claims said by the group less those both made and said
        by it: each a semi-join on an indexed key (party, speaker), never a scan of claims."""
        claims = apps.get_model("claims", "Claim").objects
        group = Party.objects.filter(
            Q(pk=OuterRef(OuterRef("pk"))) | Q(affiliation=OuterRef(OuterRef("pk")))
        ).values("pk")

        def counted(condition: Q) -> Subquery:
            rows = claims.filter(condition).order_by()
            return Subquery(rows.annotate(n=Func(F("pk"), function="COUNT")).values("n"))

        # The stored count (PartySummary) when there is one: counting a party of 10,000
        # claims read them all on every view of the list. COALESCE runs the subqueries only
        # for a party not yet counted.
        return (
            self.select_related("affiliation")
            .annotate(
                claim_count=Coalesce(
                    F("summary__claim_count"),
                    counted(Q(party__in=group))
                    + counted(Q(speaker__in=group))
                    - counted(Q(party__in=group, speaker__in=group)),
                )
            )
            .order_by("name", "pk")
        )


class Party(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT_AGENCY = "government_agency", "Government agency"
        COMPANY = "company", "Company"
        TRADE_ASSOCIATION = "trade_association", "Trade association"
        WATCHDOG = "watchdog", "Watchdog"
        LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
        MEDIA = "media", "Media"
        INDIVIDUAL = "individual", "Individual"
        ANONYMOUS_COMMENTER = "anonymous_commenter", "Anonymous commenter"

    name = models.CharField(max_length=200, validators=[reject_control_characters])
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="The organisation a person speaks for.",
    )
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text="Title or role as the sources give it.",
        validators=[reject_control_characters],
    )
    description = models.TextField(blank=True, validators=[reject_control_characters])
    url = WebURLField(blank=True, verbose_name="URL")

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    # The name as last loaded from or saved to the database (None: not known). The search
    # index holds it on every claim the party made or spoke, rewritten only on a rename.
    _stored_name: str | None = None
    # The affiliation as stored before a save (claims.receivers: PartySummary).
    _affiliation_before_save: int | None = None

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        indexes = [
            # The party list's pages: ORDER BY name, id LIMIT 50 OFFSET n.
            models.Index(fields=["name", "id"], name="party_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(affiliation=F("pk")), name="party_not_affiliated_with_itself"
            ),
            web_url_constraint("url", "party_url_is_web_address"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_kept("parties:detail", slug=self.slug)

    def group_ids(self) -> list[int]:
        """The party and the people who speak for it, by id (one query)."""
        return [self.pk, *Party.objects.filter(affiliation=self).values_list("pk", flat=True)]

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.remember_stored_name()
        return instance

    def remember_stored_name(self) -> None:
        self._stored_name = self.__dict__.get("name")

    @property
    def name_changed(self) -> bool:
        """Whether the name may differ from the stored one (unknown counts as changed)."""
        return self._stored_name is None or self._stored_name != self.name

    @property
    def is_person(self) -> bool:
        return self.kind in {self.Kind.INDIVIDUAL, self.Kind.ANONYMOUS_COMMENTER}
