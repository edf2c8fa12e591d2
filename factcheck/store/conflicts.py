"""Conflicts: pairs of claims from different documents that give different numbers for
the same measure of the same thing.

Candidates come from claim matching's neighbours (:mod:`factcheck.store.matching`); a
neighbour is a conflict only when :func:`conflict_between` (pure) finds that both claims
speak of one measure and their numbers cannot both be true:

==============  =========================================================================
measure         the same measure words (exports, 通胀, enrichment, 谈判, ...; ``MEASURES``)
                on both sides, in either language: 50% inflation is no answer to 60% enrichment
thing           the same goods (oil, 天然气, uranium) where both name some, and the same
                places and institutions on both sides (Iran = 伊朗, 美國 = 美国 = United
                States: CLDR's territory names in Babel); in one language, the same named
                people and organisations, tagged or capitalised (Tesla vs BYD); Traditional
                script is read as Simplified
kind of figure  an actual figure is not a cap, target or forecast (上限300公斤 vs 逾400公斤)
time            resolved times overlap and written years agree, or neither side says when
numbers         the same dimensions on both sides; a change ("from X to Y", 从X降至Y) is
                compared end to end with another change, and a single figure conflicts
                with it only when it fits neither end; bounds are intervals (不足13万 and
                "under 130,000" agree, 不足13万 and 12万 agree), two bounds the same way
                compare their figures
==============  =========================================================================

The rules are measured on ``tests/data/conflicts.jsonl`` (hand-written pairs) by
``bench/conflicts.py``, against matching's earlier "same claim, other number" rule.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from factcheck.store.matching import (
    CONFLICT_SIMILARITY,
    NEIGHBOURS,
    Amount,
    ClaimIndex,
    Comparison,
    Facts,
    _chunks,
    _vectors_of,
    amounts_agree,
    different_names,
    judge,
    load_facts,
    times_agree,
)

# --- what a claim measures: words by concept, Chinese | English -----------------------
# English entries are word starts (export matches exports, exported); longer entries win
# where they overlap (国内生产总值 is GDP, not 生产 production).

#: The measure a figure is of.
MEASURES: dict[str, str] = {
    "exports": "出口|外销|export",
    "imports": "进口|import",
    "production": "产量|日产|生产|产出|produc|output",
    "sales": "销量|销售|售出|sold|sales|sell",
    "deliveries": "交付|deliver",
    "inflation": "通胀|通膨|通货膨胀|消费者物价|cpi|inflation|consumer price",
    "unemployment": "失业|unemploy|jobless",
    "gdp": "国内生产总值|gdp|经济增长|经济增速|经济|economy|economic growth|gross domestic product",
    "enrichment": "浓缩|丰度|enrich",
    "stockpile": "库存|stockpile",
    "population": "人口|population",
    "interest rate": "利率|基准利率|interest rate|benchmark rate|main rate|policy rate",
    "tariff": "关税|tariff",
    "visitors": "游客|旅客|访客|tourist|visitor",
    "revenue": "收入|营收|revenue|income",
    "emissions": "排放|emission",
    "centrifuges": "离心机|centrifuge",
    "talks": "谈判|谈了|会谈|磋商|talks|negotiat",
    "investigation": "调查|investigat|probe",
    "poverty": "贫困|poverty",
    "deaths": "死亡|病亡|遇难|death|died|killed",
    "cases": "病例|确诊|感染|cases|infect",
    "budget": "预算|支出|开支|budget|spending",
    "debt": "债务|debt",
    "investment": "投资|invest",
    "price": "价格|油价|房价|金价|price",
    "surplus": "顺差|surplus",
    "deficit": "逆差|赤字|deficit",
    "market share": "市场份额|份额|market share",
    "vaccination": "接种|疫苗|vaccin",
    "reserves": "储备|外汇储备|reserves",
    "wages": "工资|薪酬|wage|salar",
    "capacity": "装机|产能|capacity",
}
#: The goods a figure is about.
GOODS: dict[str, str] = {
    "oil": "石油|原油|油|oil|crude|petroleum",
    "gas": "天然气|液化天然气|gas|lng",
    "uranium": "铀|uranium",
    "coal": "煤炭|煤|coal",
    "ev": "电动汽车|电动车|新能源汽车|electric car|electric vehicle|new energy vehicle|ev|evs",
    "car": "汽车|轿车|car|cars|vehicle",
    "chips": "芯片|半导体|chip|semiconductor",
    "steel": "钢铁|钢材|steel",
    "soybeans": "大豆|soybean",
    "electricity": "电力|发电|electricity",
}
#: A figure that is not (yet) the fact: a cap, a target, a forecast.
MODALITIES: dict[str, str] = {
    "limit": "上限|封顶|限额|不得超过|cap|capped|ceiling|limit",
    "target": "目标|力争|计划|target|aim|goal|plan",
    "forecast": "预计|预测|预期|有望|forecast|expect|projected|predict",
}
#: Places and institutions CLDR has no territory for, and common short names.
ACTORS: dict[str, str] = {
    "US": "US|U.S.|USA|America|American",
    "GB": "UK|U.K.|Britain|British",
    "EU": "欧盟|EU|European Union",
    "SA": "沙特|Saudi",
    "TR": "土耳其|Turkey|Turkish",
    "IR": "Iranian",
    "IQ": "Iraqi",
    "CN": "Chinese",
    "RU": "Russian",
    "DE": "German",
    "JP": "Japanese",
    "FR": "French",
    "IN": "Indian",
    "BR": "Brazilian",
    "AR": "Argentine|Argentinian",
    "Fed": "美联储|联储|Federal Reserve|the Fed",
    "ECB": "欧洲央行|欧洲中央银行|European Central Bank|ECB",
    "OPEC": "欧佩克|石油输出国组织|OPEC",
    "IAEA": "国际原子能机构|IAEA|International Atomic Energy Agency",
}


def _finder(vocabulary: dict[str, list[str]], *, whole_words: bool) -> Callable[[str], frozenset[str]]:
    """A function text → concepts named in it, longest surface first; English entries
    match at a word start (whole words when ``whole_words``), ignoring case."""
    surfaces = sorted(((s, key) for key, words in vocabulary.items() for s in words), key=lambda sk: -len(sk[0]))
    concept_of = {s.lower(): key for s, key in surfaces}
    parts = []
    for surface, _ in surfaces:
        body = re.escape(surface)
        if surface.isascii():
            body = rf"(?<![A-Za-z]){body}" + (r"(?![A-Za-z])" if whole_words else "")
        parts.append(body)
    pattern = re.compile("|".join(parts), re.IGNORECASE)

    def find(text: str) -> frozenset[str]:
        return frozenset(concept_of[m.group(0).lower()] for m in pattern.finditer(text))

    return find


def _split(vocabulary: dict[str, str]) -> dict[str, list[str]]:
    return {key: words.split("|") for key, words in vocabulary.items()}


@lru_cache(maxsize=1)
def _finders() -> dict[str, Callable[[str], frozenset[str]]]:
    return {"measures": _finder(_split(MEASURES), whole_words=False),
            "goods": _finder(_split(GOODS), whole_words=False),
            "modality": _finder(_split(MODALITIES), whole_words=False)}


@lru_cache(maxsize=1)
def _places() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern of every place and institution name (CLDR's territories in English,
    Simplified and Traditional Chinese, and ``ACTORS``) and each name's code. English
    names are case-sensitive (US, not "us") and whole words."""
    from babel import Locale

    names: dict[str, list[str]] = {key: [] for key in ACTORS}
    for locale in ("en", "zh", "zh_Hant"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(code, []).append(name)
    for key, words in _split(ACTORS).items():
        names[key] += words
    surfaces = sorted(((s, key) for key, words in names.items() for s in words if s), key=lambda sk: -len(sk[0]))
    code_of = {s: key for s, key in reversed(surfaces)}
    pattern = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(s)}(?![A-Za-z])" if s.isascii() else re.escape(s)
                                  for s, _ in surfaces))
    return pattern, code_of


