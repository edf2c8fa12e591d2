"""Tests for factcheck.extraction.ingest: decoding, parsing, directory walking and line blocks."""

from __future__ import annotations

import io
import json
import random
import sys
import types
from pathlib import Path

import pytest

import factcheck
from factcheck.errors import CODES, InputError
from factcheck.extraction import ingest
from factcheck.extraction.ingest import (
    article_id,
    decode_bytes,
    detect_title,
    find_published,
    iter_articles,
    normalise_date,
    parse_html,
    parse_json,
    read_article,
    sniff_format,
    split_blocks,
)
from factcheck.records import Article

ZH = "伊朗原油出口量在十月升至日均一百八十万桶。\n" "分析人士认为，航运保险费率上涨约百分之四十。\n"
EN = "Insurers raised war-risk premiums by about 40% in October, brokers said.\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def error_of(func, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        func(*args, **kwargs)
    assert info.value.code in CODES
    return info.value


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in split_blocks(text)]


# --------------------------------------------------------------------------- decoding


def test_utf8_text_is_kept_exactly(tmp_path):
    raw = "Title line\r\n\r\n" + EN.replace("\n", "\r\n") + ZH
    (article,) = read_article(write(tmp_path, "a.txt", raw))
    assert article.text == raw  # CRLF untouched: offsets point into the file
    assert article.encoding == "utf-8"
    assert article.format == "txt"
    assert article.source == str(tmp_path / "a.txt")
    assert article.article_id == article_id(raw)
    assert len(article.article_id) == 16


def test_utf8_bom_is_removed_and_offsets_start_after_it(tmp_path):
    raw = "标题\n\n" + ZH
    (article,) = read_article(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + raw.encode()))
    assert article.text == raw
    assert not article.text.startswith("\ufeff")
    assert article.encoding == "utf-8-sig"
    first = split_blocks(article.text)[0]
    assert (first.start, article.text[first.start : first.end]) == (0, "标题")


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_and_gb18030_chinese_round_trip(tmp_path, codec):
    raw = "霍尔木兹海峡航运\n\n" + ZH * 3
    if codec == "gb18030":
        raw += "这个字只在GB18030里：𠀀。\n"  # outside GBK: four-byte sequence
    (article,) = read_article(write(tmp_path, f"{codec}.txt", raw.encode(codec)))
    assert article.text == raw
    assert article.encoding == "gb18030"


def test_short_gbk_text_is_not_mistaken_for_a_single_byte_codepage():
    text, encoding = decode_bytes("油价上涨。".encode("gbk"))
    assert (text, encoding) == ("油价上涨。", "gb18030")


def test_latin1_text_is_not_read_as_gb18030():
    text, encoding = decode_bytes("Les cafés étaient ouverts à Paris, résumé.".encode("cp1252"))
    assert "cafés" in text
    assert encoding != "gb18030"


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom(tmp_path, codec, bom):
    raw = ZH + EN
    (article,) = read_article(write(tmp_path, "u16.txt", bom + raw.encode(codec)))
    assert article.text == raw
    assert article.encoding == codec


def test_utf16_without_bom_ascii():
    text, encoding = decode_bytes(EN.encode("utf-16-le"))
    assert (text, encoding) == (EN, "utf-16-le")


def test_empty_file(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    err = error_of(read_article, path)
    assert err.code == "F101"
    assert str(path) in str(err)
    assert "is empty: nothing to extract" in str(err)


def test_whitespace_only_file(tmp_path):
    err = error_of(read_article, write(tmp_path, "blank.md", " \n\t\r\n\u3000\n"))
    assert err.code == "F101"
    assert "only whitespace" in str(err)
    assert "nothing to extract" in str(err)


def test_png_is_binary(tmp_path):
    path = write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40))
    err = error_of(read_article, path)
    assert err.code == "F102"
    assert "PNG" in str(err) and str(path) in str(err)
    assert ".txt" in str(err) and ".html" in str(err) and ".json" in str(err)


def test_zip_is_binary():
    err = error_of(decode_bytes, b"PK\x03\x04" + b"word/document.xml" * 5, "report.txt")
    assert err.code == "F102"
    assert "zip" in str(err) and ".docx" in str(err)


@pytest.mark.parametrize("nul", [True, False])
def test_random_bytes_are_binary(nul):
    data = random.Random(7).randbytes(4000)
    if not nul:
        data = data.replace(b"\x00", b"\x01")
    err = error_of(decode_bytes, data, "noise.txt")
    assert err.code == "F102"
    assert "looks binary" in str(err)


