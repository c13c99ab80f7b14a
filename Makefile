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
# It links the case reports and the own-data example report (the example CRM export, with the two
# invoice lines notebook 08 repairs or sets aside fixed the same way) in build/reports/own_data.
book: $(STAMP) reports
	mkdir -p build/own_data_example
	LC_ALL=C sed -e '/;31-11-2025;/d' -e 's/ EUR;/;/' datasets/example_export/facturen.csv > build/own_data_example/facturen_fixed.csv
	$(BIN)/segtools report --customers datasets/example_export/klanten.csv \
	    --transactions build/own_data_example/facturen_fixed.csv --leads datasets/example_export/leads.csv \
	    --mapping datasets/example_export/mapping.yml --points startup --capacity 50 \
	    --out build/reports/own_data --force
	$(BIN)/python -m segtools.workbook.book html --out build

# The same site with every solution open, in build/instructor/ (it links the reports in build/reports).
.PHONY: book-instructor
book-instructor: $(STAMP) reports
	$(BIN)/python -m segtools.workbook.book html --instructor --out build/instructor --reports-from build

# JupyterLab on the workbook; as root (a container) it adds --allow-root. More options: make lab LAB_ARGS="--no-browser --port 8899"
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) notebooks/00_start_here.ipynb

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build
