"""Options that several commands share, each declared once: the store (``--db``), the
Label Studio project (``--title``), the model version (``--model``) and the claim filters
of ``search`` and ``verdicts``."""

from __future__ import annotations

import functools

import click

from factcheck.records import CLAIM_KINDS, NON_CLAIM_KINDS
from factcheck.review.labelstudio import DEFAULT_TITLE
from factcheck.store.db import default_db_path, open_db

DB_HELP = "SQLite store (default: $FACTCHECK_DB or ./factcheck.db)."


def _db(func):
    return click.option("--db", "db_path", default=None, help=DB_HELP)(func)


def db_option(func=None, *, create: bool = False):
    """``--db PATH``; the command gets ``db``, the store opened before its body runs.
    Commands that read or add to a store find a missing one an error (F307), never a new
    empty store made from a mistyped path; those that bring claims of their own
    (``create=True``: ``verdicts import``) start one."""

    def decorate(func):
        @functools.wraps(func)
        def command(*args, db_path=None, **kwargs):
            return func(*args, db=open_db(db_path or default_db_path(), create=create), **kwargs)

        return _db(command)

    return decorate(func) if func is not None else decorate


def db_path_option(func):
    """``--db PATH``; the command gets ``db_path``, the store's path (``$FACTCHECK_DB`` or
    ``./factcheck.db`` when not given), for commands that open it later or not at all."""

    @functools.wraps(func)
    def command(*args, db_path=None, **kwargs):
        return func(*args, db_path=db_path or default_db_path(), **kwargs)

    return _db(command)


def title_option(help: str = "Label Studio project title."):
    """``--title``: the Label Studio project (same title → same project)."""
    return click.option("--title", default=DEFAULT_TITLE, show_default=True, help=help)


def model_option(help: str = "Version (default: the promoted one)."):
    """``--model VERSION``; the command gets ``model_version`` (None: the promoted one)."""
    return click.option("--model", "model_version", default=None, help=help)


def query_options(func=None, *, open_store: bool = True):
    """The store and the filters that `search` and `verdicts` share (fields of
    factcheck.store.search.Query). The command gets ``db`` (``db_path`` with
    ``open_store=False``), ``fmt`` and the filters as keyword arguments."""

    def decorate(func):
        options = [
            click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
                         show_default=True,
                         help="table: readable; jsonl: one JSON object per claim; csv: flat columns."),
            click.option("--verdict", default=None,
                         help="Final verdict (majority of live annotations): supported, refuted, misleading, "
                              "unverifiable, 'not a claim'."),
            click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Claim language."),
            click.option("--article", default=None,
                         help="Article id (or its prefix), or part of its path, URL or title."),
            click.option("--source", default=None,
                         help="Part of the article's source path or URL, or a verdict source "
                              "(labelstudio, claimreview, averitec, liar)."),
            click.option("--since", default=None,
                         help="A time anchor of the claim overlaps this ISO date or later "
                              "(2019, 2019-06, 2019-06-30)."),
            click.option("--until", default=None, help="A time anchor of the claim overlaps this ISO date or earlier."),
            click.option("--entity", default=None, help="An entity of the claim (whole name, any case)."),
            click.option("--kind", type=click.Choice(CLAIM_KINDS + NON_CLAIM_KINDS), default=None, help="Claim kind."),
            click.option("--unit", default=None,
                         help="A quantity in this unit, optionally per time: oil_barrel/day, percent, USD, 桶/日."),
            click.option("--min", "min_value", type=float, default=None,
                         help="That quantity's number is at least this."),
            click.option("--max", "max_value", type=float, default=None,
                         help="That quantity's number is at most this."),
            click.option("--annotator", default=None, help="Someone who gave the claim a live verdict."),
            click.option("--model-version", default=None, help="Check-worthiness model version that scored the claim."),
            click.option("--reviewed-since", default=None, help="Latest review on or after this ISO date."),
            click.option("--reviewed-until", default=None, help="Latest review on or before this ISO date."),
        ]
        for option in reversed(options):
            func = option(func)
        return (db_option if open_store else db_path_option)(func)  # --db comes first

    return decorate if func is None else decorate(func)


def parse_weights(ctx, param, values) -> dict[str, float]:
    """``("clef2022_1b=3",)`` → ``{"clef2022_1b": 3.0}``."""
    weights = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            weight = float(number)
        except ValueError:
            weight = None
        if weight is None or not name.strip():
            raise click.BadParameter(f"{value!r} is not FORMAT=WEIGHT (for example clef2022_1b=3).")
        weights[name.strip()] = weight
    return weights