def test_undecodable_names_encodings_and_iconv():
    err = error_of(decode_bytes, bytes(range(0x80, 0x100)) * 3, "old.txt")
    assert err.code == "F103"
    message = str(err)
    assert "utf-8" in message and "gb18030" in message
    assert "iconv -f" in message and "-t UTF-8 old.txt" in message


def test_truncated_utf16_is_undecodable():
    err = error_of(decode_bytes, b"\xff\xfe" + "油价".encode("utf-16-le") + b"\x00", "cut.txt")
    assert err.code == "F103"
    assert "utf-16-le" in str(err)


# --------------------------------------------------------------------------- decoding never guesses silently (issue 19)

EN_TYPOGRAPHY = (
    "Zoë Müller – the ministry’s spokeswoman – said “output rose 5% in 2024”.\n"
    "Café owners in Kraków reported a 12% fall in sales, according to the survey.\n"
)


@pytest.mark.issue(19)
@pytest.mark.parametrize("text", [EN_TYPOGRAPHY, ZH], ids=["english", "chinese"])
def test_utf8_with_two_stray_bytes_stays_utf8_with_them_replaced_and_named(tmp_path, caplog, text):
    good = text.encode("utf-8")
    cut = len(text[:20].encode("utf-8"))  # a character boundary
    data = good[:cut] + b"\x81\xfe" + good[cut:]
    (article,) = read_article(write(tmp_path, "stray.txt", data))
    assert article.encoding == "utf-8"
    assert article.text == text[:20] + "\ufffd\ufffd" + text[20:]  # every other character intact
    assert article.replacements == [cut, cut + 1]
    assert f"at byte offset(s) {cut}, {cut + 1}" in caplog.text and "stray.txt" in caplog.text


@pytest.mark.issue(19)
def test_one_nul_byte_is_replaced_and_warned_about_not_refused(tmp_path, caplog):
    data = EN.encode() + b"\x00" + ZH.encode()
    (article,) = read_article(write(tmp_path, "nul.txt", data))
    assert article.text == EN + "\ufffd" + ZH
    assert article.replacements == [len(EN.encode())]
    assert "NUL" in caplog.text


@pytest.mark.issue(19)
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_detected(codec):
    text, encoding, replaced = ingest.decode_text((ZH * 3).encode(codec), "u16.txt")
    assert (text, encoding, replaced) == (ZH * 3, codec, [])


@pytest.mark.issue(19)
def test_big5_traditional_chinese_is_read_as_big5():
    text = "臺灣的電價今年調漲百分之三，經濟部表示將補貼弱勢家庭。\n"
    assert decode_bytes(text.encode("big5")) == (text, "big5")


@pytest.mark.issue(19)
def test_a_guessed_encoding_is_warned_about(caplog):
    text, encoding = decode_bytes("Les cafés étaient ouverts à Paris, résumé.".encode("cp1252"), "fr.txt")
    assert "cafés" in text
    assert "fr.txt" in caplog.text and "a guess" in caplog.text and encoding in caplog.text


@pytest.mark.issue(19)
def test_an_invalid_published_date_is_warned_about(caplog):
    (article,) = parse_json(json.dumps({"text": EN, "published": "2024-13-45"}), "bad-date.json")
    assert article.published is None
    assert "2024-13-45" in caplog.text and "bad-date.json" in caplog.text


@pytest.mark.issue(19)
@pytest.mark.parametrize("opening", ["<!-- menu ", "<script>var page = 1;", "<title>News", "<svg>"])
def test_malformed_html_with_real_paragraphs_yields_their_text(caplog, opening):
    html = (f"<html><body>{opening}<p>The refinery processed 450,000 barrels a day in 2024.</p>"
            "<p>Output is expected to rise by 5% next year, the ministry said.</p>")
    article = parse_html(html, source="broken.html")
    assert article.text.splitlines() == ["The refinery processed 450,000 barrels a day in 2024.",
                                         "Output is expected to rise by 5% next year, the ministry said."]
    assert "malformed" in caplog.text


@pytest.mark.issue(19)
def test_an_endless_stream_stops_at_max_bytes(tmp_path):
    endless = tmp_path / "zero.txt"
    endless.symlink_to("/dev/zero")
    err = error_of(read_article, endless, max_bytes=100_000)
    assert err.code == "F108" and "never ends" in str(err)


