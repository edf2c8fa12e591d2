"""Analyst queries over the store: full-text search and verdict listing with filters.

A pure core builds the SQL and its parameters from a :class:`Query`: the whole
query as one statement (:func:`build_sql`), and for a query with a limit, its two
phases: candidates in order from one index (:func:`build_candidates_sql`), then the
filters on a batch of them (:func:`build_filter_sql`). A thin edge runs them and
fetches the parts of the hits in a fixed number of batched queries (:func:`run`). :func:`search` and
:func:`list_verdicts` are the Python API that the ``factcheck search`` and
``factcheck verdicts`` commands mirror.

Filters (all optional, all combined with AND)
    ``query``          full text over the claim, its sentence and evidence notes (see
                       :func:`factcheck.store.fts.parse_query`), ranked by bm25; equal scores in
                       the order the claims were stored. With a ``limit``, a text that
                       matches more than :data:`RANK_WINDOW` (5,000) claims ranks only the
                       newest 5,000 of them (and says so in a logged warning), unless
                       fewer than ``limit`` of those pass the other filters
    ``rank_all``       rank every text hit, however many (slower for a common word)
    ``verdict``        the final verdict (majority of live annotations, as
                       :func:`factcheck.store.verdicts.final_verdict` decides it)
    ``lang``, ``kind``, ``model_version``   columns of the claim
    ``article``        article id (or its prefix), or a substring of its doc key, title or URL
    ``source``         a substring of the article's source path or URL, or a verdict
                       source (labelstudio, claimreview, averitec, liar)
    ``since``/``until``  a time anchor of the claim overlaps this range; both are ISO
                       partial dates (2019, 2019-09, 2025-04-13, 2024-Q3), so 2019
                       overlaps ``since="2019-06"``
    ``entity``         an entity of the claim, exactly (case-insensitive)
    ``unit``           a quantity's canonical unit, optionally with its rate
                       (``oil_barrel/day``); surface forms work too (桶/日, bpd, %)
    ``min_value``/``max_value``  that quantity's stated number (or its low–high range)
                       overlaps this range
    ``annotator``      someone gave a live verdict on the claim
    ``reviewed_since``/``reviewed_until``  the latest live review falls in this range
    ``include_rejected``  also rejected candidates (opinions, predictions…); implied by ``kind``
    ``limit``          at most this many rows

Errors are :class:`~factcheck.errors.InputError` with codes F601–F606 for filters
that cannot be understood and F607 for a query longer than :data:`MAX_QUERY_CHARS`,
and :class:`~factcheck.errors.StoreError` F320 when the store cannot run the query
(F301–F308 when SQLite itself fails: locked, read-only, damaged…, see :func:`factcheck.store.db.store_error`).
"""

from __future__ import annotations

import calendar
import csv
import difflib
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import IO, Any

from factcheck.errors import InputError, StoreError
from factcheck.extraction.units import COMPOUND_UNITS, PER_SUFFIXES, UNIT_KINDS, canonical_unit
from factcheck.records import CLAIM_KINDS, NON_CLAIM_KINDS, VERDICTS
from factcheck.store import fts
from factcheck.store.verdicts import FINAL_VERDICT_SQL, final_verdict, live_sql, stamp, stamp_sql

log = logging.getLogger(__name__)

LANGS = ("zh", "en")
#: Longest full-text query (characters): a pasted 30 KB article took a minute to search.
MAX_QUERY_CHARS = 1_000
TIME_FUNCTION = "factcheck_time_overlaps"

CSV_COLUMNS = (
    "rank", "score", "claim_id", "text", "lang", "kind", "verdict", "votes", "reviewed_at", "annotators",
    "times", "quantities", "entities", "evidence", "evidence_notes", "article_id", "article_title", "article_url",
    "article_published", "article_source", "sentence",
)


