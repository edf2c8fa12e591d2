"""`factcheck serve`: Datasette metadata, views and canned queries on a real store, and a
real server process on 127.0.0.1 answering HTTP (no other network)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.errors import CODES, ReportError, StoreError
from factcheck.extraction.ingest import parse_json, parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review.labelstudio import import_export
from factcheck.store import serve
from factcheck.store.db import open_db, save_extraction
from factcheck.store.export import verdicted_claims

from .processes import interrupt

REPO = Path(__file__).resolve().parent.parent
ZH = ("据海关总署统计，2024年中国原油进口量达到5.53亿吨。\n\n"
      "国家能源局表示，截至2024年底全国风电装机容量约为5.2亿千瓦。\n\n"
      "笔者看来，这一趋势很可能会持续。")
EN = ("The International Energy Agency said global oil demand rose by 2.3 million barrels a day in 2023.\n\n"
      "Tesla delivered 1.81 million vehicles in 2023.\n\n"
      "France plans to build six new reactors by 2035.")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1 only, never a proxy


def annotation(i, who, verdict, when, links=()):
    return {"id": i, "completed_by": {"email": who}, "updated_at": when, "created_at": when, "result": [
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
        {"from_name": "evidence", "to_name": "claim", "type": "textarea", "value": {"text": list(links)}}]}


def build_store(db_path: Path) -> dict:
    """A store of two short articles (zh with a URL, en from a path) with verdicts; returns the claims by name."""
    db = open_db(db_path)
    zh = parse_json(json.dumps({"text": ZH, "title": "能源数据", "url": "https://energy.example.cn/2024",
                                "published": "2025-01-10"}, ensure_ascii=False), "zh.json")[0]
    en = parse_text(EN, "reports/en.txt", "txt")
    claims = {}
    for article in (zh, en):
        found = extract_article(article)
        save_extraction(db, article, found)
        claims.update({c.text: c for c in found})
    named = {
        "crude": next(c for t, c in claims.items() if "原油" in t),
        "wind": next(c for t, c in claims.items() if "风电" in t),
        "oil": next(c for t, c in claims.items() if "oil demand" in t),
        "tesla": next(c for t, c in claims.items() if t.startswith("Tesla")),
        "france": next(c for t, c in claims.items() if t.startswith("France")),
    }

    def task(tid, claim, *annotations):
        return {"id": tid, "project": 1, "data": {"claim_id": claim.claim_id, "sentence": claim.sentence},
                "annotations": list(annotations)}

    report = import_export(db, [
        task(1, named["crude"],
             annotation(11, "a@x", "refuted", "2024-09-01T10:00:00Z", ["https://customs.example/2024 | 海关数据"]),
             annotation(12, "b@x", "refuted", "2024-09-02T10:00:00Z"),
             annotation(13, "c@x", "supported", "2024-09-03T10:00:00Z")),
        task(2, named["oil"],  # a tie: the most recent (misleading) wins
             annotation(21, "a@x", "supported", "2024-10-01T10:00:00Z", ["https://iea.example/omr"]),
             annotation(22, "b@x", "misleading", "2024-10-02T10:00:00Z")),
    ])
    assert report.verdicts == 5
    with db.conn:
        db.conn.execute(
            "insert into verdicts (annotation_id, claim_id, verdict, annotator, created_at, source, review_url) "
            "values (-1001, ?, 'supported', 'ClaimReview: example.org', '2024-10-05', 'claimreview', "
            "'https://factcheck.example/tesla')", [named["tesla"].claim_id])
        db.conn.executemany("insert into ls_tasks (claim_id, project_id, task_id) values (?, 1, ?)",
                            [(named["crude"].claim_id, 1), (named["oil"].claim_id, 2)])
    db.close()
    return named


def stored_count(path: Path) -> int:
    """Claims and rejected candidates in the store, read without Datasette."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) from claims").fetchone()[0]
    finally:
        conn.close()


def digest(path: Path) -> str:
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("serve") / "store.db"
    return db_path, build_store(db_path)


# --- pure metadata and SQL ------------------------------------------------------------------


