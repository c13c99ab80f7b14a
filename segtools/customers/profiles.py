"""Segment profiles: size, revenue share, typical values and their lift, in one table.

The lift of a feature in a segment compares the segment with the whole base: for a
number, the segment's typical value (mean or median) divided by the base's; for a
category, the share of one fixed level in the segment divided by that level's share in
the base. The level is the same in every row (``True`` for a yes/no column, the level the
caller names in ``levels=``, else the base's most common level), so a column of shares
can be read down the segments. A lift of 2 means "twice the base"; 0.5 means "half".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segtools import NO_SEGMENT
from segtools._validation import require_columns, require_frame


def _is_number(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def segment_profile(data: pd.DataFrame, segments, features=None, *, revenue_col: str | None = "monetary",
                    stat: str = "mean", levels: dict | None = None) -> pd.DataFrame:
    """One row per segment: size, shares, typical values of each feature and their lift.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    segments : str or Series
        A column of ``data`` or a Series aligned on its index. Rows without a
        segment are counted in a :data:`segtools.NO_SEGMENT` row, never dropped.
    features : list of str, optional
        Columns to profile; all columns except ``segments`` when omitted.
    revenue_col : str or None
        Column summed for ``revenue_share`` (None to leave it out).
    stat : {"mean", "median"}
        The typical value of numeric features.
    levels : dict, optional
        For a categorical feature, the level whose share is reported, e.g.
        ``{"style_preference": "trendy"}``. Defaults: ``True`` for a yes/no column,
        otherwise the most common level in the whole base. One level per feature, the
        same for every segment.

    Returns
    -------
    DataFrame
        Index ``segment``; columns ``customers``, ``customer_share``,
        ``revenue_share``, then per numeric feature ``F`` and ``F_lift``, per
        categorical feature ``F=L_share`` (the share of the segment with level ``L``)
        and ``F=L_lift``. ``attrs["levels"]`` maps each categorical feature to ``L``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"monetary": [10.0, 30.0, 100.0, 60.0], "style": ["a", "a", "b", "b"],
    ...                   "seg": ["low", "low", "high", "high"]})
    >>> p = segment_profile(d, "seg")
    >>> p[["customers", "monetary", "monetary_lift", "style=a_share", "style=a_lift"]]
    ... # doctest: +NORMALIZE_WHITESPACE
             customers  monetary  monetary_lift  style=a_share  style=a_lift
    segment
    high             2      80.0            1.6            0.0           0.0
    low              2      20.0            0.4            1.0           2.0
    """
    require_frame(data, "customers")
    if stat not in ("mean", "median"):
        raise ValueError(f"stat must be 'mean' or 'median', got {stat!r}")
    levels = dict(levels or {})
    if isinstance(segments, str):
        require_columns(data, [segments], "customers")
        seg = data[segments]
    else:
        seg = pd.Series(segments, index=data.index) if not isinstance(segments, pd.Series) else segments
        if not seg.index.equals(data.index):
            raise ValueError("segments must be a column name or a Series with the same index as data")
    if features is None:
        features = [c for c in data.columns if not (isinstance(segments, str) and c == segments)]
    require_columns(data, list(features) + ([revenue_col] if revenue_col else []), "customers")
    unknown = sorted(set(levels) - set(features))
    if unknown:
        raise ValueError(f"levels names features that are not profiled: {', '.join(map(str, unknown))}")
    labels = seg.astype(object).where(seg.notna(), NO_SEGMENT)
    if isinstance(seg.dtype, pd.CategoricalDtype):
        order = [c for c in seg.cat.categories if (labels == c).any()] + ([NO_SEGMENT] if seg.isna().any() else [])
    else:
        order = sorted(labels.unique(), key=str)
    groups = data.groupby(labels.to_numpy(), sort=False)
    chosen = {}
    out = pd.DataFrame(index=pd.Index(order, name="segment"))
    out["customers"] = labels.value_counts().reindex(order).astype(int)
    out["customer_share"] = out["customers"] / len(data)
    if revenue_col:
        total = data[revenue_col].sum()
        out["revenue_share"] = groups[revenue_col].sum().reindex(order) / total if total else np.nan
    for f in features:
        col = data[f]
        if _is_number(col):
            typical = groups[f].agg(stat).reindex(order)
            base = getattr(col, stat)()
            out[f] = typical
            out[f"{f}_lift"] = typical / base if base else np.nan
        else:
            text = col.astype(object).where(col.notna(), "(missing)")
            base_share = text.value_counts(normalize=True)
            if f in levels:
                level = levels[f]
                if level not in base_share.index:
                    raise ValueError(f"levels[{f!r}] = {level!r} does not occur in column {f!r}")
            elif pd.api.types.is_bool_dtype(col) or set(text.unique()) <= {True, False, "(missing)"}:
                level = True
            else:
                level = sorted(base_share.index, key=lambda v: (-base_share[v], str(v)))[0]
            share = (text == level).groupby(labels.to_numpy(), sort=False).mean().reindex(order)
            out[f"{f}={level}_share"] = share
            out[f"{f}={level}_lift"] = share / base_share.get(level, np.nan)
            chosen[f] = level
    out.attrs["levels"] = chosen
    return out


def _number(value) -> str:
    """A readable number: 1,463 / 13.7 / 0.44."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def describe_segments(profile: pd.DataFrame, *, n_features: int = 3) -> pd.Series:
    """A short plain-language description of each segment, from its profile.

    Names the segment's size and revenue share, then the ``n_features`` features
    whose lift is furthest from 1.

    Parameters
    ----------
    profile : DataFrame
        The output of :func:`segment_profile`.
    n_features : int, default 3
        How many features to name per segment.

    Returns
    -------
    Series
        One sentence per segment, indexed like ``profile``, named ``description``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customers": [30], "customer_share": [0.3], "revenue_share": [0.6],
    ...                   "frequency": [4.0], "frequency_lift": [2.0]}, index=["loyal"])
    >>> describe_segments(p)["loyal"]
    'loyal: 30 customers (30% of customers, 60% of revenue); frequency 4 (2.0x the base).'
    """
    lifts = [c[:-5] for c in profile.columns if c.endswith("_lift")]
    text = {}
    for name, row in profile.iterrows():
        head = f"{name}: {int(row['customers']):,} customers ({row['customer_share']:.0%} of customers"
        head += f", {row['revenue_share']:.0%} of revenue)" if "revenue_share" in profile else ")"
        ranked = sorted((f for f in lifts if pd.notna(row[f"{f}_lift"]) and row[f"{f}_lift"] > 0),
                        key=lambda f: -abs(np.log(row[f"{f}_lift"])))[:n_features]
        parts = []
        for f in ranked:
            lift = row[f"{f}_lift"]
            if f"{f}_share" in profile:
                parts.append(f"{row[f'{f}_share']:.0%} with {f} ({lift:.1f}x the base)")
            else:
                parts.append(f"{f} {_number(row[f])} ({lift:.1f}x the base)")
        text[name] = head + ("; " + ", ".join(parts) if parts else "") + "."
    return pd.Series(text, name="description")
