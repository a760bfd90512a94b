"""generate(): the demo world, written in bulk in one transaction.

bulk_create skips save(), so what save() would compute is set here: slugs (unique against
what the database already holds, so a seeded database takes demo data beside it), body
digests and canonical URLs, and citation anchors, placed by construction (each quote is
written into its body and its offsets recorded as it is written). Simple-history records
are not written for generated rows. Same claims and seed, same starting database: same
data (one random.Random drives every choice; nothing reads the clock or the ids).
"""

import importlib
import importlib.util
import math
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from claims.demo import vocabulary as words
from claims.demo.articles import Draft, claim_row, context, write_sources
from claims.demo.disputes import DisputeWrites, write_disputes
from claims.demo.figures import Figure, figures, metric_record
from claims.demo.taken import Taken
from claims.models import Citation, Claim, Dispute, Metric, Party
from claims.models.figures import Statistic
from sources.models import Outlet

BATCH = 2000
# Bulk recomputations other parts of the app provide for loaders that bypass save().
DERIVED_REFRESHES = (
    ("claims.comparisons", "refresh_all_verdicts"),
    ("claims.search", "rebuild_search_index"),
    ("claims.models.summaries", "refresh_party_summaries"),
)


@dataclass(frozen=True)
class Scale:
    """How much of everything N claims come with; worst cases scale down below 100,000."""

    claims: int

    @property
    def worst_party_claims(self) -> int:
        return min(self.claims // 10, 10_000)

    @property
    def worst_point_placements(self) -> int:
        # At least 20 where the claims allow, above any ordinary point (≤ 6 per side).
        return max(min(self.claims // 50, 2_000), min(20, self.claims // 10))

    @property
    def worst_metric_values(self) -> int:
        # At least 60 where the claims allow, so it stays above every ordinary metric (≤ 50).
        return max(min(self.claims // 20, 5_000), min(60, self.claims // 4))

    @property
    def disputes(self) -> int:
        return max(1, round(self.claims / 100))

    @property
    def organisations(self) -> int:
        return min(max(self.claims // 200, 24), 500)

    @property
    def outlets(self) -> int:
        return min(max(self.claims // 2000, 4), 50)

    @property
    def metrics(self) -> int:
        return min(max(self.claims // 300, 3), 300)


@dataclass
class Report:
    claims: int
    citations: int
    sources: int
    parties: int
    outlets: int
    metrics: int
    statistics: int
    disputes: int
    placements: int
    relations: int
    worst_party: Party
    worst_metric: Metric | None
    worst_dispute: Dispute
    refreshed: dict[str, int]
    laps: dict[str, float]
    seconds: float = 0.0


def generate(*, claims: int, seed: int) -> Report:
    started = time.perf_counter()
    with transaction.atomic():
        report = _generate(Scale(claims), random.Random(seed))
    report.seconds = time.perf_counter() - started
    return report


class Laps(dict[str, float]):
    """Seconds per step, for the command's report: where a slow load spends its time."""

    def __init__(self) -> None:
        super().__init__()
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self[name] = now - self.last
        self.last = now


def _generate(scale: Scale, rng: random.Random) -> Report:
    laps = Laps()
    outlets = write_outlets(rng, scale.outlets)
    organisations, members = write_parties(rng, scale.organisations)
    metric_figures = write_metrics(rng, scale)
    drafts = draft_claims(rng, scale, organisations, members, metric_figures)
    laps.lap("parties, outlets, metrics, drafts")
    sources, quoted = write_sources(rng, drafts, outlets)
    laps.lap("sources")
    written = Claim.objects.bulk_create((claim_row(d) for d in drafts), batch_size=BATCH)
    laps.lap("claims")
    citations = Citation.objects.bulk_create(
        (
            Citation(claim=written[i], source=sources[s], quote=body[a:b], start=a, end=b, **ctx)
            for i, s, a, b in quoted
            for body in [sources[s].body]
            for ctx in [context(body, a, b)]
        ),
        batch_size=BATCH,
    )
    laps.lap("citations")
    statistics = Statistic.objects.bulk_create(
        (
            d.figure.statistic(claim_id=c.pk, metric=d.metric)
            for d, c in zip(drafts, written, strict=True)
            if d.figure is not None and d.metric is not None
        ),
        batch_size=BATCH,
    )
    claims_of: dict[int, list[int]] = {}
    for d, c in zip(drafts, written, strict=True):
        claims_of.setdefault(d.party.pk, []).append(c.pk)
    disputes: DisputeWrites = write_disputes(
        rng,
        count=scale.disputes,
        worst_point_placements=scale.worst_point_placements,
        parties=organisations,
        claims_of=claims_of,
        slugs=Taken.of(Dispute).values,
    )
    laps.lap("statistics, disputes")
    refreshed = refresh_derived()
    laps.lap("bulk refreshes")
    return Report(
        claims=len(written),
        citations=len(citations),
        sources=len(sources),
        parties=len(organisations) + sum(len(m) for m in members.values()),
        outlets=len(outlets),
        metrics=len(metric_figures),
        statistics=len(statistics),
        disputes=len(disputes.disputes),
        placements=disputes.placements,
        relations=disputes.relations,
        worst_party=organisations[0],
        worst_metric=metric_figures[0][0] if metric_figures else None,
        worst_dispute=disputes.disputes[0],
        refreshed=refreshed,
        laps=laps,
    )


def refresh_derived() -> dict[str, int]:
    """Run the bulk recomputations that exist in this version of the app (stored verdicts,
    search vectors), which save() would otherwise have kept current."""
    done = {}
    for module_name, function_name in DERIVED_REFRESHES:
        if importlib.util.find_spec(module_name) is None:
            continue
        function = getattr(importlib.import_module(module_name), function_name, None)
        if callable(function):
            done[function_name] = function()
    return done


def write_outlets(rng: random.Random, count: int) -> list[Outlet]:
    names, slugs = Taken.of(Outlet, "name"), Taken.of(Outlet)
    rows = []
    for _ in range(count):
        name = names.claim(words.outlet_name(rng), sep=" ")
        slug = slugs.claim(slugify(name)[:100])
        rows.append(
            Outlet(
                name=name,
                slug=slug,
                homepage=f"https://{slug}.example/",
                description="A regional news outlet (demo data).",
            )
        )
    return Outlet.objects.bulk_create(rows, batch_size=BATCH)


def write_parties(rng: random.Random, count: int) -> tuple[list[Party], dict[int, list[Party]]]:
    """count organisations (the first a company, the worst case) and two people speaking
    for each; returns the organisations and their people by organisation id."""
    slugs = Taken.of(Party)
    kinds = list(words.ORG_NOUNS)
    organisations = []
    for number in range(count):
        kind = kinds[0] if number == 0 else words.pick(rng, kinds)
        name = words.organisation_name(rng, kind)
        slug = slugs.claim(slugify(name)[:100])
        organisations.append(
            Party(
                name=name,
                slug=slug,
                kind=kind,
                description=f"{Party.Kind(kind).label} (demo data).",
                url=f"https://{slug}.example/",
            )
        )
    organisations = Party.objects.bulk_create(organisations, batch_size=BATCH)
    people = []
    for organisation in organisations:
        for _ in range(2):
            name = words.person_name(rng)
            people.append(
                Party(
                    name=name,
                    slug=slugs.claim(slugify(name)[:100]),
                    kind=Party.Kind.INDIVIDUAL,
                    role=words.pick(rng, words.ROLES),
                    affiliation=organisation,
                )
            )
    members: dict[int, list[Party]] = {}
    for person in Party.objects.bulk_create(people, batch_size=BATCH):
        assert person.affiliation is not None
        members.setdefault(person.affiliation.pk, []).append(person)
    return organisations, members


def write_metrics(rng: random.Random, scale: Scale) -> list[tuple[Metric, list[Figure]]]:
    """The metrics and the figures to be given for them, the worst case first; at most
    half the claims give a figure."""
    names, slugs = Taken.of(Metric, "name"), Taken.of(Metric)
    budget = scale.claims // 2
    planned: list[tuple[Metric, list[Figure]]] = []
    for number in range(scale.metrics):
        count = scale.worst_metric_values if number == 0 else rng.randint(5, 50)
        if count > budget or count == 0:
            break
        budget -= count
        name, unit, definition = metric_record(rng)
        name = names.claim(name, sep=" ")
        metric = Metric(name=name, slug=slugs.claim(slugify(name)[:100]), definition=definition)
        metric.unit = unit
        planned.append((metric, figures(rng, unit, count)))
    Metric.objects.bulk_create([metric for metric, _ in planned], batch_size=BATCH)
    return planned


def draft_claims(
    rng: random.Random,
    scale: Scale,
    organisations: list[Party],
    members: dict[int, list[Party]],
    metric_figures: list[tuple[Metric, list[Figure]]],
) -> list[Draft]:
    n = scale.claims
    pool = organisations[1:]
    # Skewed, as coverage is, but flat enough that the worst case stays the largest party.
    weights = [1 / math.sqrt(rank + 1) + 0.5 for rank in range(len(pool))]
    parties = rng.choices(pool, weights=weights, k=n)
    for position in rng.sample(range(n), scale.worst_party_claims):
        parties[position] = organisations[0]
    given = [(metric, figure) for metric, figs in metric_figures for figure in figs]
    figure_at = dict(zip(rng.sample(range(n), len(given)), given, strict=True))
    kinds, kind_weights = list(words.KIND_WEIGHTS), list(words.KIND_WEIGHTS.values())
    drafts = []
    for position, party in enumerate(parties):
        speaker = words.pick(rng, members[party.pk]) if rng.random() < 0.5 else None
        if position in figure_at:
            metric, figure = figure_at[position]
            said = figure.words(metric)
            quote = f"The figure for {metric.name.lower()} was {said}"
            period = "" if figure.year else " (period not stated)"
            summary = f"{party.name} puts {metric.name.lower()} at {said}{period}"
            drafts.append(
                Draft(party, speaker, Claim.Kind.STATISTIC, quote, summary, metric, figure)
            )
        else:
            quote, summary = words.claim_words(rng, party.name)
            kind = rng.choices(kinds, weights=kind_weights)[0]
            drafts.append(Draft(party, speaker, kind, quote, summary))
    return drafts
