"""The store: ``search``, ``verdicts`` (and ``verdicts import``), ``export``, ``conflicts``,
``match``, ``backup``, ``serve`` and ``stats``."""

from __future__ import annotations

import click
from rich.table import Table

from factcheck.cli.options import db_option, db_path_option, query_options
from factcheck.cli.output import StageBars, counter, echo_json, err_console, print_claims, say, table_console
from factcheck.store.db import open_db
from factcheck.store.export import FORMATS as EXPORT_FORMATS

_TERM = "\x00"  # marks a QUERY word that starts with - while click parses


class SearchCommand(click.Command):
    """``search``'s parsing: a word that starts with a single - (-伊朗, -word) is a QUERY word to
    exclude, not an unknown option, so ``factcheck search "-word"`` works without ``--``."""

    def parse_args(self, ctx, args):
        options = [p for p in self.params if isinstance(p, click.Option)]
        valued = {name for p in options if not p.is_flag and not p.count for name in p.opts + p.secondary_opts}
        known = {name for p in options for name in p.opts + p.secondary_opts} | set(ctx.help_option_names)
        marked, i = [], 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                marked += args[i:]
                break
            if arg in valued:  # the option and its value (which may start with -: --min -5)
                marked += args[i : i + 2]
                i += 2
                continue
            is_term = arg.startswith("-") and not arg.startswith("--") and len(arg) > 1 and arg not in known
            marked.append(_TERM + arg if is_term else arg)
            i += 1
        return super().parse_args(ctx, marked)


@click.command("search", cls=SearchCommand)
@click.argument("query", nargs=-1)
@query_options
@click.option("--all", "include_rejected", is_flag=True, help="Also rejected candidates (opinions, predictions…).")
@click.option("--limit", type=int, default=50, show_default=True, help="At most N claims.")
@click.option("--rank-all", is_flag=True,
              help="Rank every hit of a common word, not only its newest 5,000 (slower in a large store).")
def search_command(query, db, fmt, limit, **filters):
    """Full-text search over claims, their sentences and evidence notes, Chinese and
    English, best match first; with no QUERY, list the claims the filters select.

    Words are all required; OR between words, -word or NOT word to exclude, "…" for an
    exact phrase. Chinese is segmented (石油 finds 石油出口); English words match their
    other forms (export finds exports, exported). -word works anywhere, first included:
    factcheck search -伊朗 石油.
    """
    from factcheck.store.search import search

    words = [word.removeprefix(_TERM) for word in query]
    rows = search(db, " ".join(words) or None, limit=limit, **filters)
    print_claims(rows, fmt)
    more = f" (--limit {limit} reached)" if limit is not None and len(rows) == limit else ""
    say(f"{len(rows)} claims{more}")


@click.group("verdicts", invoke_without_command=True)
@query_options(open_store=False)
@click.option("--query", "-q", "text", default=None, help="Full-text query, as for `factcheck search`.")
@click.option("--limit", type=int, default=None, help="At most N claims (default: all).")
@click.pass_context
def verdicts(ctx, text, db_path, fmt, limit, **filters) -> None:
    """Checked claims with their verdicts and evidence links, newest review first
    (filters as for `factcheck search`); `verdicts import` stores verdicts from files."""
    if ctx.invoked_subcommand is not None:
        return  # the store is opened by the subcommand, with its own --db
    from factcheck.store.search import list_verdicts

    rows = list_verdicts(open_db(db_path, create=False), text, limit=limit, **filters)
    print_claims(rows, fmt, reviewed=True)
    say(f"{len(rows)} checked claims")


@verdicts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["claimreview", "averitec", "liar", "labelstudio"]), default=None,
              help="Format of FILE (default: detected from its extension and first record).")
@click.option("--limit", type=int, default=None, help="Read at most N records (to seed a store quickly).")
@db_option(create=True)
def verdicts_import(file, fmt, limit, db):
    """Store the verdicts of FILE: ClaimReview JSON-LD (JSON or JSONL), AVeriTeC JSON, LIAR /
    LIAR-PLUS TSV, or a Label Studio JSON export (offline; same checks as pull).

    External verdicts become claims with a verdict each; re-importing changes nothing.
    Prints a JSON report: records read, stored, updated, skipped (with reasons) and
    ratings outside the mapping table.
    """
    import dataclasses
    import time

    from factcheck.review.labelstudio import import_file

    started = time.perf_counter()
    with counter("records") as progress:
        task = progress.add_task(f"importing {fmt or 'verdicts'}", total=limit)
        report = import_file(db, file, fmt=fmt, limit=limit, progress=lambda n: progress.update(task, completed=n))
    echo_json(dataclasses.asdict(report))
    say(f"{file}: done in {time.perf_counter() - started:.1f} s")


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="claimreview",
              show_default=True, help="claimreview: schema.org ClaimReview JSON-LD; csv/jsonl: plain tables.")
@click.option("--out", type=click.Path(dir_okay=False), default="-", show_default=True,
              help="Output file (- = stdout).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--verdict", default=None, help="Only claims with this final verdict.")
