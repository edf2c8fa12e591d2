"""Full-text index of claims that works for Chinese as well as English.

SQLite's tokenizers find nothing in Chinese: ``unicode61`` makes one token of a
whole run of CJK characters and ``trigram`` cannot match two-character words such
as 石油. So the index is fed pre-segmented text, and queries are segmented the
same way:

``words``  jieba's search-mode segmentation (words and the dictionary words inside
           them: 石油出口 → 石油 出口 石油出口), English as is; gives bm25 ranking.
``chars``  every CJK character as its own token, so a phrase query of characters
           is an exact substring match: names jieba splits oddly are still found.

One row per claim; ``rowid`` is the claim's stable key in ``claim_keys``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jieba

FTS_TABLE = "claims_fts"
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAS_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def create_fts(db) -> None:
    db.execute(
        f"create virtual table if not exists {FTS_TABLE} using fts5("
        "words, chars, tokenize = 'unicode61 remove_diacritics 2')"
    )


def words(text: str) -> str:
    """Space-separated index terms of ``text`` (jieba search mode for Chinese)."""
    if not text:
        return ""
    if not _HAS_CJK.search(text):
        return text
    return " ".join(t for t in jieba.cut_for_search(text) if t.strip())


def chars(text: str) -> str:
    """CJK characters spaced out; other text kept, so phrases stay substrings."""
    if not text:
        return ""
    return _CJK_CHAR.sub(lambda m: f" {m.group(0)} ", text)


def document(*parts: str | None) -> tuple[str, str]:
    """(words, chars) columns for the concatenated ``parts`` of one claim."""
    text = "\n".join(p for p in parts if p)
    return words(text), chars(text)


def reindex(db, claim_ids: Iterable[str] | None = None) -> int:
    """(Re)write the index rows of ``claim_ids`` (all claims when None) from the
    claim text, its sentence and its evidence notes; returns how many."""
    sql = (
        "select k.key, c.text, s.text, (select group_concat(note, ' ') from evidence e "
        "where e.claim_id = c.id and note is not null) "
        "from claims c join claim_keys k on k.claim_id = c.id left join sentences s on s.id = c.sentence_id"
    )
    if claim_ids is None:
        rows = db.execute(sql).fetchall()
    else:
        ids, rows = list(claim_ids), []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += db.execute(sql + f" where c.id in ({','.join('?' * len(chunk))})", chunk).fetchall()
    db.conn.executemany(f"delete from {FTS_TABLE} where rowid = ?", [(r[0],) for r in rows])
    db.conn.executemany(
        f"insert into {FTS_TABLE} (rowid, words, chars) values (?, ?, ?)",
        [(key, *document(text, sentence if sentence != text else None, notes)) for key, text, sentence, notes in rows],
    )
    return len(rows)
