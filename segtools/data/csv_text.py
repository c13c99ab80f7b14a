"""From a CSV file's bytes to text records, each with the physical line it starts on.

* :func:`refuse_binary` names what a non-text file looks like (XLSX, ZIP, Parquet, PDF...).
* :func:`decode` reads byte-order marks (UTF-8/16/32), UTF-16 *without* a byte-order mark
  (recognised by its NUL bytes in every other position), then UTF-8, then Windows-1252.
* :func:`records` parses with the :mod:`csv` module and notes the line each record starts
  on (``reader.line_num`` before the record + 1), so a quoted cell spanning two lines does
  not shift the line numbers of the rows after it. The header must not name a column twice,
  and a row may not hold more cells than the header (empty trailing cells aside).
* :func:`fast_frame` reads the common case (one-line header, every row as wide as the header
  or narrower, no blank lines, quotes closed) with pandas' C parser, which is ~10x faster; a
  record's line is its row number + 2, plus the line breaks inside quoted cells above it
  (counted only when the file has more line breaks than records). Anything else returns None
  and goes through :func:`records`, which words the error; both give the same frame.

Examples
--------
>>> header, rows, lines = records('id,note\\nA,"two\\nlines"\\nB,x\\n', ",", "t.csv")
>>> header, rows, lines
(['id', 'note'], [['A', 'two\\nlines'], ['B', 'x']], [2, 4])
"""

from __future__ import annotations

import csv
import io
import re

from segtools.errors import ValidationError

DELIMITERS = [",", ";", "\t", "|"]
# pandas' default missing-value words (read_csv), so a file reads as it did with pandas
NA_WORDS = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
            "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
SIGNATURES = [(b"PAR1", "a Parquet file: name it .parquet"),
              (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
              (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"\x89PNG", "a PNG image"),
              (b"\xff\xd8\xff", "a JPEG image"), (b"SQLite format 3", "an SQLite database"),
              (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\xfd7zXZ", "an xz archive"), (b"Rar!", "a RAR archive"),
              (b"ORC", "an ORC file"), (b"Obj\x01", "an Avro file"), (b"ARROW1", "an Arrow/Feather file")]


def refuse_binary(raw: bytes, name: str) -> None:
    """Raise a ValidationError when the bytes are a known binary format, not a text CSV.

    Parameters
    ----------
    raw : bytes
    name : str
        The file name, for the message.
    """
    kind = None
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(raw)
    else:
        kind = next((what for magic, what in SIGNATURES if raw.startswith(magic)), None)
    if kind:
        raise ValidationError(f"file {name} is not a text CSV file (looks like {kind}): export it as CSV "
                              "(UTF-8) or give the file with its own extension")


def _zip_kind(raw: bytes) -> str:
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
    if any(n.startswith("xl/") for n in names):
        return "an XLSX workbook, a ZIP archive: save the sheet as CSV"
    if "content.xml" in names:
        return "an ODS/ODF document, a ZIP archive: save the sheet as CSV"
    if any(n.startswith("word/") for n in names):
        return "a DOCX document, a ZIP archive"
    return "a ZIP archive (or an XLSX workbook)"


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes sit in every other position (mostly-ASCII UTF-16)."""
    sample = raw[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) >= 0.4 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(raw: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """The file's text and the encoding used.

    Parameters
    ----------
    raw : bytes
    encoding : str or None
        Given in the mapping; None detects it.
    name : str
        The file name, for messages.

    Returns
    -------
    tuple of (str, str)
    """
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeError, LookupError) as err:
            raise ValidationError(f"file {name} cannot be read as {encoding}: {err}") from None
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec.replace("-sig", "")
            except UnicodeError as err:
                raise ValidationError(f"file {name} starts with a {codec} byte-order mark but is not {codec} "
                                      f"text ({err.reason} at byte {err.start})") from None
    if b"\x00" in raw[:4096]:
        codec = _utf16_without_bom(raw)
        if codec:
            try:
                return raw.decode(codec), codec
            except UnicodeError:
                raise ValidationError(f"file {name} looks like UTF-16 without byte-order mark but does not decode "
                                      f"as {codec}: give encoding: utf-16-le (or utf-16-be) in the mapping") from None
        raise ValidationError(f"file {name} is not a text CSV file (it holds NUL bytes from byte "
                              f"{raw.index(0)}; a binary export or UTF-16 without byte-order mark?): export it as "
                              "CSV (UTF-8)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as err:
        raise ValidationError(f"file {name} is neither UTF-8 nor Windows-1252 text ({err.reason} at byte "
                              f"{err.start}): give its encoding in the mapping (encoding: ...)") from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first 50 lines (csv.Sniffer), else the most frequent one in the header.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","  # one column: validation will say which columns are missing


class _Lines:
    """The text's physical lines for the csv reader; keeps the raw lines of the current record."""

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="")
        self.current = []

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self.lines)
        self.current.append(line)
        return line