@dataclass(frozen=True)
class Query:
    """What to find; see the module docstring for each filter. ``order`` is "rank"
    (bm25 with a text query, newest article first without) or "reviewed" (newest
    review first; only claims with a live verdict)."""

    text: str | None = None
    verdict: str | None = None
    lang: str | None = None
    article: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    entity: str | None = None
    kind: str | None = None
    unit: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    annotator: str | None = None
    model_version: str | None = None
    reviewed_since: str | date | None = None
    reviewed_until: str | date | None = None
    include_rejected: bool = False
    rank_all: bool = False
    order: str = "rank"
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.text is not None and len(self.text) > MAX_QUERY_CHARS:
            raise InputError(
                f"The search query is {len(self.text):,} characters long; the limit is {MAX_QUERY_CHARS:,} (a "
                "longer one would take minutes, every word being required). Search for a few distinctive words "
                "or a quoted phrase; to find the stored claims like a whole text, use `factcheck match TEXT`.",
                code="F607")
        if self.lang is not None and self.lang not in LANGS:
            raise InputError(f"Unknown language {self.lang!r}: use one of {', '.join(LANGS)}.", code="F606")
        kinds = CLAIM_KINDS + NON_CLAIM_KINDS
        if self.kind is not None and self.kind not in kinds:
            raise InputError(f"Unknown kind {self.kind!r}{_did_you_mean(self.kind, kinds)}; kinds are "
                             f"{', '.join(kinds)}.", code="F606")
        if self.order not in ("rank", "reviewed"):
            raise InputError(f"Unknown order {self.order!r}: use 'rank' or 'reviewed'.", code="F606")
        if self.limit is not None and self.limit < 1:
            raise InputError(f"--limit must be 1 or more, not {self.limit}.", code="F604")
        for name in ("min_value", "max_value"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, (int, float)):
                try:
                    object.__setattr__(self, name, float(value))
                except ValueError:
                    raise InputError(f"--{name[:3]} must be a number, not {value!r}.", code="F603") from None
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise InputError(f"--min {self.min_value:g} is greater than --max {self.max_value:g}: nothing can "
                             "match. Swap them.", code="F603")
        for name in ("reviewed_since", "reviewed_until"):
            value = getattr(self, name)
            if isinstance(value, (date, datetime)):
                object.__setattr__(self, name, value.isoformat())
        _ = self.time_range, self.unit_spec  # both raise InputError for values they cannot read

    @property
    def time_range(self) -> tuple[str, str] | None:
        """(first day, last day) that ``since``/``until`` cover, or None without them."""
        if self.since is None and self.until is None:
            return None
        start = _user_time(self.since, "--since")[0] if self.since else "0000-01-01"
        end = _user_time(self.until, "--until")[1] if self.until else "9999-12-31"
        if start > end:
            raise InputError(f"--since {self.since} is after --until {self.until}: nothing can match. Swap them.",
                             code="F603")
        return start, end

    @property
    def unit_spec(self) -> tuple[str, str | None] | None:
        """(canonical unit, rate or None) of ``unit``."""
        return parse_unit(self.unit) if self.unit else None


# --- pure parts: times, units ---------------------------------------------------------

_YMD = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DECADE = re.compile(r"^(\d{3})X$")
_CENTURY = re.compile(r"^(\d{2})XX$")


def _month_end(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(max(year, 1), month)[1]:02d}"


def time_span(value: str | None) -> tuple[str, str] | None:
    """(first day, last day) as ISO dates of a stored time value, or None.

    Handles what :mod:`factcheck.extraction.times` writes: 2019, 2019-09, 2019-09-01, 2024-Q3,
    2025-W20, 195X (a decade), 20XX (a century) and intervals A/B.
    """
    if not value:
        return None
    value = value.strip()
    if "/" in value:
        left, _, right = value.partition("/")
        a, b = time_span(left), time_span(right)
        return (a[0], b[1]) if a and b and a[0] <= b[1] else None
    try:
        if m := _YMD.match(value):
            year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
            if not month:
                return f"{year:04d}-01-01", f"{year:04d}-12-31"
            if not 1 <= month <= 12:
                return None
            if not day:
                return f"{year:04d}-{month:02d}-01", _month_end(year, month)
            day_text = date(max(year, 1), month, day).isoformat()[4:]
            return f"{year:04d}{day_text}", f"{year:04d}{day_text}"
        if m := _QUARTER.match(value):
            year, q = int(m[1]), int(m[2])
            return f"{year:04d}-{3 * q - 2:02d}-01", _month_end(year, 3 * q)
        if m := _WEEK.match(value):
            year, week = int(m[1]), int(m[2])
            return date.fromisocalendar(year, week, 1).isoformat(), date.fromisocalendar(year, week, 7).isoformat()
        if m := _DECADE.match(value):
            return f"{m[1]}0-01-01", f"{m[1]}9-12-31"
        if m := _CENTURY.match(value):
            return f"{m[1]}00-01-01", f"{m[1]}99-12-31"
    except ValueError:
        return None
    return None


def time_overlaps(value: str | None, start: str, end: str) -> bool:
    """Does the stored time ``value`` overlap the days ``start``..``end`` (ISO dates)?"""
    span = time_span(value)
    return span is not None and span[0] <= end and span[1] >= start


def _user_time(value: str, option: str) -> tuple[str, str]:
    span = time_span(str(value))
    if span is None:
        raise InputError(f"{option} {value!r} is not an ISO date: use 2019, 2019-09, 2019-09-01, 2024-Q3 or "
                         "2015/2018.", code="F601")
    return span


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def parse_unit(spec: str) -> tuple[str, str | None]:
    """(canonical unit, rate or None) for ``oil_barrel/day``, ``oil_barrel``, ``桶/日``,
    ``barrels a day``, ``bpd``, ``%``… Raises InputError F602 for an unknown unit."""
    text = " ".join(spec.split())
    if text in COMPOUND_UNITS or text.lower() in COMPOUND_UNITS:
        return COMPOUND_UNITS.get(text) or COMPOUND_UNITS[text.lower()]
    if text in UNIT_KINDS:
        return text, None
    if unit := canonical_unit(text):
        return unit, None
    for i in range(1, len(text)):
        head, tail = text[:i].strip(), text[i:].strip()
        per = PER_SUFFIXES.get(tail) or PER_SUFFIXES.get(tail.lower())
        if per is None and text[i] == "/" and tail[1:].strip() in PER_SUFFIXES.values():
            per = tail[1:].strip()  # canonical rate: oil_barrel/day
        if per and head:
            unit = head if head in UNIT_KINDS else canonical_unit(head)
            if unit:
                return unit, per
    raise InputError(f"Unknown unit {spec!r}{_did_you_mean(text, UNIT_KINDS)}. Use a canonical name from "
                     "factcheck/units.py (oil_barrel, percent, USD, metric_ton…), optionally with a rate "
                     "(oil_barrel/day), or a surface form such as 桶/日.", code="F602")


