"""Edge: browse the store read-only in Datasette, with canned queries for analysts.

In Python::

    from factcheck.store import serve

    path = serve.check_store("factcheck.db")        # F307 missing, F304 not a store
    with serve.bind("127.0.0.1", 8001) as sock, serve.open_app(path) as ds:
        serve.run(ds, sock)                          # blocks; Ctrl-C (SIGINT) stops it

What an analyst gets (:func:`metadata` builds it, a pure function):

- a "Start here" list (``START_HERE``) above Datasette's own lists on the home and
  database pages; the store's bookkeeping tables are hidden;
- three views, added by :func:`ensure_views`: ``claims_overview`` (one row per
  checkable claim, with a search box: Datasette's ``?_search=`` runs the project's own
  Chinese/English query parser, see :func:`register_functions`), ``claim_verdicts``
  (one row per claim with a live verdict: the final verdict, the votes, the evidence
  links) and ``evidence_links`` (one row per evidence link of a live verdict). The final
  verdict follows :func:`factcheck.store.verdicts.final_verdict`: each annotator's latest
  live annotation votes once, the majority wins, a tie goes to the most recent;
- a claim's page as a card (:func:`claim_card`, ``templates/row.html``): the claim, its
  sentence and paragraph, the article with its link and date, quantities, times,
  names, and every live verdict with its evidence links; JSON cells as one short line;
- canned queries (see ``QUERIES``): verdicted claims, claims by quantity unit (as the
  CLI writes it: 桶/日) and value range, claims about an entity, recent verdicts, the unreviewed claims most
  check-worthy first, and conflicting verdicts;
- facets on verdict, kind and language, default sorts, column descriptions and
  label columns, so a foreign key shows the claim text or the article title;
- links: Datasette links each foreign key (claim → article and sentence, verdict →
  claim, evidence → verdict) and lists the rows that point back (an article's
  claims, a claim's verdicts and parts). ``evidence.claim_id`` has no foreign key,
  so a small in-process plugin links ``claim_id``, ``article_id`` and
  ``annotation_id`` cells of the views and queries to their rows, and each URL of
  ``evidence_urls``.

An analyst's own metadata (``--metadata``) is merged over :func:`metadata`, and
``--plugins-dir`` loads their plugins beside this one.

Read-only: Datasette opens a mutable file with ``mode=ro`` for its reads; the
plugin also sets ``PRAGMA query_only`` on every connection to the store,
Datasette's write connection included, and no canned query writes. The only write
is :func:`ensure_views` (``create view``) before the server starts; on a store
that cannot be written the views become per-connection temporary views instead.
"""

from __future__ import annotations

import copy
import errno
import json
import logging
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from datasette import hookimpl

from factcheck.errors import ReportError, StoreError
from factcheck.store.db import connect, open_db, store_error
from factcheck.store.verdicts import FINAL_VERDICT_SQL, live_sql, stamp_sql, voter_sql

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001

# --- SQL: the final verdict of each claim, as verdicts.final_verdict computes it ---------------

#: CTEs ``live`` (live verdict rows with the voter and the time stamp of verdicts.stamp)
#: and ``latest`` (each voter's latest live row per claim).
_LIVE_CTES = f"""live as (
    select annotation_id, claim_id, verdict, source, {voter_sql("")} as voter, {stamp_sql("")} as stamp
    from verdicts
    where {live_sql("")}
),
latest as (
    select * from (
        select live.*, row_number() over (
            partition by claim_id, voter order by stamp desc, annotation_id desc) as nth
        from live)
    where nth = 1
)"""

CLAIM_VERDICTS_SQL = f"""create view claim_verdicts as
with {_LIVE_CTES},
counts as (
    select claim_id, verdict, count(*) as n from latest group by claim_id, verdict
),
tally as (
    select claim_id, group_concat(verdict || '=' || n, '; ') as votes, sum(n) as annotators,
           count(*) as distinct_verdicts
    from (select * from counts order by claim_id, n desc, verdict)
    group by claim_id
),
reviews as (
    select claim_id, nullif(max(stamp), '') as reviewed_at, group_concat(distinct source) as verdict_sources
    from live group by claim_id
),
links as (
    select claim_id, count(*) as evidence_links, group_concat(url, char(10)) as evidence_urls
    from (select distinct e.claim_id, e.url from evidence e join live on live.annotation_id = e.annotation_id
          where coalesce(e.url, '') <> '')
    group by claim_id
)
select c.id as claim_id, c.text as claim, {FINAL_VERDICT_SQL} as verdict, t.votes, t.annotators, t.distinct_verdicts,
       v.reviewed_at, v.verdict_sources, c.kind, c.lang, c.checkworthiness, c.article_id,
       a.title as article_title, a.url as article_url, coalesce(l.evidence_links, 0) as evidence_links,
       l.evidence_urls
from tally t
join claims c on c.id = t.claim_id
join articles a on a.id = c.article_id
join reviews v on v.claim_id = t.claim_id
left join links l on l.claim_id = t.claim_id"""

