"""Claim matching: recognise a stored (perhaps already checked) claim when it comes again.

Two stages, so that matching stays fast as the store grows and right when wording,
language or number format change:

1. **Recall by meaning.** Every claim gets the encoder's embedding of its text (the
   same e5 vector the classifier uses: ``"query: "`` prefix, mean-pooled, unit
   length), stored in ``claim_vectors`` (float16) and indexed in an HNSW graph
   (usearch) kept in a file beside the store (``<db>.vectors.usearch``). The table is
   the truth; the index file is a cache that :class:`ClaimIndex` rebuilds when it is
   missing, damaged, or built from another encoder.
2. **Decision by structure** (:func:`compare`, pure). Embeddings blur exactly the
   parts a fact-checker cares about: 13万 and 30万 barrels look alike to them. So a
   neighbour only matches when the structured parts agree:

   ===========  ====================================================================
   quantities   same dimension (pint-converted: 2 years = 24 months; 2/3 = 66.7%;
                rates must have the same ``per``) and the same number within 1% (5%
                when either side says 约/about), comparators not opposed (< vs >)
   times        resolved anchors overlap (2019 and 2019-09 do; 2019 and 2020 do not)
   entities     in the same language, shared names when both sides name some
   ===========  ====================================================================

   Outcome ``match`` needs similarity ≥ :data:`MATCH_SIMILARITY` and no
   disagreement; numbers on one side only need :data:`TEXT_ONLY_SIMILARITY`.
   Outcome ``conflict`` is a close neighbour (≥ :data:`CONFLICT_SIMILARITY`) that
   agrees on everything but a number of the same dimension. ``factcheck conflicts``
   lists only those that :func:`factcheck.store.conflicts.conflict_between` also finds
   to be the same measure of the same thing (60% enrichment is no answer to 50% inflation).

The thresholds were chosen on the dev half of ``annotations/claim_matching.jsonl``
and are reported on its test half (``tests/test_matching.py``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from factcheck.errors import StoreError
from factcheck.extraction.units import DURATION_UNITS, PHYSICAL_UNITS, to_pint
from factcheck.store.verdicts import final_verdicts

#: Cosine similarity at or above which a neighbour whose numbers agree is the same
#: claim, for a pair in one language and a pair across languages (e5 puts a
#: translation lower than a same-language paraphrase).
MATCH_SIMILARITY = {"same": 0.86, "cross": 0.80}
#: Claims without comparable numbers on both sides need closer wording.
TEXT_ONLY_SIMILARITY = {"same": 0.99, "cross": 0.86}
#: Neighbours at least this close whose numbers disagree are reported as conflicts.
CONFLICT_SIMILARITY = {"same": 0.88, "cross": 0.84}
#: Neighbours fetched from the index per claim before the structured check.
NEIGHBOURS = 20
REL_TOLERANCE, APPROX_TOLERANCE = 0.01, 0.05


# --- the pure core: facts of a claim and their comparison ---------------------------


@dataclass(frozen=True, slots=True)
class Amount:
    """A quantity reduced to something comparable: dimension key and an interval in base units."""

    dimension: tuple[str, str | None]  # (unit family or pint dimensionality, per)
    low: float | None
    high: float | None
    comparator: str | None
    approximate: bool
    text: str


@dataclass(slots=True)
class Facts:
    """What :func:`compare` needs to know about one claim."""

    text: str
    lang: str
    amounts: list[Amount] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # resolved ISO/EDTF values
    entities: set[tuple[str, str]] = field(default_factory=set)  # (normalised name, label)
    numerals: frozenset[str] = frozenset()  # every numeral in the text (see text_facts)
    loose: frozenset[str] = frozenset()  # numerals outside parsed quantities and years
    years: frozenset[str] = frozenset()
    rates: frozenset[str] = frozenset()


@dataclass(slots=True)
class Comparison:
    outcome: str  # "match", "conflict" or "different"
    reason: str
    agreeing: int = 0  # quantities that agree
    disagreeing: list[tuple[str, str]] = field(default_factory=list)  # (ours, theirs) texts


@lru_cache(maxsize=1)
def _pint():
    import pint

    return pint.UnitRegistry()


@lru_cache(maxsize=256)
def _base_conversion(unit: str) -> tuple[str, float, float] | None:
    """(dimensionality, factor, offset) that take a physical/duration unit to base units
    (``base = value * factor + offset``), via pint. The offset is 0 except for
    temperatures: 0 °C is 273.15 K, so 45 °C and 113 °F are the same 318.15 K."""
    expr = to_pint(unit)
    if expr is None:
        return None
    zero, one = (_pint().Quantity(x, expr).to_base_units() for x in (0.0, 1.0))
    return str(one.dimensionality), float(one.magnitude - zero.magnitude), float(zero.magnitude)


def amount(quantity) -> Amount | None:
    """An :class:`Amount` from a Quantity (dataclass or store row); None if it has no number."""
    get = quantity.get if isinstance(quantity, dict) else lambda k: getattr(quantity, k)
    value, low, high = get("value"), get("low"), get("high")
    if value is not None:
        low = high = value
    if low is None and high is None:
        return None
    unit, per = get("unit"), get("per")
    scale, offset, family = 1.0, 0.0, unit or "count"  # a bare number counts something
    if unit in PHYSICAL_UNITS or unit in DURATION_UNITS:
        base = _base_conversion(unit)
        if base:
            family, scale, offset = base
    elif unit == "fraction":  # 三分之二 and 66.7% say the same thing
        family, scale = "percent", 100.0
    elif unit == "person":
        family = "count"
    return Amount(
        dimension=(family, per),
        low=None if low is None else low * scale + offset,
        high=None if high is None else high * scale + offset,
        comparator=get("comparator"),
        approximate=bool(get("approximate")),
        text=get("text") or "",
    )


_OPPOSED = {("<", ">"), ("<", ">="), ("<=", ">"), (">", "<"), (">=", "<"), (">", "<=")}


def _close(x: float | None, y: float | None, tol: float) -> bool:
    if x is None or y is None:
        return x is y
    return math.isclose(x, y, rel_tol=tol, abs_tol=1e-9)


def amounts_agree(a: Amount, b: Amount) -> bool:
    """Same dimension assumed: same number (or range) within tolerance, comparators not opposed."""
    if (a.comparator, b.comparator) in _OPPOSED:
        return False
    tol = APPROX_TOLERANCE if (a.approximate or b.approximate) else REL_TOLERANCE
    return _close(a.low, b.low, tol) and _close(a.high, b.high, tol)


def times_agree(a: Sequence[str], b: Sequence[str]) -> bool | None:
    """True when some anchor of one overlaps some anchor of the other; None when a side has none."""
    from factcheck.store.search import time_span

    spans_a = [s for s in map(time_span, a) if s]
    spans_b = [s for s in map(time_span, b) if s]
    if not spans_a or not spans_b:
        return None
    return any(x[0] <= y[1] and y[0] <= x[1] for x in spans_a for y in spans_b)


def normalise_entity(text: str) -> str:
    text = re.sub(r"(?i)^the\s+|['’]s$", "", text.strip())
    return " ".join(text.lower().split())


_NUMERAL = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")


@lru_cache(maxsize=1)
def _rate_words() -> list[tuple[re.Pattern, str]]:
    from factcheck.extraction.units import PER_PREFIXES, PER_SUFFIXES

    words = {**PER_SUFFIXES, **PER_PREFIXES}
    out = []
    for surface, per in sorted(words.items(), key=lambda kv: -len(kv[0])):
        if surface.startswith("/"):
            continue  # "/d" is too short to find safely in running text; 桶/日 is parsed as a quantity
        body = re.escape(surface)
        out.append((re.compile(rf"(?i)\b{body}\b" if surface.isascii() else body), per))
    return out


def text_facts(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(numerals, years, rates) read straight from the text: a safety net for numbers,
    dates and rates the parsers do not structure (4小时18分, a fifth, per year after "of gas")."""
    numerals = frozenset(n.replace(",", "") for n in _NUMERAL.findall(text))
    years = frozenset(_YEAR.findall(text))
    rates = frozenset(per for pattern, per in _rate_words() if pattern.search(text))
    return numerals, years, rates


