"""One word in, the one form search compares: case, accents and British spelling folded.

Applied to every word of what is indexed and of what is searched, on both databases, so
"politicised" finds "politicized" and "Défense" finds "defence". A rule applied to both
sides only has to avoid merging two different words; folding a word that has no variant
("advertise" to "advertize") changes nothing anyone can see.
"""

import functools
import unicodedata

import regex

# A word: letters and digits, with the combining marks that belong to them. Everything else
# (punctuation, apostrophes, hyphens, "*", ":") separates words, on the query side too.
WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*")


def _listed(text: str) -> list[str]:
    """The space-separated words of text: long word lists stay readable."""
    return text.split()


# British stems and the American spelling each folds to; a stem also folds the words built
# on it (labour, labours, laboured, labourer; defence, defenceless).
STEMS = {
    **{
        f"{stem}our": f"{stem}or"
        for stem in _listed(
            "arb ard arm behavi cand clam col demean endeav fav ferv flav harb hon hum "
            "lab neighb od parl rig rum sav savi splend tum val vap vig"
        )
    },
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analogue": "analog",
    "programme": "program",
    "judgement": "judgment",
    "ageing": "aging",
    "sceptic": "skeptic",
    "aluminium": "aluminum",
    "grey": "gray",
    "mould": "mold",
    "plough": "plow",
    "manoeuvr": "maneuver",
    "paediatric": "pediatric",
    "encyclopaedi": "encyclopedi",
    "anaemi": "anemi",
    "haemorrhag": "hemorrhag",
    "oestrogen": "estrogen",
    "foet": "fet",
    "jewellery": "jewelry",
    "enrolment": "enrollment",
    "fulfilment": "fulfillment",
    "instalment": "installment",
    "skilful": "skillful",
    "wilful": "willful",
}

# Whole words: "-re" endings, and the doubled l of travelled (the American single l).
WORDS = {
    **{
        f"{stem}{ending}": f"{stem[:-1]}er{american}"
        for stem in _listed("centr theatr metr litr fibr calibr sabr sombr spectr lustr meagr")
        for ending, american in (("e", ""), ("es", "s"), ("ed", "ed"), ("ing", "ing"))
    },
    **{
        f"{base}l{ending}": f"{base}{ending}"
        for base in _listed(
            "travel cancel label model signal fuel channel counsel total level marvel "
            "jewel dial duel equal rival tunnel quarrel shovel pedal funnel libel pencil "
            "grovel revel snorkel swivel"
        )
        for ending in ("ed", "ing", "er", "ers", "ous")
    },
    "enrol": "enroll",
    "enrols": "enrolls",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "distil": "distill",
    "instil": "instill",
}

# -ise/-isation/-yse as -ize/-ization/-yze ...
ISE = regex.compile(r"^(\w{2,}?)(is|ys)(e|es|ed|ing|er|ers|ation|ations|ational)$")
# ... except words spelt -ise in American English too (prise: lest it become prize).
NOT_ISE = set(
    _listed(
        "advertise advise anise apprise appraise arise braise bruise chastise circumcise "
        "clockwise comprise compromise concise cruise demise despise devise disguise "
        "enterprise excise exercise expertise franchise guise improvise incise likewise "
        "merchandise mortise noise otherwise paradise poise porpoise praise precise premise "
        "prise promise raise reprise revise rise sunrise supervise surmise surprise "
        "televise tortoise treatise turquoise unwise valise wise"
    )
)


@functools.lru_cache(maxsize=100_000)  # a language has few words; rebuilds fold millions
def fold(word: str) -> str:
    """The form of one word (a WORD match) that search indexes and looks up."""
    plain = unicodedata.normalize("NFKD", word.casefold())
    # Only letters and digits stay, so the folded word is still exactly one word.
    folded = "".join(ch for ch in plain if ch.isalnum()) or word.casefold()
    return american(folded)


def american(word: str) -> str:
    if word in WORDS:
        return WORDS[word]
    for british, us in STEMS.items():
        if word.startswith(british):
            return us + word[len(british) :]
    match = ISE.match(word)
    if match and f"{match[1]}{match[2]}e" not in NOT_ISE:
        return f"{match[1]}{match[2][0]}z{match[3]}"
    return word


def words(text: str) -> list[str]:
    """The words of text, as written."""
    return WORD.findall(text)


def folded_text(text: str) -> str:
    """text as search indexes it: its folded words, one space apart."""
    return " ".join(fold(w) for w in WORD.findall(text))