# --- pure core: SQL ------------------------------------------------------------------

_STAMP = stamp_sql()
_LIVE = live_sql()
_REVIEWED_AT = f"(select nullif(max({_STAMP}), '') from verdicts v where v.claim_id = c.id and {_LIVE})"
#: The stored time value's end (the part after "/" of an interval): indexed by
#: ``times_value_end`` so that ``since`` narrows by index.
TIME_END_SQL = "substr(t.value, instr(t.value, '/') + 1)"


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def _claims_with(table: str, condition: str, per_claim: bool) -> str:
    """``c`` has a row in ``table`` (alias: its first letter) that meets ``condition``. As a set,
    ``c.id in (select …)``, SQLite can also find the claims through the condition's index; per
    claim, a correlated ``exists``, each claim looks up its own rows (for a short list of claims)."""
    alias = table[0]
    if per_claim:
        return f"exists (select 1 from {table} {alias} where {alias}.claim_id = c.id and +({condition}))"
    return f"c.id in (select {alias}.claim_id from {table} {alias} where {condition})"


def _filters(query: Query, params: dict, *, per_claim: bool = False) -> list[str]:
    """WHERE conditions over ``c`` (claims) and ``a`` (articles) for the query's filters;
    ``per_claim`` as for :func:`_claims_with`."""
    where = []
    if not query.include_rejected and query.kind is None:
        where.append("c.is_claim = 1")
    if query.lang:
        where.append("c.lang = :lang")
        params["lang"] = query.lang
    if query.kind:
        where.append("c.kind = :kind")
        params["kind"] = query.kind
    if query.model_version:
        where.append("c.model_version = :model_version")
        params["model_version"] = query.model_version
    if query.article:
        params["article_id"] = re.sub(r"([\\%_])", r"\\\1", query.article) + "%"
        params["article_like"] = _like(query.article)
        where.append("(a.id like :article_id escape '\\' or a.doc_key like :article_like escape '\\' "
                     "or a.title like :article_like escape '\\' or a.url like :article_like escape '\\')")
    if query.source:
        params["source"] = query.source.strip().lower()
        params["source_like"] = _like(query.source.strip())
        where.append("(a.source like :source_like escape '\\' or a.url like :source_like escape '\\' "
                     "or a.doc_key like :source_like escape '\\' "
                     f"or {_claims_with('verdicts', f'v.source = :source and {_LIVE}', per_claim)})")
    if query.verdict:
        params["verdict"] = query.verdict
        where.append(_claims_with("verdicts", f"v.verdict = :verdict and {_LIVE}", per_claim))
        where.append(f"{FINAL_VERDICT_SQL} = :verdict")
    if query.annotator:
        params["annotator"] = query.annotator
        where.append(_claims_with("verdicts", f"v.annotator = :annotator and {_LIVE}", per_claim))
    if query.entity:
        params["entity"] = query.entity.strip()
        where.append(_claims_with("entities", "e.text = :entity collate nocase", per_claim))
    if (span := query.time_range) is not None:
        params["time_start"], params["time_end"] = span
        conditions = [f"{TIME_FUNCTION}(t.value, :time_start, :time_end)"]
        if query.since:  # every value that overlaps ends in year >= since's year, decades and intervals too
            params["time_lo"] = span[0][:4]
            conditions.insert(0, f"{TIME_END_SQL} >= :time_lo")
        if query.until:  # …and starts before the end of until's century (195X, 19XX sort after 1959)
            params["time_hi"] = span[1][:2] + "XY"
            conditions.insert(0, "t.value < :time_hi")
        where.append(_claims_with("times", " and ".join(conditions), per_claim))
    if query.unit_spec or query.min_value is not None or query.max_value is not None:
        conditions = _quantity_conditions(query, params)
        if per_claim:
            where.append("(" + " or ".join(_claims_with("quantities", q, True) for q in conditions) + ")")
        else:
            where.append("c.id in (" + " union all ".join(
                f"select q.claim_id from quantities q where {q}" for q in conditions) + ")")
    if query.reviewed_since:
        params["reviewed_since"] = str(query.reviewed_since)
        where.append(f"{_REVIEWED_AT} >= :reviewed_since")
    if query.reviewed_until:
        params["reviewed_until"] = str(query.reviewed_until) + "~"  # inclusive at its precision
        where.append(f"{_REVIEWED_AT} < :reviewed_until")
    return where