# --------------------------------------------------------------------------- HTML

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Insurers raise Gulf premiums | Example News</title>
<meta property="article:published_time" content="2024-11-03T09:00:00Z">
<link rel="canonical" href="https://news.example.com/gulf-premiums"></head>
<body><nav>Home | World | Business</nav>
<article><h1>Insurers raise Gulf premiums</h1>
<p>Insurers raised war-risk premiums for tankers crossing the Strait of Hormuz by about 40% in October, \
brokers said on Sunday.</p>
<figure><img src="t.jpg" alt="A tanker at anchor off Fujairah at dawn">\
<figcaption>A tanker anchored off Fujairah on Oct. 28, 2024. Photo: AP</figcaption></figure>
<p>Freight rates for large crude carriers rose 12% week on week, according to shipbrokers in London and Singapore.</p>
</article><footer>All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    (article,) = read_article(write(tmp_path, "page.html", ARTICLE_HTML))
    assert article.format == "html"
    assert "Strait of Hormuz by about 40%" in article.text
    assert "Home | World" not in article.text  # navigation is not main text
    assert article.published == "2024-11-03"
    assert article.title and "Insurers raise Gulf premiums" in article.title
    assert article.url == "https://news.example.com/gulf-premiums"
    assert article.article_id == article_id(article.text)
    # the figcaption survives as its own line and is classified as a caption
    found = dict((t, k) for k, t in kinds(article.text))
    assert found.get("A tanker anchored off Fujairah on Oct. 28, 2024. Photo: AP") == "caption"
    assert found.get("A tanker at anchor off Fujairah at dawn") == "caption"  # the alt text


def test_malformed_html_still_yields_text():
    html = (
        "<html><body><div><p>Iran said on Friday it had raised oil exports to 1.8 million "
        "barrels a day, the highest level in five years.<p>Prices rose <b>3% to $72 a barrel"
        "<div>Unclosed div with more text about tanker traffic"
    )
    article = parse_html(html, source="broken.html")
    assert "1.8 million barrels a day" in article.text
    assert "Prices rose 3% to $72 a barrel" in article.text


def test_tiny_html_falls_back_to_visible_text():
    article = parse_html("<p>Oil rose <b>3% on Monday", url="https://x.example/a")
    assert article.text == "Oil rose 3% on Monday"
    assert article.url == "https://x.example/a"


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Only a title</title></head><body><script>var a=1;</script></body></html>",
        "<<<>>> <div <p>>",
        "<html><body>   </body></html>",
    ],
)
def test_html_without_text(html):
    err = error_of(parse_html, html, source="empty.html")
    assert err.code == "F106"
    assert "empty.html" in str(err) and "save the article's text as .txt" in str(err)


def test_html_in_gbk_with_meta_charset(tmp_path):
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        "<title>油价</title></head><body><article><p>伊朗原油出口量在十月升至日均一百八十万桶，"
        "为五年来最高水平。</p></article></body></html>"
    )
    (article,) = read_article(write(tmp_path, "gbk.htm", html.encode("gbk")))
    assert "一百八十万桶" in article.text
    assert article.encoding == "gb18030"


def test_html_date_is_not_guessed_from_body_text():
    html = (
        "<html><body><article><h1>油价</h1><p>2025年，伊朗原油出口量升至日均一百八十万桶，"
        "为五年来最高水平。</p></article></body></html>"
    )
    assert parse_html(html).published is None


# --------------------------------------------------------------------------- JSON


def test_json_object(tmp_path):
    obj = {
        "title": "油价",
        "text": ZH,
        "url": "https://x.example/1",
        "published": "2024-11-03T08:00:00+08:00",
    }
    (article,) = read_article(write(tmp_path, "one.json", json.dumps(obj, ensure_ascii=False)))
    assert (article.text, article.title, article.url) == (ZH, "油价", "https://x.example/1")
    assert article.published == "2024-11-03"
    assert article.format == "json"
    assert article.article_id == article_id(ZH)


def test_json_list(tmp_path):
    items = [{"text": ZH}, {"text": EN, "published": "November 3, 2024"}]
    articles = read_article(write(tmp_path, "many.json", json.dumps(items)))
    assert [a.text for a in articles] == [ZH, EN]
    assert articles[1].published == "2024-11-03"
    assert articles[0].article_id != articles[1].article_id


