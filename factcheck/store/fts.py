"""Full-text index of claims that works for Chinese as well as English.

SQLite's tokenizers find nothing in Chinese: ``unicode61`` makes one token of a
whole run of CJK characters and ``trigram`` cannot match two-character words such
as 石油. So the index is fed pre-segmented text, and queries are segmented the
same way:

``words``  jieba's search-mode segmentation (words and the dictionary words inside
           them: 石油出口 → 石油 出口 石油出口), English as is; gives bm25 ranking.
``chars``  every CJK character as its own token, so a phrase query of characters
           is an exact substring match: names jieba splits oddly are still found.

One row per claim; ``rowid`` is the claim's stable key in ``claim_keys``. The
tokenizer is ``porter unicode61``: English words are stemmed (exports, exported and
exporting all index as "export"); Chinese tokens pass through unchanged.

The query side, :func:`parse_query`, turns whatever a user types into a MATCH
expression that cannot be an FTS5 syntax error: every token is quoted, and only
the operators listed there are recognised. jieba learns the names of
``data/zh_gazetteer.tsv`` before it segments, as the extractor's does, so the index
is segmented the same way whichever process writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import jieba

from factcheck.extraction.gazetteer import teach_jieba

FTS_TABLE = "claims_fts"
#: bm25 weights of the ``words`` and ``chars`` columns: a word match counts more.
BM25_WEIGHTS = (1.0, 0.5)

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_HAS_CJK = _CJK_CHAR
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"[^\W_]+")  # what unicode61 keeps as a token: letters and digits
_QUERY_PIECE = re.compile(f"[{_CJK}]|[^\\W_]+")

# Dropped from unquoted queries when other terms remain: they would only narrow the hits.
_EN_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the their this to was were will with"
    .split()
)
_ZH_STOPWORDS = frozenset("的了和与及或是在把被也都就而之其于")
_OPERATORS = {"AND", "OR", "NOT", "&", "&&", "|", "||"}


def create_fts(db) -> None:
    db.execute(
        f"create virtual table if not exists {FTS_TABLE} using fts5("
        "words, chars, tokenize = 'porter unicode61 remove_diacritics 2')"
    )


def words(text: str) -> str:
    """Space-separated index terms of ``text`` (jieba search mode for Chinese)."""
    if not text:
        return ""
    if not _HAS_CJK.search(text):
        return text
    teach_jieba()
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
    claim text, its sentence and the evidence notes of its live verdicts; returns how many."""
    sql = (
        "select k.key, c.text, s.text, (select group_concat(e.note, ' ') from evidence e "
        "join verdicts v on v.annotation_id = e.annotation_id "
        "where e.claim_id = c.id and e.note is not null and v.deleted_at is null) "
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


# --- the query side -----------------------------------------------------------------


@dataclass(frozen=True)
class MatchQuery:
    """A user query as FTS5 expressions over :data:`FTS_TABLE`.

    ``match``: rows must match it (None when the query has no positive term);
    ``exclude``: rows must not match it (only set when there is no ``match``,
    otherwise the exclusion is part of ``match`` as ``… NOT …``);
    ``terms``: the terms understood, as the user would write them;
    ``words_only``: ``match`` with each Chinese term that is one jieba word searched as
    that word alone, without its character phrase, and each English prefix searched as
    the whole (stemmed) word (None when nothing changes). It ranks a common word's hits
    a fifth (Chinese) to a third (English) faster, but misses the claims where jieba cut
    the characters differently or the word only starts the prefix (oil → oilfield), and
    its Chinese bm25 scores are lower (one phrase instead of two).
    """

    match: str | None
    exclude: str | None
    terms: tuple[str, ...]
    words_only: str | None = None

    def __bool__(self) -> bool:
        return bool(self.match or self.exclude)


@dataclass(frozen=True)
class _Term:
    expr: str
    shown: str
    stopword: bool = False
    words_only: str | None = None  # expr without the character phrase (see MatchQuery)


def _quote(tokens: Iterable[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _char_phrase(text: str) -> str:
    """``chars : "石 油"``: an exact substring match of ``text`` (CJK chars and words)."""
    return f"chars : {_quote(_QUERY_PIECE.findall(text))}"


def _latin_term(tokens: list[str]) -> _Term:
    """English (or any non-CJK) tokens of one chunk: a phrase on ``words``, the last token
    a prefix when it is a word of three letters or more (porter stems the rest)."""
    last = tokens[-1]
    phrase = f"words : {_quote(tokens)}"
    stop = len(tokens) == 1 and last.lower() in _EN_STOPWORDS
    if last.isalpha() and len(last) >= 3:
        return _Term(f"{phrase} *", " ".join(tokens), stop, phrase)
    return _Term(phrase, " ".join(tokens), stop)


def _cjk_term(run: str) -> _Term:
    """A run of CJK characters: every jieba word of it as a word or as a character
    phrase, all required; the whole run as one phrase ranks exact matches first."""
    teach_jieba()
    pieces = [w for w in jieba.cut(run) if w.strip()]
    kept = [w for w in pieces if w not in _ZH_STOPWORDS] or pieces
    parts = [_char_phrase(w) if len(w) == 1 else f"(words : {_quote([w])} OR {_char_phrase(w)})" for w in kept]
    if len(parts) == 1 and kept == [run]:
        return _Term(parts[0], run, run in _ZH_STOPWORDS, f"words : {_quote([run])}" if len(run) > 1 else None)
    return _Term(f"(({' AND '.join(parts)}) OR {_char_phrase(run)})", run)


def _phrase_term(text: str) -> _Term | None:
    """A quoted phrase: exact, as characters when it holds Chinese, else as words."""
    tokens = _QUERY_PIECE.findall(text)
    if not tokens:
        return None
    if _HAS_CJK.search(text):
        return _Term(_char_phrase(text), f'"{text.strip()}"')
    return _Term(f"words : {_quote(tokens)}", f'"{text.strip()}"')


def _chunk_terms(chunk: str) -> list[_Term]:
    """Terms of one whitespace-free chunk: CJK runs and the non-CJK text between them."""
    terms, pos = [], 0
    for run in [*_CJK_RUN.finditer(chunk), None]:
        tokens = _WORD.findall(chunk[pos:run.start() if run else len(chunk)])
        if tokens:
            terms.append(_latin_term(tokens))
        if run:
            terms.append(_cjk_term(run.group(0)))
            pos = run.end()
    return terms


def _lex(text: str) -> Iterable[tuple[str, str]]:
    """("phrase", text) for quoted parts, ("chunk", text) for the whitespace-separated rest."""
    for i, part in enumerate(re.split(r'["“”„＂]', text)):
        if i % 2:  # inside quotes (an unclosed quote runs to the end)
            yield "phrase", part
        else:
            for chunk in part.split():
                yield "chunk", chunk


def parse_query(text: str | None) -> MatchQuery:
    """Turn a user query into FTS5 expressions; never raises on odd input.

    - Words are required (AND). ``OR`` (or ``|``) between two words makes either enough;
      ``AND``/``&`` are accepted and change nothing.
    - ``-word`` or ``NOT word`` excludes claims with that word.
    - ``"…"`` is an exact phrase (Chinese: an exact substring).
    - A Chinese run is segmented by jieba: each word is found as a jieba word or as its
      characters in a row (2-character words like 石油 included); the whole run in a
      row ranks first.
    - English words are stemmed and the last word of each chunk is a prefix (export →
      exports, exporting); numbers and words under three letters are exact.
    - Everything else (``( ) * : ^ + ,``, Chinese punctuation) separates words;
      a few function words (the, of, 的, 和…) are dropped when other words remain.
    """
    groups: list[list[_Term]] = [[]]
    negative: list[_Term] = []
    negate_next = False
    for kind, piece in _lex(text or ""):
        if kind == "chunk" and (piece.upper() in _OPERATORS or piece in ("-", "－")):
            op = piece.upper()
            if op in ("OR", "|", "||") and groups[-1]:
                groups.append([])
            negate_next = op in ("NOT", "-", "－")
            continue
        negated = negate_next
        negate_next = False
        if kind == "phrase":
            found = _phrase_term(piece)
            terms = [found] if found else []
        else:
            if piece[0] in "-－" and len(piece) > 1:
                negated, piece = True, piece[1:]
            terms = _chunk_terms(piece)
        if negated:
            negative += [t for t in terms if not t.stopword]
        else:
            groups[-1] += terms
    groups = [[t for t in g if not t.stopword] or g for g in groups if g]
    shown = tuple(t.shown for g in groups for t in g) + tuple(f"-{t.shown}" for t in negative)
    positive = " OR ".join(f"({' AND '.join(t.expr for t in g)})" for g in groups)
    words_only = " OR ".join(f"({' AND '.join(t.words_only or t.expr for t in g)})" for g in groups)
    exclude = " OR ".join(f"({t.expr})" for t in negative)
    if positive and exclude:
        positive, words_only = f"({positive}) NOT ({exclude})", f"({words_only}) NOT ({exclude})"
        exclude = ""
    return MatchQuery(positive or None, exclude or None, shown, words_only if words_only != positive else None)
