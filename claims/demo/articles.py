"""The articles that report the claims: each quote written into a body as it is built,
its offsets recorded there, so every citation is verbatim at its offsets by construction."""

import datetime
import random
from dataclasses import dataclass

from django.utils.text import slugify

from claims.anchoring import make_anchor
from claims.demo import vocabulary as words
from claims.demo.figures import Figure
from claims.demo.taken import Taken
from claims.models import Claim, Metric, Party
from claims.models.timeline_order import timeline_key
from sources.dates import DatePrecision, format_precise_date
from sources.intake import canonical_url, edge_fingerprints
from sources.models import Outlet, Source, body_sha256

BATCH = 2000
FIRST_DAY, LAST_DAY = datetime.date(2012, 1, 1), datetime.date(2024, 12, 31)
SOURCE_KINDS = {
    Source.Kind.ARTICLE: 8,
    Source.Kind.PRESS_RELEASE: 1,
    Source.Kind.STATEMENT: 1,
    Source.Kind.REPORT: 1,
    Source.Kind.BLOG_POST: 1,
}
SECOND_REPORT_SHARE = 0.1  # claims quoted again by a second source


@dataclass
class Draft:
    """A claim before it is written: who, what, the figure it gives, when."""

    party: Party
    speaker: Party | None
    kind: str
    quote: str
    summary: str
    metric: Metric | None = None
    figure: Figure | None = None
    claimed_on: datetime.date | None = None
    claimed_precision: str = DatePrecision.UNKNOWN


def claim_row(draft: Draft) -> Claim:
    summary = draft.summary[:300]
    return Claim(
        party_id=draft.party.pk,
        speaker_id=draft.speaker.pk if draft.speaker else None,
        summary=summary,
        slug=slugify(summary)[:120] or "claim",  # what Claim.save() would set
        kind=draft.kind,
        claimed_on=draft.claimed_on,
        claimed_precision=draft.claimed_precision,
        timeline_key=timeline_key(draft.claimed_on, draft.claimed_precision),  # as save() sets
    )


def context(body: str, start: int, end: int) -> dict[str, str]:
    anchor = make_anchor(body, start, end)
    return {"prefix": anchor.prefix, "suffix": anchor.suffix}


def random_date(rng: random.Random) -> tuple[datetime.date | None, str]:
    roll = rng.random()
    if roll < 0.03:
        return None, DatePrecision.UNKNOWN
    day = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    if roll < 0.88:
        return day, DatePrecision.DAY
    if roll < 0.96:
        return day.replace(day=1), DatePrecision.MONTH
    return datetime.date(day.year, 1, 1), DatePrecision.YEAR


def claim_date(
    rng: random.Random, on: datetime.date | None, precision: str
) -> tuple[datetime.date | None, str]:
    """When a claim was made, as its source lets us know it: the source's date, or only its
    month or year, or not at all."""
    roll = rng.random()
    if on is None or roll < 0.07:
        return None, DatePrecision.UNKNOWN
    if roll < 0.7:
        return on, precision
    if roll < 0.85 and precision == DatePrecision.DAY:
        return on.replace(day=1), DatePrecision.MONTH
    return datetime.date(on.year, 1, 1), DatePrecision.YEAR


class Body:
    """Text built piece by piece, knowing the offset of each piece."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.pieces.append(text)
        self.length += len(text)
        return start, self.length

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def attribution(draft: Draft) -> str:
    if draft.speaker is None:
        return f"a statement from {draft.party.name} said"
    return f"said {draft.speaker.name}, {draft.speaker.role.lower()} at {draft.party.name}"


def write_sources(
    rng: random.Random, drafts: list[Draft], outlets: list[Outlet]
) -> tuple[list[Source], list[tuple[int, int, int, int]]]:
    """Articles of two to six claims each, in shuffled order (an article quotes several
    parties), a tenth of the claims quoted again elsewhere. Sets each draft's date from its
    first source. Returns the sources and (draft, source, start, end) per citation."""
    order = list(range(len(drafts)))
    rng.shuffle(order)
    groups: list[list[int]] = []
    done = 0
    while done < len(order):
        size = rng.randint(2, 6)
        groups.append(order[done : done + size])
        done += size
    again: list[list[int]] = [[] for _ in groups]
    for number, members in enumerate(groups):
        for index in members:
            if len(groups) > 1 and rng.random() < SECOND_REPORT_SHARE:
                other = rng.randrange(len(groups) - 1)
                again[other + (other >= number)].append(index)
    slugs, digests = Taken.of(Source), Taken.of(Source, "body_sha256")
    kinds, kind_weights = list(SOURCE_KINDS), list(SOURCE_KINDS.values())
    sources, quoted = [], []
    for number, members in enumerate(groups):
        title = words.headline(rng, drafts[members[0]].party.name)
        published, precision = random_date(rng)
        for index in members:
            drafts[index].claimed_on, drafts[index].claimed_precision = claim_date(
                rng, published, precision
            )
        outlet = words.pick(rng, outlets)
        author = words.person_name(rng)
        body = Body()
        dateline = format_precise_date(published, precision)
        body.add(f"{title}\n\n{words.pick(rng, words.PLACES)}, {dateline}. ")
        body.add(words.filler(rng, 2))
        for index in dict.fromkeys(members + again[number]):
            body.add("\n\n" + words.filler(rng, rng.randint(1, 3)) + " “")
            start, end = body.add(drafts[index].quote)
            quoted.append((index, number, start, end))
            body.add(f",” {attribution(drafts[index])}.")
        body.add(f"\n\n{words.filler(rng, 1)}\n\nReporting by {author} for {outlet.name}.")
        text = body.text
        while body_sha256(text) in digests.values:  # an identical text is refused
            text += "\n\n(Updated.)"
        digests.values.add(body_sha256(text))
        slug = slugs.claim(slugify(title)[:100])
        year = published.year if published else "undated"
        url = f"https://{outlet.slug}.example/{year}/{slug}/"
        opening, closing = edge_fingerprints(text)
        sources.append(
            Source(
                title=title,
                slug=slug,
                outlet=outlet,
                author=author,
                kind=rng.choices(kinds, weights=kind_weights)[0],
                published_on=published,
                published_precision=precision,
                url=url,
                url_canonical=canonical_url(url),
                body=text,
                body_sha256=body_sha256(text),
                body_opening=opening,
                body_closing=closing,
            )
        )
    return Source.objects.bulk_create(sources, batch_size=BATCH), quoted
