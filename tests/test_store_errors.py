"""SQLite's failures reach users as StoreErrors that say what happened to which file and
what to do (factcheck.store.db.store_error). Each condition is made for real on real
SQLite files, and met through the public API (open_db, save_extraction, search,
check_store, backup) or the command line."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

import factcheck
from factcheck.errors import StoreError
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.store import serve
from factcheck.store.db import StoreConnection, connect, open_db, save_extraction, store_error
from factcheck.store.export import backup
from factcheck.store.search import search

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "The refinery processed 450,000 barrels a day in 2024.",
    "Wheat exports fell 12% to 3.1 million tonnes in 2023.",
    "The city added 1,200 hospital beds last year, officials said.",
]


@pytest.fixture(scope="module")
def articles():
    out = []
    for i, text in enumerate(TEXTS):
        article = parse_text(text, f"a{i}.txt", "txt")
        out.append((article, extract_article(article)))
    return out


def make_store(path: Path, articles) -> Path:
    """A store holding the first two articles, closed, its WAL folded into the file."""
    db = open_db(path)
    for article, claims in articles[:2]:
        save_extraction(db, article, claims)
    db.close()
    assert not Path(f"{path}-wal").exists()
    return path


def assert_store_error(info, code: str, path: Path, *remedies: str) -> StoreError:
    error = info.value
    assert error.code == code, str(error)
    message = str(error)
    assert message.startswith(f"[{code}] ") and str(path) in message, message
    for remedy in remedies:
        assert remedy in message, (remedy, message)
    assert isinstance(error.__cause__, sqlite3.Error) or error.__cause__ is None
    return error


def _overwrite_page(path: Path, page: int, fill: bytes = b"\xff") -> None:
    size = sqlite3.connect(path).execute("pragma page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(page - 1) * size: page * size] = fill * size
    path.write_bytes(bytes(data))


def _root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select rootpage from sqlite_master where name = ?", [table]).fetchone()[0]
    finally:
        conn.close()


# --- locked -------------------------------------------------------------------------------


def test_a_write_while_another_process_writes_is_locked(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    db = open_db(path, timeout=0.1)
    holder = sqlite3.connect(path)
    holder.execute("begin immediate")  # another writer holds the write lock
    try:
        with pytest.raises(StoreError) as info:
            save_extraction(db, *articles[2])
        assert_store_error(info, "F301", path, "is locked", "busy timeout (0.1 s)", "run the command again")
        assert len(search(db, "refinery")) == 1  # readers are not blocked in WAL mode
    finally:
        holder.rollback()
        holder.close()
    assert save_extraction(db, *articles[2])["claims"] >= 1  # once it is free, the same call works
    db.close()


@pytest.mark.issue(19)
def test_a_with_block_is_one_transaction_that_takes_the_write_lock_first(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    db = open_db(path)
    other = open_db(path, timeout=0.1)
    with db.conn:  # before any write: another writer must already wait (no upgrade can fail halfway)
        with pytest.raises(StoreError) as info:
            save_extraction(other, *articles[2])
        assert info.value.code == "F301"
        with db.conn:  # an inner block joins the outer one: nothing is committed at its end
            db.execute("insert into meta (key, value) values ('probe', '1')")
        assert db.conn.in_transaction
        assert other.execute("select count(*) from meta where key = 'probe'").fetchone() == (0,)
    assert other.execute("select count(*) from meta where key = 'probe'").fetchone() == (1,)
    assert save_extraction(other, *articles[2])["claims"] >= 1
    db.close()
    other.close()


def test_opening_a_store_another_process_holds_exclusively_is_locked(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    holder = sqlite3.connect(path)
    holder.execute("pragma locking_mode = exclusive")  # even readers must wait, WAL or not
    holder.execute("begin exclusive")
    try:
        with pytest.raises(StoreError) as info:
            open_db(path, timeout=0.1)
        assert_store_error(info, "F301", path, "is locked", "busy timeout (0.1 s)")
        with pytest.raises(StoreError) as checked:
            serve.check_store(path)
        assert checked.value.code == "F301"
    finally:
        holder.rollback()
        holder.close()


# --- read-only ----------------------------------------------------------------------------


def test_writing_a_store_opened_read_only_is_refused(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    db = sqlite_utils.Database(connect(path, read_only=True))  # file:...?mode=ro
    assert len(search(db, "refinery")) == 1
    with pytest.raises(StoreError) as info:
        save_extraction(db, *articles[2])
    assert_store_error(info, "F302", path, "read-only", "permissions", "factcheck backup")
    # serve's views: on such a connection it falls back to temporary ones, as on a raw one
    assert serve.ensure_views(db.conn) is False and serve.ensure_views(db.conn, temp=True)
    assert db.execute("select count(*) from claim_verdicts").fetchone()[0] == 0
    db.close()


@pytest.fixture
def read_only_file(tmp_path, articles):
    """A store whose file the test process may not write: chmod 0444, or for root (whom
    permissions do not stop) the immutable attribute (chattr +i)."""
    path = make_store(tmp_path / "store.db", articles)
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield path
        path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    made = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0
    if not made:
        pytest.skip("running as root, whom file permissions do not stop, and chattr +i is not available "
                    "here to make the file immutable (the mode=ro test covers the read-only mapping)")
    try:
        yield path
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_writing_a_read_only_file_is_refused(read_only_file, articles):
    db = open_db(read_only_file)  # reading is fine
    assert len(search(db, "refinery")) == 1
    with pytest.raises(StoreError) as info:
        save_extraction(db, *articles[2])
    assert_store_error(info, "F302", read_only_file, "read-only", "Check the permissions", "--db COPY.db")
    db.close()


# --- damaged ------------------------------------------------------------------------------


def test_a_store_with_a_damaged_schema_is_reported_at_open(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(1).randbytes(3996)  # page 1 after the header: sqlite_master
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        open_db(path)
    assert_store_error(info, "F303", path, "is damaged", "factcheck backup", '".recover"', "--db recovered.db")
    with pytest.raises(StoreError) as checked:
        serve.check_store(path)
    assert checked.value.code == "F303"


def test_a_damaged_table_is_reported_by_search(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    _overwrite_page(path, _root_page(path, "claims"))
    db = open_db(path)  # the schema is intact
    with pytest.raises(StoreError) as info:
        search(db, "refinery")
    assert_store_error(info, "F303", path, ".recover")
    db.close()


def test_a_truncated_store_is_damaged(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError) as info:
        search(open_db(path), "refinery")
    assert_store_error(info, "F303", path, "is damaged")


def test_damage_found_while_reading_rows_is_a_store_error_too(tmp_path):
    """The cursor's rows: the error comes from iterating, after the first rows."""
    path = tmp_path / "store.db"
    db = open_db(path)
    db.execute("create table filler (x)")
    with db.conn:
        db.conn.executemany("insert into filler values (?)", [(bytes(200),) for _ in range(2000)])
    db.close()
    pages = path.stat().st_size // 4096
    _overwrite_page(path, pages)  # the last leaf of filler
    db = open_db(path)
    seen = 0
    with pytest.raises(StoreError) as info:
        for _ in db.query("select * from filler"):
            seen += 1
    assert seen > 100
    assert_store_error(info, "F303", path)
    with pytest.raises(StoreError) as fetched:
        db.execute("select * from filler").fetchall()
    assert fetched.value.code == "F303"
    db.close()


