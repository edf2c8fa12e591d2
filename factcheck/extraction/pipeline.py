"""Articles → atomic claim candidates: the pipeline that wires the stages together.

    blocks (ingest.split_blocks) → sentences (segment) → clauses (clauses)
    → quantities / times / entities per sentence, assigned to clauses
    → standalone text (carried subject and time anchor) → kind (kinds)
    → check-worthiness (score)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from factcheck.errors import FactcheckError, InputError
from factcheck.extraction import clauses as clause_mod
from factcheck.extraction.components import ENTITY_LABELS, span_ents
from factcheck.extraction.ingest import failure_cause, split_blocks
from factcheck.extraction.kinds import KindSignals, classify_kind
from factcheck.extraction.quantities import find_quantities
from factcheck.extraction.score import Scorer, Thresholds, apply_scores, judge
from factcheck.extraction.segment import detect_lang, iter_sentence_spans
from factcheck.extraction.times import LATIN_LETTER, find_times
from factcheck.records import (
    CLAIM_KINDS,
    Article,
    Block,
    Claim,
    Entity,
    Quantity,
    Sentence,
    TimeExpr,
    article_id,
    claim_id_for,
)

SEGMENTED_BLOCKS = ("body", "caption", "heading")
#: Claim kinds the check-worthiness model cannot reject (see extract_article).
HARD_KINDS = ("numeric", "temporal")
#: Candidates the model scores at once across articles (see :func:`extract_articles`).
SCORE_BATCH = 512
#: Characters of whole blocks parsed at once (see :func:`iter_candidate_windows`).
WINDOW_CHARS = 20_000
# Chinese and English words apart: a case-insensitive pattern with English words gets no
# fast scan, and the English one runs only on text with Latin letters.
_SOURCE_NOUN_ZH = re.compile(r"官员|发言人|报告|数据|声明|方面|媒体|公报|通报|白皮书|统计")
_SOURCE_NOUN_EN = re.compile(
    r"\bofficials?\b|spokes(?:wo)?man|spokesperson|\breport\b|statement|\bdata\b|ministry|agency|government",
    re.I,
)


def extract(
    text: str,
    lang: str | None = None,
    *,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
    scorer: Scorer | None = None,
    thresholds: Thresholds | None = None,
    include_rejected: bool = False,
) -> list[Claim]:
    """Extract atomic claims from one article's text.

    :param text: the article; offsets of the returned claims point into it.
    :param lang: force "zh" or "en" for every sentence (default: detected per sentence).
    :param published: ISO publication date, used to resolve 去年 / last year.
    :param scorer: a check-worthiness model (see :mod:`factcheck.extraction.score`); None leaves
        ``checkworthiness`` null.
    :param include_rejected: also return opinion / prediction / question / meta candidates.
    :returns: the claims in text order.
    """
    article = Article(text=text, title=title, url=url, published=published, source=None)
    claims = extract_article(article, lang=lang, scorer=scorer, thresholds=thresholds)
    return claims if include_rejected else [c for c in claims if c.is_claim]


def extract_articles(
    articles: Iterable[Article], *, scorer: Scorer | None = None, thresholds: Thresholds | None = None,
    lang: str | None = None, batch_candidates: int = SCORE_BATCH,
) -> Iterator[tuple[Article, list[Claim]]]:
    """Stream ``(article, candidates)`` pairs in input order; the first failure raises
    (:func:`extract_batch` reports it and goes on)."""
    for article, found in extract_batch(articles, scorer=scorer, thresholds=thresholds, lang=lang,
                                        batch_candidates=batch_candidates, guard=False):
        assert not isinstance(found, BaseException)  # guard=False raises instead
        yield article, found


Progress = Callable[[Article, int, int], None]
"""``progress(article, chars_done, chars_total)``: called after each window of an article."""


def extract_batch(
    articles: Iterable[Article], *, scorer: Scorer | None = None, thresholds: Thresholds | None = None,
    lang: str | None = None, batch_candidates: int = SCORE_BATCH, progress: Progress | None = None,
    guard: bool = True,
) -> Iterator[tuple[Article, list[Claim] | FactcheckError]]:
    """``(article, candidates)`` for each article, in input order, or ``(article, error)``
    for one that failed: any exception while extracting or scoring it (a bug, memory
    running out) becomes its F151 error and the others go on (``guard=False`` raises it).

    The rules run an article at a time, a window of paragraphs at a time
    (:func:`iter_candidate_windows`); the model scores the candidates of several articles
    at once, whenever about ``batch_candidates`` wait, so short articles share encoder
    batches of similar length instead of each padding its own, and a long one is scored
    as it goes. The batches depend only on the articles given, so the same articles
    give the same scores in one process or spread over many.
    """
    pending: list[_Pending] = []

    def score_pending() -> None:
        unscored = [c for p in pending for c in p.unscored]
        try:
            score_candidates(unscored, scorer, thresholds)
        except Exception:
            if not guard:
                raise
            for p in pending:  # find the article that failed; the others are scored alone
                if p.error is None and p.unscored:
                    try:
                        score_candidates(p.unscored, scorer, thresholds)
                    except Exception as exc:  # noqa: BLE001 - this article's failure only
                        p.error = unexpected_error(exc, p.article.source)
        for p in pending:
            p.unscored = []

    def waiting() -> int:
        return sum(len(p.unscored) for p in pending)

    for article in articles:
        current = _Pending(article)
        pending.append(current)
        try:
            for window in iter_candidate_windows(article, lang=lang):
                current.candidates.extend(window)
                current.unscored.extend(window)
                if waiting() >= batch_candidates:
                    score_pending()
                if progress is not None and window:
                    progress(article, window[-1].end, len(article.text))
        except Exception as exc:
            if not guard:
                raise
            current.error, current.unscored = unexpected_error(exc, article.source), []
        if scorer is None or waiting() >= batch_candidates:
            score_pending()
        if not waiting():
            yield from ((p.article, p.error or p.candidates) for p in pending)
            pending.clear()
    score_pending()
    yield from ((p.article, p.error or p.candidates) for p in pending)


@dataclass
class _Pending:
    """An article of :func:`extract_batch` whose candidates are found (some perhaps not scored yet)."""

    article: Article
    candidates: list[Claim] = field(default_factory=list)
    unscored: list[Claim] = field(default_factory=list)
    error: FactcheckError | None = None


def unexpected_error(exc: BaseException, source: str | None) -> FactcheckError:
    """An F-coded error (F151) for a failure nothing foresaw while extracting, scoring or
    storing an input (reading one is :func:`~factcheck.extraction.ingest.read_failure`, F150).
    A FactcheckError is returned as it is."""
    if isinstance(exc, FactcheckError):
        return exc
    return InputError(f"extracting failed: {failure_cause(exc)}", code="F151", source=source)


def extract_article(
    article: Article, *, lang: str | None = None, scorer: Scorer | None = None,
    thresholds: Thresholds | None = None,
) -> list[Claim]:
    """All candidates of one article (claims and rejected ones, ``is_claim`` tells)."""
    candidates = find_candidates(article, lang=lang)
    score_candidates(candidates, scorer, thresholds)
    return candidates


def find_candidates(article: Article, *, lang: str | None = None) -> list[Claim]:
    """The candidates of one article by the rules alone (not scored: see :func:`score_candidates`)."""
    return [claim for window in iter_candidate_windows(article, lang=lang) for claim in window]


def iter_candidate_windows(
    article: Article, *, lang: str | None = None, window_chars: int = WINDOW_CHARS
) -> Iterator[list[Claim]]:
    """The unscored candidates of one article, a window of paragraphs at a time.

    A long article is parsed ``window_chars`` at a time (whole blocks), so its spaCy
    documents never all sit in memory and a caller can show progress; the candidates
    are the same as in one pass (a sentence's context reaches into the neighbouring
    windows as it would).
    """
    text = article.text
    if not article.article_id:
        article.article_id = article_id(text)
    blocks = [b for b in split_blocks(text) if b.kind in SEGMENTED_BLOCKS]
    windows = (w for w in (_sentences_of(text, group, lang) for group in _block_windows(blocks, window_chars)) if w)
    previous: list = []
    current = next(windows, None)
    while current is not None:
        following = next(windows, None)
        yield _window_candidates(article, current, previous[-1:], (following or [])[:1])
        previous, current = current, following


def score_candidates(
    candidates: Sequence[Claim], scorer: Scorer | None, thresholds: Thresholds | None = None
) -> None:
    """Score ``candidates`` in place: ``checkworthiness``, ``model_version``, ``vector``,
    and ``is_claim`` where the model rejects a soft kind. Each distinct text is scored once."""
    if scorer is None or not candidates:
        return
    distinct: dict[tuple[str, str], int] = {}
    for claim in candidates:
        distinct.setdefault((claim.text, claim.lang), len(distinct))
    keys = list(distinct)
    # One call: the encoder sorts the texts by length across the whole lot.
    scores, vectors = apply_scores([t for t, _ in keys], [lang for _, lang in keys], scorer,
                                   batch_size=max(1, len(keys)))
    # A model brings the thresholds tuned for it (its recall-first extractor ones when
    # it has them); an explicit argument wins.
    thresholds = (
        thresholds or getattr(scorer, "extract_thresholds", None) or getattr(scorer, "thresholds", None) or Thresholds()
    )
    # Half precision: what the store keeps of them, at half the memory of a long article's candidates.
    vectors = [None if v is None else np.asarray(v, dtype=np.float16) for v in vectors]
    for claim in candidates:
        row = distinct[(claim.text, claim.lang)]
        score = scores[row]
        claim.vector = vectors[row]
        if score is not None:
            claim.checkworthiness = round(float(score), 4)
            claim.model_version = scorer.version
            judge(claim, score, thresholds.for_lang(claim.lang), hard_kinds=HARD_KINDS)


def _block_windows(blocks: Sequence[Block], window_chars: int) -> Iterator[list[Block]]:
    group: list[Block] = []
    size = 0
    for block in blocks:
        group.append(block)
        size += block.end - block.start
        if size >= window_chars:
            yield group
            group, size = [], 0
    if group:
        yield group


def _sentences_of(text: str, blocks: Sequence[Block], lang: str | None) -> list:
    sentences = list(iter_sentence_spans(text, blocks))
    if lang:
        for sentence, _, _ in sentences:
            sentence.lang = lang
    return sentences


def _window_candidates(article: Article, sentences: list, before: list, after: list) -> list[Claim]:
    """The candidates of one window's sentences; ``before``/``after``: the neighbouring
    windows' nearest sentence, for the context of the first and last."""
    # Each finder runs over all sentences in turn, not all finders per sentence: a loop
    # that stays in one stage's code and tables runs faster (about 0.02 ms a sentence).
    found_quantities = [find_quantities(s.text, s.lang) for s, _, _ in sentences]
    found_times = [find_times(s.text, s.lang, article.published) for s, _, _ in sentences]
    found_clauses = [clause_mod.split_clauses(s, span, base) for s, span, base in sentences]
    around = [*before, *sentences, *after]
    shift = len(before)
    candidates: list[Claim] = []
    for index, (sentence, span, base) in enumerate(sentences):
        at = index + shift
        context = " ".join(
            s.text for s, _, _ in around[max(0, at - 1) : at + 2] if s.block == sentence.block
        )
        found = _sentence_candidates(
            article, sentence, span, base, context,
            found_quantities[index], found_times[index], found_clauses[index],
        )
        previous = around[at - 1][0].text if at > 0 else ""
        for claim, clause in zip(found, found_clauses[index]):  # one claim per clause, in order
            if clause.elliptical:
                claim.antecedent = previous
        candidates.extend(found)
    return candidates


