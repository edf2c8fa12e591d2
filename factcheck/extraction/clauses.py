"""Sentences → atomic clauses.

A compound sentence holds several checkable statements; each becomes its own claim
with the exact source span of its clause. The parts a clause leaves out are carried
into it by grammar, not by nearness (``extract`` writes them into the claim's text):

* the *subject*: a clause without one continues the predicate of the clause before,
  so it borrows that clause's subject, the head noun phrase with its modifiers
  (沙特阿美第三季度净利润为277亿美元，同比下降15% → 沙特阿美第三季度净利润同比下降15%);
  a clause whose own subject is a bare measure (财政赤字, 通胀率) borrows the name
  that owns the chain's measures (沙特财政赤字);
* the *source*: an attribution that leads the sentence (据路透社报道, according to
  Reuters) is the ``source`` of every clause, never a subject, and is carried once;
* the *time anchor*: a time that leads the sentence dates the clauses of its event chain
  (``takes_time``), not a clause after a contrast (则, 但, while, whereas), and not the
  clauses after one whose time sits in a subordinate clause (X上台后，…).

Chinese has no dependency parser on the registry, so clauses are cut at ，；,; (outside
brackets and quotes, never inside a number such as 130,000) and, for 、, only between
two numeric statements; the subject is the run of words before a clause's predicate,
read from jieba's dictionary tags. A piece without a checkable predicate of its own is
no claim: a bare time (2003年至2012年), a connective (此外), a comparison frame
(与上月相比), a subordinate clause (若…, 为了…, X上台后, 以…为由) merges into the clause
it modifies, after it; a purpose, result or elaboration (以确保…, 使…, 包括…) into the
clause before it.

English clauses come from en_core_web_sm's dependency tree: the root verb and the
verbs coordinated with it (``conj``), each with its own subtree, and a non-restrictive
relative clause that states a number of its own (", which is more than 60 percent below …").

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
# The word lists below that end in a TRADITIONAL tuple hold the Traditional forms too, as
# OpenCC's s2t and s2tw write them (tests/test_clauses.py checks that they still do).
_ZH_SAY_SIMPLIFIED = (
    "称", "表示", "说", "指出", "强调", "透露", "介绍", "坦言", "声称", "警告", "证实",
    "承认", "提到", "写道", "重申", "回应", "告诉", "表态", "说明", "认为",
    "预计", "估计", "预测",  # a named forecaster's figure is a quote (issue 21), kept with who forecast it
)
_ZH_SAY_TRADITIONAL = (
    "介紹", "估計", "告訴", "回應", "寫道", "強調", "承認", "稱", "聲稱", "表態", "認為", "認爲", "說", "說明",
    "證實", "預測", "預計",
)
_ZH_SAY = frozenset((*_ZH_SAY_SIMPLIFIED, *_ZH_SAY_TRADITIONAL))
# Say-verbs that, opening a clause, report what the clause before's actor said (称其…);
# a forecast (预计油价将…) or a view (认为…) is a statement of its own.
_ZH_SAY_TAIL = _ZH_SAY - {"预计", "估计", "预测", "认为", "預計", "估計", "預測", "認為", "認爲"}
# A demand is a statement of the speaker's too (伊朗…，并坚持要求IAEA结束调查).
_ZH_DEMAND_SIMPLIFIED = ("要求", "坚持", "呼吁", "敦促", "坚称")
_ZH_DEMAND_TRADITIONAL = ("呼籲", "堅持", "堅稱")
_ZH_DEMAND = frozenset((*_ZH_DEMAND_SIMPLIFIED, *_ZH_DEMAND_TRADITIONAL))
_ZH_SAY_ANY = re.compile("|".join(sorted(_ZH_SAY)) + "|称|说|稱|說")
_ZH_SOURCE_LEAD = re.compile(
    r"^(据|根据|援引|引述|按照).{0,30}(报道|消息|数据|统计|显示|公布|发布|测算|估计|统计数据)(称|显示|指出)?$"
)
# A first piece that only says who reports (有消息称, 研究报告显示, 长江日报讯).
_ZH_SOURCE_SEGMENT = re.compile(
    r"^[^，,]{1,24}(报道|消息称|消息|讯|显示|表明|网上热传|热传)$"
    r"|^[^，,《]{1,10}《[^》]{1,20}》$"  # 中央4台《今日关注》: a programme, the source of what follows
)
# Headings and hashtags that open a Weibo post or a news lead: 【…】, #…#.
_ZH_HEADING = re.compile(r"^(\s*(【[^】]*】|#[^#]{1,30}#|\[[^\]]{0,10}\]】?))+\s*")
_ZH_HEADING_OPENERS = ("【", "#", "[")


def _without_heading(seg: str) -> str:
    """``seg`` without the 【heading】, #topic# or [tag] that opens it (most pieces open
    with none: a str test spares them the regex)."""
    return _ZH_HEADING.sub("", seg) if seg.lstrip().startswith(_ZH_HEADING_OPENERS) else seg


# An attribution of the clause's own, anywhere in it: the sentence's source is not carried there.
_ZH_OWN_SOURCE = re.compile(
    r"(^|[^根])据.{0,30}(报道|消息|数据|统计|显示|公布|发布|测算|估计)|根据.{0,30}(统计|数据|显示)"
)
_ZH_CONNECTIVES = re.compile(
    r"^(然而|但是|但|而且|并且|而|并|且|同时|此外|另外|其中|随后|此后|最后|最终|因此|所以|于是|不过|"
    r"目前|如今|当时|当日|次年|此前|之后|其后|与此同时|事实上|实际上|总之|首先|其次|再次|另一方面|一方面)$"
)
# Subordinate clauses (condition, purpose, concession, cause, viewpoint) lean on the
# main clause that follows: they are merged into it rather than standing alone.
_ZH_SUBORDINATE = re.compile(
    r"^(如果|假如|假设|若|倘若|要是|一旦|为了|尽管|虽然|即使|即便|就算|哪怕|(由于|因为|但因|因)(?!.*而)|随着|除了|经过|"
    r"在.{1,12}(看来|期间|背景下|情况下|之际|同时|过程中)$|对.{1,12}(来说|而言)$|与其说)"
)
# Frames that say under what comparison or view the next clause holds: 与上月相比,
# 以…为由, 两件事放在一起, 从这个角度看.
_ZH_FRAME = re.compile(
    r"^(与|和|同|跟|较|比)[^，,]{1,12}(相比|相较|比较|而言)$|^相比(之下|而言)?$"
    r"|以.{1,40}为由$|(放在一起|加在一起|叠在一起|合在一起|来看|看来|而言|来说|角度看)$"
)
# What a piece must end with (before an optional final newline, where $ also matches) for
# _ZH_FRAME or _ZH_SOURCE_SEGMENT to match: a str test first spares most pieces the regex
# (_ZH_FRAME's last alternatives are unanchored, so search tries every position).
_ZH_FRAME_ENDS = ("相比", "相较", "比较", "而言", "之下", "为由", "一起", "来看", "看来", "来说", "角度看")
_ZH_SOURCE_SEGMENT_ENDS = ("报道", "消息称", "消息", "讯", "显示", "表明", "热传", "》")


def _ends_with(seg: str, ends: tuple[str, ...]) -> bool:
    return seg.endswith(ends) or (seg.endswith("\n") and seg[:-1].endswith(ends))


# Time gone by (30多年过去了, 几个月后): when the next clause holds, not a claim.
_ZH_TIME_PASSED = re.compile(
    r"^[\d一二两三四五六七八九十百几多]+多?(年|个月|天|周|星期|小时)(过去了|过去|后|之后|以来)$"
)
_ZH_CONDITION = re.compile(r"如果|假如|假设|若|倘若|要是|一旦|只要")
# A condition cut off from its consequence (并威胁若制裁未解除，将…): the consequence follows.
_ZH_HALF_CONDITION = re.compile(r"^.{1,12}?(若|如果|假如|倘若|一旦|只要)(?!.*(将|就|则|便|会|才))")
# Words that open a purpose, result or elaboration of the clause before (以确保…, 使…,
# 包括…): no statement of its own, and no subject to carry into it.
_ZH_TAIL_WORDS = frozenset((
    "使", "使得", "致使", "导致", "迫使", "从而", "进而", "以便", "以免", "以期", "以防", "包括", "例如",
    "比如", "譬如", "诸如", "尤其是", "特别是", "即",
))
# Adverbs that may come before such a word (还包括…, 不仅包括…, 并使…).
_ZH_TAIL_OPENERS = frozenset(("还", "也", "又", "并", "并且", "而且", "不仅", "更", "进一步"))
# Words before a subject that are not part of it (其中北京1人…, 此外…).
_ZH_NP_LEAD_WORDS = frozenset((
    "其中", "此外", "另外", "同时", "目前", "如今", "年", "月", "日",
    # habitual times that jieba tags as pronouns or adjectives (每天/r, 一般/a)
    "每天", "每日", "每晚", "每周", "每月", "每年", "天天", "平时", "一般", "通常",
    "且",  # jieba tags it zg
    # connectives of a chain that jieba tags as nouns or pronouns (故/n, 为此/r, 原本/n)
    "故", "为此", "因此", "因而", "原本", "本来", "原来", "接着", "然后", "先是", "随即",
))
_ZH_TIME_PREPOSITIONS = frozenset(("截至", "截止", "截止到", "直到", "自", "从", "到", "至", "于", "在", "早在"))
_ZH_PERSONAL_PRONOUNS = frozenset(("他", "她", "它", "他们", "她们", "它们", "我", "我们", "你", "你们"))
_ZH_SINGULAR_PRONOUNS = frozenset(("他", "她"))
_ZH_HEADCOUNT = frozenset(("人", "名", "位", "户", "家"))
# Head nouns that name a person (老奶奶, 中学生, 打工者, 女子).
_ZH_PERSON_NOUN = re.compile(
    r"(人|者|员|生|男子|女子|男孩|女孩|奶奶|爷爷|老太|大爷|大妈|阿姨|妇女|母亲|父亲|儿子|女儿|小伙|姑娘|孩子|司机|老师|医生|"
    r"警察|民警|记者|教授|嘉宾|歌手|演员|网友|市民|村民|老板)$"
)
# Words that end a subordinate time clause (X上台后, 哈马斯袭击以色列后).
_ZH_TIME_CLAUSE_END = frozenset(
    ("后", "以后", "之后", "时", "时候", "之际", "期间", "以来", "前夕", "之前", "以前")
)
# Pronouns and collective nouns that are a clause's own subject.
_ZH_OWN_SUBJECT = re.compile(
    r"^.{0,3}?(其|它|他|她|他们|她们|它们|该国|双方|各方|两国|我们|我国|这|那|此|对方|后者|前者)"
)
_ZH_LEADING_CONJ = re.compile(
    r"^(并且|而且|但是|并|且|而|但|同时|还|也|又|则|随后|此后|最终|最后|为此|因此|因而|于是"
    r"|並且|並|同時|還|則|隨後|此後|最終|最後|為此|爲此|於是)"
)
_ZH_VERB_TAGS = frozenset(("v", "vd", "vi", "vg", "vq", "vn", "vshi", "vyou"))
# Verbs that jieba's dictionary tags as something else (曝光/nz, 上台/ns, 生效/n).
_ZH_VERB_WORDS = frozenset((
    "通过", "曝光", "上台", "生效", "落地", "中断", "失效", "到期", "去世", "启动", "杀青", "开业", "曝出", "下台",
))
# Words that open a predicate even where jieba's dictionary calls them nouns or
# abbreviations (同比/j, 单方面/n, 一度/mq) or does not know them (较前).
_ZH_PREDICATE_WORDS = frozenset((
    "沿", "随", "同比", "环比", "较", "较前", "比", "约", "共", "均", "都", "则", "也", "还", "又", "仅", "只", "一度",
    "单方面", "已", "已经", "曾", "曾经", "将", "正在", "再", "再次", "多次", "首次", "分别", "同时", "一直",
    "正式", "即将", "全部", "几乎", "近", "将近", "累计", "合计", "总计", "占", "达", "为", "是", "有", "却",
    "反而", "仍", "仍然", "依然", "继续",
    "经",  # 经抢救无效死亡: through (jieba: 经/n)
))
# A degree adverb glued to its adjective where jieba does not know the pair (过高, 太多).
_ZH_DEGREE_CHARS = frozenset("过太很挺偏")
# A count before a person noun (上海一位20岁出头小伙, 宁波一妇女) belongs to who.
_ZH_COUNT = re.compile(r"^[一两二三四五六七八九十几数][位名个对家户]?$")
# A place ending in a localizer before 是/有 only presents what follows (图中是…).
_ZH_LOCATIVE_END = frozenset("中上里内")
# A clause opening with these (or with 则/却 after its subject) turns from the chain before
# it: the sentence's time anchor stays behind.
_ZH_CONTRAST_WORDS = frozenset(("但", "但是", "而", "然而", "不过", "可是", "相反", "反之", "却"))
_ZH_CONTRAST_AFTER_SUBJECT = frozenset(("则", "却", "反而"))
# A subject that is a bare measure borrows the name its chain is about (沙特 + 财政赤字).
_ZH_MEASURE = re.compile(
    r"(率|额|量|值|数|价|价格|赤字|收入|利润|产量|规模|比例|比重|人数|占比|增速|增幅|降幅|水平|储备|总额|余额|销量|指数"
    r"|燃点|沸点|熔点|温度|浓度|比分|海拔|面积|人口|速度|长度|高度|重量|口味|上限|下限|配额|份额|产能|储量|库存)$"
)
# Nouns that name a relation to someone (老伴, 儿子): said of the topic of the chain.
_ZH_RELATIONAL = re.compile(
    r"^[\d一二两三四五六七八九十几个位名]*(老伴|儿子|女儿|孙子|孙女|妻子|丈夫|父亲|母亲|父母|家人|老公|老婆|男友|女友|"
    r"哥哥|姐姐|弟弟|妹妹|子女|孩子)$"
)
_ZH_TIME_WORDS = frozenset(
    ("年", "月", "日", "号", "年度", "季度", "年初", "年底", "年末", "年中", "月底", "月初", "底", "初")
)
# Who an attributed statement comes from, when the speaker is not a named entity.
_ZH_SPEAKER = re.compile(
    r"(负责人|发言人|官员|主任|局长|部长|专家|人士|部门|方面|政府|报告|声明|公报|通报|媒体|机构"
    r"|委员会|总统|总理|外长|大使|分析|研究|调查)"
)
_EN_SAY = {
    "say", "tell", "state", "announce", "claim", "report", "confirm", "add", "warn", "insist",
    "note", "write", "declare", "argue", "estimate", "reveal", "disclose", "acknowledge",
}
_EN_REFERRING = frozenset(("it", "he", "she", "they", "this", "these", "those", "that", "its", "their"))
_EN_CONTRAST = frozenset(("but", "yet", "while", "whereas", "although", "though", "however"))
# Adverbs that only link a clause to the one before (…, so X could not have; however, it is not).
_EN_LINKING_ADVERBS = frozenset(("so", "however", "therefore", "thus", "hence", "consequently"))
# What opens a clause that stands beside the main one, not a condition of it (once, if, when).
_EN_CONCESSIVE = frozenset(("whereas", "while", "although", "though"))
# Entity types that make a relative clause's statement checkable on its own.
_EN_MEASURE_ENTS = frozenset(("CARDINAL", "QUANTITY", "MONEY", "PERCENT"))
_EN_NUMERIC_ENTS = frozenset(("CARDINAL", "PERCENT", "MONEY", "QUANTITY", "DATE", "ORDINAL", "TIME"))
_SUBJECT_LABELS = ("GPE", "ORG", "PERSON", "NORP", "LAW", "FAC")
_OWNER_LABELS = (*_SUBJECT_LABELS, "WORK_OF_ART")  # the name a relative clause's head gives (《二叔》)


@dataclass(slots=True)
class Clause:
    """A clause of a sentence; ``start``/``end`` are offsets into the article text."""

    start: int
    end: int
    subject: str | None = None  # carried from the clause chain when the clause lacks one
    attributed: bool = False  # the sentence is an attributed statement (X said …)
    source: str | None = None  # 据…报道 / according to … lead-in, when the clause has none of its own
    takes_time: bool = True  # may take the time anchor that leads the sentence (same event chain)
    elliptical: bool = False  # its subject is not in the sentence: the one before says it
    gapped_verb: str | None = None  # 诺基亚捐5000万，苹果40万: the verb the clause leaves to the one before
    gapped_at: int = 0  # where that verb goes (an offset into the article text)


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


def _top_level(text: str, start: int, end: int, char: str) -> list[int]:
    """Offsets of ``char`` in ``text[start:end]`` outside brackets (欧洲三国(英国、法国、德国)…)."""
    found, depth = [], 0
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS and ch not in "“":
            depth += 1
        elif ch in _CLOSERS and ch not in "”":
            depth = max(0, depth - 1)
        elif ch == char and not depth:
            found.append(i)
    return found


def _zh_tokens_in(span: _Materialised, base: int, start: int, end: int) -> list:
    """Tokens with ``start <= base + idx < end`` (tokens are in text order)."""
    tokens = span.tokens  # (builds span.offsets too)
    offsets = span.offsets
    lo = bisect_left(offsets, start - base)
    return tokens[lo : bisect_left(offsets, end - base, lo)]


_ZH_TIME_ONLY = re.compile(
    r"^(截至|截止|截止到|自|从|到|至|在|于|直到|早在|进入|每逢|[\u4e00-\u9fff]{0,6}(当地时间|北京时间|美东时间|格林尼治时间))?"
    r"[\d〇零一二三四五六七八九十两年月日号底初末中旬上下半季度第世纪代前后今去明本当每期至昨天午点晚早凌晨夜分深傍清左右\s/.:：-]+"
    r"(起|以来|以后|之后|之前|以前|前|后|为止|期间|时|间|开始)?$"
)


_TAG = attrgetter("tag_")
_ZH_DATE_DIGITS = re.compile(r"\d+\s*(年代|年|月份|月|日|号|世纪)")
_NUMBER_STATEMENT = re.compile(r"\d|[一二三四五六七八九十百千万亿两]+[%个年月日天人台枚座吨米桶元]")


def _has_predicate(tokens: list, text: str) -> bool:
    if _ZH_TIME_ONLY.match(text):
        return False  # 截至2019年9月: an anchor for the next clause, not a clause
    tags = list(map(_TAG, tokens))
    if not _ZH_VERB_TAGS.isdisjoint(tags) or any(t.text in _ZH_VERB_WORDS for t in tokens):
        return True
    # An adjective after a noun is a predicate (燃点低, 口味正宗); before one it modifies it.
    if "a" in tags and any(b == "a" and a[:1] == "n" for a, b in zip(tags, tags[1:])):
        return True
    if any(  # 房价过高: jieba does not know the degree adverb with its adjective
        a.tag_[:1] == "n" and not b.tag_ and len(b.text) == 2 and b.text[0] in _ZH_DEGREE_CHARS
        for a, b in zip(tokens, tokens[1:])
    ):
        return True
    # A number with a unit is a statement by itself (高达50%, 约300公斤); the digits of a
    # date are not (2013年雅安地震 is a topic for the clauses after it).
    return bool(_NUMBER_STATEMENT.search(text)) and bool(_NUMBER_STATEMENT.search(_ZH_DATE_DIGITS.sub("", text)))


class _Materialised:
    """A span's tokens and entities as plain lists: the helpers below scan them many
    times per sentence, and iterating a spaCy Span builds Token objects every time."""

    __slots__ = ("_span", "_tokens", "_ents", "offsets")

    def __init__(self, span: Span) -> None:
        self._span = span
        self._tokens: list | None = None
        self._ents: list | None = None
        # The tokens' idx, set with ``tokens``: a bisect over plain ints, not over a key per probe.
        self.offsets: list[int] = []

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
            if light is not None:
                self._tokens = light[span.start : span.end]
                self.offsets = light.offsets(span.start, span.end)
            else:
                self._tokens = list(span)
                self.offsets = [token.idx for token in self._tokens]
        return self._tokens

    def __iter__(self):
        return iter(self.tokens)


# After a subject: an optional short verb, then only a figure (捐5000万 / 40万): a gapped
# clause (苹果40万) borrows the verb of the one before. (No ^: it is matched at a pos.)
_ZH_GAPPED = re.compile(
    r"([\u4e00-\u9fff]{1,3}?)?[约近超逾共]?\d[\d.,]*\s*[万亿千百]*[\u4e00-\u9fffA-Za-z%]{0,3}$"
)
# A recommendation (建议…, 呼吁…): the writer's advice, not a statement about the chain.
_ZH_ADVICE = re.compile(r"建议|呼吁|希望|主张|提议|提倡|倡议")
# A time clause inside a clause (谈判在其上任后…中断): the clause has a time of its own.
_ZH_OWN_TIME_CLAUSE = re.compile(r"在[^，,。；;]{1,15}?(后|之后|以后|时|期间|之前|以前)")
# Verbs whose object does the next verb (促使E3保留…，并警告…): that object acts next.
# Only an event's result: after a request (要求政府…，并威胁…) the requester goes on.
_ZH_CAUSATIVE = frozenset(("促使", "迫使", "使", "使得", "令", "促成"))
_ZH_CAUSATIVE_ANY = re.compile("[使令]|促成")  # a cheap test of the text before the tokens
# An interjection that sets off a topic (拜纳姆啊，…).
_ZH_INTERJECTIONS = frozenset(("啊", "呀", "呢", "嘛", "哪", "啦"))

# An item that continues a list of figures (…32GB（299美元），64GB（399美元）): a label and its figure.
_ZH_LIST_ITEM = re.compile(r"^[A-Za-z0-9.]{1,10}\s*[（(][^）)]*\d[^）)]*[）)]?$")

# What a piece of a sentence is to the clauses around it.
_MAIN, _LEAD, _SOURCE, _TAIL = "main", "lead", "source", "tail"


def _zh_role(tokens: list, seg: str) -> str:
    """``_MAIN`` for a piece with a checkable predicate of its own; ``_SOURCE`` for an
    attribution lead-in; ``_TAIL`` for a purpose, result or elaboration of the clause
    before; ``_LEAD`` for anything that modifies the clause after it (a bare time,
    a connective, a comparison frame, a condition, a subordinate time clause)."""
    seg = _without_heading(seg)  # 【通化的杨佳】2006年9月24日深夜: the heading says nothing of the clause
    if (
        _ZH_SOURCE_LEAD.match(seg) or (_ends_with(seg, _ZH_SOURCE_SEGMENT_ENDS) and _ZH_SOURCE_SEGMENT.match(seg))
        or _zh_source_phrase(tokens)
    ):
        return _SOURCE
    if seg.startswith(("而非", "而不是")):
        return _TAIL  # 仅取款7600元，而非谎称的17600元: what the clause before denies
    opening = tokens[1:] if tokens and tokens[0].text in _ZH_TAIL_OPENERS else tokens
    if opening and (
        opening[0].text in _ZH_TAIL_WORDS
        or (opening[0].text == "以" and len(opening) > 1 and opening[1].tag_.startswith("v"))
        # …遭到伊朗强烈反对，称其…: what the one before said (jieba may glue 称 to 其)
        or tokens[0].text in _ZH_SAY_TAIL or (not tokens[0].tag_ and tokens[0].text[0] == "称")
    ):
        return _TAIL
    if _ZH_LIST_ITEM.match(seg):
        return _TAIL  # 16GB（199美元）32GB（299美元），64GB（399美元）: the list goes on
    if 1 < len(tokens) <= 3 and tokens[-1].tag_ == "t" and tokens[0].tag_ in ("vn", "n", "nz") and not any(
        t.tag_.startswith("v") and t.tag_ != "vn" or t.text in _ZH_VERB_WORDS for t in tokens
    ):
        return _LEAD  # 谈判后期: a period named by its event is when, not a claim
    if (
        not _has_predicate(tokens, seg)
        or len(seg) < 4
        or _ZH_CONNECTIVES.match(seg)
        or _ZH_SUBORDINATE.match(seg)
        or (_ends_with(seg, _ZH_FRAME_ENDS) and _ZH_FRAME.search(seg))
        or _ZH_HALF_CONDITION.match(seg)
        or _ZH_TIME_PASSED.match(seg)
        or _ends_time_clause_tokens(tokens)
    ):
        return _LEAD
    # A topic without a predicate (一位可怜的94岁老奶奶, 2022年2月爆发的俄乌冲突) holds a 的 where
    # jieba sees a verb; without one the verb test above decided.
    found = _zh_noun_phrase(tokens, whole=True) if "的" in seg else None
    if (
        found is not None
        and found[2] >= len(tokens)
        and any(t.tag_[:1] == "n" for t in tokens[found[0] : found[2]])
        and ("的" in seg or not _NUMBER_STATEMENT.search(seg))  # 12国弃权: jieba calls 弃权 a noun
    ):
        return _LEAD  # 一位可怜的94岁老奶奶, 2022年2月爆发的俄乌冲突: a topic, its predicate follows
    return _MAIN


@dataclass(slots=True)
class _Merged:
    """A clause being built: its span, where its own main piece starts, and the lead
    pieces merged into it (with their roles)."""

    start: int
    end: int
    core: int
    leads: list[tuple[int, int, str]]
    # The tokens from ``core`` to ``end``, which several rules read: sliced once (see core_tokens).
    tokens: list | None = None

    def extend(self, end: int) -> None:
        """Take in what follows, up to ``end`` (a tail, a trailing fragment)."""
        self.end, self.tokens = end, None

    def core_tokens(self, span: _Materialised, rel_base: int) -> list:
        if self.tokens is None:
            self.tokens = _zh_tokens_in(span, rel_base, self.core, self.end)
        return self.tokens


def _split_zh(sentence: Sentence, sentence_span: Span, base: int) -> list[Clause]:
    span = _Materialised(sentence_span)
    text = sentence.text
    whole_start, whole_end = _trim(text, 0, len(text))
    raw = [_trim(text, s, e) for s, e in _zh_cut_points(text)]
    raw = [(s, e) for s, e in raw if e > s]
    if not raw:
        return []
    first = _without_heading(text[raw[0][0] : raw[0][1]])
    source = first if len(raw) > 1 and (
        _ZH_SOURCE_LEAD.match(first) or (_ends_with(first, _ZH_SOURCE_SEGMENT_ENDS) and _ZH_SOURCE_SEGMENT.match(first))
        or _zh_source_phrase(_zh_tokens_in(span, base - sentence.start, raw[0][0], raw[0][1]))
    ) else None
    # From the first "speaker + say-verb" segment on, the rest of the sentence is what
    # was said: one quote clause. Segments before it are split as usual.
    quote_at = None
    if _ZH_SAY_ANY.search(text):  # every say-verb token _zh_attributed accepts is in the text
        quote_at = next((i for i, seg in enumerate(raw) if _zh_attributed(sentence, span, base, seg)), None)
    quote_start = raw[quote_at][0] if quote_at is not None else None
    quoted: set[tuple[int, int]] = set()  # the quotes, when a later piece ends the first
    turns_at: set[int] = set()  # where the narrator turns from a quote to someone it names
    goes_on_at: set[int] = set()  # where the speaker goes on to a statement of its own (并坚持要求…)
    if quote_at is not None:
        rel = base - sentence.start
        ends = [(k, end) for k in range(quote_at + 1, len(raw)) if (end := _zh_ends_quote(span, rel, text, raw[k]))]
        if ends:
            # 伊朗认为…，并坚持要求…: the speaker's next statement, or the narrator's turn (但随后美国…),
            # is a clause of its own; each statement stays one attributed clause to the next end.
            kept, at, says = raw[:quote_at], quote_at, True
            for k, end in [*ends, (len(raw), _QUOTE_SAYS)]:
                if says:
                    quote = (raw[at][0], raw[k - 1][1])
                    quoted.add(quote)
                    kept.append(quote)
                    if at > quote_at:
                        goes_on_at.add(raw[at][0])
                else:
                    kept.extend(raw[at:k])
                    turns_at.add(raw[at][0])
                at, says = k, end == _QUOTE_SAYS
            raw = kept
            quote_start = None
        else:
            quote_at_start = raw[quote_at][0]
            raw = raw[:quote_at]
            if not raw:
                return [_zh_clause(sentence, quote_at_start, whole_end, attributed=True)]

    if quote_start is None and len(raw) == 1 and "、" not in text[raw[0][0] : raw[0][1]]:
        # One segment and no quote (most of half of all sentences): the merging below
        # would keep it whole, and a first clause never carries a subject. Skip the scans.
        s, e = raw[0]
        elliptical = False
        # (sliced: a pattern's ^ does not match at match()'s pos, and s > 0 after a leading space)
        if _ZH_BARE_FIGURE.match(text[s:e]) or _ZH_OWN_SUBJECT.match(text[s:e]) or not span.ents:
            alone, alone_owner = _zh_single_subject(sentence, span, base - sentence.start, s, e)
            elliptical = _zh_elliptical(alone, alone_owner, text[s:e])
        return [_zh_clause(sentence, s, e, source=source, elliptical=elliptical)]
    # 、 separates clauses only when both sides are numeric statements.
    pieces: list[tuple[int, int]] = []
    for s, e in raw:
        parts = [(s, e)]
        if "、" in text[s:e]:
            subs, cursor = [], s
            for at in _top_level(text, s, e, "、"):
                subs.append((cursor, at))
                cursor = at + 1
            subs.append((cursor, e))
            if all(re.search(r"\d", text[a:b]) and len(text[a:b]) >= 4 for a, b in subs):
                parts = subs
        pieces.extend(parts)

    rel_base = base - sentence.start
    merged: list[_Merged] = []
    pending: list[tuple[int, int, str]] = []
    for s, e in pieces:
        tokens = _zh_tokens_in(span, rel_base, s, e)
        role = _MAIN if (s, e) in quoted else _zh_role(tokens, text[s:e])
        if (
            role == _MAIN and merged and not pending and _ZH_ADVICE.match(text, merged[-1].core)
            and _zh_noun_phrase(tokens) is None
        ):
            role = _TAIL  # 建议适时开征房产税，并实行…: the rest of the advice, no claim of its own
        if role == _TAIL and merged and not pending:
            merged[-1].extend(e)
        elif role == _MAIN:
            merged.append(_Merged(pending[0][0] if pending else s, e, s, pending, tokens))
            pending = []
        else:
            pending.append((s, e, role))
    if pending and quote_start is not None:
        quote_start = pending[0][0]  # 2025年4月12日，X称…: the lead-in belongs to the quote
    elif pending and merged:  # a trailing fragment belongs to the clause before it
        merged[-1].extend(pending[-1][1])
    elif pending:
        merged.append(_Merged(pending[0][0], pending[-1][1], pending[0][0], []))

    clauses = []
    chain: str | None = None  # the subject of the clause before
    agent: str | None = None  # the last subject that names someone (伊朗, not 浓缩铀库存上限)
    owner: str | None = None  # the name the chain is about (沙特 of 沙特原油日产量)
    chain_open = True  # the time anchor still dates the clauses
    topic: str | None = None  # whose 老伴, 儿子: the head noun of the first subject
    person: str | None = None  # whom a later 他 or 她 means
    holder: str | None = None  # who owns the first subject when no name does (花露水的酒精浓度)
    event: str | None = None  # an event named with its date that the clauses are about (08年汶川地震)
    verb: str | None = None  # the verb between the clause before's subject and its figure (捐 of 诺基亚捐5000万)
    leads_with_time = bool(merged) and _zh_leads_with_time(span, rel_base, merged[0].start, merged[0].end) and not (
        not merged[0].leads and _zh_time_in_modifier(merged[0].core_tokens(span, rel_base))
    )
    for k, piece in enumerate(merged):
        s, e = piece.start, piece.end
        own, own_owner, contrast = _zh_subject_np(sentence, span, rel_base, piece, opens_sentence=k == 0)
        carried = None
        dated_event = _zh_dated_event(span, rel_base, text, piece)
        if dated_event:
            event = dated_event
        if k > 0 and chain and _zh_opens_with_partner(span, rel_base, piece):
            own = own_owner = None  # 西亞是…，和中東有…重合: 和中東 joins the chain's subject
        if piece.core in goes_on_at:
            own = own_owner = None  # 并坚持要求…: the speaker says it (jieba may glue 並堅持 into one "noun")
        if own is not None:
            if (
                k > 0 and own_owner is None and (owner or holder) and _ZH_MEASURE.search(own)
                and not _ZH_OWN_SUBJECT.match(own)
            ):
                carried = owner or holder  # 财政赤字扩大到GDP的6% → 沙特财政赤字…
                own = f"{carried}{own}"
            elif k > 0 and topic and own_owner is None and _ZH_RELATIONAL.search(own):
                carried = topic  # 一位94岁老奶奶，老伴去世，儿子…死了 → 老奶奶儿子…
                own = topic + own
            elif k > 0 and own in _ZH_SINGULAR_PRONOUNS and person:
                carried = own = person  # 一位老奶奶，…，她每天… → 老奶奶每天…
            if k == 0:
                lead_topic = _zh_topic(span, rel_base, text, piece)
                agent = _zh_interjected_topic(span, rel_base, piece)  # 拜纳姆啊，…: who the chain is about
                topic = lead_topic or own_owner or _zh_head_noun(own)
                possessor = own.split("的", 1)[0] if "的" in own else ""
                holder = possessor if 1 < len(possessor) <= 10 else None  # 花露水 of 花露水的酒精浓度
            # Whom a later 他/她 means: a person named as a subject, or a person noun as the topic.
            if own_owner and any(ent.text == own_owner and ent.label_ == "PERSON" for ent in span.ents):
                person = own_owner
            elif k == 0 and _ZH_PERSON_NOUN.search(topic or ""):
                person = topic
            chain = own
            if k > 0:  # 其中3月报告8627例，环比下降41.2%: the change is March's
                dated = _ZH_DATED_SUBJECT.match(text, piece.core, e)
                if dated and text.startswith(own, dated.end()):
                    chain = dated.group(1) + own
            owner = own_owner or owner
            if own_owner or own in _ZH_PERSONAL_PRONOUNS:
                agent = own
        elif k > 0 and (chain or agent) and piece.start not in turns_at:
            # 同比下降15% continues the measure before it; 拆除…离心机 the actor.
            carried = chain if chain and _zh_continues_measure(span, rel_base, piece) else agent or chain
        elif k == 0:
            # 【…央行决定延迟加息时间】原本决定…: a heading that says who, where the clause does not
            chain = agent = _zh_heading_subject(span, rel_base, text, piece.start)
        if k > 0 and event and not dated_event and own is not None and carried is None:
            carried = event  # 08年汶川地震，诺基亚捐5000万，苹果捐40万 → 汶川地震苹果捐40万
        # A time inside the sentence (not leading it) dates only the clauses without a subject of their own.
        # A turn with a subject of its own (伊朗则坚称…) leaves the chain's time; one that goes on
        # about the same thing (展开多轮谈判，但因分歧，进展甚微) keeps it.
        turns = contrast and (
            own is not None and carried is None or bool(_ZH_LATER.search(text, piece.core, piece.core + 6))
        )
        takes_time = chain_open and not turns and (k == 0 or own is None or carried is not None or leads_with_time)
        if k > 0 and _ZH_OWN_TIME_CLAUSE.search(text, piece.core, e):
            takes_time = False  # 谈判在其上任后短暂中断: dated by a time clause of its own
        if k > 0 and _ZH_ADVICE.match(text, piece.core):
            takes_time = chain_open = False  # …；建议开征房产税: the writer's advice now, not then
        if turns:
            chain_open = False
        pivot = _zh_pivot(span, rel_base, piece) if _ZH_CAUSATIVE_ANY.search(text, piece.core, e) else None
        if pivot:
            agent = pivot  # 促使E3保留…，并警告…: E3 warns
        if any(
            role == _LEAD and _ends_time_clause(span, rel_base, a, b) and not _ZH_TIME_ONLY.match(text[a:b])
            for a, b, role in piece.leads
        ):
            chain_open = False  # X上台后，…: that time is this clause's, not the chain's
        clause_source = source if source and not (k > 0 and _ZH_OWN_SOURCE.search(text[s:e])) else None
        attributed = (piece.core, e) in quoted
        clause = _zh_clause(
            sentence, s, e, subject=carried, source=clause_source, takes_time=takes_time, attributed=attributed,
            elliptical=carried is None and _zh_elliptical(own, own_owner, text[piece.core : e]),
        )
        gap = None
        if own and text.startswith(own, piece.core):
            gap = _ZH_GAPPED.match(text, piece.core + len(own), e)
            if gap and not gap.group(1) and verb:
                clause.gapped_verb, clause.gapped_at = verb, sentence.start + piece.core + len(own)
        verb = (gap.group(1) or verb) if gap else None  # 阿里1.5亿元，百度5000万元: the gap goes on
        clauses.append(clause)
    if quote_start is not None:
        clauses.append(_zh_clause(sentence, quote_start, whole_end, attributed=True,
                                  takes_time=chain_open and leads_with_time))
    return clauses


def _zh_time_in_modifier(tokens: list) -> bool:
    """Is the time that opens the clause part of a relative clause in its subject
    (2018年美国撕毁协议的先例使…), not the time of the clauses?"""
    for j, token in enumerate(tokens):
        if token.is_punct:
            return False
        if token.text == "的":
            return any(t.tag_.startswith("v") and t.tag_ != "vn" for t in tokens[:j])
        if token.text in _ZH_SAY:
            return False
    return False


def _zh_interjected_topic(span: _Materialised, rel_base: int, piece: _Merged) -> str | None:
    """A name set off by an interjection before the first clause (拜纳姆啊，…)."""
    for a, b, _role in piece.leads:
        tokens = _zh_tokens_in(span, rel_base, a, b)
        if len(tokens) < 2 or tokens[-1].text not in _ZH_INTERJECTIONS:
            continue
        j = len(tokens) - 1
        while j > 0 and not (tokens[j - 1].is_punct or tokens[j - 1].is_space) and (
            tokens[j - 1].tag_[:1] == "n" or not tokens[j - 1].tag_
        ):
            j -= 1
        if j < len(tokens) - 1:
            return "".join(t.text for t in tokens[j:-1])
    return None


def _zh_heading_subject(span: _Materialised, rel_base: int, text: str, start: int) -> str | None:
    """The subject of the last clause of a 【heading】 that opens the sentence."""
    heading = _ZH_HEADING.match(text, start)
    if not heading or not text.startswith("【", heading.start()):
        return None
    close = text.find("】", heading.start())
    inner_start = max(heading.start() + 1, *(text.rfind(c, heading.start(), close) + 1 for c in "，,：: "))
    tokens = _zh_tokens_in(span, rel_base, inner_start, close)
    found = _zh_noun_phrase(tokens)
    if found is None:
        return None
    first, last = tokens[found[0]], tokens[found[1]]
    return text[rel_base + first.idx : rel_base + last.idx + len(last.text)]


def _zh_pivot(span: _Materialised, rel_base: int, piece: _Merged) -> str | None:
    """The object of a causative verb in the clause, who does what the clause after says
    (促使E3在2023年保留了…: E3)."""
    tokens = piece.core_tokens(span, rel_base)
    at = next((j for j, t in enumerate(tokens) if t.text in _ZH_CAUSATIVE), None)
    if at is None:
        return None
    found = _zh_noun_phrase(tokens[at + 1 :], modifiers=False)
    if found is None:
        return None
    first, last = tokens[at + 1 + found[0]], tokens[at + 1 + found[1]]
    if first.tag_[:1] not in ("n", "") or last.tag_[:1] not in ("n", "", "j"):
        return None
    return "".join(t.text for t in tokens[at + 1 + found[0] : at + 2 + found[1]])


# Words that move a clause off the sentence's time (但随后…, 但如今…).
_ZH_LATER = re.compile(r"随后|此后|之后|后来|如今|目前|现在|至今|今年|去年|明年")
# A period that opens a later clause's subject (其中3月…): the measure is that period's.
_ZH_DATED_SUBJECT = re.compile(
    r"(?:其中|此外)?([\d〇一二三四五六七八九十]+(?:月份?|日|年)|[上下]半年|第[一二三四]季度)"
)
_ZH_MEASURE_PREDICATE = re.compile(
    r"^(同比|环比|较|比|下降|增长|减少|增加|上涨|下跌|降至|升至|降低|提高|达|达到|占|为|约|超过|高达|累计|共计|分别|一度|仍)"
)


_ZH_DATE_PREFIX = re.compile(r"^(?:(?:\d+|[〇一二三四五六七八九十]+)(?:年|月|日|号))+")


def _zh_dated_event(span: _Materialised, rel_base: int, text: str, piece: _Merged) -> str | None:
    """An event named after its date that leads the clause (08年汶川地震，…): its name."""
    for a, b, role in piece.leads:
        date = _ZH_DATE_PREFIX.match(text[a:b])
        if role != _LEAD or not date:
            continue
        tokens = _zh_tokens_in(span, rel_base, a + date.end(), b)
        if 1 <= len(tokens) <= 3 and all(t.tag_[:1] == "n" for t in tokens) and 2 <= b - a - date.end() <= 8:
            return text[a + date.end() : b]
    return None


def _zh_opens_with_partner(span: _Materialised, rel_base: int, piece: _Merged) -> bool:
    """Does the clause open with 和/与/跟 + a noun, a partner of the chain's subject (…，和中東有…)?"""
    if piece.leads:
        return False
    tokens = piece.core_tokens(span, rel_base)[:2]
    return len(tokens) == 2 and tokens[0].text in ("和", "与", "跟", "與") and tokens[1].tag_[:1] in ("n", "r", "j")


