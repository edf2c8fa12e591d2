"""Articles → atomic claim candidates: the pipeline that wires the stages together.

    blocks (ingest.split_blocks) → sentences (segment) → clauses (clauses)
    → quantities / times / entities per sentence, assigned to clauses
    → standalone text (carried subject and time anchor) → kind (kinds)
    → check-worthiness (score)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from factcheck.extraction import clauses as clause_mod
from factcheck.extraction.components import ENTITY_LABELS, span_ents
from factcheck.extraction.ingest import split_blocks
from factcheck.extraction.kinds import KindSignals, classify_kind
from factcheck.extraction.quantities import find_quantities
from factcheck.extraction.score import Scorer, Thresholds, apply_scores
from factcheck.extraction.segment import detect_lang, iter_sentence_spans
from factcheck.extraction.times import LATIN_LETTER, find_times
from factcheck.records import (
    CLAIM_KINDS,
    Article,
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
    lang: str | None = None,
) -> Iterator[tuple[Article, list[Claim]]]:
    """Stream ``(article, candidates)`` pairs, one article at a time."""
    for article in articles:
        yield article, extract_article(article, scorer=scorer, thresholds=thresholds, lang=lang)


def extract_article(
    article: Article, *, lang: str | None = None, scorer: Scorer | None = None,
    thresholds: Thresholds | None = None,
) -> list[Claim]:
    """All candidates of one article (claims and rejected ones, ``is_claim`` tells)."""
    text = article.text
    if not article.article_id:
        article.article_id = article_id(text)
    blocks = [b for b in split_blocks(text) if b.kind in SEGMENTED_BLOCKS]
    sentences = list(iter_sentence_spans(text, blocks))
    if lang:
        for sentence, _, _ in sentences:
            sentence.lang = lang
    # Each finder runs over all sentences in turn, not all finders per sentence: a loop
    # that stays in one stage's code and tables runs faster (about 0.02 ms a sentence).
    found_quantities = [find_quantities(s.text, s.lang) for s, _, _ in sentences]
    found_times = [find_times(s.text, s.lang, article.published) for s, _, _ in sentences]
    found_clauses = [clause_mod.split_clauses(s, span, base) for s, span, base in sentences]
    candidates: list[Claim] = []
    for index, (sentence, span, base) in enumerate(sentences):
        context = " ".join(
            s.text for s, _, _ in sentences[max(0, index - 1) : index + 2] if s.block == sentence.block
        )
        candidates.extend(
            _sentence_candidates(
                article, sentence, span, base, context,
                found_quantities[index], found_times[index], found_clauses[index],
            )
        )
    scores, vectors = apply_scores([c.text for c in candidates], [c.lang for c in candidates], scorer)
    # A model brings the thresholds tuned for it (its recall-first extractor ones when
    # it has them); an explicit argument wins.
    thresholds = (
        thresholds or getattr(scorer, "extract_thresholds", None) or getattr(scorer, "thresholds", None) or Thresholds()
    )
    for claim, score, vector in zip(candidates, scores, vectors):
        claim.vector = vector
        if score is not None:
            claim.checkworthiness = round(float(score), 4)
            claim.model_version = scorer.version if scorer else None
            # A number or a date is hard evidence of a checkable claim: the model ranks
            # those but cannot veto them; it filters the softer kinds (event, quote,
            # comparative), where the rules are weakest.
            if claim.is_claim and claim.kind not in HARD_KINDS and score < thresholds.for_lang(claim.lang):
                claim.is_claim = False
                claim.reasons.append(f"check-worthiness {score:.2f} below threshold")
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
        prefix = ""
        if not own_t and anchors:
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
