"""`factcheck parse` and factcheck.parse: how a text's numbers and dates are read, for any text."""

from __future__ import annotations

import json

from click.testing import CliRunner

import factcheck
from factcheck.cli import cli

TEXT = "截至2019年9月，伊朗石油出口已降至不足13万桶/日。"


def test_parse_reads_every_quantity_and_time_with_offsets_into_the_text():
    parsed = factcheck.parse(TEXT)
    assert parsed.lang == "zh"
    (oil,) = parsed.quantities
    (when,) = parsed.times
    assert (oil.value, oil.unit, oil.per, oil.comparator) == (130000, "oil_barrel", "day", "<")
    assert when.value == "2019-09"
    assert [TEXT[r.start:r.end] for r in (when, oil)] == ["截至2019年9月", "不足13万桶/日"]  # 2019 is the time's


def test_relative_times_resolve_against_the_publication_date_or_stay_open():
    assert factcheck.parse("去年出口量回升。", published="2025-03-01").times[0].value == "2024"
    open_ = factcheck.parse("去年出口量回升。").times[0]
    assert open_.value is None and not open_.resolved


def test_parse_command_prints_jsonl_rows_in_text_order():
    result = CliRunner().invoke(cli, ["parse", "--format", "jsonl", TEXT])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["type"], r["text"]) for r in rows] == [("time", "截至2019年9月"), ("quantity", "不足13万桶/日")]


def test_parse_command_reads_standard_input_as_a_table():
    result = CliRunner().invoke(cli, ["parse", "--published", "2019-06-01"],
                                input="Exports fell 40-60 percent since May.")
    assert result.exit_code == 0, result.output
    assert "40–60 percent" in result.output and "2019-05" in result.output