def _zh_continues_measure(span: _Materialised, rel_base: int, piece: _Merged) -> bool:
    """Does the clause open with a change or comparison (同比下降…, 较前一年减少…, 占…)?"""
    for token in piece.core_tokens(span, rel_base):
        if token.tag_ in ("c", "d") and not _ZH_MEASURE_PREDICATE.match(token.text):
            continue  # 并, 也, 还
        return bool(_ZH_MEASURE_PREDICATE.match(token.text))
    return False


_ZH_BARE_FIGURE = re.compile(r"^[^，,]{1,12}?(为|是|占|达)[约近超逾]?[\d一二三四五六七八九十百千万亿两.]+")


def _zh_elliptical(own: str | None, owner: str | None, core: str) -> bool:
    """Does the clause leave what it is about to the sentence before? No subject (此后棄醫從文),
    a pronoun (他是…, 其…), or a name with a bare figure and no measure (吉利为18.8%)."""
    if own is None or _ZH_OWN_SUBJECT.match(own) and len(own) <= 3:
        return True
    return own == owner and bool(_ZH_BARE_FIGURE.match(core))


def _zh_topic(span: _Materialised, rel_base: int, text: str, piece: _Merged) -> str | None:
    """The head noun of a topic that opens the sentence on its own (一位可怜的94岁老奶奶，…)."""
    for a, b, role in piece.leads:
        tokens = _zh_tokens_in(span, rel_base, a, b)
        found = _zh_noun_phrase(tokens, whole=True) if role == _LEAD else None
        if found is not None and found[2] >= len(tokens):
            last = tokens[found[1]]
            return _zh_head_noun(text[rel_base + tokens[found[0]].idx : rel_base + last.idx + len(last.text)])
    return None


