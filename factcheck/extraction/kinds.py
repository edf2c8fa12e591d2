"""Claim candidates → kind: is this a checkable claim, and of what sort?

The rules inform; the model judges. Each rule gives a kind and the reason it fired, and the
check-worthiness model (``factcheck.extraction.score``) then filters the soft kinds. A rule
rejects a candidate only where the *whole statement* is a question, a prediction, an opinion
or text about the text: a marker that fires inside reported speech or an accusation
("国际社会指责伊朗可能…", "据X称…", "estimates suggest that … would …", "X said that …") does
not reject the event, number or date it is reported with; the candidate is a ``quote``,
whose reasons say who reports it and which marker sits inside.

Order: a question (the clause that asks, not every clause of a sentence that ends with
one), a heading or meta text, then an attribution (a named speaker with a say-verb, an
accusation, reasons cited "以…为由"), then predictions and opinions in the author's own
voice, then the checkable kinds by what an annotator would check: a number (numeric), a
comparison (comparative), a dated fact (temporal), an actor doing something (event). A
statement with an event verb but no named actor is an ``event`` the model decides on; what
is left is opinion.

An anonymous or generic speaker ("有分析认为", "some analysts say") is no attribution: the
content is judged alone, as the annotation guideline does.
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
# Every alternative of _ZH_OPINION, _ZH_REPORT and _ANONYMOUS_ZH starts with a character, its
# lookbehind after it (本(?<![日基]本)人, not (?<![日基])本人): the regex engine then jumps to
# the characters that can start a match instead of trying each alternative at every one
# (a tenth of the time on the seed articles).
_ZH_OPINION = re.compile(
    r"(我认为|我们认为|笔者|本(?<![日基]本)人|显然|无疑|毫无疑问|显而易见|不言而喻|本身就|说明了|意味着|值得|应该|应当|"
    r"必须|不得不|难以|不可能|根本|无法|只会|才是|关键在于|问题在于|在于|看来|似乎|堪称|所谓|不容|令人|"
    r"可谓|不过是|最好(?![的地])|太(?<![老]太)(?![阳陽平后後子原湖空极極監监尉守保傅宗祖医醫白古阿])|骗不了|信号|叙事|剧本|逻辑|难度|并不新鲜|另一回事|不是.{0,12}能|有分析认为|"
    r"分析认为|分析人士认为|有观点认为|部分分析家|认为|相信|希望|担心|担忧|恐怕|不妨|岂能|可见|总之|"
    r"综上|归根结底|说到底|毋庸置疑|非常重要|至关重要|十分重要|极为|极其|可观|惊人|难得|来之不易|不值一提|"
    r"乐观|悲观|想象)"
)
_ZH_META = re.compile(r"^(本文|本报告|本期|引言|前言|结语|参考文献|小结|导读|编者按|以下|如下|图\d|表\d)")
# A call to pass the post on (请帮忙转发, 求扩散, 轉發周知): about the post, not about the world.
_ZH_CALL_TO_SHARE = re.compile(
    r"(请|請|求|恳请|懇請|麻烦|麻煩|希望|大家)[^，,。；;！!]{0,6}?(转发|轉發|扩散|擴散|转告|轉告|周知|分享)"
    r"|(^|[，,。！!])\s*(转发|轉發|扩散|擴散)(周知|一下|起来|起來)?\s*([！!。]|$)"
)
# A fixed schedule is a fact about the present, not a forecast ("届时…将到期", "will take effect on
# 1 June"); a hedge word turns it back into speculation.
_ZH_SCHEDULE = re.compile(
    r"(将|将于|将从|将在|将自|于|自|从)[^，,。；;]{0,24}?(到期|失效|生效|实施|施行|举行|召开|启用|开通|开幕|闭幕|"
    r"投入使用|上市|开始|结束|截止|起施行|起实施)"
)
_ZH_HEDGE = re.compile(r"可能|也许|或许|恐怕|大概|大概率|有望|势必|必将|或将|料将|恐将|如果|假如|若|一旦|要是|倘若")
_EN_SCHEDULE = re.compile(
    r"\bwill (?:take effect|come into force|enter into force|expire|begin|start|end|open|close|resume|"
    r"be held|be launched|be released)\b"
)
_EN_HEDGE = re.compile(r"\b(?:may|might|could|would|likely|unlikely|probably|perhaps|if|unless|expected)\b", re.I)
# "从全国范围看", "总体来看": a clause that only leads in to what follows.
_ZH_LEAD_IN = re.compile(r"^(从|就|总体|整体|综合|总的|相比之下).{0,12}?(看|来看|而言|来说|说来)$")
# Each alternative starts with a character (快于, not (快|…)于): see _ZH_OPINION.
_ZH_COMPARATIVE = re.compile(
    r"(比.{1,15}(多|少|高|低|大|小|快|慢|强|弱)|超过|超出|远超|"
    r"快于|慢于|高于|低于|大于|小于|多于|少于|强于|弱于|优于|好于|差于|首次|第一|"
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


_ANONYMOUS_ZH = re.compile(
    r"有分析|分析人士|分析家|分析师|有观点|部分分析|有人|外界|舆论|业内人士|知情人士|消息人士|网友|网民|有专家|专家|"
    r"许多(?:人|学者|观察人士|官员)|一些(?:人|学者|观察人士|官员)|不少(?:人|学者|观察人士|官员)|"
    r"多数(?:人|学者|观察人士|官员)|有些(?:人|学者|观察人士|官员)|部分(?:人|学者|观察人士|官员)|"
    r"据说|据传|据悉|传闻|相传"
)
_ANONYMOUS_EN = re.compile(
    r"\b(?:some|many|several) (?:analysts|experts|observers|critics|people|sources)\b|"
    r"\bcritics\b|\bobservers\b|\bit is said\b|\bpeople familiar\b|\bsources\b|\breportedly\b",
    re.I,
)


def _anonymous(text: str) -> bool:
    """Does ``text`` name an anonymous source (有分析, 知情人士, some analysts, sources)?"""
    return bool(_ANONYMOUS_ZH.search(text) or _ANONYMOUS_EN.search(text))
# The author's own voice: "我认为" is an opinion, not a quote.
_FIRST_PERSON = re.compile(r"^(我|我们|咱|咱们|笔者|本人|本文|本报|小编|\bI\b|\bwe\b)", re.I)
# Say-verbs, accusations and attitude verbs that open what someone else reports. 称 as in
# 称为/称作/堪称 names a thing; 说 as in 说明/说到底 is no speech.
_ZH_REPORT = re.compile(
    r"称(?<![堪号號俗简簡统統并並自]称)(?![为為爲作号號呼赞讚得])|稱(?![为為爲作号號呼赞讚得])|"
    r"说(?<![来來所话話再听聽据據]说)(?=[，,：:“\"「]|道)|說(?<![来來所话話再听聽据據]說)(?=[，,：:“\"「]|道)|表示|表态|表態|指出|透露|宣布|宣佈|警告|强调|強調|重申|"
    r"承认|承認|否认|否認|证实|證實|披露|报道|報道|報導|指责|指責|指控|谴责|譴責|批评|批評|控诉|控訴|"
    r"质疑|質疑|认为|認為|認爲|相信|担心|擔心|担忧|擔憂|怀疑|懷疑|预计|預計|估计|估計|预测|預測|"
    r"呼吁|呼籲|主张|主張|坚持|堅持|要求|提出|告诉|告訴|获悉|獲悉"
)
# 据X称/报道 (according to X) and X以…为由 (X cited … as reasons): the speaker comes first.
_ZH_ACCORDING = re.compile(r"据(?!说|传|悉)(.{2,24}?)(?:称|稱|报道|報道|透露|介绍|統計|统计|显示|顯示|消息)")
_ZH_REASONS = re.compile(r"以(.{2,80}?)(?:为由|為由|爲由)")
_EN_REPORT = re.compile(
    r"\b(?:said|says|say|told|tells|announced|announces|stated|states|reported|reports|claimed|claims|"
    r"accused|accuses|alleged|alleges|warned|warns|estimated|estimates|estimate|suggest|suggests|suggested|"
    r"showed|shows|show|found|finds|argued|argues|insisted|insists|noted|notes|added|confirmed|confirms|"
    r"denied|denies|predicted|predicts|projected|projects|forecast|forecasts|expects|expected|believes|"
    r"believed|(?i:according to))\b"
)
# A sentence that opens with an anonymous view ("有分析认为，…", "Some analysts say …"): the
# clauses after it are that view, checkable only with a number or a date of their own.
_ANONYMOUS_VIEW = re.compile(
    r"(有分析|分析人士|有观点|部分分析家?|有专家|业内人士|外界|舆论|有人)[^，,。；;]{0,8}?(认为|相信|称|表示|指出|担心|预计)|"
    r"\b(?i:some|many|several) (?i:analysts|experts|observers|critics)\b[^,;.]{0,12}?\b"
    r"(?:say|said|believe|think|argue|warn|expect)"
)
_CLAUSE_PUNCT = re.compile(r"[，,；;：:。！!？?]")


@dataclass(slots=True, frozen=True)
class Report:
    """Who reports a statement and where the reported part starts (offsets into the clause)."""

    speaker: str
    verb: str
    start: int  # where the say-verb (or 据 / 以) starts: markers from here on are reported


def find_report(text: str, lang: str) -> Report | None:
    """The attribution frame of ``text`` with a named speaker: "X称…", "X指责…", "据X报道…",
    "X以…为由", "X said (that) …", "according to X, …". None when there is none, or when
    the speaker is anonymous ("有分析认为", "some analysts say") or the author ("我认为")."""
    if lang == "zh":
        candidates = []
        if m := _ZH_ACCORDING.search(text):
            candidates.append(Report(m.group(1), "据", m.start()))
        for m in _ZH_REPORT.finditer(text):
            if m.start() and text[m.start() - 1] == "的":
                continue  # 引发…的担忧, 美国的警告: the word is a noun here, no one says anything
            before = text[: m.start()]
            speaker = _CLAUSE_PUNCT.split(before)[-1].strip(" 　“”\"【】[]")
            candidates.append(Report(speaker, m.group(0), m.start()))
        if m := _ZH_REASONS.search(text):
            speaker = _CLAUSE_PUNCT.split(text[: m.start()])[-1].strip()
            candidates.append(Report(speaker, "以…为由", m.start()))
    else:
        candidates = []
        for m in _EN_REPORT.finditer(text):
            if _EN_REPORT.match(text, m.end() + 1):
                continue  # "estimates suggest": the first word is the speaker's noun
            if m.group(0).lower() == "according to":
                speaker = re.split(r"[,;:]", text[m.end() :], maxsplit=1)[0].strip()
            else:
                speaker = re.split(r"[,;:]", text[: m.start()])[-1].strip()
            candidates.append(Report(speaker, m.group(0), m.start()))
    for report in sorted(candidates, key=lambda r: r.start):
        if _is_speaker(report.speaker, lang):
            return report
    return None


def _is_speaker(speaker: str, lang: str) -> bool:
    """A named or identifiable speaker: a few words, not anonymous, not the author, not "this"."""
    if lang == "zh":
        han = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", speaker)
        if not 2 <= len(han) <= 30 or re.match(r"^(这|那|此|這)", han):
            return False
    elif not re.search(r"[A-Za-z]{2}", speaker) or len(speaker.split()) > 12 or re.match(
        r"^(?:it|this|that|there)\b", speaker, re.I
    ):
        return False
    return not _anonymous(speaker) and not _FIRST_PERSON.match(speaker)


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


#: The reason of a candidate no rule marked either way: no number, date, attribution or
#: event, and no opinion, prediction or question marker. Without a model it is rejected;
#: with one, the model decides (:func:`factcheck.extraction.score.judge`).
NO_MARKER = "no checkable content (no number, date, attribution or event)"

_CLOSERS = " \t\u3000”\"」』）)'’"
# A character each question pattern needs (_ZH_QUESTION's opening lookahead, _EN_QUESTION's ?).
_QUESTION_CUE = re.compile("[？?难岂何怎又吗]")


def _asks(sig: KindSignals, question: re.Pattern[str]) -> bool:
    """Is this clause the question? A question mark rejects the clause that asks, not a fact
    stated in its own clause before it ("看到一个数据：…已超过1.25亿，你是其中之一吗？")."""
    if not (_QUESTION_CUE.search(sig.sentence) or _QUESTION_CUE.search(sig.text)):
        return False  # most candidates: neither pattern can match
    if question.search(sig.text):
        return True
    sentence = sig.sentence.strip()
    if not question.search(sentence):
        return False
    clause = sig.text.strip().rstrip(_CLOSERS + "。.!！")
    ending = sentence.rstrip(_CLOSERS + "？?。.!！")
    # The clause that ends the sentence asks; so does any clause of a short, one-clause question.
    if not clause or ending.endswith(clause) or len(sentence) - len(clause) <= 4:
        return True
    # An earlier clause is a statement only if it carries something checkable.
    return not (sig.has_quantity or sig.has_absolute_time or sig.has_entity)


def _schedule(text: str, zh: bool) -> str | None:
    """The schedule phrase of a clause whose future is fixed, not forecast, if any."""
    m = (_ZH_SCHEDULE if zh else _EN_SCHEDULE).search(text)
    if m is None or (_ZH_HEDGE if zh else _EN_HEDGE).search(text):
        return None
    return m.group(0)


def _anonymous_view(sig: KindSignals) -> str | None:
    """The anonymous-view opening ("有分析认为") of the sentence before this clause, if any."""
    at = sig.sentence.find(sig.text)
    m = _ANONYMOUS_VIEW.search(sig.sentence[:at]) if at > 0 else None
    return m.group(0) if m else None


def _frame_only(text: str, report: Report) -> bool:
    """Is the clause nothing but its speaker and say-verb ("欧佩克预计", "the ministry said")?"""
    strip = _CLOSERS + "，,：:。.；;！!—-「“\"'"
    before = text[: report.start].strip(strip)
    after = text[report.start + len(report.verb):].strip(strip)
    return not after and (not before or before == report.speaker.strip(strip)) and report.verb != "据"


_BRACKETED_HEADING = re.compile(r"【[^】]*】")
_HAN_OR_DIGIT = re.compile(r"[\u4e00-\u9fff0-9]")
# The first characters of _ZH_CALL_TO_SHARE's share words (转发, 擴散, 周知, 分享, …).
_SHARE_WORD_START = re.compile("[转轉扩擴周分]")


def _call_to_share(text: str) -> str | None:
    """The call, when the clause is a call to share the post and little else (5楼: 请帮忙转发);
    a clause that also states something (【请转发】今天…购买了1万多元的药品) is not one."""
    if not _SHARE_WORD_START.search(text):
        return None  # most clauses: no share word can be in it, with or without its headings
    body = _BRACKETED_HEADING.sub("", text)
    call = _ZH_CALL_TO_SHARE.search(body)
    if call is None or len(_HAN_OR_DIGIT.findall(body[: call.start()] + body[call.end() :])) > 6:
        return None
    return call.group(0).strip("，,。！! ")


def classify_kind(sig: KindSignals) -> tuple[str, list[str]]:
    """Return ``(kind, reasons)`` for one candidate."""
    zh = sig.lang == "zh"
    question = _ZH_QUESTION if zh else _EN_QUESTION
    prediction = _ZH_PREDICTION if zh else _EN_PREDICTION
    opinion = _ZH_OPINION if zh else _EN_OPINION
    meta = _ZH_META if zh else _EN_META
    comparative = _ZH_COMPARATIVE if zh else _EN_COMPARATIVE
    event = _ZH_EVENT_VERB if zh else _EN_EVENT

    if _asks(sig, question):
        return "question", ["ends as a question"]
    if sig.block == "heading" or meta.search(sig.text.strip()):
        return "meta", ["heading or text about the article itself"]
    if zh and (call := _call_to_share(sig.text)):
        return "meta", [f"a call to share the post ({call!r})"]
    # "Some analysts think" is an opinion wearing an attribution, not a quote.
    # Only the speaker's position counts: "警告外界" has 外界 as its object.
    attributed = sig.attributed and sig.named_source and not _anonymous(sig.text[:16])
    report = find_report(sig.text, sig.lang)
    marker = prediction.search(sig.text)
    kind_of_marker = "forecast" if marker else "view"
    marker = marker or opinion.search(sig.text)
    if report and _frame_only(sig.text, report):
        # "欧佩克（OPEC）预计，" split from what it introduces: who says it is not a claim alone.
        return "meta", [f"only the attribution ({report.speaker!r} {report.verb}): what is said is its own clause"]
    if marker and report and marker.start() >= report.start:
        # The marker sits in what the speaker reports: the claim is that they said it.
        return "quote", [f"attributed: {report.speaker!r} {report.verb}",
                         f"{'prediction' if kind_of_marker == 'forecast' else 'opinion'} marker "
                         f"{marker.group(0)!r} inside the reported part"]
    if marker and kind_of_marker == "forecast" and (schedule := _schedule(sig.text, zh)):
        return "event", [f"a fixed schedule ({schedule!r})"]
    if marker:
        if attributed:
            return "quote", [f"attributed {kind_of_marker} ({marker.group(0)!r})"]
        if kind_of_marker == "forecast":
            return "prediction", [f"prediction marker {marker.group(0)!r}"]
        return "opinion", [f"opinion marker {marker.group(0)!r}"]
    if attributed:
        return "quote", ["attributed statement"]
    if not (sig.has_quantity or sig.has_absolute_time) and (view := _anonymous_view(sig)):
        return "opinion", [f"the view of an anonymous source ({view!r})"]
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
    if schedule := _schedule(sig.text, zh):
        return "event", [f"a fixed schedule ({schedule!r})"]
    if zh and (m := _ZH_LEAD_IN.match(sig.text.strip())):
        return "opinion", [f"a lead-in, no statement ({m.group(0)!r})"]
    return "opinion", [NO_MARKER]