EVIDENCE_LINKS_SQL = """create view evidence_links as
select e.claim_id, c.text as claim, cv.verdict as final_verdict, e.url, e.note,
       v.verdict as annotation_verdict, v.annotator, v.source,
       coalesce(nullif(v.updated_at, ''), nullif(v.created_at, ''), nullif(v.pulled_at, '')) as reviewed_at,
       e.annotation_id, e.idx
from evidence e
join verdicts v on v.annotation_id = e.annotation_id
join claims c on c.id = e.claim_id
left join claim_verdicts cv on cv.claim_id = e.claim_id
where v.deleted_at is null and coalesce(v.verdict, '') <> '' and coalesce(e.url, '') <> ''"""

#: One row per checkable claim, with what an analyst scans for; ``search_key`` is the
#: claim's rowid in ``claims_fts``, so Datasette's search box (``?_search=``) works here.
CLAIMS_OVERVIEW_SQL = """create view claims_overview as
select c.id as claim_id, c.text as claim, cv.verdict, c.kind, c.lang, c.checkworthiness,
       (select group_concat(q.text, ' · ') from quantities q where q.claim_id = c.id) as quantities,
       (select group_concat(coalesce(t.value, t.text), ' · ') from times t where t.claim_id = c.id) as times,
       a.title as article_title, a.published, c.article_id, k.key as search_key
from claims c
join claim_keys k on k.claim_id = c.id
join articles a on a.id = c.article_id
left join claim_verdicts cv on cv.claim_id = c.id
where c.is_claim = 1"""

#: name → ``create view`` statement; ensure_views keeps the store's copy equal to these
#: (in this order: claims_overview reads claim_verdicts).
VIEWS: dict[str, str] = {"claim_verdicts": CLAIM_VERDICTS_SQL, "evidence_links": EVIDENCE_LINKS_SQL,
                         "claims_overview": CLAIMS_OVERVIEW_SQL}

_STAMP = "coalesce(nullif(v.updated_at, ''), nullif(v.created_at, ''), nullif(v.pulled_at, ''))"
_LIVE_VERDICT = "v.deleted_at is null and coalesce(v.verdict, '') <> ''"