def _zh_head_noun(phrase: str) -> str:
    """The head of a noun phrase, after its last 的 and any count (一位可怜的94岁老奶奶 → 老奶奶)."""
    head = phrase.rsplit("的", 1)[-1]
    return re.sub(r"^[\d.]+[岁个位名只]?|^[一二两三四五六七八九十几]+[个位名只]", "", head) or head


def _zh_leads_with_time(span: _Materialised, rel_base: int, start: int, end: int) -> bool:
    """Does the sentence open with a time (2002年，…; 截至2019年9月…), a heading aside?"""
    for token in _zh_tokens_in(span, rel_base, start, end):
        if token.is_punct or token.text in _ZH_TIME_PREPOSITIONS:
            continue
        return token.tag_ == "t" or token.text[:1].isdigit()
    return False


def _ends_time_clause(span: _Materialised, rel_base: int, start: int, end: int) -> bool:
    return _ends_time_clause_tokens(_zh_tokens_in(span, rel_base, start, end))


def _ends_time_clause_tokens(tokens: list) -> bool:
    """Does the piece end a subordinate time clause (X上台后)? jieba may glue 后 or 时 to the
    word before into a place word or an unknown one (佩泽什基安上台后 → 安上/v 台后/s)."""
    if len(tokens) < 2:
        return False
    last = tokens[-1]
    return last.text in _ZH_TIME_CLAUSE_END or (
        len(last.text) == 2 and last.text[-1] in "后时" and last.tag_ in ("s", "")
    )