@dataclass(slots=True)
class Parsed:
    """The quantities and time expressions of a text, as the extractor reads them."""

    lang: str
    quantities: list[Quantity]
    times: list[TimeExpr]


def parse(text: str, lang: str | None = None, *, published: str | None = None) -> Parsed:
    """How factcheck reads the numbers and times of ``text`` (any text, not only claims):
    every quantity and time expression, with offsets into ``text``. A number that is part
    of a time (the 2019 of 2019年9月) is the time's, as in extraction.

    :param lang: "zh" or "en" (default: detected from the script).
    :param published: the publication date (ISO) that relative times resolve against.
    """
    lang = lang or detect_lang(text)
    times = find_times(text, lang, published)
    return Parsed(lang, _without_times(find_quantities(text, lang), times), times)


def whole_text_claim(article: Article, lang: str, *, doc=None, reasons: Sequence[str] = ()) -> Claim:
    """One claim spanning all of ``article.text``: a claim as a fact-checker publishes it,
    read by the extractor's own finders, entity labels and kind rules (the entities from
    the spaCy ``doc`` of the text, when given), with the extractor's ids."""
    text = article.text
    times = find_times(text, lang, article.published)
    quantities = _without_times(find_quantities(text, lang), times)
    entities = [Entity(e.text, e.label_, e.start_char, e.end_char) for e in (doc.ents if doc is not None else ())
                if e.label_ in ENTITY_LABELS]
    kind, why = classify_kind(KindSignals(
        lang=lang, text=text, sentence=text, has_quantity=bool(quantities),
        has_absolute_time=any(t.value for t in times), has_entity=bool(entities), named_source=bool(entities)))
    return Claim(
        claim_id=claim_id_for(article.article_id, 0, len(text)), article_id=article.article_id, lang=lang, text=text,
        sentence=text, start=0, end=len(text), kind=kind, is_claim=kind in CLAIM_KINDS, quantities=quantities,
        times=times, entities=entities, sentence_start=0, sentence_end=len(text), reasons=[*why, *reasons],
    )


