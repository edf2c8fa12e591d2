"""The SQLite store (sqlite-utils): articles, sentences, claims and their parts.

Ids are content hashes, so writing the same extraction twice changes nothing.
An article's identity across edits is its ``doc_key`` (the path or URL it came
from); a changed text under the same key is stored as a new row with
``version`` one higher, and the old version and its claims stay.

Tables (foreign keys in brackets)::

    meta        key, value                      schema_version lives here
    schema_migrations  version, name, applied_at  one row per migration run (see ensure_schema)
    articles    id, doc_key, version, title, url, published, source, ...
    sentences   id, article_id [articles], start, end, text, lang, block
    claims      id, article_id [articles], sentence_id [sentences], text, start, end, kind, ...
    quantities  claim_id [claims], idx, text, start, end, value, low, high, unit, per, ...
    times       claim_id [claims], idx, text, start, end, value, kind, relative, ...
    entities    claim_id [claims], idx, text, label, start, end

plus the review tables (:func:`_migrate_v2_review`), the knowledge-base tables
(:func:`_migrate_v3_knowledge_base`), ``article_sources`` (:func:`_migrate_v4_sources`) and
``claims.antecedent`` (:func:`_migrate_v5_antecedent`).

Extracting the same text again (from another file, or the same file later) keeps what
is known: :func:`save_extraction` merges the article's title, URL and date (a new value
fills a gap and never erases one; two different values are a conflict, recorded in
``articles.conflicts``), keeps resolved times resolved when the new copy has no date,
and records every source path in ``article_sources``.

SQLite's failures reach users as :class:`~factcheck.errors.StoreError` by one
mechanism: :func:`open_db` (and :func:`connect`) hand out a
:class:`StoreConnection`, whose statements, cursors, commits and transactions turn
any ``sqlite3.Error`` into the StoreError that :func:`store_error` makes of it (what
happened to which file, and what to do). Code that opens SQLite itself calls
:func:`store_error` too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from factcheck import settings
from factcheck.errors import StoreError
from factcheck.records import Article, Claim
from factcheck.store import fts

SCHEMA_VERSION = 5
#: Seconds a connection waits for another connection's write lock before SQLite
#: gives up with "database is locked" (F301). Writers hold the lock for one short
#: transaction (an article, a batch of verdicts), so concurrent commands take turns.
BUSY_TIMEOUT = 60.0


def default_db_path() -> str:
    """``$FACTCHECK_DB`` or ``factcheck.db`` in the working directory."""
    return settings.db_path()


# --- SQLite's failures as StoreErrors -------------------------------------------------------

#: (code, SQLite result-code names, message fragments): the first entry one of whose
#: names or fragments an error carries gives its code; none: F300. A name also
#: matches its extended codes (SQLITE_IOERR matches SQLITE_IOERR_SHORT_READ). Being
#: locked is told by the message alone: SQLite also answers SQLITE_BUSY for
#: "cannot commit - SQL statements in progress", which is a statement's problem.
_KINDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("F301", (), ("database is locked", "database table is locked", "database schema is locked")),
    ("F302", ("SQLITE_READONLY",), ("readonly database",)),
    ("F303", ("SQLITE_CORRUPT",), ("disk image is malformed", "malformed database schema")),
    ("F304", ("SQLITE_NOTADB",), ("is not a database",)),
    ("F305", ("SQLITE_FULL",), ("database or disk is full",)),
    ("F306", ("SQLITE_CANTOPEN", "SQLITE_PERM"), ("unable to open database file",)),
    ("F308", ("SQLITE_IOERR",), ("disk i/o error",)),
)


def _code(exc: BaseException) -> str:
    name = getattr(exc, "sqlite_errorname", None) or ""
    message = str(exc).lower()
    for code, names, fragments in _KINDS:
        if any(name == n or name.startswith(n + "_") for n in names) or any(f in message for f in fragments):
            return code
    return "F300"


def _message(code: str, exc: BaseException, path: str | None, busy_timeout: float | None) -> str:
    store = f"The store {path!r}" if path else "The store"
    name = Path(path).name if path else "STORE.db"
    if code == "F301":
        waited = f"longer than the busy timeout ({busy_timeout:g} s)" if busy_timeout is not None else "too long"
        return (f"{store} is locked ({exc}): another factcheck process (an extract, a pull, the webhook "
                f"receiver) or another program is writing to it and held its lock {waited}. Wait for that "
                "process to finish and run the command again; if nothing else should be writing, close the "
                "programs that have the file open and retry.")
    if code == "F302":
        return (f"{store} is read-only ({exc}): factcheck may not write the file or its folder (SQLite also "
                f"writes {name}-wal and {name}-shm beside it). Check the permissions of both (ls -l), or copy "
                f"the store somewhere writable (factcheck backup COPY.db --db {path or name}) and pass --db COPY.db.")
    if code == "F303":
        return (f"{store} is damaged ({exc}). Restore it from a copy made with `factcheck backup` (or the "
                f"{name}.v<N>.bak an upgrade left beside it), or salvage what SQLite can still read: "
                f"sqlite3 {path or name} \".recover\" | sqlite3 recovered.db, then pass --db recovered.db.")
    if code == "F304":
        what = repr(path) if path else "The file"
        return (f"{what} is not a usable SQLite database ({exc}), so it is not a factcheck store. Pass the right "
                "--db (or FACTCHECK_DB): an existing factcheck store, or a new file name to start one.")
    if code == "F305":
        return (f"{store} could not be written ({exc}): the disk that holds it, or the store's size limit, is "
                f"full. Free space on that disk (df -h), or copy the store to a disk with room (factcheck backup "
                f"NEW.db --db {path or name}) and pass --db NEW.db.")
    if code == "F306":
        return (f"{store} cannot be opened ({exc}). Check that the path names a file, not a folder, that its "
                f"folder exists, and that you may read and write both (SQLite creates {name}-wal and {name}-shm "
                "beside the store); or pass another --db.")
    if code == "F308":
        return (f"{store} could not be read or written: the disk reported an error ({exc}). Check the disk (df -h, "
                "dmesg) and that the store is on a local file system (SQLite's WAL does not work on network "
                "folders); then retry, or copy it to a local disk with `factcheck backup` and pass --db.")
    return (f"{store} could not run a statement ({exc}). Check that --db points at a factcheck store that this "
            "version of factcheck wrote; if it does, this is a bug in factcheck: please report the command and "
            "this message.")


class SQLiteStoreError(StoreError):
    """An SQLite error of no kind that :func:`store_error` names (F300): a statement the
    store could not run, a constraint it refused. It stays an instance of its sqlite3
    class with SQLite's ``args`` (``StoreOperationalError`` is a StoreError and an
    ``sqlite3.OperationalError``), since sqlite-utils and callers use those as signals
    ("no such column": add it; IntegrityError: a foreign key refused)."""

    def __init__(self, message: str, exc: BaseException):
        super().__init__(message, code="F300")
        self.message = message
        self.args = exc.args

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


#: sqlite3 error class -> its SQLiteStoreError twin.
_TWINS: dict[type, type] = {
    base: type(f"Store{base.__name__}", (SQLiteStoreError, base), {"__module__": __name__})
    for base in (sqlite3.Error, sqlite3.DatabaseError, sqlite3.OperationalError, sqlite3.IntegrityError,
                 sqlite3.ProgrammingError, sqlite3.DataError, sqlite3.InternalError, sqlite3.NotSupportedError,
                 sqlite3.InterfaceError)
}


def store_error(exc: BaseException, path: str | Path | None = None, *,
                busy_timeout: float | None = None) -> StoreError:
    """The StoreError to raise (``from exc``) for the sqlite3 error ``exc`` on the store at ``path``.

    ================================================  ====  ================================
    SQLite says                                       code  the message tells to
    ================================================  ====  ================================
    database is locked (SQLITE_BUSY / LOCKED)         F301  wait for the other writer, retry
    attempt to write a readonly database              F302  check permissions, or copy it
    database disk image is malformed (CORRUPT)        F303  restore a backup, or .recover
    file is not a database (NOTADB)                   F304  pass the right --db
    database or disk is full (FULL)                   F305  free space, or move the store
    unable to open database file (CANTOPEN)           F306  check the path and folder
    disk I/O error (IOERR)                            F308  check the disk, use a local one
    anything else                                     F300  check --db, else report a bug
    ================================================  ====  ================================

    Every message names the store's path and keeps SQLite's own words. F301-F308 are
    plain StoreErrors: they are the user's to fix, nothing treats them as a statement's
    signal, and no ``except sqlite3.Error`` on their way re-wraps them into something
    vaguer. An F300 error stays an instance of its sqlite3 class as well
    (:class:`SQLiteStoreError`). ``exc`` that is already a StoreError comes back as it is.
    """
    if isinstance(exc, StoreError):
        return exc
    path = str(path) if path is not None else None
    code = _code(exc)
    message = _message(code, exc, path, busy_timeout)
    if code == "F300":
        twin = next((_TWINS[cls] for cls in type(exc).__mro__ if cls in _TWINS), None)
        error = twin(message, exc) if twin else StoreError(message)
    else:
        error = StoreError(message, code=code)
    error.sqlite_errorcode = getattr(exc, "sqlite_errorcode", None)
    error.sqlite_errorname = getattr(exc, "sqlite_errorname", None)
    return error


def _error_of(exc: sqlite3.Error, conn) -> StoreError:
    return store_error(exc, getattr(conn, "path", None), busy_timeout=getattr(conn, "busy_timeout", None))


_execute, _executemany, _executescript = (sqlite3.Cursor.execute, sqlite3.Cursor.executemany,
                                          sqlite3.Cursor.executescript)
_fetchone, _fetchmany, _fetchall, _next = (sqlite3.Cursor.fetchone, sqlite3.Cursor.fetchmany, sqlite3.Cursor.fetchall,
                                           sqlite3.Cursor.__next__)


class StoreCursor(sqlite3.Cursor):
    """A cursor of a :class:`StoreConnection`: its failures are StoreErrors. Iterating
    costs one thin Python call per row around the C cursor's own."""

    def execute(self, *args):
        try:
            return _execute(self, *args)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc

    def executemany(self, *args):
        try:
            return _executemany(self, *args)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc

    def executescript(self, *args):
        try:
            return _executescript(self, *args)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc

    def fetchone(self):
        try:
            return _fetchone(self)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc

    def fetchmany(self, *args, **kwargs):
        try:
            return _fetchmany(self, *args, **kwargs)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc

    def fetchall(self):
        try:
            return _fetchall(self)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc

    def __next__(self):
        try:
            return _next(self)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _error_of(exc, self.connection) from exc


