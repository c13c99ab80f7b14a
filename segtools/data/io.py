"""Read an analyst's own files into validated tables.

Real exports differ from the contracts in names, delimiters, encodings, date formats
and decimal marks. :func:`read_table` reads a CSV (delimiter and encoding detected
unless given) or Parquet file, applies a column mapping, and validates the result with
:func:`segtools.data.contracts.validate`. Problems name the file and the *line numbers* in it
(the line each record starts on, as an editor shows it; the header is line 1). The file
itself is only ever opened for reading; every problem is a :class:`~segtools.errors.ValidationError`.

The mapping (YAML, read by :func:`load_mapping`; see :mod:`segtools.data.mapping`) has one
section per table::

    tables:
      transactions:
        file_options: {delimiter: ";", decimal: ",", date_format: "%d-%m-%Y", encoding: "cp1252"}
        duplicates: error
        columns: {"Klantnr": customer_id, "Datum": date, "Bedrag": amount}

Building blocks: :mod:`segtools.data.arrow_csv` (the plain UTF-8 files most exports are, read by
pyarrow), :mod:`segtools.data.csv_text` (any other text: encodings, delimiters, records with line
numbers), :mod:`segtools.data.parsing` (dates, numbers, flags), :mod:`segtools.data.checks`.

Examples
--------
>>> from pathlib import Path
>>> import tempfile
>>> from segtools.data.io import read_table
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "tx.csv").write_text("Klant;Datum;Bedrag\\nK1;31-12-2025;12,50\\n", encoding="utf-8")
>>> mapping = {"columns": {"Klant": "customer_id", "Datum": "date", "Bedrag": "amount"}, "decimal": ","}
>>> read_table(folder / "tx.csv", "transactions", mapping)["amount"].tolist()
[12.5]
"""

from __future__ import annotations

from pathlib import Path

from segtools.data.mapping import FILE_OPTIONS, load_mapping, table_settings
from segtools.errors import ValidationError

__all__ = ["read_table", "load_mapping", "FILE_OPTIONS"]
WORKBOOKS = (".xlsx", ".xls", ".xlsm", ".ods")
PARQUET = (".parquet", ".pq")


def read_table(path, table: str, mapping: dict | None = None, *, snapshot_date=None, **options):
    """Read, map and validate one table from a CSV or Parquet file.

    Parameters
    ----------
    path : str or Path
    table : {"customers", "transactions", "leads"}
    mapping : dict, optional
        ``{"columns": {their: ours}, "delimiter": ..., "encoding": ..., "decimal": ...,
        "date_format": ..., "refunds": ..., "duplicates": ..., "post_outcome": [...]}``, e.g. one
        table's entry of :func:`load_mapping` (``post_outcome`` is carried, not used here).
    snapshot_date : str or Timestamp, optional
        The analysis date when it is given: rows dated on a later day are refused (or left out
        with ``future_dates: exclude``). Without it, rows far after the bulk of a date column's
        dates are (:func:`segtools.data.checks.late_dates`).
    **options
        The same file options, overriding the mapping's.

    Returns
    -------
    DataFrame
        The validated table. ``df.attrs["source"]`` records the file name, encoding and delimiter
        used; ``df.attrs["lines"]`` the line each row came from (for later messages).

    Raises
    ------
    ValidationError
        For a file that cannot be read or breaks its contract, naming the file, column and lines.
    """
    from segtools.data import csv_text
    from segtools.data.contracts import CONTRACTS, TABLES

    path = Path(path)
    if table not in CONTRACTS:
        raise ValidationError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}", table)
    settings = table_settings(mapping, options, table)
    columns = settings.pop("columns")
    settings.pop("post_outcome", None)
    if not path.is_file():
        raise ValidationError(f"file {path} does not exist", table=table)
    contract = CONTRACTS[table]
    kept = {*contract.texts, *contract.numbers}  # their text matters: "007", "1.234"
    suffix = path.suffix.lower()
    frame = None
    if suffix not in WORKBOOKS + PARQUET:  # the common case first: a plain UTF-8 file, read by Arrow
        frame, source = _read_plain(path, settings, lambda header: [h for h in header if columns.get(h, h) in kept])
    if frame is not None:
        return _typed(frame, path, table, columns, settings, source, "lines", snapshot_date)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ValidationError(f"file {path.name} cannot be read: {err.strerror or err}", table) from None
    if not raw.strip():
        raise ValidationError(f"file {path.name} is empty: expected a header row and at least one {table} row", table)
    source = {"file": path.name}
    if suffix in WORKBOOKS:
        raise ValidationError(f"file {path.name} is a spreadsheet workbook: save the sheet as CSV (UTF-8) and "
                              "read that", table)
    if suffix in PARQUET:
        frame, word = _read_parquet(raw, path.name, table), "rows"
    else:
        csv_text.refuse_binary(raw, path.name)
        text, source["encoding"] = csv_text.decode(raw, settings.get("encoding"), path.name)
        delimiter = settings.get("delimiter") or csv_text.sniff_delimiter(text)
        source["delimiter"] = delimiter
        del raw
        frame, word = csv_text.fast_frame(text, delimiter, path.name,
                                          lambda header: [h for h in header if columns.get(h, h) in kept]), "lines"
        if frame is None:  # the csv module's slower path: ragged rows, blank lines, odd quotes ...
            header, rows, lines = csv_text.records(text, delimiter, path.name)
            if not header:
                raise ValidationError(f"file {path.name} is empty: expected a header row and at least one "
                                      f"{table} row", table)
            frame = csv_text.frame(header, rows, lines)
        del text
    return _typed(frame, path, table, columns, settings, source, word, snapshot_date)


