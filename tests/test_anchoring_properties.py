"""Properties of the quote matcher over generated text (hypothesis).

Bodies mix composed and decomposed letters, letters with no composed form, Hangul as
syllables and as jamo, soft hyphens and zero-width characters inside words, curly quotes
and dashes, and emoji (ZWJ sequences, skin tones, flags). The checks use their own
reference folding (NFC of the whole text, invisible characters dropped, whitespace
collapsed) rather than the matcher's cluster-by-cluster one.
"""

import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.anchoring import QuoteNotFound, find_quote
from claims.textmatch import IGNORABLE, TYPOGRAPHY

# Bounded for CI and the same on every run: a failure found once is found again.
settings.register_profile(
    "anchoring-ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
BOUNDED = settings(settings.get_profile("anchoring-ci"))

LETTERS = [
    *"abcdefghijklmnoprstuwy",  # no q, v, x or z: REPLACEMENT below is in no body
    "é",
    "e\u0301",  # é decomposed
    "ï",
    "i\u0308",
    "n\u0303",
    "q\u0303",  # no composed form: stays two code points in NFC
    "ж",
    "中",
    "각",
    "\u1100\u1161\u11a8",  # 각 as jamo
    "٣",
]
EMOJI = [
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: a ZWJ sequence
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f1eb\U0001f1f7",  # flag: two regional indicators
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
]
PUNCTUATION = ["“", "”", "‘", "’", "'", '"', "—", "–", "-", ",", ".", ":", "«", "»"]
SEPARATORS = [" ", "  ", "\n", "\u00a0", "\t", " \n "]
REPLACEMENT = "zzvx"


@st.composite
def words(draw) -> str:
    letters = draw(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=6))
    out = letters[0]
    for letter in letters[1:]:
        out += draw(st.sampled_from(["", "", "", *IGNORABLE])) + letter
    return out


tokens = st.one_of(
    words().map(lambda w: ("word", w)),
    words().map(lambda w: ("word", f"“{w}”")),
    st.sampled_from(EMOJI).map(lambda e: ("other", e)),
    st.sampled_from(PUNCTUATION).map(lambda p: ("other", p)),
)


@st.composite
def bodies_and_slices(draw):
    """A body of tokens between separators, and the indices of a run of its tokens."""
    toks = draw(st.lists(tokens, min_size=1, max_size=25))
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in toks]
    first = draw(st.integers(0, len(toks) - 1))
    last = draw(st.integers(first, min(len(toks) - 1, first + 8)))
    return toks, seps, first, last


def join(toks, seps, first=0, last=None) -> str:
    last = len(toks) - 1 if last is None else last
    out = ""
    for i in range(first, last + 1):
        out += toks[i][1] + (seps[i] if i < last else "")
    return out


def reference(text: str) -> str:
    """The texts as matching should compare them, folded in one go."""
    visible = "".join(ch for ch in text if ch not in IGNORABLE)
    return " ".join(unicodedata.normalize("NFC", visible).translate(TYPOGRAPHY).split())


def grapheme_boundaries(text: str) -> set[int]:
    return {0} | {m.end() for m in regex.finditer(r"\X", text)}


def straighten(text: str) -> str:
    return text.translate(str.maketrans("“”‘’—–«»", '""\'\'--""'))


def without_invisibles(text: str) -> str:
    return "".join(ch for ch in text if ch not in IGNORABLE)


# How an analyst's copy of a passage may differ from the body and still be accepted.
RETYPINGS = {
    "as published": lambda q: q,
    "NFC": lambda q: unicodedata.normalize("NFC", q),
    "NFD": lambda q: unicodedata.normalize("NFD", q),
    "straight quotes and hyphens": straighten,
    "invisible characters lost": without_invisibles,
    "whitespace retyped": lambda q: " ".join(q.split()),
    "all of these": lambda q: " ".join(
        straighten(without_invisibles(unicodedata.normalize("NFD", q))).split()
    ),
}


def assert_sound(body: str, quote: str, anchor) -> None:
    """Never an anchor that cuts a grapheme, nor one to text that is not there."""
    assert 0 <= anchor.start < anchor.end <= len(body)
    boundaries = grapheme_boundaries(body)
    assert anchor.start in boundaries and anchor.end in boundaries
    assert anchor.exact == body[anchor.start : anchor.end]
    assert reference(anchor.exact) == reference(quote)


@BOUNDED
@given(case=bodies_and_slices(), retyping=st.sampled_from(list(RETYPINGS)))
def test_a_run_of_the_body_is_always_found_however_it_was_retyped(case, retyping):
    toks, seps, first, last = case
    body = join(toks, seps)
    quote = RETYPINGS[retyping](join(toks, seps, first, last))
    if not reference(quote):
        return  # nothing visible to look for
    anchor = find_quote(body, quote)
    assert_sound(body, quote, anchor)


@BOUNDED
@given(case=bodies_and_slices(), data=st.data())
def test_a_quote_that_differs_by_one_word_is_refused(case, data):
    toks, seps, first, last = case
    run = list(range(first, last + 1))
    word_positions = [i for i in run if toks[i][0] == "word"]
    changed = list(toks)
    if word_positions:
        i = data.draw(st.sampled_from(word_positions))
        changed[i] = ("word", REPLACEMENT)
    else:  # no word in the run: one is added to it
        changed[last] = ("other", f"{toks[last][1]} {REPLACEMENT}")
    body = join(toks, seps)
    with pytest.raises(QuoteNotFound):
        find_quote(body, join(changed, seps, first, last))


@BOUNDED
@given(body=st.text(max_size=200), data=st.data())
def test_arbitrary_text_gives_a_sound_anchor_or_quote_not_found(body, data):
    cut = st.integers(0, len(body)).flatmap(
        lambda i: st.integers(i, len(body)).map(lambda j: (i, j))
    )
    quote = data.draw(st.one_of(st.text(max_size=40), cut.map(lambda span: body[slice(*span)])))
    try:
        anchor = find_quote(body, quote)
    except QuoteNotFound:
        return
    assert_sound(body, quote, anchor)


@BOUNDED
@given(case=bodies_and_slices(), data=st.data())
def test_a_slice_cut_anywhere_gives_a_sound_anchor_or_quote_not_found(case, data):
    toks, seps, _first, _last = case
    body = join(toks, seps)
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    quote = body[start:end]
    try:
        anchor = find_quote(body, quote)
    except QuoteNotFound:
        return
    assert_sound(body, quote, anchor)
