"""Full-text search of claims: summaries, quotes, party and speaker names.

spelling (folding words), query (the search box's language), backends (the index in
PostgreSQL and SQLite), index (keeping it current), matching (ranked search, highlights).
rebuild_search_index is named here for bulk loaders, as the interface between apps agrees.
"""

from claims.search.index import rebuild_search_index

__all__ = ["rebuild_search_index"]