#: Canned queries: name → Datasette query metadata. Empty parameters mean "any".
QUERIES: dict[str, dict] = {
    "verdicted_claims": {
        "title": "Verdicted claims",
        "description": "Each claim with a live verdict: its final verdict (majority of each annotator's latest "
                       "annotation, a tie goes to the most recent), the votes and the evidence links. Leave "
                       "verdict (supported, refuted, misleading, unverifiable, not a claim) or lang (zh, en) "
                       "empty for all.",
        "sql": "select claim_id, claim, verdict, votes, reviewed_at, verdict_sources, evidence_links, "
               "evidence_urls, kind, lang, article_id, article_title, article_url\n"
               "from claim_verdicts\n"
               "where (:verdict = '' or verdict = :verdict) and (:lang = '' or lang = :lang)\n"
               "order by reviewed_at desc, claim_id",
        "params": ["verdict", "lang"],
    },
    "claims_by_quantity": {
        "title": "Claims by quantity unit and value range",
        "description": "Claims with a quantity in a unit, written as for `factcheck search --unit` (桶/日, "
                       "barrels a day, %, 亿美元, kg, or a canonical name: oil_barrel/day, percent, USD, count, "
                       "...), whose value or range overlaps [min, max] (in that unit's canonical terms: barrels, "
                       "not 万桶). A unit with a rate (桶/日) keeps only that rate. An empty min or max is open; "
                       "an empty unit matches every unit.",
        "sql": "select c.id as claim_id, c.text as claim, q.text as quantity, q.value, q.low, q.high, q.unit, "
               "q.per, q.comparator, q.approximate, cv.verdict, c.kind, c.lang, c.article_id\n"
               "from quantities q\n"
               "join claims c on c.id = q.claim_id\n"
               "left join claim_verdicts cv on cv.claim_id = c.id\n"
               "where c.is_claim = 1 and (:unit = '' or (q.unit = factcheck_unit(:unit)\n"
               "  and (factcheck_per(:unit) is null or q.per = factcheck_per(:unit))))\n"
               "  and (:min = '' or coalesce(q.high, q.value, q.low) >= cast(:min as real))\n"
               "  and (:max = '' or coalesce(q.low, q.value, q.high) <= cast(:max as real))\n"
               "order by q.unit, coalesce(q.value, q.low, q.high), c.id",
        "params": ["unit", "min", "max"],
    },
    "claims_about_entity": {
        "title": "Claims about an entity",
        "description": "Claims naming an entity whose text contains the words given (伊朗, Apple, ...); label "
                       "narrows to PERSON, ORG, GPE, LOC, NORP, LAW, ... Verdicted claims come first.",
        "sql": "select distinct c.id as claim_id, c.text as claim, e.text as entity, e.label, cv.verdict, c.kind, "
               "c.lang, c.checkworthiness, c.article_id\n"
               "from entities e\n"
               "join claims c on c.id = e.claim_id\n"
               "left join claim_verdicts cv on cv.claim_id = c.id\n"
               "where c.is_claim = 1 and e.text like '%' || :entity || '%' and (:label = '' or e.label = :label)\n"
               "order by cv.verdict is null, c.checkworthiness desc, c.id",
        "params": ["entity", "label"],
    },
    "recent_verdicts": {
        "title": "Recent verdicts",
        "description": "Live annotations, newest first (one row per annotator's verdict, not the final "
                       "verdict). since is an ISO date or time; empty for all.",
        "sql": f"select * from (\n"
               f"  select {_STAMP} as reviewed_at, v.verdict, v.claim_id, c.text as claim, v.annotator, v.source, "
               f"v.annotation_id,\n"
               f"    (select count(*) from evidence e where e.annotation_id = v.annotation_id) as evidence_links\n"
               f"  from verdicts v join claims c on c.id = v.claim_id\n"
               f"  where {_LIVE_VERDICT})\n"
               f"where :since = '' or reviewed_at >= :since\n"
               f"order by reviewed_at desc, annotation_id desc\n"
               f"limit 500",
        "params": ["since"],
    },
    "review_queue": {
        "title": "Unreviewed claims, most check-worthy first",
        "description": "Claims without a live verdict, by the check-worthiness model's score (unscored last). "
                       "sent_for_review says whether a Label Studio task exists. Leave lang or kind empty for "
                       "all.",
        "sql": "select c.id as claim_id, c.text as claim, c.checkworthiness, c.kind, c.lang,\n"
               "  exists(select 1 from ls_tasks t where t.claim_id = c.id) as sent_for_review, c.article_id\n"
               "from claims c\n"
               "where c.is_claim = 1\n"
               "  and not exists (select 1 from verdicts v where v.claim_id = c.id and "
               f"{_LIVE_VERDICT})\n"
               "  and (:lang = '' or c.lang = :lang) and (:kind = '' or c.kind = :kind)\n"
               "order by c.checkworthiness is null, c.checkworthiness desc, c.id",
        "params": ["lang", "kind"],
    },
    "conflicting_verdicts": {
        "title": "Conflicting verdicts",
        "description": "Claims whose annotators (or verdict sources) disagree: their latest live verdicts "
                       "differ. The final verdict is the majority; adjudicate with `factcheck review "
                       "disagreements`.",
        "sql": "select claim_id, claim, verdict as final_verdict, votes, annotators, verdict_sources, "
               "reviewed_at, kind, lang, article_id\n"
               "from claim_verdicts\n"
               "where distinct_verdicts > 1\n"
               "order by reviewed_at desc, claim_id",
    },
}

#: Columns of views and query results that the plugin links to a row: column → table.
LINKED_COLUMNS = {"claim_id": "claims", "article_id": "articles", "annotation_id": "verdicts"}

_CLAIM_COLUMNS = {
    "id": "sha256 of article id + span: the same article text and span always give the same id",
    "text": "the standalone claim (carried subject and time anchor added where the clause lacks them)",
    "start": "Unicode code-point offset of the source clause in the article text",
    "end": "end offset of the source clause (exclusive)",
    "kind": "numeric, temporal, event, quote, comparative; rejected: opinion, prediction, question, meta",
    "is_claim": "1 for a checkable claim, 0 for a rejected candidate",
    "checkworthiness": "the check-worthiness model's score (null until a model scored it)",
    "model_version": "the model version that gave the score",
    "is_caption": "1 when the sentence is a photo caption",
    "carried": "JSON: what was carried into the text (subject, time, source)",
    "reasons": "JSON: why the kind rules decided what they did",
    "context": "the sentences before and after, in the same paragraph",
}

