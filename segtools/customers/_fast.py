"""Fast group keys for large transaction tables (numpy only, no extra dependency).

``factorize_ids`` turns a customer-id column into integer codes ``0..n-1`` whose order
is the sorted order of the ids. Ids of one fixed width (``C000001`` style, what most CRM
exports hold) take a byte-level path that never hashes a string: each varying byte
id is read as one 64-bit integer, the bits that vary between ids are packed into a small
integer (in the same order), and a presence table turns those into dense codes. Anything else falls back to :func:`pandas.factorize`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_BLOCK = 1 << 16
_MAX_RADIX = 1 << 26  # a presence table of 64 MB (plus 256 MB of ranks) at most


def _fixed_width_views(series: pd.Series):
    """Per-chunk ``(rows, width)`` uint8 views of the id bytes, or None when not applicable."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is a pandas 3 dependency
        return None
    if not hasattr(series.array, "__arrow_array__"):
        return None
    chunked = series.array.__arrow_array__()
    if not isinstance(chunked, pa.ChunkedArray):
        chunked = pa.chunked_array([chunked])
    if not (pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type)):
        return None
    offset_type = np.int64 if pa.types.is_large_string(chunked.type) else np.int32
    views, width = [], None
    for chunk in chunked.chunks:
        if len(chunk) == 0:
            continue
        if chunk.null_count:
            return None
        buffers = chunk.buffers()
        offsets = np.frombuffer(buffers[1], dtype=offset_type)[chunk.offset: chunk.offset + len(chunk) + 1]
        total = int(offsets[-1] - offsets[0])
        w = total // len(chunk)
        if w == 0 or total != w * len(chunk) or (width is not None and w != width):
            return None
        lengths = np.diff(offsets)
        if lengths.min() != w or lengths.max() != w:
            return None
        width = w
        data = np.frombuffer(buffers[2], dtype=np.uint8)[int(offsets[0]): int(offsets[-1])]
        views.append(data.reshape(len(chunk), w))
    return views if views else None


def _as_uint64(view):
    """Each row's bytes (width <= 8) as a little-endian uint64, zero padded."""
    n, width = view.shape
    if width == 8:
        return view.reshape(-1).view("<u8")
    out = np.zeros((n, 8), dtype=np.uint8)
    out[:, :width] = view
    return out.reshape(-1).view("<u8")


def _bit_runs(varying: int, width: int):
    """Runs (shift, length) of varying bits, most significant in sort order first."""
    runs = []
    for byte in range(width):  # byte 0 of the string decides the order first
        bit = 7
        while bit >= 0:
            if varying >> (8 * byte + bit) & 1:
                top = bit
                while bit >= 0 and varying >> (8 * byte + bit) & 1:
                    bit -= 1
                runs.append((8 * byte + bit + 1, top - bit))
            else:
                bit -= 1
    return runs


def _radix_codes(views):
    """Dense sorted codes from the varying bits of fixed-width ids (width <= 8 bytes)."""
    width = views[0].shape[1]
    if width > 8:
        return None
    words = [_as_uint64(v) for v in views]
    any_bit = np.bitwise_or.reduce([np.bitwise_or.reduce(w) for w in words])
    all_bit = np.bitwise_and.reduce([np.bitwise_and.reduce(w) for w in words])
    varying = int(any_bit & ~all_bit)
    nbits = varying.bit_count()
    if (1 << nbits) > _MAX_RADIX:
        return None
    runs = _bit_runs(varying, width)
    n = sum(len(w) for w in words)
    key = np.zeros(n, dtype=np.int64)
    pos = 0
    for w in words:
        for start in range(0, len(w), _BLOCK):
            block = w[start: start + _BLOCK]
            out = np.zeros(len(block), dtype=np.uint64)
            for shift, length in runs:
                out <<= np.uint64(length)
                out |= (block >> np.uint64(shift)) & np.uint64((1 << length) - 1)
            key[pos + start: pos + start + len(block)] = out
        pos += len(w)
    present = np.zeros(1 << nbits, dtype=bool)
    present[key] = True
    rank = np.cumsum(present, dtype=np.int32) - 1
    codes = rank[key]
    any_row = np.zeros(1 << nbits, dtype=np.int32)
    any_row[key] = np.arange(n, dtype=np.int32)
    return codes, any_row[np.flatnonzero(present)]


def factorize_ids(series: pd.Series):
    """Integer codes for an id column, in sorted order of the ids.

    Parameters
    ----------
    series : Series
        The id column, without missing values.

    Returns
    -------
    codes : ndarray of int
        ``codes[i]`` is the position of row ``i``'s id in ``uniques``.
    uniques : Index
        The distinct ids, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, uniques = factorize_ids(pd.Series(["C02", "C01", "C02", "C10"]))
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, 1, 2], ['C01', 'C02', 'C10'])
    """
    views = _fixed_width_views(series)
    if views is not None:
        found = _radix_codes(views)
        if found is not None:
            codes, rows = found
            return codes, pd.Index(series.array.take(rows), name=series.name)
    codes, uniques = pd.factorize(series, sort=True)
    return codes, pd.Index(uniques, name=series.name)
