# The workbook's commands. Each target sets up .venv by itself (pinned installs),
# and set-up is skipped when pyproject.toml and constraints.txt have not changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
# No debugger notice from the kernel, and Jupyter's own folders in their modern place.
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: setup test unit nbtest notebooks book reports lab bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest tests segtools --doctest-modules
	$(BIN)/python -m pytest $(NBVAL) $(NOTEBOOKS)

unit: $(STAMP)
	$(BIN)/python -m pytest tests segtools --doctest-modules -m "not slow"

nbtest: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) $(NOTEBOOKS)

# Re-execute every stored notebook in place, top to bottom, from its own folder.
notebooks: $(STAMP)
	$(BIN)/python -m segtools.workbook.book execute $(NOTEBOOKS)

reports: $(STAMP)
	$(BIN)/segtools report --all-cases --out build/reports --force

# The course site from the notebooks' stored outputs (nothing is executed): build/index.html.
book: $(STAMP) reports
	$(BIN)/python -m segtools.workbook.book html --out build

# The same site with every solution open, in build/instructor/ (it links the reports in build/reports).
.PHONY: book-instructor
book-instructor: $(STAMP) reports
	$(BIN)/python -m segtools.workbook.book html --instructor --out build/instructor --reports-from build

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build