_TABLES: dict[str, dict] = {
    "articles": {
        "description": "One row per article version; a changed text from the same path or URL is a new row "
                       "with version one higher.",
        "label_column": "title", "sort_desc": "extracted_at", "facets": ["format", "encoding"],
        "columns": {"id": "sha256 of the article text (16 hex)", "doc_key": "URL, path or title: the same "
                    "document across edits", "published": "publication date, from metadata or the byline",
                    "source": "the input path, or <stdin>", "n_chars": "length of text in code points"},
    },
    "sentences": {
        "description": "Source sentences of the stored claims.",
        "label_column": "text", "facets": ["lang", "block"],
        "columns": {"block": "body or caption"},
    },
    "claims": {
        "description": "Claims and rejected candidates. Each links to its article and sentence; the verdicts, "
                       "quantities, times and entities that point at a claim are listed on its page.",
        "label_column": "text", "sort_desc": "checkworthiness", "facets": ["kind", "lang", "is_claim"],
        "columns": _CLAIM_COLUMNS,
    },
    "quantities": {
        "description": "Quantities of claims: a value, or low/high bounds, in a canonical unit.",
        "facets": ["unit", "comparator"],
        "columns": {"value": "a single number (null for a range)", "low": "lower bound of a range",
                    "high": "upper bound of a range", "unit": "canonical unit (pint names, percent, ISO "
                    "currency, count, person, ...)", "per": "rate: per day, per year, ...",
                    "comparator": "<, >, <=, >= from 不足, 以上, at least, capped at, ...",
                    "approximate": "1 for 约, 近, about, nearly", "item": "the counted noun"},
    },
    "times": {
        "description": "Time anchors of claims as ISO 8601 partial dates or EDTF intervals.",
        "facets": ["kind", "relation"],
        "columns": {"value": "2019-09, 2024-Q3, 195X, 2015/2018, ...", "relation": "by, since, until, before, "
                    "after", "resolved": "1 when a relative time was resolved against the publication date"},
    },
    "entities": {
        "description": "Named entities of claims.",
        "facets": ["label"],
        "columns": {"label": "PERSON, ORG, GPE, LOC, NORP, LAW, ..."},
    },
    "verdicts": {
        "description": "One row per annotation (several annotators per claim); imported verdicts have a negative "
                       "annotation_id. Only rows with deleted_at empty count. The final verdict per claim is in "
                       "the claim_verdicts view.",
        "label_column": "verdict", "sort_desc": "created_at", "facets": ["verdict", "source", "annotator"],
        "columns": {"verdict": "supported, refuted, misleading, unverifiable or not a claim",
                    "source": "labelstudio, or the importer's name (claimreview, ...)",
                    "deleted_at": "set when the annotation was deleted in Label Studio",
                    "problems": "JSON: what did not validate in the annotation"},
    },
    "evidence": {
        "description": "Evidence links given with a verdict; each links to its verdict. The evidence_links view "
                       "adds the claim and its final verdict.",
        "columns": {"idx": "position in the annotation's list", "note": "the annotator's note"},
    },
    "claim_verdicts": {
        "description": "One row per claim with a live verdict: the final verdict (majority of each annotator's "
                       "latest annotation; a tie goes to the most recent), the votes and the evidence links.",
        "sort_desc": "reviewed_at", "facets": ["verdict", "kind", "lang"],
        "columns": {"verdict": "the final verdict", "votes": "verdict=count over each annotator's latest "
                    "annotation", "annotators": "how many annotators voted",
                    "distinct_verdicts": "more than 1 means the annotators disagree",
                    "reviewed_at": "the latest live annotation's time", "verdict_sources": "labelstudio, "
                    "claimreview, ...", "evidence_urls": "one URL per line"},
    },
    "evidence_links": {
        "description": "One row per evidence link of a live verdict, with the claim and its final verdict.",
        "sort_desc": "reviewed_at", "facets": ["final_verdict", "source"],
        "columns": {"annotation_verdict": "the verdict this annotation gave",
                    "final_verdict": "the claim's final verdict"},
    },
    "claims_overview": {
        "description": "Every checkable claim, one row each, with its final verdict, quantities, times and "
                       "article. The search box finds Chinese and English words as `factcheck search` does "
                       "(石油出口, exports -Iran, \"13万桶\"); a claim's id opens its card.",
        "fts_table": "claims_fts", "fts_pk": "search_key", "sort_desc": "checkworthiness",
        "facets": ["verdict", "kind", "lang"],
        "columns": {"verdict": "the final verdict (empty: not reviewed)", "quantities": "as written in the claim",
                    "times": "resolved time anchors (ISO 8601 / EDTF)", "search_key": "the claim's rowid in "
                    "the full-text index (claims_fts)"},
    },
    # Internal bookkeeping: hidden from the lists (still reachable by URL and SQL).
    "ls_tasks": {"description": "Claim → Label Studio task map per project: a claim here was sent for review.",
                 "facets": ["project_id"], "hidden": True},
    "ls_outbox": {"description": "Claims handed to Label Studio but not yet confirmed (survives a crash).",
                  "hidden": True},
    "ls_state": {"description": "Per Label Studio project: the last pull's high-water mark.",
                 "label_column": "title", "hidden": True},
    "meta": {"description": "Store metadata; schema_version lives here.", "hidden": True},
    "schema_migrations": {"description": "One row per schema migration run.", "hidden": True},
    "claims_fts": {"hidden": True}, "claim_vectors": {"hidden": True}, "claim_keys": {"hidden": True},
    "annotation_problems": {"description": "Annotations Label Studio holds that could not be read in full "
                                           "(factcheck review problems lists them).", "hidden": True},
    "article_sources": {"description": "Every file or URL an article's text came from.", "hidden": True},
}

