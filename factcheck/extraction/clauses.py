"""Sentences → atomic clauses.

A compound sentence holds several checkable statements; each becomes its own claim
with the exact source span of its clause. A clause that lacks a subject borrows the
sentence's (the *carried subject*); ``extract`` carries the time anchor the same way.

Chinese has no dependency parser on the registry, so clauses are cut at ，；,; (outside
brackets and quotes, never inside a number such as 130,000) and, for 、, only between
two numeric statements. Fragments that cannot stand alone (a bare time adverbial
such as 截至2019年9月, a connective such as 此外) are merged into the next clause.

English clauses come from en_core_web_sm's dependency tree: the root verb and the
verbs coordinated with it (``conj``), each with its own subtree.

Attributed sentences (X称…, X said that …) are not split: the attribution governs
every clause, and the quote is checked as one statement.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from factcheck.extraction import spacy_without_torch  # noqa: F401  (first: spaCy without thinc's torch import)

# isort: split
from spacy.tokens import Span

from factcheck.extraction.components import LIGHT_TOKENS, span_ents
from factcheck.records import Sentence

_ZH_BREAKS = set("，；,;")
_OPENERS = {"（": "）", "(": ")", "《": "》", "“": "”", "「": "」", "『": "』", "【": "】", "[": "]"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_CUT_CHARS = re.compile("[" + re.escape("".join([*_OPENERS, *_CLOSERS, '"', *_ZH_BREAKS])) + "]")
_TRAILING = "。！？!?；;，,、.…：:" + " \u3000\t\r\n"
# Verbs that introduce reported speech. 宣布/发布 are left out: "X宣布制裁" is an event.
_ZH_SAY = frozenset((
    "称", "表示", "说", "指出", "强调", "透露", "介绍", "坦言", "声称", "警告", "证实",
    "承认", "提到", "写道", "重申", "回应", "告诉", "表态", "说明", "认为",
))
_ZH_SAY_ANY = re.compile("|".join(sorted(_ZH_SAY)) + "|称|说")
_ZH_SOURCE_LEAD = re.compile(r"^(据|根据|援引|引述|按照).{0,30}(报道|消息|数据|统计|显示|公布|测算|估计|统计数据)")
_ZH_CONNECTIVES = re.compile(
    r"^(然而|但是|但|而且|并且|而|并|且|同时|此外|另外|其中|随后|此后|最后|最终|因此|所以|于是|不过|"
    r"目前|如今|当时|当日|次年|此前|之后|其后|与此同时|事实上|实际上|总之|首先|其次|再次|另一方面|一方面)$"
)
# Subordinate clauses (condition, purpose, concession, cause, viewpoint) lean on the
# main clause that follows: they are merged into it rather than standing alone.
_ZH_SUBORDINATE = re.compile(
    r"^(如果|假如|假设|若|倘若|要是|一旦|为了|尽管|虽然|即使|即便|就算|哪怕|由于|因为|随着|除了|"
    r"在.{1,12}(看来|期间|背景下|情况下|之际|同时|过程中)$|对.{1,12}(来说|而言)$|与其说)"
)
# Pronouns and collective nouns that are a clause's own subject.
_ZH_OWN_SUBJECT = re.compile(
    r"^.{0,3}?(其|它|他|她|他们|她们|它们|该国|双方|各方|两国|我们|我国|这|那|此|对方|后者|前者)"
)
_ZH_LEADING_CONJ = re.compile(r"^(并且|而且|并|且|而|同时|还|也|又|则|随后|此后|最终|最后)")
_ZH_VERB_TAGS = frozenset(("v", "vd", "vi", "vg", "vq", "vn", "vshi", "vyou"))
# Who an attributed statement comes from, when the speaker is not a named entity.
_ZH_SPEAKER = re.compile(
    r"(负责人|发言人|官员|主任|局长|部长|专家|人士|部门|方面|政府|报告|声明|公报|通报|媒体|机构"
    r"|委员会|总统|总理|外长|大使)"
)
_EN_SAY = {
    "say", "tell", "state", "announce", "claim", "report", "confirm", "add", "warn", "insist",
    "note", "write", "declare", "argue", "estimate", "reveal", "disclose", "acknowledge",
}
_SUBJECT_LABELS = ("GPE", "ORG", "PERSON", "NORP", "LAW", "FAC")


@dataclass(slots=True)
class Clause:
    """A clause of a sentence; ``start``/``end`` are offsets into the article text."""

    start: int
    end: int
    subject: str | None = None  # carried from the sentence when the clause lacks one
    attributed: bool = False  # the sentence is an attributed statement (X said …)
    source: str | None = None  # 据…报道 / according to … lead-in, when present


def split_clauses(sentence: Sentence, span: Span, base: int) -> list[Clause]:
    """Split one sentence into clauses (see the module docstring)."""
    if sentence.lang == "zh":
        return _split_zh(sentence, span, base)
    return _split_en(sentence, span, base)


# --- Chinese -------------------------------------------------------------------------


def _zh_cut_points(text: str) -> list[tuple[int, int]]:
    """(start, end) of raw segments between top-level clause punctuation."""
    segments: list[tuple[int, int]] = []
    depth_stack: list[str] = []
    seg_start = 0
    for m in _CUT_CHARS.finditer(text):  # the loop below ignores every other character
        i, ch = m.start(), m.group()
        if ch in _OPENERS and not (ch == "“" and depth_stack and depth_stack[-1] == "“"):
            depth_stack.append(ch)
        elif ch in _CLOSERS and depth_stack and depth_stack[-1] == _CLOSERS[ch]:
            depth_stack.pop()
        elif ch == '"':  # straight quotes open and close alike
            if depth_stack and depth_stack[-1] == '"':
                depth_stack.pop()
            else:
                depth_stack.append('"')
        elif ch in _ZH_BREAKS and not depth_stack:
            if ch == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue  # 130,000
            segments.append((seg_start, i))
            seg_start = i + 1
    segments.append((seg_start, len(text)))
    return segments


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \u3000\t\r\n，,；;、":
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end


_IDX = attrgetter("idx")


def _zh_tokens_in(span: _Materialised, base: int, start: int, end: int) -> list:
    """Tokens with ``start <= base + idx < end`` (tokens are in text order)."""
    tokens = span.tokens
    lo = bisect_left(tokens, start - base, key=_IDX)
    return tokens[lo : bisect_left(tokens, end - base, lo, key=_IDX)]


_ZH_TIME_ONLY = re.compile(
    r"^(截至|截止|截止到|自|从|到|在|于|直到|早在|进入|每逢)?"
    r"[\d〇零一二三四五六七八九十两年月日号底初末中旬上下半季度第世纪代前后今去明本当每\s/.-]+"
    r"(起|以来|以后|之后|之前|以前|前|后|为止|期间|时|间)?$"
)


_TAG = attrgetter("tag_")
_NUMBER_STATEMENT = re.compile(r"\d|[一二三四五六七八九十百千万亿两]+[%个年月日天人台枚座吨米桶元]")


def _has_predicate(tokens: list, text: str) -> bool:
    if _ZH_TIME_ONLY.match(text):
        return False  # 截至2019年9月: an anchor for the next clause, not a clause
    if not _ZH_VERB_TAGS.isdisjoint(map(_TAG, tokens)):
        return True
    # A number with a unit is a statement by itself (高达50%, 约300公斤).
    return bool(_NUMBER_STATEMENT.search(text))


class _Materialised:
    """A span's tokens and entities as plain lists: the helpers below scan them many
    times per sentence, and iterating a spaCy Span builds Token objects every time."""

    __slots__ = ("_span", "_tokens", "_ents")

    def __init__(self, span: Span) -> None:
        self._span = span
        self._tokens: list | None = None
        self._ents: list | None = None

    @property
    def ents(self) -> list:
        if self._ents is None:
            self._ents = span_ents(self._span)
        return self._ents

    @property
    def tokens(self) -> list:
        """Built on first use (like ``ents``): a one-segment sentence is split without
        reading them."""
        if self._tokens is None:
            span = self._span
            light = span.doc.user_data.get(LIGHT_TOKENS)
            self._tokens = light[span.start : span.end] if light is not None else list(span)
        return self._tokens

    def __iter__(self):
        return iter(self.tokens)


def _split_zh(sentence: Sentence, sentence_span: Span, base: int) -> list[Clause]:
    span = _Materialised(sentence_span)
    text = sentence.text
    whole_start, whole_end = _trim(text, 0, len(text))
    raw = [_trim(text, s, e) for s, e in _zh_cut_points(text)]
    raw = [(s, e) for s, e in raw if e > s]
    if not raw:
        return []
    first = text[raw[0][0] : raw[0][1]]
    source = first if _ZH_SOURCE_LEAD.match(first) and len(raw) > 1 else None
    # From the first "speaker + say-verb" segment on, the rest of the sentence is what
    # was said: one quote clause. Segments before it are split as usual.
    quote_at = None
    if _ZH_SAY_ANY.search(text):  # every say-verb token _zh_attributed accepts is in the text
        quote_at = next((i for i, seg in enumerate(raw) if _zh_attributed(sentence, span, base, seg)), None)
    quote_start = raw[quote_at][0] if quote_at is not None else None
    if quote_start is not None:
        raw = raw[:quote_at]
        if not raw:
            return [_zh_clause(sentence, quote_start, whole_end, attributed=True)]

    if quote_start is None and len(raw) == 1 and "、" not in text[raw[0][0] : raw[0][1]]:
        # One segment and no quote (most of half of all sentences): the merging below
        # would keep it whole, and a first clause never carries a subject. Skip the scans.
        return [_zh_clause(sentence, *raw[0], source=source)]
    # 、 separates clauses only when both sides are numeric statements.
    pieces: list[tuple[int, int]] = []
    for s, e in raw:
        parts = [(s, e)]
        if "、" in text[s:e]:
            subs, cursor = [], s
            for m in re.finditer("、", text[s:e]):
                subs.append((cursor, s + m.start()))
                cursor = s + m.end()
            subs.append((cursor, e))
            if all(re.search(r"\d", text[a:b]) and len(text[a:b]) >= 4 for a, b in subs):
                parts = subs
        pieces.extend(parts)

    merged: list[list[int]] = []
    pending_start: int | None = None
    for s, e in pieces:
        seg = text[s:e]
        tokens = _zh_tokens_in(span, base - sentence.start, s, e)
        stands_alone = (
            _has_predicate(tokens, seg)
            and len(seg) >= 4
            and not _ZH_CONNECTIVES.match(seg)
            and not _ZH_SUBORDINATE.match(seg)
            and not _ZH_SOURCE_LEAD.match(seg)
        )
        if not stands_alone:
            if pending_start is None:
                pending_start = s
            continue
        merged.append([pending_start if pending_start is not None else s, e])
        pending_start = None
    if pending_start is not None and quote_start is not None:
        quote_start = pending_start  # 2025年4月12日，X称…: the lead-in belongs to the quote
    elif pending_start is not None:  # a trailing fragment belongs to the clause before it
        if merged:
            merged[-1][1] = pieces[-1][1]
        else:
            merged.append([pending_start, pieces[-1][1]])

    # A clause without a subject of its own borrows the nearest earlier clause's
    # (…，伊朗坚持…，拒绝… → 伊朗拒绝…).
    clauses = []
    current = None
    for k, (s, e) in enumerate(merged):
        own = None
        if span.ents:  # subjects are named entities: none, nothing to look for
            own = _zh_own_subject(sentence, span, base, s, e)
            if own is None and k == 0:
                own = _zh_subject(sentence, span, base, [s, e])
        carried = None
        if own is not None:
            current = own
        elif k > 0 and current and not _ZH_OWN_SUBJECT.match(text[s:e]):
            carried = current
        clauses.append(_zh_clause(sentence, s, e, subject=carried, source=source))
    if quote_start is not None:
        clauses.append(_zh_clause(sentence, quote_start, whole_end, attributed=True))
    return clauses


def _zh_attributed(sentence: Sentence, span: _Materialised, base: int, first: tuple[int, int]) -> bool:
    """Does the first clause open with "speaker + say-verb" (X表示…, X在声明中称…)?"""
    rel_base = base - sentence.start
    s, e = first
    for token in _zh_tokens_in(span, rel_base, s, e):
        # jieba sometimes glues 称 to the word before it (上称): accept unknown tokens ending in 称/说.
        if token.text in _ZH_SAY or (not token.tag_ and token.text[-1] in "称说"):
            at = rel_base + token.idx + (len(token.text) - 1 if token.text not in _ZH_SAY else 0)
            before = sentence.text[s:at]
            if before and (_entities_in(span, rel_base, s, at) or _ZH_SPEAKER.search(before)):
                return True
    return False


def _zh_clause(sentence: Sentence, s: int, e: int, **kwargs) -> Clause:
    return Clause(sentence.start + s, sentence.start + e, **kwargs)


def _entities_in(span: _Materialised, base: int, start: int, end: int) -> list:
    return [ent for ent in span.ents if start <= base + ent.start_char < end]


def _zh_subject(sentence: Sentence, span: _Materialised, base: int, first: list[int]) -> str | None:
    """The first actor named in the first clause: the sentence's subject."""
    rel_base = base - sentence.start
    s, e = first
    for ent in _entities_in(span, rel_base, s, e):
        if ent.label_ in _SUBJECT_LABELS:
            return ent.text
    return None


