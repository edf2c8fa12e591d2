"""`factcheck stats`: totals and final-verdict counts on a small real store, the PNG, the CLI."""

from __future__ import annotations

import json
import struct
from collections import Counter

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.errors import ReportError
from factcheck.extraction.ingest import parse_json, parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review.labelstudio import import_export
from factcheck.store.db import open_db, save_extraction
from factcheck.store.export import verdicted_claims
from factcheck.store.stats import article_origin, plot, stats, tables

from .factories import annotation, task

ZH = "据海关总署统计，2024年中国原油进口量达到5.53亿吨。\n\n国家能源局表示，截至2024年底全国风电装机容量约为5.2亿千瓦。"
EN = ("Tesla delivered 1.81 million vehicles in 2023.\n\n"
      "France plans to build six new reactors by 2035.\n\n"
      "In my view, this is a smart move.")


@pytest.fixture
def store(tmp_path):
    db_path = tmp_path / "stats.db"
    db = open_db(db_path)
    zh = parse_json(json.dumps({"text": ZH, "title": "能源", "url": "https://www.Energy.example.cn/a"},
                               ensure_ascii=False), "zh.json")[0]
    en = parse_text(EN, "reports/2024/en.txt", "txt")
    claims = {}
    for article in (zh, en):
        found = extract_article(article)
        save_extraction(db, article, found)
        claims.update({c.text: c for c in found})
    crude = next(c for t, c in claims.items() if "原油" in t)
    wind = next(c for t, c in claims.items() if "风电" in t)
    tesla = next(c for t, c in claims.items() if t.startswith("Tesla"))
    france = next(c for t, c in claims.items() if t.startswith("France"))
    import_export(db, [
        # crude: 2 refuted vs 1 supported; a later deleted "supported" does not count
        task(1, crude,
             annotation(11, "a@x", "refuted", "2024-09-01T10:00:00Z",
                        ["https://customs.example/x | 海关", "https://b.example/y"]),
             annotation(12, "b@x", "refuted", "2024-09-02T10:00:00Z", ["https://customs.example/x"]),
             annotation(13, "c@x", "supported", "2024-09-03T10:00:00Z"),
             annotation(14, "d@x", "supported", "2024-11-09T10:00:00Z", ["https://deleted.example/z"])),
        # wind: a tie, the most recent (misleading) wins; reviewed in October
        task(2, wind,
             annotation(21, "a@x", "supported", "2024-10-01T10:00:00Z"),
             annotation(22, "b@x", "misleading", "2024-10-02T10:00:00Z", ["https://nea.example/w"])),
        # tesla: Label Studio says supported in November ...
        task(3, tesla, annotation(31, "a@x", "supported", "2024-11-20T10:00:00Z")),
    ])
    with db.conn:
        db.conn.execute("update verdicts set deleted_at = '2024-11-10T00:00:00Z' where annotation_id = 14")
        # ... and an imported ClaimReview said refuted in October: a tie, the most recent (supported) wins
        db.conn.execute(
            "insert into verdicts (annotation_id, claim_id, verdict, annotator, created_at, source) "
            "values (-7, ?, 'refuted', 'ClaimReview: example.org', '2024-10-15', 'claimreview')", [tesla.claim_id])
        db.conn.executemany("insert into ls_tasks (claim_id, project_id, task_id) values (?, 1, ?)",
                            [(crude.claim_id, 1), (wind.claim_id, 2), (tesla.claim_id, 3), (france.claim_id, 4)])
    return db_path, db