def _unmatched(names: set[tuple[str, str]], others: set[tuple[str, str]]) -> set[str]:
    """Labels of ``names`` that no name of ``others`` equals or contains (海关 ⊂ 海关总署)."""
    return {label for name, label in names
            if not any(label == other_label and (name in other or other in name) for other, other_label in others)}


def different_names(ours: set[tuple[str, str]], theirs: set[tuple[str, str]]) -> bool:
    """Both sides name someone of the same kind that the other does not (Microsoft vs Google)."""
    return bool(_unmatched(ours, theirs) & _unmatched(theirs, ours))


def _rate_stated_apart(a: Amount, ours: Facts, theirs: Facts) -> list[Amount]:
    """Quantities of ``theirs`` that differ from ``a`` only by a rate that the sentence
    without it states apart from the number: "1.3 million people die ... each year" is
    the yearly count of "over 1.3 million people every year"."""
    family, per = a.dimension
    return [b for b in theirs.amounts if b.dimension[0] == family and (
        (per is None and b.dimension[1] in ours.rates) or (b.dimension[1] is None and per in theirs.rates))]


def compare(ours: Facts, theirs: Facts, similarity: float) -> Comparison:
    """Decide whether ``theirs`` is the same claim as ``ours``, a conflicting one, or another claim."""
    pair = "same" if ours.lang == theirs.lang else "cross"
    if similarity < min(MATCH_SIMILARITY[pair], CONFLICT_SIMILARITY[pair]):
        return Comparison("different", f"wording too far apart ({similarity:.2f})")
    agreeing, disagreeing = 0, []
    by_dim: dict[tuple, list[Amount]] = {}
    for b in theirs.amounts:
        by_dim.setdefault(b.dimension, []).append(b)
    for a in ours.amounts:
        candidates = by_dim.get(a.dimension) or _rate_stated_apart(a, ours, theirs)
        if not candidates:
            continue
        if any(amounts_agree(a, b) for b in candidates):
            agreeing += 1
        else:
            disagreeing.append((a.text, candidates[0].text))
    if pair == "same" and different_names(ours.entities, theirs.entities):
        return Comparison("different", "names different people, places or organisations", agreeing, disagreeing)
    same_time = times_agree(ours.times, theirs.times)
    if same_time is False or (ours.years and theirs.years and not ours.years & theirs.years):
        shown = ", ".join(ours.times or sorted(ours.years)) + " vs " + ", ".join(theirs.times or sorted(theirs.years))
        return Comparison("different", f"different time ({shown})", agreeing, disagreeing)
    if ours.rates and theirs.rates and not ours.rates & theirs.rates:
        return Comparison("different", f"different rates (per {', '.join(sorted(ours.rates))} vs "
                          f"per {', '.join(sorted(theirs.rates))})", agreeing, disagreeing)
    if disagreeing:
        if similarity >= CONFLICT_SIMILARITY[pair] and (agreeing or len(disagreeing) == 1):
            shown = "; ".join(f"{x} vs {y}" for x, y in disagreeing)
            return Comparison("conflict", f"same claim, different numbers: {shown}", agreeing, disagreeing)
        return Comparison("different", "different numbers", agreeing, disagreeing)
    if pair == "same" and (ours.loose - theirs.numerals or theirs.loose - ours.numerals):
        # a number only one side writes, and not as a parsed quantity (4小时18分 vs 48分)
        shown = f"{', '.join(sorted(ours.loose - theirs.numerals)) or '-'} vs " \
                f"{', '.join(sorted(theirs.loose - ours.numerals)) or '-'}"
        return Comparison("different", f"different numbers in the text ({shown})", agreeing, disagreeing)
    if ours.amounts and theirs.amounts and not agreeing:
        return Comparison("different", "numbers of different kinds (units or rates)", agreeing, disagreeing)
    if agreeing:
        if similarity >= MATCH_SIMILARITY[pair]:
            extra = ", same time" if same_time else ""
            return Comparison("match", f"similar wording ({similarity:.2f}), same numbers{extra}", agreeing)
        return Comparison("different", f"same numbers but wording too far apart ({similarity:.2f})", agreeing)
    if similarity >= TEXT_ONLY_SIMILARITY[pair]:
        return Comparison("match", f"near-identical wording ({similarity:.2f})")
    return Comparison("different", f"no numbers to confirm and wording not close enough ({similarity:.2f})")


