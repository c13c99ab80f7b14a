"""Write the three report templates in this folder.

A template only displays: its parameters cell, one call of
:func:`segtools.reporting.build_report`, and one ``report.show(...)`` cell per section. The
tables, charts and texts are made in :mod:`segtools.reporting`, never here. After a change,
run (from the repository root)

    .venv/bin/python segtools/reporting/templates/make_templates.py

``tests/test_report_templates.py`` checks that the stored templates match this script.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

# Comment lines hold no equals sign and no apostrophe: papermill would skip such a line.
PARAMS = '''# {heading} template: run it with `segtools report` (papermill) or papermill itself.
# The HTML report leaves every code cell out and shows only the outputs and the text.
# Parameters (papermill overrides these in the cell below this one).
case = "startup"            # a world: retail, startup, consulting, agency; empty for your own files
customers_path = ""         # your own files (used when case is empty); CSV or Parquet
transactions_path = ""      # a file, a glob such as orders/*.parquet, or a folder
engine = "auto"             # where transactions are summarised: auto, pandas, duckdb, spark (auto picks duckdb for big files)
leads_path = ""
mapping_path = ""           # a YAML column mapping, see notebooks/08_your_own_data.ipynb
points_path = ""            # a lead points table (CSV or YAML); empty for the default rules of the world
snapshot_date = ""          # analysis date YYYY-MM-DD; empty for the date of the case, or the day after your data
n_segments = 4              # number of behaviour clusters among the customers
capacity = 200              # leads the sales team can call in one period
post_outcome = ""           # lead columns filled in after the outcome, comma separated (also the mapping key post_outcome)
keep_flagged = ""           # lead columns the leak alarm flags that you keep on purpose, comma separated
random_state = 0            # seed of the clusters, the lead model and the random tie-break at the capacity boundary
output_dir = "."            # where the CSV exports and summary.json are written'''

BUILD = '''from segtools.reporting import build_report

report = build_report(case=case, customers=customers_path, transactions=transactions_path, leads=leads_path,
                      mapping=mapping_path or None, points=points_path or None,
                      snapshot_date=snapshot_date or None, n_segments=n_segments, capacity=capacity,
                      post_outcome=post_outcome, keep_flagged=keep_flagged, random_state=random_state,
                      sections={sections!r}, out=output_dir, engine=engine)'''

HERE = Path(__file__).resolve().parent
FILES = {"case": "case_report.ipynb", "customers": "customer_report.ipynb", "leads": "lead_report.ipynb"}
KINDS = {"case": ("Case report", ("customers", "leads")), "customers": ("Customer report", ("customers",)),
         "leads": ("Lead report", ("leads",))}


def build(kind, folder=HERE):
    """Write the template of ``kind`` (``case``, ``customers`` or ``leads``) into ``folder``."""
    heading, sections = KINDS[kind]
    shown = ["intro", "run", *sections, *(["funnel"] if kind == "case" else []), "files"]
    cells = [new_code_cell(PARAMS.format(heading=heading), metadata={"tags": ["parameters"]}),
             new_code_cell(BUILD.format(sections=sections)),
             *(new_code_cell(f'report.show("{name}")') for name in shown)]
    for i, c in enumerate(cells):
        c.id = f"cell-{i:02d}"  # fixed ids: regenerating gives the same file
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    nbformat.write(nb, Path(folder) / FILES[kind])


def main(folder=HERE):
    """Write the three templates into ``folder``."""
    for kind in FILES:
        build(kind, folder)


if __name__ == "__main__":
    main()