def _read_plain(path: Path, settings: dict, text_columns):
    """The frame of a plain UTF-8 CSV file read by :mod:`segtools.data.arrow_csv` and its source, or (None, None)."""
    from segtools.data import arrow_csv, csv_text

    try:
        with path.open("rb") as f:
            head = f.read(arrow_csv.HEAD)
    except OSError:
        return None, None  # the slower path names the problem
    text = arrow_csv.head_text(head, settings.get("encoding"))
    if text is None:
        return None, None
    delimiter = settings.get("delimiter") or csv_text.sniff_delimiter(text)
    frame = arrow_csv.arrow_frame(path, text, delimiter, path.name, text_columns, complete=len(head) < arrow_csv.HEAD)
    return frame, {"file": path.name, "encoding": settings.get("encoding") or "utf-8", "delimiter": delimiter}


def _typed(frame, path: Path, table: str, columns: dict, settings: dict, source: dict, word: str, snapshot_date):
    """The mapped, typed and validated table of a frame read from ``path`` (rows labelled by ``word``)."""
    import pandas as pd

    from segtools.data import csv_text
    from segtools.data.checks import line_runs
    from segtools.data.contracts import CONTRACTS, map_columns, validate

    if frame.empty:
        raise ValidationError(f"file {path.name} has a header but no {table} rows", table)
    try:
        frame = map_columns(frame, columns)
    except ValidationError as err:
        raise ValidationError(f"file {path.name}: {err}", table) from None
    contract = CONTRACTS[table]
    typed = {*contract.dates, *contract.texts, *contract.numbers, *contract.flags}
    for col in frame.columns:
        if col not in typed and (frame[col].dtype == object or isinstance(frame[col].dtype, pd.StringDtype)):
            frame[col] = csv_text.infer_types(frame[col], settings.get("decimal"))
    try:
        result = validate(frame, table, date_format=settings.get("date_format"), decimal=settings.get("decimal"),
                          refunds=settings.get("refunds", "allow"), duplicates=settings.get("duplicates", "error"),
                          future_dates=settings.get("future_dates", "error"), snapshot_date=snapshot_date,
                          source=path.name, labels=word)
    except ValidationError as err:
        hint = ""
        if len(frame.columns) == 1 and "delimiter" in source:
            hint = f"\n  hint: the file was read as one column with delimiter {source['delimiter']!r}; is it another?"
        message = str(err) if str(err).startswith("file ") else f"file {path.name}: {err}"
        raise ValidationError(message + hint, table, err.problems) from None
    lines = result.index
    runs = ((0, lines.start),) if isinstance(lines, pd.RangeIndex) and lines.step == 1 and len(lines) else \
        line_runs(lines.to_numpy(dtype="int64"))
    excluded = dict(result.attrs.get("excluded", {}))
    result = result.reset_index(drop=True)
    result.attrs = {"source": source, "lines": {"runs": runs, "rows": len(result), "word": word}}
    if excluded:
        result.attrs["excluded"] = excluded
    return result


def _read_parquet(raw: bytes, name: str, table: str):
    """A Parquet file's table, rows labelled 1, 2, ...; index columns kept as columns."""
    import io

    import pandas as pd

    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as err:  # pyarrow raises many types (ArrowInvalid, OSError...); the analyst needs one message
        raise ValidationError(f"file {name} is not a readable Parquet file ({type(err).__name__}: "
                              f"{' '.join(str(err).split())[:200]})", table) from None
    if any(n is not None for n in frame.index.names):
        frame = frame.reset_index()  # a named index (e.g. customer_id) is data, not a row number
    if frame.columns.duplicated().any():
        twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise ValidationError(f"file {name}: the column(s) {', '.join(map(repr, twice))} appear more than once", table)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame
