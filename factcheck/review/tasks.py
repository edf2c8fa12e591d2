"""Claims → Label Studio task dicts, and annotation results → verdict records (pure).

Nothing here talks to a server: :mod:`factcheck.review.labelstudio` sends what this module
builds and hands back what it pulls. The names used (``claim``, ``sentence``,
``span``, ``verdict``, ``checkworthy``, ``evidence``, ``corrected_claim``) are the
contract with ``factcheck/data/labelstudio_config.xml``.

Offsets: Label Studio counts text offsets in UTF-16 code units (JavaScript strings),
Python in code points. They differ for characters outside the Basic Multilingual
Plane (𠮷, emoji); :func:`to_utf16` and :func:`from_utf16` convert.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import urlsplit, urlunsplit

from factcheck.errors import AnnotationError
from factcheck.records import VERDICTS, Claim
from factcheck.settings import DATA_DIR

CONFIG_PATH = DATA_DIR / "labelstudio_config.xml"
GUIDELINE_PATH = DATA_DIR / "annotation_guideline.html"
FROM_NAME_SPAN, TO_NAME_SENTENCE = "span", "sentence"


def _package_file(path: Path, what: str) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise AnnotationError(f"The {what} {path} is missing ({exc}); restore it from git.", code="F513") from exc


def labelling_config() -> str:
    """The labelling config XML under version control."""
    return _package_file(CONFIG_PATH, "labelling config")


def annotation_guideline() -> str:
    """The annotation guideline (HTML) that setup makes the project's instructions."""
    return _package_file(GUIDELINE_PATH, "annotation guideline")


def to_utf16(text: str, index: int) -> int:
    """Code-point offset → UTF-16 offset (what Label Studio stores)."""
    return len(text[:index].encode("utf-16-le")) // 2


