"""Claims → check-worthiness scores.

The extractor talks to any object with the ``Scorer`` shape: a ``version`` string and
a ``score(texts, langs)`` method returning one probability per text. A scorer that
embeds the texts may also offer ``score_with_vectors(texts, langs) -> (scores, vectors)``:
the vectors then ride on the claims (``Claim.vector``) to claim matching, which would
otherwise embed the same texts again. The trained
transformers classifier implements it; until a model is promoted the extractor runs
with ``scorer=None``, leaves ``checkworthiness`` null and decides ``is_claim`` by the
rules in :mod:`factcheck.extraction.kinds` alone.

With a scorer, the rules inform and the model judges (:func:`judge`): a number or a date
is kept whatever the score; an event, quote or comparison is kept when its score reaches
the threshold for its language (``Thresholds``); a candidate no rule marked either way is
kept when the model says so; a question, prediction, opinion or meta text the rules
rejected for a marker stays rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from factcheck.extraction.kinds import NO_MARKER
from factcheck.records import Claim


@runtime_checkable
class Scorer(Protocol):
    """Anything that scores sentences for check-worthiness."""

    version: str

    def score(self, texts: Sequence[str], langs: Sequence[str]) -> list[float]:
        """Probability in [0, 1] that each text is a check-worthy factual claim."""
        ...


@dataclass(slots=True)
class Thresholds:
    """Score at or above which a candidate counts as a claim, per language."""

    default: float = 0.5
    per_lang: dict[str, float] = field(default_factory=dict)

    def for_lang(self, lang: str) -> float:
        return self.per_lang.get(lang, self.default)


def apply_scores(
    texts: Sequence[str], langs: Sequence[str], scorer: Scorer | None, batch_size: int = 64
) -> tuple[list[float | None], list[Any]]:
    """Score ``texts`` in batches: (scores, vectors). ``None`` for every text when there
    is no scorer; vectors are ``None`` unless the scorer also gives the sentence vectors
    it computed (``score_with_vectors``), which claim matching then reuses."""
    if scorer is None:
        return [None] * len(texts), [None] * len(texts)
    with_vectors = getattr(scorer, "score_with_vectors", None)
    scores: list[float | None] = []
    vectors: list[Any] = []
    for i in range(0, len(texts), batch_size):
        if with_vectors is not None:
            part, part_vectors = with_vectors(texts[i : i + batch_size], langs[i : i + batch_size])
            scores.extend(part)
            vectors.extend(part_vectors)
        else:
            scores.extend(scorer.score(texts[i : i + batch_size], langs[i : i + batch_size]))
            vectors.extend([None] * len(texts[i : i + batch_size]))
    return scores, vectors


#: The least score at which the model keeps a candidate no rule marked: it must lean to a
#: claim, whatever a recall-first extraction threshold allows for the typed kinds.
OPEN_FLOOR = 0.5


def judge(claim: Claim, score: float, threshold: float, *, hard_kinds: Sequence[str] = ("numeric", "temporal")) -> None:
    """The model's verdict on one candidate the rules have typed; sets ``claim.is_claim``
    (and the kind and reasons when it changes them).

    * A number or a date (``hard_kinds``) is hard evidence of a checkable claim: the model
      ranks those but cannot veto them.
    * The softer claim kinds (event, quote, comparative), where the rules are weakest, are
      claims when the score reaches ``threshold``.
    * A candidate no rule marked either way (reason :data:`~factcheck.extraction.kinds.NO_MARKER`:
      no number, date, attribution or event found, and no opinion, prediction or question
      marker) becomes an ``event`` when the score reaches ``threshold`` and
      :data:`OPEN_FLOOR`: the rules found nothing to say, so the model judges, and must
      lean to a claim.
    * A candidate a rule rejected for a marker (question, prediction, opinion, meta) stays
      rejected: the whole statement is one.
    """
    if claim.is_claim:
        if claim.kind not in hard_kinds and score < threshold:
            claim.is_claim = False
            claim.reasons.append(f"check-worthiness {score:.2f} below threshold")
    elif claim.reasons[:1] == [NO_MARKER] and score >= max(threshold, OPEN_FLOOR):
        claim.is_claim = True
        claim.kind = "event"
        claim.reasons.append(f"no rule marked it; check-worthiness {score:.2f} reaches the threshold")