@click.option("--since", default=None, help="Only claims reviewed on or after this ISO date.")
@click.option("--review-url-base", default=None,
              help="Review URLs become BASE + claim_id (default: $FACTCHECK_REVIEW_URL_BASE).")
@click.option("--force", is_flag=True, help="Replace --out if it exists (never the store itself).")
def export_command(db, fmt, out, lang, verdict, since, review_url_base, force):
    """Export verdicted claims (majority verdict per claim, evidence, claimant)."""
    import contextlib
    import sys

    from factcheck.store.db import check_output, store_path
    from factcheck.store.export import export_claims

    if out != "-":
        check_output(out, store=store_path(db), force=force)
    # csv wants newline="" on the file it writes; click.open_file cannot pass it.
    opened = contextlib.nullcontext(sys.stdout) if out == "-" else open(out, "w", encoding="utf-8", newline="")
    with opened as fp:
        n = export_claims(db, fp, fmt, lang=lang, verdict=verdict, since=since, review_url_base=review_url_base)
    say(f"{n} verdicted claims exported as {fmt}")


@click.command("conflicts")
@db_option
@click.option("--article", "article_id", default=None, help="Only conflicts involving claims of this article id.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def conflicts(db, article_id, fmt):
    """List claims from different articles about the same thing whose numbers disagree
    (two years vs 20 months; 10 times vs 50 times), with both sources."""
    from factcheck.store.conflicts import list_conflicts

    with StageBars(eager=True) as bars:
        found = list_conflicts(db, article_id=article_id, progress=bars)
    if fmt == "jsonl":
        for pair in found:
            echo_json(pair.as_dict())
    else:
        table = Table(title="Conflicting claims")
        for column in ("claim", "source", "other claim", "other source", "numbers"):
            table.add_column(column, overflow="fold")
        for pair in found:
            a, b = pair.claim, pair.other
            table.add_row(a["text"], a["article_url"] or a["source"] or a["article_title"] or "", b["text"],
                          b["article_url"] or b["source"] or b["article_title"] or "",
                          "; ".join(f"{x} vs {y}" for x, y in pair.disagreeing))
        table_console().print(table)
    say(f"{len(found)} conflicting pairs")


@click.command("match")
@click.argument("text", required=False)
@db_option
@click.option("--sync", "sync_only", is_flag=True,
              help="Only check every stored claim for a current vector (embedding what lacks one) and update "
                   "the index.")
def match_command(text, db, sync_only):
    """Find stored claims that say the same as TEXT (any language), with their verdicts."""
    from factcheck.store.matching import ClaimIndex, match_text

    index = ClaimIndex(db)
    if sync_only or not text:
        with StageBars(eager=True) as bars:
            done = index.sync(progress=bars("embedding new claims", len(index.missing(full=sync_only))),
                              full=sync_only)
        say(f"{done} claims embedded; index at {index.path}")
        return
    with StageBars(eager=True) as bars:
        found = match_text(db, text, index=index, progress=bars)
    for m in found:
        echo_json({"claim_id": m.claim_id, "text": m.text, "verdict": m.verdict, "similarity": round(m.similarity, 4),
                   "reason": m.reason})


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False))
@db_path_option
def backup(dest, db_path):
    """Copy the store to DEST consistently (SQLite online backup; safe while in use)."""
    from factcheck.store.export import backup as backup_store

    say(f"backup written to {backup_store(db_path, dest)}")


@click.command("serve")
@db_path_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 exposes the store to other machines.")
@click.option("--metadata", "metadata_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Datasette metadata (JSON or YAML) merged over factcheck's: descriptions, canned queries…")
@click.option("--plugins-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="A folder of Datasette plugins to load, as for `datasette --plugins-dir`.")
def serve_command(db_path, port, host, metadata_path, plugins_dir):
    """Browse the store read-only in Datasette: a search box for Chinese and English
    claims, a card per claim with its verdicts and evidence, facets, canned queries.
    Runs until Ctrl-C."""
    from factcheck.store import serve

    path = serve.check_store(db_path)
    extra = serve.read_metadata(metadata_path) if metadata_path else None
    with serve.bind(host, port) as sock, serve.open_app(path, extra_metadata=extra, plugins_dir=plugins_dir) as ds:
        url = serve.url_for(sock, path.stem)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err_console.print(f"[yellow]Warning:[/yellow] listening on {host}: anyone who can reach it can read "
                              "the store.")
        say(f"Serving {path} read-only at {url} — Ctrl-C to stop")
        try:
            serve.run(ds, sock)
        except KeyboardInterrupt:
            pass
    say("stopped")


@click.command("stats")
@db_path_option
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Also draw the counts into this PNG file.")
def stats_command(db_path, plot_path):
    """Totals, and final verdicts by month of review, article source, verdict source and kind."""
    from factcheck.store.serve import check_store
    from factcheck.store.stats import plot, stats, tables

    result = stats(open_db(check_store(db_path)))
    console = table_console()
    for table in tables(result):
        console.print(table)
    if plot_path:
        say(f"plot written to {plot(result, plot_path)}")


COMMANDS = [search_command, verdicts, export_command, conflicts, match_command, backup, serve_command, stats_command]