def _zh_subject_np(
    sentence: Sentence, span: _Materialised, rel_base: int, piece: _Merged, opens_sentence: bool = True
) -> tuple[str | None, str | None, bool]:
    """The clause's own subject (the words before its predicate, with their modifiers),
    the named entity that opens it, and whether the clause turns from the chain (但…,
    X则…). The subject is looked for in the clause's main piece, then in the
    subordinate pieces merged into it (时任美国总统特朗普以…为由，单方面宣布…)."""
    text = sentence.text
    core_tokens = piece.core_tokens(span, rel_base)
    # The clause's first words: its core's, unless leads come before it.
    opening_tokens = core_tokens if piece.start == piece.core else _zh_tokens_in(span, rel_base, piece.start, piece.end)
    opening = [t.text for t in opening_tokens[:2]]
    contrast = bool(_ZH_CONTRAST_WORDS.intersection(opening)) or bool(
        opening and opening[0] in _ZH_CONTRAST_AFTER_SUBJECT
    )
    # A condition cut off from its consequence (并警告若补贴未到位) names no subject of the clause.
    # A condition names its own subject, not the clause's (若年内卡扎菲被击毙，预计油价…).
    leads = [
        (a, b) for a, b, role in piece.leads
        if role == _LEAD and not _ZH_HALF_CONDITION.match(text[a:b]) and not _ZH_CONDITION.match(text, a)
    ]
    for n, (a, b) in enumerate([(piece.core, piece.end), *leads]):
        tokens = _zh_tokens_in(span, rel_base, a, b) if n else core_tokens
        # A lead may be a bare topic (位於…的臺北市立松山高級中學，自1989年…); only a sentence
        # opens with a relative clause (有人口3.3億人的西亞是…), a later clause with its predicate.
        found = _zh_noun_phrase(tokens, whole=n > 0, modifiers=opens_sentence or n > 0)
        if n == 0:
            contrast = contrast or bool(_ZH_CONTRAST_WORDS.intersection(t.text for t in tokens[:2])) or bool(
                found and found[2] < len(tokens) and tokens[found[2]].text in _ZH_CONTRAST_AFTER_SUBJECT
            )
        if found is None:
            continue
        first, last, _ = found
        np_start = rel_base + tokens[first].idx
        np_end = rel_base + tokens[last].idx + len(tokens[last].text)
        np = text[np_start:np_end]
        if len(np) > 30:
            return None, None, contrast
        if n > 0 and found[2] >= len(tokens):
            # 韩国进口的乐天牌巧克力粒，德国进口的欧尚85%黑巧克力，均发现…: the topics together
            listed = [np]
            for c, d in leads[n:]:
                more = _zh_tokens_in(span, rel_base, c, d)
                also = _zh_noun_phrase(more, whole=True)
                if also is None or also[2] < len(more):
                    break
                last_word = more[also[1]]
                listed.append(text[rel_base + more[also[0]].idx : rel_base + last_word.idx + len(last_word.text)])
            np = "、".join(listed)
        # What the phrase names: a name in its head (…联合打造的订制剧《二叔》), else the first.
        head_start = np_start + np.rfind("的") + 1 if "的" in np else np_start
        named = [ent for ent in span.ents if np_start <= rel_base + ent.start_char < np_end]
        owner = next(
            (ent.text for ent in named if rel_base + ent.start_char >= head_start and ent.label_ in _OWNER_LABELS),
            next((ent.text for ent in named if ent.label_ in _SUBJECT_LABELS), None),
        )
        return np, owner, contrast
    return None, None, contrast


