"""Counts of the store's review work: totals and final verdicts by month, source and kind.

:func:`stats` is the pure core (it only reads an open store); :func:`tables`
turns its result into rich tables and :func:`plot` into one PNG. In Python::

    from factcheck.store import stats
    from factcheck.store.db import open_db

    result = stats.stats(open_db("factcheck.db"))
    result["totals"]["verdicted"], result["by_month"]
    stats.plot(result, "stats.png")

Verdict counts use each claim's final verdict (:func:`factcheck.store.verdicts.final_verdict`:
each annotator's latest live annotation votes once, the majority wins, a tie goes
to the most recent), so a claim counts once however many annotators saw it. Two
breakdowns differ on purpose:

by_month          the month of the claim's latest live annotation (as export's ``reviewed_at``)
by_article_source the article URL's host (``www.`` dropped), else the folder of its path
                  (``examples``), else the path itself (``<stdin>``); claims that came with
                  imported verdicts group by importer (``liar (imported)``)
by_verdict_source the final verdict among that source's annotations alone, so a claim that
                  Label Studio annotators and an imported ClaimReview both judged counts
                  once under ``labelstudio`` and once under ``claimreview``
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from factcheck.errors import ReportError
from factcheck.store.verdicts import final_verdict, stamp

#: Verdicts in the order tables and charts show them; others follow alphabetically.
VERDICT_ORDER = ("supported", "misleading", "unverifiable", "refuted", "not a claim")
VERDICT_COLOURS = {"supported": "#2e7d32", "misleading": "#f9a825", "unverifiable": "#9e9e9e",
                   "refuted": "#c62828", "not a claim": "#5c6bc0"}
TOTAL_LABELS = {
    "articles": "articles", "candidates": "candidates (claims and rejected)", "claims": "claims",
    "sent_for_review": "claims sent for review", "verdicted": "verdicted claims",
    "evidence_links": "evidence links",
}
BREAKDOWNS = {"by_month": "month of review", "by_article_source": "article source",
              "by_verdict_source": "verdict source", "by_kind": "claim kind"}


def _host(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return (host[4:] if host.startswith("www.") else host) or None


def article_origin(url: str | None, source: str | None) -> str:
    """Where an article came from: its URL's host, else its path's folder, else the path.
    An imported verdict's claim (source ``liar:2635``, ``claimreview:https://…``) comes
    from its importer: ``liar (imported)``, not one group per record."""
    if url and (host := _host(url)):
        return host
    if not source:
        return "unknown"
    importer, colon, rest = source.partition(":")
    if colon and importer.isalpha() and len(importer) > 1:  # not C:\ nor a plain path
        if rest.startswith("//"):  # a URL given as the source
            return _host(source) or source
        return f"{importer} (imported)"
    parent = PurePath(source).parent
    return source if str(parent) in ("", ".") else str(parent)


def _month(stamp: str | None) -> str:
    if stamp and len(stamp) >= 7 and stamp[:4].isdigit() and stamp[4] == "-" and stamp[5:7].isdigit():
        return stamp[:7]
    return "unknown"


def _ordered(table: dict[str, Counter], *, by_key: bool = False) -> dict[str, dict[str, int]]:
    keys = sorted(table) if by_key else sorted(table, key=lambda k: (-sum(table[k].values()), k))
    return {k: dict(sorted(table[k].items(), key=lambda kv: verdict_rank(kv[0]))) for k in keys}


def verdict_rank(verdict: str) -> tuple[int, str]:
    """Sort key: the verdicts of ``VERDICT_ORDER`` first, in that order."""
    return (VERDICT_ORDER.index(verdict), "") if verdict in VERDICT_ORDER else (len(VERDICT_ORDER), verdict)


def stats(db) -> dict:
    """Totals and final-verdict counts of the store ``db`` (a sqlite-utils Database).

    Returns ``{"totals", "verdicts", "by_month", "by_article_source",
    "by_verdict_source", "by_kind"}``. ``totals`` has ``articles``, ``candidates``
    (every stored candidate), ``claims`` (``is_claim``), ``sent_for_review``
    (claims with a Label Studio task), ``verdicted`` (claims with a final
    verdict) and ``evidence_links`` (distinct claim and URL pairs of live
    annotations, as exports list them). ``verdicts`` maps verdict → claims;
    each ``by_*`` maps a key → {verdict: claims}, months in order, the others
    largest first.
    """
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    live: dict[str, list[dict]] = defaultdict(list)
    claim_info: dict[str, dict] = {}
    for row in db.query(
        "select v.*, c.kind as claim_kind, a.url as article_url, a.source as article_source "
        "from verdicts v join claims c on c.id = v.claim_id join articles a on a.id = c.article_id "
        "where v.deleted_at is null and v.verdict is not null and v.verdict <> ''"
    ):
        live[row["claim_id"]].append(row)
        claim_info[row["claim_id"]] = row
    verdicts: Counter = Counter()
    by_month: dict[str, Counter] = defaultdict(Counter)
    by_origin: dict[str, Counter] = defaultdict(Counter)
    by_source: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for claim_id, rows in live.items():
        verdict, _ = final_verdict(rows)
        if verdict is None:
            continue
        info = claim_info[claim_id]
        verdicts[verdict] += 1
        by_month[_month(max(stamp(r)[0] for r in rows))][verdict] += 1
        by_origin[article_origin(info["article_url"], info["article_source"])][verdict] += 1
        by_kind[info["claim_kind"] or "unknown"][verdict] += 1
        for source in sorted({r.get("source") or "labelstudio" for r in rows}):
            own, _ = final_verdict([r for r in rows if (r.get("source") or "labelstudio") == source])
            if own is not None:
                by_source[source][own] += 1
    live_ids = [r["annotation_id"] for rows in live.values() for r in rows]
    links = set()
    for i in range(0, len(live_ids), 500):
        chunk = live_ids[i : i + 500]
        links.update(db.execute(
            f"select claim_id, url from evidence where coalesce(url, '') <> '' and annotation_id in "
            f"({','.join('?' * len(chunk))})", chunk).fetchall())
    totals = {
        "articles": one("select count(*) from articles"),
        "candidates": one("select count(*) from claims"),
        "claims": one("select count(*) from claims where is_claim = 1"),
        "sent_for_review": one("select count(distinct claim_id) from ls_tasks"),
        "verdicted": sum(verdicts.values()),
        "evidence_links": len(links),
    }
    return {
        "totals": totals,
        "verdicts": dict(sorted(verdicts.items(), key=lambda kv: verdict_rank(kv[0]))),
        "by_month": _ordered(by_month, by_key=True),
        "by_article_source": _ordered(by_origin),
        "by_verdict_source": _ordered(by_source),
        "by_kind": _ordered(by_kind),
    }


def _verdict_columns(result: dict) -> list[str]:
    seen = set(result["verdicts"])
    for key in BREAKDOWNS:
        for counts in result[key].values():
            seen.update(counts)
    return sorted(seen, key=verdict_rank)


def tables(result: dict) -> list:
    """rich Tables of a :func:`stats` result: the totals, then one per breakdown."""
    from rich.table import Table

    totals = Table(title="Store totals")
    totals.add_column("what")
    totals.add_column("count", justify="right")
    for key, label in TOTAL_LABELS.items():
        totals.add_row(label, f"{result['totals'][key]:,}")
    out = [totals]
    columns = _verdict_columns(result)
    for key, label in BREAKDOWNS.items():
        table = Table(title=f"Final verdicts by {label}")
        table.add_column(label, overflow="fold")
        for verdict in columns:
            table.add_column(verdict, justify="right")
        table.add_column("total", justify="right")
        for name, counts in result[key].items():
            table.add_row(name, *(str(counts.get(v, 0)) for v in columns), str(sum(counts.values())))
        if not result[key]:
            table.add_row("(no verdicts yet)", *("" for _ in columns), "0")
        out.append(table)
    return out


def _ascii(label: str, width: int = 28) -> str:
    """An ASCII chart label (no CJK font is needed): other characters become '?'."""
    text = label.encode("ascii", "replace").decode("ascii")
    return text if len(text) <= width else text[: width - 3] + "..."


def _stacked(ax, result: dict, key: str, columns: list[str], *, horizontal: bool) -> None:
    from matplotlib.ticker import MaxNLocator

    data = result[key]
    ax.set_title(f"Final verdicts by {BREAKDOWNS[key]}", fontsize=10)
    if not data:
        ax.text(0.5, 0.5, "no verdicts yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    names = list(data)[:15] if horizontal else list(data)
    labels = [_ascii(n) for n in names]
    base = [0] * len(names)
    for verdict in columns:
        values = [data[n].get(verdict, 0) for n in names]
        if not any(values):
            continue
        colour = VERDICT_COLOURS.get(verdict)
        if horizontal:
            ax.barh(labels, values, left=base, label=verdict, color=colour)
        else:
            ax.bar(labels, values, bottom=base, label=verdict, color=colour)
        base = [b + v for b, v in zip(base, values)]
    if horizontal:
        ax.invert_yaxis()
        ax.set_xlabel("claims")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.set_ylabel("claims")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize=8)


def plot(result: dict, path: str | Path) -> Path:
    """Write a :func:`stats` result as one PNG with six panels; returns the path.

    Raises ReportError F804 when the file cannot be written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    path = Path(path)
    fig = Figure(figsize=(16, 9), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3)
    totals = result["totals"]
    ax = axes[0][0]
    ax.barh([TOTAL_LABELS[k] for k in TOTAL_LABELS], [totals[k] for k in TOTAL_LABELS], color="#455a64")
    ax.invert_yaxis()
    ax.set_title("Store totals", fontsize=10)
    for i, key in enumerate(TOTAL_LABELS):
        ax.annotate(f" {totals[key]:,}", (totals[key], i), va="center", fontsize=8)
    columns = _verdict_columns(result)
    _stacked(axes[0][1], result, "by_month", columns, horizontal=False)
    ax = axes[0][2]
    ax.set_title("Final verdicts", fontsize=10)
    if result["verdicts"]:
        ax.bar(list(result["verdicts"]), list(result["verdicts"].values()),
               color=[VERDICT_COLOURS.get(v, "#607d8b") for v in result["verdicts"]])
        ax.set_ylabel("claims")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.text(0.5, 0.5, "no verdicts yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    for ax, key in zip(axes[1], ("by_article_source", "by_verdict_source", "by_kind")):
        _stacked(ax, result, key, columns, horizontal=True)
    fig.suptitle(f"factcheck store: {totals['verdicted']:,} verdicted of {totals['claims']:,} claims")
    try:
        fig.savefig(path, format="png", dpi=100)
    except OSError as exc:
        raise ReportError(f"Cannot write the plot to {str(path)!r} ({exc.strerror or exc}). Check that the folder "
                          "exists and is writable, or choose another --plot path.", code="F804") from exc
    return path
