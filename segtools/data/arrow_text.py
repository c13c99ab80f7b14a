"""Column-wise work on text columns, done by Arrow when pandas keeps the text in Arrow.

pandas 3 stores text (the ``str`` dtype) in Arrow arrays. The two steps every id, date and
amount column of a file goes through, stripping the spaces around values and coding each
distinct value once, are done here directly by Arrow's compute functions, with the system
allocator (so the memory they use for a moment is handed back to the allocator numpy uses
too) and without a Python object per value. Any other column (Python objects, numbers)
takes pandas' own way, with the same results.

:func:`plain_numbers` reads a column of plain numbers (``12.50``, ``-3``) the same way, in one pass
over the column, and leaves every other column to :func:`segtools.data.parsing.parse_numbers`.

Examples
--------
>>> import pandas as pd
>>> import numpy as np
>>> coded = Codes(pd.Series(["b", None, "a", "b"], dtype="str"))
>>> list(coded.uniques), coded.take(np.array([2.0, 1.0]), np.nan).tolist(), coded.counts().tolist()
(['b', 'a'], [2.0, nan, 1.0, 2.0], [2, 1])
>>> strip(pd.Series([" C1", "C2 ", None], dtype="str")).tolist()
['C1', 'C2', nan]
"""

from __future__ import annotations

#: A plain number: digits, a dot and decimals, an optional sign (no spaces, exponents or thousands marks).
PLAIN_DOT = r"[+-]?[0-9]+(?:\.[0-9]+)?"


def arrow_text(s):
    """The Arrow array behind a text Series kept in Arrow (no copy), else None.

    Parameters
    ----------
    s : Series

    Returns
    -------
    pyarrow.ChunkedArray or None
    """
    import pandas as pd
    import pyarrow as pa

    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        return None
    return pa.chunked_array(s)


def _pool():
    """The system allocator's pool: what Arrow frees here goes back where numpy allocates too."""
    import pyarrow as pa

    return pa.system_memory_pool()


def _series(chunks, dtype, index=None):
    """A pandas text Series of ``dtype`` over Arrow text (no copy of large strings)."""
    out = chunks.to_pandas().astype(dtype)
    return out if index is None else out.set_axis(index)


class Codes:
    """The distinct values of a column, and for each row which one it holds (like :func:`pandas.factorize`).

    Arrow-backed text is encoded by Arrow; the codes stay in Arrow, so :meth:`take` spreads
    values over the rows without a second copy of them.

    Parameters
    ----------
    s : Series
    """

    def __init__(self, s):
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        chunks = arrow_text(s)
        if chunks is None or len(chunks) == 0:
            self.codes, self.uniques = pd.factorize(s, use_na_sentinel=True)
            self.indices = None
            return
        encoded = pc.dictionary_encode(chunks, null_encoding="mask", memory_pool=_pool())  # one dictionary
        last = encoded.chunk(encoded.num_chunks - 1)
        self.uniques = _series(pa.chunked_array([last.dictionary]), s.dtype).array
        indices = pa.concat_arrays([c.indices for c in encoded.chunks]) if encoded.num_chunks > 1 else last.indices
        self.indices = pc.fill_null(indices, len(self.uniques)) if indices.null_count else indices  # missing: last
        self.codes = None

    def take(self, values, filler):
        """Each row's value: ``values[code]``, ``filler`` for a missing value.

        Parameters
        ----------
        values : ndarray
            One value for each distinct value, in the order of :attr:`uniques`.
        filler : scalar

        Returns
        -------
        ndarray
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        values = np.concatenate([values, np.array([filler], dtype=values.dtype)])
        if self.indices is None:
            return values[self.codes]  # code -1: the filler
        if values.dtype.kind not in "fMb":
            return values[self.indices.to_numpy()]
        flat = values.view("int64") if values.dtype.kind == "M" else values  # NaT stays a value, never a null
        out = pc.take(pa.array(flat), self.indices, memory_pool=_pool()).to_numpy(zero_copy_only=False)
        return out.view(values.dtype) if values.dtype.kind == "M" else out

    def counts(self):
        """How many rows hold each distinct value.

        Returns
        -------
        ndarray
        """
        import numpy as np

        codes = self.codes if self.indices is None else self.indices.to_numpy()
        return np.bincount(np.where(codes < 0, len(self.uniques), codes), minlength=len(self.uniques) + 1)[:-1]


def _may_have_spaces(chunks) -> bool:
    """False when every value starts and ends with a visible ASCII character (read from the buffers, no copy)."""
    import numpy as np
    import pyarrow as pa

    for chunk in chunks.chunks:
        if len(chunk) == 0:
            continue
        if not pa.types.is_large_string(chunk.type):
            return True
        _, offsets, data = chunk.buffers()
        if data is None or data.size == 0:
            return True
        offsets = np.frombuffer(offsets, dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data, dtype=np.uint8)
        for ends in (data[np.minimum(offsets[:-1], data.size - 1)], data[np.maximum(offsets[1:] - 1, 0)]):
            if ((ends <= 32) | (ends >= 127)).any():  # a space, a control character or not ASCII: look closer
                return True
    return False


def strip(s):
    """Text without the whitespace around each value; missing values stay missing.

    Parameters
    ----------
    s : Series

    Returns
    -------
    Series
        ``s.astype("str").str.strip()``; a column with nothing to strip is returned as it is.
    """
    import pyarrow.compute as pc

    chunks = arrow_text(s)
    if chunks is None:
        return s.astype("str").str.strip()
    if not _may_have_spaces(chunks):
        return s
    pool = _pool()
    stripped = pc.utf8_trim_whitespace(chunks, memory_pool=pool)
    if pc.all(pc.equal(pc.binary_length(stripped), pc.binary_length(chunks))).as_py() is not False:
        return s
    return _series(stripped, s.dtype, s.index).rename(s.name)


def plain_numbers(s, decimal=None):
    """The floats of text that is all plain numbers (``12.50``, ``-3``), read column-wise; else None.

    Parameters
    ----------
    s : Series
        Text.
    decimal : {None, ".", ","}
        As for :func:`segtools.data.parsing.parse_numbers`.

    Returns
    -------
    Series or None
        None (the full reading) when a value is anything else (spaces, currency, thousands
        marks, exponents), or when values such as ``1.234`` could be read two ways.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = arrow_text(s)
        text = pa.chunked_array([pa.array(s, from_pandas=True)]) if text is None else text
    except (pa.ArrowException, TypeError, ValueError):
        return None
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)) or text.null_count == len(text):
        return None
    pool = _pool()
    if not pc.all(pc.match_substring_regex(text, f"^{PLAIN_DOT}$", memory_pool=pool)).as_py():
        return None
    dotted = pc.match_substring(text, ".", memory_pool=pool)
    if decimal == "," and pc.any(dotted).as_py():
        return None  # 1.234 with decimal ",": thousands
    if decimal is None:  # 1.234 reads one way only when another value shows the dot as the decimal mark
        three = pc.match_substring_regex(text, r"\.[0-9]{3}$", memory_pool=pool)
        if pc.any(three).as_py() and not pc.any(pc.and_(dotted, pc.invert(three))).as_py():
            return None
    return pd.Series(pc.cast(text, pa.float64(), memory_pool=pool).to_numpy(), index=s.index, copy=False)