#: What the index and database pages list first, in this order: (title, table or query, what it is).
START_HERE = [
    ("Search claims", "claims_overview", "every checkable claim, with a search box for Chinese and English"),
    ("Verdicted claims", "claim_verdicts", "final verdicts with votes and evidence links"),
    ("Evidence links", "evidence_links", "one row per evidence link of a live verdict"),
    ("Claims by quantity", "claims_by_quantity", "unit words as the CLI takes them (桶/日) and a value range"),
    ("Unreviewed claims", "review_queue", "most check-worthy first"),
    ("Conflicting verdicts", "conflicting_verdicts", "claims whose annotators disagree"),
]

#: Columns holding JSON, shown as short text in tables (the raw JSON is in the row's .json).
JSON_COLUMNS = {("claims", "carried"), ("claims", "reasons"), ("verdicts", "problems"),
                ("verdicts", "span_corrections")}
TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


def metadata(db_name: str, *, title: str = "factcheck store") -> dict:
    """Datasette metadata for a store served under ``db_name`` (pure).

    Title and description, the canned ``QUERIES``, and per table and view: a
    description, column descriptions, default facets and sort, and the
    ``label_column`` that foreign keys display.
    """
    return {
        "title": title,
        "extra_css_urls": ["/factcheck-static/factcheck.css"],
        "description": "Claims extracted from Chinese and English articles, with their quantities, time anchors "
                       "and entities, and the verdicts and evidence from review. Read-only.",
        "databases": {
            db_name: {
                "description": "Start with a search (claims_overview) or a canned query. A claim's page is a "
                               "card with its context, article, verdicts and evidence links.",
                "tables": copy.deepcopy(_TABLES),
                "queries": copy.deepcopy(QUERIES),
            }
        },
    }


# --- edges ----------------------------------------------------------------------------------