def facts_from_claim(claim) -> Facts:
    """Facts of an extracted :class:`~factcheck.records.Claim`."""
    return make_facts(claim.text, claim.lang, claim.quantities, [t.value for t in claim.times if t.value],
                      [(e.text, e.label) for e in claim.entities if e.label in NAME_LABELS])


def make_facts(text: str, lang: str, quantities: Iterable, times: Iterable[str],
               names: Iterable[tuple[str, str]]) -> Facts:
    numerals, years, rates = text_facts(text)
    amounts = [a for a in map(amount, quantities) if a]
    # Numerals the parsers structured are compared as amounts (1.5 GW = 1,500 MW);
    # only the rest is compared as written.
    parsed = {n.replace(",", "") for a in amounts for n in _NUMERAL.findall(a.text)}
    # ...and numerals of resolved time anchors (2019年9月 → 2019-09) as dates
    times = list(times)
    parsed |= {m for v in times for n in _NUMERAL.findall(v) for m in (n, n.lstrip("0") or "0")}
    return Facts(text=text, lang=lang, amounts=amounts, times=list(times),
                 entities={(normalise_entity(n), label) for n, label in names},
                 numerals=numerals, loose=numerals - parsed - years, years=years, rates=rates)


#: Entity labels compared between claims (NORP is left out: German and Germany are one country).
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC")