def test_json_lines(tmp_path):
    lines = [json.dumps({"text": ZH}), "", json.dumps({"text": EN, "title": "Premiums"})]
    articles = read_article(write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n"))
    assert [(a.text, a.title) for a in articles] == [(ZH, None), (EN, "Premiums")]


def test_bad_json_names_the_line(tmp_path):
    path = write(tmp_path, "bad.json", '{\n  "text": "abc",\n  "title": oops\n}')
    err = error_of(read_article, path)
    assert err.code == "F105"
    assert "line 3" in str(err) and str(path) in str(err)


def test_bad_json_lines_record_names_the_line():
    text = json.dumps({"text": EN}) + "\n" + json.dumps({"text": ZH}) + "\n{broken\n"
    err = error_of(parse_json, text, "feed.jsonl")
    assert err.code == "F105"
    assert "line 3" in str(err)


@pytest.mark.parametrize(
    "payload,expected",
    [
        ({"title": "t"}, 'missing required field "text"'),
        ({"content": "x"}, 'found "content": rename it to "text"'),
        ({"text": 42}, 'field "text" must be a string, got a number'),
        ({"text": "   "}, 'field "text" is empty'),
        ({"text": "x", "published": 20241103}, 'field "published" must be a string'),
        ([{"text": "x"}, "oops"], "item 2 of the list"),
        ([], "the JSON list is empty"),
        ("just a string", "got a string"),
    ],
)
def test_json_field_errors(payload, expected):
    err = error_of(parse_json, json.dumps(payload), "in.json")
    assert err.code == "F105"
    assert expected in str(err)
    assert '"text"' in str(err)  # says what is expected


def test_json_published_falls_back_to_byline():
    (article,) = parse_json(json.dumps({"text": "By Maria Lopez | Nov. 3, 2024\n\n" + EN}))
    assert article.published == "2024-11-03"


# --------------------------------------------------------------------------- paths


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    err = error_of(read_article, path)
    assert err.code == "F107"
    assert str(path) in str(err) and "check the path" in str(err)


def test_unsupported_suffix_lists_supported(tmp_path):
    err = error_of(read_article, write(tmp_path, "scan.pdf", b"%PDF-1.4"))
    assert err.code == "F104"
    assert "'.pdf'" in str(err)
    for suffix in (".txt", ".md", ".html", ".json", ".jsonl"):
        assert suffix in str(err)


def test_directory_passed_to_read_article(tmp_path):
    err = error_of(read_article, tmp_path)
    assert err.code == "F100"
    assert "iter_articles" in str(err)


def test_size_guard(tmp_path):
    path = write(tmp_path, "big.txt", EN * 100)
    err = error_of(read_article, path, max_bytes=1000)
    assert err.code == "F108"
    assert "--max-bytes" in str(err) and "1000 bytes" in str(err)
    assert read_article(path, max_bytes=len(EN) * 100)[0].text == EN * 100


def test_markdown_title_and_format(tmp_path):
    raw = "# 霍尔木兹海峡航运保险上涨\n\n" + ZH
    (article,) = read_article(write(tmp_path, "note.markdown", raw))
    assert (article.format, article.title, article.text) == ("md", "霍尔木兹海峡航运保险上涨", raw)


def test_iter_articles_directory(tmp_path):
    write(tmp_path, "a.txt", "Tanker rates\n\n" + EN)
    write(tmp_path, "b/c.md", "# 油价\n\n" + ZH)
    write(tmp_path, "b/d.json", json.dumps([{"text": "first"}, {"text": "second"}]))
    write(tmp_path, "b/empty.txt", b"")
    write(tmp_path, "c.html", "<html><body><script>x()</script></body></html>")
    write(tmp_path, "d.txt", b"\x89PNG\r\n\x1a\n" + bytes(20))
    write(tmp_path, "e.pdf", b"%PDF-1.4 skipped")
    write(tmp_path, ".hidden.txt", "hidden files are skipped")
    write(tmp_path, ".git/x.txt", "hidden directories are skipped")
    write(tmp_path, "notes", "no suffix: skipped")

    items = list(iter_articles([tmp_path]))
    summary = [(type(i).__name__, Path(i.source).name, getattr(i, "code", None)) for i in items]
    assert summary == [
        ("Article", "a.txt", None),
        ("Article", "c.md", None),
        ("Article", "d.json", None),
        ("Article", "d.json", None),
        ("InputError", "empty.txt", "F101"),
        ("InputError", "c.html", "F106"),
        ("InputError", "d.txt", "F102"),
    ]
    articles = [i for i in items if isinstance(i, Article)]
    assert articles[0].title == "Tanker rates"
    assert [a.text for a in articles[2:]] == ["first", "second"]
    assert list(iter_articles([tmp_path])) != [] and [
        (type(i).__name__, i.source) for i in iter_articles([tmp_path])
    ] == [
        (type(i).__name__, i.source) for i in items
    ]  # deterministic


def test_iter_articles_explicit_paths_yield_errors(tmp_path):
    good = write(tmp_path, "good.txt", EN)
    items = list(iter_articles([tmp_path / "missing.txt", write(tmp_path, "x.docx", b"PK"), good]))
    assert [getattr(i, "code", "article") for i in items] == ["F107", "F104", "article"]


def test_iter_articles_streams(tmp_path):
    write(tmp_path, "1.txt", EN)
    later = write(tmp_path, "2.txt", ZH)
    stream = iter_articles([tmp_path])
    first = next(stream)
    assert isinstance(first, Article) and first.text == EN
    later.unlink()  # not read yet: the walk is lazy
    second = next(stream)
    assert isinstance(second, InputError) and second.code == "F107"
    assert list(stream) == []


# --------------------------------------------------------------------------- stdin


def fake_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))