def check_store(path: str | Path) -> Path:
    """The store's path, after checking it exists and holds factcheck's tables.

    Raises StoreError F307 when there is no file and F304 when the file is not
    a factcheck store (any other SQLite failure as :func:`~factcheck.store.db.store_error`
    tells it); unlike :func:`factcheck.store.db.open_db` it never creates one.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            f"No store at {str(path)!r}. Extract articles into it first (`factcheck extract ARTICLES --db "
            f"{path}`), or point --db (or FACTCHECK_DB) at an existing store.", code="F307")
    conn = connect(path, read_only=True)
    try:
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
    finally:
        conn.close()
    if "claims" not in tables or "articles" not in tables:
        raise StoreError(f"{str(path)!r} is a SQLite database but not a factcheck store (it has no claims and "
                         "articles tables). Point --db (or FACTCHECK_DB) at a factcheck store.", code="F304")
    return path


def ensure_views(conn: sqlite3.Connection, *, temp: bool = False) -> bool:
    """Create or update the ``VIEWS`` in the store; True if they are there afterwards.

    A view whose stored SQL differs from ``VIEWS`` is replaced. On a store that
    cannot be written this returns False; ``temp=True`` then creates them as
    temporary views of ``conn`` alone (a read-only connection can do that).
    """
    try:
        with conn:
            for name, sql in VIEWS.items():
                if temp:
                    conn.execute(sql.replace("create view", "create temp view if not exists", 1))
                    continue
                found = conn.execute("select type, sql from sqlite_master where name = ?", [name]).fetchone()
                if found and found[0] != "view":
                    logger.warning("The store has a %s named %s; the view of that name is not added", found[0], name)
                    continue
                if found and found[1] == "CREATE VIEW" + sql[len("create view"):]:  # as SQLite stores it
                    continue
                conn.execute(f"drop view if exists main.[{name}]")
                conn.execute(sql)
    except (sqlite3.Error, StoreError) as exc:  # a raw connection's error, or a StoreConnection's
        if temp or store_error(exc).code != "F302":
            raise
        logger.warning("The store is read-only (%s); its views are added to each connection instead", exc)
        return False
    return True


class _Plugin:
    """Datasette hooks for one served store: read-only connections, and links where
    Datasette makes none (views, query results, foreign keys on a row's own page)."""

    __name__ = __name__  # Datasette lists plugins by module name

    def __init__(self, db_name: str, *, temp_views: bool, foreign_keys: dict[tuple[str, str], tuple[str, str]]):
        self.db_name, self.temp_views, self.foreign_keys = db_name, temp_views, foreign_keys

    @hookimpl(trylast=True)  # after Datasette's own functions, so that escape_fts is ours
    def prepare_connection(self, conn, database, datasette):
        if database != self.db_name:
            return
        if self.temp_views:
            ensure_views(conn, temp=True)
        conn.execute("PRAGMA query_only = 1")
        register_functions(conn)

    @hookimpl
    def extra_template_vars(self, template, database, table, view_name, request, datasette):
        if database not in (None, self.db_name):
            return None
        start = [{"title": title, "description": what, "url": (
            datasette.urls.table(self.db_name, name) if name in VIEWS else datasette.urls.query(self.db_name, name))}
            for title, name, what in START_HERE]
        if view_name != "row" or table != "claims" or not request:
            return {"factcheck_start": start}
        from datasette.utils import tilde_decode

        claim_id = tilde_decode(request.url_vars.get("pks", ""))

        async def card():
            db = datasette.get_database(database)
            found = await db.execute_fn(lambda conn: claim_card(conn, claim_id))
            return {"factcheck_start": start, "factcheck_card": found}

        return card

    @hookimpl
    def handle_exception(self, datasette, request, exception):
        # Datasette prints every error, a mistyped query included, as a rich traceback with
        # locals (open_app turns that off); the page shows 4xx errors, so only 5xx are logged.
        status = getattr(exception, "status", 500)
        if not isinstance(status, int) or status >= 500:
            logger.error("Datasette failed on %s", request.path, exc_info=exception)
        return None  # Datasette's own handler renders the error page

    @hookimpl
    def render_cell(self, value, column, table, database, datasette):
        if database != self.db_name or value in (None, "") or not isinstance(value, (str, int)):
            return None  # an expanded foreign key arrives as a dict: Datasette links it itself
        from datasette.utils import tilde_encode
        from markupsafe import Markup

        if (table, column) in JSON_COLUMNS and isinstance(value, str):
            return _json_cell(value)
        if table is None or table in VIEWS:
            if column == "evidence_urls" and isinstance(value, str):
                urls = [u.strip() for u in value.splitlines() if u.strip().startswith(("http://", "https://"))]
                return Markup("<br>").join(Markup('<a href="{0}">{0}</a>').format(u) for u in urls) or None
            if column in LINKED_COLUMNS:
                href = datasette.urls.row(database, LINKED_COLUMNS[column], tilde_encode(str(value)))
                return Markup('<a href="{}">{}</a>').format(href, value)
            return None
        if table == "claims" and column == "id":  # only a claim's own page shows its id cell
            claim = tilde_encode(str(value))
            return Markup('{} · <a href="{}?claim_id={}">final verdict</a> · <a href="{}?claim_id={}">evidence '
                          'links</a>').format(value, datasette.urls.table(database, "claim_verdicts"), claim,
                                              datasette.urls.table(database, "evidence_links"), claim)
        target = self.foreign_keys.get((table, column))
        if target is None:
            return None
        other_table, other_column = target
        label_column = _TABLES.get(other_table, {}).get("label_column")

        async def link():
            label = None
            if label_column:
                found = (await datasette.get_database(database).execute(
                    f"select [{label_column}] from [{other_table}] where [{other_column}] = ?", [value])).first()
                label = found[0] if found else None
            href = datasette.urls.row(database, other_table, tilde_encode(str(value)))
            return Markup('<a href="{}">{}</a>{}').format(href, value, f" {label}" if label else "")

        return link


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the views and canned queries use, on one connection:

    - ``escape_fts(text)``: Datasette passes the search box (``?_search=``) through it;
      on the store it becomes the project's own parser (:func:`fts_match`), so 石油出口
      finds jieba's words and character phrases as ``factcheck search`` does;
    - ``factcheck_unit(spec)`` and ``factcheck_per(spec)``: the canonical unit and rate of
      a unit written as the CLI takes it (桶/日 → oil_barrel, day).
    """
    conn.create_function("escape_fts", 1, fts_match, deterministic=True)
    conn.create_function("factcheck_unit", 1, lambda spec: _unit_spec(spec)[0], deterministic=True)
    conn.create_function("factcheck_per", 1, lambda spec: _unit_spec(spec)[1], deterministic=True)


def fts_match(text: str | None) -> str:
    """The FTS5 MATCH expression for what a user typed (:func:`factcheck.store.fts.parse_query`);
    a query of exclusions alone matches nothing rather than failing."""
    from factcheck.store.fts import parse_query

    return parse_query(text).match or '"\u2400"'


def _unit_spec(spec: str | None) -> tuple[str | None, str | None]:
    """(canonical unit, rate) of a unit as the CLI takes it; an unknown unit is kept as
    written (so it matches nothing, or a unit named exactly so)."""
    from factcheck.errors import InputError
    from factcheck.store.search import parse_unit

    if not spec or not spec.strip():
        return None, None
    try:
        return parse_unit(spec)
    except InputError:
        return spec, None


def _json_cell(value: str):
    """A JSON cell as one short line: ``subject: 伊朗; time: 2019年`` or ``has a quantity, ...``."""
    from markupsafe import Markup

    try:
        data = json.loads(value)
    except ValueError:
        return None
    if isinstance(data, dict):
        text = "; ".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                         for k, v in data.items() if v not in (None, "", [], {}))
    elif isinstance(data, list):
        text = ", ".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in data)
    else:
        return None
    return Markup('<span class="factcheck-json">{}</span>').format(text or "–")


def claim_card(conn: sqlite3.Connection, claim_id: str) -> dict | None:
    """Everything a claim's page shows as a card (pure SQL on an open connection): the claim,
    its sentence and context, the article, quantities, times, entities, the final verdict
    and every live verdict with its evidence links; None for an unknown id."""
    from factcheck.store.search import format_quantity

    def rows(sql: str, *params) -> list[dict]:
        cursor = conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    found = rows("select c.id, c.text, c.kind, c.lang, c.is_claim, c.checkworthiness, c.context, c.article_id, "
                 "s.text as sentence, a.title as article_title, a.url as article_url, a.published, a.source "
                 "from claims c left join sentences s on s.id = c.sentence_id "
                 "left join articles a on a.id = c.article_id where c.id = ?", claim_id)
    if not found:
        return None
    card = found[0]
    card["quantities"] = [dict(q, shown=format_quantity(q)) for q in rows(
        "select text, value, low, high, unit, per, comparator, approximate, item from quantities "
        "where claim_id = ? order by idx", claim_id)]
    card["times"] = rows("select text, value, relation from times where claim_id = ? order by idx", claim_id)
    card["entities"] = rows("select distinct text, label from entities where claim_id = ?", claim_id)
    final = rows("select verdict, votes, reviewed_at from claim_verdicts where claim_id = ?", claim_id)
    card["final"] = final[0] if final else None
    card["verdicts"] = rows(
        f"select annotation_id, verdict, annotator, source, rating, review_url, claimant, {_STAMP} as reviewed_at "
        f"from verdicts v where v.claim_id = ? and {_LIVE_VERDICT} order by reviewed_at desc", claim_id)
    for verdict in card["verdicts"]:
        verdict["evidence"] = rows("select url, note from evidence where annotation_id = ? order by idx",
                                   verdict["annotation_id"])
    return card


def _merge(ours: dict, theirs: dict) -> dict:
    """``theirs`` over ``ours``, dictionaries merged key by key (an analyst's --metadata)."""
    out = dict(ours)
    for key, value in theirs.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_metadata(path: str | Path) -> dict:
    """An analyst's Datasette metadata file (JSON or YAML, as ``datasette --metadata``
    takes it). Raises ReportError F803 when it cannot be read."""
    from datasette.utils import BadMetadataError, parse_metadata

    path = Path(path)
    try:
        data = parse_metadata(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, BadMetadataError) as exc:
        raise ReportError(f"Cannot read the metadata file {str(path)!r} ({exc}). Give a JSON or YAML file as "
                          "for `datasette --metadata`.", code="F803") from exc
    if not isinstance(data, dict):
        raise ReportError(f"The metadata file {str(path)!r} holds no mapping. Give a JSON or YAML object as for "
                          "`datasette --metadata`.", code="F803")
    return data


@contextmanager
def open_app(path: str | Path, *, title: str = "factcheck store", extra_metadata: dict | None = None,
             plugins_dir: str | Path | None = None) -> Iterator:
    """A ``datasette.app.Datasette`` serving the store at ``path`` read-only.

    Upgrades an older store (``open_db``) and adds the views first; the
    Datasette plugin that keeps connections read-only and links the views is
    registered while the context is open.

    :param extra_metadata: Datasette metadata merged over factcheck's (``--metadata``):
        a table's description, more canned queries, a license.
    :param plugins_dir: a folder of Datasette plugins (``--plugins-dir``), loaded as
        ``datasette --plugins-dir`` loads them; its templates are not factcheck's,
        which are in ``factcheck/store/templates`` (index, database and row pages).
    """
    from datasette.app import Datasette  # first: importing it registers Datasette's default plugins

    # isort: split
    from datasette import handle_exception as datasette_errors
    from datasette.plugins import pm

    path = check_store(path)
    db = open_db(path)
    try:
        persisted = ensure_views(db.conn)
        foreign_keys = {(table, fk.column): (fk.other_table, fk.other_column)
                        for table in db.table_names() for fk in db.table(table).foreign_keys
                        if fk.column is not None and fk.other_column is not None}  # compound keys link no cell
    finally:
        db.close()
    db_name = path.stem
    plugin = _Plugin(db_name, temp_views=not persisted, foreign_keys=foreign_keys)
    pm.register(plugin, name=f"factcheck-serve-{id(plugin)}")
    saved_rich, datasette_errors.rich = datasette_errors.rich, None  # see handle_exception
    ds = None
    try:
        ds = Datasette(
            [str(path)], metadata=_merge(metadata(db_name, title=title), extra_metadata or {}),
            settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 500, "suggest_facets": True},
            template_dir=str(TEMPLATES), static_mounts=[("factcheck-static", str(STATIC))],
            plugins_dir=str(plugins_dir) if plugins_dir else None,
        )
        if db_name not in ds.databases:  # pragma: no cover - Datasette names a file by its stem
            raise ReportError(f"Datasette named the store {list(ds.databases)} rather than {db_name!r}.")
        yield ds
    finally:
        if ds is not None:
            for database in ds.databases.values():
                database.close()
        pm.unregister(plugin)
        datasette_errors.rich = saved_rich


@contextmanager
def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Iterator[socket.socket]:
    """A TCP socket bound to ``host:port`` (port 0: any free port), closed on exit.

    Raises ReportError F802 when the port is taken or the host is not an
    address of this machine.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise ReportError(f"Cannot listen on {host!r} ({exc}). Use --host 127.0.0.1.", code="F802") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart right after Ctrl-C works
        sock.bind(address)
    except OSError as exc:
        sock.close()
        busy = exc.errno == errno.EADDRINUSE
        hint = (f"Port {port} on {host} is already in use (another `factcheck serve` or Datasette?). Stop that "
                "server, or pick another port with --port N (--port 0 takes any free port)." if busy else
                f"Cannot listen on {host}:{port} ({exc}). Use --host 127.0.0.1 and a port above 1023.")
        raise ReportError(hint, code="F802") from exc
    try:
        yield sock
    finally:
        sock.close()


def url_for(sock: socket.socket, db_name: str | None = None) -> str:
    """``http://HOST:PORT/`` (plus the database's path) of a bound socket."""
    from datasette.utils import tilde_encode

    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/" + (tilde_encode(db_name) if db_name else "")


def run(ds, sock: socket.socket, *, log_level: str = "warning") -> None:
    """Serve ``ds`` on ``sock`` until SIGINT or SIGTERM (uvicorn shuts down gracefully).

    After a SIGINT, uvicorn raises it again once it has stopped, so Ctrl-C ends
    in KeyboardInterrupt; the CLI catches it.
    """
    import uvicorn

    config = uvicorn.Config(ds.app(), log_level=log_level, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
