from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def nlp_zh():
    from factcheck.extraction.segment import load_nlp

    return load_nlp("zh")


@pytest.fixture(scope="session")
def nlp_en():
    from factcheck.extraction.segment import load_nlp

    return load_nlp("en")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store.db"
