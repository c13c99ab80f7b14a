"""The four case worlds: load the committed CSVs or generate a world afresh.

Examples
--------
>>> from segtools.data import load_case
>>> case = load_case("retail")
>>> sorted(case.tables)
['customers', 'leads', 'lifestyle_codes', 'profiles', 'survey', 'transactions']
>>> case.snapshot_date
Timestamp('2026-01-01 00:00:00')
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

WORLDS = ("retail", "startup", "consulting", "agency")
DEFAULT_SEED = 20260101
DATE_COLUMNS = {"signup_date", "date", "created_at", "last_activity_at", "converted_at", "month", "start_date",
                "answered_at"}
#: Columns that look like numbers but are codes: always read as text (postcode ``"1012"``).
TEXT_COLUMNS = {"postcode"}


def datasets_dir() -> Path:
    """The folder with the committed CSVs (``SEGTOOLS_DATASETS`` overrides it).

    Returns
    -------
    Path
        ``datasets/`` of the repository, or the folder the environment variable names.
    """
    return Path(os.environ.get("SEGTOOLS_DATASETS", Path(__file__).resolve().parents[2] / "datasets"))


@dataclass
class Case:
    """One world's tables, its planted segments (the answer key) and its snapshot date.

    Attributes
    ----------
    name : str
        ``retail``, ``startup``, ``consulting`` or ``agency``.
    title : str
        A one-line description of the business.
    tables : dict of str to DataFrame
        ``customers``, ``transactions`` and ``leads``, plus the world's own tables (the
        retailer's and the startup's include ``profiles``; the retailer's also ``survey``
        and ``lifestyle_codes``, made for the segmentation-software chapter).
    answer_key : dict of str to DataFrame
        The planted segments: ``customers`` (customer_id, segment) and ``leads``
        (lead_id, segment). Kept apart from the features on purpose.
    snapshot_date : Timestamp
        The day the analysis is run: the day after the last day with data.
    """

    name: str
    title: str
    tables: dict
    answer_key: dict
    snapshot_date: object = field(default=None)

    @property
    def customers(self):
        return self.tables["customers"]

    @property
    def transactions(self):
        return self.tables["transactions"]

    @property
    def leads(self):
        return self.tables["leads"]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}: {len(v):,} rows" for k, v in self.tables.items())
        return f"<Case {self.name!r} ({self.title}); {sizes}>"


def _spec(name: str):
    from importlib import import_module

    if name not in WORLDS:
        raise ValueError(f"unknown case {name!r}: choose one of {', '.join(WORLDS)}")
    return import_module(f"segtools.data._worlds.{name}").SPEC


def _normalise(df):
    """One set of dtypes whether a table was generated or read from CSV."""
    import pandas as pd

    out = {}
    for col in df.columns:
        s = df[col]
        if col in DATE_COLUMNS:
            s = pd.to_datetime(s).astype("datetime64[ns]")
        elif s.dtype == object:
            s = s.astype("str")
        out[col] = s
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def make_case(name: str, *, random_state: int = DEFAULT_SEED, n_customers: int | None = None,
              n_leads: int | None = None) -> Case:
    """Generate a world: deterministic for a ``random_state`` and sizes.

    At the default seed and sizes it reproduces the committed CSVs exactly.

    Parameters
    ----------
    name : str
        One of ``retail``, ``startup``, ``consulting``, ``agency``.
    random_state : int
        Seed of the random generator.
    n_customers, n_leads : int, optional
        Sizes; by default the world's own. When only ``n_customers`` is given, the
        number of leads scales with it, keeping the world's ratio.

    Returns
    -------
    Case
        The world's tables, answer key and snapshot date.

    Examples
    --------
    >>> from segtools.data import make_case
    >>> big = make_case("retail", random_state=1, n_customers=20_000)
    >>> len(big.customers)
    20000
    """
    import pandas as pd

    from segtools.data._worlds.engine import generate
    from segtools.data._worlds.extras import extra_tables
    from segtools.data._worlds.spec import SNAPSHOT_DATE

    spec = _spec(name)
    if n_customers is None:
        n_customers = spec.n_customers
    if n_leads is None:
        n_leads = round(spec.n_leads * n_customers / spec.n_customers)
    if n_customers < 1 or n_leads < 1:
        raise ValueError("n_customers and n_leads must be at least 1")
    tables, answer_key = generate(spec, random_state, int(n_customers), int(n_leads))
    # the software chapter's tables come from their own random stream: the core tables stay as they were
    tables.update(extra_tables(name, random_state, tables, answer_key["customers"]["segment"].to_numpy()))
    order = ["customers", "transactions", "leads", *sorted(set(tables) - {"customers", "transactions", "leads"})]
    return Case(name, spec.title, {k: _normalise(tables[k]) for k in order},
                {k: _normalise(v) for k, v in answer_key.items()}, pd.Timestamp(SNAPSHOT_DATE))


def _read(path: Path):
    import pandas as pd

    header = pd.read_csv(path, nrows=0).columns
    frame = pd.read_csv(path, parse_dates=[c for c in header if c in DATE_COLUMNS],
                        dtype={c: str for c in header if c in TEXT_COLUMNS})
    return _normalise(frame)


def load_case(name: str) -> Case:
    """Read a world's committed CSVs from ``datasets/NAME/``.

    Parameters
    ----------
    name : str
        One of :data:`WORLDS`.

    Returns
    -------
    Case
        The tables, the answer key and the snapshot date.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> load_case("consulting").leads["converted"].dtype
    dtype('bool')
    """
    import pandas as pd

    from segtools.data._worlds.spec import SNAPSHOT_DATE

    spec = _spec(name)
    folder = datasets_dir() / name
    if not folder.is_dir():
        raise FileNotFoundError(f"no committed data for {name!r} in {folder}: run `python -m segtools.data write`")
    tables = {p.stem: _read(p) for p in sorted(folder.glob("*.csv"))}
    key = {p.stem: _read(p) for p in sorted((folder / "answer_key").glob("*.csv"))}
    ordered = {t: tables.pop(t) for t in ("customers", "transactions", "leads")}
    ordered.update(tables)
    return Case(name, spec.title, ordered, key, pd.Timestamp(SNAPSHOT_DATE))


def case_sizes(names=WORLDS):
    """Rows per table per world (committed data), one row per (world, table): a tour in numbers.

    Parameters
    ----------
    names : iterable of str
        The worlds to count.

    Returns
    -------
    DataFrame
        Columns ``world``, ``table`` and ``rows``.

    Examples
    --------
    >>> from segtools.data import case_sizes
    >>> case_sizes(["consulting"])["table"].tolist()
    ['customers', 'transactions', 'leads']
    """
    import pandas as pd

    rows = [{"world": name, "table": table, "rows": len(frame)}
            for name in names for table, frame in load_case(name).tables.items()]
    return pd.DataFrame(rows)


def case_csv_texts(case: Case) -> dict:
    """Each table as the exact CSV text written to ``datasets/`` (relative path -> text).

    Parameters
    ----------
    case : Case
        A generated or loaded world.

    Returns
    -------
    dict of str to str
        ``"customers.csv"``, ..., ``"answer_key/leads.csv"`` to their text.
    """
    texts = {f"{t}.csv": df.to_csv(index=False, lineterminator="\n") for t, df in case.tables.items()}
    texts.update({f"answer_key/{t}.csv": df.to_csv(index=False, lineterminator="\n")
                  for t, df in case.answer_key.items()})
    return texts


def write_case(case: Case, folder: Path) -> None:
    """Write a case's tables and answer key as CSV files into ``folder``.

    Parameters
    ----------
    case : Case
        A generated or loaded world.
    folder : str or Path
        Created if missing; files of the same name in it are replaced.
    """
    folder = Path(folder)
    (folder / "answer_key").mkdir(parents=True, exist_ok=True)
    for rel, text in case_csv_texts(case).items():
        (folder / rel).write_text(text, encoding="utf-8")
