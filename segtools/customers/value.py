"""Value-based segmentation: value tiers and the Pareto view of revenue.

A value tier ranks customers by what they are worth to the business (total spend
by default) and cuts the ranking by *share of customers*: the top 20 %, the next
30 %, the last 50 %. The Pareto table shows the other side: how much of the revenue
the top x % of customers bring. Ties in value are ordered by customer id, so the
result is deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segtools._validation import require_columns, require_no_missing


def _ranked(data: pd.DataFrame, value: str, table: str) -> pd.DataFrame:
    require_columns(data, [value], table)
    require_no_missing(data, [value], table)
    order = np.lexsort((np.arange(len(data)), -data[value].to_numpy(dtype=np.float64)))
    return data.iloc[order]


def value_tiers(data: pd.DataFrame, *, value_col: str = "monetary", shares=(0.2, 0.3, 0.5),
                labels=("Top 20%", "Next 30%", "Bottom 50%")) -> pd.Series:
    """Tier of each customer by rank of ``value_col``, cut by share of customers.

    Parameters
    ----------
    data : DataFrame
        One row per customer with a ``value_col`` column (e.g. an RFM table).
    value_col : str
        The column that measures value (total spend by default).
    shares : tuple of float
        Share of customers in each tier, best first; must sum to 1.
    labels : tuple of str
        Tier names, best first.

    Returns
    -------
    Series
        Ordered categorical tier per customer, indexed like ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"monetary": [500.0, 20.0, 80.0, 10.0, 40.0]}, index=list("abcde"))
    >>> value_tiers(d, shares=(0.2, 0.4, 0.4), labels=("top", "mid", "low")).tolist()
    ['top', 'low', 'mid', 'low', 'mid']
    """
    if len(shares) != len(labels):
        raise ValueError(f"{len(shares)} shares but {len(labels)} labels")
    if not np.isclose(sum(shares), 1.0):
        raise ValueError(f"shares must add up to 1, they add up to {sum(shares)}")
    ranked = _ranked(data, value_col, "customers")
    n = len(ranked)
    bounds = np.round(np.cumsum(shares) * n).astype(int)
    tier_of_rank = np.searchsorted(bounds, np.arange(n), side="right")
    tiers = pd.Series(pd.Categorical.from_codes(tier_of_rank, categories=list(labels), ordered=True),
                      index=ranked.index, name="value_tier")
    return tiers.reindex(data.index)


def pareto_table(data: pd.DataFrame, *, value_col: str = "monetary") -> pd.DataFrame:
    """Cumulative share of revenue against cumulative share of customers, best first.

    Parameters
    ----------
    data : DataFrame
        One row per customer with a ``value_col`` column.
    value_col : str, default "monetary"
        The column that measures value.

    Returns
    -------
    DataFrame
        One row per customer, best first: ``customer_share`` (cumulative, 0-1],
        ``revenue_share`` (cumulative, may pass 1 or dip when net values are negative)
        and the ``value_col``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"monetary": [60.0, 10.0, 30.0]})
    >>> pareto_table(d)[["customer_share", "revenue_share"]].round(2).values.tolist()
    [[0.33, 0.6], [0.67, 0.9], [1.0, 1.0]]
    """
    ranked = _ranked(data, value_col, "customers")
    v = ranked[value_col].to_numpy(dtype=np.float64)
    total = v.sum()
    n = len(v)
    return pd.DataFrame({"customer_share": np.arange(1, n + 1) / n,
                         "revenue_share": np.cumsum(v) / total if total else np.nan,
                         value_col: v}, index=ranked.index)


def revenue_share_of_top(data: pd.DataFrame, *, top: float = 0.2, value_col: str = "monetary") -> float:
    """Share of the total ``value_col`` brought by the best ``top`` share of customers.

    Parameters
    ----------
    data : DataFrame
        One row per customer with a ``value_col`` column.
    top : float, default 0.2
        The share of customers counted, best first.
    value_col : str, default "monetary"
        The column that measures value.

    Returns
    -------
    float
        Their share of the total.

    Examples
    --------
    >>> import pandas as pd
    >>> revenue_share_of_top(pd.DataFrame({"monetary": [80.0, 5.0, 5.0, 5.0, 5.0]}), top=0.2)
    0.8
    """
    ranked = _ranked(data, value_col, "customers")[value_col].to_numpy(dtype=np.float64)
    k = int(round(top * len(ranked)))
    return float(ranked[:k].sum() / ranked.sum())
