"""Verdicts from outside: ClaimReview JSON-LD, AVeriTeC and LIAR files → the verdict store.

Readers are pure: each turns one file into :class:`ExternalVerdict` records, one per
external verdict, and yields an :class:`~factcheck.errors.AnnotationError` (code F704–F706,
``source`` = file and line or item) in place of a record it cannot read, so one bad row
never stops an import. A file that cannot be read at all (not UTF-8, malformed JSON, an
unknown format) raises instead.

=================  =============================================================  ===========================
format             input                                                          external id
=================  =============================================================  ===========================
``claimreview``    schema.org ClaimReview JSON-LD: one object, a list, ``@graph``  ``identifier``, else the
                   (or any wrapper such as a ``DataFeed``), or JSONL; also the     review ``url`` + ``#`` + 12
                   output of ``factcheck export --format claimreview``            hex of the claim text
``averitec``       AVeriTeC ``dev.json`` / ``train.json`` (JSON list)               ``FILE_STEM:INDEX``, the
                                                                                  shared task's claim id
``liar``           LIAR-PLUS TSV (16 columns) or the original LIAR TSV (14)        PolitiFact statement id
``labelstudio``    a Label Studio JSON export: read by                             the annotation id
                   :func:`factcheck.review.labelstudio.import_file` (not here)
=================  =============================================================  ===========================

Ratings → the five verdicts (:data:`RATING_VERDICTS`; the original text is kept in
``rating``). Ratings are compared in lower case with ``-``/``_`` read as spaces and
trailing punctuation dropped, so "Pants on Fire!" and "pants-fire" are one entry::

    supported     true, mostly true, correct, accurate, supported (AVeriTeC), LIAR true and mostly-true,
                  正确 / 正確 / 属实 / 真实
    refuted       false, pants on fire, fake, fabricated, incorrect, scam, misattributed,
                  refuted (AVeriTeC), LIAR false and pants-fire, 错误 / 錯誤 / 谣言 / 虚假 / 不实
    misleading    half true, mostly false, barely true (PolitiFact's "mostly false": LIAR half-true and
                  barely-true), mixture, misleading, cherry-picking, missing context, exaggerated,
                  miscaptioned, Conflicting Evidence/Cherrypicking (AVeriTeC), 误导 / 部分错误
    unverifiable  unproven, unverified, unsupported, not enough evidence (AVeriTeC), research in
                  progress, 无法证实 / 尚无定论
    not a claim   not a claim, opinion, satire, labeled satire

PolitiFact's "mostly false" ("an element of truth but ignores critical facts") is read as
misleading, not refuted: that is this project's definition of misleading. A ClaimReview
whose ``alternateName`` is not in the table falls back to its numeric ``ratingValue``
placed between ``worstRating`` and ``bestRating`` (schema.org defaults 1 and 5): the top
quarter is supported, the bottom quarter refuted, the middle misleading. A rating that
maps nowhere is still stored, with ``verdict`` null and the rating in ``problems``, and
is counted under ``unknown_ratings``.

Storing (:func:`import_verdicts`): each verdict's claim text becomes an article
(``doc_key`` ``SOURCE:EXTERNAL_ID``; ``url`` the claim's appearance, ``published`` the
claim date, ``format`` the source) with one claim spanning the whole text, whose
quantities, times and entities come from the extractor's own finders and whose kind
comes from :mod:`factcheck.extraction.kinds`. The verdict row gets ``source`` = the format, a
negative ``annotation_id`` derived from (source, external id) (Label Studio's ids are
positive, so they never meet), no project or task, and the review's URL, claimant,
rating and date. Re-importing a file writes nothing new; an edited rating updates its
row. The same claim text from two sources is one claim with two verdicts. Only Chinese
and English claims are stored (the finders read nothing else); others are skipped.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from factcheck.errors import CODES, AnnotationError
from factcheck.records import VERDICTS, Article, claim_id_for
from factcheck.records import article_id as compute_article_id
from factcheck.store.verdicts import write_verdicts

log = logging.getLogger(__name__)

__all__ = [
    "FORMATS",
    "READERS",
    "RATING_VERDICTS",
    "VERDICTS",
    "ExternalVerdict",
    "VerdictImportReport",
    "annotation_id_for",
    "claim_for",
    "detect_format",
    "import_file",
    "import_verdicts",
    "map_rating",
    "read_averitec",
    "read_claimreview",
    "read_liar",
]

FORMATS = ("claimreview", "averitec", "liar", "labelstudio")
#: The project's five verdicts (the Label Studio config's choices).
BATCH_SIZE = 256
ACCEPTED = ("ClaimReview JSON-LD (.json, .jsonld or .jsonl), an AVeriTeC .json file, a LIAR or LIAR-PLUS .tsv "
            "file, or a Label Studio JSON export")


# --------------------------------------------------------------------------------------
# ratings

_RATINGS: dict[str, tuple[str, ...]] = {
    "supported": (
        "supported", "true", "mostly true", "correct", "mostly correct", "accurate", "mostly accurate",
        "verified", "confirmed", "legit", "correct attribution", "geppetto checkmark",
        "正确", "正確", "属实", "屬實", "真实", "真實", "基本属实", "基本屬實",
    ),
    "refuted": (
        "refuted", "false", "pants on fire", "pants fire", "fake", "fabricated", "incorrect", "inaccurate", "wrong",
        "hoax", "scam", "misattributed", "four pinocchios", "false claim", "fake news",
        "错误", "錯誤", "谣言", "謠言", "虚假", "虛假", "不实", "不實", "失实", "失實", "诈骗", "詐騙", "假",
    ),
    "misleading": (
        "misleading", "half true", "mostly false", "barely true", "mixture", "mixed", "partly true", "partly false",
        "partially true", "partially false", "half truth", "cherry picking", "cherry picked", "cherrypicking",
        "missing context", "lacks context", "needs context", "out of context", "exaggerated", "exaggeration",
        "miscaptioned", "distorts the facts", "spins the facts", "three pinocchios", "two pinocchios",
        "conflicting evidence/cherrypicking", "conflicting evidence",
        "误导", "誤導", "部分错误", "部分錯誤", "部分属实", "部分屬實", "断章取义", "斷章取義", "夸大", "誇大",
    ),
    "unverifiable": (
        "unverifiable", "unproven", "unverified", "unsupported", "not enough evidence", "insufficient evidence",
        "research in progress", "无法证实", "無法證實", "尚无定论", "尚無定論", "未经证实", "未經證實",
    ),
    "not a claim": ("not a claim", "opinion", "satire", "labeled satire", "originated as satire"),
}
#: normalised rating text → one of :data:`VERDICTS` (see the module docstring).
RATING_VERDICTS: dict[str, str] = {text: verdict for verdict, texts in _RATINGS.items() for text in texts}

_RATING_NOISE = re.compile(r"[\s_\-–—]+")


def _rating_key(text: str) -> str:
    return _RATING_NOISE.sub(" ", text.strip().lower()).strip(" .!?;:。！？；：")


def map_rating(rating: str | None, *, value: Any = None, best: Any = None, worst: Any = None) -> str | None:
    """One of :data:`VERDICTS` for a rating text, else for a numeric ``value`` between
    ``worst`` and ``best`` (defaults 1 and 5); None when neither says anything."""
    if rating and (verdict := RATING_VERDICTS.get(_rating_key(rating))):
        return verdict
    try:
        v = float(value)
        low = 1.0 if worst in (None, "") else float(worst)
        high = 5.0 if best in (None, "") else float(best)
    except (TypeError, ValueError):
        return None
    if not high > low or not low <= v <= high:
        return None
    position = (v - low) / (high - low)
    return "supported" if position >= 0.75 else "refuted" if position <= 0.25 else "misleading"


# --------------------------------------------------------------------------------------
# records


@dataclass(slots=True)
class ExternalVerdict:
    """One verdict from outside, normalised. ``rating`` is the original text and
    ``verdict`` its mapping onto :data:`VERDICTS` (None when unknown); dates are ISO;
    ``evidence`` holds ``(url, note)`` pairs (either may be None); ``where`` says where
    in the file the record was read."""

    source: str
    external_id: str
    claim_text: str
    lang: str
    claimant: str | None = None
    claim_date: str | None = None
    appearance_url: str | None = None
    rating: str | None = None
    verdict: str | None = None
    review_url: str | None = None
    reviewer: str | None = None
    reviewed_at: str | None = None
    evidence: list[tuple[str | None, str | None]] = field(default_factory=list)
    where: str | None = field(default=None, compare=False)


def annotation_id_for(source: str, external_id: str) -> int:
    """The verdict row id of an external verdict: negative, from sha256 of (source, id)."""
    digest = hashlib.sha256(f"{source}\x00{external_id}".encode("utf-8", "surrogatepass")).hexdigest()
    return -(int(digest[:15], 16) + 1)


def _text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()[:12]


# --------------------------------------------------------------------------------------
# file helpers


def _where(path: Path, line: int | None = None, item: int | None = None) -> str:
    if line is not None:
        return f"{path}, line {line}"
    return f"{path}, item {item}" if item is not None else str(path)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotationError(f"verdict file could not be opened ({exc.strerror or exc}); check the path",
                              code="F708", source=str(path)) from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AnnotationError(f"file is not valid UTF-8 (bad byte {data[exc.start]:#04x}); verdict files must be "
                              "UTF-8: re-encode the file", code="F703", source=_where(path, line)) from None


def _malformed(path: Path, exc: json.JSONDecodeError, fmt: str, *, jsonl: bool = False) -> AnnotationError:
    what = "each line must be one JSON object" if jsonl else "the file must be one JSON document or JSON Lines"
    return AnnotationError(
        f"malformed JSON: {exc.msg} (column {exc.colno}); {what}. Read as {fmt}; factcheck verdicts import accepts "
        f"{ACCEPTED}. Fix the file or pass --format.", code="F702", source=_where(path, exc.lineno))


def _too_deep(path: Path, fmt: str | None, line: int | None = None) -> AnnotationError:
    read_as = f" (read as {fmt})" if fmt else ""
    return AnnotationError(
        f"the JSON is nested too deeply to read (thousands of levels of [ or {{){read_as}; a verdict file holds "
        "records a few levels deep. Fix the file (or the program that wrote it).",
        code="F702", source=_where(path, line))


def _json_records(path: Path, fmt: str) -> Iterator[tuple[str, object]]:
    """``(where, value)`` for each top-level record: the elements of a JSON list, the one
    JSON object, or each line of JSON Lines (a bad line is yielded as an AnnotationError).
    JSON nested too deeply for Python's parser is F702 for the file (or the line)."""
    try:
        yield from _json_values(path, fmt)
    except RecursionError:
        raise _too_deep(path, fmt) from None