class StoreConnection(sqlite3.Connection):
    """An sqlite3 connection to the store whose failures are StoreErrors (:func:`store_error`):
    its ``execute``/``executemany``/``executescript`` (and the :class:`StoreCursor` they
    return), ``commit``, ``rollback``, ``backup`` and the end of a ``with conn:``
    transaction. ``path`` and ``busy_timeout`` go into the messages. Make one with
    :func:`connect`.

    ``with conn:`` is one write transaction, begun with ``BEGIN IMMEDIATE``: it takes the
    write lock first (waiting up to ``busy_timeout`` for another writer), so it never
    fails halfway when another process wrote since it began reading (SQLite cannot wait
    out that case). A ``with conn:`` inside another joins it: only the outermost commits.
    """

    path: str | None = None
    busy_timeout: float | None = None
    read_only: bool = False
    _depth: int = 0

    def __enter__(self):
        if self._depth == 0 and not self.in_transaction and not self.read_only:
            self.execute("BEGIN IMMEDIATE")
        self._depth += 1
        return self

    def cursor(self, factory=None):
        return super().cursor(factory or StoreCursor)

    def execute(self, *args):
        return self.cursor().execute(*args)

    def executemany(self, *args):
        return self.cursor().executemany(*args)

    def executescript(self, *args):
        return self.cursor().executescript(*args)

    def commit(self):
        try:
            return super().commit()
        except sqlite3.Error as exc:
            raise _error_of(exc, self) from exc

    def rollback(self):
        try:
            return super().rollback()
        except sqlite3.Error as exc:
            raise _error_of(exc, self) from exc

    def backup(self, *args, **kwargs):
        try:
            return super().backup(*args, **kwargs)
        except sqlite3.Error as exc:
            raise _error_of(exc, self) from exc

    def __exit__(self, *exc_info):
        self._depth -= 1
        if self._depth > 0:  # an inner block: the outermost one commits or rolls back
            return False
        try:
            return super().__exit__(*exc_info)
        except sqlite3.Error as exc:
            raise _error_of(exc, self) from exc


