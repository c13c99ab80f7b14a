"""Segment drift: how the segment mix moves month by month, and the population stability index."""

from __future__ import annotations


from segtools._validation import require_columns
from segtools.errors import ValidationError


def segment_shares(segments, *, period_col: str = "month", segment_col: str = "segment",
                   exclude=("churned",)):
    """Each month's share of customers per segment (rows: months, columns: segments).

    Parameters
    ----------
    segments : DataFrame
        The output of :func:`monthly_segments`.
    period_col, segment_col : str
        The month and segment columns.
    exclude : sequence of str
        Segments left out before the shares are taken (by default the churned, so the
        shares describe the customers still active). Their counts stay in the column
        ``n_excluded``; ``n`` is the number of customers the shares are taken over.

    Returns
    -------
    DataFrame
        Indexed by month, one column of shares per segment, then ``n`` and ``n_excluded``.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"month": pd.to_datetime(["2025-01-01"] * 4),
    ...                     "segment": ["light", "light", "heavy", "churned"]})
    >>> segment_shares(seg).round(3).to_dict("records")
    [{'heavy': 0.333, 'light': 0.667, 'n': 3, 'n_excluded': 1}]
    """
    import pandas as pd

    require_columns(segments, [period_col, segment_col], "segments")
    seg = segments[segment_col].astype(object)
    counts = pd.crosstab(segments[period_col], seg).astype(int)
    order = getattr(segments[segment_col].dtype, "categories", None)
    if order is not None:
        counts = counts[[c for c in order if c in counts.columns]]
    kept = [c for c in counts.columns if c not in set(exclude)]
    if not kept:
        raise ValidationError(f"segments: no segment left in {len(segments):,} rows after excluding "
                              f"{list(exclude)}", table="segments")
    shares = counts[kept].div(counts[kept].sum(axis=1), axis=0)
    shares["n"] = counts[kept].sum(axis=1)
    shares["n_excluded"] = counts.sum(axis=1) - shares["n"]
    shares.columns.name = None
    return shares


def population_stability(shares, reference, *, eps: float = 1e-4):
    """Drift of each month's segment mix from a reference month: the population stability index.

    ``PSI = sum over segments of (p - q) * ln(p / q)``, with ``q`` the reference shares and
    ``p`` the month's shares (zeros raised to ``eps``). A common reading: below 0.1 the mix is
    stable, 0.1 to 0.25 it has moved, above 0.25 it has changed enough to re-segment.

    Parameters
    ----------
    shares : DataFrame
        The output of :func:`segment_shares` (the ``n`` columns are ignored).
    reference : str or Timestamp
        The month the others are compared with.
    eps : float, default 1e-4
        The floor for zero shares (the logarithm needs positive shares).

    Returns
    -------
    Series
        One PSI value per month, named ``psi``.

    Examples
    --------
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"a": [0.5, 0.6], "b": [0.5, 0.4]}, index=pd.to_datetime(["2025-01-01", "2025-02-01"]))
    >>> population_stability(shares, "2025-01-01").round(4).tolist()
    [0.0, 0.0405]
    """
    import numpy as np
    import pandas as pd

    if not isinstance(shares, pd.DataFrame):
        raise ValidationError(f"shares: expected a pandas DataFrame, got {type(shares).__name__}", table="shares")
    ref = pd.Timestamp(reference)
    if ref not in shares.index:
        raise ValidationError(f"shares: reference month {ref:%Y-%m-%d} not in the {len(shares):,} rows",
                              table="shares")
    values = shares.drop(columns=[c for c in ("n", "n_excluded") if c in shares.columns])
    p = values.to_numpy(dtype=float).clip(min=eps)
    q = values.loc[ref].to_numpy(dtype=float).clip(min=eps)
    return pd.Series(((p - q) * np.log(p / q)).sum(axis=1), index=shares.index, name="psi")
