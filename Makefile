# One task runner. `make run` and `make test` are the README's two commands.
ARGS ?=
DB ?= factcheck.db

DATA ?= ../shared/datasets
# The project's training recipe: its annotations (the real-Chinese references included) plus
# public training sets; every test file and the --eval sets are held out, and a training row
# whose text an --eval set holds is left out of training. CLEF 2024 keeps its own split: train
# is trained on, dev stops training and fixes thresholds, dev-test is held out (docs/models.md).
# TRAIN_ARGS passes options (--weight clef2022_1b=3).
TRAIN_SOURCES = annotations/zh_checkworthy.jsonl annotations/en_checkworthy.jsonl \
	annotations/zh_real_checkworthy.jsonl \
	clef2022_1b:$(DATA)/clef2022-checkthat-task1-en/CT22_english_1B_claim_dev.tsv \
	claimbuster:$(DATA)/claimbuster/2.5xNCS.sample3000.json \
	clef2020_tweets:$(DATA)/clef2020-checkthat-task1-tweets/test-gold.tsv \
	factcheck_gpt:$(DATA)/factcheck-gpt/subtasks/subtask2_claim_checkworthiness.jsonl \
	clef2024:$(DATA)/clef2024-checkthat-task1-en/CT24_checkworthy_english_train.tsv \
	clef2024:$(DATA)/clef2024-checkthat-task1-en/CT24_checkworthy_english_dev.tsv
EVAL_SOURCES = --eval clef2024:$(DATA)/clef2024-checkthat-task1-en/CT24_checkworthy_english_dev-test.tsv \
	--eval clef2022_1b:$(DATA)/clef2022-checkthat-task1-en/CT22_english_1B_claim_dev_test.tsv \
	--eval clef2022_1a:$(DATA)/clef2022-checkthat-task1-en/CT22_english_1A_checkworthy_dev_test.tsv \
	--eval clef2019:$(DATA)/clef2019-checkthat-task1/CT19-T1-Test.csv \
	--eval claimbuster:$(DATA)/claimbuster/test.json

.PHONY: setup run test test-fast lint bench bench-store train-model clean screenshots

setup:
	@bash scripts/bootstrap.sh

run: setup
	bash scripts/install-labelstudio.sh
	.venv/bin/factcheck extract examples/ --db $(DB) --format summary
	.venv/bin/factcheck labelstudio start
	.venv/bin/factcheck push --db $(DB)
	@echo "Claims stored in $(DB) and sent to Label Studio (see the URL and login above)."
	@echo "After annotating: .venv/bin/factcheck pull --db $(DB)"

# Everything CI runs: lint, types, the generated docs, then the whole suite (Label Studio,
# models and browser included).
test: setup lint
	bash scripts/install-browser.sh
	.venv/bin/python -m pytest $(ARGS)

# Day to day: the pure-core tests, no Label Studio server, model weights, browser or slow
# inputs (under two minutes on 2 cores).
test-fast: setup
	.venv/bin/python -m pytest -m "not labelstudio and not model and not browser and not slow" $(ARGS)

# The README's screenshots, retaken by the browser tests (Label Studio and Datasette journeys).
screenshots: setup
	bash scripts/install-browser.sh
	FACTCHECK_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -m browser $(ARGS)

lint: setup
	.venv/bin/ruff check factcheck tests bench scripts
	.venv/bin/mypy
	.venv/bin/python scripts/docs.py --check

bench: setup
	.venv/bin/python bench/extract.py $(ARGS)
	.venv/bin/python bench/classify.py

# 1M-claim store: about 10 minutes the first time (cached in ~/.cache/factcheck/bench).
bench-store: setup
	.venv/bin/python bench/store.py $(ARGS)

train-model: setup
	.venv/bin/factcheck train $(TRAIN_SOURCES) $(EVAL_SOURCES) $(TRAIN_ARGS)
	@echo "Compare its card with the promoted one (factcheck models list; models diff lists flipped sentences), then:"
	@echo "factcheck models promote NEW (refused if it loses F1 on a held-out set)."

clean:
	rm -rf .venv build *.egg-info .pytest_cache