@pytest.mark.parametrize(
    "data,fmt",
    [
        (json.dumps({"text": EN}).encode(), "json"),
        (b'  [ {"text": "x"} ]', "json"),
        (ARTICLE_HTML.encode(), "html"),
        (("[Reuters] " + EN).encode(), "txt"),
        (ZH.encode("gbk"), "txt"),
        (b"<3 is not markup, " + EN.encode(), "txt"),
    ],
)
def test_stdin_is_sniffed(monkeypatch, data, fmt):
    fake_stdin(monkeypatch, data)
    articles = read_article("-")
    assert articles[0].format == fmt
    assert articles[0].source == "<stdin>"


def test_stdin_size_guard_and_empty(monkeypatch):
    fake_stdin(monkeypatch, b"x" * 50)
    err = error_of(read_article, "-", max_bytes=10)
    assert err.code == "F108" and "<stdin>" in str(err)
    fake_stdin(monkeypatch, b"")
    err = error_of(read_article, "-")
    assert err.code == "F101" and "<stdin>" in str(err)


def test_iter_articles_reads_stdin(monkeypatch):
    fake_stdin(monkeypatch, EN.encode())
    (article,) = list(iter_articles(["-"]))
    assert article.text == EN


def test_sniff_format():
    assert sniff_format('\n  {"text": 1}') == "json"
    assert sniff_format("<!DOCTYPE html><html>") == "html"
    assert sniff_format("<p>hi</p>") == "html"
    assert sniff_format("[1] footnote style") == "txt"


# --------------------------------------------------------------------------- blocks

ZH_ARTICLE = """# 中东观察|油价与航运:霍尔木兹海峡的新变数

作者：王晓明 陈立 发布时间：2024-11-03 来源：某研究中心+收藏本文

![]()

![](https://img.example.com/a.jpg)
图为10月28日停靠在富查伊拉港的两艘油轮。

图片

2024年10月30日，一艘油轮驶过霍尔木兹海峡

图源：新华社

01

航运保险费用上涨

据行业机构统计，十月途经海峡的油轮保险费率较年初上涨约百分之四十。
- 多家航运公司表示将调整部分航线。
> 一位分析人士说，风险溢价短期内难以回落。
一、
二、市场反应
![]()
港口吞吐量在十一月第一周下降了百分之八。
https://example.com/news/123
点击上方蓝字关注我们
责任编辑：李华
（完）
版权声明：本文版权归原作者所有，转载请联系授权。
特别声明：以上内容为自媒体用户上传，本平台仅提供信息存储服务。
Notice: The content above (including any images) was posted by a user of the platform.
"""


def test_split_blocks_chinese_markdown():
    assert kinds(ZH_ARTICLE) == [
        ("heading", "中东观察|油价与航运:霍尔木兹海峡的新变数"),
        ("byline", "作者：王晓明 陈立 发布时间：2024-11-03 来源：某研究中心+收藏本文"),
        ("debris", "![]()"),
        ("debris", "![](https://img.example.com/a.jpg)"),
        ("caption", "图为10月28日停靠在富查伊拉港的两艘油轮。"),
        ("debris", "图片"),
        ("caption", "2024年10月30日，一艘油轮驶过霍尔木兹海峡"),
        ("credit", "图源：新华社"),
        ("debris", "01"),
        ("heading", "航运保险费用上涨"),
        ("body", "据行业机构统计，十月途经海峡的油轮保险费率较年初上涨约百分之四十。"),
        ("body", "多家航运公司表示将调整部分航线。"),
        ("body", "一位分析人士说，风险溢价短期内难以回落。"),
        ("debris", "一、"),
        ("heading", "市场反应"),
        ("debris", "![]()"),
        ("body", "港口吞吐量在十一月第一周下降了百分之八。"),  # body after an uncaptioned image
        ("debris", "https://example.com/news/123"),
        ("debris", "点击上方蓝字关注我们"),
        ("debris", "责任编辑：李华"),
        ("debris", "（完）"),
        ("debris", "版权声明：本文版权归原作者所有，转载请联系授权。"),
        ("debris", "特别声明：以上内容为自媒体用户上传，本平台仅提供信息存储服务。"),
        (
            "debris",
            "Notice: The content above (including any images) was posted by a user of the platform.",
        ),
    ]
    assert detect_title(ZH_ARTICLE) == "中东观察|油价与航运:霍尔木兹海峡的新变数"
    assert find_published(ZH_ARTICLE) == "2024-11-03"