def places_of(text: str) -> frozenset[str]:
    """Codes of the places and institutions ``text`` names (伊朗, Iranian → IR)."""
    pattern, code_of = _places()
    return frozenset(code_of[m.group(0)] for m in pattern.finditer(text))


# Capitalised words that are not names: sentence starters, months, days, units, measures.
_NOT_NAMES = frozenset(
    "A An The In On At By Under Since From For Of To And But Or As After Before Last This That These Those It Its "
    "According Over About Some Each Every Both Only Also While When Where Officials Government "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday GDP CPI LNG EV EVs".split())
_CAPITALISED = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z&.-]*[A-Za-z]")


def other_names(text: str) -> frozenset[str]:
    """Capitalised English words that are neither a known place or institution nor a
    common word: the names a small NER model may miss (Tesla, BYD)."""
    text = _places()[0].sub(" ", text)  # the Federal Reserve is an institution we know
    return frozenset(w for w in _CAPITALISED.findall(text) if w not in _NOT_NAMES)


@dataclass(frozen=True, slots=True)
class Subject:
    """What a claim's figures are of: see the module docstring."""

    measures: frozenset[str]
    goods: frozenset[str]
    places: frozenset[str]
    modality: frozenset[str]


def subject_of(text: str) -> Subject:
    """The :class:`Subject` of a claim's text: Chinese (Simplified or Traditional) or English."""
    from factcheck.extraction.numerals import script_table

    find = _finders()
    text = text.translate(script_table())  # 進口 is 进口, 濃縮 is 浓缩: the word lists are Simplified
    return Subject(find["measures"](text), find["goods"](text), places_of(text), find["modality"](text))