def _zh_single_subject(
    sentence: Sentence, span: _Materialised, rel_base: int, s: int, e: int
) -> tuple[str | None, str | None]:
    """The subject and its named entity of a one-piece sentence (see :func:`_zh_subject_np`)."""
    own, owner, _ = _zh_subject_np(sentence, span, rel_base, _Merged(s, e, s, []))
    return own, owner


def _zh_noun_phrase(tokens: list, *, whole: bool = False, modifiers: bool = True) -> tuple[int, int, int] | None:
    """(first, last, predicate) token indices of the noun phrase that opens ``tokens``
    (after a leading time, connective or adverb), and where the predicate starts; None
    when the clause opens with its predicate (同比下降15%, 较前一年减少9.8%). With
    ``whole``, a phrase that runs to the end is returned too (a piece that is only a
    noun phrase)."""
    n = len(tokens)
    i = 0
    # Skip what leads the subject: a 【title】, times (2018年, 去年), connectives (并, 此外), adverbs.
    while i < n:
        t = tokens[i]
        tag = t.tag_
        if t.text == "【":
            close = next((j for j in range(i + 1, n) if tokens[j].text == "】"), None)
            if close is None:
                break
            i = close + 1
        elif t.is_punct or t.is_space or tag in ("t", "c", "mq", "d", "ad") or t.text in _ZH_NP_LEAD_WORDS:
            if t.text in _ZH_CONTRAST_AFTER_SUBJECT:
                break
            i += 1
        elif t.text[:1].isdigit() and i + 1 < n and tokens[i + 1].text in _ZH_TIME_WORDS:
            i += 2
        elif t.text in _ZH_TIME_PREPOSITIONS and i + 1 < n and (
            tokens[i + 1].tag_ in ("t", "m", "mq") or tokens[i + 1].text[:1].isdigit()
        ):
            i += 1  # 截至今年3月底…
        else:
            break
    first = i
    if first and any(t.text in ("因为", "由于", "因") for t in tokens[:first]) and any(
        t.text == "而" for t in tokens[first:]
    ):
        return None  # 因为创业而相识: the cause names no one, the clause continues its chain
    if i < n and tokens[i].text in _ZH_SAY:
        return None  # 预计油价…将暴跌: a say-verb opens what is said, it names no one
    if i < n and tokens[i].text in _ZH_PERSONAL_PRONOUNS:
        return i, i, i + 1  # 他冒险…: the pronoun is the subject, whatever jieba calls the next word
    nouns = 0
    while i < n:
        t = tokens[i]
        word, tag = t.text, t.tag_
        if word in _OPENERS and nouns:  # 欧洲三国(英国、法国、德国，简称E3): the brackets belong to the noun
            close = next((j for j in range(i + 1, n) if tokens[j].text == _OPENERS[word]), None)
            if close is not None:
                i = close + 1
                continue
        if t.is_punct and word not in "《》“”()（）·-":
            if not whole:
                return None  # no predicate before the comma: it was no subject (描述命案的背景、…)
            break
        if modifiers and not nouns and (tag.startswith("v") and tag != "vn" or tag == "d" or word in ("有", "是")):
            # A verb before any noun opens a modifier (2015年达成的协议, 有人口3.3亿人的西亚),
            # when a 的 follows it: it is not the predicate.
            j = i + 1
            while j < n and not (tokens[j].is_punct or tokens[j].tag_ == "p" or tokens[j].text == "的"):
                j += 1
            if j < n and tokens[j].text == "的":
                i = j + 1
                continue
        if word in _ZH_PREDICATE_WORDS or tag in ("p", "d", "ad") or word in _ZH_CONTRAST_AFTER_SUBJECT:
            break
        if nouns and not tag and len(word) == 2 and word[0] in _ZH_DEGREE_CHARS:
            break  # 我国房价过高: an unknown 过高 is the predicate, not a noun
        if tag == "a" and nouns and i + 1 < n and tokens[i + 1].tag_[:1] == "n" and word not in _ZH_PREDICATE_WORDS:
            i += 1  # 深圳最高楼: an adjective before a noun modifies it
            continue
        if word in _ZH_VERB_WORDS or (tag == "a" and nouns) or (tag.startswith("v") and tag != "vn"):
            break
        if nouns and tag == "m" and _ZH_COUNT.match(word):
            person = next((j for j in range(i + 1, min(n, i + 6)) if _ZH_PERSON_NOUN.search(tokens[j].text)), None)
            if person is not None and not any(
                tokens[j].is_punct or tokens[j].tag_ == "p" for j in range(i + 1, person)
            ):
                i = person + 1  # 上海青浦区练塘一位20岁出头小伙: the count and the person are who
                nouns += 1
                continue
        if i == first and tag == "vn" and not (
            i + 1 < n and (tokens[i + 1].tag_[:1] == "n" or tokens[i + 1].tag_ == "p")
        ):
            return None  # 威胁若…: a verb, not the 出口 of 出口总额 (but 谈判在…中断 has its subject)
        if i == first and tag in ("i", "l") and not (i + 1 < n and tokens[i + 1].text == "的"):
            return None  # 将进一步提高/i 铀浓缩水平: jieba's idioms open a predicate
        if word[:1].isdigit() or tag == "m":
            if i + 1 < n and tokens[i + 1].text in _ZH_TIME_WORDS:  # 台湾2023年出口总额
                i += 2
                continue
            if nouns and i + 1 < n and tokens[i + 1].text in _ZH_HEADCOUNT and word[:1].isdigit():
                i += 2  # 其中北京1人…获得5.7亿: a head count is part of who
                nouns += 1
                continue
            after = tokens[i + 1] if i + 1 < n else None
            if nouns and word[:1].isdigit() and after is not None and (after.tag_ == "p" or after.text == "的"):
                i += 1  # 京基100在…, iPhone 5的定价: a number inside a name
                continue
            if (
                whole and nouns and word[:1].isdigit() and after is not None and after.tag_[:1] in ("a", "n")
                and after.text not in _ZH_HEADCOUNT and i + 2 < n
            ):
                i += 1  # 欧尚85%黑巧克力: a figure before more of the noun describes it
                continue
            if nouns:
                break  # 收费公路14万公里: the number is the predicate's (but 5名被告 opens a subject)
        if tag[:1] in ("n", "r", "j") or tag in ("vn", "eng", "x") or (tag == "" and not word[:1].isdigit()):
            nouns += 1
        i += 1
    if not nouns or i == first:
        return None
    if (
        i < n and tokens[i].text in ("是", "有") and i - first <= 2
        and tokens[i - 1].text[-1:] in _ZH_LOCATIVE_END and not whole
    ):
        found = _zh_noun_phrase(tokens[i + 1 :], modifiers=modifiers)  # 图中是X…: X is who
        if found is not None:
            return found[0] + i + 1, found[1] + i + 1, found[2] + i + 1
    if i < n and (tokens[i].tag_ == "p" or tokens[i].tag_.startswith("v")):
        head = _zh_relative_head(tokens, i)
        if head is not None:
            return first, head[0], head[1]
    if tokens[first].text[:1].isdigit() and not any(
        tokens[j].tag_[:1] in ("n", "r", "j") or tokens[j].tag_ == "vn" for j in range(first, i)
    ):
        return None  # 一般24℃就能燃烧: a figure with its unit says how much, not of what
    if i >= n and not whole:
        return None  # no predicate after it: jieba missed the verb (重创其…), so no subject either
    last = i - 1
    # 王佳今年32岁: a time after the subject dates the predicate, it does not name anything
    while last > first and (
        tokens[last].is_punct or tokens[last].text in ("的", "等") or tokens[last].tag_ in ("t", "c")
    ):
        last -= 1
    return first, last, i


