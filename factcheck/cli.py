"""The ``factcheck`` command line. Each command parses options, calls the Python API
and prints; only this module talks to the terminal."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import FactcheckError, InputError
from .pipeline import extract_article
from .ingest import DEFAULT_MAX_BYTES, iter_articles
from .records import Claim
from .store import default_db_path, open_db, save_extraction

err_console = Console(stderr=True, soft_wrap=True)  # never re-wrap paths and messages


class FactcheckGroup(click.Group):
    """Turns any FactcheckError into ``Error: …`` and exit status 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FactcheckError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=FactcheckGroup)
@click.version_option(__version__, prog_name="factcheck")
def cli() -> None:
    """factcheck: extract checkable claims from Chinese and English articles, review
    them in Label Studio and keep the verdicts for reuse."""


def claim_json(claim: Claim, source: str | None) -> str:
    row = claim.to_dict()
    row["source"] = source
    return json.dumps(row, ensure_ascii=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--no-store", is_flag=True, help="Do not write to the store; just print.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "table", "summary"]), default="jsonl", show_default=True,
    help="jsonl: one JSON object per claim on stdout; table: a readable table; summary: counts per article.",
)
@click.option("--all", "include_rejected", is_flag=True, help="Also emit rejected candidates (opinion, prediction, question, meta).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Force the language (default: detected per sentence).")
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse input files larger than this.")
def extract(paths, db_path, no_store, fmt, include_rejected, lang, max_bytes):
    """Extract claims from PATHS: .txt, .md, .html, .json/.jsonl files, directories
    (recursive) or - for standard input.

    Exit status: 0 when every input was processed, 1 when some failed (each failure is
    reported on stderr; the others are still processed and stored).
    """
    db = None if no_store else open_db(db_path or default_db_path())
    failures, totals = 0, Counter()
    table = _claims_table() if fmt == "table" else None
    progress = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), TextColumn("{task.completed} articles"),
        TimeElapsedColumn(), console=err_console, transient=True,
    )
    with progress:
        task = progress.add_task("extracting", total=None)
        for item in iter_articles(paths, max_bytes=max_bytes):
            if isinstance(item, InputError):
                failures += 1
                err_console.print(f"[red]Error:[/red] {item}", highlight=False)
                continue
            try:
                candidates = extract_article(item, lang=lang)
            except FactcheckError as exc:
                failures += 1
                err_console.print(f"[red]Error:[/red] {item.source}: {exc}", highlight=False)
                continue
            saved = save_extraction(db, item, candidates) if db is not None else None
            shown = [c for c in candidates if include_rejected or c.is_claim]
            totals["articles"] += 1
            totals["claims"] += sum(c.is_claim for c in candidates)
            totals["rejected"] += sum(not c.is_claim for c in candidates)
            if fmt == "jsonl":
                for claim in shown:
                    click.echo(claim_json(claim, item.source))
            elif table is not None:
                for claim in shown:
                    _add_claim_row(table, claim)
            else:
                version = f" v{saved['version']}" if saved else ""
                click.echo(
                    f"{item.source}{version}: {sum(c.is_claim for c in candidates)} claims, "
                    f"{sum(not c.is_claim for c in candidates)} rejected"
                )
            progress.advance(task)
    if table is not None:
        Console().print(table)
    where = f" into {db_path or default_db_path()}" if db is not None else ""
    err_console.print(
        f"{totals['articles']} articles, {totals['claims']} claims, {totals['rejected']} rejected{where}"
        + (f"; [red]{failures} input(s) failed[/red]" if failures else ""),
        highlight=False,
    )
    if failures:
        sys.exit(1)


def _claims_table() -> Table:
    table = Table(show_lines=False)
    for name in ("kind", "claim", "quantities", "times"):
        table.add_column(name, overflow="fold")
    return table


def _add_claim_row(table: Table, claim: Claim) -> None:
    quantities = "; ".join(_format_quantity(q) for q in claim.quantities)
    times = ", ".join(t.value or f"{t.text}?" for t in claim.times)
    kind = claim.kind if claim.is_claim else f"[dim]{claim.kind}[/dim]"
    table.add_row(kind, claim.text, quantities, times)


def _format_quantity(q) -> str:
    def num(x: float) -> str:
        return format(x, ",.10g")

    number = f"{num(q.low)}–{num(q.high)}" if q.low is not None and q.high is not None else (
        num(q.value) if q.value is not None else "?"
    )
    parts = [q.comparator or "", "~" if q.approximate else "", number, f" {q.unit}" if q.unit else ""]
    if q.per:
        parts.append(f"/{q.per}")
    return "".join(parts)


def main() -> None:  # pragma: no cover - console entry point
    cli()
