"""Review in Label Studio: the ``labelstudio`` group, ``push``, ``pull`` and the ``review`` group."""

from __future__ import annotations

import json

import click
from rich.table import Table
from rich.text import Text

from factcheck.cli.options import db_option, db_path_option, title_option
from factcheck.cli.output import StageBars, echo_json, err_console, print_server, say, table_console
from factcheck.store.db import open_db


@click.group("labelstudio")
def labelstudio() -> None:
    """Run a local Label Studio server and set up the review project."""


@labelstudio.command("start")
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--data-dir", type=click.Path(), default=None,
              help="Server data folder (default: in ~/.local/share/factcheck).")
@click.option("--timeout", type=float, default=240, show_default=True, help="Seconds to wait for the server to answer.")
def labelstudio_start(port, data_dir, timeout):
    """Start the local Label Studio (installed by `make setup` in .venv-labelstudio).

    Prints the URL and the username; `factcheck labelstudio login` prints the password
    (kept in the private config file whose path is printed too).
    """
    import dataclasses

    from factcheck.review.server import start

    info = start(port=port, data_dir=data_dir, timeout=timeout)
    print_server(dataclasses.asdict(info))
    say(f"Label Studio {'already running' if info.reused else 'started'} at {info.url} — log in as "
        f"{info.username}; `factcheck labelstudio login` prints the password")


@labelstudio.command("stop")
def labelstudio_stop():
    """Stop the local Label Studio server."""
    from factcheck.review.server import stop

    say("Label Studio stopped" if stop() else "Label Studio was not running")


@labelstudio.command("status")
def labelstudio_status():
    """Say whether the local server runs, where, and how to log in (never the secrets)."""
    from factcheck.review.server import status

    print_server(status())


@labelstudio.command("setup")
@title_option("Project title (same title → same project).")
@db_path_option
@click.option("--overlap", type=int, default=None,
              help="Annotators per task (default: leave as set; a new project starts with 1). With 2 or more, "
                   "`factcheck review disagreements` has agreement to measure.")
def labelstudio_setup(title, db_path, overlap):
    """Create the review project, or bring its labelling config, instructions and queue tab
    up to date (idempotent)."""
    from factcheck.review.labelstudio import client, setup_project

    # the server is asked before the store opens
    project_id = setup_project(client(), title, open_db(db_path), overlap=overlap)
    click.echo(json.dumps({"project_id": project_id, "title": title, "overlap": overlap}))


@labelstudio.command("login")
@click.option("--open", "open_browser", is_flag=True, help="Also open the login page in the default browser.")
def labelstudio_login(open_browser):
    """Print the local Label Studio's address, username and password (from its private
    config file), so annotators and leads can log in without opening files."""
    from factcheck.review.server import login

    found = login()
    if not found["running"]:
        say("[yellow]Label Studio is not running[/yellow]: start it with `factcheck labelstudio start`.")
    click.echo(f"URL:      {found['login_url']}")
    click.echo(f"username: {found['username']}")
    click.echo(f"password: {found['password']}")
    if open_browser:
        import webbrowser

        webbrowser.open(found["login_url"])


@labelstudio.command("webhook")
@click.option("--port", type=int, default=None,
              help="Port on 127.0.0.1 (default: 8094, so restarts reuse the webhook).")
@db_path_option
@title_option()
@click.option("--secret", envvar="FACTCHECK_WEBHOOK_SECRET", default=None,
              help="Shared secret for the X-Factcheck-Secret header (default: a new random one).")
def labelstudio_webhook(port, db_path, title, secret):
    """Receive Label Studio's annotation webhooks and pull those tasks at once.

    A hint, not the truth: Label Studio does not retry webhooks, so `factcheck pull`
    remains the source of truth (this command pulls once on start to catch up).
    """
    import time
    from urllib.parse import urlsplit

    from factcheck.review.labelstudio import client, pull_project
    from factcheck.review.webhook import DEFAULT_PORT, new_secret, register_webhook, serve, unregister_webhook

    db = open_db(db_path)
    ls = client()
    project_id, caught_up = pull_project(db, ls, title=title)
    db.close()
    host = urlsplit(str(ls._client_wrapper.get_base_url())).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]Warning:[/yellow] Label Studio at {host} cannot reach a receiver on 127.0.0.1.")
    secret = secret or new_secret()
    with serve(db_path, project_id=project_id, ls=client(), port=port or DEFAULT_PORT, secret=secret) as hook:
        webhook_id = register_webhook(ls, project_id, hook.url, secret)
        say(f"caught up ({caught_up.verdicts} verdicts); listening on {hook.url} for project "
            f"{project_id}; Ctrl-C to stop")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            unregister_webhook(ls, webhook_id)
            say(f"stopped: {hook.stats}; run `factcheck pull` to be sure nothing was missed")