def _zh_source_phrase(tokens: list) -> bool:
    """Is the piece 据/根据 + a noun phrase and nothing else (据国家卫健委发布的全国疫情概况)?"""
    if len(tokens) < 2 or tokens[0].text not in ("据", "根据", "依据", "援引", "據", "根據", "依據"):
        return False
    rest = tokens[1:]
    at = max((j for j, t in enumerate(rest) if t.text == "的"), default=-1)
    head = rest[at + 1 :]  # after the last 的: what the source is (概况, 数据)
    return bool(head) and not any(t.is_punct for t in rest) and all(
        t.tag_[:1] in ("n", "j") or t.tag_ in ("", "eng", "vn") for t in head
    )


def _zh_relative_head(tokens: list, at: int) -> tuple[int, int] | None:
    """Where the words from ``at`` are a relative clause that ends in 的 + the head noun
    and the predicate follows (山东卫视同…公司联合打造的订制剧《二叔》杀出重围): the head's
    last token and where the predicate starts. A verb must stand before the 的, so that
    美国对伊朗的制裁 (no verb) stays 美国."""
    n = len(tokens)
    j, verb = at, False
    while j < n and tokens[j].text != "的":
        if tokens[j].is_punct and tokens[j].text not in "《》“”":
            return None
        verb = verb or tokens[j].tag_.startswith("v") and tokens[j].tag_ != "vn"
        j += 1
    if not verb or j >= n:
        return None
    k = j + 1
    nounish = ("vn", "eng", "")

    def in_head(m: int) -> bool:
        tag = tokens[m].tag_
        if tag[:1] in ("n", "j") or tag in nounish or tokens[m].text in "《》":
            return True
        # 订制/v 剧/n: a verb right before a noun of the head modifies it
        return tag.startswith("v") and m + 1 < n and tokens[m + 1].tag_[:1] == "n"

    while k < n and in_head(k):
        if tokens[k].is_punct and tokens[k].text not in "《》":
            break
        k += 1
    if k == j + 1 or k >= n:
        return None
    following = tokens[k]
    if following.tag_.startswith("v") or following.tag_ in ("i", "l") or following.text in _ZH_PREDICATE_WORDS:
        return k - 1, k
    return None


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


