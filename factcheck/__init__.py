"""factcheck: claim extraction and fact-check workbench for Chinese and English articles.

In Python::

    import factcheck
    claims = factcheck.extract("截至2019年9月，伊朗石油出口降至不足13万桶/日。")

Names are imported lazily (PEP 562), so ``import factcheck`` and ``factcheck --help``
stay fast and do not load spaCy until a stage needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "extract": "pipeline", "extract_article": "pipeline", "extract_articles": "pipeline",
    "iter_articles": "ingest", "read_article": "ingest",
    "open_db": "store", "save_extraction": "store",
    "Scorer": "score", "Thresholds": "score",
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


if TYPE_CHECKING:  # pragma: no cover
    from .errors import AnnotationError, FactcheckError, InputError, LabelStudioError, ModelError, StoreError
    from .pipeline import extract, extract_article, extract_articles
    from .ingest import iter_articles, read_article
    from .records import Article, Block, Claim, Entity, Quantity, Sentence, TimeExpr
    from .score import Scorer, Thresholds
    from .store import open_db, save_extraction
