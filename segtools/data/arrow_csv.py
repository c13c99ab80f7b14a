"""Reading a plain CSV file with pyarrow's CSV reader, straight from the file.

:func:`arrow_frame` reads the common case of an export (UTF-8 or ASCII text, a one-line header,
every row exactly as wide as the header) into the frame the slower readers of
:mod:`segtools.data.csv_text` give for it, without ever holding the file's text as Python
strings: the columns whose text matters (ids, amounts) stay Arrow strings, so later steps
work on them column-wise, and the others are typed as pandas' C parser types them (whole
numbers, decimals, true/false) or kept as text (dates among them). Whatever it is not sure
of, it leaves to the slower readers by returning None: another encoding, NUL bytes, blank
lines, ragged rows, an unclosed quote, a header over several lines, cells with leading or
trailing spaces. Those readers word the errors.

Before parsing, the file is read once in chunks (never whole) to check that it is UTF-8
without NUL bytes and to see whether it holds quotes and spaces. The records in the first
256 KB give each column its type, so the reader need not guess; a value of another type
further down makes it read the file again, typing those columns from all their values.
Without quotes, every record is one line, so record ``i`` (0-based) starts on line ``i + 2``;
with quotes, line breaks inside quoted cells shift the records below them, and the file's
own count of line breaks must agree.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_bytes(b'id,note,n\\nA,"two\\nlines",1\\nB,x,2\\n')
>>> frame = arrow_frame(path, head_text(path.read_bytes(), None), ",", "t.csv", lambda header: ["id"])
>>> frame.index.tolist(), frame["note"].tolist(), frame["n"].tolist()
([2, 4], ['two\\nlines', 'x'], [1, 2])
"""

from __future__ import annotations

import codecs
import csv

from segtools.data.csv_text import DELIMITERS, NA_WORDS, SIGNATURES, name_columns

CHUNK = 1 << 22  # bytes read at a time by the whole-file checks
HEAD = (1 << 18) + 16  # bytes enough for the first 65,536 characters (what the delimiter sniffer reads)
BOM = b"\xef\xbb\xbf"
# only these words make a yes/no column, as in pandas' C parser ("1"/"0" stay numbers)
TRUE_WORDS, FALSE_WORDS = ["True", "TRUE", "true"], ["False", "FALSE", "false"]


def head_text(head: bytes, encoding: str | None) -> str | None:
    """The text of a file's first bytes when the fast reader may take the file, else None.

    Parameters
    ----------
    head : bytes
        The file's first :data:`HEAD` bytes (or all of them).
    encoding : str or None
        The encoding given in the mapping; None detects it.

    Returns
    -------
    str or None
        Without a byte-order mark. None for an empty start, a known binary format, or
        anything but UTF-8 without NUL bytes (a UTF-8 byte-order mark only when no encoding
        was given): the slower reader then detects the encoding or names the problem.
    """
    if not head.strip() or head.startswith((b"PK\x03\x04", b"PK\x05\x06", *(m for m, _ in SIGNATURES))):
        return None
    if encoding is not None:
        try:
            if codecs.lookup(encoding).name != "utf-8" or head.startswith(BOM):
                return None
        except LookupError:
            return None
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    body = head.removeprefix(BOM)
    try:
        return body.decode("utf-8") if len(head) < HEAD else codecs.getincrementaldecoder("utf-8")().decode(body)
    except UnicodeDecodeError:
        return None