# What ends a quote: the speaker goes on to a statement of its own (并坚持要求…, 并明确表示…),
# or the narrator turns to someone else (但随后美国提出…).
_ZH_GOES_ON_SIMPLIFIED = ("并", "并且", "同时", "还")
_ZH_GOES_ON_TRADITIONAL = ("並", "並且", "同時", "還")
_ZH_TURNS_SIMPLIFIED = ("但", "但是", "而", "然而", "不过", "可是", "随后", "但随后")
_ZH_TURNS_TRADITIONAL = ("不過", "但隨後", "隨後")
_ZH_TURNS = frozenset((*_ZH_TURNS_SIMPLIFIED, *_ZH_TURNS_TRADITIONAL))
# 并 + (an adverb) + a statement verb, however jieba cut it (並堅持 is one unknown word to it).
_ZH_GOES_ON_SAYING = re.compile(
    "(?:" + "|".join(sorted((*_ZH_GOES_ON_SIMPLIFIED, *_ZH_GOES_ON_TRADITIONAL), key=len, reverse=True)) + ")"
    "[\u4e00-\u9fff]{0,2}?(?:" + "|".join(sorted(_ZH_SAY | _ZH_DEMAND, key=len, reverse=True)) + ")"
)


_QUOTE_SAYS, _QUOTE_TURNS = "says", "turns"


def _zh_ends_quote(span: _Materialised, rel_base: int, text: str, segment: tuple[int, int]) -> str | None:
    """Whether a piece after a quote ends it: ``_QUOTE_SAYS`` when the speaker goes on to a
    statement of its own (并坚持要求…, 并明确表示…), ``_QUOTE_TURNS`` when the narrator turns to
    someone named (但随后美国提出…); None when the piece goes on with what was said."""
    tokens = _zh_tokens_in(span, rel_base, *segment)
    if len(tokens) < 3:
        return None
    if _ZH_GOES_ON_SAYING.match(text, segment[0]):  # 并坚持要求, 并明确表示, 并称
        return _QUOTE_SAYS
    words = [t.text for t in tokens[:2]]
    if words[0] in _ZH_TURNS:
        rest = tokens[1:] if words[1] not in _ZH_TURNS else tokens[2:]
        found = _zh_noun_phrase(rest, modifiers=False)
        if found is not None and any(t.tag_ in ("ns", "nr", "nt", "nz") for t in rest[found[0] : found[1] + 1]):
            return _QUOTE_TURNS
    return None


def _zh_clause(sentence: Sentence, s: int, e: int, **kwargs) -> Clause:
    return Clause(sentence.start + s, sentence.start + e, **kwargs)


def _entities_in(span: _Materialised, base: int, start: int, end: int) -> list:
    return [ent for ent in span.ents if start <= base + ent.start_char < end]


def strip_leading_conjunction(text: str) -> str:
    """并改造… → 改造… (for a clause that gets a carried subject in front)."""
    return _ZH_LEADING_CONJ.sub("", text, count=1)


# --- English -------------------------------------------------------------------------