def connect(path: str | Path, *, read_only: bool = False, timeout: float = BUSY_TIMEOUT) -> StoreConnection:
    """A :class:`StoreConnection` to the SQLite file at ``path`` (``read_only``: opened with
    ``mode=ro``, never created or written); waits up to ``timeout`` seconds for a lock."""
    try:
        if read_only:
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                                   factory=StoreConnection)
        else:
            conn = sqlite3.connect(str(path), timeout=timeout, factory=StoreConnection)
    except sqlite3.Error as exc:
        raise store_error(exc, path, busy_timeout=timeout) from exc
    conn.path, conn.busy_timeout, conn.read_only = str(path), timeout, read_only
    return conn


def open_db(path: str | Path | None = None, *, create: bool = True,
            timeout: float = BUSY_TIMEOUT) -> sqlite_utils.Database:
    """Open the store at ``path`` with WAL and foreign keys on; with ``create`` (the
    default) a missing file becomes a new store, without it a missing store is F307
    (commands that only read or add to a store never create one from a mistyped path).

    A database that has tables but none of factcheck's is refused (F304): its schema is
    never written into someone else's file. The database runs on a
    :class:`StoreConnection`, so whatever fails in SQLite, here or later, is a StoreError
    (:func:`store_error`); ``timeout`` is how long a statement waits for another
    process's write lock.
    """
    path = Path(path or default_db_path())
    if path.parent and not path.parent.exists():
        raise StoreError(f"Directory {str(path.parent)!r} does not exist: create it or choose another --db.",
                         code="F306")
    if not create and not path.exists():
        raise StoreError(f"No store at {str(path)!r}: check --db (or FACTCHECK_DB); `factcheck extract ARTICLES "
                         f"--db {path}` creates one.", code="F307")
    db = sqlite_utils.Database(connect(path, timeout=timeout))
    try:
        foreign = set(db.table_names()) - STORE_TABLES
        if foreign and not set(db.table_names()) & STORE_TABLES:
            raise StoreError(f"{str(path)!r} is an SQLite database but not a factcheck store (its tables: "
                             f"{', '.join(sorted(foreign)[:5])}); factcheck will not add its own tables to it. "
                             "Pass the store with --db (or FACTCHECK_DB).", code="F304")
        db.execute("PRAGMA foreign_keys = ON")
        _prepare(db, timeout)
    except BaseException:
        db.close()
        raise
    return db