def test_metadata_is_pure_and_names_what_the_store_has(store):
    db_path, _ = store
    first, second = serve.metadata("store"), serve.metadata("store")
    assert first == second and first is not second
    first["databases"]["store"]["tables"]["claims"]["facets"].append("x")
    assert "x" not in serve.metadata("store")["databases"]["store"]["tables"]["claims"]["facets"]

    db = open_db(db_path)
    serve.ensure_views(db.conn)
    columns = {name: set(db[name].columns_dict) for name in [*db.table_names(), *db.view_names()]}
    meta = serve.metadata("store")["databases"]["store"]
    assert meta["tables"]["claims"]["facets"][:2] == ["kind", "lang"]
    assert "verdict" in meta["tables"]["verdicts"]["facets"] and "verdict" in meta["tables"]["claim_verdicts"]["facets"]
    for name, table in meta["tables"].items():
        assert name in columns, f"metadata describes {name}, which the store lacks"
        used = {*table.get("facets", []), *table.get("columns", {})}
        used |= {table[k] for k in ("label_column", "sort_desc", "sort") if k in table}
        assert used <= columns[name], (name, used - columns[name])
    assert set(meta["queries"]) == {"verdicted_claims", "claims_by_quantity", "claims_about_entity",
                                    "recent_verdicts", "review_queue", "conflicting_verdicts"}
    serve.register_functions(db.conn)  # as the server does on each connection
    for query in meta["queries"].values():  # every canned query runs, all parameters empty
        assert query["title"] and query["description"]
        params = {p: "" for p in query.get("params", [])}
        db.execute(query["sql"], params).fetchall()
    assert set(serve.VIEWS) <= set(db.view_names())


def test_claim_verdicts_view_agrees_with_the_export(store):
    db_path, named = store
    db = open_db(db_path)
    serve.ensure_views(db.conn)
    view = {r["claim_id"]: r for r in db.query("select * from claim_verdicts")}
    exported = {r["claim_id"]: r for r in verdicted_claims(db)}
    assert set(view) == set(exported) == {named[k].claim_id for k in ("crude", "oil", "tesla")}
    for claim_id, row in exported.items():
        assert view[claim_id]["verdict"] == row["verdict"]
        assert view[claim_id]["reviewed_at"] == row["reviewed_at"]
        assert set((view[claim_id]["evidence_urls"] or "").split("\n")) - {""} == {e["url"] for e in row["evidence"]}
    crude = view[named["crude"].claim_id]
    assert crude["verdict"] == "refuted" and crude["votes"] == "refuted=2; supported=1" and crude["annotators"] == 3
    assert crude["distinct_verdicts"] == 2 and crude["article_title"] == "能源数据"
    assert view[named["oil"].claim_id]["verdict"] == "misleading"
    assert view[named["tesla"].claim_id]["verdict_sources"] == "claimreview"
    links = list(db.query("select * from evidence_links"))
    assert {(r["url"], r["note"], r["final_verdict"]) for r in links} == {
        ("https://customs.example/2024", "海关数据", "refuted"), ("https://iea.example/omr", "", "misleading")}


def test_views_are_kept_current_and_work_on_a_read_only_store(tmp_path):
    db_path = tmp_path / "ro.db"
    db = open_db(db_path)
    article = parse_text("Wheat exports fell 12% to 3.1 million tonnes in 2023.", "w.txt", "txt")
    save_extraction(db, article, extract_article(article))
    assert serve.ensure_views(db.conn)
    db.execute("drop view claim_verdicts")
    db.execute("create view claim_verdicts as select 1 as stale")
    assert serve.ensure_views(db.conn)  # an outdated definition is replaced
    assert db.execute("select sql from sqlite_master where name = 'claim_verdicts'").fetchone()[0].startswith(
        "CREATE VIEW claim_verdicts as\nwith live as")
    db.close()
    ro = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    assert serve.ensure_views(ro)  # already current: nothing to write
    ro.close()

    bare = tmp_path / "bare.db"
    db = open_db(bare)
    save_extraction(db, article, extract_article(article))
    db.close()
    ro = sqlite3.connect(f"{bare.resolve().as_uri()}?mode=ro", uri=True)
    assert serve.ensure_views(ro) is False  # cannot write: no error, the caller falls back
    assert serve.ensure_views(ro, temp=True)
    assert ro.execute("select count(*) from claim_verdicts").fetchone()[0] == 0
    ro.close()
    assert "claim_verdicts" not in {r[0] for r in sqlite3.connect(bare).execute("select name from sqlite_master")}