def from_utf16(text: str, offset: int) -> int:
    """UTF-16 offset → code-point offset."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _region(sentence: str, start: int, end: int, label: str, rid: str) -> dict:
    return {
        "id": rid, "from_name": FROM_NAME_SPAN, "to_name": TO_NAME_SENTENCE, "type": "labels",
        "value": {"start": to_utf16(sentence, start), "end": to_utf16(sentence, end),
                  "text": sentence[start:end], "labels": [label]},
    }


def describe_parts(claim: Claim) -> str:
    """One readable line per extracted part, for annotators."""
    lines = []
    for q in claim.quantities:
        if q.low is not None and q.high is not None:
            number = f"{_readable(q.low)}–{_readable(q.high)}"
        else:
            number = "?" if q.value is None else _readable(q.value)
        bits = [q.comparator or "", "≈" if q.approximate else "", number, f" {q.unit}" if q.unit else "",
                f"/{q.per}" if q.per else ""]
        lines.append(f"quantity: {q.text} → {''.join(bits)}")
    for t in claim.times:
        lines.append(f"time: {t.text} → {t.value or 'unresolved'}" + (f" ({t.relation})" if t.relation else ""))
    if claim.entities:
        lines.append("entities: " + ", ".join(f"{e.text} ({e.label})" for e in claim.entities))
    return "\n".join(lines) or "(no quantities, times or entities)"


#: The paragraph shown around a claim's sentence stops after about this many characters.
CONTEXT_CHARS = 600
ENDS = "。！？.!?;；"


def paragraph_around(text: str, start: int, end: int, *, limit: int = CONTEXT_CHARS) -> tuple[str, int, int]:
    """The paragraph of ``text`` holding ``text[start:end]`` (a sentence), as
    ``(paragraph, start, end)`` with the sentence's offsets inside it.

    Paragraphs end at line breaks. A sentence that opens its paragraph gets the paragraph
    before it too (``吉利为18.8%`` means nothing without the line that names the measure;
    :attr:`~factcheck.records.Claim.antecedent` marks such claims, and the task shows it
    above the claim, see :func:`antecedent_html`). Beyond ``limit`` characters the text is cut to the sentences
    nearest the claim's, at a sentence end where there is one, with ``…`` marking a cut.
    """
    if not (0 <= start <= end <= len(text)):
        return text[start:end], 0, max(0, end - start)
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    if not text[para_start:start].strip() and para_start > 1:
        before = text[:para_start].rstrip("\n")
        para_start = before.rfind("\n") + 1 if before.strip() else para_start
    room = max(0, limit - (end - start))
    left, right = max(para_start, start - room * 2 // 3), min(para_end, end + room // 3)
    if left > para_start:  # start after the window's first sentence end, where there is one
        cuts = [i for i in (text.find(mark, left, start) for mark in ENDS) if i >= 0]
        left = min(cuts) + 1 if cuts else left
    if right < para_end:  # stop at its last
        right = max((text.rfind(mark, end, right) + 1 for mark in ENDS), default=0) or right
    head = "…" if left > para_start else ""
    tail = "…" if right < para_end else ""
    shown = head + text[left:right].strip("\n") + tail
    offset = len(head) + (start - left) - (len(text[left:right]) - len(text[left:right].lstrip("\n")))
    return shown, offset, offset + (end - start)


def context_html(text: str, start: int, end: int) -> str:
    """:func:`paragraph_around` as HTML: the sentence marked, line breaks kept."""
    shown, s, e = paragraph_around(text, start, end)
    parts = (html.escape(shown[:s]), html.escape(shown[s:e]), html.escape(shown[e:]))
    marked = f'{parts[0]}<mark class="fc-sentence">{parts[1]}</mark>{parts[2]}'
    return f'<div class="fc-context">{marked.replace(chr(10), "<br/>")}</div>'


def antecedent_html(antecedent: str) -> str:
    """The sentence a claim leaves what it is about to (``吉利为18.8%`` after the sentence naming
    the tax rate), shown above the claim; empty when the claim says alone what it is about."""
    if not antecedent.strip():
        return ""
    return f'<div class="fc-antecedent">Before this sentence: {html.escape(antecedent.strip())}</div>'


def publisher(url: str | None, source: str | None = None) -> str:
    """Who publishes an article, as far as the store knows: the URL's host without
    ``www.``, else the name of the file or label it came from."""
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    if source:
        return source.replace("\\", "/").rsplit("/", 1)[-1]
    return "unknown source"


def _link(url: str, label: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">{html.escape(label)}</a>'


def source_line_html(url: str | None, published: str | None, source: str | None) -> str:
    """One line under the title: publisher, publication date and a link to the article."""
    bits = [f"<b>{html.escape(publisher(url, source))}</b>",
            f"published {html.escape(published)}" if published else "publication date unknown"]
    if url and urlsplit(url).scheme in ("http", "https"):
        bits.append(_link(url, "open the article ↗"))
    return '<div class="fc-source">' + " · ".join(bits) + "</div>"


def matches_html(matches: list[dict]) -> str:
    """Earlier checked claims that match, each with its verdict, text, source and evidence links.

    ``matches``: dicts with ``verdict``, ``text``, ``similarity``, ``claim_id`` and
    optionally ``article``, ``evidence`` (``(url, note)`` pairs) and ``review_url``.
    """
    if not matches:
        return '<div class="fc-matches fc-none">No earlier checked claim matches this one.</div>'
    items = []
    for match in matches:
        links = [_link(url, note or publisher(url)) for url, note in match.get("evidence", ())
                 if urlsplit(url).scheme in ("http", "https")]
        if match.get("review_url") and urlsplit(match["review_url"]).scheme in ("http", "https"):
            links.insert(0, _link(match["review_url"], "fact-check ↗"))
        article = f' <span class="fc-meta">({html.escape(match["article"])})</span>' if match.get("article") else ""
        items.append(
            f'<li><b class="fc-verdict">{html.escape(match.get("verdict") or "no verdict")}</b> '
            f'<span class="fc-meta">similarity {match.get("similarity", 0):.2f}</span>'
            f'<div class="fc-match-text">“{html.escape(match.get("text") or match.get("claim_id", ""))}”{article}</div>'
            f'<div class="fc-evidence">evidence: {" · ".join(links) if links else "none recorded"}</div></li>'
        )
    return '<ol class="fc-matches">' + "".join(items) + "</ol>"


def _readable(value: float) -> str:
    """890000000.0 → "890,000,000" (not "8.9e+08"); 0.125 → "0.125"."""
    if abs(value) >= 1e18:
        return f"{value:g}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0") if abs(value) >= 1000 else f"{value:g}"


def build_task(claim: Claim, *, title: str | None = None, url: str | None = None,
               prior_verdict: dict | None = None, published: str | None = None, source: str | None = None,
               article_text: str | None = None, matches: list[dict] | None = None) -> dict:
    """A Label Studio task for one claim, with the model's pre-annotation.

    What the annotator reads (``factcheck/data/labelstudio_config.xml``): the title once;
    the publisher, publication date and a link (``source_html``); the sentence before, when the
    claim cannot say alone what it is about (``antecedent_html``); the claim; the paragraph
    around its sentence with the sentence marked (``context_html``, from ``article_text``;
    the sentence alone without it); the sentence with its spans; and the earlier checked
    claims it matches with their verdicts, texts and evidence links (``matches_html``).

    ``matches`` are those checked claims, closest first (see :func:`matches_html`); the
    first pre-fills the verdict for the annotator to confirm. ``prior_verdict``
    (``{"verdict", "claim_id", "similarity"}``) pre-fills it without the details.
    """
    sentence = claim.sentence
    rel_start, rel_end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    matches = list(matches or [])
    if prior_verdict is None and matches:
        prior_verdict = matches[0]
    if article_text is None:
        article_text, sentence_at = sentence, (0, len(sentence))
    else:
        sentence_at = (claim.sentence_start, claim.sentence_end)
    score = "not scored" if claim.checkworthiness is None else f"{claim.checkworthiness:.2f}"
    data: dict[str, Any] = {
        "claim_id": claim.claim_id, "claim": claim.text, "lang": claim.lang, "kind": claim.kind,
        "score": None if claim.checkworthiness is None else round(claim.checkworthiness, 4),
        "article": title or publisher(url, source),
        # 1 = the model cannot tell (score 0.5), 0 = it is sure: sort the Data Manager by
        # this column to annotate where the model learns most (active learning).
        "uncertainty": None if claim.checkworthiness is None else round(1 - abs(claim.checkworthiness - 0.5) * 2, 4),
        "published": published or "", "publisher": publisher(url, source),
        "article_id": claim.article_id, "sentence": sentence, "title": title or "untitled", "url": url or "",
        "source_html": source_line_html(url, published, source),
        "antecedent": claim.antecedent, "antecedent_html": antecedent_html(claim.antecedent),
        "context_html": context_html(article_text, *sentence_at),
        "matches_html": matches_html(matches),
        "parts": describe_parts(claim),
        "model_info": f"check-worthiness {score} (model {claim.model_version or 'rules only'})",
    }
    result = [_region(sentence, rel_start, rel_end, "claim", f"{claim.claim_id}-claim")]
    for k, q in enumerate(claim.quantities):
        if claim.sentence_start <= q.start and q.end <= claim.sentence_end:
            result.append(_region(sentence, q.start - claim.sentence_start, q.end - claim.sentence_start,
                                  "quantity", f"{claim.claim_id}-q{k}"))
    for k, t in enumerate(claim.times):
        if claim.start <= t.start and t.end <= claim.end:  # carried anchors live outside the clause
            result.append(_region(sentence, t.start - claim.sentence_start, t.end - claim.sentence_start,
                                  "time", f"{claim.claim_id}-t{k}"))
    if claim.checkworthiness is not None:
        choice = "check-worthy" if claim.is_claim else "not check-worthy"
        result.append({"id": f"{claim.claim_id}-cw", "from_name": "checkworthy", "to_name": "claim",
                       "type": "choices", "value": {"choices": [choice]}})
    if prior_verdict:
        result.append({"id": f"{claim.claim_id}-v", "from_name": "verdict", "to_name": "claim",
                       "type": "choices", "value": {"choices": [prior_verdict["verdict"]]}})
        data["model_info"] += f"; matches checked claim {prior_verdict['claim_id']} " \
                              f"(similarity {prior_verdict.get('similarity', 0):.2f})"
    prediction: dict[str, Any] = {"model_version": claim.model_version or "rules", "result": result}
    if claim.checkworthiness is not None:
        prediction["score"] = claim.checkworthiness
    return {"data": data, "meta": {"claim_id": claim.claim_id}, "predictions": [prediction]}


def task_fingerprint(task: dict) -> str:
    """Hash of what a task shows: a changed claim text or prediction changes it."""
    return hashlib.sha256(json.dumps(task, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass
class Evidence:
    url: str
    note: str = ""


@dataclass
class Verdict:
    """What one annotator decided about one claim."""

    claim_id: str
    annotation_id: int | None  # None in a hand-made export without ids
    task_id: int | None
    verdict: str | None
    checkworthy: bool | None = None
    evidence: list[Evidence] = field(default_factory=list)
    corrected_claim: str | None = None
    span_corrections: list[dict] = field(default_factory=list)  # {label, start, end, text} in code points
    annotator: str | None = None
    lead_time: float | None = None
    created_at: str | None = None
    updated_at: str | None = None
    problems: list[str] = field(default_factory=list)


def normalise_url(raw: str) -> str:
    """Trim, require http(s), lower-case scheme and host, drop the fragment."""
    raw = raw.strip().strip("<>")
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"evidence link {raw!r} is not an http(s) URL")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def parse_annotation(task: dict, annotation: dict) -> Verdict:
    """Read one Label Studio annotation of a factcheck task into a :class:`Verdict`.

    Each result is checked on its own. A piece that is invalid (an unknown verdict, a
    link that is not http(s), a span outside the sentence) or malformed (a ``choices``
    value that is null or a number, a span whose ``"start"`` is ``"x"``, a result that is
    not an object: Label Studio's API stores whatever it is given) is left out and
    described in ``problems``; nothing raises for it, so one bad annotation never blocks
    a pull. A ``choices`` value that is a single string is read as that one choice.

    An annotation may carry a triage choice (``checkworthy``: check-worthy or not
    check-worthy) without a verdict; only one with neither is a problem. ("not a claim"
    is a verdict, and is read as a triage choice too should a config offer it there.)
    """
    data = task.get("data") or {}
    claim_id = data.get("claim_id") or (task.get("meta") or {}).get("claim_id")
    if not claim_id:
        raise AnnotationError(f"Task {task.get('id')} carries no claim_id: it was not created by factcheck.",
                              code="F512")
    sentence = data["sentence"] if isinstance(data.get("sentence"), str) else ""
    annotation_id = annotation.get("id")
    verdict = Verdict(
        claim_id=claim_id, task_id=task.get("id"), verdict=None,
        annotation_id=annotation_id if _whole(annotation_id) else None,
        annotator=_annotator(annotation), lead_time=_number(annotation.get("lead_time")),
        created_at=_text(annotation.get("created_at")), updated_at=_text(annotation.get("updated_at")),
    )
    results = annotation.get("result")
    if results is None:
        results = []
    if not isinstance(results, list):
        verdict.problems.append(f"result is {_kind(results)}, not a list of results")
        results = []
    for item in results:
        if not isinstance(item, dict):
            verdict.problems.append(f"a result is {_kind(item)}, not an object")
            continue
        name, value = item.get("from_name"), item.get("value")
        if not isinstance(value, dict):
            verdict.problems.append(f"{name}: value is {_kind(value)}, not an object")
            continue
        if name in ("verdict", "checkworthy"):
            _read_choice(verdict, name, value)
        elif name == "evidence":
            for entry in _texts(verdict, name, value):
                url, _, note = entry.partition("|")
                try:
                    verdict.evidence.append(Evidence(normalise_url(url), note.strip()))
                except ValueError as exc:
                    verdict.problems.append(str(exc))
        elif name == "corrected_claim":
            text = " ".join(_texts(verdict, name, value)).strip()
            verdict.corrected_claim = text or None
        elif name == FROM_NAME_SPAN:
            _read_span(verdict, sentence, value)
    if verdict.verdict is None and verdict.checkworthy is None and not verdict.problems:
        verdict.problems.append("neither a verdict nor a triage choice given")
    return verdict


#: Triage choices (the ``checkworthy`` control) → (check-worthy?, implied verdict).
TRIAGE = {"check-worthy": (True, None), "not check-worthy": (False, None), "not a claim": (False, "not a claim")}


def _read_choice(verdict: Verdict, name: str, value: dict) -> None:
    choices = value.get("choices")
    if isinstance(choices, str):  # Label Studio stores a bare string as given: one choice, not its letters
        choices = [choices]
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        verdict.problems.append(f"{name}: choices is {_kind(choices)}, not a list of strings")
        return
    if len(choices) != 1:
        verdict.problems.append(f"{name}: {len(choices)} choices given, expected one")
        return
    choice = choices[0]
    if name == "verdict":
        if choice in VERDICTS:
            verdict.verdict = choice
        else:
            verdict.problems.append(f"unknown verdict {choice!r}")
    elif choice in TRIAGE:
        verdict.checkworthy, implied = TRIAGE[choice]
        verdict.verdict = verdict.verdict or implied
    else:
        verdict.problems.append(f"unknown triage choice {choice!r}")


def _texts(verdict: Verdict, name: str, value: dict) -> list[str]:
    texts = value.get("text")
    if isinstance(texts, str):
        return [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        verdict.problems.append(f"{name}: text is {_kind(texts)}, not a list of strings")
        return []
    return texts


def _read_span(verdict: Verdict, sentence: str, value: dict) -> None:
    raw_start, raw_end = value.get("start"), value.get("end")
    if not (_whole(raw_start) and _whole(raw_end)):
        verdict.problems.append(f"span start/end {raw_start!r}–{raw_end!r} are not whole numbers")
        return
    start, end = from_utf16(sentence, raw_start), from_utf16(sentence, raw_end)
    if not (0 <= raw_start and 0 <= start < end <= len(sentence)):
        verdict.problems.append(f"span {raw_start}–{raw_end} is outside the sentence")
        return
    labels = value.get("labels")
    label = labels[0] if isinstance(labels, list) and labels and isinstance(labels[0], str) else "?"
    verdict.span_corrections.append({"label": label, "start": start, "end": end, "text": sentence[start:end]})


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    """How a malformed value is named in a problem: ``null``, ``the string 'r'``, ``a number``."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    names = {int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    if isinstance(value, datetime):  # an SDK object's timestamps, after .dict()
        return value.isoformat().replace("+00:00", "Z")
    return value if isinstance(value, str) else None


def _annotator(annotation: dict) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return who.get("email") or who.get("username") or str(who.get("id"))
    return None if who is None else str(who)