def _prepare(db: sqlite_utils.Database, timeout: float) -> None:
    """WAL on and the schema current, retried while another process does the same: while a
    new store switches to WAL, SQLite answers "locked" at once instead of waiting."""
    started = time.monotonic()
    while True:
        try:
            db.enable_wal()
            ensure_schema(db)
            return
        except StoreError as exc:
            waited = time.monotonic() - started
            # A store that another process is creating can read as "not a database" for a moment.
            creating = exc.code == "F304" and exc.sqlite_errorname == "SQLITE_NOTADB" and waited < 2
            if not (exc.code == "F301" and waited < timeout) and not creating:
                raise
            time.sleep(random.uniform(0.02, 0.2))


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Bring the store up to :data:`SCHEMA_VERSION`, one migration at a time.

    Each migration runs in its own transaction and is recorded in
    ``schema_migrations``; an older store is first copied to
    ``<db>.v<N>.bak`` so an upgrade can never lose data. A store written by a
    newer factcheck is refused rather than half-understood.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"This store has schema version {current}, newer than this factcheck understands ({SCHEMA_VERSION}). "
            "Upgrade factcheck (pip install -U factcheck) or open another --db."
        )
    if current == SCHEMA_VERSION:
        return
    if current and store_path(db) is not None:
        _backup_before_upgrade(db, current)
    db.table("schema_migrations").create({"version": int, "name": str, "applied_at": str}, pk="version",
                                         if_not_exists=True)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        migrate = MIGRATIONS[version]
        with db.conn:
            if schema_version(db) >= version:  # another process ran it while this one waited for the lock
                continue
            migrate(db)
            db.table("meta").upsert({"key": "schema_version", "value": str(version)}, pk="key")
            db.table("schema_migrations").upsert(
                {"version": version, "name": (migrate.__doc__ or migrate.__name__).strip().splitlines()[0],
                 "applied_at": datetime.now(UTC).isoformat(timespec="seconds")}, pk="version")


#: Tables whose presence marks a factcheck store (of any schema version).
STORE_TABLES = frozenset({"articles", "claims", "meta", "schema_migrations"})


def check_output(path: str | Path, *, store: str | Path | None = None, force: bool = False) -> Path:
    """A file a command is about to write: refused when it is the store itself (always)
    or when it exists already (unless ``force``), so an export never replaces the store
    or someone's file by a slip of ``--out``. Returns the path."""
    out = Path(path)
    if store is not None and out.exists() and Path(store).exists() and out.resolve() == Path(store).resolve():
        raise StoreError(f"{str(out)!r} is the store itself: writing there would replace it. Choose another "
                         "output file.", code="F309")
    if out.exists() and not force:
        raise StoreError(f"{str(out)!r} exists already: choose another output file, or pass --force to "
                         "replace it.", code="F309")
    return out


