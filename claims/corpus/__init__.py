"""The seed corpus: fixtures/corpus/ as readable files, and the service that loads it.

    fixtures/corpus/outlets.toml, parties.toml, metrics.toml    shared, keyed by slug
    fixtures/corpus/sources/<key>.txt                           each source text, verbatim
    fixtures/corpus/sources/<key>.toml                          [source] and its [[claims]]
    fixtures/corpus/relations.toml, disputes.toml               by claim id / slug / point id

Claim, citation, statistic and point ids are the stable primary keys (permalinks).
"""

from pathlib import Path

from django.conf import settings

from claims.corpus.loading import CorpusReport, load_corpus
from claims.corpus.reading import Corpus, CorpusError, read_corpus

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusReport",
    "corpus_directory",
    "load_corpus",
    "read_corpus",
]


def corpus_directory() -> Path:
    """Where the project's seed corpus lives."""
    return settings.BASE_DIR / "fixtures" / "corpus"
