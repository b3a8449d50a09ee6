# The README's two commands: `make demo` and `make test`. Both create .venv on first use and
# re-install the project only when pyproject.toml has changed since the last install.
#   make demo    the demo company on the embedded SQLite database (or CMW_DATABASE_URL); files in ./demo-output
#   make test    import contracts (lint-imports), types of engine/ and storage/ (mypy), then the whole test suite (pytest)
#   make bench   the benchmark harness (benchmarks/run.py)
#   make clean   remove .venv, demo-output and caches (not the database under ~/.local/share/cmw)
# Extra arguments: make test PYTEST_ARGS="-k stores -x"; make bench BENCH_ARGS="--size small --repeat 1"

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test bench clean

demo: $(STAMP)
	$(BIN)/cmw demo

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) demo-output build dist *.egg-info .pytest_cache .import_linter_cache .mypy_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# python3.11 if there is one, else python3 when it is 3.11 or newer.
$(BIN)/python:
	@py=$$(command -v python3.11 || true); \
	if [ -z "$$py" ] && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		py=$$(command -v python3); \
	fi; \
	if [ -z "$$py" ]; then \
		echo "cmw needs Python 3.11 or newer: found neither python3.11 nor a python3 >= 3.11 (python3 is: $$(python3 --version 2>&1))." >&2; \
		echo "Install Python 3.11 (Debian/Ubuntu: apt-get install python3.11 python3.11-venv) and run make again." >&2; \
		exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV) (Debian/Ubuntu: apt-get install python3.11-venv)." >&2; exit 1; }

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing cmw and its test tools into $(VENV) (pyproject.toml is new or changed)."
	@echo "pip now downloads and installs some 55 packages (pandas, SQLAlchemy, WeasyPrint, xlwings, ...) and prints"
	@echo "nothing until it is done: the first time takes 2-4 minutes, later changes seconds."
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)