def test_even_datasettes_write_connection_is_read_only(store):
    import asyncio

    from datasette import handle_exception
    from datasette.plugins import pm

    db_path, _ = store
    before, rich = len(pm.get_plugins()), handle_exception.rich
    with serve.open_app(db_path) as ds:
        assert len(pm.get_plugins()) == before + 1

        async def write():
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                await ds.get_database("store").execute_write("delete from claims")
            return (await ds.get_database("store").execute("select count(*) from claims")).first()[0]

        assert asyncio.run(write()) == stored_count(db_path)
    assert len(pm.get_plugins()) == before and handle_exception.rich is rich  # nothing left behind


def test_missing_or_foreign_files_and_busy_ports_give_coded_errors(tmp_path):
    with pytest.raises(StoreError) as missing:
        serve.check_store(tmp_path / "nope.db")
    assert missing.value.code == "F307" and "factcheck extract" in str(missing.value)
    assert not (tmp_path / "nope.db").exists()  # never created
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 200)
    with pytest.raises(StoreError) as bad:
        serve.check_store(junk)
    assert bad.value.code == "F304"
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    with pytest.raises(StoreError, match="not a factcheck store") as foreign:
        serve.check_store(other)
    assert foreign.value.code == "F304"
    with serve.bind("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
        sock.listen()
        with pytest.raises(ReportError, match=f"Port {port} .* already in use") as busy:
            with serve.bind("127.0.0.1", port):
                pass
    assert busy.value.code == "F802"
    assert {"F800", "F307", "F802", "F304", "F804"} <= set(CODES)

    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 1 and "Error: [F307]" in result.stderr


def test_serve_cli_refuses_a_busy_port(store):
    db_path, _ = store
    with serve.bind("127.0.0.1", 0) as sock:
        sock.listen()
        result = CliRunner().invoke(cli, ["serve", "--db", str(db_path), "--port", str(sock.getsockname()[1])])
    assert result.exit_code == 1 and "Error: [F802]" in result.stderr and "--port" in result.stderr


# --- the real server ------------------------------------------------------------------------


def get(url: str) -> tuple[int, bytes]:
    try:
        with NO_PROXY.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def get_json(url: str):
    status, body = get(url)
    assert status == 200, (url, status, body[:300])
    return json.loads(body)


@pytest.fixture(scope="module")
def server(store):
    db_path, named = store
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "serve", "--db", str(db_path), "--port", str(port)],
        cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"factcheck serve exited with {proc.returncode}: {proc.stderr.read().decode()}")
            try:
                if get(f"{base}/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "factcheck serve did not answer within 60 s"
            time.sleep(0.2)
        info = {"proc": proc, "base": base, "db": f"{base}/store", "named": named, "path": db_path,
                "digest": digest(db_path), "ready_s": time.monotonic() - started}
        yield info
    finally:
        interrupt(proc)
        proc.stdout.close()
        proc.stderr.close()


def query(server, name: str, **params) -> list[dict]:
    return get_json(f"{server['db']}/{name}.json?{urllib.parse.urlencode({**params, '_shape': 'array'})}")


def ids(rows) -> set[str]:
    return {r["claim_id"] for r in rows}


def test_claims_table_facets_by_kind(server):
    data = get_json(f"{server['db']}/claims.json?_facet=kind&_shape=objects")
    assert data["filtered_table_rows_count"] == stored_count(server["path"])
    kinds = {f["value"]: f["count"] for f in data["facet_results"]["kind"]["results"]}
    conn = sqlite3.connect(f"file:{server['path']}?mode=ro", uri=True)
    try:  # what the extractor stored (its rules change; serve's facets do not)
        assert kinds == dict(conn.execute("select kind, count(*) from claims group by kind").fetchall())
    finally:
        conn.close()
    # "six new reactors" is a count since number words are read (issue 16): numeric, not temporal.
    assert kinds["quote"] == 3 and kinds["numeric"] == 2
    assert {"lang", "is_claim"} <= set(data["facet_results"])  # default facets from the metadata
    assert data["human_description_en"] == "sorted by checkworthiness descending"
    title = get_json(f"{server['base']}/-/metadata.json")["title"]
    assert title == "factcheck store"


def test_canned_queries_take_parameters(server):
    named = server["named"]
    assert ids(query(server, "claims_by_quantity", unit="metric_ton", min="1e8", max="1e9")) == {
        named["crude"].claim_id}
    assert query(server, "claims_by_quantity", unit="oil_barrel", min="3e6", max="") == []
    assert ids(query(server, "claims_by_quantity", unit="", min="1e6", max="2e6")) == {named["tesla"].claim_id}
    refuted = query(server, "verdicted_claims", verdict="refuted", lang="")
    assert ids(refuted) == {named["crude"].claim_id}
    assert refuted[0]["evidence_urls"] == "https://customs.example/2024"
    assert refuted[0]["votes"] == "refuted=2; supported=1"
    assert ids(query(server, "verdicted_claims", verdict="", lang="en")) == {named["oil"].claim_id,
                                                                           named["tesla"].claim_id}
    assert ids(query(server, "conflicting_verdicts")) == {named["crude"].claim_id, named["oil"].claim_id}
    assert ids(query(server, "claims_about_entity", entity="能源", label="")) == {named["wind"].claim_id}
    assert ids(query(server, "claims_about_entity", entity="energy agency", label="ORG")) == {named["oil"].claim_id}
    queue = query(server, "review_queue", lang="", kind="")
    assert ids(queue) == {named["wind"].claim_id, named["france"].claim_id}
    assert {r["sent_for_review"] for r in queue} == {0}
    recent = query(server, "recent_verdicts", since="2024-10-01")
    assert [r["annotation_id"] for r in recent] == [-1001, 22, 21] and recent[0]["source"] == "claimreview"


def test_a_claim_links_to_its_article_verdicts_and_evidence(server):
    named, db = server["named"], server["db"]
    crude = named["crude"].claim_id
    row = get_json(f"{db}/claims.json?id={crude}&_labels=on&_shape=array")[0]
    assert row["article_id"] == {"value": named["crude"].article_id, "label": "能源数据"}
    extras = get_json(f"{db}/claims/{crude}.json?_extras=foreign_key_tables")["foreign_key_tables"]
    counts = {t["other_table"]: t["count"] for t in extras}
    assert counts["verdicts"] == 3 and counts["quantities"] == 1
    status, page = get(f"{db}/claims/{crude}")
    html = page.decode()
    assert status == 200 and f'href="/store/articles/{named["crude"].article_id}"' in html and "能源数据" in html
    assert f'href="/store/evidence_links?claim_id={crude}"' in html
    status, page = get(f"{db}/evidence_links?claim_id={crude}")
    assert status == 200 and '<a href="https://customs.example/2024">' in page.decode()
    status, page = get(f"{db}/verdicted_claims?verdict=refuted&lang=")
    assert status == 200 and f'<a href="/store/claims/{crude}">' in page.decode()


@pytest.mark.issue(18)
def test_the_index_lists_the_useful_views_first_and_hides_the_bookkeeping(server):
    status, page = get(f"{server['db']}")
    html = page.decode()
    assert status == 200
    start = html.index("Start here")
    assert html.index('href="/store/claims_overview"', start) < html.index('href="/store/claim_verdicts"', start)
    assert start < html.index('<h2 id="tables">')  # before Datasette's own list
    listed = {t["name"]: t["hidden"] for t in get_json(f"{server['db']}.json")["tables"]}
    assert all(listed[t] for t in ("ls_outbox", "ls_state", "meta", "schema_migrations", "claims_fts"))
    assert not any(listed[t] for t in ("claims", "articles", "verdicts", "evidence"))
    status, page = get(f"{server['base']}/")
    assert "Start here" in page.decode() and 'href="/store/claims_overview"' in page.decode()


@pytest.mark.issue(18)
def test_the_search_box_finds_chinese_and_english_claims_as_the_cli_does(server):
    named = server["named"]

    def search(text):
        return ids(get_json(f"{server['db']}/claims_overview.json?"
                            + urllib.parse.urlencode({"_search": text, "_shape": "array"})))

    assert search("原油进口") == {named["crude"].claim_id}  # jieba words, not Datasette's whole-run token
    assert search("风电") == {named["wind"].claim_id}
    assert search("vehicle") == {named["tesla"].claim_id}  # stemmed: vehicles
    assert search("2023 -Tesla") == {named["oil"].claim_id}
    status, page = get(f"{server['db']}/claims_overview")
    assert status == 200 and 'name="_search"' in page.decode()


@pytest.mark.issue(18)
def test_the_quantity_query_takes_the_clis_unit_words(server):
    named = server["named"]
    assert ids(query(server, "claims_by_quantity", unit="桶/日", min="", max="")) == {named["oil"].claim_id}
    assert ids(query(server, "claims_by_quantity", unit="barrels a day", min="", max="")) == {named["oil"].claim_id}
    assert ids(query(server, "claims_by_quantity", unit="oil_barrel", min="", max="")) == {named["oil"].claim_id}
    assert ids(query(server, "claims_by_quantity", unit="吨", min="5e8", max="")) == {named["crude"].claim_id}
    assert ids(query(server, "claims_by_quantity", unit="no-such-unit", min="", max="")) == set()


@pytest.mark.issue(18)
def test_a_claims_page_reads_as_a_card_with_verdicts_and_evidence(server):
    named = server["named"]
    status, page = get(f"{server['db']}/claims/{named['crude'].claim_id}")
    html = page.decode()
    assert status == 200
    card = html[html.index('class="factcheck-card"'):html.index('class="factcheck-raw"')]
    assert named["crude"].text in card and "refuted=2; supported=1" in card
    assert '<a href="https://energy.example.cn/2024">能源数据</a>' in card and "published 2025-01-10" in card
    assert "5.53亿吨" in card and "2024" in card  # the quantity and the time
    assert '<a href="https://customs.example/2024">https://customs.example/2024</a> — 海关数据' in card
    assert card.count("<strong>refuted</strong>") == 2 and "<strong>supported</strong>" in card
    # an imported verdict shows its review link
    status, page = get(f"{server['db']}/claims/{named['tesla'].claim_id}")
    assert '<a href="https://factcheck.example/tesla">review</a>' in page.decode()


@pytest.mark.issue(18)
def test_json_columns_read_as_short_text_in_tables(server):
    status, page = get(f"{server['db']}/claims?_size=50")
    html = page.decode()
    assert status == 200 and 'class="factcheck-json"' in html
    table = html.split('<table class="rows-and-columns">')[1].split("</table>")[0]
    assert "has a quantity" in table and "[&#34;" not in table and "{&#34;" not in table


@pytest.mark.issue(18)
def test_analysts_metadata_and_plugins_are_passed_through(store, tmp_path):
    import asyncio

    db_path, _ = store
    (tmp_path / "metadata.yml").write_text("title: Analyst desk\ndatabases:\n  store:\n    queries:\n"
                                           "      two:\n        sql: select 2 as n\n", encoding="utf-8")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "hello.py").write_text(
        "from datasette import hookimpl\nfrom datasette.utils.asgi import Response\n\n"
        "@hookimpl\ndef register_routes():\n"
        "    return [(r'^/-/hello$', lambda: Response.text('hello from a plugin'))]\n", encoding="utf-8")

    async def fetch(ds, path):
        response = await ds.client.get(path)
        return response.status_code, response.text

    with serve.open_app(db_path, extra_metadata=serve.read_metadata(tmp_path / "metadata.yml"),
                        plugins_dir=plugins) as ds:
        assert asyncio.run(fetch(ds, "/-/hello")) == (200, "hello from a plugin")
        status, html = asyncio.run(fetch(ds, "/"))
        assert "Analyst desk" in html and "Start here" in html
        status, body = asyncio.run(fetch(ds, "/store/two.json?_shape=array"))
        assert json.loads(body) == [{"n": 2}]
        status, body = asyncio.run(fetch(ds, "/store/verdicted_claims.json?verdict=&lang=&_shape=array"))
        assert status == 200  # factcheck's own queries are still there
    (tmp_path / "bad.yml").write_text("[not: a mapping", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        serve.read_metadata(tmp_path / "bad.yml")
    assert info.value.code == "F803"
    result = CliRunner().invoke(cli, ["serve", "--db", str(db_path), "--metadata", str(tmp_path / "bad.yml")])
    assert result.exit_code == 1 and "[F803]" in result.output


def test_the_server_cannot_write_the_store(server):
    for sql in ("delete from claims", "update claims set kind = 'x'", "select 1; drop table claims"):
        status, body = get(f"{server['db']}.json?" + urllib.parse.urlencode({"sql": sql}))
        assert status == 400, (sql, body)
    status, _ = get(f"{server['db']}/claims/nope")
    assert status == 404
    assert get_json(f"{server['db']}.json?sql=select+count(*)+as+n+from+claims&_shape=array") == [
        {"n": stored_count(server["path"])}]
    assert digest(server["path"]) == server["digest"]


def test_ctrl_c_stops_the_server_cleanly(server):
    proc = server["proc"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    err = proc.stderr.read().decode()
    assert f"read-only at {server['db']}" in err and "stopped" in err and "Traceback" not in err
    assert server["ready_s"] < 30
    with pytest.raises(OSError):
        NO_PROXY.open(f"{server['base']}/-/versions.json", timeout=2)