def _scan(path) -> dict | None:
    """What the whole file holds, read in chunks: quotes, spaces; None when it is not UTF-8 or holds NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer, quotes, spaces = bytearray(CHUNK), False, False
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            chunk = buffer if n == CHUNK else buffer[:n]
            if b"\x00" in chunk:
                return None
            if not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return None
            quotes = quotes or b'"' in chunk
            spaces = spaces or b" " in chunk
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return {"quotes": quotes, "spaces": spaces}


def _count_quotes_and_breaks(path, facts: dict) -> None:
    """Add the number of quotes and of line breaks (\\n, \\r\\n or a lone \\r) to ``facts``."""
    buffer, quotes, lf, cr, crlf, last = bytearray(CHUNK), 0, 0, 0, 0, b""
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            chunk = buffer if n == CHUNK else buffer[:n]
            quotes += chunk.count(b'"')
            lf += chunk.count(b"\n")
            if b"\r" in chunk or last == b"\r":
                cr += chunk.count(b"\r")
                crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk.startswith(b"\n"))
            last = bytes(chunk[-1:])
    facts.update(quotes=quotes, breaks=lf + cr - crlf, ends_with_break=last in (b"\n", b"\r"))


def _header(text: str, delimiter: str, name: str) -> list | None:
    """The first line's column names (as the other readers name them), or None when it is not one plain line."""
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    first = text[:end]
    if first.count('"') % 2 or not first.strip():
        return None
    header = [c.strip() for c in next(csv.reader([first], delimiter=delimiter, skipinitialspace=True))]
    return name_columns(header, name, 1)


def _parse(source, width: int, delimiter: str, types: dict, quoted: bool, include=None, otherwise=None):
    """The Arrow table of the records (columns "0", "1", ...; ``types`` by position), or None when Arrow refuses them.

    A value that is not of its column's given type: read again with the types ``otherwise``.
    One thread: measured on a busy 2-core machine, as fast as several threads, steadier, and
    with less memory. The system allocator: Arrow's default one (mimalloc) spent twice the
    time in the kernel there. The columns without a given type are typed from all their values.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [str(i) for i in range(width)]
    read = pcsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False)
    parse = pcsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                              newlines_in_values=quoted, ignore_empty_lines=False)
    convert = pcsv.ConvertOptions(column_types={names[i]: kind for i, kind in types.items()},
                                  null_values=sorted(NA_WORDS), strings_can_be_null=True,
                                  quoted_strings_can_be_null=True, true_values=TRUE_WORDS, false_values=FALSE_WORDS,
                                  include_columns=include)
    try:
        return pcsv.read_csv(source, read_options=read, parse_options=parse, convert_options=convert,
                             memory_pool=pa.system_memory_pool())
    except (pa.ArrowException, OSError, ValueError) as err:  # ragged rows, a quote left open, bytes Arrow refuses...
        if otherwise is not None and "conversion error" in str(err):
            return _parse(source, width, delimiter, otherwise, quoted, include)
        return None


def _is_text(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _unlike_pandas(column) -> bool:
    """Whether Arrow typed a column unlike pandas' C parser (dates, times; whole numbers in a float column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if _is_text(kind) or pa.types.is_null(kind) or pa.types.is_boolean(kind) or pa.types.is_int64(kind):
        return False
    if pa.types.is_float64(kind):  # decimals and infinities read the same both ways; whole numbers may be "+5"
        given = pc.drop_null(column)  # or ids past int64, which the C parser reads as integers
        return len(given) > 0 and bool(pc.all(pc.is_finite(given)).as_py()) and \
            bool(pc.all(pc.equal(given, pc.floor(given))).as_py())
    return True


def _types(sample, kept: set) -> dict:
    """Each column's type for the whole file: text for ``kept``, else as its first records show (none if empty there)."""
    import pyarrow as pa

    types = {i: pa.large_string() for i in kept}
    for i, column in enumerate(sample.columns if sample is not None else ()):
        if i not in kept and not pa.types.is_null(column.type):
            types[i] = pa.large_string() if _is_text(column.type) or _unlike_pandas(column) else column.type
    return types


def _read(path, text: str, complete: bool, header: list, delimiter: str, kept: set, quoted: bool):
    """The Arrow table of the file's records, columns typed as pandas' C parser types them; None when unsure."""
    import pyarrow as pa

    width, base = len(header), {i: pa.large_string() for i in kept}
    sample = text if complete else text[:max(text.rfind("\n"), text.rfind("\r")) + 1]  # the first whole lines
    first = _parse(pa.BufferReader(sample.encode("utf-8")), width, delimiter, base, quoted) if sample else None
    if complete:
        table = first
    else:  # typed as the first records show (Arrow then need not guess), or from all values when one differs
        table = _parse(path, width, delimiter, _types(first, kept), quoted, otherwise=base)
    if table is None:
        return None
    again = [i for i, column in enumerate(table.columns) if i not in kept and _unlike_pandas(column)]
    if again:  # dates, times, whole numbers that might not be int64: as text, as the C parser reads them
        redo = _parse(path, width, delimiter, {**base, **{i: pa.large_string() for i in again}}, quoted,
                      include=[str(i) for i in again])
        if redo is None:
            return None
        for i in again:
            table = table.set_column(i, str(i), redo.column(str(i)))
    return table


