"""factcheck: claim extraction and fact-check workbench for Chinese and English articles.

In Python::

    import factcheck
    claims = factcheck.extract("截至2019年9月，伊朗石油出口降至不足13万桶/日。")

Names are imported lazily (PEP 562), so ``import factcheck`` and ``factcheck --help``
stay fast and do not load spaCy until a stage needs it.

The package, by stage (each a folder; a change goes to its stage first, then its module)::

    records.py   dataclasses, ids and VERDICTS that every stage passes around
    errors.py    the FactcheckError family and the F-code catalogue
    settings.py  every folder and environment variable
    extraction/  articles → sentences → candidate claims with quantities, times, entities, kinds
    embed/       the e5 encoder: base-model build, ONNX export, runtime encoder, vector caches
    store/       the SQLite store: schema, verdicts, search, matching, conflicts, exports, Datasette
    review/      Label Studio: task builders, the SDK edge, the server, the webhook, agreement
    model/       the check-worthiness classifier: datasets, training, evaluation, registry, retraining
    parallel/    extraction in N local processes or on a Dask cluster, one writer
    cli/         the ``factcheck`` command, one module per group of commands

Dependencies run one way, and ``tests/test_layout.py`` fails on an import against it or
on a cycle::

    cli → parallel → model → review → store → extraction, embed → records, errors, settings

(``model`` sits above ``review`` because retraining reads Label Studio's annotations.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "extract": "extraction.pipeline", "extract_article": "extraction.pipeline",
    "extract_articles": "extraction.pipeline",
    "iter_articles": "extraction.ingest", "read_article": "extraction.ingest",
    "find_quantities": "extraction.quantities", "parse": "extraction.pipeline",
    "open_db": "store.db", "save_extraction": "store.db",
    "Scorer": "extraction.score", "Thresholds": "extraction.score",
    "find_times": "extraction.times",
    "Article": "records", "Block": "records", "Claim": "records", "Entity": "records",
    "Quantity": "records", "Sentence": "records", "TimeExpr": "records",
    "FactcheckError": "errors", "InputError": "errors", "ModelError": "errors", "StoreError": "errors",
    "LabelStudioError": "errors", "AnnotationError": "errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover  (the names __getattr__ gives, for type checkers; F401: __all__ is computed)
    from factcheck.errors import (  # noqa: F401
        AnnotationError,
        FactcheckError,
        InputError,
        LabelStudioError,
        ModelError,
        StoreError,
    )
    from factcheck.extraction.ingest import iter_articles, read_article  # noqa: F401
    from factcheck.extraction.pipeline import extract, extract_article, extract_articles  # noqa: F401
    from factcheck.extraction.score import Scorer, Thresholds  # noqa: F401
    from factcheck.records import Article, Block, Claim, Entity, Quantity, Sentence, TimeExpr  # noqa: F401
    from factcheck.store.db import open_db, save_extraction  # noqa: F401
