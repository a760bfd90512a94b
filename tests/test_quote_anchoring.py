import pytest

from claims.anchoring import QuoteNotFound, find_quote, normalise

BODY = (
    "Alibaba said: “We have been more transparent than any platform in the world.”\n"
    "The USTR – in its report – called the data  merely suggestive of progress.\n"
    "It’s clear that the USTR is not interested."
)


def test_exact_quote_is_found_with_offsets_prefix_and_suffix():
    anchor = find_quote(BODY, "merely suggestive of progress")
    assert BODY[anchor.start : anchor.end] == "merely suggestive of progress"
    assert anchor.prefix == BODY[max(0, anchor.start - 32) : anchor.start]
    assert anchor.suffix == BODY[anchor.end : anchor.end + 32]


def test_straight_quotes_match_typographic_quotes_and_the_body_text_is_kept():
    anchor = find_quote(BODY, "It's clear that the USTR")
    assert anchor.exact == "It’s clear that the USTR"


def test_hyphen_matches_en_dash_and_extra_whitespace_is_tolerated():
    anchor = find_quote(BODY, "The USTR - in its report - called the data merely")
    assert anchor.exact == "The USTR – in its report – called the data  merely"


def test_a_changed_word_is_refused_with_the_closest_passage():
    with pytest.raises(QuoteNotFound) as excinfo:
        find_quote(BODY, "We have been less transparent than any platform in the world")
    assert "not in the source text" in excinfo.value.message
    assert "more transparent than any platform" in excinfo.value.closest


def test_a_quote_with_nothing_like_it_says_so():
    with pytest.raises(QuoteNotFound) as excinfo:
        find_quote(BODY, "zzzz qqqq xxxx")
    assert excinfo.value.closest == ""


def test_repeated_quote_is_resolved_by_its_prefix():
    body = "First: the USTR is wrong. Second: the USTR is wrong."
    anchor = find_quote(body, "the USTR is wrong", prefix="Second: ")
    assert anchor.start == body.rindex("the USTR is wrong")


def test_normalise_folds_quotes_dashes_and_spaces_only():
    assert normalise("“A” – ‘b’\u00a0 c") == "\"A\" - 'b' c"
    assert normalise("Colour") != normalise("Color")


def test_a_quote_is_not_found_inside_a_longer_word():
    body = "The urban ban"
    anchor = find_quote(body, "ban")
    assert (anchor.start, anchor.end) == (body.rindex("ban"), len(body))


def test_a_quote_ending_mid_word_is_refused():
    with pytest.raises(QuoteNotFound):
        find_quote("It is a notorious marketplace.", "a notorious market")


def test_word_boundaries_apply_to_the_normalised_match_too():
    body = "The “urban” ban, the urban’s rules, and the  ban’s end."
    with pytest.raises(QuoteNotFound):
        find_quote(body, "ban's rules")  # only inside “urban’s rules”
    with pytest.raises(QuoteNotFound):
        find_quote(body, "the urban's r")
    anchor = find_quote(body, "ban's end")
    assert anchor.exact == "ban’s end"
    anchor = find_quote(body, '"urban"')
    assert anchor.exact == "“urban”"


def test_a_quote_that_starts_or_ends_with_punctuation_needs_no_boundary_there():
    body = "He said:“ban it”now."
    assert find_quote(body, "“ban it”").exact == "“ban it”"


def test_each_normalised_occurrence_is_judged_by_its_own_context():
    # The two occurrences differ in length once mapped back onto the body (the second spans
    # a long run of whitespace); its suffix must be read right after its own end.
    second = "the USTR’s" + " " * 40 + "claim"
    body = f"Alpha: the USTR’s claim was weak. Beta: {second} was strong and clear."
    anchor = find_quote(body, "the USTR's claim", suffix=" was strong and clear.")
    assert (anchor.start, anchor.exact) == (body.index(second), second)
