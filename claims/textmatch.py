"""The comparison text quote matching works on, and the way back to the original body.

A body is read one grapheme cluster (a user-perceived character, Unicode UAX #29) at a
time, as the ``regex`` module's ``\\X`` finds them. Each cluster is folded on its own: soft
hyphens and zero-width characters dropped, the rest put in NFC, typographic quotes and
dashes made plain; a run of whitespace becomes one space. Every character of the folded
text remembers the span of the original clusters it came from, so a match found in the
folded text maps back onto the body's own characters, and a match that would begin or end
inside a cluster (a base letter without its combining accent, half an emoji sequence) is
recognised as one and refused.
"""

import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

import regex

# Invisible characters that publishing tools sprinkle into words: soft hyphen, zero-width
# space / non-joiner / joiner, word joiner, and the byte-order mark used as a no-break.
IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_IGNORABLE = regex.compile(f"[{IGNORABLE}]")
# The typographic differences matching tolerates (str.translate table); nothing else is folded.
TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


_FOLDED_CHARS = "".join(chr(code) for code in TYPOGRAPHY)
_SPACE = r"\s\x1c-\x1f"  # whitespace as str.isspace() has it: U+001C–U+001F as well
# Characters that are each a grapheme cluster of their own when followed by another of them
# (UAX #29 puts no rule between two of these) and that folding leaves alone unless NFC
# changes them. A run of them is folded in one step instead of one cluster at a time; its
# last character is left to \X when a character that extends a cluster follows it.
_PLAIN = rf"[[\p{{GCB=Other}}\p{{GCB=LV}}\p{{GCB=LVT}}]--[{_SPACE}{_FOLDED_CHARS}{IGNORABLE}]]"
_EXTENDS = r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=V}\p{GCB=T}]"
_PIECE = regex.compile(
    rf"(?V1)(?P<plain>{_PLAIN}+(?!{_EXTENDS}))|(?P<space>[{_SPACE}]+(?!{_EXTENDS}))|\X"
)


def fold_cluster(cluster: str) -> str:
    """One grapheme cluster as matching sees it ("" for an invisible one)."""
    if cluster.isascii():
        return cluster.translate(TYPOGRAPHY)
    return unicodedata.normalize("NFC", _IGNORABLE.sub("", cluster)).translate(TYPOGRAPHY)


def _starts_with_mark(piece: str) -> bool:
    return unicodedata.category(piece[0]).startswith("M")


@dataclass(frozen=True)
class Folded:
    """Folded text; ``starts[i]``/``ends[i]``: the original span character i comes from.

    Characters folded from the same original clusters share one span, so a slice of the
    folded text that starts or ends between two characters of the same span would cut a
    grapheme of the original.
    """

    text: str
    starts: array
    ends: array

    def is_aligned(self, start: int, end: int) -> bool:
        """Does text[start:end] begin and end on grapheme boundaries of the original?"""
        starts = self.starts
        begins = start == 0 or starts[start - 1] != starts[start]
        finishes = end == len(self.text) or starts[end] != starts[end - 1]
        return begins and finishes

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


class _Builder:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.starts = array("q")
        self.ends = array("q")
        self.space: tuple[int, int] | None = None  # the pending run of whitespace
        self.last: tuple[str, int, int] | None = None  # the last unit, unless it was space
        self.after_invisible = False

    def add(self, piece: str, start: int, end: int) -> None:
        if not piece:  # invisible: neither a character nor the end of a run of space
            self.after_invisible = True
            return
        if piece.isspace():
            self.space = (self.space[0] if self.space else start, end)
            self.last = None
        elif self.after_invisible and self.last and self.space is None and _starts_with_mark(piece):
            # A mark cut off from its letter by an invisible character still accents it.
            last_piece, last_start, _ = self.last
            self._drop(len(last_piece))
            self._emit(unicodedata.normalize("NFC", last_piece + piece), last_start, end)
        else:
            self._flush_space()
            self._emit(piece, start, end)
        self.after_invisible = False

    def add_plain_run(self, run: str, start: int) -> None:
        """A run of _PLAIN characters: each its own cluster, folded to itself."""
        self._flush_space()
        self.pieces.append(run)
        end = start + len(run)
        self.starts.extend(range(start, end))
        self.ends.extend(range(start + 1, end + 1))
        self.last = (run[-1], end - 1, end)
        self.after_invisible = False

    def _emit(self, piece: str, start: int, end: int) -> None:
        self.pieces.append(piece)
        self.starts.extend([start] * len(piece))
        self.ends.extend([end] * len(piece))
        self.last = (piece, start, end)

    def _drop(self, length: int) -> None:
        self.pieces.pop()
        del self.starts[-length:]
        del self.ends[-length:]

    def _flush_space(self) -> None:
        if self.space is not None:
            start, end = self.space
            self.pieces.append(" ")
            self.starts.append(start)
            self.ends.append(end)
            self.space = None

    def build(self) -> Folded:
        self._flush_space()
        return Folded("".join(self.pieces), self.starts, self.ends)


def fold(text: str) -> Folded:
    """text folded for matching, with the map back onto it (see Folded)."""
    builder = _Builder()
    for match in _PIECE.finditer(text):
        piece, start, end = match.group(), match.start(), match.end()
        if match.lastgroup == "plain" and unicodedata.is_normalized("NFC", piece):
            builder.add_plain_run(piece, start)
        elif match.lastgroup == "space":
            builder.add(" ", start, end)
        elif match.lastgroup == "plain":  # one cluster per character, some changed by NFC
            for offset, char in enumerate(piece, start=start):
                builder.add(fold_cluster(char), offset, offset + 1)
        else:
            builder.add(fold_cluster(piece), start, end)
    return builder.build()


# Re-anchoring a source looks up each of its citations in the same body: fold it once.
folded_body = lru_cache(maxsize=8)(fold)


def whole_word_hits(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence of needle, overlapping ones too, that does not begin or end inside
    a word: "ban" is not in "urban". ``regex``'s \\w counts combining marks as word
    characters, so a letter followed by its accent is not a word end."""
    pattern = regex.escape(needle)
    if regex.match(r"\w", needle):
        pattern = r"(?<!\w)" + pattern
    if regex.search(r"\w$", needle):
        pattern += r"(?!\w)"
    return [m.span() for m in regex.finditer(pattern, haystack, overlapped=True)]
