"""Reading articles: bytes → text → :class:`Article`, and lines → :class:`Block`.

The core is pure (``decode_bytes``, ``parse_html``, ``parse_json``, ``parse_text``,
``split_blocks``, ``find_published``); only ``read_article`` and ``iter_articles``
touch the file system or standard input.

Offsets everywhere downstream point into ``Article.text``. For plain text and
Markdown that is *exactly* the decoded file (line endings untouched, only a byte
order mark removed); for HTML it is the main text trafilatura extracts; for JSON it
is the ``text`` field.

Every failure is an :class:`~factcheck.errors.InputError` whose message names the
input and says what to do:

=====  ==========================================================
F100   the path could not be read (a directory, permissions)
F101   empty or whitespace-only input
F102   binary data (an image, an archive, a PDF ...)
F103   no encoding decodes it
F104   unsupported file suffix
F105   malformed JSON article
F106   HTML without main text
F107   path does not exist
F108   larger than ``max_bytes``
=====  ==========================================================

Decoding never guesses silently (:func:`decode_text`): a UTF-8 file with a few bad
bytes stays UTF-8 with those bytes replaced by U+FFFD, and a stray NUL byte is
replaced the same way; each logs a warning naming the byte offsets, and the
article records them (``Article.replacements``). A legacy encoding is chosen only
with strong evidence (a byte order mark, an HTML ``<meta charset>``, text that reads
as common GB18030 or Big5 Chinese, UTF-16 without a BOM); any other guess is logged
as a warning.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from factcheck.errors import InputError
from factcheck.records import Article, Block, article_id

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "decode_bytes",
    "decode_text",
    "detect_title",
    "find_published",
    "iter_articles",
    "normalise_date",
    "parse_html",
    "parse_json",
    "parse_text",
    "read_article",
    "sniff_format",
    "split_blocks",
]

#: Largest input read by default (50 MB); the CLI exposes it as ``--max-bytes``.
DEFAULT_MAX_BYTES = 50_000_000

#: File suffix → ``Article.format``.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "json",
}

_SUPPORTED_LIST = ", ".join(SUPPORTED_SUFFIXES)
_ACCEPTED = (
    "factcheck reads plain text (.txt, .text, .md, .markdown), HTML (.html, .htm) and "
    "JSON (.json, .jsonl) encoded as UTF-8, UTF-16, GB18030/GBK or Big5"
)


# --------------------------------------------------------------------------- decoding

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.xlsx/.epub, which are zip files)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)

# Control characters that never occur in real text (tab, newlines and form feed do).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")
_CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_CONTROL_RATIO = 0.05
# At most this share of NUL bytes (and at least one) is a stray fault, replaced and warned about.
_STRAY_NUL_RATIO = 0.001
_SURROGATE_RE = re.compile("[\udc80-\udcff]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_SHOWN_OFFSETS = 10  # offsets named in a warning; the article keeps them all


def decode_bytes(
    data: bytes, source: str | None = None, *, declared: str | None = None
) -> tuple[str, str]:
    """Decode an input file; return ``(text, encoding)`` (see :func:`decode_text`)."""
    text, encoding, _ = decode_text(data, source, declared=declared)
    return text, encoding


def decode_text(
    data: bytes, source: str | None = None, *, declared: str | None = None
) -> tuple[str, str, list[int]]:
    """Decode an input file; return ``(text, encoding, replaced byte offsets)``.

    Tries, in order: a byte order mark (UTF-8/16/32; the BOM is dropped, nothing else
    changes), strict UTF-8, UTF-8 with a few bad bytes (more valid multi-byte
    characters than bad bytes: the bad ones become U+FFFD), the ``declared`` charset
    (an HTML ``<meta charset>``), GB18030 or Big5 when the bytes decode to mostly
    common Chinese, UTF-16 without a BOM, then charset-normalizer's guess. Each bad
    byte and each stray NUL byte becomes one U+FFFD, so the text keeps its length; a
    warning names their offsets, and so does a guess. Line endings are kept as they
    are so offsets point into the file content.

    Raises InputError F101 (empty), F102 (binary) or F103 (undecodable).
    """
    what = "the file" if source and source != "<stdin>" else "the input"
    if not data:
        raise InputError(f"{what} is empty: nothing to extract", code="F101", source=source)

    bom = next(((len(b), name) for b, name in _BOMS if data.startswith(b)), None)
    if bom is not None:
        size, name = bom
        try:
            text = data[size:].decode(name)
        except UnicodeDecodeError as exc:
            if name == "utf-8":
                text, replaced = _utf8_replacing(data[size:], size)
                return _finish(text, "utf-8-sig", replaced, source, what)
            detail = f"a {name} byte order mark, then {exc.reason} at byte {exc.start + size}"
            raise _undecodable(source, [name], detail) from None
        encoding = "utf-8-sig" if name == "utf-8" else name
        return _finish(text, encoding, _nul_offsets(data, encoding, size), source, what)

    kind = _binary_kind(data)
    if kind == "utf-16":
        utf16 = _utf16_without_bom(data)
        decoded = (data.decode(utf16), utf16) if utf16 else _try_utf16(data)
        assert decoded is not None  # _binary_kind found it
        return _finish(*decoded, [], source, what)
    if kind is not None:
        raise _binary(source, kind)

    tried = ["utf-8"]
    try:
        return _finish(data.decode("utf-8"), "utf-8", _nul_offsets(data, "utf-8"), source, what)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # Cut off inside the last character (a truncated download): drop the stub.
            cut = data[: exc.start]
            return _finish(cut.decode("utf-8"), "utf-8", _nul_offsets(cut, "utf-8"), source, what)

    text, replaced = _utf8_replacing(data)
    if len(_NON_ASCII_RE.findall(text)) - len(replaced) > len(replaced):
        # More valid multi-byte characters than bad bytes: UTF-8 with a few faults, not a legacy encoding.
        return _finish(text, "utf-8", sorted(replaced + _nul_offsets(data, "utf-8")), source, what)

    if declared:
        try:
            name = _codec_name(declared)
            tried.append(name)
            if name in ("gbk", "gb2312"):  # GB18030 is a strict superset
                name = "gb18030"
            text = data.decode(name)
            return _finish(text, name, _nul_offsets(data, name), source, what)
        except (LookupError, UnicodeDecodeError):
            pass

    for name, common in (("gb18030", "gb2312"), ("big5", "big5")):
        tried.append(name)
        legacy = _try_chinese(data, name, common)
        if legacy is not None:
            return _finish(legacy, name, _nul_offsets(data, name), source, what)

    tried.append("utf-16 without a byte order mark")
    utf16_text = _try_utf16(data)
    if utf16_text is not None:
        return _finish(*utf16_text, [], source, what)

    tried.append("charset detection")
    guess = _detect(data)
    if guess is not None:
        text, name = guess
        log.warning(
            "%s: not UTF-8, and no strong sign of its encoding: decoded as %s, a guess. If accents or "
            "punctuation look wrong, convert the file to UTF-8 first (iconv -f ENCODING -t UTF-8)",
            source or "<input>", name,
        )
        return _finish(text, name, _nul_offsets(data, name), source, what)
    raise _undecodable(source, tried, None)


def _utf8_replacing(data: bytes, base: int = 0) -> tuple[str, list[int]]:
    """UTF-8 text with each undecodable byte as one U+FFFD, and those bytes' offsets (plus ``base``)."""
    text = data.decode("utf-8", "surrogateescape")
    offsets, done, byte = [], 0, base
    for match in _SURROGATE_RE.finditer(text):
        byte += len(text[done : match.start()].encode("utf-8", "surrogateescape"))
        offsets.append(byte)
        byte, done = byte + 1, match.end()
    return _SURROGATE_RE.sub("\ufffd", text), offsets