# --- the pure decision ------------------------------------------------------------------


def _interval(a: Amount) -> tuple[float, float]:
    """The values ``a`` allows: a bound is half open, an exact figure ±1% (±5% approximate)."""
    tol = 0.05 if a.approximate else 0.01
    low = -math.inf if a.low is None else a.low
    high = math.inf if a.high is None else a.high
    low, high = low - abs(low) * tol, high + abs(high) * tol
    if a.comparator in ("<", "<="):
        low = -math.inf
    elif a.comparator in (">", ">="):
        high = math.inf
    return low, high


def _direction(a: Amount) -> str | None:
    return {"<": "<", "<=": "<", ">": ">", ">=": ">"}.get(a.comparator or "")


def figures_fit(a: Amount, b: Amount) -> bool:
    """Whether two figures of one dimension can both be true: two bounds the same way
    (under 130,000 / under 300,000) are two reports of one figure and compare as figures;
    otherwise their intervals must overlap (不足13万 and 12万 do)."""
    if _direction(a) and _direction(a) == _direction(b):
        return amounts_agree(a, b)
    (low_a, high_a), (low_b, high_b) = _interval(a), _interval(b)
    return low_a <= high_b and low_b <= high_a


def _by_dimension(amounts: Iterable[Amount]) -> dict[tuple, list[Amount]]:
    out: dict[tuple, list[Amount]] = {}
    for a in amounts:
        out.setdefault(a.dimension, []).append(a)
    return out


def _unfit(ours: list[Amount], theirs: list[Amount]) -> list[tuple[str, str]]:
    """Figures of one dimension that cannot both be true. Equal counts (two changes) are
    compared in order, start with start and end with end; otherwise each figure of the
    shorter side must fit some figure of the longer (13万 is the end of 250万→13万)."""
    if len(ours) == len(theirs):
        return [(a.text, b.text) for a, b in zip(ours, theirs) if not figures_fit(a, b)]
    short, long_ = (ours, theirs) if len(ours) < len(theirs) else (theirs, ours)
    unfit = [(a.text, long_[-1].text) for a in short if not any(figures_fit(a, b) for b in long_)]
    return unfit if short is ours else [(y, x) for x, y in unfit]