def _quantity_conditions(query: Query, params: dict) -> list[str]:
    """Conditions on a quantity ``q``: it has the unit (and rate) and its number overlaps
    [min, max]: its value, or for a range (value null) its low–high bounds. Two
    conditions with the bounds, so that each one narrows by the (unit, value) index."""
    common = []
    if query.unit_spec:
        params["unit"], per = query.unit_spec
        common.append("q.unit = :unit")
        if per:
            params["per"] = per
            common.append("q.per = :per")
    lo, hi = query.min_value, query.max_value
    if lo is None and hi is None:
        return [" and ".join(common)]
    point, span = list(common), [*common, "q.value is null"]
    if lo is not None:
        params["min_value"] = float(lo)
        point.append("q.value >= :min_value")
        span.append("coalesce(q.high, q.low) >= :min_value")
    if hi is not None:
        params["max_value"] = float(hi)
        point.append("q.value <= :max_value")
        span.append("coalesce(q.low, q.high) <= :max_value")
    return [" and ".join(point), " and ".join(span)]


def _text_match(query: Query, params: dict, *, per_claim: bool = False) -> list[str]:
    """WHERE conditions for the full-text part of a query that does not rank by it."""
    match = fts.parse_query(query.text) if query.text else fts.MatchQuery(None, None, ())
    where = []
    for name, expr, negate in (("match", match.match, ""), ("exclude", match.exclude, "not ")):
        if not expr:
            continue
        params[name] = expr
        if per_claim:
            where.append(f"{negate}exists (select 1 from claim_keys k join {fts.FTS_TABLE} on "
                         f"{fts.FTS_TABLE}.rowid = k.key where k.claim_id = c.id and {fts.FTS_TABLE} match :{name})")
        else:
            where.append(f"c.id {negate}in (select k.claim_id from claim_keys k where k.key in "
                         f"(select rowid from {fts.FTS_TABLE} where {fts.FTS_TABLE} match :{name}))")
    return where


def _ranks_by_text(query: Query) -> bool:
    return query.order == "rank" and bool(query.text) and bool(fts.parse_query(query.text).match)


def build_sql(query: Query) -> tuple[str, dict[str, Any]]:
    """SQL selecting ``claim_id``, ``bm25`` and ``reviewed_at`` of the hits, best first,
    and its named parameters: the whole query as one statement. Pure: it needs no database.

    Equal bm25 scores go in claim key order (the claim stored first comes first), an
    order the full-text index can give on its own (see :func:`build_candidates_sql`).
    A ranked text query ranks the claims whose key is ``:bound`` or more (0: all; see
    :data:`RANK_WINDOW`)."""
    params: dict[str, Any] = {}
    where = _filters(query, params)
    if query.order == "reviewed":
        select = (f"select c.id as claim_id, null as bm25, {_REVIEWED_AT} as reviewed_at "
                  "from claims c join articles a on a.id = c.article_id")
        where += _text_match(query, params)
        where.append(f"c.id in (select v.claim_id from verdicts v where {_LIVE})")
        order = "coalesce(reviewed_at, '') desc, c.id desc"
    elif _ranks_by_text(query):
        params["match"] = fts.parse_query(query.text).match
        weights = ", ".join(str(w) for w in fts.BM25_WEIGHTS)
        select = (f"select c.id as claim_id, bm25({fts.FTS_TABLE}, {weights}) as bm25, null as reviewed_at "
                  f"from {fts.FTS_TABLE} join claim_keys k on k.key = {fts.FTS_TABLE}.rowid "
                  "join claims c on c.id = k.claim_id join articles a on a.id = c.article_id")
        where.insert(0, f"{fts.FTS_TABLE} match :match and {fts.FTS_TABLE}.rowid >= :bound")
        params["bound"] = 0
        order = "bm25, k.key"
    else:
        select = ("select c.id as claim_id, null as bm25, null as reviewed_at "
                  "from claims c join articles a on a.id = c.article_id")
        where += _text_match(query, params)
        order = "coalesce(a.published, a.extracted_at) desc, a.id, c.start, c.id"
    sql = select + (" where " + " and ".join(where) if where else "") + f" order by {order}"
    if query.limit is not None:
        params["limit"] = int(query.limit)
        sql += " limit :limit"
    return sql, params


def build_candidates_sql(query: Query) -> tuple[str, dict[str, Any]] | None:
    """SQL listing candidates in the query's order, before any filter, and its parameters
    (``:candidates`` caps how many); None when the query has no such cheap order (newest
    article first). The first phase of :func:`run`:

    - rank with a text query: ``(key, bm25)`` of the full-text hits with a key of
      ``:bound`` or more (0: all), best first, from the full-text index alone: no join
      for the tens of thousands of hits of a common word;
    - review order: ``(claim_id, stamp)`` of the live verdicts, newest first, by the
      ``idx_verdicts_reviewed`` index; a claim's first row carries its latest review."""
    params: dict[str, Any] = {}
    if query.order == "reviewed":
        where = [_LIVE]
        # A claim whose latest review is in range has it among these rows, as its first row;
        # the claims this lists with a later review are dropped by the filter phase.
        if query.reviewed_since:
            params["reviewed_since"] = str(query.reviewed_since)
            where.append(f"{_STAMP} >= :reviewed_since")
        if query.reviewed_until:
            params["reviewed_until"] = str(query.reviewed_until) + "~"
            where.append(f"{_STAMP} < :reviewed_until")
        sql = (f"select v.claim_id, {_STAMP} as stamp from verdicts v where {' and '.join(where)} "
               "order by stamp desc, v.claim_id desc limit :candidates")
    elif _ranks_by_text(query):
        params["match"] = fts.parse_query(query.text).match
        weights = ", ".join(str(w) for w in fts.BM25_WEIGHTS)
        params["bound"] = 0
        sql = (f"select rowid, bm25({fts.FTS_TABLE}, {weights}) as bm25 from {fts.FTS_TABLE} "
               f"where {fts.FTS_TABLE} match :match and rowid >= :bound order by bm25, rowid limit :candidates")
    else:
        return None
    return sql, params


