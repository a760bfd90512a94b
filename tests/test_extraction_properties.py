"""Property-based tests of the extractor: whatever the text, it never crashes and never
proposes a span that is not there."""

from hypothesis import given
from hypothesis import strategies as st

from claims.extraction import KnownMetric, KnownParty, extract

# Words and marks that make the extractor's rules fire: quotation marks, verbs of saying,
# numbers with units and qualifiers, sentence ends, names and line breaks.
PIECES = st.sampled_from(
    [
        "“", "”", '"', "'", "‘", "’", " said", " says", " told reporters", " according to ",
        "Alibaba", " the USTR", " Mr. Evans", ", the company's chief executive,", " 25%",
        " 1,328", " $4.3 billion", " RMB 4.3 billion ($675m)", " nearly", " more than",
        " fell", " 27 times", " per 10,000", ". ", ".\n", "\n\n", " – Jessie Zheng", " he added",
        " in 2017", " (", ")", "—", "…", "\u00ad", "\u200b", "e\u0301", "😀", " ",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join),
    st.text(max_size=300),
)
PARTIES = [
    KnownParty(id=1, name="Alibaba Group"),
    KnownParty(id=2, name="Office of the United States Trade Representative"),
    KnownParty(id=3, name="Michael Evans", is_person=True, affiliation_id=1),
]
METRICS = [KnownMetric(id=1, name="Change in takedown requests", unit="percent")]


@given(TEXTS)
def test_every_proposal_is_a_span_of_the_text_it_was_read_from(body):
    for proposal in extract(body, parties=PARTIES, metrics=METRICS):
        assert 0 <= proposal.start <= proposal.end <= len(body)
        assert body[proposal.start : proposal.end] == proposal.text
        assert 0 <= proposal.sentence_start <= proposal.sentence_end <= len(body)
        if proposal.kind == "figure":
            assert proposal.value is not None


@given(TEXTS)
def test_extraction_needs_no_database_and_is_deterministic(body):
    assert extract(body) == extract(body)
