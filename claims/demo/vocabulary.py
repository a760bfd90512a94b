"""The words demo records are made of: names, headlines, quotes and filler prose about
counterfeit goods and online marketplaces, the seed corpus's subject. Every function takes
the generator's random.Random, so the same seed writes the same text."""

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

PLACES = [
    "Northgate", "Harbourline", "Eastbridge", "Silverlake", "Redwood", "Kingsport",
    "Meridian", "Westfield", "Ashford", "Lakeshore", "Brightwater", "Stonehill",
    "Fairhaven", "Oakridge", "Riverton", "Highmoor", "Cedarbrook", "Marston",
    "Pinecrest", "Goldcoast", "Ironvale", "Bayview", "Summit", "Crestwood",
]  # fmt: skip
ORG_NOUNS = {
    "company": ["Marketplace", "Trading", "Logistics", "Retail Group", "Commerce", "Holdings"],
    "trade_association": ["Brands Association", "Manufacturers Council", "Retail Federation"],
    "government_agency": ["Trade Office", "Customs Service", "Intellectual Property Office"],
    "watchdog": ["Consumer Watch", "Counterfeit Monitor", "Fair Trade Observatory"],
    "law_enforcement": ["Economic Crime Unit", "Border Police", "Anti-Piracy Taskforce"],
    "media": ["Media Group", "Broadcasting"],
}
FIRST_NAMES = [
    "Anna", "Ben", "Chen", "Dana", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas",
    "Kavya", "Liam", "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas",
    "Uma", "Viktor", "Wen", "Yusuf", "Zara", "Luca", "Maya", "Noah", "Olga", "Pablo",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Brandt", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Huang",
    "Ivanova", "Jensen", "Kowalski", "Li", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quist", "Rossi", "Sato", "Tanaka", "Umar", "Vargas", "Wang", "Xu", "Yilmaz", "Zhou",
]  # fmt: skip
ROLES = ["Spokesperson", "Chief executive", "Head of policy", "General counsel", "Director"]
OUTLET_NOUNS = ["Ledger", "Courier", "Gazette", "Observer", "Tribune", "Herald", "Review"]
GOODS = [
    "handbags", "sneakers", "watches", "phone chargers", "car parts", "cosmetics",
    "medicines", "toys", "sunglasses", "football shirts", "headphones", "perfume",
]  # fmt: skip
ACTIONS = [
    "removed listings of fake {goods} within hours of each report",
    "has done more than any rival to stop the sale of counterfeit {goods}",
    "still lets sellers of counterfeit {goods} operate in plain sight",
    "ignored repeated warnings about counterfeit {goods}",
    "worked with brand owners to take down fake {goods}",
    "cannot be held responsible for every listing of {goods}",
    "should be placed on the notorious markets list for its trade in fake {goods}",
    "has made real progress against counterfeit {goods} this year",
    "publishes takedown figures for {goods} that cannot be checked",
    "needs stronger penalties for repeat sellers of fake {goods}",
]  # fmt: skip
KIND_WEIGHTS = {
    "assertion": 5,
    "accusation": 3,
    "rebuttal": 2,
    "recommendation": 2,
    "opinion": 2,
}
FILLER = [
    "The trade in counterfeit goods has moved online over the past decade.",
    "Brand owners say the volume of fake products keeps rising.",
    "Platforms argue that they cannot inspect every item sold by third parties.",
    "Customs officials seize thousands of parcels at the border each month.",
    "Consumer groups warn that fake medicines and car parts put lives at risk.",
    "Industry figures are rarely audited by anyone outside the industry.",
    "Lawmakers have proposed new duties for marketplaces that host repeat offenders.",
    "Sellers banned from one platform often reappear under a new name.",
    "Estimates of the size of the market differ widely between studies.",
    "The annual review of notorious markets is published each winter.",
    "Small businesses say takedown procedures are slow and opaque.",
    "Several cases are still before the courts.",
]
DISPUTE_TOPICS = [
    "Should {a} be listed as a notorious market?",
    "Is {a} doing enough against counterfeit {goods}?",
    "Are the takedown figures of {a} reliable?",
    "Who is responsible for fake {goods} sold through {a}?",
]
POINT_QUESTIONS = [
    "How many counterfeit {goods} are sold?",
    "Do takedowns work?",
    "Are the published figures complete?",
    "What do brand owners report?",
    "Has the situation improved since last year?",
    "Are penalties for repeat sellers enough?",
]
METRIC_SUBJECTS = [
    ("counterfeit listings removed", "count", "Listings of counterfeit {goods} taken down"),
    ("share of fake {goods} among sampled items", "percent", "Share of test purchases found fake"),
    ("customs seizures of {goods}", "count", "Items seized at the border"),
    ("losses to brand owners from fake {goods}", "currency", "Revenue lost to counterfeits"),
    ("rise in takedown requests for {goods}", "multiplier", "Takedown requests, times the base"),
    ("change in complaints about fake {goods}", "percent", "Year-on-year change in complaints"),
]


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def organisation_name(rng: random.Random, kind: str) -> str:
    return f"{pick(rng, PLACES)} {pick(rng, ORG_NOUNS[kind])}"


def person_name(rng: random.Random) -> str:
    return f"{pick(rng, FIRST_NAMES)} {pick(rng, LAST_NAMES)}"


def outlet_name(rng: random.Random) -> str:
    return f"The {pick(rng, PLACES)} {pick(rng, OUTLET_NOUNS)}"


def claim_words(rng: random.Random, party: str) -> tuple[str, str]:
    """A quote (what the party said, its own words) and our neutral summary of it."""
    goods = pick(rng, GOODS)
    action = pick(rng, ACTIONS).format(goods=goods)
    target = pick(rng, PLACES)
    quote = f"{target} {action}"
    return quote, f"{party} says {target} {action}"


def headline(rng: random.Random, party: str) -> str:
    goods = pick(rng, GOODS)
    return pick(
        rng,
        [
            f"{party} under pressure over fake {goods}",
            f"Counterfeit {goods}: what {party} says",
            f"{party} defends its record on counterfeits",
            f"Brands and {party} clash over fake {goods}",
        ],
    )


def filler(rng: random.Random, sentences: int) -> str:
    return " ".join(pick(rng, FILLER) for _ in range(sentences))
