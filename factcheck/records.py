"""Plain records passed between the stages of the pipeline.

Every stage takes and returns these dataclasses; nothing here does I/O. Offsets are
Unicode code-point offsets into ``Article.text`` unless a docstring says otherwise
(the pure finders in ``quantities`` and ``times`` return offsets into the string they
were given, and ``extract`` shifts them).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]

#: The verdicts an annotator (or an imported fact-check) gives a claim.
VERDICTS = ("supported", "refuted", "misleading", "unverifiable", "not a claim")


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def claim_id_for(article_id: str, start: int, end: int) -> str:
    """Stable id of a claim: the same article text and span always give the same id."""
    return hashlib.sha256(f"{article_id}:{start}:{end}".encode()).hexdigest()[:16]

#: Kinds of candidates that are checkable claims.
CLAIM_KINDS = ("numeric", "temporal", "event", "quote", "comparative")
#: Kinds of candidates that are rejected (not claims).
NON_CLAIM_KINDS = ("opinion", "prediction", "question", "meta")

#: Comparators a quantity may carry.
COMPARATORS = ("<", "<=", ">", ">=")


@dataclass(slots=True)
class Quantity:
    """A number with its unit, as written in the text.

    ``value`` is set for a single number; a range sets ``low`` and ``high`` and leaves
    ``value`` as ``None`` (never a midpoint). ``unit`` is a canonical name from
    ``factcheck.extraction.units.UNITS``; ``per`` is the canonical time unit of a rate
    ("day" for 桶/日, "a day", 每天). ``comparator`` is one of ``COMPARATORS`` or None.
    ``item`` names what a bare count counts (离心机, centrifuges) when it can be read.
    """

    text: str
    start: int
    end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    per: str | None = None
    comparator: str | None = None
    approximate: bool = False
    item: str | None = None


@dataclass(slots=True)
class TimeExpr:
    """A calendar time expression.

    ``value`` is an ISO 8601 partial date ("2019-09", "2025-04-13", "2015") or an
    EDTF-style unspecified decade/century ("195X", "20XX"). ``kind`` is the
    granularity: "date", "week" ("2025-W20"), "month", "quarter" ("2024-Q3"), "year",
    "decade" or "century"; a range such as 2015年至2018年 is one expression whose value
    is an EDTF interval ("2015/2018").
    ``relative`` expressions (去年, last year) are resolved against the article's
    publication date; without one ``value`` is None and ``resolved`` is False.
    ``relation`` says how the claim relates to the time: "by" (截至, as of), "since",
    "until", "before", "after", or None for a plain point. ``qualifier`` is "start",
    "mid", "end" (年初, 年中, 年底; early/mid/late), "first_half" or "second_half".
    """

    text: str
    start: int
    end: int
    value: str | None
    kind: str
    relative: bool = False
    resolved: bool = True
    relation: str | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class Entity:
    """A named entity: PERSON, ORG, GPE, LOC, NORP, LAW, EVENT, FAC, PRODUCT, WORK_OF_ART."""

    text: str
    label: str
    start: int
    end: int


@dataclass(slots=True)
class Article:
    """One input document, decoded. ``text`` is what all offsets point into."""

    text: str
    article_id: str = ""
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, when known
    source: str | None = None  # path, "<stdin>", or a caller's label
    encoding: str | None = None
    format: str = "txt"
    replacements: list[int] = field(default_factory=list)  # input byte offsets decoded as U+FFFD


@dataclass(slots=True)
class Block:
    """A line or paragraph of an article, classified before sentence splitting.

    ``kind`` is "body", "caption", "heading", "byline", "credit" or "debris";
    only body, caption and heading blocks are segmented into sentences.
    """

    start: int
    end: int
    kind: str


@dataclass(slots=True)
class Sentence:
    text: str
    start: int
    end: int
    lang: str
    block: str = "body"  # kind of the Block it came from


@dataclass(slots=True)
class Claim:
    """An atomic claim candidate.

    ``text`` is the standalone claim (with a carried subject or time anchor where the
    source clause lacks them); ``article_text[start:end]`` is the exact source clause.
    ``is_claim`` is False for rejected candidates (opinion, prediction, question, meta).
    """

    claim_id: str
    article_id: str
    lang: str
    text: str
    sentence: str
    start: int
    end: int
    kind: str
    is_claim: bool
    checkworthiness: float | None = None
    model_version: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    sentence_start: int = 0
    sentence_end: int = 0
    context: str = ""
    #: The sentence before, when the claim cannot say alone what it is about: its clause opens
    #: with a pronoun or leaves its subject or measure to that sentence (吉利为18.8%, It rose 5%).
    antecedent: str = ""
    is_caption: bool = False
    carried: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    #: The encoder's vector of ``text`` when a scorer computed one (a numpy array), carried
    #: to claim matching so the claim is not embedded twice; never stored or printed.
    vector: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        row = dataclasses.asdict(dataclasses.replace(self, vector=None))
        del row["vector"]
        return row


def shifted(record: Any, offset: int) -> Any:
    """Return a copy of a span record (Quantity, TimeExpr, Entity) moved by ``offset``."""
    return dataclasses.replace(record, start=record.start + offset, end=record.end + offset)


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text for the check-worthiness model. ``label`` 1 = check-worthy factual
    claim, 0 = not. ``source`` is ``format:file`` (``clef2024:CT24_checkworthy_english_dev.tsv``);
    ``split`` is ``"test"`` for a held-out row, ``"train"``/``"dev"`` when the file fixes it,
    else None.

    ``meta`` takes no part in hashing (a dict is not hashable), so examples can go in sets.
    """

    text: str
    label: int
    lang: str
    source: str
    split: str | None = None
    id: str | None = None
    meta: dict | None = field(default=None, hash=False)