# --- not a database -----------------------------------------------------------------------


def test_a_file_of_random_bytes_is_not_a_store(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(random.Random(2).randbytes(8192))
    with pytest.raises(StoreError) as info:
        factcheck.open_db(path)
    assert_store_error(info, "F304", path, "not a usable SQLite database", "--db")
    with pytest.raises(StoreError) as checked:
        serve.check_store(path)
    assert_store_error(checked, "F304", path, "--db")
    with pytest.raises(StoreError) as copied:
        backup(path, tmp_path / "copy.db")
    assert_store_error(copied, "F304", path)
    assert not (tmp_path / "copy.db").exists()


# --- full ---------------------------------------------------------------------------------


def test_a_full_store_cannot_take_more(tmp_path, articles):
    path = make_store(tmp_path / "store.db", articles)
    db = open_db(path)
    pages = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {pages}")  # as if the disk had no room left
    big = parse_text(" ".join(f"Output rose {i}% in 20{i % 30:02d}." for i in range(400)), "big.txt", "txt")
    with pytest.raises(StoreError) as info:
        save_extraction(db, big, extract_article(big))
    assert_store_error(info, "F305", path, "is full", "Free space", "factcheck backup")
    assert db.execute("select count(*) from articles").fetchone()[0] == 2  # rolled back whole
    db.close()


# --- cannot open --------------------------------------------------------------------------


def test_a_folder_or_a_missing_folder_cannot_be_opened(tmp_path):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(StoreError) as info:
        open_db(folder)
    assert_store_error(info, "F306", folder, "cannot be opened", "not a folder", "another --db")
    with pytest.raises(StoreError) as missing:
        open_db(tmp_path / "nowhere" / "store.db")
    assert missing.value.code == "F306" and "does not exist" in str(missing.value)


# --- everything else ----------------------------------------------------------------------


def test_other_sqlite_errors_are_store_errors_that_keep_their_sqlite_class(tmp_path):
    path = tmp_path / "store.db"
    db = open_db(path)
    with pytest.raises(StoreError) as info:
        db.execute("select * from no_such_table")
    error = assert_store_error(info, "F300", path, "no such table: no_such_table", "report")
    assert isinstance(error, sqlite3.OperationalError) and error.args == ("no such table: no_such_table",)
    with pytest.raises(sqlite3.IntegrityError) as refused:  # foreign keys: still an IntegrityError
        db.execute("insert into quantities (claim_id, idx, text) values ('no-such-claim', 0, 'x')")
    assert isinstance(refused.value, StoreError) and refused.value.code == "F300"
    # sqlite-utils uses OperationalError as a signal ("no such column": add it), and still can
    db["things"].insert({"a": 1})
    db["things"].insert({"a": 2, "b": "new column"}, alter=True)
    assert db["things"].columns_dict == {"a": int, "b": str}
    db.close()


def test_store_error_maps_raw_errors_and_leaves_store_errors_alone(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    with pytest.raises(sqlite3.OperationalError) as raw:
        conn.execute("select * from nope")
    error = store_error(raw.value, tmp_path / "x.db")
    assert error.code == "F300" and isinstance(error, sqlite3.OperationalError) and str(tmp_path / "x.db") in str(error)
    assert store_error(error) is error
    locked = StoreError("x", code="F301")
    assert store_error(locked, "elsewhere") is locked
    assert isinstance(connect(tmp_path / "x.db"), StoreConnection)


# --- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["random bytes", "damaged schema"])
def test_no_sqlite_error_escapes_the_command_line(tmp_path, articles, damage):
    path = tmp_path / "store.db"
    if damage == "random bytes":
        path.write_bytes(random.Random(3).randbytes(8192))
    else:
        make_store(path, articles)
        data = bytearray(path.read_bytes())
        data[100:4096] = bytes(3996)
        path.write_bytes(bytes(data))
    done = subprocess.run([sys.executable, "-m", "factcheck", "search", "x", "--db", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "Error: [F3" in done.stderr and str(path) in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