def build_filter_sql(query: Query) -> tuple[str, dict[str, Any]]:
    """SQL keeping the candidates (``:candidates``, a JSON array of what
    :func:`build_candidates_sql` lists first: claim keys, or claim ids in review order)
    that pass the query's filters: ``claim_id`` and ``position`` in the array, in array
    order, at most ``:limit``. The second phase of :func:`run`: each candidate looks
    up its own rows, so a batch costs what its size does, whatever the store's size."""
    params: dict[str, Any] = {}
    where = _filters(query, params, per_claim=True)
    if query.order == "reviewed":
        where += _text_match(query, params, per_claim=True)
        claims = "cross join claims c on c.id = h.value"
    else:
        claims = "cross join claim_keys k on k.key = h.value join claims c on c.id = k.claim_id"
    sql = (f"select c.id as claim_id, h.key as position from json_each(:candidates) h {claims} "
           "join articles a on a.id = c.article_id" + (" where " + " and ".join(where) if where else "")
           + " order by h.key limit :limit")
    return sql, params


# --- pure core: rows -----------------------------------------------------------------

def assemble(hits: list[tuple], parts: dict[str, dict[str, list[dict]]], claims: dict[str, dict]) -> list[dict]:
    """Result rows (see :func:`search`) from the hits (claim_id, bm25, reviewed_at) and
    the fetched claims and their parts, keyed by claim id."""
    rows = []
    for rank, (claim_id, bm25, reviewed_at) in enumerate(hits, 1):
        c = claims.get(claim_id)
        if c is None:
            continue
        live = [v for v in parts["verdicts"].get(claim_id, []) if v["verdict"] and not v["deleted_at"]]
        verdict, votes = final_verdict(live)
        live_ids = {v["annotation_id"] for v in live}
        links: dict[str, str] = {}
        for ev in parts["evidence"].get(claim_id, []):
            if ev["annotation_id"] in live_ids and ev["url"] and not links.get(ev["url"]):
                links[ev["url"]] = ev["note"] or ""
        rows.append({
            "rank": rank, "score": None if bm25 is None else round(-bm25, 6),
            "claim_id": claim_id, "text": c["text"], "sentence": c["sentence"], "lang": c["lang"],
            "kind": c["kind"], "is_claim": bool(c["is_claim"]), "checkworthiness": c["checkworthiness"],
            "model_version": c["model_version"],
            "verdict": verdict, "votes": votes,
            "annotators": sorted({v["annotator"] or f"annotation {v['annotation_id']}" for v in live}),
            "verdict_sources": sorted({v["source"] or "labelstudio" for v in live}),
            "reviewed_at": reviewed_at or (max(stamp(v)[0] for v in live) or None if live else None),
            "article_id": c["article_id"], "article_title": c["title"], "article_url": c["url"],
            "article_published": c["published"], "article_source": c["source"], "article_version": c["version"],
            "times": [{"text": t["text"], "value": t["value"], "relation": t["relation"]}
                      for t in parts["times"].get(claim_id, [])],
            "quantities": [{k: q[k] for k in ("text", "value", "low", "high", "unit", "per", "comparator", "item")}
                           | {"approximate": bool(q["approximate"])} for q in parts["quantities"].get(claim_id, [])],
            "entities": [{"text": e["text"], "label": e["label"]} for e in parts["entities"].get(claim_id, [])],
            "evidence": [{"url": u, "note": n} for u, n in links.items()],
            "reviews": _reviews(live),
        })
    return rows


def _reviews(live: list[dict]) -> list[dict]:
    """Imported verdicts (ClaimReview, AVeriTeC, LIAR…) as reviews, newest first."""
    imported = sorted((v for v in live if (v.get("source") or "labelstudio") != "labelstudio"),
                      key=stamp, reverse=True)
    return [{"source": v["source"], "verdict": v["verdict"], "rating": v.get("rating"),
             "review_url": v.get("review_url"), "claimant": v.get("claimant"),
             "reviewer": v["annotator"] if v["annotator"] and v["annotator"] != v["source"] else None,
             "reviewed_at": stamp(v)[0] or None} for v in imported]


# --- thin edge: run it -----------------------------------------------------------------

def prepare(db) -> sqlite3.Connection:
    """The store's connection, with the SQL function the time filter needs registered."""
    conn = getattr(db, "conn", db)
    conn.create_function(TIME_FUNCTION, 3, time_overlaps, deterministic=True)
    return conn