# --- the store edge: vectors, the index file, and loading facts ---------------------


def index_path_for(db) -> Path | None:
    """``<db file>.vectors.usearch``; None for an in-memory store."""
    row = db.conn.execute("pragma database_list").fetchone()
    return Path(row[2] + ".vectors.usearch") if row and row[2] else None


def _chunks(items: Sequence, size: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_facts(db, claim_ids: Iterable[str]) -> dict[str, Facts]:
    """Facts of stored claims, in a few queries (not one per claim)."""
    ids = list(dict.fromkeys(claim_ids))
    base: dict[str, tuple[str, str]] = {}
    quantities: dict[str, list[dict]] = {}
    times: dict[str, list[str]] = {}
    names: dict[str, list[tuple[str, str]]] = {}
    cols = ("claim_id", "text", "value", "low", "high", "unit", "per", "comparator", "approximate")
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        base.update((cid, (text, lang)) for cid, text, lang in
                    db.execute(f"select id, text, lang from claims where id in ({marks})", chunk))
        for row in db.execute(f"select {', '.join(cols)} from quantities where claim_id in ({marks}) "
                              "order by claim_id, idx", chunk):
            quantities.setdefault(row[0], []).append(dict(zip(cols, row)))
        for cid, value in db.execute(
                f"select claim_id, value from times where claim_id in ({marks}) and value is not null", chunk):
            times.setdefault(cid, []).append(value)
        for cid, text, label in db.execute(
                f"select claim_id, text, label from entities where claim_id in ({marks}) "
                f"and label in ({','.join('?' * len(NAME_LABELS))})", [*chunk, *NAME_LABELS]):
            names.setdefault(cid, []).append((text, label))
    return {cid: make_facts(text, lang, quantities.get(cid, ()), times.get(cid, ()), names.get(cid, ()))
            for cid, (text, lang) in base.items()}


@dataclass(slots=True)
class Match:
    claim_id: str
    verdict: str | None
    similarity: float
    reason: str
    article_id: str | None = None
    text: str | None = None

    def as_dict(self) -> dict:
        return {"claim_id": self.claim_id, "verdict": self.verdict, "similarity": round(self.similarity, 4),
                "reason": self.reason, "article_id": self.article_id, "text": self.text}


class ClaimIndex:
    """Vectors of a store's claims and their ANN index; see the module docstring.

    ``encoder`` is anything with ``embed(texts) -> unit vectors`` (the classifier's
    :class:`~factcheck.model.classifier.Encoder` by default) and a ``model_id`` naming
    what made the vectors; vectors from another model are re-embedded.
    """

    def __init__(self, db, *, encoder=None, path: str | Path | None = None, model_id: str | None = None):
        self.db = db
        self._encoder = encoder
        self._model_id = model_id
        self.path = Path(path) if path else index_path_for(db)
        self._index = None

    # The encoder is loaded only when something needs embedding.
    @property
    def encoder(self):
        if self._encoder is None:
            from factcheck.embed.encoder import shared_encoder

            self._encoder = shared_encoder()
        return self._encoder

    @property
    def model_id(self) -> str:
        if self._model_id is None:
            self._model_id = encoder_model_id(self.encoder)
        return self._model_id

    # -- vectors ------------------------------------------------------------------

    def missing(self, claim_ids: Iterable[str] | None = None, *, full: bool = False) -> list[tuple[int, str]]:
        """(key, text) of claims without a current vector: those of ``claim_ids``, or
        those stored since the last sync (claim keys only grow), or all (``full``)."""
        sql = ("select k.key, c.text from claim_keys k join claims c on c.id = k.claim_id "
               "left join claim_vectors v on v.key = k.key where c.is_claim = 1 and (v.key is null or v.model != ?)")
        if claim_ids is not None:
            out = []
            for chunk in _chunks(list(claim_ids)):
                out += self.db.execute(sql + f" and c.id in ({','.join('?' * len(chunk))})",
                                       [self.model_id, *chunk]).fetchall()
            return out
        if full or self._stale_model():
            return self.db.execute(sql, [self.model_id]).fetchall()
        return self.db.execute(sql + " and k.key > ?", [self.model_id, self._checked_upto()]).fetchall()

    def _checked_upto(self) -> int:
        row = self.db.execute("select value from meta where key = 'vectors_checked_upto'").fetchone()
        return int(row[0]) if row else 0

    def sync(self, progress: Callable[[int], None] | None = None, batch_size: int = 256,
             claim_ids: Iterable[str] | None = None, full: bool = False, carried: Sequence = ()) -> int:
        """Give claims that lack a vector (see :meth:`missing`) one, then bring the index up
        to date; returns how many got one. ``carried`` claims bring the vector their scorer
        computed (``Claim.vector``, from this index's encoder): those are stored as they
        are, the others are embedded."""
        newest = self.db.execute("select max(key) from claim_keys").fetchone()[0] or 0
        todo = self.missing(claim_ids, full=full)
        known = self._carried_vectors(carried)
        for chunk in _chunks(todo, batch_size):
            need = [text for key, text in chunk if key not in known]
            embedded = iter(np.asarray(self.encoder.embed(need), dtype=np.float32) if need else ())
            vectors = [known[key] if key in known else next(embedded) for key, _ in chunk]
            with self.db.conn:
                self.db.conn.executemany(
                    "insert or replace into claim_vectors (key, model, vector) values (?, ?, ?)",
                    [(key, self.model_id, vec.astype(np.float16).tobytes()) for (key, _), vec in zip(chunk, vectors)])
            if progress:
                progress(len(chunk))
        if claim_ids is None:
            self._set_meta("vectors_checked_upto", str(newest))
        self._update_index(refreshed=[key for key, _ in todo])
        return len(todo)

    def _carried_vectors(self, claims: Sequence) -> dict[int, np.ndarray]:
        """claim key → the vector a claim carries from scoring."""
        vectors = {c.claim_id: c.vector for c in claims if getattr(c, "vector", None) is not None}
        keys: dict[str, int] = {}
        for chunk in _chunks(list(vectors)):
            keys.update(self.db.execute(f"select claim_id, key from claim_keys where claim_id in "
                                        f"({','.join('?' * len(chunk))})", chunk).fetchall())
        return {keys[cid]: np.asarray(v, dtype=np.float32) for cid, v in vectors.items() if cid in keys}

    def add_vectors(self, rows: Sequence[tuple[int, np.ndarray]]) -> None:
        """Store precomputed unit vectors for claim keys (bulk loads and benchmarks)."""
        with self.db.conn:
            self.db.conn.executemany(
                "insert or replace into claim_vectors (key, model, vector) values (?, ?, ?)",
                [(int(k), self.model_id, np.asarray(v, dtype=np.float16).tobytes()) for k, v in rows])

    def _stale_model(self) -> bool:
        row = self.db.execute("select value from meta where key = 'vector_index_model'").fetchone()
        return bool(row) and row[0] != self.model_id

    # -- the index file -----------------------------------------------------------

    def _new_index(self):
        from usearch.index import Index

        dim = self.db.execute("select length(vector) / 2 from claim_vectors limit 1").fetchone()
        return Index(ndim=int(dim[0]) if dim else 384, metric="cos", dtype="i8", connectivity=16,
                     expansion_add=64, expansion_search=96)

    def _load_index(self):
        if self._index is not None:
            return self._index
        from usearch.index import Index

        if self.path and self.path.exists() and not self._stale_model():
            try:
                self._index = Index.restore(str(self.path))
            except Exception:  # a damaged cache file is rebuilt from the table, never trusted
                self._index = None
        if self._index is None:
            self._index = self._new_index()
            self._set_meta("vector_index_upto", "0")
        return self._index

    def _set_meta(self, key: str, value: str) -> None:
        with self.db.conn:
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    def _update_index(self, *, rebuild: bool = False, refreshed: Sequence[int] = ()) -> int:
        """Add the table's current-model vectors the index lacks: every key above the
        high-water mark, plus ``refreshed`` keys (re-embedded below it)."""
        if rebuild:
            self._index = self._new_index()
            self._set_meta("vector_index_upto", "0")
        index = self._load_index()
        upto_row = self.db.execute("select value from meta where key = 'vector_index_upto'").fetchone()
        upto = 0 if len(index) == 0 or not upto_row else int(upto_row[0])
        added = 0

        def add(rows) -> int:
            keys = np.fromiter((r[0] for r in rows), dtype=np.uint64, count=len(rows))
            vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
            if len(index):
                present = np.asarray(index.contains(keys), dtype=bool)
                if present.any():
                    index.remove(keys[present])  # a re-embedded claim replaces its old vector
            index.add(keys, vecs.astype(np.float32))
            return len(rows)

        old = [k for k in refreshed if k <= upto]
        for chunk in _chunks(old):
            rows = self.db.execute(f"select key, vector from claim_vectors where model = ? and key in "
                                   f"({','.join('?' * len(chunk))})", [self.model_id, *chunk]).fetchall()
            added += add(rows) if rows else 0
        while True:
            rows = self.db.execute("select key, vector from claim_vectors where key > ? and model = ? "
                                   "order by key limit 50000", [upto, self.model_id]).fetchall()
            if not rows:
                break
            added += add(rows)
            upto = rows[-1][0]
        if added or rebuild:
            if self.path:
                self._save(index, self.path)
            self._set_meta("vector_index_upto", str(upto))
            self._set_meta("vector_index_model", self.model_id)
        return added

    def _save(self, index, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        index.save(str(tmp))
        tmp.replace(path)  # a crash mid-save never leaves a half-written index

    def rebuild(self) -> int:
        return self._update_index(rebuild=True)

    def search(self, vectors: np.ndarray, k: int = NEIGHBOURS) -> list[list[tuple[int, float]]]:
        """[(key, cosine similarity)] nearest first, for each query vector."""
        index = self._load_index()
        if len(index) == 0:
            return [[] for _ in range(len(vectors))]
        found = index.search(np.asarray(vectors, dtype=np.float32), min(k, len(index)))
        keys = np.atleast_2d(found.keys)
        dists = np.atleast_2d(found.distances)
        # One query gives a Matches (no counts), several a BatchMatches.
        counts = np.atleast_1d(found.counts) if hasattr(found, "counts") else np.array([len(found.keys)])
        return [[(int(keys[i][j]), float(1.0 - dists[i][j])) for j in range(int(counts[i]))]
                for i in range(len(vectors))]


def encoder_model_id(encoder) -> str:
    """Name + source hash of the encoder's base (vectors from another base are not comparable)."""
    path = getattr(encoder, "path", None)
    if path is None:
        return getattr(encoder, "model_id", type(encoder).__name__)
    try:
        manifest = json.loads((Path(path) / "manifest.json").read_text("utf-8"))
        precision = getattr(encoder, "precision", "fp32")  # int8 vectors are not fp32 ones: kept apart
        return f"{Path(path).name}:{manifest.get('source', {}).get('sha256', '')[:12]}" + (
            "" if precision == "fp32" else f":{precision}")
    except (OSError, ValueError):
        return Path(path).name


@dataclass(slots=True)
class Found:
    """One stored neighbour of a claim, judged against it."""

    other_id: str
    article_id: str
    text: str
    similarity: float
    comparison: Comparison


def _neighbours(index: ClaimIndex, vectors: np.ndarray, exclude_articles: Sequence[str | None],
                k: int) -> list[list[tuple[str, float, str]]]:
    """Per claim: (other claim id, similarity, other article id), other articles only."""
    hits = index.search(vectors, k)
    keys = {key for row in hits for key, _ in row}
    owner: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(list(keys)):
        for key, cid, aid in index.db.execute(
                f"select k.key, c.id, c.article_id from claim_keys k join claims c on c.id = k.claim_id "
                f"where k.key in ({','.join('?' * len(chunk))})", chunk):
            owner[key] = (cid, aid)
    out = []
    for row, skip in zip(hits, exclude_articles):
        out.append([(owner[key][0], sim, owner[key][1]) for key, sim in row
                    if key in owner and (skip is None or owner[key][1] != skip)])
    return out


def judge(index: ClaimIndex, facts: Sequence[Facts], vectors: np.ndarray, *,
          exclude_articles: Sequence[str | None], k: int = NEIGHBOURS,
          exclude_docs: Sequence[str | None] | None = None) -> list[list[Found]]:
    """Neighbours of each claim (other articles only) with the structured comparison."""
    hoods = _neighbours(index, vectors, exclude_articles, k)
    stored = load_facts(index.db, {cid for hood in hoods for cid, _, _ in hood})
    doc_of: dict[str, str] = {}
    if exclude_docs and any(exclude_docs):
        aids = {aid for hood in hoods for _, _, aid in hood}
        for chunk in _chunks(list(aids)):
            doc_of.update(index.db.execute(
                f"select id, doc_key from articles where id in ({','.join('?' * len(chunk))})", chunk).fetchall())
    result = []
    for i, (ours, hood) in enumerate(zip(facts, hoods)):
        doc = exclude_docs[i] if exclude_docs else None
        found = []
        for cid, sim, aid in hood:
            if cid not in stored or (doc and doc_of.get(aid) == doc):
                continue  # older versions of the same document are not "another article"
            found.append(Found(cid, aid, stored[cid].text, sim, compare(ours, stored[cid], sim)))
        result.append(found)
    return result


def match_claims(
    db, claims: Sequence, *, index: ClaimIndex | None = None, k: int = NEIGHBOURS
) -> dict[str, list[Match]]:
    """``matches`` of each extracted claim: earlier claims (other documents) saying the same thing.

    Claims must be stored already (so they have keys); their vectors are computed by
    ``index.sync()`` if missing. Verdicted matches come first, then by similarity.
    """
    index = index or ClaimIndex(db)
    wanted = [c for c in claims if c.is_claim]
    if not wanted:
        return {}
    # Claims stored since the last sync (keys above a high-water mark), not a full scan; the
    # extracted claims bring the vectors computed while scoring them.
    index.sync(carried=wanted)
    vectors = _vectors_of(index, [c.claim_id for c in wanted])
    doc_keys = dict(db.execute(
        f"select id, doc_key from articles where id in ({','.join('?' * len({c.article_id for c in wanted}))})",
        list({c.article_id for c in wanted})).fetchall())
    found = judge(index, [facts_from_claim(c) for c in wanted], vectors,
                  exclude_articles=[c.article_id for c in wanted],
                  exclude_docs=[doc_keys.get(c.article_id) for c in wanted], k=k)
    verdicts = final_verdicts(db, {f.other_id for row in found for f in row if f.comparison.outcome == "match"})
    out: dict[str, list[Match]] = {}
    for claim, row in zip(wanted, found):
        matches = [Match(f.other_id, verdicts.get(f.other_id), f.similarity, f.comparison.reason, f.article_id, f.text)
                   for f in row if f.comparison.outcome == "match"]
        matches.sort(key=lambda m: (m.verdict is None, -m.similarity))
        out[claim.claim_id] = matches
    return out


def _vectors_of(index: ClaimIndex, claim_ids: Sequence[str]) -> np.ndarray:
    rows = {}
    for chunk in _chunks(list(claim_ids)):
        rows.update(index.db.execute(
            "select k.claim_id, v.vector from claim_keys k join claim_vectors v on v.key = k.key "
            f"where k.claim_id in ({','.join('?' * len(chunk))})", chunk).fetchall())
    missing = [c for c in claim_ids if c not in rows]
    if missing:
        raise StoreError(f"{len(missing)} claims have no vector; run `factcheck match --sync` to embed them.",
                         code="F330")
    return np.stack([np.frombuffer(rows[c], dtype=np.float16).astype(np.float32) for c in claim_ids])


# --- evaluation on a labelled pair set (annotations/claim_matching.jsonl) ----------


def sentence_facts(text: str) -> Facts:
    """Facts of a whole sentence: the parts of every candidate the extractor finds in it."""
    from factcheck.extraction.pipeline import extract
    from factcheck.extraction.segment import detect_lang

    quantities, times, names = [], [], []
    lang = detect_lang(text)
    # In an article a short line without final punctuation is a heading, not a claim;
    # here the caller says it is a sentence.
    body = text if text.rstrip()[-1:] in "。！？.!?" else text.rstrip() + ("。" if lang == "zh" else ".")
    for claim in extract(body):
        quantities += claim.quantities
        times += [t.value for t in claim.times if t.value]
        names += [(e.text, e.label) for e in claim.entities if e.label in NAME_LABELS]
    return make_facts(text, lang, quantities, times, names)


def judge_pairs(pairs: Sequence[dict], *, encoder=None) -> list[tuple[float, Comparison]]:
    """(similarity, comparison) for each ``{"a": {"text"}, "b": {"text"}}`` pair."""
    if encoder is None:
        from factcheck.embed.encoder import shared_encoder

        encoder = shared_encoder()
    a = encoder.embed([p["a"]["text"] for p in pairs])
    b = encoder.embed([p["b"]["text"] for p in pairs])
    sims = (np.asarray(a) * np.asarray(b)).sum(axis=1)
    return [(float(s), compare(sentence_facts(p["a"]["text"]), sentence_facts(p["b"]["text"]), float(s)))
            for p, s in zip(pairs, sims)]


def pair_metrics(pairs: Sequence[dict], judged: Sequence[tuple[float, Comparison]]) -> dict:
    """Precision and recall of ``match``, overall and per pair type and language combination."""
    def score(rows):
        tp = sum(p["match"] and c.outcome == "match" for p, (_, c) in rows)
        fp = sum(not p["match"] and c.outcome == "match" for p, (_, c) in rows)
        fn = sum(p["match"] and c.outcome != "match" for p, (_, c) in rows)
        return {"pairs": len(rows), "precision": tp / (tp + fp) if tp + fp else None,
                "recall": tp / (tp + fn) if tp + fn else None,
                "accuracy": sum((c.outcome == "match") == p["match"] for p, (_, c) in rows) / len(rows)
                if rows else None}

    rows = list(zip(pairs, judged))
    by_type: dict[str, list] = {}
    by_langs: dict[str, list] = {}
    for row in rows:
        by_type.setdefault(row[0]["type"], []).append(row)
        cross = row[0]["a"]["lang"] != row[0]["b"]["lang"]
        by_langs.setdefault("cross-language" if cross else "same language", []).append(row)
    return {"all": score(rows), "by_type": {t: score(r) for t, r in sorted(by_type.items())},
            "by_langs": {k: score(r) for k, r in by_langs.items()}}


def match_text(db, text: str, *, index: ClaimIndex | None = None,
               progress: Callable[[str, int], Callable[[int], None]] | None = None) -> list[Match]:
    """Stored claims that say the same as ``text``, in any language, with their final
    verdicts (``factcheck match TEXT``).

    Embeds the claims stored since the last sync first, then judges ``text`` (a sentence
    that need not be stored) against its neighbours, as :func:`match_claims` does.

    :param db: the store.
    :param text: a sentence, Chinese or English.
    :param index: the store's :class:`ClaimIndex` (default: a new one).
    :param progress: ``progress(stage, total) -> advance``, for the stage ``"embedding new claims"``.
    :returns: the matching claims (outcome ``match``), closest first, each with its
        verdict (None when unchecked).
    """
    index = index or ClaimIndex(db)
    advance = progress("embedding new claims", len(index.missing())) if progress else None
    index.sync(progress=advance)
    found = [f for f in judge(index, [sentence_facts(text)], index.encoder.embed([text]), exclude_articles=[None])[0]
             if f.comparison.outcome == "match"]
    verdicts = final_verdicts(db, [f.other_id for f in found])
    return [Match(f.other_id, verdicts.get(f.other_id), f.similarity, f.comparison.reason, f.article_id, f.text)
            for f in found]