EN_ARTICLE = """Shipping insurers raise Gulf premiums

By Maria Lopez and Tom Baker | November 3, 2024

Insurers raised war-risk premiums for tankers crossing the Strait of Hormuz by about 40% in October, brokers said.

![Tanker in the Gulf of Oman at dawn](https://img.example.com/t.jpg)
The tanker Sea Star waits off Fujairah, Oct. 28, 2024. REUTERS/Staff

* Shipping firms said they would reroute some vessels.
1. Freight rates rose 12% week on week.
By the end of October, 14 tankers had changed course.

Image:
A tanker anchored off Fujairah on Oct. 28, 2024.
Source: Reuters
Photo: AP
(Reporting by Maria Lopez; Editing by Tom Baker)
Share this article
Follow us on X for more updates
Advertisement
Read more: Oil prices hit two-month high
© 2024 Example News. All rights reserved.
"""


def test_split_blocks_english_markdown():
    assert kinds(EN_ARTICLE) == [
        ("heading", "Shipping insurers raise Gulf premiums"),
        ("byline", "By Maria Lopez and Tom Baker | November 3, 2024"),
        (
            "body",
            "Insurers raised war-risk premiums for tankers crossing the Strait of Hormuz by about 40% in October, "
            "brokers said.",
        ),
        ("caption", "Tanker in the Gulf of Oman at dawn"),
        ("caption", "The tanker Sea Star waits off Fujairah, Oct. 28, 2024. REUTERS/Staff"),
        ("body", "Shipping firms said they would reroute some vessels."),
        ("body", "Freight rates rose 12% week on week."),
        ("body", "By the end of October, 14 tankers had changed course."),
        ("debris", "Image:"),
        ("caption", "A tanker anchored off Fujairah on Oct. 28, 2024."),
        ("credit", "Source: Reuters"),
        ("credit", "Photo: AP"),
        ("byline", "(Reporting by Maria Lopez; Editing by Tom Baker)"),
        ("debris", "Share this article"),
        ("debris", "Follow us on X for more updates"),
        ("debris", "Advertisement"),
        ("debris", "Read more: Oil prices hit two-month high"),
        ("debris", "© 2024 Example News. All rights reserved."),
    ]
    assert detect_title(EN_ARTICLE) == "Shipping insurers raise Gulf premiums"
    assert find_published(EN_ARTICLE) == "2024-11-03"


def test_split_blocks_offsets_are_exact_with_crlf_and_indentation():
    text = "\ufeffx\r\n  Oil rose 3%.  \r\n\r\n\u3000\u3000油价上涨。\r\n- item one.\r\n"
    blocks = split_blocks(text)
    assert [text[b.start : b.end] for b in blocks] == [
        "x",
        "Oil rose 3%.",
        "油价上涨。",
        "item one.",
    ]
    assert blocks[1].start == text.index("Oil")
    assert all("\r" not in text[b.start : b.end] for b in blocks)


def test_split_blocks_markdown_details():
    text = ("## Background ##\n\n#\n\n**Key figures**\n\n> > Nested quote says prices rose 5%.\n\n---\n\n"
            "①伊朗表示将继续谈判。\n")
    assert kinds(text) == [
        ("heading", "Background"),
        ("debris", "#"),
        ("heading", "**Key figures**"),
        ("body", "Nested quote says prices rose 5%."),
        ("debris", "---"),
        ("body", "伊朗表示将继续谈判。"),
    ]


def test_split_blocks_image_alt_and_trailing_text():
    text = "![图片](a.png)\n![](b.png) 图为伊朗外长在马斯喀特会见阿曼外交大臣。\n![IMG_2041.jpg](c.jpg)\n"
    assert kinds(text) == [
        ("debris", "![图片](a.png)"),
        ("caption", "图为伊朗外长在马斯喀特会见阿曼外交大臣。"),
        ("debris", "![IMG_2041.jpg](c.jpg)"),
    ]