def explain(db, query: Query) -> list[str]:
    """SQLite's query plan for ``query``, one line per step (which indexes it uses): of
    the statement :func:`run` runs, or of both phases when it takes candidates first."""
    conn = prepare(db)
    plan = build_candidates_sql(query) if query.limit is not None else None
    if plan is None:
        sql, params = build_sql(query)
        return [row[3] for row in conn.execute("explain query plan " + sql, params)]
    (candidates_sql, candidates_params), (filter_sql, filter_params) = plan, build_filter_sql(query)
    return [row[3] for sql, params in [(candidates_sql, {**candidates_params, "candidates": 1}),
                                        (filter_sql, {**filter_params, "candidates": "[]", "limit": 1})]
            for row in conn.execute("explain query plan " + sql, params)]


def _check_verdict(conn: sqlite3.Connection, verdict: str) -> None:
    if verdict in VERDICTS:
        return
    known = {r[0] for r in conn.execute("select distinct verdict from verdicts where verdict is not null")}
    if verdict not in known:
        choices = sorted(set(VERDICTS) | known)
        raise InputError(f"Unknown verdict {verdict!r}{_did_you_mean(verdict, choices)}; verdicts are "
                         f"{', '.join(choices)}.", code="F605")


def _fetch(conn: sqlite3.Connection, sql: str, ids: str) -> dict[str, list[dict]]:
    cursor = conn.execute(sql, [ids])
    names = [d[0] for d in cursor.description]
    out: dict[str, list[dict]] = {}
    for values in cursor:
        row = dict(zip(names, values))
        out.setdefault(row["claim_id"], []).append(row)
    return out


_IN_IDS = "in (select value from json_each(?))"
_PART_SQL = {
    "quantities": f"select * from quantities where claim_id {_IN_IDS} order by claim_id, idx",
    "times": f"select * from times where claim_id {_IN_IDS} order by claim_id, idx",
    "entities": f"select * from entities where claim_id {_IN_IDS} order by claim_id, idx",
    "verdicts": f"select * from verdicts where claim_id {_IN_IDS} order by claim_id, annotation_id",
    "evidence": f"select * from evidence where claim_id {_IN_IDS} order by annotation_id, idx",
}
_CLAIM_SQL = (
    "select c.id as claim_id, c.article_id, c.text, c.lang, c.kind, c.is_claim, c.checkworthiness, "
    "c.model_version, s.text as sentence, a.title, a.url, a.published, a.source, a.version "
    f"from claims c join articles a on a.id = c.article_id left join sentences s on s.id = c.sentence_id "
    f"where c.id {_IN_IDS}"
)


#: How many candidates each pass of :func:`_two_phase_hits` lists, as multiples of the
#: limit (at least ``MIN_CANDIDATES``), by order; past the last pass the single statement
#: runs. Listing the first thousand costs about what listing the first ten does, but a
#: new pass re-lists from the start: cheap in review order (an index), while for a text
#: query it ranks every hit again.
CANDIDATE_PASSES = {"rank": (50,), "reviewed": (10, 100, 1000)}
MIN_CANDIDATES = 1000
#: A text query in review order that matches at most this many claims per row of the
#: limit runs as one statement: checking each reviewed claim against the text costs more.
TEXT_FIRST = 100
#: A ranked text query with a limit that matches more than this many claims ranks only
#: the newest this many: those with the highest claim keys, stored last. bm25 scores
#: every hit it ranks (about 3 µs each on a 2-core machine), so this bounds the cost of
#: a common word as the store grows: 5,000 keeps a search's p95 under 50 ms at 1M
#: claims (bench/store.py). None ranks every hit, as ``Query.rank_all`` does for one query.
RANK_WINDOW: int | None = 5_000


def _candidates(conn: sqlite3.Connection, order: str, sql: str, params: dict) -> tuple[list[tuple], bool]:
    """(claim key or id, bm25, reviewed_at) of the first ``:candidates`` rows, in order
    (in review order, a claim once, at its latest review), and whether that was all."""
    rows = conn.execute(sql, params).fetchall()
    complete = len(rows) < params["candidates"]
    if order != "reviewed":
        return [(key, bm25, None) for key, bm25 in rows], complete
    latest: dict[str, str] = {}
    for claim_id, reviewed_at in rows:
        latest.setdefault(claim_id, reviewed_at)
    return [(claim_id, None, reviewed_at or None) for claim_id, reviewed_at in latest.items()], complete


def _window_bound(conn: sqlite3.Connection, query: Query, match: str) -> int:
    """The lowest claim key of the newest :data:`RANK_WINDOW` claims that ``match`` finds
    when it finds more, else 0 (rank them all). FTS5 lists hits newest first in key
    order without scoring them, so this costs a fraction of ranking the window."""
    if RANK_WINDOW is None or query.rank_all or query.limit is None:
        return 0
    row = conn.execute(f"select rowid from {fts.FTS_TABLE} where {fts.FTS_TABLE} match ? "
                       "order by rowid desc limit 1 offset ?", [match, RANK_WINDOW]).fetchone()
    return 0 if row is None else row[0] + 1


