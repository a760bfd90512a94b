"""schema.org JSON-LD for every page kind, as plain dicts that the json_ld template tag
writes safely: common.py (people, organisations, works), claims.py (Claim and ClaimReview),
pages.py (sources, parties, disputes, figures, the home page and the lists)."""
