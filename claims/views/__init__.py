"""Public pages of the claims app, one module per page family; each view is thin and
each page's assembly (a typed dataclass) sits next to it."""