def _sentence_candidates(
    article: Article, sentence: Sentence, span, base: int, context: str,
    quantities: list[Quantity], times: list[TimeExpr], clauses: list,
) -> list[Claim]:
    """The claims of one sentence, from what the finders found in it (offsets into the
    sentence for quantities and times, into the article for clauses)."""
    text = article.text
    quantities = _without_times(_shift(quantities, sentence.start), _shift(times, sentence.start))
    entities = [
        Entity(ent.text, ent.label_, base + ent.start_char, base + ent.end_char)
        for ent in span_ents(span)
        if ent.label_ in ENTITY_LABELS
    ]
    # Only a time at the head of its clause (截至2019年9月，… / By 2019, …) anchors the
    # clauses after it; one inside a noun phrase (去年以伊互相轰炸之前的情况) does not.
    anchors = [t for t in times if any(_heads_clause(text, t, c) for c in clauses)]
    # Whether the attribution names its source matters only to attributed clauses.
    named_source = bool(entities) or (
        any(c.attributed or c.source for c in clauses)
        and _mentions(sentence.text, _SOURCE_NOUN_ZH, _SOURCE_NOUN_EN)
    )
    claims = []
    for clause in clauses:
        own_q = [q for q in quantities if clause.start <= q.start and q.end <= clause.end]
        own_t = [t for t in times if clause.start <= t.start and t.end <= clause.end]
        own_e = [e for e in entities if clause.start <= e.start and e.end <= clause.end]
        clause_text = text[clause.start : clause.end]
        carried: dict[str, str] = {}
        if clause.gapped_verb:  # 诺基亚捐5000万，苹果40万 → 苹果捐40万
            at = clause.gapped_at - clause.start
            clause_text = clause_text[:at] + clause.gapped_verb + clause_text[at:]
            carried["verb"] = clause.gapped_verb
        prefix = ""
        if not own_t and anchors and clause.takes_time:  # only into clauses of the anchor's event chain
            earlier = [t for t in anchors if t.end <= clause.start]
            if earlier and not _mentions(clause_text, _OWN_TIME_WORD_ZH, _OWN_TIME_WORD_EN):
                anchor = earlier[-1]
                own_t = [anchor]
                carried["time"] = anchor.text
                prefix = _time_prefix(anchor.text, sentence.lang)
        body = clause_text
        if clause.subject:
            carried["subject"] = clause.subject
            own_e = [e for e in entities if e.text == clause.subject][:1] + own_e
            if sentence.lang == "zh":
                body = clause.subject + clause_mod.strip_leading_conjunction(clause_text)
            else:
                body = f"{clause.subject} {clause_text}"
        if clause.source and clause.source not in clause_text:
            carried["source"] = clause.source
            prefix = f"{clause.source}，" + prefix if sentence.lang == "zh" else f"{clause.source}, " + prefix
        standalone = prefix + body
        if sentence.lang == "en" and standalone:
            standalone = standalone[0].upper() + standalone[1:]
        kind, reasons = classify_kind(
            KindSignals(
                lang=sentence.lang,
                text=clause_text,
                sentence=sentence.text,
                block=sentence.block,
                has_quantity=bool(own_q),
                has_absolute_time=any(t.value for t in own_t),
                has_entity=bool(own_e),
                attributed=clause.attributed or bool(clause.source),
                named_source=named_source,
            )
        )
        claims.append(
            Claim(
                claim_id=claim_id_for(article.article_id, clause.start, clause.end),
                article_id=article.article_id,
                lang=sentence.lang,
                text=standalone,
                sentence=sentence.text,
                start=clause.start,
                end=clause.end,
                kind=kind,
                is_claim=kind in CLAIM_KINDS,
                quantities=own_q,
                times=own_t,
                entities=own_e,
                sentence_start=sentence.start,
                sentence_end=sentence.end,
                context=context,
                is_caption=sentence.block == "caption",
                carried=carried,
                reasons=reasons,
            )
        )
    return claims


