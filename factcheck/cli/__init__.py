"""The ``factcheck`` command line: the ``cli`` group and its commands, one module per group.

Each command parses its options, calls the Python API (the function named after it,
where the work is more than one call) and prints; the logic lives in the library, and
only this package talks to the terminal.

    options.py   options several commands share (--db, --title, --model, the search filters)
    output.py    consoles, tables, JSON lines and progress bars
    extract.py   extract, classify
    models.py    models (prepare, list, show, promote, diff), train, evaluate, retrain
    review.py    labelstudio (start, stop, status, setup, webhook), push, pull, review disagreements
    store.py     search, verdicts (and verdicts import), export, conflicts, match, backup, serve, stats
"""

from __future__ import annotations

import click

from factcheck import __version__
from factcheck.cli import extract, models, review, store
from factcheck.errors import FactcheckError

__all__ = ["FactcheckGroup", "cli", "main"]


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


for _module in (extract, models, review, store):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:  # pragma: no cover - console entry point
    cli()