_ZH_PREPOSITIONS = set("被对向与和在从给把将同跟让替为由及")
# Verbs that open time adverbials (截至2019年9月) rather than predicates.
_TIME_VERBS = {"截至", "截止", "直到", "到", "自", "从", "经过", "进入"}


def _zh_own_subject(sentence: Sentence, span: _Materialised, base: int, s: int, e: int) -> str | None:
    """The named actor before the clause's first predicate verb, if any."""
    rel_base = base - sentence.start
    verb_at = e
    for t in _zh_tokens_in(span, rel_base, s, e):
        if t.tag_ in _ZH_VERB_TAGS and t.tag_ != "vn" and t.text not in _TIME_VERBS:
            verb_at = rel_base + t.idx
            break
    for ent in _entities_in(span, rel_base, s, verb_at):
        at = rel_base + ent.start_char
        # 被美国撕毁, 对伊朗实施: an agent or object after a preposition is not the subject.
        if ent.label_ in _SUBJECT_LABELS and not (at > s and sentence.text[at - 1] in _ZH_PREPOSITIONS):
            return ent.text
    return None


def strip_leading_conjunction(text: str) -> str:
    """并改造… → 改造… (for a clause that gets a carried subject in front)."""
    return _ZH_LEADING_CONJ.sub("", text, count=1)


