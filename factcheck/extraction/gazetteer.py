"""The Chinese gazetteer (``data/zh_gazetteer.tsv``): names with their entity labels.

The segmenters learn its names so that each comes out as one word: the extractor's
(``components``) and the search index's (``fts``), which must cut text the same way.
A module of its own, light to import: the search index loads it without spaCy.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

#: The dictionary frequency the names get: high enough that a listed name is one word.
SEGMENTER_FREQ = 200000


@lru_cache(maxsize=1)
def zh_gazetteer() -> dict[str, str]:
    """Name → label."""
    names: dict[str, str] = {}
    text = resources.files("factcheck").joinpath("data/zh_gazetteer.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, label = line.split("\t")
            names[name] = label
    return names


def segmenter_words() -> list[str]:
    """The names a segmenter learns (《titles》 are matched by a pattern instead)."""
    return [name for name in zh_gazetteer() if not name.startswith("《")]


@lru_cache(maxsize=1)
def teach_jieba() -> None:
    """Load jieba's dictionary and add the names, once per process.

    Once, because each ``add_word`` also adds to jieba's total frequency, the
    denominator of every word's probability: adding the names twice would change
    how jieba cuts other text, and part it from jieba-rs, which learns them once.
    """
    import jieba

    jieba.setLogLevel(60)  # jieba logs its cache building at INFO
    jieba.initialize()
    for name in segmenter_words():
        jieba.add_word(name, freq=SEGMENTER_FREQ)
