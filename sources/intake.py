"""What makes two submissions the same article: one web address written many ways, and one
text with or without the page around it. Pure functions; Source stores their results."""

from __future__ import annotations

import hashlib
from difflib import SequenceMatcher
from urllib.parse import parse_qsl, urlencode, urlsplit

# Query parameters that say how a reader arrived, not which page it is: analytics campaign
# tags (utm_*), ad click ids (fbclid, gclid, dclid, msclkid, yclid), Mailchimp (mc_cid,
# mc_eid), referrer tags (ref, ref_src, referrer), sharing ids (igshid, share, _ga, _gl).
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "referrer",
        "igshid",
        "share",
        "_ga",
        "_gl",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """One spelling of a web address for the duplicate check: "example.org/a?x=1" for
    https://www.Example.org/a/?utm_source=t&x=1#top. No scheme (http and https serve the
    same article), host lower-case without "www." or a default port, no trailing slash, no
    fragment, no tracking parameters, the rest of the query sorted. "" for "" or a URL
    that does not parse."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    )
    canonical = host + path + (f"?{urlencode(query)}" if query else "")
    return canonical[:500]


# ---------------------------------------------------------------------------------------
# Nearly the same text
# ---------------------------------------------------------------------------------------

EDGE_WORDS = 12
"""How many words open and close a body's fingerprints: enough that two different articles
share them only by quoting each other at length."""
MAX_WINDOWS = 20_000
"""The word windows of a new body looked up (one indexed IN query per few hundred)."""
SIMILAR_RATIO = 0.9
_COMPARED_CHARS = 20_000  # bounds the similarity measure on two long texts


def normalised_words(text: str) -> list[str]:
    return text.casefold().split()


def _digest(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]


def edge_fingerprints(body: str) -> tuple[str, str]:
    """The digests of a body's first and last EDGE_WORDS words ("" for a shorter body)."""
    words = normalised_words(body)
    if len(words) < EDGE_WORDS:
        return "", ""
    return _digest(words[:EDGE_WORDS]), _digest(words[-EDGE_WORDS:])


def window_fingerprints(body: str) -> set[str]:
    """The digests of every run of EDGE_WORDS words of a body (at most MAX_WINDOWS): an
    existing text inside this one has its first and last runs among them."""
    words = normalised_words(body)
    count = min(max(len(words) - EDGE_WORDS + 1, 0), MAX_WINDOWS)
    return {_digest(words[i : i + EDGE_WORDS]) for i in range(count)}


def nearly_the_same(a: str, b: str) -> bool:
    """One text contains the other once spacing and case are ignored, or they are at least
    SIMILAR_RATIO alike (measured on their first _COMPARED_CHARS characters)."""
    na, nb = " ".join(normalised_words(a)), " ".join(normalised_words(b))
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    matcher = SequenceMatcher(None, na[:_COMPARED_CHARS], nb[:_COMPARED_CHARS], autojunk=True)
    return matcher.quick_ratio() >= SIMILAR_RATIO and matcher.ratio() >= SIMILAR_RATIO
