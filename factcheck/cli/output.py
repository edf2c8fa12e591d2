"""What the commands print: the consoles, tables and progress bars (only the CLI talks to
the terminal). Tables go to stdout, messages and progress to stderr."""

from __future__ import annotations

import dataclasses
import json
import os
import sys

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from factcheck.records import Claim
from factcheck.store import search

err_console = Console(stderr=True, soft_wrap=True)  # never re-wrap paths and messages
#: Width of tables written to a file or pipe (rich would squeeze them into 80 columns).
PIPE_WIDTH = 200


def table_console() -> Console:
    """A console for tables on stdout: the terminal's width, or ``PIPE_WIDTH`` when
    stdout is a file or pipe and ``COLUMNS`` does not say otherwise."""
    console = Console()
    if console.is_terminal or "COLUMNS" in os.environ:
        return console
    return Console(width=PIPE_WIDTH)


def say(message: str) -> None:
    """One message on stderr, as written (rich markup such as ``[red]`` still applies)."""
    err_console.print(message, highlight=False)


def echo_json(row: dict) -> None:
    """One JSON object on a line of stdout (non-ASCII text as is)."""
    click.echo(json.dumps(row, ensure_ascii=False))


# --- progress -----------------------------------------------------------------------------


def progress_bar() -> Progress:
    """Bars on stderr: description, bar, done/total, elapsed time."""
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,  # "175/?" while the total is unknown
    )


def counter(unit: str) -> Progress:
    """A transient bar on stderr counting ``unit`` (articles, records) towards an unknown total."""
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), TextColumn(f"{{task.completed}} {unit}"),
        TimeElapsedColumn(), console=err_console, transient=True,
    )


class StageBars:
    """One bar per stage for the library's ``progress(stage, total) -> advance`` callback
    (pass the object itself). The display starts with the first stage, or at
    :meth:`start`, and ends at :meth:`stop` or when the ``with`` block ends; ``eager``
    starts it on entering the block."""

    def __init__(self, *, eager: bool = False):
        self.progress = progress_bar()
        self.eager = eager

    def start(self) -> None:
        if not self.progress.live.is_started:
            self.progress.start()

    def stop(self) -> None:
        if self.progress.live.is_started:  # rich ends every stop with a newline, started or not
            self.progress.stop()

    def __call__(self, stage: str, total: int | None):
        self.start()
        task = self.progress.add_task(stage, total=total)
        return lambda n=1: self.progress.advance(task, n)

    def __enter__(self) -> StageBars:
        if self.eager:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- claims -------------------------------------------------------------------------------


def claim_json(claim: Claim, source: str | None, matches: list | None = None) -> str:
    """An extracted claim as one JSON line, with its input and (when matched) its matches."""
    row = claim.to_dict()
    row["source"] = source
    if matches is not None:
        row["matches"] = [m.as_dict() for m in matches]
    return json.dumps(row, ensure_ascii=False)


def claims_table() -> Table:
    table = Table(show_lines=False)
    for name in ("kind", "score", "claim", "quantities", "times"):
        table.add_column(name, overflow="fold")
    return table


def add_claim_row(table: Table, claim: Claim) -> None:
    quantities = "; ".join(format_quantity(q) for q in claim.quantities)
    times = ", ".join(t.value or f"{t.text}?" for t in claim.times)
    kind = claim.kind if claim.is_claim else f"[dim]{claim.kind}[/dim]"
    score = "" if claim.checkworthiness is None else f"{claim.checkworthiness:.2f}"
    table.add_row(kind, score, claim.text, quantities, times)


def format_quantity(q) -> str:
    """A quantity of an extracted claim as people read it: ``~870,000 oil_barrel/day``
    (the store's own rendering, :func:`factcheck.store.search.format_quantity`)."""
    return search.format_quantity(dataclasses.asdict(q))


def print_claims(rows: list[dict], fmt: str, *, reviewed: bool = False) -> None:
    """Search or verdict rows as a table, JSON Lines or CSV on stdout."""
    if fmt == "jsonl":
        for row in rows:
            echo_json(row)
        return
    if fmt == "csv":
        search.write_csv(rows, sys.stdout)
        return
    table = Table(show_lines=reviewed)
    columns = ("reviewed", "verdict", "claim", "evidence", "article") if reviewed else (
        "#", "score", "verdict", "kind", "claim", "times", "quantities", "article")
    for name in columns:
        table.add_column(name, overflow="fold", no_wrap=name in ("#", "score", "reviewed"))
    for row in rows:
        article = row["article_title"] or row["article_url"] or row["article_source"] or ""
        if reviewed:
            votes = ", ".join(f"{v} {n}" for v, n in row["votes"].items())
            evidence = "\n".join(f"{e['url']} {e['note']}".strip() for e in row["evidence"])
            table.add_row((row["reviewed_at"] or "")[:10], f"{row['verdict']}\n[dim]{votes}[/dim]", row["text"],
                          evidence, article)
        else:
            table.add_row(str(row["rank"]), "" if row["score"] is None else f"{row['score']:.2f}",
                          row["verdict"] or "", row["kind"], row["text"],
                          ", ".join(t["value"] or f"{t['text']}?" for t in row["times"]),
                          "; ".join(search.format_quantity(q) for q in row["quantities"]), article)
    table_console().print(table)


# --- models -------------------------------------------------------------------------------


def print_metrics(title: str, metrics: dict) -> None:
    """Held-out metrics by set: n, precision, recall, F1, ROC-AUC and F1 per language."""
    table = Table(title=title)
    table.add_column("set", no_wrap=True)
    for column in ("n", "precision", "recall", "F1", "ROC-AUC", "F1 zh", "F1 en"):
        table.add_column(column, justify="right")
    for name, m in metrics.items():
        per = m.get("per_lang", {})
        by_lang = (f"{per[lang]['f1']:.3f}" if lang in per else "" for lang in ("zh", "en"))
        table.add_row(name, str(m["n"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                      f"{m['roc_auc']:.3f}", *by_lang)
    table_console().print(table)


def print_comparison(version_a: str, version_b: str, comparisons: dict) -> None:
    """Each set's F1 of B against A with its paired bootstrap interval."""
    table = Table(title=f"F1 of B = {version_b}\nagainst A = {version_a}\n(paired bootstrap, 95% interval)")
    table.add_column("set", overflow="fold")
    for column in ("n", "A", "B", "B − A", "interval"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("reading", no_wrap=True)
    for name, c in comparisons.items():
        table.add_row(name, str(c["n"]), f"{c['f1_a']:.3f}", f"{c['f1_b']:.3f}", f"{c['difference']:+.3f}",
                      f"{c['low']:+.3f}…{c['high']:+.3f}", c["reading"])
    table_console().print(table)


# --- Label Studio -------------------------------------------------------------------------


def print_server(info: dict) -> None:
    """The local server's state as JSON, never its secrets."""
    safe = {k: v for k, v in info.items() if k not in ("password", "api_key", "token")}  # secrets never print
    click.echo(json.dumps(safe, indent=2, default=str))
