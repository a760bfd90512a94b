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


# ---------------------------------------------------------------------------------------
# Unicode: one normal form, grapheme boundaries, invisible characters
# ---------------------------------------------------------------------------------------

NFD_CAFE = "cafe\u0301"  # "café" as e + COMBINING ACUTE ACCENT
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def test_a_quote_is_not_anchored_inside_a_decomposed_accented_letter():
    with pytest.raises(QuoteNotFound):
        find_quote(f"Le {NFD_CAFE} est fermé.", "Le cafe")


def test_a_composed_quote_is_found_in_a_decomposed_body_and_the_body_text_is_kept():
    body = f"Le {NFD_CAFE} est fermé."
    anchor = find_quote(body, "Le café est")
    assert (anchor.start, anchor.end) == (0, len(f"Le {NFD_CAFE} est"))
    assert anchor.exact == f"Le {NFD_CAFE} est"


def test_a_decomposed_quote_is_found_in_a_composed_body_and_the_body_text_is_kept():
    body = "The café closed. Its naïve owner left."
    anchor = find_quote(body, f"The {NFD_CAFE} closed. Its nai\u0308ve owner")
    assert anchor.exact == "The café closed. Its naïve owner"
    assert body[anchor.start : anchor.end] == anchor.exact


def test_offsets_after_decomposed_text_index_the_original_body():
    # Each NFD letter before the quote is two code points of the body but one of the
    # comparison text; the offsets must still count the body's own characters.
    body = f"{NFD_CAFE} {NFD_CAFE} {NFD_CAFE}: the USTR is wrong, said cre\u0300me."
    anchor = find_quote(body, "the USTR is wrong, said crème")
    assert anchor.start == body.index("the USTR")
    assert anchor.exact == "the USTR is wrong, said cre\u0300me"
    assert anchor.prefix == body[max(0, anchor.start - 32) : anchor.start]


def test_decomposed_hangul_matches_composed_hangul():
    decomposed = "\u1100\u1161\u11a8\u1100\u1161\u11a8"  # 각각 as jamo
    anchor = find_quote(f"말 {decomposed} 말", "각각")
    assert anchor.exact == decomposed


def test_a_combining_mark_after_the_match_end_means_the_match_ends_inside_a_grapheme():
    # q + COMBINING TILDE has no precomposed form, so NFC keeps two code points.
    with pytest.raises(QuoteNotFound):
        find_quote("The q\u0303 sign.", "The q")


@pytest.mark.parametrize(
    "body, quote",
    [
        ("We \U0001f468\u200d\U0001f469\u200d\U0001f467 families", "We \U0001f468"),
        ("Thumbs \U0001f44d\U0001f3fd up", "Thumbs \U0001f44d"),  # skin tone modifier
        ("Flags \U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea here", "\U0001f1f7\U0001f1e9"),
    ],
    ids=["zwj-family", "skin-tone", "flags-pairing"],
)
def test_part_of_an_emoji_sequence_is_not_a_match(body, quote):
    with pytest.raises(QuoteNotFound):
        find_quote(body, quote)


def test_a_whole_emoji_zwj_sequence_is_found():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    anchor = find_quote(f"We {family} families", f"We {family}")
    assert anchor.exact == f"We {family}"


def test_a_soft_hyphen_in_the_body_does_not_block_a_match_and_is_kept():
    body = "Taobao is a notori\u00adous market\u00adplace, the USTR said."
    anchor = find_quote(body, "a notorious marketplace")
    assert anchor.exact == "a notori\u00adous market\u00adplace"
    assert (anchor.start, anchor.end) == (body.index("a notori"), body.index(","))


@pytest.mark.parametrize("invisible", ZERO_WIDTH, ids=lambda c: f"U+{ord(c):04X}")
def test_a_zero_width_character_in_the_body_does_not_block_a_match(invisible):
    body = f"The counter{invisible}feit goods were{invisible} seized."
    anchor = find_quote(body, "counterfeit goods were seized")
    assert anchor.exact == f"counter{invisible}feit goods were{invisible} seized"
    assert body[anchor.start : anchor.end] == anchor.exact


def test_invisible_characters_in_the_quote_are_ignored_too():
    anchor = find_quote("The counterfeit goods.", "counter\u00adfeit\u200b goods")
    assert anchor.exact == "counterfeit goods"


def test_an_invisible_character_does_not_make_a_word_boundary():
    with pytest.raises(QuoteNotFound):
        find_quote("The ur\u00adban ban.", "The ur")  # "The ur" ends inside "urban"
    anchor = find_quote("The ur\u00adban ban.", "ban.")
    assert anchor.start == len("The ur\u00adban ")


def test_a_quote_of_invisible_characters_only_is_refused():
    with pytest.raises(QuoteNotFound):
        find_quote("Some text\u200b here.", "\u200b\u00ad")


def test_the_exact_occurrence_wins_over_a_folded_one():
    body = f"First {NFD_CAFE} then café."
    assert find_quote(body, "café").start == body.rindex("café")
    assert find_quote(body, NFD_CAFE).start == body.index(NFD_CAFE)


def test_normalise_puts_text_in_nfc_and_drops_invisible_characters():
    assert normalise(f" {NFD_CAFE}\u00ad\u200b “x” ") == 'café "x"'


def test_unicode_tolerance_adds_nothing_else():
    with pytest.raises(QuoteNotFound):
        find_quote("The café closed.", "The cafe closed")  # an accent is not typography
    with pytest.raises(QuoteNotFound):
        find_quote("The CAFÉ closed.", "The café closed")  # nor is case


@pytest.mark.django_db
def test_a_citation_stores_the_body_characters_and_survives_a_correction_adding_soft_hyphens():
    from tests.factories import make_claim, make_source

    body = f"The {NFD_CAFE} owner said: “we sell no counterfeits.” Nobody agreed."
    source = make_source(body=body)
    citation = make_claim(source=source, quote='café owner said: "we sell').citations.get()
    assert citation.quote == f"{NFD_CAFE} owner said: “we sell"
    assert citation.is_anchored

    source.body = body.replace("counterfeits", "counter\u00adfeits").replace("owner", "own\u200ber")
    source.save()
    citation.refresh_from_db()
    assert not citation.needs_review
    assert citation.quote == f"{NFD_CAFE} own\u200ber said: “we sell"
    assert source.body[citation.start : citation.end] == citation.quote


@pytest.mark.django_db
def test_a_body_republished_in_the_other_normal_form_keeps_its_citations_anchored():
    import unicodedata

    from tests.factories import make_claim, make_source

    body = "Le café a déclaré: « nous ne vendons pas de contrefaçons ». Fin."
    source = make_source(body=body)
    citation = make_claim(
        source=source, quote="nous ne vendons pas de contrefaçons"
    ).citations.get()
    source.body = unicodedata.normalize("NFD", body)
    source.save()
    citation.refresh_from_db()
    assert not citation.needs_review
    assert citation.quote == unicodedata.normalize("NFD", "nous ne vendons pas de contrefaçons")
    assert source.body[citation.start : citation.end] == citation.quote