def test_split_blocks_front_matter():
    text = "---\ntitle: 油价上涨\ndate: 2024-11-03\n---\n\n" + ZH
    blocks = split_blocks(text)
    assert [b.kind for b in blocks[:4]] == ["debris"] * 4
    assert {b.kind for b in blocks[4:]} == {"body"}
    assert detect_title(text) == "油价上涨"
    assert ingest.parse_text(text).published == "2024-11-03"


@pytest.mark.parametrize(
    "text,title",
    [
        ("Oil tanker rates jump\n\n" + EN, "Oil tanker rates jump"),
        ("Oil tanker rates jump\n" + EN, None),  # not followed by a blank line
        ("Oil rose 3% on Monday.\n\n" + EN, None),  # a sentence, not a headline
        ("![]()\n\n油价与航运\n\n" + ZH, "油价与航运"),
        ("Oil and shipping\n================\n\n" + EN, "Oil and shipping"),
        (ZH, None),
    ],
)
def test_detect_title(text, title):
    assert detect_title(text) == title


@pytest.mark.parametrize(
    "text,date",
    [
        ("油价\n\n发布时间：2025-05-22 10:30\n\n" + ZH, "2025-05-22"),
        ("发布于 2025年5月22日\n" + ZH, "2025-05-22"),
        ("日期:2025/5/2\n" + ZH, "2025-05-02"),
        ("来源：某报 时间：2025年5月22日 08:00\n" + ZH, "2025-05-22"),
        ("Published: May 22, 2025\n" + EN, "2025-05-22"),
        ("Updated 2025-05-22\n" + EN, "2025-05-22"),
        ("Updated 2025-05-23 | Published 22 May 2025\n" + EN, "2025-05-22"),
        ("Thursday, May 22, 2025 10:15 GMT\n\n" + EN, "2025-05-22"),
        ("2025年4月12日，美伊代表团在马斯喀特举行会谈。\n", None),  # a date in the news
        ("Published: 2025-02-30\n" + EN, None),  # not a real date
    ],
)
def test_find_published(text, date):
    assert find_published(text) == date


def test_published_set_on_text_articles(tmp_path):
    (article,) = read_article(write(tmp_path, "p.txt", "Published: May 22, 2025\n\n" + EN))
    assert article.published == "2025-05-22"


@pytest.mark.parametrize(
    "value,iso",
    [
        ("2024-11-03T08:00:00+08:00", "2024-11-03"),
        ("2024年11月3日", "2024-11-03"),
        ("Nov. 3, 2024", "2024-11-03"),
        ("3rd November 2024", "2024-11-03"),
        ("yesterday", None),
    ],
)
def test_normalise_date(value, iso):
    assert normalise_date(value) == iso


def test_article_id_is_stable():
    assert article_id("油价") == article_id("油价")
    assert article_id("油价") != article_id("油价 ")
    assert len(article_id("")) == 16


@pytest.mark.parametrize(
    "line",
    [
        "点燃的油轮已被拖离港口，海事部门正在进入现场调查。",
        "禁止使用化学武器的公约于1997年生效。",
        "Copyright disputes over the film cost $3 million.",
        "Related talks in Geneva ended without agreement.",
        "Disclaimers in the contract were rewritten in 2024.",
        "By May 22, 2025, Iran had agreed to a deal.",
        "By Monday, Iran had agreed to a deal.",
        "Published reports said on May 22, 2025 that Iran agreed.",
        "Share prices fell 3% on Monday.",
        "Subscribers rose 5% to 2 million.",
        "Read more carefully, the report shows exports fell 8%.",
    ],
)
def test_claims_are_not_mistaken_for_debris_or_bylines(line):
    text = "Title\n\n" + line + "\n"
    assert kinds(text)[1] == ("body", line)


@pytest.mark.parametrize(
    "line, kind",
    [
        ("2025年5月22日 星期四 10:30", "byline"),
        ("Thursday, 22 May 2025, 9:05 a.m. GMT", "byline"),
        ("May 22, 2025 10:30 PM", "byline"),
        ("伊朗 2025年5月22日", "heading"),  # a word besides the date: not a bare date line
        ("Quiet 2025-05-22", "heading"),
    ],
)
def test_a_bare_date_and_time_line_is_a_byline(line, kind):
    assert kinds("Title\n\n" + line + "\n")[1] == (kind, line)


def test_enumeration_markers_are_not_confused_with_numbers():
    text = "标题\n\n10、20日两天，双方在阿曼举行会谈。\n一、二季度GDP同比增长5.3%。\n3、伊朗表示将继续谈判。\n"
    assert kinds(text)[1:] == [
        ("body", "10、20日两天，双方在阿曼举行会谈。"),
        ("body", "一、二季度GDP同比增长5.3%。"),
        ("body", "伊朗表示将继续谈判。"),
    ]


