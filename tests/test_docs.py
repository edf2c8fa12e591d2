"""The documentation users read matches the program they run (sqlite-utils' tests/test_docs.py).

Every CLI command has help and a place in the README, every environment variable is in
the README's configuration table, docs/errors.md is regenerated from the error catalogue,
the README stays short, and its local links lead somewhere.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import click
import pytest

from factcheck.cli import cli
from factcheck.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
README_LIMIT = 25_000  # bytes

# [text](target) and ![alt](target); a target may carry a "title".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def commands(command: click.Command = cli, name: str = "factcheck"):
    """(full name, command) for the group and every command and subcommand under it."""
    yield name, command
    if isinstance(command, click.Group):
        for sub_name, sub in sorted(command.commands.items()):
            yield from commands(sub, f"{name} {sub_name}")


ALL_COMMANDS = list(commands())


def readme() -> str:
    return README.read_text("utf-8")


def test_the_cli_has_commands_and_subcommands():
    names = {name for name, _ in ALL_COMMANDS}
    assert {"factcheck extract", "factcheck models promote", "factcheck verdicts import"} <= names


@pytest.mark.parametrize("name,command", ALL_COMMANDS, ids=[name for name, _ in ALL_COMMANDS])
def test_every_command_has_help(name, command):
    assert (command.help or "").strip(), f"`{name}` has no help text"


@pytest.mark.parametrize("name", [name for name, _ in ALL_COMMANDS[1:]])
def test_every_command_is_in_the_readme(name):
    assert f"`{name}`" in readme(), f"README.md does not mention `{name}`"


@pytest.mark.parametrize("variable", [row[0] for row in SETTINGS])
def test_every_setting_is_in_the_readme(variable):
    assert f"`{variable}`" in readme(), f"README.md's configuration table lacks `{variable}`"


def test_errors_md_is_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr + "Regenerate it: .venv/bin/python scripts/docs.py"


def test_readme_is_short():
    size = README.stat().st_size
    assert size < README_LIMIT, f"README.md is {size:,} bytes; keep it under {README_LIMIT:,} (move detail to docs/)"


def test_readme_is_utf8_with_its_chinese_intact():
    text = README.read_bytes().decode("utf-8")  # raises on anything but UTF-8
    assert "\ufffd" not in text
    assert re.search(r"[\u4e00-\u9fff]", text), "the README keeps its Chinese examples"


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[`*]|<[^>]+>", "", heading).strip().lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text("utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)}


def local_links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text("utf-8"))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t, re.I)]


@pytest.mark.parametrize("doc", ["README.md", "docs/measurements.md", "docs/models.md", "docs/guide.md"])
def test_local_links_lead_somewhere(doc):
    source = ROOT / doc
    if not source.exists():
        pytest.skip(f"{doc} does not exist")
    broken = []
    for target in local_links(source):
        file_part, _, anchor = unquote(target).partition("#")
        path = (source.parent / file_part).resolve() if file_part else source
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no heading with that anchor in {path.relative_to(ROOT)}")
    assert not broken, f"{doc}: " + "; ".join(broken)


def test_slug_follows_github():
    assert slug("The promoted model: `cw-20261205-163255-6e1ee67442`") == (
        "the-promoted-model-cw-20261205-163255-6e1ee67442")
    assert slug("Does uncertainty ordering pay?") == "does-uncertainty-ordering-pay"
    assert slug("Verdict store at 1,000,000 claims") == "verdict-store-at-1000000-claims"
