"""``extract`` and ``classify``: claims from articles, check-worthiness of sentences."""

from __future__ import annotations

import dataclasses
import sys

import click
from rich.table import Table

from factcheck.cli.options import db_path_option, model_option
from factcheck.cli.output import (
    add_claim_row,
    claim_json,
    claims_table,
    counter,
    echo_json,
    format_quantity,
    say,
    table_console,
)
from factcheck.model.registry import classify_lines, load_scorer, scorer_version
from factcheck.records import Quantity
from factcheck.store.db import open_db
from factcheck.store.intake import EXTRACT_MAX_BYTES, ExtractTotals, extract_paths


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@db_path_option
@click.option("--no-store", is_flag=True, help="Do not write to the store; just print.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "table", "summary"]), default="jsonl", show_default=True,
    help="jsonl: one JSON object per claim on stdout; table: a readable table; summary: counts per article.",
)
@click.option("--all", "include_rejected", is_flag=True,
              help="Also emit rejected candidates (opinion, prediction, question, meta).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Force the language (default: detected per sentence).")
@click.option("--max-bytes", type=int, default=EXTRACT_MAX_BYTES, show_default=True,
              help="Refuse input files larger than this (one 5 MB Chinese article took 18 minutes and 0.9 GB "
                   "with the model on 2 busy cores; docs/scaling.md).")
@model_option("Check-worthiness model version (default: the promoted one; 'none' for rules only).")
@click.option("--match/--no-match", "match", default=None,
              help="Look up each claim among the stored ones (other articles, either language) and add `matches`. "
                   "Default: on when storing with a model (the encoder is loaded anyway).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that extract and score (each loads the model, about 0.6 GB); this one stores. "
                   "Same claims, ids and scores as 1.")
@click.option("--dask-scheduler", "scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Extract and score on this Dask cluster (docs/scaling.md); this process stores.")
def extract(paths, db_path, no_store, fmt, include_rejected, lang, max_bytes, model_version, match, workers,
            scheduler):
    """Extract claims from PATHS: .txt, .md, .html, .json/.jsonl files, directories
    (recursive) or - for standard input.

    Exit status: 0 when every input was processed, 1 when some failed (each failure is
    reported on stderr; the others are still processed and stored).
    """
    if match and no_store:
        raise click.UsageError("--match needs the store: drop --no-store.")
    if scheduler and workers > 1:
        raise click.UsageError("--workers runs on this machine, --dask-scheduler on a cluster: give one of them.")
    db = None if no_store else open_db(db_path)
    totals = ExtractTotals()
    table = claims_table() if fmt == "table" else None
    options = {"db": db, "lang": lang, "max_bytes": max_bytes, "match": match, "totals": totals}
    with counter("articles") as progress:
        task = progress.add_task("extracting", total=None)
        if scheduler:
            from factcheck.parallel.cluster import extract_paths_dask

            results = extract_paths_dask(paths, scheduler=scheduler, version=scorer_version(model_version),
                                         progress=_LongArticles(progress), **options)
        elif workers > 1:
            from factcheck.parallel.local import extract_paths_parallel

            results = extract_paths_parallel(paths, workers=workers, version=scorer_version(model_version),
                                             progress=_LongArticles(progress), **options)
        else:
            results = extract_paths(paths, scorer=load_scorer(model_version), progress=_LongArticles(progress),
                                    **options)
        for done in results:
            if done.error is not None:
                say(f"[red]Error:[/red] {done.error}" if done.source is None
                    else f"[red]Error:[/red] {done.source}: {done.error}")
                continue
            shown = [c for c in done.candidates if include_rejected or c.is_claim]
            if fmt == "jsonl":
                for claim in shown:
                    click.echo(claim_json(claim, done.source,
                                          None if done.matches is None else done.matches.get(claim.claim_id, [])))
            elif table is not None:
                for claim in shown:
                    add_claim_row(table, claim)
            else:
                version = f" v{done.saved['version']}" if done.saved else ""
                click.echo(
                    f"{done.source}{version}: {sum(c.is_claim for c in done.candidates)} claims, "
                    f"{sum(not c.is_claim for c in done.candidates)} rejected"
                )
            progress.advance(task)
    if table is not None:
        table_console().print(table)
    where = f" into {db_path}" if db is not None else ""
    matched = (f"; {totals.matched} match earlier claims ({totals.verdicted} already checked)"
               if totals.matching else "")
    say(f"{totals.articles} articles, {totals.claims} claims, {totals.rejected} rejected{where}{matched}"
        + (f"; [red]{totals.failures} input(s) failed[/red]" if totals.failures else ""))
    if totals.failures:
        sys.exit(1)


class _LongArticles:
    """Progress through an article of more than ``LONG`` characters: a bar on a terminal,
    else a line on stderr at each tenth."""

    LONG = 200_000

    def __init__(self, progress):
        self.progress = progress
        self.task = None
        self.tenths = 0

    def __call__(self, article, done: int, total: int) -> None:
        if total < self.LONG:
            return
        if self.task is None or done < self.progress.tasks[self.task].completed:
            name = article.source or "article"
            self.task = self.progress.add_task(f"{name} ({total / 1e6:.1f} M chars)", total=total)
            self.tenths = 0
        self.progress.update(self.task, completed=done)
        if not self.progress.console.is_terminal and done * 10 // total > self.tenths:
            self.tenths = done * 10 // total
            say(f"{article.source}: {self.tenths * 10}% ({done / 1e6:.1f} of {total / 1e6:.1f} M chars)")


@click.command("classify")
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@model_option()
@click.option("--batch-size", type=int, default=32, show_default=True)
def classify(file, model_version, batch_size):
    """Score sentences (one per line, FILE or - for stdin) for check-worthiness; JSONL out.

    Empty lines are skipped; each row's ``line`` (1-based) maps it back to its input line.
    """
    for row in classify_lines(file, version=model_version, batch_size=batch_size):
        echo_json(row)


@click.command("parse")
@click.argument("text", default="-")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Force the language (default: detected).")
@click.option("--published", default=None, help="Publication date (ISO) that relative times resolve against.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="table: readable; jsonl: one JSON object per quantity or time, with its type.")
def parse(text, lang, published, fmt):
    """Show how factcheck reads the numbers, units, ranges and dates of TEXT (- or nothing:
    standard input): each quantity and time expression with its value and offsets."""
    from factcheck.extraction.pipeline import parse as parse_text

    parsed = parse_text(sys.stdin.read() if text == "-" else text, lang, published=published)
    found = sorted([*parsed.quantities, *parsed.times], key=lambda r: (r.start, r.end))
    if fmt == "jsonl":
        for record in found:
            kind = "quantity" if isinstance(record, Quantity) else "time"
            echo_json({"type": kind, **dataclasses.asdict(record)})
        return
    table = Table(title=f"{len(parsed.quantities)} quantities, {len(parsed.times)} times ({parsed.lang})")
    for column in ("span", "text", "reading"):
        table.add_column(column, overflow="fold")
    for record in found:
        if isinstance(record, Quantity):
            reading = format_quantity(record)
        else:
            reading = (record.value or "?") + ("" if record.resolved else " (left open)")
        table.add_row(f"{record.start}–{record.end}", record.text, reading)
    table_console().print(table)


COMMANDS = [extract, classify, parse]
