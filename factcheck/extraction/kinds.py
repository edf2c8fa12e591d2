"""Claim candidates → kind: is this a checkable claim, and of what sort?

Rules, ordered from the strongest signal down. Rejections first: a question, a
prediction or a hedged opinion is not a claim even when it holds a number ("这一比例
恐怕还会翻番" has a number and is still a prediction). Then the checkable kinds, by what
an annotator would check: an attributed statement (quote), a number (numeric), a
comparison (comparative), a dated fact (temporal), a named actor doing something
(event). What is left is opinion, or meta for headings and navigation text.

The classifier (``factcheck.extraction.score``) refines this with a check-worthiness score; these
rules keep working without a model and give the reasons they fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The lookaheads list the characters a match can start with: the regex engine then tries the
# alternatives only there, not at every character of the sentence.
_ZH_QUESTION = re.compile(
    r"(?=[？?难岂何怎又吗])(?:[？?]\s*[”\"」』）)]*\s*$|^(难道|岂|何必|怎能|怎么可能)|(难道|岂不|何尝|又如何|吗)[？?]?$)"
)
_ZH_PREDICTION = re.compile(
    r"(将会|将要|即将|或将|必将|势必|恐将|料将|有望|预计|预期|预料|可能会|可能|或许|也许|大概率|很可能|"
    r"未来|届时|到时|一旦|如果|假如|若是|倘若|要是|将(?=[\u4e00-\u9fff]{1,4}(增|减|升|降|达|超|成为|面临|导致|引发|迎来|出现|推动|带来))|"
    r"会(?=[\u4e00-\u9fff]{0,3}(上升|下降|增加|减少|扩大|缩小|升级|爆发|失控|破裂|重启|更高|更低|成为|导致|引发|出现)))"
)
_ZH_OPINION = re.compile(
    r"(我认为|我们认为|笔者|本人|显然|无疑|毫无疑问|显而易见|不言而喻|本身就|说明了|意味着|值得|应该|应当|"
    r"必须|不得不|难以|不可能|根本|无法|只会|才是|关键在于|问题在于|在于|看来|似乎|堪称|所谓|不容|令人|"
    r"可谓|不过是|最好|太|骗不了|信号|叙事|剧本|逻辑|难度|并不新鲜|另一回事|不是.{0,12}能|有分析认为|"
    r"分析认为|分析人士认为|有观点认为|部分分析家|认为|相信|希望|担心|担忧|恐怕|不妨|岂能|可见|总之|"
    r"综上|归根结底|说到底|毋庸置疑|非常重要|至关重要|十分重要|极为|极其|可观|惊人|难得|来之不易|不值一提|"
    r"乐观|悲观|想象)"
)
_ZH_META = re.compile(r"^(本文|本报告|本期|引言|前言|结语|参考文献|小结|导读|编者按|以下|如下|图\d|表\d)")
_ZH_COMPARATIVE = re.compile(
    r"(?=[比超远快慢高低大小多少强弱优好差首第领落相仅之最])"
    r"(比.{1,15}(多|少|高|低|大|小|快|慢|强|弱)|超过|超出|远超|(快|慢|高|低|大|小|多|少|强|弱|优|好|差)于|首次|第一|"
    r"领先|落后|相当于|仅次于|之一|最(?!高领袖|高法院|高人民|高检|终|后|初|近|新|先)[\u4e00-\u9fff]{1,3}(的|之一|$))"
)
_ZH_EVENT_VERB = re.compile(
    r"(了|已|已经|曾|宣布|批准|签署|通过|发布|举行|召开|达成|退出|加入|撤离|启动|实施|恢复|暂停|终止|"
    r"访问|抵达|会见|会晤|任命|当选|逮捕|袭击|打击|发射|轰炸|出台|成立|建成|上台|下台|撤销|提醒|要求|"
    r"拒绝|同意|承诺|制裁|解除|开始|结束|举办|完成|提高|降低|增加|减少|扩大|缩减|关闭|开放|拥有|部署|"
    r"建设|兴建|修建|建造|投产|投资|收购|生产|出口|进口|运营|设立|开设|正在)"
)

_EN_QUESTION = re.compile(r"\?\s*[\"'”’)]*\s*$")
# Modal verbs are matched in lower case only: "May 2018" is a month, not a modal.
_EN_PREDICTION = re.compile(
    r"\b(will|would|may|might|could|shall)\b|"
    r"\b(?i:going to|is expected to|are expected to|is likely to|are likely to|likely|unlikely|forecasts?|"
    r"predicts?|projected to|poised to|set to|bound to|in the future|if)\b"
)
_EN_OPINION = re.compile(
    r"\b(I think|we think|I believe|we believe|in my view|in our view|clearly|obviously|undoubtedly|"
    r"arguably|surely|should|must|ought to|need to|needs to|it is (?:hard|easy|clear|obvious|time)|"
    r"seems?|appears? to|perhaps|maybe|probably|remarkable|absurd|disastrous|shameful|welcome|"
    r"deserves?|unacceptable|no one can|nobody can|frankly|of course|the real question|the point is|"
    r"in other words|matters? more|is all about|little more than|nothing more than|so-called)\b",
    re.I,
)
_EN_META = re.compile(
    r"^(this article|in this article|this report|introduction|conclusion|references|related:|read more"
    r"|share this|subscribe|advertisement)\b",
    re.I,
)
_EN_COMPARATIVE = re.compile(
    r"\b(more|less|fewer|higher|lower|larger|smaller|bigger|faster|slower|greater)\s+than\b|"
    r"\b(largest|biggest|highest|lowest|smallest|most|least|fastest|first|record)\b",
    re.I,
)
_EN_EVENT = re.compile(
    r"\b(announced|signed|approved|agreed|withdrew|launched|held|met|visited|arrived|attacked|struck|"
    r"imposed|lifted|ordered|evacuated|passed|adopted|rejected|elected|appointed|began|ended|opened|"
    r"closed|completed|resumed|suspended|fell|rose|dropped|reached|increased|decreased|cut|raised|"
    r"exported|produced|killed|injured|was|were|has|have|had|[a-z]+ed)\b",
    re.I,
)


_ANONYMOUS = re.compile(
    r"(有分析|分析人士|有观点|部分分析|有人|外界|舆论|业内人士|"
    r"\b(?:some|many) (?:analysts|experts|observers|critics|people)\b|"
    r"\bcritics\b|\bobservers\b|\bit is said\b)",
    re.I,
)


@dataclass(slots=True)
class KindSignals:
    """What the earlier stages found in a candidate, used to decide its kind."""

    lang: str
    text: str  # the clause as written
    sentence: str
    block: str = "body"  # body, caption or heading
    has_quantity: bool = False
    has_absolute_time: bool = False
    has_entity: bool = False
    attributed: bool = False
    named_source: bool = False  # the attribution names who said it


def classify_kind(sig: KindSignals) -> tuple[str, list[str]]:
    """Return ``(kind, reasons)`` for one candidate."""
    zh = sig.lang == "zh"
    question = _ZH_QUESTION if zh else _EN_QUESTION
    prediction = _ZH_PREDICTION if zh else _EN_PREDICTION
    opinion = _ZH_OPINION if zh else _EN_OPINION
    meta = _ZH_META if zh else _EN_META
    comparative = _ZH_COMPARATIVE if zh else _EN_COMPARATIVE
    event = _ZH_EVENT_VERB if zh else _EN_EVENT

    if question.search(sig.sentence.strip()) or question.search(sig.text):
        return "question", ["ends as a question"]
    if sig.block == "heading" or meta.search(sig.text.strip()):
        return "meta", ["heading or text about the article itself"]
    # "Some analysts think" is an opinion wearing an attribution, not a quote.
    # Only the speaker's position counts: "警告外界" has 外界 as its object.
    attributed = sig.attributed and sig.named_source and not _ANONYMOUS.search(sig.text[:16])
    if m := prediction.search(sig.text):
        if attributed:
            return "quote", [f"attributed forecast ({m.group(0)!r})"]
        return "prediction", [f"prediction marker {m.group(0)!r}"]
    if m := opinion.search(sig.text):
        if attributed:
            return "quote", [f"attributed view ({m.group(0)!r})"]
        return "opinion", [f"opinion marker {m.group(0)!r}"]
    if attributed:
        return "quote", ["attributed statement"]
    if sig.has_quantity:
        return "numeric", ["has a quantity"]
    if m := comparative.search(sig.text):
        return "comparative", [f"comparison {m.group(0)!r}"]
    if sig.has_absolute_time:
        return "temporal", ["has a dated time expression"]
    if sig.has_entity and event.search(sig.text):
        return "event", ["named actor with an event verb"]
    if sig.block == "caption" and sig.has_entity:
        return "event", ["photo caption naming an actor"]
    return "opinion", ["no checkable content (no number, date, attribution or event)"]