_LEAD_IN = re.compile(
    r"^(而|但|并|且|就|早在|最后|最终|随后|此后|直到|然而|同时|此外|另外|and|but|then|yet)?\W*$", re.I
)


# 2015年达成的协议: the time modifies a noun ("…的"), it does not anchor the sentence.
_ATTRIBUTIVE = re.compile(r"^[\u4e00-\u9fff]{0,4}的")
# A clause with its own time word keeps its own time.
_OWN_TIME_WORD_ZH = re.compile(r"现在|目前|如今|当前|眼下|此前|之后|今后|未来")
_OWN_TIME_WORD_EN = re.compile(r"\bnow\b|\bcurrently\b|\btoday\b", re.I)


def _mentions(text: str, zh: re.Pattern, en: re.Pattern) -> bool:
    return bool(zh.search(text) or (LATIN_LETTER.search(text) and en.search(text)))


def _heads_clause(text: str, time: TimeExpr, clause) -> bool:
    if not (clause.start <= time.start < clause.end):
        return False
    if _ATTRIBUTIVE.match(text[time.end : clause.end]):
        return False
    return bool(_LEAD_IN.match(text[clause.start : time.start]))


def _time_prefix(anchor: str, lang: str) -> str:
    if lang == "zh":
        return f"{anchor}，"
    return f"{anchor[0].upper()}{anchor[1:]}, "


def _shift(records: list, offset: int) -> list:
    """Move the finders' records (fresh objects, owned by the caller) into article offsets."""
    for r in records:
        r.start += offset
        r.end += offset
    return records


def _overlaps(a: Quantity | TimeExpr, b: Quantity | TimeExpr) -> bool:
    return a.start < b.end and b.start < a.end


def _without_times(quantities: list[Quantity], times: list[TimeExpr]) -> list[Quantity]:
    """The quantities that are not part of a time (2019年 is a year, not 2019 count)."""
    return [q for q in quantities if not any(_overlaps(q, t) for t in times)] if times else quantities