def records(text: str, delimiter: str, name: str):
    """The header, the cells of every non-blank record and the line each record starts on.

    Parameters
    ----------
    text : str
    delimiter : str
    name : str
        The file name, for messages.

    Returns
    -------
    tuple of (list, list of list, list of int)
    """
    if delimiter in "\"\r\n" or len(delimiter) != 1:
        raise ValidationError(f"file {name}: {delimiter!r} cannot be a delimiter")
    source = _Lines(text)
    reader = csv.reader(source, delimiter=delimiter, quotechar='"', skipinitialspace=True)
    header, header_line, rows, lines, long_rows, last = None, 0, [], [], [], []
    while True:
        start = reader.line_num + 1
        source.current = []
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise ValidationError(f"file {name}, line {start}: not readable as {delimiter!r}-separated text ({err})") from None
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # a blank line
        if header is None:
            header, header_line = [c.strip() for c in record], start
            continue
        if len(record) > len(header):
            if any(c.strip() for c in record[len(header):]):
                long_rows.append(start)
            record = record[:len(header)]
        rows.append(record)
        lines.append(start)
        last = source.current
    if rows and len(last) > 1 and "".join(last).count('"') % 2 == 1:
        raise ValidationError(f"file {name}, line {lines[-1]}: a quoted cell opened here is never closed, so the "
                              f"rest of the file (to line {reader.line_num}) would be one cell")
    if header is None:
        return [], [], []
    if long_rows:
        shown = ", ".join(map(str, long_rows[:5])) + (", ..." if len(long_rows) > 5 else "")
        raise ValidationError(f"file {name}: {len(long_rows)} row{'s' if len(long_rows) != 1 else ''} with more "
                              f"cells than the {len(header)} columns of the header on line {header_line} (lines: "
                              f"{shown}): a {delimiter!r} inside a value that is not in quotes?")
    return name_columns(header, name, header_line), rows, lines


def name_columns(header: list, name: str, line: int) -> list:
    """The header's names; empty ones get pandas' ``Unnamed: i``; a name given twice is refused.

    Parameters
    ----------
    header : list of str
    name : str
        The file name, for the message.
    line : int
        The header's line, for the message.

    Returns
    -------
    list of str
    """
    named = [h if h else f"Unnamed: {i}" for i, h in enumerate(header)]
    seen = {}
    for i, h in enumerate(named):
        seen.setdefault(h, []).append(i)
    twice = {h: pos for h, pos in seen.items() if len(pos) > 1}
    if twice:
        parts = [f"{h!r} is column {' and '.join(f'{p + 1} ({_letters(p)})' for p in pos)}" for h, pos in twice.items()]
        raise ValidationError(f"file {name}: the header on line {line} names a column more than once: "
                              f"{'; '.join(parts)}; rename one of them")
    return named


def _letters(position: int) -> str:
    """The spreadsheet column letters of a 0-based position: 0 -> A, 27 -> AB."""
    out, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def frame(header, rows, lines):
    """A DataFrame of text cells (pandas' missing-value words as missing), labelled by line number.

    Parameters
    ----------
    header, rows, lines
        From :func:`records`.

    Returns
    -------
    DataFrame
    """
    import pandas as pd

    width = len(header)
    cells = [[None if c.strip() in NA_WORDS else c for c in row] + [None] * (width - len(row)) for row in rows]
    out = pd.DataFrame(cells, columns=header, dtype="object", index=pd.Index(lines, dtype="int64"))
    return out


def _breaks(text: str) -> int:
    """The number of line breaks (``\\n``, ``\\r\\n`` or a lone ``\\r``) in the text."""
    n = text.count("\n")
    if "\r" in text:
        n += text.count("\r") - text.count("\r\n")
    return n