def test_stats_counts_final_verdicts(store):
    _, db = store
    result = stats(db)
    assert result["totals"] == {"articles": 2, "candidates": 5, "claims": 4, "sent_for_review": 4,
                                "verdicted": 3, "evidence_links": 3}
    assert result["verdicts"] == {"supported": 1, "misleading": 1, "refuted": 1}
    assert list(result["verdicts"]) == ["supported", "misleading", "refuted"]  # the fixed verdict order
    assert result["by_month"] == {"2024-09": {"refuted": 1}, "2024-10": {"misleading": 1},
                                  "2024-11": {"supported": 1}}
    assert result["by_article_source"] == {"energy.example.cn": {"misleading": 1, "refuted": 1},
                                           "reports/2024": {"supported": 1}}
    assert result["by_verdict_source"] == {"labelstudio": {"supported": 1, "misleading": 1, "refuted": 1},
                                           "claimreview": {"refuted": 1}}
    assert result["by_kind"] == {"quote": {"misleading": 1, "refuted": 1}, "numeric": {"supported": 1}}
    # the same final verdicts as the export
    assert Counter(r["verdict"] for r in verdicted_claims(db)) == Counter(result["verdicts"])
    json.dumps(result)  # plain data


def test_stats_of_an_empty_store(tmp_path):
    result = stats(open_db(tmp_path / "empty.db"))
    assert result["totals"] == dict.fromkeys(result["totals"], 0)
    assert all(result[k] == {} for k in ("verdicts", "by_month", "by_article_source", "by_verdict_source", "by_kind"))
    assert len(tables(result)) == 5
    png = plot(result, tmp_path / "empty.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_article_origin():
    assert article_origin("https://www.example.com/x", "a.json") == "example.com"
    assert article_origin(None, "examples/zh_energy.md") == "examples"
    assert article_origin(None, "/data/news/a.txt") == "/data/news"
    assert article_origin("", "<stdin>") == "<stdin>"
    assert article_origin(None, None) == "unknown"
    # claims that came with imported verdicts: one group per importer, not per record
    assert article_origin(None, "liar:2635.json") == article_origin(None, "liar:10540") == "liar (imported)"
    assert article_origin(None, "claimreview:https://www.fact.example/r/1") == "claimreview (imported)"
    assert article_origin(None, "https://www.fact.example/r/1") == "fact.example"


@pytest.mark.issue(18)
def test_imported_verdicts_group_by_importer_and_source(tmp_path):
    from .conftest import REPO

    runner = CliRunner()
    dbp = str(tmp_path / "imported.db")
    for name, fmt in (("verdicts_liar.tsv", "liar"), ("verdicts_claimreview.json", "claimreview")):
        result = runner.invoke(cli, ["verdicts", "import", str(REPO / "tests" / "data" / name), "--format", fmt,
                                     "--db", dbp])
        assert result.exit_code == 0, result.output
    result = stats(open_db(dbp))
    origins = set(result["by_article_source"])
    assert "liar (imported)" in origins and not any(o.startswith("liar:") for o in origins)
    assert not any("https:/" in o for o in origins), origins
    assert {"liar", "claimreview"} <= set(result["by_verdict_source"])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plot_writes_one_real_png(store, tmp_path):
    _, db = store
    path = plot(stats(db), tmp_path / "stats.png")
    data = path.read_bytes()
    assert png_size(data) == (1600, 900) and len(data) > 40_000
    import matplotlib.image

    pixels = matplotlib.image.imread(path)
    assert pixels.shape[:2] == (900, 1600) and pixels[..., :3].std() > 0.05  # drawn, not blank
    with pytest.raises(ReportError) as missing:
        plot(stats(db), tmp_path / "no" / "such" / "dir.png")
    assert missing.value.code == "F804" and "--plot" in str(missing.value)


def test_stats_command(store, tmp_path):
    db_path, _ = store
    runner = CliRunner()
    out = tmp_path / "s.png"
    result = runner.invoke(cli, ["stats", "--db", str(db_path), "--plot", str(out)])
    assert result.exit_code == 0, result.output
    for text in ("verdicted claims", "Final verdicts by month of review", "2024-10", "energy.example.cn",
                 "claimreview", "numeric"):
        assert text in result.stdout
    assert out.read_bytes()[:4] == b"\x89PNG" and f"plot written to {out}" in result.stderr
    missing = runner.invoke(cli, ["stats", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "Error: [F307]" in missing.stderr and not (tmp_path / "nope.db").exists()
    bad_plot = runner.invoke(cli, ["stats", "--db", str(db_path), "--plot", str(tmp_path / "x" / "s.png")])
    assert bad_plot.exit_code == 1 and "Error: [F804]" in bad_plot.stderr