def _json_values(path: Path, fmt: str) -> Iterator[tuple[str, object]]:
    text = _read_text(path)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    if not jsonl:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # JSON Lines: the first line is a whole JSON value and more follow it.
            try:
                json.loads(lines[first])
                jsonl = exc.msg == "Extra data"
            except json.JSONDecodeError:
                pass
            if not jsonl:
                raise _malformed(path, exc, fmt) from None
        else:
            if isinstance(data, list):
                for i, element in enumerate(data):
                    yield _where(path, item=i), element
            else:
                yield _where(path, first + 1), data
            return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield _where(path, number), json.loads(line)
        except RecursionError:
            yield _where(path, number), _too_deep(path, fmt, number)
        except json.JSONDecodeError as exc:
            exc.lineno = number
            yield _where(path, number), _malformed(path, exc, fmt, jsonl=True)


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "", [], {})), None)
    return value


def _name(value: Any) -> str | None:
    """A person's or organisation's name from a string, a {name} object or a list of them."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName")
        value = _first(value)
    return _clean(value) if isinstance(value, str) else None


def _url(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = _first(value.get("url") or value.get("@id"))
    return _clean(value) if isinstance(value, str) else None


def _is_web_url(url: str) -> bool:
    """An absolute http(s) link with a host: the only links imported verdicts may carry."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _iso(value: Any) -> str | None:
    """An ISO date or date-time from ISO text or AVeriTeC's ``31-10-2020``; None otherwise."""
    value = _clean(_first(value))
    if value is None:
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    except ValueError:
        pass
    for pattern in ("%d-%m-%Y", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


_LANG_NAMES = {"english": "en", "chinese": "zh", "中文": "zh", "汉语": "zh", "漢語": "zh", "英语": "en", "英文": "en"}


def _lang(declared: Any, text: str) -> str:
    """The primary language subtag of ``inLanguage`` (a code, a name or a Language
    object); detected from the script when none is given."""
    if isinstance(declared, dict):
        declared = declared.get("alternateName") or declared.get("name")
    declared = _clean(_first(declared))
    if declared:
        lowered = declared.lower()
        return _LANG_NAMES.get(lowered, re.split(r"[-_]", lowered)[0])
    from factcheck.extraction.segment import detect_lang

    return detect_lang(text)


def _bad(message: str, code: str, where: str) -> AnnotationError:
    return AnnotationError(message, code=code, source=where)


# --------------------------------------------------------------------------------------
# readers


def _is_claimreview(obj: dict) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "ClaimReview" for k in kinds) or (
        "claimReviewed" in obj and "reviewRating" in obj)


