# One task runner. `make run` and `make test` are the README's two commands.
ARGS ?=
DB ?= factcheck.db

.PHONY: setup run test bench clean

setup:
	@bash scripts/bootstrap.sh

run: setup
	.venv/bin/factcheck extract examples/ --db $(DB) --format summary
	@echo "Claims stored in $(DB). Try: .venv/bin/factcheck extract examples/en_diplomacy.txt --format table --no-store"

test: setup
	.venv/bin/python -m pytest $(ARGS)

bench: setup
	.venv/bin/python bench/extract.py $(ARGS)

clean:
	rm -rf .venv build *.egg-info .pytest_cache