def conflict_between(ours: Facts, theirs: Facts, similarity: float) -> Comparison:
    """Whether two claims give different numbers for the same measure of the same thing.

    :returns: a :class:`~factcheck.store.matching.Comparison` whose ``outcome`` is
        ``"conflict"`` (``disagreeing`` holds the figures), ``"agree"`` or ``"different"``
        (another measure, thing, time or kind of figure; ``reason`` says which).
    """
    pair = "same" if ours.lang == theirs.lang else "cross"
    if similarity < CONFLICT_SIMILARITY[pair]:
        return Comparison("different", f"wording too far apart ({similarity:.2f})")
    a, b = subject_of(ours.text), subject_of(theirs.text)
    if not a.measures or a.measures != b.measures:
        shown = f"{', '.join(sorted(a.measures)) or '?'} vs {', '.join(sorted(b.measures)) or '?'}"
        return Comparison("different", f"not the same measure ({shown})")
    if a.goods and b.goods and a.goods != b.goods:
        return Comparison("different", f"other goods ({', '.join(sorted(a.goods))} vs {', '.join(sorted(b.goods))})")
    if a.places != b.places:
        return Comparison("different", f"other places ({', '.join(sorted(a.places)) or '-'} vs "
                          f"{', '.join(sorted(b.places)) or '-'})")
    if pair == "same" and different_names(ours.entities, theirs.entities):
        return Comparison("different", "names different people, places or organisations")
    names_a, names_b = other_names(ours.text), other_names(theirs.text)
    if names_a and names_b and not names_a & names_b:
        return Comparison("different", f"names others ({', '.join(sorted(names_a))} vs {', '.join(sorted(names_b))})")
    if a.modality != b.modality:
        return Comparison("different", f"not the same kind of figure ({', '.join(sorted(a.modality)) or 'actual'} "
                          f"vs {', '.join(sorted(b.modality)) or 'actual'})")
    if times_agree(ours.times, theirs.times) is False or (ours.years and theirs.years
                                                           and not ours.years & theirs.years):
        return Comparison("different", "different time")
    if bool(ours.times or ours.years) != bool(theirs.times or theirs.years):
        # a dated figure and an undated one need not be of the same time (had run at 2.5
        # million a day, before the sanctions, vs 去年回升至150万)
        return Comparison("different", "only one side says when")
    ours_dims, theirs_dims = _by_dimension(ours.amounts), _by_dimension(theirs.amounts)
    if not ours_dims or set(ours_dims) != set(theirs_dims):
        return Comparison("different", "figures of different kinds (units, rates or qualifiers)")
    disagreeing = [d for dim in ours_dims for d in _unfit(ours_dims[dim], theirs_dims[dim])]
    if disagreeing:
        shown = "; ".join(f"{x} vs {y}" for x, y in disagreeing)
        return Comparison("conflict", f"same measure, different numbers: {shown}", 0, disagreeing)
    return Comparison("agree", "same measure, numbers that fit", sum(map(len, ours_dims.values())))


# --- the store edge ---------------------------------------------------------------------


@dataclass(slots=True)
class Conflict:
    claim_id: str
    other_id: str
    similarity: float
    reason: str
    disagreeing: list[tuple[str, str]]


