import hashlib
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, ProtectedError, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from sources import signals
from sources.dates import (
    DatePrecision,
    format_precise_date,
    precise_date_constraints,
    validate_precise_date,
)
from sources.indexes import NullsOrderIndex
from sources.intake import (
    canonical_url,
    edge_fingerprints,
    nearly_the_same,
    window_fingerprints,
)
from sources.links import reverse_kept
from sources.validation import (
    WebURLField,
    date_range_constraint,
    reject_control_characters,
    validate_plausible_date,
    web_url_constraint,
)

TEXT = [reject_control_characters]


def validate_body_size(body: str) -> None:
    """A body no larger than an upload may be (SOURCE_UPLOAD_MAX_BYTES), whichever way it
    came in: every quote is searched for in it, so its size bounds that work."""
    limit = settings.SOURCE_UPLOAD_MAX_BYTES
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ValidationError(
            "The text is %(size)s; the largest accepted is %(limit)s. Paste only the article "
            "(without comments or other articles of the page).",
            code="body_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None) -> str:
    """A slug for text that no other row of model has: "title", else "title-2", "title-3"…

    Never empty: a text with no Latin letters or digits ("北京") falls back to the model's
    name ("source", "source-2"), which keeps URLs reversible.
    """
    field = model._meta.get_field("slug")
    assert isinstance(field, models.SlugField) and field.max_length is not None
    assert model._meta.model_name is not None  # set for every concrete model
    base = slugify(text)[: field.max_length - 10].strip("-_") or model._meta.model_name
    taken = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=TEXT)
    slug = models.SlugField(max_length=120, unique=True)
    homepage = WebURLField(blank=True)
    description = models.TextField(
        blank=True, help_text="What kind of publisher this is, if known.", validators=TEXT
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [web_url_constraint("homepage", "outlet_homepage_is_web_address")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('sources:list')}?outlet={self.slug}"


class SourceQuerySet(models.QuerySet["Source"]):
    def with_outlet(self) -> "SourceQuerySet":
        return self.select_related("outlet")

    def nearly_the_same_as(self, body: str, *, limit: int = 5) -> list["Source"]:
        """Sources whose text is nearly body (the same article with or without page chrome
        around it), not counting an exact copy. Bounded: candidates are only the sources
        whose first or last words occur in body, or whose first or last words body shares,
        found through their indexed fingerprints; each is then compared in full."""
        windows = window_fingerprints(body)
        if not windows:
            return []
        candidates: list[Source] = []
        chunk = sorted(windows)
        for i in range(0, len(chunk), 500):
            part = chunk[i : i + 500]
            query = Q(body_opening__in=part) | Q(body_closing__in=part)
            candidates += list(self.filter(query).exclude(body_sha256=body_sha256(body))[:limit])
            if len(candidates) >= limit:
                break
        seen: set[int] = set()
        found = []
        for candidate in candidates:
            if candidate.pk not in seen and nearly_the_same(body, candidate.body):
                seen.add(candidate.pk)
                found.append(candidate)
        return found[:limit]


class Source(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "News article"
        PRESS_RELEASE = "press_release", "Press release"
        STATEMENT = "statement", "Statement"
        REPORT = "report", "Government report"
        BLOG_POST = "blog_post", "Blog post"
        COMMENT = "comment", "Reader comment"

        @property
        def schema_type(self) -> str:
            """The schema.org type of a work of this kind, for JSON-LD. schema.org has no
            press-release or statement type; both are Articles by their publisher."""
            return _SCHEMA_TYPES[self]

    title = models.CharField(max_length=300, validators=TEXT)
    slug = models.SlugField(max_length=120, unique=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    author = models.CharField(
        max_length=300, blank=True, help_text="Author(s), as bylined.", validators=TEXT
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="First day of the known period: 2018-01-01 for “January 2018”.",
        validators=[validate_plausible_date],
    )
    published_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="What is known about the date when it is not exact, and from where.",
        validators=TEXT,
    )
    url = WebURLField(max_length=500, blank=True, verbose_name="URL")
    url_canonical = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        verbose_name="canonical URL",
        help_text="The URL without scheme, www., trailing slash, fragment or tracking "
        "parameters (sources.intake.canonical_url); two sources never share one.",
    )
    body = models.TextField(
        help_text="The full text as published. Every quote is checked against it.",
        validators=[reject_control_characters, validate_body_size],
    )
    body_sha256 = models.CharField(max_length=64, editable=False, verbose_name="body SHA-256")
    # Digests of the first and last words of the normalised body (sources.intake): how a
    # nearly identical text is found without reading every body.
    body_opening = models.CharField(max_length=32, blank=True, editable=False)
    body_closing = models.CharField(max_length=32, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    # Not a database field: what the receivers of sources.signals.body_changed reported
    # after the last save() that changed the body (empty otherwise).
    change_reports: tuple[object, ...] = ()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_present"
            ),
            # Also the index of the duplicate-URL check in Source.clean():
            # Source.objects.filter(url_canonical=...).
            models.UniqueConstraint(
                fields=["url_canonical"],
                condition=~Q(url_canonical=""),
                name="source_url_canonical_unique_when_present",
            ),
            models.UniqueConstraint(fields=["body_sha256"], name="source_body_unique"),
            models.CheckConstraint(condition=~Q(body=""), name="source_body_not_empty"),
            *precise_date_constraints("source", "published_on", "published_precision"),
            date_range_constraint("published_on", "source_published_on_plausible"),
            web_url_constraint("url", "source_url_is_web_address"),
        ]
        indexes = [
            # Serve SourceQuerySet.nearly_the_same_as(): body_opening IN (...) and
            # body_closing IN (...) over the word windows of a new text.
            models.Index(fields=["body_opening"], name="source_body_opening_idx"),
            models.Index(fields=["body_closing"], name="source_body_closing_idx"),
            # The source list's pages: ORDER BY published_on DESC NULLS LAST, title.
            NullsOrderIndex(
                F("published_on").desc(nulls_last=True), "title", name="source_listing_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body_sha256 = body_sha256(self.body)
        self.body_opening, self.body_closing = edge_fingerprints(self.body)
        self.url_canonical = canonical_url(self.url)
        if not self.slug:
            self.slug = unique_slug(Source, self.title, exclude_pk=self.pk)
        self.change_reports = ()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            update_fields = {*update_fields, "body_sha256", "body_opening", "body_closing"}
        if update_fields is not None and "url" in update_fields:
            update_fields = {*update_fields, "url_canonical"}
        if update_fields is not None:
            kwargs["update_fields"] = update_fields
        body_changed = (
            self.pk is not None
            and (update_fields is None or "body" in update_fields)
            and Source.objects.filter(pk=self.pk).exclude(body_sha256=self.body_sha256).exists()
        )
        if not body_changed:
            super().save(*args, **kwargs)
            return
        # A corrected body: whatever is anchored to the text is checked again by the apps
        # that keep it (claims re-anchors its citations), in the same transaction, whatever
        # code path changed the text.
        with transaction.atomic():
            super().save(*args, **kwargs)
            responses = signals.body_changed.send(sender=Source, source=self)
        self.change_reports = tuple(report for _, report in responses if report is not None)

    def get_absolute_url(self) -> str:
        return reverse_kept("sources:detail", slug=self.slug)

    def delete(self, *args, **kwargs):
        # The database (PROTECT) refuses while anything refers to the source; say what is in
        # the way. Still a ProtectedError, which the admin's delete page expects.
        try:
            return super().delete(*args, **kwargs)
        except ProtectedError as exc:
            counts = Counter(obj._meta for obj in exc.protected_objects)
            in_use = ", ".join(
                f"{n} {opts.verbose_name if n == 1 else opts.verbose_name_plural}"
                for opts, n in counts.items()
            )
            raise ProtectedError(
                f"This source is still in use ({in_use}); remove those first.",
                exc.protected_objects,
            ) from exc

    @property
    def published_display(self) -> str:
        return format_precise_date(self.published_on, self.published_precision)

    def clean_fields(self, exclude=None) -> None:
        # Before the fields are validated, so that a source given no slug gets one.
        if not self.slug:
            self.slug = unique_slug(Source, self.title, exclude_pk=self.pk)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        validate_precise_date(
            self.published_on, self.published_precision, "published_on", "published_precision"
        )
        self.body_sha256 = body_sha256(self.body)
        others = Source.objects.exclude(pk=self.pk)
        errors = {}
        self.url_canonical = canonical_url(self.url)
        if self.url_canonical and (
            same_url := others.filter(Q(url=self.url) | Q(url_canonical=self.url_canonical)).first()
        ):
            errors["url"] = ValidationError(
                "A source with this URL is already in the database: “%(title)s” (%(link)s).",
                code="duplicate_url",
                params={"title": same_url.title, "link": same_url.get_admin_url()},
            )
        if same_body := others.filter(body_sha256=self.body_sha256).first():
            errors["body"] = ValidationError(
                "This exact text is already in the database as “%(title)s” (%(link)s).",
                code="duplicate_body",
                params={"title": same_body.title, "link": same_body.get_admin_url()},
            )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # clean() checks URL and body uniqueness with messages that name the existing source.
        super().validate_constraints(
            exclude={*(exclude or ()), "url", "url_canonical", "body_sha256"}
        )

    def get_admin_url(self) -> str:
        return reverse("admin:sources_source_change", args=[self.pk])


_SCHEMA_TYPES: dict[str, str] = {
    Source.Kind.ARTICLE: "NewsArticle",
    Source.Kind.PRESS_RELEASE: "Article",
    Source.Kind.STATEMENT: "Article",
    Source.Kind.REPORT: "Report",
    Source.Kind.BLOG_POST: "BlogPosting",
    Source.Kind.COMMENT: "Comment",
}