def schema_version(db: sqlite_utils.Database) -> int:
    """The store's schema version; 0 for a new file (1 for stores from before versioning)."""
    if "meta" not in db.table_names():
        return 1 if "claims" in db.table_names() else 0
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def store_path(db: sqlite_utils.Database) -> Path | None:
    """The file an open store lives in (None in memory)."""
    name = db.conn.execute("pragma database_list").fetchone()[2]
    return Path(name) if name else None


def _backup_before_upgrade(db: sqlite_utils.Database, version: int) -> Path:
    path = store_path(db)
    assert path is not None  # only called for a store in a file
    dest = path.with_name(f"{path.name}.v{version}.bak")
    target = connect(dest)
    try:
        db.conn.backup(target)  # (the backup API writes and commits the copy itself)
    finally:
        target.close()
    return dest


def _migrate_v1_extraction(db: sqlite_utils.Database) -> None:
    """Articles, sentences, claims and their quantities, times and entities."""
    db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("articles").create(
        {
            "id": str, "doc_key": str, "version": int, "title": str, "url": str, "published": str,
            "source": str, "encoding": str, "format": str, "n_chars": int, "text": str, "extracted_at": str,
        },
        pk="id", not_null={"doc_key", "version", "text"}, if_not_exists=True,
    )
    db.table("sentences").create(
        {"id": str, "article_id": str, "start": int, "end": int, "text": str, "lang": str, "block": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")], if_not_exists=True,
    )
    db.table("claims").create(
        {
            "id": str, "article_id": str, "sentence_id": str, "lang": str, "text": str, "start": int,
            "end": int, "kind": str, "is_claim": int, "checkworthiness": float, "model_version": str,
            "is_caption": int, "carried": str, "reasons": str, "context": str, "extracted_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("sentence_id", "sentences", "id")],
        if_not_exists=True,
    )
    parts = {
        "quantities": {
            "text": str, "start": int, "end": int, "value": float, "low": float, "high": float,
            "unit": str, "per": str, "comparator": str, "approximate": int, "item": str,
        },
        "times": {
            "text": str, "start": int, "end": int, "value": str, "kind": str, "relative": int,
            "resolved": int, "relation": str, "qualifier": str,
        },
        "entities": {"text": str, "label": str, "start": int, "end": int},
    }
    for table, columns in parts.items():
        db.table(table).create(
            {"claim_id": str, "idx": int, **columns},
            pk=("claim_id", "idx"), foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
        )
    for table, indexed in [
        ("articles", ["doc_key"]), ("sentences", ["article_id"]), ("claims", ["article_id"]),
        ("claims", ["kind", "is_claim"]), ("claims", ["lang"]), ("quantities", ["unit", "value"]),
        ("times", ["value"]), ("entities", ["text"]), ("entities", ["label"]),
    ]:
        db.table(table).create_index(indexed, if_not_exists=True)


def _migrate_v2_review(db: sqlite_utils.Database) -> None:
    """Label Studio loop: tasks, outbox, pull state, verdicts and evidence.

    ls_tasks     claim → task map per Label Studio project; re-pushing is a no-op
    ls_outbox    claims handed to the server but not yet confirmed (survives a crash)
    ls_state     per project: the last pull's high-water mark
    verdicts     one row per annotation (several annotators per task), edits update
    evidence     links given with a verdict
    """
    db.table("ls_tasks").create(
        {"claim_id": str, "project_id": int, "task_id": int, "fingerprint": str, "pushed_at": str,
         "updated_at": str},
        pk=("project_id", "claim_id"), foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
    )
    db.table("ls_outbox").create(
        {"claim_id": str, "project_id": int, "batch": str, "queued_at": str},
        pk=("project_id", "claim_id"), foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
    )
    db.table("ls_state").create({"project_id": int, "url": str, "title": str, "last_pull": str},
                                pk="project_id", if_not_exists=True)
    db.table("verdicts").create(
        {"annotation_id": int, "project_id": int, "task_id": int, "claim_id": str, "verdict": str,
         "checkworthy": int, "corrected_claim": str, "span_corrections": str, "annotator": str,
         "lead_time": float, "created_at": str, "updated_at": str, "pulled_at": str, "deleted_at": str,
         "problems": str},
        pk="annotation_id", foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
    )
    db.table("evidence").create(
        {"annotation_id": int, "idx": int, "claim_id": str, "url": str, "note": str},
        pk=("annotation_id", "idx"), foreign_keys=[("annotation_id", "verdicts", "annotation_id")],
        if_not_exists=True,
    )
    for table, columns in [("ls_tasks", ["task_id"]), ("verdicts", ["claim_id"]), ("verdicts", ["task_id"]),
                           ("verdicts", ["verdict"]), ("evidence", ["claim_id"])]:
        db.table(table).create_index(columns, if_not_exists=True)


def _migrate_v3_knowledge_base(db: sqlite_utils.Database) -> None:
    """Knowledge base: verdict sources, stable claim keys, full-text index, claim vectors.

    verdicts.source       labelstudio (default) or the importer's name (claimreview, averitec, liar);
                          imported verdicts have a negative annotation_id derived from their external id
    claim_keys            claim → stable integer key (never reused): rowid of claims_fts, key of vectors
    claims_fts            FTS5 over segmented claim text, sentence and evidence notes (see fts.py)
    claim_vectors         key → encoder model name and the claim's unit-length embedding (float16)
    """
    verdicts = db.table("verdicts")
    if "source" not in verdicts.columns_dict:
        verdicts.add_column("source", str, not_null_default="labelstudio")
    for column in ("rating", "review_url", "claimant", "external_id"):
        if column not in verdicts.columns_dict:
            verdicts.add_column(column, str)
    db.execute(
        "create table if not exists claim_keys (key integer primary key autoincrement, "
        "claim_id text not null unique references claims(id))"
    )
    db.execute("insert or ignore into claim_keys (claim_id) select id from claims order by rowid")
    db.table("claim_vectors").create({"key": int, "model": str, "vector": bytes}, pk="key",
                                     foreign_keys=[("key", "claim_keys", "key")], if_not_exists=True)
    fts.create_fts(db)
    fts.reindex(db)
    for table, columns in [("verdicts", ["source"]), ("verdicts", ["annotator"]), ("verdicts", ["created_at"]),
                           ("claims", ["model_version"]), ("entities", ["claim_id", "label"])]:
        db.table(table).create_index(columns, if_not_exists=True)
    # For factcheck.store.search: case-insensitive entity lookup, and time values by where they end
    # (an interval's right end), so a --since filter narrows by index.
    db.execute("create index if not exists idx_entities_text_nocase on entities (text collate nocase)")
    db.execute("create index if not exists idx_times_value_end on times (substr(value, instr(value, '/') + 1))")
    # Live verdicts newest first (the review time as search._STAMP spells it), so a
    # listing by review reads the newest few instead of sorting them all.
    db.execute("create index if not exists idx_verdicts_reviewed on verdicts (coalesce(nullif(updated_at, ''), "
               "nullif(created_at, ''), nullif(pulled_at, ''), ''), claim_id) "
               "where deleted_at is null and verdict <> ''")


def _migrate_v4_sources(db: sqlite_utils.Database) -> None:
    """Article provenance: every source an article's text came from, decoding replacements, conflicts.

    article_sources       one row per (article, source path or label): what that copy said (title, url,
                          published, encoding, format, replacements), first and last seen
    articles.replacements JSON list of the input byte offsets that decoding replaced with U+FFFD
    articles.conflicts    JSON {field: [kept value, other values seen]} when copies disagree
    """
    articles = db.table("articles")
    for column in ("replacements", "conflicts"):
        if column not in articles.columns_dict:
            articles.add_column(column, str)
    db.table("article_sources").create(
        {"article_id": str, "source": str, "title": str, "url": str, "published": str, "encoding": str,
         "format": str, "replacements": str, "first_seen": str, "last_seen": str},
        pk=("article_id", "source"), foreign_keys=[("article_id", "articles", "id")], if_not_exists=True,
    )
    db.execute(
        "insert or ignore into article_sources (article_id, source, title, url, published, encoding, format, "
        "first_seen, last_seen) select id, coalesce(source, ''), title, url, published, encoding, format, "
        "extracted_at, extracted_at from articles"
    )


def _migrate_v5_antecedent(db: sqlite_utils.Database) -> None:
    """Claims keep their antecedent: the sentence before, for a claim that leaves what it is about to it.

    claims.antecedent     Claim.antecedent ('' when the claim says alone what it is about; claims stored
                          before this version have '' until their article is extracted again)
    """
    claims = db.table("claims")
    if "antecedent" not in claims.columns_dict:
        claims.add_column("antecedent", str, not_null_default="")


#: version → migration; each takes the store from version - 1 to version.
MIGRATIONS = {1: _migrate_v1_extraction, 2: _migrate_v2_review, 3: _migrate_v3_knowledge_base,
              4: _migrate_v4_sources, 5: _migrate_v5_antecedent}


def doc_key_for(article: Article) -> str:
    """What identifies "the same document" across edits: URL, then path, then title, then text."""
    if article.url:
        return article.url
    if article.source and article.source != "<stdin>":
        return str(Path(article.source).resolve())
    if article.title:
        return f"title:{article.title}"
    return f"text:{article.article_id}"


#: Article fields that copies of one text may state differently: merged, never erased.
MERGED_FIELDS = ("title", "url", "published")


def merge_metadata(stored: dict, new: dict) -> tuple[dict, dict[str, list[str]]]:
    """Merge what a new copy of a text says (``new``) into what the store knows (``stored``).

    A new value fills a gap and never erases one; where both have a value and they
    differ, the stored one stays and the pair is a conflict. Returns the merged fields
    and the conflicts (``{field: [kept, other, ...]}``, ``stored["conflicts"]`` included).
    """
    conflicts: dict[str, list[str]] = json.loads(stored.get("conflicts") or "{}")
    merged = {}
    for name in MERGED_FIELDS:
        old, value = stored.get(name), new.get(name)
        merged[name] = old if old else value
        if old and value and value != old:
            seen = conflicts.setdefault(name, [old])
            if value not in seen:
                seen.append(value)
    return merged, conflicts


def save_extraction(db: sqlite_utils.Database, article: Article, claims: Iterable[Claim], *,
                    merge: bool = True) -> dict:
    """Store one article and its candidates; idempotent for the same text.

    When the text is stored already, ``merge`` (the default) keeps what is known
    (:func:`merge_metadata`; times that were resolved against a date stay resolved when
    this copy has none) and adds ``article.source`` to the article's sources. Without
    ``merge`` this copy's title, URL and date replace the stored ones (a verdict import
    re-importing its own record). Everything is written in one short transaction.

    Returns ``{"article_id", "version", "claims", "new_version", "conflicts"}``.
    """
    claims = list(claims)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    key = doc_key_for(article)
    fields = {"title": article.title, "url": article.url, "published": article.published}
    conflicts: dict[str, list[str]] = {}
    keep_times = False
    with db.conn:
        existing = db.execute(
            "select version, doc_key, title, url, published, conflicts, source, encoding, replacements, format "
            "from articles where id = ?", [article.article_id]).fetchone()
        if existing:
            version, new_version = existing[0], False
            stored = dict(zip(("version", "doc_key", "title", "url", "published", "conflicts", "source",
                               "encoding", "replacements", "format"), existing, strict=True))
            if merge:
                key = stored["doc_key"]
                fields, conflicts = merge_metadata(stored, fields)
                keep_times = bool(stored["published"]) and not article.published
        else:
            stored = {}
            latest = db.execute("select max(version) from articles where doc_key = ?", [key]).fetchone()[0]
            version, new_version = (latest or 0) + 1, True
        replacements = json.dumps(article.replacements) if article.replacements else None
        keep = merge and existing
        db.table("articles").upsert(
            {
                "id": article.article_id, "doc_key": key, "version": version, **fields,
                "source": (stored["source"] or article.source) if keep else article.source,
                "encoding": (stored["encoding"] or article.encoding) if keep else article.encoding,
                "replacements": (stored["replacements"] or replacements) if keep else replacements,
                "conflicts": json.dumps(conflicts, ensure_ascii=False) if conflicts else None,
                "format": (stored["format"] or article.format) if keep else article.format,
                "n_chars": len(article.text), "text": article.text, "extracted_at": now,
            },
            pk="id",
        )
        source = article.source or ""
        db.execute(
            "insert into article_sources (article_id, source, title, url, published, encoding, format, "
            "replacements, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "on conflict (article_id, source) do update set title = excluded.title, url = excluded.url, "
            "published = excluded.published, encoding = excluded.encoding, format = excluded.format, "
            "replacements = excluded.replacements, last_seen = excluded.last_seen",
            [article.article_id, source, article.title, article.url, article.published, article.encoding,
             article.format, replacements, now, now])
        sentences = {}
        for claim in claims:
            sid = _sentence_id(article.article_id, claim.sentence_start, claim.sentence_end)
            sentences[sid] = {
                "id": sid, "article_id": article.article_id, "start": claim.sentence_start,
                "end": claim.sentence_end, "text": claim.sentence, "lang": claim.lang,
                "block": "caption" if claim.is_caption else "body",
            }
        db.table("sentences").upsert_all(sentences.values(), pk="id")
        ids = [c.claim_id for c in claims]
        _delete_claims(db, article.article_id, keep=ids)
        db.table("claims").upsert_all((_claim_row(c, now) for c in claims), pk="id")
        db.conn.executemany("insert or ignore into claim_keys (claim_id) values (?)", [(i,) for i in ids])
        resolved = _resolved_times(db, ids) if keep_times else {}
        for table, attr in (("quantities", "quantities"), ("times", "times"), ("entities", "entities")):
            _replace_parts(db, table, ids, claims, attr, resolved if table == "times" else None)
        fts.reindex(db, ids)
    return {"article_id": article.article_id, "version": version, "claims": len(claims),
            "new_version": new_version, "conflicts": conflicts}


def _resolved_times(db: sqlite_utils.Database, ids: list[str]) -> dict[tuple, dict]:
    """(claim id, start, end, text) → the stored row of each resolved time of these claims."""
    found: dict[tuple, dict] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for row in db.query(f"select * from times where resolved = 1 and claim_id in ({','.join('?' * len(chunk))})",
                            chunk):
            found[(row["claim_id"], row["start"], row["end"], row["text"])] = row
    return found


def _sentence_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{article_id}:s:{start}:{end}".encode()).hexdigest()[:16]


def _claim_row(claim: Claim, now: str) -> dict:
    return {
        "id": claim.claim_id, "article_id": claim.article_id,
        "sentence_id": _sentence_id(claim.article_id, claim.sentence_start, claim.sentence_end),
        "lang": claim.lang, "text": claim.text, "start": claim.start, "end": claim.end, "kind": claim.kind,
        "is_claim": int(claim.is_claim), "checkworthiness": claim.checkworthiness,
        "model_version": claim.model_version, "is_caption": int(claim.is_caption),
        "carried": json.dumps(claim.carried, ensure_ascii=False),
        "reasons": json.dumps(claim.reasons, ensure_ascii=False), "context": claim.context,
        "antecedent": claim.antecedent, "extracted_at": now,
    }


def _delete_claims(db: sqlite_utils.Database, article_id: str, keep: list[str]) -> None:
    """Drop an article's claims that the current extraction no longer produces,
    unless they were sent for review or have verdicts: those are never lost."""
    keep_set = set(keep)
    stale = [
        row[0] for row in db.execute(
            "select id from claims where article_id = ? and id not in (select claim_id from ls_tasks) "
            "and id not in (select claim_id from verdicts)", [article_id])
        if row[0] not in keep_set
    ]
    for table in ("quantities", "times", "entities"):
        db.conn.executemany(f"delete from [{table}] where claim_id = ?", [(cid,) for cid in stale])
    keys = [(k,) for cid in stale for (k,) in db.execute("select key from claim_keys where claim_id = ?", [cid])]
    db.conn.executemany(f"delete from {fts.FTS_TABLE} where rowid = ?", keys)
    db.conn.executemany("delete from claim_vectors where key = ?", keys)
    db.conn.executemany("delete from claim_keys where key = ?", keys)
    db.conn.executemany("delete from claims where id = ?", [(cid,) for cid in stale])


def _replace_parts(db, table: str, ids: list[str], claims: list[Claim], attr: str,
                   kept: dict[tuple, dict] | None = None) -> None:
    """Replace the claims' rows of ``table``; a new unresolved row whose (claim, span, text)
    is in ``kept`` takes that stored, resolved row instead."""
    db.conn.executemany(f"delete from [{table}] where claim_id = ?", [(cid,) for cid in ids])
    rows = []
    for claim in claims:
        for idx, part in enumerate(getattr(claim, attr)):
            row = {"claim_id": claim.claim_id, "idx": idx,
                   **{k: _sql(v) for k, v in dataclasses.asdict(part).items()}}
            old = kept.get((claim.claim_id, row["start"], row["end"], row["text"])) if kept else None
            if old is not None and not row.get("resolved"):
                row = {**old, "idx": idx}
            rows.append(row)
    if rows:
        db[table].insert_all(rows, pk=("claim_id", "idx"))


def _sql(value):
    return int(value) if isinstance(value, bool) else value


def article_count(db: sqlite_utils.Database) -> int:
    return db["articles"].count