def _nul_offsets(data: bytes, encoding: str, base: int = 0) -> list[int]:
    """Offsets of NUL bytes, for encodings where a NUL byte is a NUL character."""
    if encoding.startswith(("utf-16", "utf-32")) or b"\x00" not in data:
        return []
    return [m.start() + base for m in re.finditer(b"\x00", data)]


def _finish(
    text: str, encoding: str, replaced: list[int], source: str | None, what: str
) -> tuple[str, str, list[int]]:
    text = text.replace("\x00", "\ufffd")
    if not text.strip():
        raise InputError(
            f"{what} contains only whitespace: nothing to extract", code="F101", source=source
        )
    sample = text[:1_000_000]
    if len(_CONTROL_RE.findall(sample)) > _BINARY_CONTROL_RATIO * len(sample):
        raise _binary(source, "mostly control characters")
    if replaced:
        shown = ", ".join(map(str, replaced[:_SHOWN_OFFSETS]))
        more = f" and {len(replaced) - _SHOWN_OFFSETS} more" if len(replaced) > _SHOWN_OFFSETS else ""
        log.warning(
            "%s: %d byte(s) that are not valid %s (or NUL) replaced with U+FFFD at byte offset(s) %s%s; "
            "the rest is decoded as %s. Check those places in the source if the text matters there",
            source or "<input>", len(replaced), encoding, shown, more, encoding,
        )
    return text, encoding, replaced


def _binary_kind(data: bytes) -> str | None:
    """Say what binary data looks like, "utf-16" for BOM-less UTF-16, None for text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:65536]
    if b"\x00" in head:
        if _utf16_without_bom(data) or _try_utf16(data):
            return "utf-16"
        if data.count(b"\x00") > max(1, _STRAY_NUL_RATIO * len(data)):
            return "it contains NUL bytes"
    if len(_CONTROL_BYTES_RE.findall(head)) > _BINARY_CONTROL_RATIO * len(head):
        return "mostly control characters"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 of mostly ASCII text: a NUL in every other byte."""
    if len(data) % 2 or len(data) < 4:
        return None
    head = data[:65536]
    even, odd = head[0::2], head[1::2]
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