def find_conflicts(db, *, index: ClaimIndex | None = None, article_id: str | None = None, k: int = NEIGHBOURS,
                   progress: Callable[[int], None] | None = None, batch_size: int = 512) -> list[Conflict]:
    """Pairs of claims (different documents) that :func:`conflict_between` finds in conflict.

    Each pair is reported once. ``article_id`` limits the left side to one article.
    """
    index = index or ClaimIndex(db)
    index.sync()
    sql = ("select c.id, c.article_id, a.doc_key, k.key from claims c join articles a on a.id = c.article_id "
           "join claim_keys k on k.claim_id = c.id where c.is_claim = 1 "
           "and exists (select 1 from quantities q where q.claim_id = c.id)")
    params: list = []
    if article_id:
        sql += " and c.article_id = ?"
        params.append(article_id)
    rows = db.execute(sql, params).fetchall()
    seen: set[tuple[str, str]] = set()
    conflicts: list[Conflict] = []
    for chunk in _chunks(rows, batch_size):
        ids = [r[0] for r in chunk]
        facts = load_facts(db, ids)
        vectors = _vectors_of(index, ids)
        found = judge(index, [facts[i] for i in ids], vectors, exclude_articles=[r[1] for r in chunk],
                      exclude_docs=[r[2] for r in chunk], k=k)
        others = load_facts(db, {f.other_id for row in found for f in row})
        for cid, row in zip(ids, found):
            for f in row:
                pair = tuple(sorted((cid, f.other_id)))
                if pair in seen or f.other_id not in others:
                    continue
                judged = conflict_between(facts[cid], others[f.other_id], f.similarity)
                if judged.outcome == "conflict":
                    seen.add(pair)
                    conflicts.append(Conflict(cid, f.other_id, f.similarity, judged.reason, judged.disagreeing))
        if progress:
            progress(len(chunk))
    conflicts.sort(key=lambda c: -c.similarity)
    return conflicts


@dataclass(slots=True)
class ConflictPair:
    """A :class:`Conflict` with both claims and where each comes from: ``claim`` and
    ``other`` hold ``claim_id``, ``text``, ``article_title``, ``article_url``, ``source``
    and ``published``."""

    similarity: float
    reason: str
    disagreeing: list[tuple[str, str]]
    claim: dict
    other: dict

    def as_dict(self) -> dict:
        """The pair as plain JSON data (similarity to 4 decimals)."""
        return {"similarity": round(self.similarity, 4), "reason": self.reason,
                "disagreeing": [list(d) for d in self.disagreeing], "claims": [self.claim, self.other]}


def list_conflicts(
    db, *, article_id: str | None = None, index: ClaimIndex | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> list[ConflictPair]:
    """Conflicting claims with both sources (``factcheck conflicts``), closest pairs first.

    Embeds the claims stored since the last sync, then runs :func:`find_conflicts`.

    :param db: the store.
    :param article_id: only conflicts involving claims of this article.
    :param index: the store's :class:`ClaimIndex` (default: a new one).
    :param progress: ``progress(stage, total) -> advance``, for the stages
        ``"embedding new claims"`` and ``"comparing"`` (claims with a quantity).
    :returns: one :class:`ConflictPair` per pair, both sides with their article.
    """
    index = index or ClaimIndex(db)
    advance = progress("embedding new claims", len(index.missing())) if progress else None
    index.sync(progress=advance)
    if progress:
        total = db.execute("select count(*) from claims c where is_claim = 1 and "
                           "exists (select 1 from quantities q where q.claim_id = c.id)"
                           + (" and article_id = ?" if article_id else ""),
                           [article_id] if article_id else []).fetchone()[0]
        advance = progress("comparing", total)
    found = find_conflicts(db, index=index, article_id=article_id, progress=advance)
    sides = {r["id"]: {"claim_id": r["id"], "text": r["text"], "article_title": r["title"], "article_url": r["url"],
                       "source": r["source"], "published": r["published"]} for r in db.query(
        "select c.id, c.text, a.title, a.url, a.source, a.published from claims c "
        "join articles a on a.id = c.article_id where c.id in (select value from json_each(?))",
        [json.dumps(sorted({x for c in found for x in (c.claim_id, c.other_id)}))])}
    return [ConflictPair(c.similarity, c.reason, c.disagreeing, sides[c.claim_id], sides[c.other_id]) for c in found]
