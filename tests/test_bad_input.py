"""Bad input gets a clear error and loses nothing; big input still works."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import factcheck
from factcheck.cli import cli
from factcheck.extraction.ingest import read_article
from factcheck.extraction.pipeline import extract_article

from .conftest import EXAMPLES


@pytest.mark.slow
@pytest.mark.slow
def test_a_5_mb_article_is_extracted_completely(tmp_path):
    paragraph = (EXAMPLES / "zh_public_health.txt").read_text("utf-8")
    parts, size, i = [], 0, 0
    while size < 5_000_000:
        part = f"第{i}段：全市今年新增病床{i}张。\n{paragraph}\n"
        parts.append(part)
        size += len(part.encode())
        i += 1
    path = tmp_path / "huge.txt"
    path.write_text("".join(parts), "utf-8")
    article = read_article(path)[0]
    claims = [c for c in extract_article(article) if c.is_claim]
    # One marker claim per paragraph, at its exact offset, from the first to the last.
    markers = [c for c in claims if re.match(r"第\d+段：全市今年新增病床", article.text[c.sentence_start:])]
    assert len(markers) == i
    last = markers[-1]
    assert article.text[last.start : last.end].startswith(f"第{i - 1}段") or str(i - 1) in last.text
    assert last.quantities[0].value == i - 1


def test_malformed_html_still_yields_claims(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        "<html><body><div><p>The refinery processed 450,000 barrels a day in 2024.<p>Unclosed <b>bold"
        "<div><p>Officials said output would rise.</body>",
        "utf-8",
    )
    claims = factcheck.extract(read_article(page)[0].text)
    assert claims and claims[0].quantities[0].value == 450000


def test_gbk_file_offsets_point_into_the_decoded_text(tmp_path):
    text = "截至去年年底，全省风电装机容量达到3200万千瓦。"
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    article = read_article(path)[0]
    assert article.text == text and article.encoding in ("gb18030", "gbk")
    claim = extract_article(article)[0]
    assert text[claim.start : claim.end] == "截至去年年底，全省风电装机容量达到3200万千瓦"


def test_jsonl_output_survives_control_characters_and_long_lines(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("Revenue rose 12% in 2024.\x07\x1b " + "word " * 20000 + "\nCosts fell 3% in 2023.", "utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--no-store"], catch_exceptions=False)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {round(q["value"]) for r in rows for q in r["quantities"]} >= {12, 3}


def test_public_api_is_complete():
    for name in factcheck.__all__:
        assert getattr(factcheck, name) is not None
    assert callable(factcheck.extract)


@pytest.mark.issue(19)
@pytest.mark.parametrize("url", ["not a url", "localhost:8080"])
def test_a_label_studio_url_that_is_not_a_url_is_an_f_code_not_a_traceback(tmp_path, url):
    store = tmp_path / "kb.db"
    assert CliRunner().invoke(cli, ["extract", "-", "--db", str(store), "--model", "none"],
                              input="Revenue rose 12% in 2024.").exit_code == 0
    result = CliRunner().invoke(cli, ["pull", "--db", str(store)],
                                env={"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": "key"})
    assert result.exit_code == 1 and result.stderr.startswith("Error: [F414]"), result.output
    assert "http://localhost:8080" in result.stderr and "Traceback" not in result.output


@pytest.mark.issue(19)
def test_an_endless_stdin_stops_at_max_bytes_with_an_f_code(tmp_path):
    import subprocess
    import sys

    with open("/dev/zero", "rb") as endless:
        done = subprocess.run([sys.executable, "-m", "factcheck", "extract", "-", "--no-store", "--max-bytes",
                               "1000000"], stdin=endless, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "[F108]" in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.issue(19)
def test_a_fifo_is_read_up_to_max_bytes(tmp_path):
    import os
    import threading

    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)

    def feed():
        # Unbuffered, and the pipe's breaking caught around the close too: when the reader
        # stops at its limit, either the next write or closing the writer may raise it.
        try:
            with open(fifo, "wb", buffering=0) as writer:
                while True:
                    writer.write(b"Revenue rose 12% in 2024. " * 1000)
        except BrokenPipeError:
            pass  # the reader stopped at its limit

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(factcheck.InputError) as refused:
        read_article(fifo, max_bytes=200_000)
    writer.join(timeout=30)
    assert refused.value.code == "F108" and not writer.is_alive()