def _say_windowed(query: Query, bound: int) -> None:
    if bound:
        log.warning("the query %r matches more than %s claims: ranked the newest %s of them (claim keys from %s); "
                    "add words or filters to reach older ones, or rank them all (--rank-all)", query.text,
                    f"{RANK_WINDOW:,}", f"{RANK_WINDOW:,}", f"{bound:,}")


def _rank_in_window(conn: sqlite3.Connection, query: Query, match: str,
                    rank: Callable[[int], list[tuple] | None]) -> tuple[list[tuple] | None, int]:
    """``rank(bound)`` on the newest :data:`RANK_WINDOW` hits of ``match``, or on all of
    them when it finds more hits than that but the filters keep fewer than ``limit`` of
    the window; and the bound it used (0: every hit)."""
    bound = _window_bound(conn, query, match)
    hits = rank(bound)
    if bound and hits is not None and query.limit is not None and len(hits) < query.limit:
        bound, hits = 0, rank(0)
    return hits, bound


def _two_phase_hits(conn: sqlite3.Connection, query: Query) -> list[tuple] | None:
    """The hits of a query with a limit, in two phases: candidates in order from one
    index (:func:`build_candidates_sql`), then the filters on growing batches of them
    (:func:`build_filter_sql`) until ``limit`` pass. The same rows as :func:`build_sql`'s
    statement (:func:`_statement_hits`); None when that statement should run instead (no candidate order, too few
    candidates pass, or a text query in review order that matches few claims).

    A ranked text query that matches more than :data:`RANK_WINDOW` claims ranks only the
    newest of them, unless fewer than ``limit`` of those pass the filters; then all.

    One exception: a text query whose Chinese words are single jieba words is first
    ranked by those words alone (:attr:`factcheck.store.fts.MatchQuery.words_only`: the same
    claims in most stores, lower scores); only when that finds fewer than ``limit`` hits
    does the whole query, character phrases included, rank them as the statement does."""
    if query.limit is None or (plan := build_candidates_sql(query)) is None:
        return None
    limit = query.limit
    match = fts.parse_query(query.text) if query.text else fts.MatchQuery(None, None, ())
    if query.order == "reviewed" and match.match:  # few text hits: the text finds them faster than the reviews do
        found = conn.execute(f"select count(*) from {fts.FTS_TABLE} where {fts.FTS_TABLE} match ?", [match.match])
        if found.fetchone()[0] <= TEXT_FIRST * limit:
            return None
    candidates_sql, candidates_params = plan
    filter_sql, filter_params = build_filter_sql(query)
    if query.order == "reviewed":
        return _filter_candidates(conn, query.order, limit, candidates_sql, candidates_params, filter_sql,
                                  filter_params)
    for expr in filter(None, (match.words_only, match.match)):
        # _rank_in_window calls the lambda before the loop moves on
        hits, bound = _rank_in_window(conn, query, expr, lambda bound: _filter_candidates(
            conn, query.order, limit, candidates_sql,
            {**candidates_params, "match": expr, "bound": bound},  # noqa: B023
            filter_sql, filter_params))
        if hits is None or len(hits) >= limit or expr == match.match:  # None: the filters keep few of many hits
            if hits:
                _say_windowed(query, bound)
            return hits
    return None


def _statement_hits(conn: sqlite3.Connection, query: Query) -> list[tuple]:
    """The rows of :func:`build_sql`'s statement. With a limit, a ranked text query that
    matches more than :data:`RANK_WINDOW` claims first ranks the newest of them, and all
    of them only when fewer than ``limit`` of those pass the filters."""
    sql, params = build_sql(query)
    if "bound" not in params:
        return conn.execute(sql, params).fetchall()
    hits, bound = _rank_in_window(conn, query, params["match"],
                                  lambda bound: conn.execute(sql, {**params, "bound": bound}).fetchall())
    assert hits is not None  # fetchall gives a list
    _say_windowed(query, bound)
    return hits


def _filter_candidates(conn: sqlite3.Connection, order: str, limit: int, candidates_sql: str,
                       candidates_params: dict, filter_sql: str, filter_params: dict) -> list[tuple] | None:
    """The passes of :func:`_two_phase_hits`: None when the last one lists candidates
    that are not all and not enough of them pass."""
    hits: list[tuple] = []
    done, batch = 0, 2 * limit
    for factor in CANDIDATE_PASSES[order]:
        wanted = max(factor * limit, MIN_CANDIDATES)
        candidates, complete = _candidates(conn, order, candidates_sql, {**candidates_params, "candidates": wanted})
        while done < len(candidates) and len(hits) < limit:
            chunk = candidates[done:done + batch]
            rows = conn.execute(filter_sql, {**filter_params, "candidates": json.dumps([c[0] for c in chunk]),
                                             "limit": limit - len(hits)}).fetchall()
            hits += [(claim_id, chunk[position][1], chunk[position][2]) for claim_id, position in rows]
            done, batch = done + len(chunk), 2 * batch
        if len(hits) >= limit or complete:
            return hits
    return None