def test_credits_captions_and_source_bylines():
    text = ("标题\n\n来源：新华社 2025-05-22\n图：伊朗外长在马斯喀特会见阿曼外交大臣\n"
            "图/路透社\nand/or\n（新华社记者 张三 摄）\n")
    assert kinds(text)[1:] == [
        ("byline", "来源：新华社 2025-05-22"),
        ("caption", "图：伊朗外长在马斯喀特会见阿曼外交大臣"),
        ("credit", "图/路透社"),
        ("heading", "and/or"),
        ("credit", "（新华社记者 张三 摄）"),
    ]
    assert find_published(text) == "2025-05-22"


def test_truncated_utf8_drops_only_the_cut_character():
    data = "油价上涨。".encode() + "涨".encode()[:2]
    assert decode_bytes(data) == ("油价上涨。", "utf-8")


def test_json_lines_with_raw_line_separator():
    text = json.dumps({"text": "a\u2028b"}, ensure_ascii=False) + "\n" + json.dumps({"text": "c"})
    assert [a.text for a in parse_json(text)] == ["a\u2028b", "c"]


def test_keyword_dates_deep_in_the_body_are_ignored():
    body = "\n".join(f"第{i}段：伊朗表示将继续谈判。" for i in range(10))
    assert find_published("标题\n\n" + body + "\n会谈时间：2025年4月12日\n") is None


def test_block_spans_are_trimmed_ordered_and_inside_one_line():
    pieces = list("Ab ,.-|()（）：图片摄#>*1一、![]/\r\n\t\u3000\u200b") + [
        "By ",
        "Jane ",
        "图源：",
        "![](",
        "![a b c](u)",
        "http://x",
        "2025-05-22",
        "May 22, 2025",
    ]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 80)))
        previous_end = 0
        for block in split_blocks(text):
            span = text[block.start : block.end]
            assert previous_end <= block.start < block.end <= len(text)
            assert span == span.strip(" \t\u3000\u200b") and not set(span) & {"\r", "\n"}
            previous_end = block.end


@pytest.mark.parametrize("seed", range(3))
def test_random_markup_never_crashes_html_parsing(seed):
    pieces = [
        "<p>",
        "</p>",
        "<div",
        ">",
        "<",
        "text ",
        "油价上涨。",
        "<script>",
        "<!--",
        "-->",
        "<?xml version='1.0' encoding='utf-8'?>",
        "<html>",
        "&#0;",
        "\x00",
        "<figcaption>",
    ]
    rng = random.Random(seed)
    for _ in range(100):
        html = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        try:
            assert parse_html(html).text.strip()
        except InputError as err:
            assert err.code == "F106"


@pytest.mark.issue(21)
@pytest.mark.parametrize("line", ["Iran's crude exports fell to 130,000 barrels a day in September 2019",
                                  "伊朗石油出口已降至不足13万桶/日", "伊朗石油出口已降至不足13萬桶/日"])
def test_a_text_of_one_line_is_a_sentence_not_a_heading(line):
    from factcheck.extraction.ingest import split_blocks

    assert [b.kind for b in split_blocks(line + "\n")] == ["body"]
    (claim,) = factcheck.extract(line)
    assert claim.is_claim and claim.kind == "numeric"


@pytest.mark.issue(21)
def test_a_marked_heading_or_a_title_above_a_body_stays_a_heading():
    from factcheck.extraction.ingest import split_blocks

    assert [b.kind for b in split_blocks("# 伊朗石油出口已降至不足13万桶/日\n")] == ["heading"]
    titled = "伊朗石油出口断崖式下滑\n\n截至2019年9月，伊朗石油出口已降至不足13万桶/日。\n"
    assert [b.kind for b in split_blocks(titled)] == ["heading", "body"]


@pytest.mark.issue(19)
def test_deeply_nested_json_is_an_input_error_not_a_recursion_error(tmp_path):
    err = error_of(read_article, write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000))
    assert err.code == "F105" and "nested too deeply" in str(err)


@pytest.mark.issue(19)
def test_a_json_article_url_that_is_not_a_web_link_is_dropped_with_a_warning(caplog):
    (article,) = parse_json(json.dumps({"text": EN, "url": "javascript:alert(1)"}), "a.json")
    assert article.url is None and "javascript:alert(1)" in caplog.text
    (article,) = parse_json(json.dumps({"text": EN, "url": "https://example.org/a"}), "a.json")
    assert article.url == "https://example.org/a"