def fast_frame(text: str, delimiter: str, name: str, text_columns=None):
    """The frame :func:`frame` gives for :func:`records`, read with pandas' C parser; None when unsure.

    Parameters
    ----------
    text : str
    delimiter : str
    name : str
        The file name, for messages (a header naming a column twice is refused here too).
    text_columns : callable, optional
        Called with the header's names; returns those to keep as text (object cells). The
        others are typed by the C parser (numbers, true/false) as ``read_csv`` would; None keeps all as text.

    Returns
    -------
    DataFrame or None
        None for ragged rows, blank lines, a header over several lines, an unclosed quote or
        anything the C parser refuses: :func:`records` then reads the text and names the problem.
    """
    import numpy as np
    import pandas as pd

    if delimiter not in DELIMITERS or text.count('"') % 2:
        return None
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    first = text[:end]
    if first.count('"') % 2 or not first.strip():
        return None
    header = [c.strip() for c in next(csv.reader([first], delimiter=delimiter, skipinitialspace=True))]
    header = name_columns(header, name, 1)
    keep = set(header if text_columns is None else text_columns(header))
    dtype = {i: object for i, h in enumerate(header) if h in keep}
    try:
        body = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=1, dtype=dtype,
                           skip_blank_lines=False, skipinitialspace=True, quotechar='"', engine="c",
                           keep_default_na=False, na_values=sorted(NA_WORDS))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError, csv.Error):
        return None
    if body.shape[1] > len(header) or body.empty:
        return None
    first_missing = body.iloc[:, 0].isna().to_numpy()
    if first_missing.any() and body[first_missing].isna().all(axis=1).any():
        return None  # a blank line (or a row of missing cells): the csv path tells them apart
    for position in range(body.shape[1], len(header)):
        body[position] = None
    body.columns = header
    breaks, n = _breaks(text), len(body)
    records_end = breaks if text.endswith(("\n", "\r")) else breaks + 1
    lines = np.arange(2, n + 2, dtype="int64")
    if records_end != n + 1:  # line breaks inside quoted cells: each shifts the rows below it
        inside = np.zeros(n, dtype="int64")
        for col in body.columns:
            cells = body[col]
            if cells.dtype == object or isinstance(cells.dtype, pd.StringDtype):
                inside += cells.str.count("\r\n|\r|\n").fillna(0).to_numpy(dtype="int64")
        lines[1:] += np.cumsum(inside)[:-1]
        if lines[-1] + inside[-1] != records_end:
            return None
    if re.search(f" (?:[{re.escape(delimiter)}\r\n]|$)", text):  # a cell ending in a space: "NA " is missing too
        for col in body.columns:
            cells = body[col]
            if cells.dtype == object or isinstance(cells.dtype, pd.StringDtype):
                blank = cells.str.strip().isin(NA_WORDS)
                if blank.any():
                    body[col] = cells.where(~blank, None)
    body.index = pd.Index(lines, dtype="int64")
    return body


def infer_types(column, decimal):
    """A column outside the contract: numbers (or true/false) when every value is one, as read_csv would.

    Parameters
    ----------
    column : Series
        Text cells.
    decimal : {None, ".", ","}

    Returns
    -------
    Series
    """
    import pandas as pd

    mark = "\\." if decimal in (None, ".") else ","
    number = rf"[+-]?(?:[0-9]+(?:{mark}[0-9]*)?|{mark}[0-9]+)(?:[eE][+-]?[0-9]+)?"
    given = column.notna().to_numpy()
    if not given.any():
        return column
    first = str(column.iloc[int(given.argmax())]).strip()
    if first.lower() not in {"true", "false"} and not re.fullmatch(number, first):
        return column.astype("str")  # the first value is neither true/false nor a number: so the column is text
    text = pd.Series(column.unique(), dtype=object).dropna().astype("str").str.strip()  # each value once
    if text.str.lower().isin({"true", "false"}).all() and column.notna().all():
        return column.astype("str").str.strip().str.lower() == "true"
    if text.str.fullmatch(number).all():
        try:
            values = pd.to_numeric(column.astype("str").str.strip().str.replace(",", ".").where(column.notna()))
        except (ValueError, TypeError, OverflowError):
            return column.astype("str")
        if values.dtype.kind in "iuf":
            return values
    return column.astype("str")