def run(db, query: Query) -> list[dict]:
    """Run ``query`` on the store ``db`` (a sqlite-utils Database or a sqlite3 connection):
    the hits (in two phases when there is a limit, see :func:`_two_phase_hits`), then one
    statement per part for all of them together."""
    conn = prepare(db)
    if query.text and not fts.parse_query(query.text):
        log.warning("the query %r has no word to search for; listing by the filters only", query.text)
    try:
        if query.verdict:
            _check_verdict(conn, query.verdict)
        hits = _two_phase_hits(conn, query)
        if hits is None:
            hits = _statement_hits(conn, query)
        ids = json.dumps([h[0] for h in hits])
        claims = {k: v[0] for k, v in _fetch(conn, _CLAIM_SQL, ids).items()}
        parts = {name: _fetch(conn, part_sql, ids) for name, part_sql in _PART_SQL.items()}
    except sqlite3.Error as exc:
        raise StoreError(f"The search could not run ({exc}). Check that --db points at a factcheck store; if the "
                         "message names the full-text index, report the query that caused it.", code="F320") from exc
    return assemble(hits, parts, claims)


def make_query(text: str | None = None, **filters: Any) -> Query:
    """A :class:`Query` from keyword filters (InputError for values it cannot use,
    TypeError for unknown names)."""
    names = {f.name for f in fields(Query)} - {"text"}
    unknown = set(filters) - names
    if unknown:
        raise TypeError(f"unknown filter(s) {', '.join(sorted(unknown))}; filters are {', '.join(sorted(names))}")
    return Query(text=text, **filters)


def search(db, query: str | None = None, *, limit: int | None = 50, **filters: Any) -> list[dict]:
    """Claims matching ``query`` (full text, ranked by bm25) and ``filters``, best first;
    without ``query``, claims matching the filters, newest article first. A ``query``
    that matches more than :data:`RANK_WINDOW` claims ranks the newest of them, unless
    ``rank_all=True``.

    Filters are the :class:`Query` fields (see the module docstring). Each row has
    ``rank``, ``score`` (higher is better; None without a query), ``claim_id``, ``text``,
    ``sentence``, ``lang``, ``kind``, ``verdict`` (None when not reviewed), ``votes``,
    ``annotators``, ``reviewed_at``, the article's ``article_*`` fields, ``times``,
    ``quantities``, ``entities`` and ``evidence`` (``{url, note}`` links).
    """
    return run(db, make_query(query, limit=limit, **filters))


def list_verdicts(db, query: str | None = None, *, limit: int | None = None, **filters: Any) -> list[dict]:
    """Claims with at least one live verdict, newest review first, with the same
    filters (and optional full-text ``query``) and rows as :func:`search`."""
    filters.setdefault("include_rejected", True)
    return run(db, make_query(query, limit=limit, order="reviewed", **filters))


# --- flat output -----------------------------------------------------------------------

def _number(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:,.6g}"


def format_quantity(q: dict) -> str:
    """``~2,500,000 oil_barrel/day``, ``150–500 meter``, ``<130,000 oil_barrel/day``."""
    number = f"{_number(q['low'])}–{_number(q['high'])}" if q.get("value") is None and (
        q.get("low") is not None or q.get("high") is not None) else _number(q.get("value"))
    unit = f" {q['unit']}" if q.get("unit") else ""
    per = f"/{q['per']}" if q.get("per") else ""
    return f"{q.get('comparator') or ''}{'~' if q.get('approximate') else ''}{number}{unit}{per}"


def flat_row(row: dict) -> dict:
    """A result row as flat CSV columns (lists joined with " | ")."""
    flat = {k: row.get(k) for k in CSV_COLUMNS}
    flat["votes"] = "; ".join(f"{v}={n}" for v, n in (row.get("votes") or {}).items())
    flat["annotators"] = " | ".join(row.get("annotators") or [])
    flat["times"] = " | ".join(t["value"] or f"{t['text']}?" for t in row.get("times") or [])
    flat["quantities"] = " | ".join(format_quantity(q) for q in row.get("quantities") or [])
    flat["entities"] = " | ".join(e["text"] for e in row.get("entities") or [])
    flat["evidence"] = " | ".join(e["url"] for e in row.get("evidence") or [])
    flat["evidence_notes"] = " | ".join(e["note"] or "" for e in row.get("evidence") or [])
    return {k: "" if v is None else v for k, v in flat.items()}


def write_flat_csv(rows: Iterable[dict], fp: IO[str], columns: Sequence[str], flatten) -> int:
    """CSV with a header, each row passed through ``flatten`` (open ``fp`` with ``newline=""``);
    returns how many rows."""
    writer = csv.DictWriter(fp, fieldnames=columns)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(flatten(row))
        n += 1
    return n


def write_csv(rows: Iterable[dict], fp: IO[str]) -> int:
    """Flat CSV with a header (open ``fp`` with ``newline=""``); returns how many rows."""
    return write_flat_csv(rows, fp, CSV_COLUMNS, flat_row)


def write_jsonl(rows: Iterable[dict], fp: IO[str]) -> int:
    """One JSON object per row; returns how many."""
    n = 0
    for row in rows:
        fp.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


__all__ = [
    "Query", "build_sql", "build_candidates_sql", "build_filter_sql", "run", "search", "list_verdicts", "make_query",
    "prepare", "explain", "parse_unit",
    "time_span", "time_overlaps", "flat_row", "write_csv", "write_jsonl", "format_quantity",
]
