"""One bad input never stops a batch: whatever goes wrong with one file (issue 19 item 6)
is reported with its F-code, and every good file around it is extracted and stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.store.db import open_db
from factcheck.store.intake import ExtractTotals, extract_paths

GOOD = {
    "a_good.txt": "截至2019年9月，伊朗石油出口降至不足13万桶/日。\n",
    "m_good.json": '{"text": "The refinery processed 450,000 barrels a day in 2024.", "title": "Refinery"}',
    "z_good.md": "# Wind\n\n截至去年年底，全省风电装机容量达到3200万千瓦。\n",
}


def bad_inputs(folder: Path) -> dict[str, str | tuple[str, ...]]:
    """Write one file of each bad kind; returns file name → the F-code it must get."""
    (folder / "b_nested.json").write_text("[" * 200_000 + "]" * 200_000, "utf-8")  # RecursionError in json
    (folder / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (folder / "d_empty.txt").write_bytes(b"")
    (folder / "e_huge_line.txt").write_text("石油出口下降" * 40_000, "utf-8")  # one 720 KB line, over the limit
    (folder / "f_bad_encoding.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    # Nesting is malformed JSON to the reader (F105), or an unforeseen failure (F150) in one that recurses.
    return {"b_nested.json": ("F105", "F150"), "c_binary.txt": "F102", "d_empty.txt": "F101", "e_huge_line.txt": "F108",
            "f_bad_encoding.txt": "F103"}


def test_each_bad_kind_is_reported_and_every_good_file_is_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, "utf-8")
    expected = bad_inputs(folder)
    db = open_db(tmp_path / "store.db")
    totals = ExtractTotals()
    done = list(extract_paths([str(folder)], db=db, max_bytes=500_000, totals=totals))

    errors = {Path(d.error.source).name: d.error.code for d in done if d.error is not None}
    assert set(errors) == set(expected)
    for name, code in expected.items():
        assert errors[name].startswith(code), (name, errors[name])
    stored = {Path(row[0]).name for row in db.execute("select source from articles")}
    assert stored == set(GOOD)
    assert totals.articles == len(GOOD) and totals.failures == len(expected)
    # Input order is kept: the nested file sorts between the good ones and is reported there.
    order = [Path(d.source or d.error.source).name for d in done]
    assert order == sorted(order)


def test_a_failure_while_extracting_one_article_is_its_error_only(tmp_path):
    """A scorer that fails on one text (a bug, memory running out) fails that article
    with F151; the articles scored in the same batch are stored with their scores."""

    class FailsOnOneText:
        version = "fails-on-one"

        def score(self, texts, langs):
            if any("MemoryError" in t for t in texts):
                raise MemoryError
            return [0.9] * len(texts)

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1.txt").write_text("The plant produced 300 tonnes of steel in 2023.\n", "utf-8")
    (folder / "2.txt").write_text("A MemoryError hit 4 servers in 2022.\n", "utf-8")
    (folder / "3.txt").write_text("The mine shipped 20 tonnes of ore in 2021.\n", "utf-8")
    db = open_db(tmp_path / "store.db")
    done = list(extract_paths([str(folder)], db=db, scorer=FailsOnOneText(), match=False))
    assert [Path(d.source).name for d in done] == ["1.txt", "2.txt", "3.txt"]
    assert done[1].error is not None and done[1].error.code == "F151"
    assert "memory ran out" in str(done[1].error)
    assert [d.error for d in (done[0], done[2])] == [None, None]
    scores = [row[0] for row in db.execute("select checkworthiness from claims")]
    assert scores and all(s == pytest.approx(0.9) for s in scores)


def test_the_cli_reports_each_failure_and_exits_1_after_storing_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, "utf-8")
    expected = bad_inputs(folder)
    result = CliRunner().invoke(cli, ["extract", str(folder), "--db", str(tmp_path / "s.db"), "--model", "none",
                                      "--max-bytes", "500000", "--format", "summary"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for name in expected:
        assert name in result.output
    assert "nested" in result.output
    assert f"{len(GOOD)} articles" in result.output and f"{len(expected)} input(s) failed" in result.output

