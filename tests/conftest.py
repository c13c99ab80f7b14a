"""Shared test settings and the files the report tests write."""

import os

import pytest

# Lets scikit-learn's estimator checks run their array-API check (numpy namespace) instead of skipping it;
# scipy reads this at import, so it is set before anything imports scipy.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# headless plotting and closing figures after each test: the repository's conftest.py


def write_own_files(folder, names):
    """A small consulting world as an analyst's CSV files, with formula-like ids and ``names`` as lead names.

    Returns ``(case, {table: path})``; the tests check that reports neutralise and never change these files.
    """
    from segtools.data import make_case

    case = make_case("consulting", random_state=3, n_customers=40, n_leads=60)
    rename = {"C00001": "=1+2", "L00001": "@SUM(9)"}
    files = {}
    for table in ("customers", "transactions", "leads"):
        df = case.tables[table].copy()
        for col in ("customer_id", "lead_id"):
            if col in df:
                df[col] = df[col].replace(rename)
        if table == "leads":
            df["name"] = [names[i % len(names)] for i in range(len(df))]
        files[table] = folder / f"{table}.csv"
        df.to_csv(files[table], index=False)
    return case, files


def write_order_line_export(folder):
    """An order-line export shaped like the public "online retail" files, and its mapping: ``(export, mapping)``.

    Month-first dates with times, cancellations as negative quantities, customer ids read as floats, no
    customers file.
    """
    lines = ["Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID,Country",
             "536365,85123A,6,12/1/2010 8:26,2.55,17850.0,United Kingdom",
             "536366,71053,2,12/13/2010 9:01,3.39,17850.0,United Kingdom",
             "C536379,71053,-1,12/14/2010 9:41,3.39,17850.0,United Kingdom",
             "536367,84406B,8,1/2/2011 10:00,2.75,13047.0,United Kingdom",
             "536368,22960,3,3/15/2011 12:30,4.25,12583.0,France"]
    export = folder / "online_retail.csv"
    export.write_text("\n".join(lines) + "\n")
    mapping = folder / "mapping.yml"
    mapping.write_text('tables:\n  transactions:\n    columns: {"Customer ID": customer_id, InvoiceDate: date, '
                       'Quantity: quantity, Price: unit_price}\n')
    return export, mapping


@pytest.fixture
def kernels():
    """A callable: the Jupyter kernels this test process has started and that still run (none, after a report)."""
    import psutil

    def running():
        found = []
        for child in psutil.Process().children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:  # ended meanwhile
                pass
        return found

    return running