def _try_chinese(data: bytes, encoding: str, common: str) -> str | None:
    """GB18030 or Big5 text, when the bytes decode to mostly common Chinese characters.

    charset-normalizer guesses short Chinese text as a single-byte codepage often
    enough to matter, so these are tried first. A strict decode alone is not
    enough: Latin-1 text ("cafés") can decode too, into rare characters from the GBK
    extension area, so at least 90% of the non-ASCII characters must be in ``common``
    (GB2312: the common simplified characters and punctuation; for Big5 the CJK
    characters and punctuation it has, outside the GB2312 set for at least one).
    """
    if sum(b >= 0x80 for b in data[:65536]) == 0:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text[:100_000] if ord(ch) >= 0x80]
    hits = sum(_encodes(ch, common) and (common != "big5" or _CJK_RE.match(ch) is not None
                                         or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
               for ch in wide)
    return text if wide and hits >= 0.9 * len(wide) else None


def _encodes(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _try_utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 of mostly Chinese text (no NUL bytes to tell it): a strict decode whose
    characters are at least 90% CJK, CJK punctuation or printable ASCII."""
    if len(data) % 2 or len(data) < 4:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        sample = text[:50_000]
        plausible = sum(
            _CJK_RE.match(ch) is not None or " " <= ch <= "~" or ch in "\r\n\t"
            or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" for ch in sample
        )
        if sample and plausible >= 0.9 * len(sample) and _CJK_RE.search(sample):
            return text, name
    return None


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    name = _codec_name(best.encoding)
    if name in ("gbk", "gb2312"):
        name = "gb18030"
    elif all(a.startswith(("Basic Latin", "Latin", "General Punctuation")) for a in best.alphabets):
        # (only Latin letters were seen)
        # Short Western text gets Baltic or Central European guesses (cp775, cp1250)
        # that decode é as ķ; for English-language news Windows-1252 is the likely one.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError):  # a codec Python lacks: take its decoding
        return str(best), name


def _codec_name(name: str) -> str:
    return codecs.lookup(name).name.replace("_", "-")


def _binary(source: str | None, kind: str) -> InputError:
    return InputError(
        f"looks binary ({kind}), not text. {_ACCEPTED}; extract the text first "
        "(for example `pdftotext` for a PDF, or save a Word document as .txt)",
        code="F102",
        source=source,
    )


def _undecodable(source: str | None, tried: list[str], detail: str | None) -> InputError:
    name = Path(source).name if source and source != "<stdin>" else "input.txt"
    stem = Path(name).stem
    why = f" ({detail})" if detail else ""
    return InputError(
        f"could not decode the text{why}; tried {', '.join(tried)}. Convert it to UTF-8 "
        f"first, e.g. `iconv -f GBK -t UTF-8 {name} > {stem}.utf8.txt` "
        "(replace GBK with the file's real encoding)",
        code="F103",
        source=source,
    )


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*[日号]?"
    rf"|\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)\b"
    rf"|\b(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon3>{_MONTH_RE})\.?,?\s+(?P<y3>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# A keyword that introduces a publication (or update) date, followed by the date.
_PUBLISHED_RE = re.compile(
    r"(?P<kw>发布时间|发布日期|发布于|发表于|发表时间|发稿时间|更新时间|更新于|日期|时间"
    r"|\b(?:first published|published|posted|last updated|updated|date)\b)"
    r"(?:\s*(?:on|at))?\s*[:：]?\s*(?=\S)",
    re.IGNORECASE,
)
_PUBLISHED_TOP = 5  # keyword dates count in this many leading lines (and in any byline)


def _iso(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    try:
        if g["y"]:
            y, m, d = int(g["y"]), int(g["m"]), int(g["d"])
        elif g["y2"]:
            y, m, d = int(g["y2"]), _MONTHS[g["mon"].lower()], int(g["d2"])
        else:
            y, m, d = int(g["y3"]), _MONTHS[g["mon3"].lower()], int(g["d3"])
        return dt.date(y, m, d).isoformat()
    except (ValueError, KeyError):
        return None


def normalise_date(value: str) -> str | None:
    """The first valid calendar date in ``value`` as "YYYY-MM-DD", else None.

    Reads "2025-05-22", "2025-05-22T08:00:00Z", "2025/5/22", "2025年5月22日",
    "May 22, 2025" and "22 May 2025".
    """
    for match in _DATE_RE.finditer(value):
        iso = _iso(match)
        if iso:
            return iso
    return None


def find_published(text: str, blocks: list[Block] | None = None) -> str | None:
    """The publication date stated in a byline, as "YYYY-MM-DD", or None.

    Only a date in a byline ("By Jane Doe | May 22, 2025", "作者：… 发布时间：…")
    or introduced by a keyword (发布时间：, 日期：, Published:, Updated ...) near the
    top counts; other dates in the body are about the news, not the article. A
    publication date wins over an update date.
    """
    if blocks is None:
        blocks = split_blocks(text)
    found: list[tuple[int, str]] = []  # (rank, iso): 0 published, 1 byline date, 2 updated
    content = [b for b in blocks if b.kind not in ("debris", "credit")]
    for index, block in enumerate(content):
        if block.kind != "byline" and index >= _PUBLISHED_TOP:
            continue
        line = text[block.start : block.end]
        for kw in _PUBLISHED_RE.finditer(line):
            date = _DATE_RE.match(line, kw.end())
            iso = date and _iso(date)
            if iso:
                found.append((2 if "updat" in kw["kw"].lower() or "更新" in kw["kw"] else 0, iso))
        if block.kind == "byline":
            iso = normalise_date(line)
            if iso:
                found.append((1, iso))
    return min(found, key=lambda f: f[0])[1] if found else None


# --------------------------------------------------------------------------- blocks

# Whitespace, no-break and zero-width spaces trimmed from block spans.
_TRIM = (
    " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
_LINE_RE = re.compile(r"[^\r\n\u2028\u2029\x85]+")

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_WORD_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.\-][A-Za-z0-9\u00c0-\u024f]+)*")
_HEADING_CJK = 25  # a line of at most this many characters/words can be a heading
_HEADING_WORDS = 12
_TITLE_CJK = 40  # the first line may be a longer headline
_TITLE_WORDS = 20

_ATX_RE = re.compile(r"#{1,6}(?:[ \t]+|$)")
# Quote and list markers stripped from the start of a block's span.
_MARKER_RE = re.compile(
    r"(?:>[ \t]?)*[ \t]*"
    r"(?:[-*+·][ \t]+|[•▪●◆■◇□►▶][ \t]*|\d{1,2}[.)][ \t]+|\d{1,2}、(?!\d)[ \t]*"
    r"|[（(]\d{1,2}[)）][ \t]*|[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十])[ \t]*"
    r"|[（(][一二三四五六七八九十]{1,3}[)）][ \t]*|[\u2460-\u2473][ \t]*)?"
)
_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)|<img\b[^>]*>", re.IGNORECASE)
_IMAGE_LINE_RE = re.compile(r"(?:(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)[ \t]*)+", re.IGNORECASE)
_GENERIC_ALT_RE = re.compile(
    r"(?:images?|photos?|pictures?|img|pic|figure|graphic|placeholder|logo|icon|avatar|"
    r"banner|thumbnail|qr ?code|图片?|配图|头像|二维码|图标|插图)\s*\d*"
    r"|\S+\.(?:jpe?g|png|gif|webp|svg|bmp)|\S+://\S+",
    re.IGNORECASE,
)

# Whole lines that carry no article content.
_DEBRIS_FULL_RE = re.compile(
    r"(?:"
    # image markers and section numbers on their own
    r"(?:图片?|图片来源|图源|配图|视频|音频|photos?|images?|pictures?|videos?|graphic|illustration)"
    r"\s*[:：]?"
    r"|[0-9０-９]{1,4}\s*[.．、)）]?|[（(][0-9]{1,3}[)）]|[一二三四五六七八九十百]{1,3}\s*[、.．]?"
    r"|[（(][一二三四五六七八九十]{1,3}[)）]|[\u2160-\u216b\u2460-\u2473]"
    r"|(?:part|section|chapter)\s+(?:\d{1,3}|[ivxlc]{1,6})"
    # end marks
    r"|[（(【\[]?\s*(?:完|全文完|end|the end)\s*[)）】\]]?|-+\s*end\s*-+"
    # links, bare URLs and markup on their own
    r"|<?(?:https?://|www\.)\S+>?|\[[^\]]*\]\([^)]*\)[.。]?|(?:<[^<>]{1,300}>\s*)+"
    # share, follow, subscribe
    r"|\+?\s*收藏本文|收藏|点赞|在看|转发|评论|分享|打赏|举报|阅读原文|阅读全文|展开全文|查看原文"
    r"|(?:分享|转发)(?:到|至).{0,30}|返回搜狐.{0,20}"
    r"|(?:打开|下载).{0,10}(?:app|客户端).{0,30}"
    r"|(?:点击|戳|长按|扫描|扫码).{0,40}(?:关注|订阅|二维码|阅读|查看|下载|收听|观看|进入).{0,30}"
    r"|(?:关注|订阅)(?:我们|公众号|本号|微信).{0,40}|本文来自.{0,60}"
    r"|(?:转载|转自|来源于)(?:自)?.{0,10}公众号.{0,40}"
    r"|share (?:this|on|via|to)\b.{0,40}|share|follow (?:us|me)\b.{0,60}|subscribe\b.{0,80}"
    r"|sign up (?:for|to|here|now)\b.{0,80}|advertisement|sponsored(?: content)?"
    r"|(?:read|see) (?:more|also)(?:\s*[:：].{0,100})?"
    r"|related(?: articles| stories| coverage| content)?(?:\s*[:：].{0,100})?|click here\b.{0,60}"
    r"|(?:continue|keep) reading.{0,20}|(?:tags?|keywords?|标签|关键词|关键字)\s*[:：].{0,100}"
    # editors and copyright
    r"|(?:责任编辑|责编|编辑|校对|审核|审校|监制|制作|出品|排版|美编|终审|初审|复审)\s*[:：|丨]\s*.{0,40}"
    r"|(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).{0,120}|版权所有.{0,80}"
    r"|未经(?:本网|本站|本号|作者|书面)?(?:许可|授权).{0,60}"
    r"|(?:禁止|严禁|谢绝)(?:转载|复制|摘编|镜像).{0,60}|转载请.{0,60}"
    r")",
    re.IGNORECASE,
)
# Lines that start a platform or copyright notice, however long.
_DEBRIS_PREFIX_RE = re.compile(
    r"特别声明|版权声明|免责声明|声明\s*[:：]|本文(?:仅)?代表(?:作者)?(?:个人)?观点"
    r"|本(?:平台|网站|站)仅提供"
    r"|notice\s*:\s*the (?:content|contents|article|information|text) above|disclaimer\s*[:：]"
    r"|the views? expressed (?:in|here|above)",
    re.IGNORECASE,
)
_RIGHTS_RE = re.compile(r"all rights reserved", re.IGNORECASE)
_STRONG_MARKER_RE = re.compile(
    r"(?:图片?|配图|photos?|images?|pictures?|graphic|illustration)\s*[:：]?", re.IGNORECASE
)

_BYLINE_CJK_RE = re.compile(
    r"(?:^|\s)(?:作者|撰文|撰稿|文|记者|本报记者|特约记者|通讯员|编译|翻译|译者|发布时间|发布日期|发布于"
    r"|发表于|发表时间|发稿时间|更新时间|更新于|时间|日期)\s*[:：|丨/]"
)
_BYLINE_REPORTER_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{2,6}社|本报|本台)?(?:特约)?记者\s*[\u4e00-\u9fff·]{2,4}"
    r"(?:\s+[\u4e00-\u9fff·]{2,4}){0,3}(?:\s+(?:报道|发自.{1,10}))?"
)
_NAME = r"[A-Z][\w'’.\-]*"
_BYLINE_EN_RE = re.compile(
    rf"B[yY]\s+{_NAME}(?:\s+(?:{_NAME}|de|van|von|der|bin|al|da|le))*"
    rf"(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+(?:{_NAME}|de|van|von|der|bin|al|da|le))*)*"
    r"\s*(?:[|,·•—–\-]\s*.*)?"
)
_BYLINE_ROLE_RE = re.compile(
    r"[（(]?\s*(?:additional\s+)?"
    r"(?:reporting|writing|editing|compiled|written|story|words|text|interview)\s+by\b.{0,200}",
    re.IGNORECASE,
)
_DATELINE_RE = re.compile(
    r"(?:first published|published|posted|last updated|updated|date)"
    r"(?:\s*(?:on|at))?\s*[:：]?\s*"
    r"(?=[\d(]|[a-z]{3,9}\.?\s+\d|\d)[^\r\n]{0,60}",
    re.IGNORECASE,
)
_TIME_OR_WEEKDAY_RE = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|[ap]\.?m\.?"
    r"|\b(?:gmt|utc|bst|cet|est|edt|pst|pdt|et|pt)\b"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b"
    r"|星期[一二三四五六日天]|周[一二三四五六日]",
    re.IGNORECASE,
)

_AMPM_END_RE = re.compile(r"[ap]\.m\.$", re.IGNORECASE)
# Every letter _DATE_RE and _TIME_OR_WEEKDAY_RE can consume (their words, in both cases,
# and the odd characters that IGNORECASE folds onto them). A line with any other letter is not a
# bare date and time: this one scan spares body lines the two slow substitutions.
_DATE_TIME_LETTERS = "".join(
    sorted(
        (set("".join(_MONTHS)) | set("st nd rd th am pm gmt utc bst cet est edt pst pdt et pt "
                                     "monday tuesday wednesday thursday friday saturday sunday"))
        - {" "}
    )
)
_NOT_DATE_TIME_LETTER = re.compile(
    rf"[^\W\d_{_DATE_TIME_LETTERS}{_DATE_TIME_LETTERS.upper()}\u017f\u0131\u0130\u212a年月日号星期一二三四五六天周]"
)

_CREDIT_RE = re.compile(
    r"[（(]?\s*(?:图源|图片来源|图片来自|图片提供|来源|资料来源|数据来源|视频来源|摄影|供图|"
    r"sources?|photos?|images?|pictures?|photograph|photo credit|image credit|credits?|graphic)"
    r"\s*[:：|丨/]\s*[^。！？!?]{1,40}?\.?\s*[)）]?|[（(]?\s*图\s*[/|丨]\s*[^。！？!?，,]{1,30}[)）]?",
    re.IGNORECASE,
)
_CREDIT_BY_RE = re.compile(
    r"[（(]?\s*(?:photos?|photograph|images?|pictures?)\s+(?:by|courtesy of|credit)\s+"
    r"[^。！？!?]{1,60}[)）]?"
    r"|[（(]?[^。！？!?]{0,30}(?:摄|供图)\s*[)）]?"
    r"|(?:reuters|ap|afp|getty images|epa|xinhua|新华社|路透社|美联社|法新社|视觉中国|东方ic|ic photo)"
    r"(?:\s*(?:photo|图|供图|发)|\s*/.{0,40})?"
    r"|(?-i:[A-Z]{2,}(?:\s+[A-Z]{2,})*/[\w .'\-]{1,40})",
    re.IGNORECASE,
)
_CAPTION_CUE_RE = re.compile(
    r"(?:图为|上图|下图|左图|右图|图注|图说|资料图|视频截图|图\s*[:：])"
    r"|(?:pictured|photo shows|caption\s*[:：]|file photo)",
    re.IGNORECASE,
)
_CAPTION_TAIL_RE = re.compile(
    r"(?:摄|供图|(?:图源|图片来源)\s*[:：].{1,40}|\b(?:photo|image|picture|credit)s?\s*[:：/].{1,40}"
    r"|REUTERS/.{1,40}|\((?:AP|AFP|EPA|Reuters|Getty Images)[^)]{0,40}\))\s*[)）]?\s*$",
)
_PAREN_LINE_RE = re.compile(r"[（(].+[)）]")
_PHOTO_WORD_RE = re.compile(r"图|摄|photo|image|picture|pictured|file", re.IGNORECASE)
_CLOSERS = "”\"’'」』)）]】》"
_FINAL_PUNCT = "。！？!?.…；;"
_INNER_PUNCT_RE = re.compile(r"[。！？]|[!?]\s")


def split_blocks(text: str) -> list[Block]:
    """Split ``text`` into line blocks and classify each one.

    Every line with visible content becomes one :class:`Block` whose span is the
    line without surrounding whitespace and without a leading quote or list marker
    ("> ", "- ", "1. ", "一、"), so that claims never start with "- ". Kinds:

    * ``debris``: image links (``![]()``), bare URLs, "图片"/"Photo" markers, bare
      section numbers ("01"), share/follow/ad lines, editor lines, platform and
      copyright notices (特别声明…, Notice: The content above…, All rights reserved);
    * ``credit``: photo or source credits (图源：路透社, Source: Reuters, Photo: AP);
    * ``byline``: authors and dates (作者：… 发布时间：…, By Jane Doe | May 22, 2025);
    * ``caption``: the line after an image marker ("图片" always; a Markdown image
      when the line looks like a caption: no final punctuation or a caption cue), a
      Markdown image's meaningful alt text (the span covers the alt text only), and
      lines such as "图为…" or "(Photo: …)";
    * ``heading``: Markdown headings (span after the "#"), the title line and short
      lines without sentence-final punctuation;
    * ``body``: everything else.

    A text of one line is a sentence, not a heading, unless it is marked as one ("# …"):
    a claim pasted on standard input, a tweet or a one-line fact-check reads as body.
    """
    blocks: list[Block] = []
    front = _front_matter_end(text)
    pending: str | None = None  # "strong" after 图片/Photo, "image" after a Markdown image
    first = True
    for match in _LINE_RE.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if start >= end:
            continue
        if start < front:
            blocks.append(Block(start, end, "debris"))
            continue
        line = text[start:end]
        kind, lo, hi, pending = _classify(line, pending, first)
        blocks.append(Block(start + lo, start + hi, kind))
        if kind not in ("debris", "credit"):
            first = False
    content = [i for i, b in enumerate(blocks) if b.kind not in ("debris", "credit")]
    if len(content) == 1 and blocks[content[0]].kind == "heading" and not _ATX_RE.match(text.lstrip()):
        only = blocks[content[0]]
        blocks[content[0]] = Block(only.start, only.end, "body")
    return blocks


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _classify(line: str, pending: str | None, first: bool) -> tuple[str, int, int, str | None]:
    """Return (kind, start, end, new pending state) for one trimmed line."""
    atx = _ATX_RE.match(line)
    if atx:
        a, b = _trim(line, atx.end(), len(line.rstrip("#")))
        if a >= b:
            return "debris", 0, len(line), pending
        return "heading", a, b, None

    marker = _MARKER_RE.match(line)
    assert marker is not None  # every part of the pattern is optional
    lo, _ = _trim(line, marker.end(), len(line))
    content = line[lo:]
    if not content:  # a marker on its own: "一、", ">"
        return "debris", 0, len(line), pending
    n = len(line)

    image = _IMAGE_LINE_RE.match(content)
    if image:
        after, _ = _trim(content, image.end(), len(content))
        if after < len(content):  # text after the image on the same line
            return "caption", lo + after, n, None
        for img in _IMAGE_RE.finditer(content):
            alt = img.group("alt") if img.group(0).startswith("!") else None
            if alt and _meaningful_alt(alt):
                a, b = _trim(content, img.start("alt"), img.end("alt"))
                return "caption", lo + a, lo + b, "image"
        return "debris", lo, n, pending or "image"

    if (
        _DEBRIS_FULL_RE.fullmatch(content)
        or _DEBRIS_PREFIX_RE.match(content)
        or not _has_words(content)
    ):
        if _STRONG_MARKER_RE.fullmatch(content):
            return "debris", lo, n, "strong"
        return "debris", lo, n, pending
    if _RIGHTS_RE.search(content) and len(content) <= 160:
        return "debris", lo, n, pending

    if _is_byline(content):
        return "byline", lo, n, None
    if _CREDIT_RE.fullmatch(content) or _CREDIT_BY_RE.fullmatch(content):
        if content.startswith("来源") and _has_date(content):
            return "byline", lo, n, None
        return "credit", lo, n, pending

    if _CAPTION_CUE_RE.match(content) or (
        _PAREN_LINE_RE.fullmatch(content) and _PHOTO_WORD_RE.search(content)
    ):
        return "caption", lo, n, None
    # A hero image above the headline does not make the headline a caption.
    hero = first and _is_heading(content, first)
    if pending == "strong" or (pending == "image" and _caption_like(content) and not hero):
        return "caption", lo, n, None

    if _is_heading(content, first):
        return "heading", lo, n, None
    return "body", lo, n, None


def _meaningful_alt(alt: str) -> bool:
    alt = alt.strip()
    if not alt or _GENERIC_ALT_RE.fullmatch(alt):
        return False
    return len(_CJK_RE.findall(alt)) >= 4 or len(_WORD_RE.findall(alt)) >= 3


def _has_words(text: str) -> bool:
    """Any letter or digit at all (separators, emoji and dots have none)."""
    return any(ch.isalnum() for ch in text)


def _ends_sentence(content: str) -> bool:
    stripped = content.rstrip(_CLOSERS + _TRIM)
    return bool(stripped) and stripped[-1] in _FINAL_PUNCT


def _has_date(content: str) -> bool:
    return _DATE_RE.search(content) is not None


def _is_byline(content: str) -> bool:
    if len(content) > 160:
        return False
    if _BYLINE_CJK_RE.search(content):
        return not _ends_sentence(content) or _has_date(content)
    if _BYLINE_REPORTER_RE.fullmatch(content):
        return True
    if _BYLINE_ROLE_RE.fullmatch(content):
        return True
    sentence = _ends_sentence(_AMPM_END_RE.sub("", content))
    if _BYLINE_EN_RE.fullmatch(content) and len(_WORD_RE.findall(content)) <= 20:
        return not sentence
    if _DATELINE_RE.fullmatch(content) and _has_date(content):
        return not sentence
    # A line holding nothing but a date and a time.
    if _NOT_DATE_TIME_LETTER.search(content):
        return False
    rest = _TIME_OR_WEEKDAY_RE.sub(" ", _DATE_RE.sub(" ", content))
    return _has_date(content) and not any(ch.isalnum() for ch in rest)


def _caption_like(content: str) -> bool:
    """A line after a Markdown image that reads as its caption rather than body text."""
    return (
        not _ends_sentence(content)
        or _CAPTION_TAIL_RE.search(content) is not None
        or (_PAREN_LINE_RE.fullmatch(content) is not None)
    )


def _is_heading(content: str, first: bool) -> bool:
    if _ends_sentence(content) or _INNER_PUNCT_RE.search(content):
        return False
    cjk = len(_CJK_RE.findall(content))
    words = len(_WORD_RE.findall(content))
    if cjk and cjk >= words:
        return cjk + words <= (_TITLE_CJK if first else _HEADING_CJK)
    return 0 < words <= (_TITLE_WORDS if first else _HEADING_WORDS)


def _front_matter_end(text: str) -> int:
    """End offset of a YAML front matter block ("---" … "---"), or 0."""
    match = re.match(r"\ufeff?---[ \t]*\r?\n(?:.*\r?\n){0,60}?---[ \t]*(?:\r?\n|$)", text)
    return match.end() if match else 0


def _front_matter(text: str) -> dict[str, str]:
    end = _front_matter_end(text)
    fields: dict[str, str] = {}
    for line in text[:end].splitlines()[1:-1]:
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            fields.setdefault(key.strip().lower(), value.strip().strip("'\""))
    return fields


# --------------------------------------------------------------------------- title


def detect_title(text: str, blocks: list[Block] | None = None) -> str | None:
    """The article's headline, when the text starts with one.

    A Markdown "# " heading, a ``title:`` in YAML front matter, a line underlined
    with "===", or a short first line without final punctuation followed by a blank
    line. Leading debris (image links, front matter) is skipped.
    """
    meta = _front_matter(text).get("title")
    if meta:
        return meta
    if blocks is None:
        blocks = split_blocks(text)
    for block in blocks:
        if block.kind in ("debris", "credit"):
            continue
        line = text[block.start : block.end]
        line_start = text.rfind("\n", 0, block.start) + 1
        if _ATX_RE.match(text, line_start):
            return line
        if not _is_heading(line, first=True):
            return None
        after = text[block.end :]
        next_line = re.match(r"[^\S\r\n]*\r?\n([^\r\n]*)", after)
        if next_line is None:
            return None
        following = next_line.group(1).strip()
        if not following or re.fullmatch(r"=+", following):
            return line
        return None
    return None


# --------------------------------------------------------------------------- parsers


def parse_text(text: str, source: str | None = None, fmt: str = "txt") -> Article:
    """An Article whose text is exactly ``text`` (plain text or Markdown)."""
    blocks = split_blocks(text)
    stated = _front_matter(text).get("date", "")
    published = normalise_date(stated)
    if stated and published is None:
        log.warning('%s: front matter "date: %s" is not a valid date; give it as YYYY-MM-DD',
                    source or "<input>", stated)
    published = published or find_published(text, blocks)
    return Article(
        text=text,
        article_id=article_id(text),
        title=detect_title(text, blocks),
        published=published,
        source=source,
        format=fmt,
    )


def sniff_format(text: str) -> str:
    """Guess the format of unnamed input (stdin): "json", "html" or "txt"."""
    head = text.lstrip(_TRIM + "\r\n")
    if head.startswith("{") or re.match(r"\[\s*[{\]]", head):
        return "json"
    if head.startswith("<") and re.match(
        r"<(?:!doctype\s+html|html|head|body|div|p|article|main|meta|title|section|span|h[1-6]"
        r"|!--)\b",
        head,
        re.IGNORECASE,
    ):
        return "html"
    return "txt"


_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_FIGCAPTION_RE = re.compile(r"<(/?)figcaption\b", re.IGNORECASE)


def parse_html(html: str, url: str | None = None, *, source: str | None = None) -> Article:
    """Extract the main text of an HTML page with trafilatura.

    Comments and tables are left out; images become ``![alt](src)`` lines and
    ``<figcaption>`` becomes its own paragraph, so ``split_blocks`` sees captions.
    When trafilatura finds nothing (tiny or badly broken pages) a plain-text
    fallback is used. Raises InputError F106 when there is no text at all.
    """
    import trafilatura

    # trafilatura drops <figcaption>; as a paragraph it survives, next to its image.
    prepared = _FIGCAPTION_RE.sub(r"<\1p", html)
    doc = None
    try:
        extracted = trafilatura.bare_extraction(
            prepared,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=True,
            with_metadata=True,
            # Guessing a date from body text invents dates ("2025年" → 2025-01-01).
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        doc = None if isinstance(extracted, dict) else extracted  # a dict only with as_dict=True
    except Exception:  # noqa: BLE001 - a parser failure on bad markup means "no text"
        doc = None
    text = (doc.text or "") if doc is not None else ""
    if not _has_words(text):
        text = _fallback_text(html)
    if not _has_words(text) or _PARAGRAPH_RE.search(text):  # nothing, or markup shown as text
        paragraphs = _paragraph_text(html)
        if paragraphs:
            text = paragraphs
            log.warning(
                "%s: the HTML is malformed (an unclosed <script>, <!--, <title>, <textarea> or <svg> hides "
                "the page from HTML parsers); its text was taken from the <p> paragraphs in the markup",
                source or "<input>",
            )
    if not _has_words(text):
        raise InputError(
            "no main text found in the HTML (it may be empty, rendered by JavaScript, "
            "behind a login or an index page); save the article's text as .txt, or save "
            "the page after it has rendered",
            code="F106",
            source=source,
        )
    title = (doc.title if doc is not None else None) or detect_title(text)
    published = (doc.date if doc is not None else None) or find_published(text)
    return Article(
        text=text,
        article_id=article_id(text),
        title=title or None,
        url=next((u for u in (doc.url if doc is not None else None, url) if u and _is_web_url(u)), None),
        published=normalise_date(published) if published else None,
        source=source,
        format="html",
    )


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
    "article",
    "header",
    "pre",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "table",
}


def _fallback_text(html: str) -> str:
    """Visible text of a page, one line per block element; "" if unparseable."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(_XML_DECL_RE.sub("", html))
    except (etree.ParserError, ValueError):
        return ""
    for node in root.xpath(
        "//script|//style|//noscript|//template|//head|//nav|//footer|//aside|//form"
        "|//button|//svg|//iframe|//comment()"
    ):
        if node.getparent() is not None:  # top-level comments have no parent
            node.drop_tree()
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCK_TAGS:
            node.tail = "\n" + (node.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)(?=<p\b|</p\s*>|</div\b|</body\b|</html\b|\Z)",
                           re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")


def _paragraph_text(html: str) -> str:
    """The ``<p>`` paragraphs of markup that parsers cannot read, tags stripped, one per line."""
    import html as html_lib

    paragraphs = (" ".join(html_lib.unescape(_TAG_RE.sub(" ", m.group(1))).split())
                  for m in _PARAGRAPH_RE.finditer(html))
    return "\n".join(p for p in paragraphs if _has_words(p))


_TEXT_ALIASES = ("content", "body", "article", "maintext", "full_text")


def parse_json(text: str, source: str | None = None) -> list[Article]:
    """Articles from a JSON object, a JSON list of objects, or JSON Lines.

    Each object needs a non-empty string ``text``; ``title``, ``url`` and
    ``published`` are optional strings (``published`` is normalised to
    "YYYY-MM-DD"). Raises InputError F105 naming the line and field at fault.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        records = _json_lines(text, source, exc)
    except RecursionError:
        raise _too_deep(source) from None
    else:
        if isinstance(data, dict):
            records = [(data, "the JSON object")]
        elif isinstance(data, list):
            if not data:
                raise _json_error(source, "the JSON list is empty: no articles to read")
            records = [(item, f"item {i} of the list") for i, item in enumerate(data, 1)]
        else:
            raise _json_error(
                source,
                'expected an object with a "text" field (or a list of them), '
                f"got {_json_type(data)}",
            )
    return [_json_article(obj, where, source) for obj, where in records]


def _json_lines(
    text: str, source: str | None, first_error: json.JSONDecodeError
) -> list[tuple[object, str]]:
    records: list[tuple[object, str]] = []
    # Split on "\n" only: JSON strings may hold a raw U+2028, which splitlines() splits.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            raise _too_deep(source) from None
        except json.JSONDecodeError as exc:
            if not records:  # not JSON Lines either: report the document's own error
                raise _json_error(
                    source,
                    f"invalid JSON at line {first_error.lineno}, column {first_error.colno}: "
                    f"{first_error.msg}",
                ) from None
            raise _json_error(
                source,
                f"invalid JSON Lines record at line {number}, column {exc.colno}: {exc.msg}",
            ) from None
        records.append((obj, f"line {number}"))
    if not records:
        raise _json_error(source, "no JSON objects found")
    return records


def _json_article(obj: object, where: str, source: str | None) -> Article:
    if not isinstance(obj, dict):
        raise _json_error(
            source, f'{where}: expected an object with a "text" field, got {_json_type(obj)}'
        )
    if "text" not in obj:
        alias = next((k for k in _TEXT_ALIASES if k in obj), None)
        hint = f' (found "{alias}": rename it to "text")' if alias else ""
        raise _json_error(source, f'{where}: missing required field "text"{hint}')
    body = obj["text"]
    if not isinstance(body, str):
        raise _json_error(source, f'{where}: field "text" must be a string, got {_json_type(body)}')
    if not body.strip():
        raise _json_error(source, f'{where}: field "text" is empty: nothing to extract')
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        raise _json_error(
            source, f'{where}: field "text" contains an unpaired surrogate escape (\\udXXX)'
        ) from None
    fields: dict[str, str | None] = {}
    for key in ("title", "url", "published"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise _json_error(
                source, f'{where}: field "{key}" must be a string, got {_json_type(value)}'
            )
        fields[key] = (value.strip() or None) if isinstance(value, str) else None
    if fields["url"] and not _is_web_url(fields["url"]):
        log.warning('%s: %s: "url" %r is not an http(s) link; the article is stored without it',
                    source or "<input>", where, fields["url"][:80])
        fields["url"] = None
    published = normalise_date(fields["published"]) if fields["published"] else None
    if fields["published"] and published is None:
        log.warning(
            '%s: %s: "published" %r is not a valid date; the article is stored without it (unless its '
            'byline has one). Give it as YYYY-MM-DD', source or "<input>", where, fields["published"],
        )
    return Article(
        text=body,
        article_id=article_id(body),
        title=fields["title"] or detect_title(body),
        url=fields["url"],
        published=published or find_published(body),
        source=source,
        format="json",
    )


def _too_deep(source: str | None) -> InputError:
    return _json_error(source, "the JSON is nested too deeply to read (thousands of levels of [ or {)")


def _is_web_url(url: str) -> bool:
    """An absolute http(s) link: the only article URLs kept (a javascript: or data: one is not a page)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _json_error(source: str | None, message: str) -> InputError:
    return InputError(
        f'{message}. Expected {{"text": "...", "title": ..., "url": ..., '
        '"published": "YYYY-MM-DD"}, a list of such objects, or one per line (JSON Lines)',
        code="F105",
        source=source,
    )


# --------------------------------------------------------------------------- I/O edges

_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def _parse_bytes(data: bytes, fmt: str | None, source: str) -> list[Article]:
    declared = None
    if fmt in (None, "html"):
        found = _CHARSET_RE.search(data[:4096])
        declared = found.group(1).decode("ascii") if found else None
    text, encoding, replaced = decode_text(data, source, declared=declared)
    fmt = fmt or sniff_format(text)
    if fmt == "html":
        articles = [parse_html(text, source=source)]
    elif fmt == "json":
        articles = parse_json(text, source)
    else:
        articles = [parse_text(text, source, fmt)]
    for article in articles:
        article.encoding = encoding
        article.replacements = replaced
    return articles


def _too_large(source: str, size: int | None, max_bytes: int) -> InputError:
    shown = f"is {size / 1e6:.1f} MB, " if size is not None else "gave more than the limit: it is "
    stream = "" if size is not None else " (a stream that never ends, such as /dev/zero, never fits: pass a file)"
    return InputError(
        f"{shown}larger than the limit of {max_bytes / 1e6:.1f} MB ({max_bytes} bytes); "
        f"raise it with --max-bytes (e.g. --max-bytes {max(2 * max_bytes, (size or 0) + 1)}), "
        f"or split the file{stream}",
        code="F108",
        source=source,
    )


def read_article(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """Read one file (or ``-`` for standard input) into its articles.

    The suffix picks the format (see ``SUPPORTED_SUFFIXES``); standard input is
    sniffed. At most ``max_bytes`` are read from any file, pipe or device (F108 beyond).
    Plain text and Markdown give one Article whose text is exactly the
    decoded file; HTML gives one; JSON gives one per object.
    """
    if str(path) == "-":
        source = "<stdin>"
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(source, None, max_bytes)
        return _parse_bytes(data, None, source)

    p = Path(path)
    source = str(path)
    if not p.exists():
        raise InputError(
            f"no such file or directory (relative paths start from {os.getcwd()}); "
            "check the path, or pass - to read standard input",
            code="F107",
            source=source,
        )
    if p.is_dir():
        raise InputError(
            "is a directory; pass the files in it, or use iter_articles (the CLI does), "
            "which reads directories recursively",
            code="F100",
            source=source,
        )
    fmt = SUPPORTED_SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unsupported file type {p.suffix or '(no suffix)'!r}: supported are "
            f"{_SUPPORTED_LIST}. Rename the file if it is one of these, or convert it to text",
            code="F104",
            source=source,
        )
    try:
        info = p.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise _too_large(source, info.st_size, max_bytes)
        # A FIFO, a device or a file still growing has no size to trust: read at most the limit.
        with p.open("rb") as fp:
            data = fp.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(source, None, max_bytes)
    except OSError as exc:
        raise InputError(
            f"could not read the file: {exc.strerror or exc}", code="F100", source=source
        ) from None
    return _parse_bytes(data, fmt, source)


def failure_cause(exc: BaseException) -> str:
    """What to tell the user of a failure nothing foresaw, and what to do about it."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply (RecursionError); flatten the structure or split the file"
    if isinstance(exc, MemoryError):
        return ("memory ran out (MemoryError); split the file, lower --max-bytes, or run it alone "
                "on a machine with more memory")
    return (f"{type(exc).__name__}: {exc}. This is a bug in factcheck: please report it with the input; "
            "the other inputs were processed")


def read_failure(exc: BaseException, source: str) -> InputError:
    """F150: reading ``source`` failed in a way nothing foresaw."""
    return InputError(f"reading failed: {failure_cause(exc)}", code="F150", source=source)


def iter_articles(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | InputError]:
    """Yield the articles of files, directories and ``-``, one at a time.

    Directories are walked recursively in sorted order; hidden entries and files
    with unsupported suffixes inside them are skipped, and symlinked directories
    are not followed (no cycles). A file that cannot be read yields its
    InputError instead of raising, so a caller can report it and carry on; so
    does one failing in a way the reader did not foresee (F150: RecursionError
    from JSON nested thousands deep, MemoryError, a bug).
    """
    for path in paths:
        for item in expand_path(path):
            if isinstance(item, InputError):
                yield item
                continue
            try:
                articles = read_article(item, max_bytes=max_bytes)
            except InputError as err:
                yield err
                continue
            except Exception as exc:  # noqa: BLE001 - a failure nothing foresaw is this file's, not the batch's
                yield read_failure(exc, str(item))
                continue
            yield from articles


def expand_path(path: str | Path) -> Iterator[str | Path | InputError]:
    """The inputs ``path`` names: itself (a file or ``-``), or a folder's files in sorted order, recursively;
    a folder that cannot be read yields its :class:`InputError` in place."""
    if str(path) == "-" or not Path(path).is_dir():
        yield path
        return
    yield from _walk(Path(path))


def _walk(directory: Path) -> Iterator[Path | InputError]:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield InputError(
            f"could not list the directory: {exc.strerror or exc}",
            code="F100",
            source=str(directory),
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(Path(entry.path))
        elif is_file and Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES:
            yield Path(entry.path)
