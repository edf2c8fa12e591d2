"""factcheck installed as a wheel works away from its checkout: the data it needs ships
inside the package, and the folders that travel with a project are settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import settings

from .conftest import REPO

pytestmark = [pytest.mark.model, pytest.mark.slow]  # builds a wheel; scores with the promoted model

ARTICLE = "截至2019年9月，伊朗石油出口已降至不足13万桶/日。美国财政部称，制裁将继续。"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built as a wheel and unpacked into a folder of its own (no checkout beside it)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(REPO)], check=True, capture_output=True)
    wheel = next(out.glob("factcheck-*.whl"))
    site = out / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    return site


def run_installed(site: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    environ.update(PYTHONPATH=str(site), **env)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=600)


def test_the_wheel_carries_its_data_and_runs_outside_the_checkout(installed, tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    where = run_installed(installed, tmp_path, "-c", "import factcheck, json; from factcheck import settings; "
                          "print(json.dumps([factcheck.__file__, str(settings.checkout()), "
                          "str(settings.models_dir())]))")
    package, checkout, models = json.loads(where.stdout)
    assert package.startswith(str(installed)) and checkout == "None"
    assert models == str(tmp_path / "models")  # no checkout: the project folder is the current directory
    # The gazetteer (entities) and the labelling config come from inside the package.
    config = run_installed(installed, tmp_path, "-c",
                           "from factcheck.review.tasks import labelling_config; print(len(labelling_config()))")
    assert config.returncode == 0 and int(config.stdout) > 1000, config.stderr
    done = run_installed(installed, tmp_path, "-m", "factcheck", "extract", "article.txt", "--no-store",
                         FACTCHECK_MODELS=str(REPO / "models"))
    assert done.returncode == 0, done.stderr
    claims = [json.loads(line) for line in done.stdout.splitlines()]
    oil = next(c for c in claims if "13万桶" in c["text"])
    assert oil["model_version"] and oil["checkworthiness"] is not None  # the models folder came from the setting
    assert oil["quantities"][0]["comparator"] == "<" and oil["times"][0]["value"] == "2019-09"
    assert any(e["text"] == "伊朗" for e in oil["entities"])


def test_without_a_models_folder_extraction_runs_on_the_rules(installed, tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    done = run_installed(installed, tmp_path, "-m", "factcheck", "extract", "article.txt", "--no-store")
    assert done.returncode == 0, done.stderr
    claims = [json.loads(line) for line in done.stdout.splitlines()]
    assert claims and all(c["model_version"] is None for c in claims)


def test_a_checkout_finds_its_own_folders_from_any_directory(tmp_path):
    done = subprocess.run([sys.executable, "-c", "from factcheck import settings; print(settings.models_dir()); "
                           "print(settings.annotations_dir())"], cwd=tmp_path, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}, check=True)
    assert done.stdout.split() == [str(REPO / "models"), str(REPO / "annotations")]
    assert settings.models_dir({"FACTCHECK_MODELS": "~/m"}) == Path.home() / "m"