# --- English -------------------------------------------------------------------------


def _split_en(sentence: Sentence, span: Span, base: int) -> list[Clause]:
    text = sentence.text
    whole = _trim(text, 0, len(text))
    root = span.root
    attributed = root.lemma_ in _EN_SAY and any(c.dep_ in ("ccomp", "parataxis") for c in root.children)
    attributed = attributed or bool(re.search(r"\baccording to\b", text, re.I))
    heads = [root] + _en_conj_verbs(root)
    if attributed or len(heads) == 1:
        return [Clause(sentence.start + whole[0], sentence.start + whole[1], attributed=attributed)]
    subject = _en_subject(root)
    clauses = []
    for head in heads:
        # A clause is its head's subtree minus the clauses coordinated under it.
        excluded = {
            t.i for other in heads if other is not head and head in other.ancestors for t in other.subtree
        }
        tokens = [t for t in head.subtree if t.i not in excluded and t.i >= span.start and t.i < span.end]
        # Drop the coordinating conjunction and punctuation that joined this clause.
        while tokens and (tokens[0].dep_ in ("cc", "punct") or tokens[0].is_space):
            tokens = tokens[1:]
        while tokens and (tokens[-1].dep_ in ("cc", "punct") or tokens[-1].is_space):
            tokens = tokens[:-1]
        if not tokens:
            continue
        start = base + tokens[0].idx
        end = base + tokens[-1].idx + len(tokens[-1].text)
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in head.children)
        carried = subject if head is not root and not has_subject else None
        clauses.append(Clause(start, end, subject=carried))
    return clauses or [Clause(sentence.start + whole[0], sentence.start + whole[1])]


def _en_conj_verbs(root) -> list:
    found, stack = [], [root]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                found.append(child)
                stack.append(child)
    return sorted(found, key=lambda t: t.i)


def _en_subject(root) -> str | None:
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return "".join(t.text_with_ws for t in child.subtree).strip()
    return None
