"""Read an analyst's own files into validated tables.

Real exports differ from the contracts in names, delimiters, encodings, date formats
and decimal marks. :func:`read_table` reads a CSV (delimiter and encoding detected
unless given) or Parquet file, applies a column mapping, and validates the result with
:func:`segtools.data.contracts.validate`. Problems name the file and the *line numbers* in it.
The file itself is only ever opened for reading.

A mapping file (YAML) has one section per table::

    tables:
      transactions:
        file_options: {delimiter: ";", decimal: ",", date_format: "%d-%m-%Y", encoding: "cp1252"}
        columns: {"Klantnr": customer_id, "Datum": date, "Bedrag": amount}

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

import csv
from pathlib import Path

from segtools.errors import ValidationError

FILE_OPTIONS = ("delimiter", "encoding", "decimal", "date_format", "refunds")
DELIMITERS = [",", ";", "\t", "|"]


def load_mapping(path) -> dict:
    """Read a YAML mapping file; returns ``{table: {"columns": {...}, option: value}}``."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ValidationError(f"cannot read the mapping file {path.name}: {err}") from None
    tables = data.get("tables", data) if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        raise ValidationError(f"mapping file {path.name}: expected a 'tables:' section with one entry per table")
    out = {}
    for table, section in tables.items():
        section = dict(section or {})
        options = dict(section.pop("file_options", {}) or {})
        options.update({k: section.pop(k) for k in list(section) if k in FILE_OPTIONS})
        columns = section.pop("columns", {}) or {}
        if section:
            raise ValidationError(f"mapping file {path.name}: unknown key(s) {', '.join(section)} under {table!r}")
        out[table] = {"columns": {str(k): str(v) for k, v in columns.items()}, **options}
    return out


def _decode(raw: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """The file's text and the encoding used: BOMs first, then UTF-8, then Windows-1252."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as err:
            raise ValidationError(f"file {name} cannot be read as {encoding}: {err}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise ValidationError(f"file {name} is not a text file (it holds NUL bytes): export it as CSV") from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as err:
        raise ValidationError(f"file {name} is neither UTF-8 nor Windows-1252 text ({err.reason} at byte "
                              f"{err.start}): give its encoding in the mapping (encoding: ...)") from None


def _sniff_delimiter(text: str, name: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        if counts[best] == 0:
            return ","  # one column: validation will say which columns are missing
        return best


def read_table(path, table: str, mapping: dict | None = None, **options):
    """Read, map and validate one table from a CSV or Parquet file.

    Parameters
    ----------
    path : str or Path
    table : {"customers", "transactions", "leads"}
    mapping : dict, optional
        ``{"columns": {their: ours}, "delimiter": ..., "encoding": ..., "decimal": ...,
        "date_format": ...}``, e.g. one table's entry of :func:`load_mapping`.
    **options
        The same file options, overriding the mapping's.

    Returns
    -------
    DataFrame
        The validated table; ``df.attrs["source"]`` records the file name, encoding and delimiter used.
    """
    import io

    import pandas as pd

    from segtools.data.contracts import CONTRACTS, map_columns, validate

    path = Path(path)
    settings = dict(mapping or {})
    settings.update(options)
    columns = settings.pop("columns", {}) or {}
    unknown = set(settings) - set(FILE_OPTIONS)
    if unknown:
        raise ValidationError(f"unknown file option(s) for {path.name}: {', '.join(sorted(unknown))}")
    if not path.is_file():
        raise ValidationError(f"file {path} does not exist", table=table)
    raw = path.read_bytes()
    if not raw.strip():
        raise ValidationError(f"file {path.name} is empty: expected a header row and at least one {table} row", table)
    source = {"file": path.name}
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm", ".ods"):
        raise ValidationError(f"file {path.name} is a spreadsheet workbook: save the sheet as CSV (UTF-8) and "
                              "read that", table)
    if path.suffix.lower() in (".parquet", ".pq"):
        frame = pd.read_parquet(io.BytesIO(raw))
    else:
        text, source["encoding"] = _decode(raw, settings.get("encoding"), path.name)
        delimiter = settings.get("delimiter") or _sniff_delimiter(text, path.name)
        source["delimiter"] = delimiter
        contract = CONTRACTS.get(table)
        text_columns = set(contract.texts) if contract else set()
        as_text = {theirs for theirs, ours in columns.items() if ours in text_columns} | text_columns
        try:
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype={c: "str" for c in as_text},
                                decimal=settings.get("decimal", "."), skipinitialspace=True)
        except (pd.errors.ParserError, ValueError) as err:
            raise ValidationError(f"file {path.name} is not a readable {delimiter!r}-separated table: {err}", table) from None
        frame.columns = [str(c).strip() for c in frame.columns]
        frame.index = pd.RangeIndex(2, len(frame) + 2)  # labels = line numbers in the file
    if frame.empty:
        raise ValidationError(f"file {path.name} has a header but no {table} rows", table)
    frame = map_columns(frame, columns)
    try:
        result = validate(frame, table, date_format=settings.get("date_format"), decimal=settings.get("decimal", "."),
                          refunds=settings.get("refunds", "allow"))
    except ValidationError as err:
        hint = ""
        if len(frame.columns) == 1 and "delimiter" in source:
            hint = f"\n  hint: the file was read as one column with delimiter {source['delimiter']!r}; is it another?"
        raise ValidationError(f"file {path.name} (row labels are line numbers): {err}{hint}", table, err.problems) from None
    result = result.reset_index(drop=True)
    result.attrs["source"] = source
    return result