def _claimreviews(value: object) -> Iterator[dict]:
    """Every ClaimReview object in a JSON-LD value (inside @graph, lists, DataFeeds …)."""
    if isinstance(value, dict):
        if _is_claimreview(value):
            yield value
            return
        for child in value.values():
            if isinstance(child, (dict, list)):
                yield from _claimreviews(child)
    elif isinstance(value, list):
        for child in value:
            yield from _claimreviews(child)


def from_claimreview(review: dict, where: str) -> ExternalVerdict | AnnotationError:
    """One ClaimReview object → an ExternalVerdict (or the reason it cannot be one)."""
    item = _first(review.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    claim = _clean(_first(review.get("claimReviewed"))) or _clean(item.get("name")) or _clean(item.get("text"))
    if claim is None:
        return _bad("ClaimReview has no claimReviewed text (nor itemReviewed.name); every review needs its claim",
                    "F704", where)
    rating = _first(review.get("reviewRating"))
    if not isinstance(rating, dict):
        return _bad(f"ClaimReview of {claim[:40]!r} has no reviewRating object; found {rating!r}", "F704", where)
    text = _clean(rating.get("alternateName")) or _clean(rating.get("name"))
    value = rating.get("ratingValue")
    if text is None and value in (None, ""):
        return _bad(f"ClaimReview of {claim[:40]!r} has a reviewRating without alternateName or ratingValue",
                    "F704", where)
    verdict = map_rating(text, value=value, best=rating.get("bestRating"), worst=rating.get("worstRating"))
    review_url = _url(review.get("url"))
    appearance = item.get("appearance") or item.get("firstAppearance")
    for name, url in (("url", review_url), ("itemReviewed.appearance", _url(appearance))):
        if url is not None and not _is_web_url(url):
            return _bad(f"ClaimReview of {claim[:40]!r} has a {name} that is not an http(s) link ({url[:60]!r}); "
                        "a javascript:, data: or other link would run or open something in whoever follows "
                        "it, so the review is not imported. Fix the link at its source", "F709", where)
    identifier = review.get("identifier")
    if isinstance(identifier, (str, int)) and str(identifier).strip():
        external_id = str(identifier).strip()
    else:
        external_id = f"{review_url or _name(review.get('author')) or ''}#{_text_hash(claim)}"
    return ExternalVerdict(
        source="claimreview", external_id=external_id, claim_text=claim, lang=_lang(review.get("inLanguage"), claim),
        claimant=_name(item.get("author") or item.get("creator")), claim_date=_iso(item.get("datePublished")),
        appearance_url=_url(appearance), rating=text if text is not None else str(value), verdict=verdict,
        review_url=review_url, reviewer=_name(review.get("author") or review.get("publisher")),
        reviewed_at=_iso(review.get("datePublished")), where=where,
    )


def read_claimreview(path: str | Path) -> Iterator[ExternalVerdict | AnnotationError]:
    """ClaimReview JSON-LD: one object, a list, an ``@graph`` or any wrapper, or JSONL.

    A top-level record holding no ClaimReview yields an error (F706) and is skipped.
    """
    path = Path(path)
    for where, value in _json_records(path, "claimreview"):
        if isinstance(value, AnnotationError):
            yield value
            continue
        try:
            reviews = list(_claimreviews(value))
        except RecursionError:
            yield _bad("the record is nested too deeply to look for ClaimReviews in it", "F702", where)
            continue
        if not reviews:
            yield _bad(f"no ClaimReview in this record (expected \"@type\": \"ClaimReview\" with claimReviewed and "
                       f"reviewRating); found {_shape(value)}", "F706", where)
        for k, review in enumerate(reviews):
            yield from_claimreview(review, where if len(reviews) == 1 else f"{where}, review {k}")


def _shape(value: object) -> str:
    if isinstance(value, dict):
        return f"an object with keys {sorted(value)[:8]}"
    return f"a JSON {type(value).__name__}"


def read_averitec(path: str | Path) -> Iterator[ExternalVerdict | AnnotationError]:
    """AVeriTeC (``dev.json``): a JSON list of claims with ``label`` and QA evidence.

    The external id is ``FILE_STEM:INDEX`` (AVeriTeC identifies a claim by its position
    in the split; the dev set holds the same claim text several times, each with its own
    annotation). ``fact_checking_article`` is the review URL, ``speaker`` the claimant,
    ``original_claim_url`` the appearance. Evidence: each answer's ``source_url`` with
    "Q: question A: answer" as its note, then the ``justification`` without a URL.
    """
    path = Path(path)
    for index, (where, row) in enumerate(_json_records(path, "averitec")):
        if isinstance(row, AnnotationError):
            yield row
            continue
        if not isinstance(row, dict):
            yield _bad(f"expected a JSON object per claim, found {_shape(row)}", "F706", where)
            continue
        claim, label = row.get("claim"), row.get("label")
        if not isinstance(claim, str) or not claim.strip():
            yield _bad(f"field 'claim' is missing or empty ({claim!r}); the row has {sorted(row)[:10]}", "F704", where)
            continue
        if not isinstance(label, str) or not label.strip():
            yield _bad(f"field 'label' is missing or empty ({label!r}); expected Supported, Refuted, "
                       "Not Enough Evidence or Conflicting Evidence/Cherrypicking", "F704", where)
            continue
        evidence: list[tuple[str | None, str | None]] = []
        for qa in row.get("questions") or []:
            if not isinstance(qa, dict):
                continue
            question = _clean(qa.get("question")) or ""
            for answer in qa.get("answers") or []:
                if not isinstance(answer, dict):
                    continue
                note = f"Q: {question} A: {_clean(answer.get('answer')) or ''}".strip()
                if explanation := _clean(answer.get("boolean_explanation")):
                    note += f" ({explanation})"
                url = _clean(answer.get("source_url")) or _clean(answer.get("cached_source_url"))
                if url and not _HTTP.match(url):  # "Metadata": read from the claim's own metadata
                    url, note = None, f"{note} [source: {url}]"
                evidence.append((url, note))
        if justification := _clean(row.get("justification")):
            evidence.append((None, justification))
        yield ExternalVerdict(
            source="averitec", external_id=f"{path.stem}:{index}", claim_text=claim.strip(), lang="en",
            claimant=_clean(row.get("speaker")), claim_date=_iso(row.get("claim_date")),
            appearance_url=_clean(row.get("original_claim_url")), rating=label.strip(), verdict=map_rating(label),
            review_url=_clean(row.get("fact_checking_article")), reviewer=None, reviewed_at=None, evidence=evidence,
            where=where,
        )


_HTTP = re.compile(r"https?://", re.I)

#: LIAR columns: the original 14, LIAR-PLUS adds a leading row index and a trailing justification.
LIAR_COLUMNS = ("id", "label", "statement", "subject", "speaker", "job", "state", "party", "barely_true_count",
                "false_count", "half_true_count", "mostly_true_count", "pants_fire_count", "context")


def read_liar(path: str | Path) -> Iterator[ExternalVerdict | AnnotationError]:
    """LIAR (14 tab-separated columns, no header) or LIAR-PLUS (16: a row index first and
    the ``justification`` last). PolitiFact's six labels are the rating; ``speaker`` is the
    claimant, the justification the evidence note (no URL: the file has none). The
    external id is the PolitiFact statement id (``11972.json`` → ``11972``).
    """
    path = Path(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    line = 1
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _bad(f"row cannot be split into tab-separated fields ({exc})", "F705", _where(path, start))
            line = reader.line_num + 1
            continue
        line = reader.line_num + 1
        where = _where(path, start)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) == 16:
            justification, cells = cells[15], cells[1:15]
        elif len(cells) == 14:
            justification = ""
        else:
            yield _bad(f"row has {len(cells)} tab-separated fields; LIAR has 14 and LIAR-PLUS 16 (a tab or an "
                       "unbalanced quote inside the text?)", "F705", where)
            continue
        row = dict(zip(LIAR_COLUMNS, cells))
        statement, label, sid = row["statement"].strip(), row["label"].strip(), row["id"].strip()
        if not statement or not label or not sid:
            missing = [name for name in ("id", "label", "statement") if not row[name].strip()]
            yield _bad(f"column {missing[0]!r} is empty; every LIAR row needs its id, label and statement", "F704",
                       where)
            continue
        yield ExternalVerdict(
            source="liar", external_id=sid.removesuffix(".json"), claim_text=statement, lang="en",
            claimant=_clean(row["speaker"]), rating=label, verdict=map_rating(label), reviewer="PolitiFact",
            evidence=[(None, j)] if (j := _clean(justification)) else [], where=where,
        )


READERS: dict[str, Callable[[str | Path], Iterator[ExternalVerdict | AnnotationError]]] = {
    "claimreview": read_claimreview,
    "averitec": read_averitec,
    "liar": read_liar,
}


def detect_format(path: str | Path) -> str:
    """The format of a verdict file, from its extension and its first record.

    ``.tsv`` is LIAR and ``.jsonl`` ClaimReview; JSON is told apart by its first record:
    ``@type``/``claimReviewed``/``@graph`` → claimreview, ``claim`` + ``label`` → averitec,
    ``data`` → labelstudio. A ``.json`` file that is not JSON at all (or an empty list) is
    taken as a Label Studio export, the command's format before the others existed, so its
    error stays F514. Anything else raises F701 naming the accepted formats.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "liar"
    text = _read_text(path)
    head = text.lstrip()
    if suffix in (".jsonl", ".ndjson", ".jsonld"):
        return "claimreview"
    if head[:1] in ("[", "{"):
        first: object = None
        try:
            if head[0] == "[":
                rest = head[1:].lstrip()
                if rest.startswith("]"):
                    return "labelstudio"
                first, _ = json.JSONDecoder().raw_decode(rest)
            else:
                first, _ = json.JSONDecoder().raw_decode(head)
        except json.JSONDecodeError:
            if suffix == ".json":
                return "labelstudio"
        except RecursionError:
            raise _too_deep(path, None) from None
        if isinstance(first, dict):
            if any(k in first for k in ("@type", "@graph", "@context", "claimReviewed", "dataFeedElement")):
                return "claimreview"
            if "claim" in first and "label" in first:
                return "averitec"
            if "data" in first:
                return "labelstudio"
        found = _shape(first) if first is not None else f"text starting {head[:30]!r}"
        raise AnnotationError(f"cannot tell which verdict format this is: the first record is {found}. Accepted: "
                              f"{ACCEPTED}. Pass --format claimreview|averitec|liar|labelstudio.", code="F701",
                              source=str(path))
    first_line = head.split("\n", 1)[0]
    if first_line.count("\t") in (13, 15):
        return "liar"
    raise AnnotationError(f"cannot tell which verdict format this is (it starts {head[:30]!r}). Accepted: {ACCEPTED}. "
                          "Pass --format claimreview|averitec|liar|labelstudio.", code="F701", source=str(path))


# --------------------------------------------------------------------------------------
# storing

#: Article formats written by this module; an article of another format is the user's own.
IMPORT_SOURCES = ("claimreview", "averitec", "liar")


@dataclass
class VerdictImportReport:
    """What an import did. ``stored`` counts new verdicts, ``updated`` changed ones and
    ``unchanged`` the ones already in the store as read; ``skipped`` records that could not be
    read or stored (by reason), ``unknown_ratings`` ratings outside the mapping table
    (those verdicts are stored with a null verdict); ``verdicts`` counts the records read by
    mapped verdict; ``errors`` shows the first skipped records with their place."""

    format: str
    read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    unknown_ratings: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def skip(self, error: AnnotationError) -> None:
        self.skipped += 1
        reason = f"[{error.code}] {CODES.get(error.code, 'skipped')}"
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + 1
        if len(self.errors) < 20:
            self.errors.append(str(error))
        log.warning("skipped: %s", error)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _entity_docs(verdicts: list[ExternalVerdict], langs: list[str]) -> list:
    """spaCy docs of the claim texts (entities only: the English parser is switched off)."""
    from factcheck.extraction.segment import load_nlp

    docs: list = [None] * len(verdicts)
    for lang in ("en", "zh"):
        picked = [i for i, code in enumerate(langs) if code == lang]
        if not picked:
            continue
        nlp = load_nlp(lang)
        skip = [n for n in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer") if n in nlp.pipe_names]
        for i, doc in zip(picked, nlp.pipe((verdicts[i].claim_text for i in picked), batch_size=128, disable=skip)):
            docs[i] = doc
    return docs


def claim_for(verdict: ExternalVerdict, doc=None):
    """``(Article, Claim)`` for an external verdict: the claim text is the article, and one
    claim spans all of it, with the extractor's quantities, times and entities (from the
    spaCy ``doc`` of the text, when given) and a kind from the rules."""
    from factcheck.extraction.pipeline import whole_text_claim

    text = verdict.claim_text
    article = Article(text=text, article_id=compute_article_id(text), title=text, url=verdict.appearance_url,
                      published=verdict.claim_date, source=f"{verdict.source}:{verdict.external_id}",
                      format=verdict.source)
    return article, whole_text_claim(article, verdict.lang, doc=doc,
                                     reasons=[f"{verdict.source} verdict {verdict.external_id}"])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_COMPARED = ("claim_id", "verdict", "annotator", "created_at", "updated_at", "deleted_at", "problems", "source",
             "rating", "review_url", "claimant", "external_id")
_COLUMNS = ("annotation_id", "project_id", "task_id", "checkworthy", "corrected_claim", "span_corrections",
            "lead_time", "pulled_at", *_COMPARED)


def _chunked(db, sql: str, keys: list) -> list[tuple]:
    rows: list[tuple] = []
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        rows += db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
    return rows


def _save_claim(db, article, claim) -> None:
    """Store an import's article and claim (own transaction, like every save_extraction).

    The article is saved under ``url`` = its doc key, so the store's versioning keys it by
    source and id; the caller then puts the appearance URL back. When the claim text is an
    article the user extracted, the claim joins that article's claims and nothing else
    about it changes.
    """
    from factcheck.records import Article
    from factcheck.store.claims import claim_from_row
    from factcheck.store.db import save_extraction

    found = db.execute("select format, title, url, published, source, encoding, text from articles where id = ?",
                       [article.article_id]).fetchone()
    if found is None or found[0] in IMPORT_SOURCES:
        save_extraction(db, dataclasses.replace(article, url=article.source), [claim], merge=False)
        return
    rows = list(db.query(
        "select c.*, s.text as sentence_text, s.start as sentence_start, s.end as sentence_end from claims c "
        "join sentences s on s.id = c.sentence_id where c.article_id = ? order by c.start, c.end",
        [article.article_id]))
    if any(r["id"] == claim.claim_id for r in rows):
        return
    claims = []
    for row in rows:
        kept = claim_from_row(db, row)
        kept.reasons = json.loads(row["reasons"] or "[]")
        claims.append(kept)
    fmt, title, url, published, source, encoding, text = found
    own = Article(text=text, article_id=article.article_id, title=title, url=url, published=published, source=source,
                  encoding=encoding, format=fmt)
    save_extraction(db, own, [*claims, claim])


def _claim_id(verdict: ExternalVerdict) -> str:

    return claim_id_for(compute_article_id(verdict.claim_text), 0, len(verdict.claim_text))


def _store_batch(db, batch: list[ExternalVerdict], report: VerdictImportReport, stamp: str) -> None:
    claim_ids = [_claim_id(v) for v in batch]
    # A claim already stored from this very record (same source, id, appearance, date and
    # language) is not extracted and saved again: that makes a re-import cheap.
    stored = {r[0]: r[1:] for r in _chunked(
        db, "select c.id, a.doc_key, a.url, a.published, a.format, c.lang from claims c join articles a "
            "on a.id = c.article_id where c.id in ({})", list(set(claim_ids)))}
    todo = [i for i, (v, cid) in enumerate(zip(batch, claim_ids)) if stored.get(cid) != (
        f"{v.source}:{v.external_id}", v.appearance_url, v.claim_date, v.source, v.lang)]
    docs = _entity_docs([batch[i] for i in todo], [batch[i].lang for i in todo])
    built = [claim_for(batch[i], doc) for i, doc in zip(todo, docs)]
    for article, claim in built:
        _save_claim(db, article, claim)
    ids = [annotation_id_for(v.source, v.external_id) for v in batch]
    before = {r[0]: r[1:] for r in _chunked(
        db, f"select annotation_id, {', '.join(_COMPARED)} from verdicts where annotation_id in ({{}})", ids)}
    old_evidence: dict[int, list] = {}
    for aid, url, note in _chunked(db, "select annotation_id, url, note from evidence where annotation_id in ({}) "
                                       "order by annotation_id, idx", ids):
        old_evidence.setdefault(aid, []).append((url, note))
    rows, evidence_of = [], {}
    for verdict, claim_id, aid in zip(batch, claim_ids, ids):
        problems = [] if verdict.verdict else [f"rating {verdict.rating!r} is not in the mapping table"]
        row = {
            "annotation_id": aid, "project_id": None, "task_id": None, "checkworthy": None, "corrected_claim": None,
            "span_corrections": "[]", "lead_time": None, "pulled_at": stamp, "claim_id": claim_id,
            "verdict": verdict.verdict, "annotator": verdict.reviewer or verdict.source,
            "created_at": verdict.reviewed_at, "updated_at": verdict.reviewed_at, "deleted_at": None,
            "problems": json.dumps(problems, ensure_ascii=False), "source": verdict.source, "rating": verdict.rating,
            "review_url": verdict.review_url, "claimant": verdict.claimant, "external_id": verdict.external_id,
        }
        evidence = [(url, note) for url, note in verdict.evidence if url or note]
        if aid not in before:
            report.stored += 1
        elif before[aid] != tuple(row[c] for c in _COMPARED) or old_evidence.get(aid, []) != evidence:
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        rows.append({c: row[c] for c in _COLUMNS})
        evidence_of[aid] = evidence
    with db.conn:
        db.conn.executemany("update articles set url = ? where id = ? and format = ?",
                            [(a.url, a.article_id, a.format) for a, _ in built])
        write_verdicts(db, rows, evidence_of, reindex={claim.claim_id for _, claim in built})


def import_verdicts(
    db: sqlite_utils.Database, records: Iterable[ExternalVerdict | AnnotationError], *, fmt: str,
    limit: int | None = None, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None,
) -> VerdictImportReport:
    """Store external verdicts (from a reader) with their claims; see the module docstring.

    :param records: ExternalVerdicts, and AnnotationErrors for records that could not be
        read (counted under ``skipped``).
    :param limit: read at most this many records.
    :param progress: called with the number of records handled after each batch.
    :returns: a :class:`VerdictImportReport`.
    """
    report = VerdictImportReport(format=fmt)
    stamp = _now()
    batch: dict[int, ExternalVerdict] = {}
    seen: set[int] = set()

    def flush() -> None:
        if batch:
            _store_batch(db, list(batch.values()), report, stamp)
            batch.clear()
        if progress:
            progress(report.read)

    for record in records:
        if limit is not None and report.read >= limit:
            break
        report.read += 1
        if isinstance(record, AnnotationError):
            report.skip(record)
            continue
        if record.lang not in ("zh", "en"):
            report.skip(_bad(f"the claim is in {record.lang!r}; factcheck reads Chinese (zh) and English (en) only",
                             "F707", record.where or record.source))
            continue
        key = annotation_id_for(record.source, record.external_id)
        if key in seen:
            report.duplicates += 1
            if key in batch:  # the later record wins; flush keeps one row per id
                del batch[key]
        seen.add(key)
        label = record.verdict or "(unknown rating)"
        report.verdicts[label] = report.verdicts.get(label, 0) + 1
        if record.verdict is None:
            rating = record.rating or ""
            report.unknown_ratings[rating] = report.unknown_ratings.get(rating, 0) + 1
        batch[key] = record
        if len(batch) >= batch_size:
            flush()
    flush()
    report.verdicts = dict(Counter(report.verdicts).most_common())
    return report


def import_file(
    db: sqlite_utils.Database, path: str | Path, *, fmt: str | None = None, limit: int | None = None,
    batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None,
):
    """Import the verdicts of one file (format detected unless ``fmt`` is given).

    Returns a :class:`VerdictImportReport`. A Label Studio export is the review stage's
    to read: :func:`factcheck.review.labelstudio.import_file` takes every format (it is
    what ``factcheck verdicts import`` calls); here it raises F514.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "labelstudio":
        raise AnnotationError(
            f"{path} is a Label Studio export, which the store does not read itself: import it with "
            "factcheck.review.labelstudio.import_file (or `factcheck verdicts import`).", code="F514")
    if fmt not in READERS:
        raise AnnotationError(f"unknown verdict format {fmt!r}; expected one of {list(FORMATS)}", code="F701",
                              source=str(path))
    return import_verdicts(db, READERS[fmt](path), fmt=fmt, limit=limit, batch_size=batch_size, progress=progress)