def _split_en(sentence: Sentence, span: Span, base: int) -> list[Clause]:
    text = sentence.text
    whole = _trim(text, 0, len(text))
    root = span.root
    attributed = root.lemma_ in _EN_SAY and any(c.dep_ in ("ccomp", "parataxis") for c in root.children)
    source, source_tokens = _en_according_to(span)
    heads = [root] + _en_conj_verbs(root)
    relatives = _en_relatives(span, heads)
    heads = sorted(heads + relatives + _en_contrast_clauses(root), key=lambda t: t.i)
    # A pronoun (or no subject) that opens the sentence is resolved by the sentence before.
    elliptical = not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children) or any(
        c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" and c.lower_ in _EN_REFERRING for c in root.children
    )
    if attributed or len(heads) == 1:
        return [Clause(sentence.start + whole[0], sentence.start + whole[1], attributed=attributed, source=source,
                       elliptical=elliptical)]
    subject = _en_subject(root)
    relative_set = set(relatives)
    clause_tokens = _en_clause_tokens(span, heads, source_tokens)
    clauses: list[Clause] = []
    chain_open = True
    for head in heads:
        # A clause is its head's subtree minus the clauses under it and the source lead-in.
        tokens = clause_tokens[head.i]
        # A claim is one stretch of text: the clause stops where a clause under it begins.
        run = next((k for k in range(1, len(tokens)) if tokens[k].i != tokens[k - 1].i + 1), len(tokens))
        tokens = tokens[:run]
        # Drop the conjunction, the punctuation and the relative pronoun that joined this clause.
        while tokens and (tokens[0].dep_ in ("cc", "punct", "mark") or tokens[0].is_space or (
            tokens[0].dep_ == "advmod" and tokens[0].lower_ in _EN_LINKING_ADVERBS
        ) or (
            head in relative_set and tokens[0].head.i == head.i and tokens[0].lower_ in ("which", "who", "that")
        )):
            tokens = tokens[1:]
        while tokens and (tokens[-1].dep_ in ("cc", "punct") or tokens[-1].is_space) and not (
            tokens[-1].text == ")" and any(t.text == "(" for t in tokens)  # (EMNLP): the bracket closes
        ):
            tokens = tokens[:-1]
        if not tokens:
            continue
        start = base + tokens[0].idx
        end = base + tokens[-1].idx + len(tokens[-1].text)
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in head.children)
        carried: str | None
        if head in relative_set:
            carried = _en_antecedent(head, subject)
        else:
            carried = subject if head is not root and not has_subject else None
        resolved = False
        named = None
        if carried is None and clauses and len(tokens) > 1:
            named = _en_pronoun_antecedent(tokens[0], head, heads)
        if named:  # Although the numbers are in one document, they are not combined → the numbers are not combined
            carried, tokens, resolved = named, tokens[1:], True
            start = base + tokens[0].idx
        contrast = head is not root and (
            any(c.dep_ in ("cc", "mark") and c.lower_ in _EN_CONTRAST for c in head.children)
            or (head.dep_ == "advcl")
        )
        if contrast:
            chain_open = False
        clauses.append(Clause(start, end, subject=carried, source=source, takes_time=chain_open and not contrast,
                              elliptical=elliptical and not resolved and (head is root or carried == subject)))
        if head in relative_set and head is heads[-1]:
            # What follows the last relative clause and belongs to no clause is its own
            # (… the 2.5 million barrels a day it averaged over the previous two decades).
            clauses[-1].end = max(end, sentence.start + whole[1])
    return clauses or [Clause(sentence.start + whole[0], sentence.start + whole[1], source=source)]


def _en_pronoun_antecedent(first, head, heads: list) -> str | None:
    """The subject of the clause before that a clause's opening pronoun subject stands for
    (Although the numbers are in one document, they are not combined): a noun phrase that
    agrees (they: a plural or a coordination; he, she: a person's name)."""
    # Not "it": it as often means the sentence before, a situation or a dummy subject.
    if first.head.i != head.i or first.dep_ not in ("nsubj", "nsubjpass") or first.lower_ not in ("they", "he", "she"):
        return None
    before = [h for h in heads if h.i < first.i]
    if not before:
        return None
    noun = next((c for c in before[-1].children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"), None)
    if noun is None:
        return None
    plural = noun.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in noun.subtree)
    agrees = {
        "they": plural,
        "he": noun.ent_type_ == "PERSON",
        "she": noun.ent_type_ == "PERSON",
    }[first.lower_]
    if not agrees:
        return None
    return "".join(t.text_with_ws for t in noun.subtree).strip()


def _en_clause_tokens(span: Span, heads: list, skip: set[int]) -> dict[int, list]:
    """Each head's tokens, in text order: the tokens whose nearest head above them (or
    themselves) is that head, less ``skip``. One pass over the sentence: a head's subtree
    less the subtrees of the heads under it, without walking a subtree per head (a huge
    single line of coordinated clauses made that cubic)."""
    head_ids = {h.i for h in heads}
    owner: dict[int, int | None] = {}
    by_head: dict[int, list] = {i: [] for i in head_ids}
    for token in span:
        path = []
        node = token
        while node.i not in owner and node.i not in head_ids and node.head.i != node.i:
            path.append(node.i)
            node = node.head
        if node.i in head_ids:
            found: int | None = node.i
        else:
            found = owner.get(node.i)  # seen before, or a root that is no head (None)
        for i in path:
            owner[i] = found
        mine = token.i if token.i in head_ids else found
        owner[token.i] = mine
        if mine is not None and token.i not in skip:
            by_head[mine].append(token)
    return by_head


def _en_according_to(span: Span) -> tuple[str | None, set[int]]:
    """"According to X" as the sentence's source, and its tokens (with the comma after it)."""
    for token in span:
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            tokens = sorted(token.subtree, key=lambda t: t.i)
            ids = {t.i for t in tokens}
            after = tokens[-1].i + 1
            if after < span.end and span.doc[after].text == ",":
                ids.add(after)
            phrase = "".join(t.text_with_ws for t in tokens).strip()
            return phrase[:1].upper() + phrase[1:], ids
    return None, set()


def _en_relatives(span: Span, heads: list) -> list:
    """Non-restrictive relative clauses (after a comma) outside the subject: each says
    something checkable of its own about its antecedent (", which is more than 60 percent
    below …", ", who is trying to make sense of …", ", which includes the tracks …")."""
    found = []
    doc = span.doc
    for token in span:
        if token.dep_ != "relcl" or token in heads or token.head.dep_ in ("nsubj", "nsubjpass"):
            continue  # a relative clause inside the subject leaves the rest of its clause after it
        first = token.left_edge.i  # a clause's subtree is one stretch (projective parse)
        if first == 0 or doc[first - 1].text != ",":
            continue
        found.append(token)
    return found


def _en_contrast_clauses(root) -> list:
    """Clauses under the root that stand on their own with a subject of their own: one that
    turns from it (…, whereas X …; Although X …, Y …), and one the parser hangs under it that
    the text puts before it as a sentence of its own (X has been on display since 1938, so Y …;
    X proposed …; however, Y …)."""
    found = []
    for child in root.children:
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children):
            continue
        if child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _EN_CONCESSIVE for c in child.children):
            found.append(child)
        elif child.dep_ == "advcl" and child.i > root.i and any(
            c.lower_ == "so" and c.dep_ in ("advmod", "mark", "cc") for c in child.children
        ) and not any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children):
            found.append(child)  # …, so the ferry carries 4,000 a day (a result; "so that" is a purpose)
        elif child.dep_ == "ccomp" and child.i < root.i and root.lemma_ not in _EN_SAY:
            edge = child.right_edge.i
            if child.doc[edge].text not in (";", ","):  # the mark that ends it, in its subtree or after it
                edge += 1
            if edge < root.i and child.doc[edge].text in (";", ","):
                found.append(child)
    return found


def _en_antecedent(relative, subject: str | None) -> str:
    """What a relative clause is about: its antecedent noun phrase; a number that is the
    object of a verb goes with that verb's subject (Iran's crude exports (986,000 barrels a day))."""
    noun = relative.head
    opens = relative.left_edge.i
    tokens = list(noun.doc[noun.left_edge.i : opens])  # Barack Obama, not the conjuncts after it
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space) and not (
        tokens[-1].text == ")" and any(t.text == "(" for t in tokens)
    ):
        tokens = tokens[:-1]
    phrase = "".join(t.text_with_ws for t in tokens).strip()
    # A measure (986,000 barrels), not a name with a year in it (the 2020 Conference on …).
    numeric = any(c.dep_ == "nummod" and c.ent_type_ in _EN_MEASURE_ENTS for c in noun.children)
    if numeric and subject and noun.dep_ in ("dobj", "attr", "npadvmod", "pobj", "obj"):
        return f"{subject} ({phrase})"
    return phrase


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
    """The root's subject; where the parser gives two, the one next to the verb."""
    subjects = [child for child in root.children if child.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    before = [child for child in subjects if child.i < root.i]
    child = before[-1] if before else subjects[0]
    return "".join(t.text_with_ws for t in child.subtree).strip()