def _all_missing(table) -> bool:
    """Whether a record has no value at all (a blank line, or only delimiters): the csv reader skips those."""
    import pyarrow.compute as pc

    first = table.column(0)
    if first.null_count == 0:
        return False
    empty = pc.is_null(first)
    for column in table.columns[1:]:
        empty = pc.and_(empty, pc.is_null(column))
    return bool(pc.any(empty).as_py())


def _padded(table) -> bool:
    """Whether a text cell starts or ends with a space: the other readers skip or strip some of those."""
    import pyarrow.compute as pc

    return any(_is_text(column.type) and column.null_count < len(column)
               and (pc.any(pc.starts_with(column, " ")).as_py() or pc.any(pc.ends_with(column, " ")).as_py())
               for column in table.columns)


def _lines(table, facts):
    """The line each record starts on (header: line 1), True for lines 2, 3, ..., None when the file's count disagrees."""
    import numpy as np
    import pyarrow.compute as pc

    n = table.num_rows
    if not facts["quotes"]:
        return True  # every record on its own line: lines 2, 3, ...
    inside = np.zeros(n, dtype="int64")
    for column in table.columns:
        if _is_text(column.type):
            counts = pc.count_substring_regex(column, r"\r\n|\r|\n")
            inside += pc.fill_null(counts, 0).to_numpy().astype("int64")
    lines = np.arange(2, n + 2, dtype="int64")
    lines[1:] += np.cumsum(inside)[:-1]
    records_end = facts["breaks"] if facts["ends_with_break"] else facts["breaks"] + 1
    return lines if lines[-1] + inside[-1] == records_end else None


def arrow_frame(path, text: str, delimiter: str, name: str, text_columns, complete: bool = False):
    """The frame of a plain CSV file read by pyarrow, or None when the slower readers must take it.

    Parameters
    ----------
    path : str or Path
        The file, read from disk (in chunks for the checks, then by Arrow).
    text : str
        The text of its first bytes, from :func:`head_text` (the header, and the first records whose
        values type the columns).
    delimiter : str
    name : str
        The file name, for messages (a header naming a column twice is refused here too).
    text_columns : callable
        Called with the header's names; returns those to keep as text. The others are typed
        as pandas' C parser types them (whole numbers, decimals, true/false) or stay text.
    complete : bool, optional
        Whether ``text`` is the whole file.

    Returns
    -------
    DataFrame or None
        Labelled by the line each record starts on; the kept columns as Arrow-backed strings,
        missing-value words (pandas' list) as missing.
    """
    import pandas as pd
    import pyarrow as pa

    if delimiter not in DELIMITERS:
        return None
    facts = _scan(path)
    if facts is not None and facts["quotes"]:
        _count_quotes_and_breaks(path, facts)
    if facts is None or facts["quotes"] % 2:  # an unclosed quote: the csv module's reader names its line
        return None
    header = _header(text, delimiter, name)  # (as pandas' C parser path does, in this order)
    if header is None:
        return None
    kept = {i for i, h in enumerate(header) if h in set(text_columns(header))}
    table = _read(path, text, complete, header, delimiter, kept, bool(facts["quotes"]))
    if table is None or table.num_rows == 0 or _all_missing(table):
        return None
    if facts["spaces"] and _padded(table):
        return None
    lines = _lines(table, facts)
    if lines is None:
        return None
    for i, column in enumerate(table.columns):
        if pa.types.is_null(column.type):  # an empty column reads as missing numbers, as in pandas
            table = table.set_column(i, str(i), column.cast(pa.float64()))
    frame = table.to_pandas(split_blocks=True, self_destruct=True, memory_pool=pa.system_memory_pool())
    del table
    frame.columns = header
    frame.index = pd.RangeIndex(2, len(frame) + 2) if lines is True else pd.Index(lines)
    return frame