@click.command("push")
@db_option
@click.option("--limit", type=int, default=None, help="Send at most N claims.")
@click.option("--min-score", type=float, default=None, help="Only claims with check-worthiness at least S.")
@click.option("--order", type=click.Choice(["uncertainty", "score", "article"]), default="uncertainty",
              show_default=True, help="Which claims go first in the review queue.")
@title_option()
@click.option("--rescore", is_flag=True,
              help="First re-score stored claims with the promoted model; tasks not yet annotated get the new "
                   "predictions, and the queue follows --order (uncertainty first by default).")
@click.option("--match/--no-match", "match", default=True, show_default=True,
              help="Pre-fill the verdict of claims that match an already checked claim (the annotator confirms).")
def push(db, limit, min_score, order, title, rescore, match):
    """Send claims not yet sent to Label Studio as tasks with pre-annotations.

    Re-pushing is a no-op; a claim whose text or model score changed updates its task;
    an interrupted push resumes where it stopped.
    """
    from factcheck.model.registry import require_model
    from factcheck.review.labelstudio import push_claims

    model = require_model(None) if rescore else None
    with StageBars() as bars:  # the bar appears once the project is set up
        project_id, report = push_claims(db, title=title, limit=limit, min_score=min_score, order=order,
                                         rescore_with=model, match=match, progress=bars)
    click.echo(json.dumps({"project_id": project_id, **report.__dict__}))


@click.command("pull")
@db_option
@click.option("--full", is_flag=True, help="Re-read every task, not only those changed since the last pull.")
@title_option()
def pull(db, full, title):
    """Fetch new and edited annotations from Label Studio and store the verdicts."""
    from factcheck.review.labelstudio import pull_project

    project_id, report = pull_project(db, title=title, full=full)
    click.echo(json.dumps({"project_id": project_id, **report.__dict__}))
    if report.invalid:
        say(f"[yellow]{report.invalid} annotation(s) could not be read in full[/yellow] (the rest of each is "
            "stored): `factcheck review problems` lists them")


@click.group("review")
def review() -> None:
    """Review helpers that Label Studio Community lacks: agreement and disagreements."""


@review.command("disagreements")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def review_disagreements(db, fmt):
    """List tasks whose annotators disagree, with Krippendorff's alpha for the store."""
    from factcheck.review.agreement import disagreements

    found = disagreements(db)
    if fmt == "jsonl":
        for row in found.rows():
            echo_json(row)
    else:
        table = Table(title="Disagreements to adjudicate")
        for column in ("task", "claim", "verdicts", "agreement"):
            table.add_column(column, overflow="fold")
        for task in found.tasks:
            shown = "; ".join(f"{who}: {verdict}" for who, verdict in task.verdicts.items())
            table.add_row(str(task.task_id), found.claims[task.task_id], shown, f"{task.agreement:.2f}")
        table_console().print(table)
    stats = found.summary
    alpha = "n/a" if stats["alpha"] is None else f"{stats['alpha']:.3f}"
    say(f"{stats['disputed']} disputed of {stats['multi_annotated']} tasks with several annotators; "
        f"Krippendorff's alpha (nominal) {alpha}")


@review.command("problems")
@db_option
@click.option("--project", "project_id", type=int, default=None, help="Only this Label Studio project id.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def review_problems(db, project_id, fmt):
    """List annotations that pull, the webhook or retrain could not read in full, with the
    task, the annotation and the reason; the rest of each was stored. Fix them in Label
    Studio and pull again: a fixed annotation leaves the list."""
    from factcheck.review.problems import list_problems

    found = list_problems(db, project_id=project_id)
    if fmt == "jsonl":
        for row in found:
            echo_json(row)
        return
    table = Table(title="Annotations with problems")
    for column in ("project", "task", "annotation", "annotator", "claim", "reason"):
        table.add_column(column, overflow="fold")
    for row in found:
        # Text, not str: a reason quotes annotators' values, which rich would read as markup
        table.add_row(*(Text("" if row[k] is None else str(row[k])) for k in
                        ("project_id", "task_id", "annotation_id", "annotator", "claim", "reason")))
    table_console().print(table)
    tasks = len({(r["project_id"], r["task_id"]) for r in found})
    say(f"{len(found)} problem(s) in {tasks} task(s)" if found else "no annotation problems recorded")


COMMANDS = [labelstudio, push, pull, review]
