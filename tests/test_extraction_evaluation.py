"""The extraction evaluation set is well formed, the harness scores what it should, and the
report is printed (run with -s, or read `make test`'s output).

No threshold is asserted on the extractor's numbers here: the held-out numbers must not
steer tuning, and the Done-when bar is checked once, at the end.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.extraction.evaluation import PARTS, as_text, evaluate, load_part
from claims.extraction.evaluation.baseline import baseline
from claims.extraction.evaluation.gold import Article, GoldError, GoldFigure, GoldQuote
from claims.extraction.evaluation.scoring import iou, match, same_party, score
from claims.extraction.types import KnownMetric, KnownParty
from claims.models import Metric, Statistic
from claims.models.figures import validate_currency_code

DATA = Path(settings.BASE_DIR) / "tests" / "data" / "extraction_eval"


def all_articles() -> list[Article]:
    return [a for part in PARTS for a in load_part(DATA, part)]


def loadable_articles() -> list[Article]:
    """For parametrising: a broken set fails the first test with its problems, not collection."""
    try:
        return all_articles()
    except GoldError:
        return []


def test_every_gold_file_parses_and_every_span_is_verbatim_and_unique():
    articles = all_articles()  # raises GoldError, listing every problem, if any
    assert len(load_part(DATA, "heldout")) >= 6
    for article in articles:
        for item in [*article.quotes, *article.figures]:
            assert article.body[item.start : item.end] == item.text, (article.slug, item)


def test_the_gold_speaks_the_projects_own_vocabulary():
    for article in all_articles():
        for metric in article.metrics:
            assert metric.unit in Metric.Unit.values, (article.slug, metric)
        for figure in article.figures:
            where = (article.slug, figure.text)
            assert figure.unit in Metric.Unit.values, where
            assert figure.qualifier in Statistic.Qualifier.values, where
            assert not Metric.Unit(figure.unit).range_error(figure.value), where
            if figure.unit == Metric.Unit.CURRENCY:
                validate_currency_code(figure.currency)
            else:
                assert not figure.currency, where


def test_the_held_out_part_covers_several_disputes_and_styles():
    heldout = load_part(DATA, "heldout")
    assert len({a.dispute for a in heldout}) >= 4
    assert {"wire", "trade-press", "statement", "state-media"} <= {a.style for a in heldout}


def test_a_span_that_is_not_in_the_body_is_refused_with_its_file_and_item(tmp_path):
    (tmp_path / "heldout").mkdir()
    (tmp_path / "heldout" / "a.txt").write_text("Acme said sales fell 5%. Acme said so.")
    (tmp_path / "heldout" / "a.toml").write_text(
        '[article]\npublished = "2020"\nstyle = "wire"\ndispute = "d"\n'
        '[[known_party]]\nname = "Acme"\n'
        '[[quote]]\ntext = "Acme said"\nform = "reported"\nparty = "Acme"\n'
        '[[quote]]\ntext = "sales rose"\nform = "reported"\nparty = "Acme"\n'
        '[[figure]]\ntext = "5%"\ncontext = "fell 5%"\nvalue = "-5"\nunit = "percent"\n'
        'party = "Globex"\n'
    )
    with pytest.raises(GoldError) as raised:
        load_part(tmp_path, "heldout")
    problems = raised.value.problems
    assert "heldout/a.toml: quote 1: 'Acme said' occurs 2 times: give occurrence" in problems
    assert any("quote 2" in p and "not a verbatim passage" in p for p in problems)
    assert any("figure 1" in p and "'Globex' is not a known party" in p for p in problems)


def test_matching_is_greedy_by_best_overlap_and_one_to_one():
    assert iou((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert iou((0, 10), (10, 20)) == 0
    # Gold 0 prefers proposal 1 (IoU 0.9); gold 1 then gets proposal 0, not the taken one.
    assert match([(0, 10), (0, 9)], [(0, 8), (0, 10)], 0.6) == {0: 1, 1: 0}
    assert match([(0, 10)], [(0, 5)], 0.6) == {}
    assert match([(0, 10)], [(9, 30)], 0.0) == {0: 0}
    assert same_party("The Regional Water Board", "regional water board")


@dataclass(frozen=True)
class Proposed:
    """A proposal with the fields the extractor may add later (new_party, period)."""

    kind: str
    start: int
    end: int
    party: str = ""
    new_party: str = ""
    form: str = ""
    value: Decimal | None = None
    qualifier: str = ""
    metric: str = ""
    period: str = ""


def perfect(article: Article):
    def propose(body, *, parties=(), metrics=(), published=None):
        known = {p.name for p in parties}
        quotes = [
            Proposed(
                "quote",
                q.start,
                q.end,
                form=q.form,
                **{"party" if q.party in known else "new_party": q.party},
            )
            for q in article.quotes
        ]
        figures = [
            Proposed(
                "figure",
                f.start,
                f.end,
                party=f.party,
                value=f.value,
                qualifier=f.qualifier,
                metric=f.metric,
                period=f.period,
            )
            for f in article.figures
        ]
        return quotes + figures

    return propose


@pytest.mark.parametrize("article", loadable_articles(), ids=lambda a: f"{a.part}/{a.slug}")
def test_a_proposer_that_returns_the_gold_scores_one_everywhere(article):
    scores = score([article], perfect(article))
    for kind in ("direct", "reported", "figure"):
        for name, ratio in scores[kind].measures.items():
            expected = 0 if name.startswith("wrong") else 1
            assert ratio.value in (None, expected), (kind, name, ratio)


TINY = (
    "Acme said sales fell 5% in 2019. "
    "“We will appeal,” said Jane Roe.\n\n"
    "The regulator fined Acme $2 million."
)


def tiny_article() -> Article:
    def at(text: str) -> tuple[int, int]:
        start = TINY.index(text)
        return start, start + len(text)

    sentence = "Acme said sales fell 5% in 2019."
    return Article(
        slug="tiny",
        part="heldout",
        body=TINY,
        parties=[KnownParty(1, "Acme"), KnownParty(2, "Jane Roe", True, 1)],
        metrics=[
            KnownMetric(1, "Sales change", unit="percent"),
            KnownMetric(2, "Fines", unit="currency"),
        ],
        quotes=[
            GoldQuote(sentence, *at(sentence), form="reported", speaker="", party="Acme"),
            GoldQuote("We will appeal,", *at("We will appeal,"), "direct", "Jane Roe", "Acme"),
        ],
        figures=[
            GoldFigure(
                "5%",
                *at("5%"),
                Decimal(-5),
                "percent",
                period="2019",
                metric="Sales change",
                party="Acme",
            ),
            GoldFigure(
                "$2 million",
                *at("$2 million"),
                Decimal(2_000_000),
                "currency",
                currency="USD",
                metric="Fines",
            ),
        ],
    )


def test_the_baseline_scores_what_it_should_by_hand():
    # Baseline: three sentences, all "reported". Sentence 1 is the gold reported quote
    # (IoU 1) given to Acme; sentence 2, “We will appeal,” said Jane Roe. (32 characters),
    # overlaps the direct quote's 15 by 15/32 < 0.6: no match; sentence 3 matches nothing.
    # Numbers: 5, 2019, 2. "5" (percent, first percent metric: Sales change, unsigned 5),
    # "2" ($, currency, first currency metric: Fines, value 2). "2019" matches nothing.
    scores = score([tiny_article()], baseline)
    ratios = {
        (kind, name): (r.hits, r.total)
        for kind in ("direct", "reported", "figure")
        for name, r in scores[kind].measures.items()
    }
    assert ratios[("direct", "recall")] == (0, 1)
    assert ratios[("direct", "precision")] == (0, 0)
    assert ratios[("reported", "recall")] == (1, 1)
    assert ratios[("reported", "precision")] == (1, 3)
    assert ratios[("reported", "attribution")] == (1, 1)
    assert ratios[("figure", "recall")] == (2, 2)
    assert ratios[("figure", "precision")] == (2, 3)
    assert ratios[("figure", "attribution")] == (1, 2)  # the fine's gold party is ""
    assert ratios[("figure", "wrong_attribution")] == (0, 2)
    assert ratios[("figure", "value")] == (0, 2)  # 5 for -5, and 2 for 2,000,000
    assert ratios[("figure", "qualifier")] == (2, 2)
    assert ratios[("figure", "metric")] == (2, 2)
    assert ratios[("figure", "wrong_metric")] == (0, 2)
    assert ratios[("figure", "period")] == (1, 2)


def test_the_report_is_printed_per_part_and_kind(capsys):
    results = evaluate(DATA)
    text = as_text(results)
    assert "heldout part" in text and "figures" in text and "baseline" in text
    with capsys.disabled():
        print("\n" + text)


def test_the_command_prints_json_and_refuses_a_broken_set(tmp_path, capsys):
    call_command("eval_extraction", "--part", "heldout", "--json")
    assert '"part": "heldout"' in capsys.readouterr().out
    (tmp_path / "tuning").mkdir()
    (tmp_path / "tuning" / "a.txt").write_text("Body.")
    with pytest.raises(CommandError, match=r"no gold file a\.toml"):
        call_command("eval_extraction", "--data", str(tmp_path))
