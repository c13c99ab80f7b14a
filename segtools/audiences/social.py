"""Social audience fields per customer segment (what Sprout Social targets on), and technographics.

A social tool aims a post at an audience described by platform, device, age and whether
people follow the brand. :func:`social_audience` describes each customer segment in those
terms, with counts, so a segment can be handed over as a target audience.
:func:`set_dummies` splits a ``"a;b"`` column (apps used, integrations) into yes/no columns
for technographic segmentation.
"""

from __future__ import annotations

import pandas as pd

from segtools import NO_SEGMENT


def _joined(profiles, segments, segment_col, id_col):
    for frame, cols, name in ((profiles, [id_col], "profiles"), (segments, [id_col, segment_col], "segments")):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks the column(s) {missing}")
    if segments[id_col].duplicated().any():
        raise ValueError(f"segments must have one row per {id_col}")
    seg = segments[[id_col, segment_col]]
    out = profiles.merge(seg, on=id_col, how="left", validate="many_to_one")
    out[segment_col] = out[segment_col].astype(object).where(out[segment_col].notna(), NO_SEGMENT)
    return out


def audience_counts(profiles, segments, *, field, segment_col="segment", id_col="customer_id", normalize=False):
    """How a field's values split within each segment: a segment x value table.

    Parameters
    ----------
    profiles : DataFrame
        One row a customer with ``id_col`` and ``field``; not changed.
    segments : DataFrame
        ``id_col`` and ``segment_col``; customers without one count as ``NO_SEGMENT``.
    field : str
        The profile column, e.g. ``"social_platform"``.
    segment_col, id_col : str
        Column names.
    normalize : bool
        Shares within each segment instead of counts.

    Returns
    -------
    DataFrame
        Segments as rows, the field's values as columns.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customer_id": ["A", "B", "C"], "device": ["mobile", "mobile", "desktop"]})
    >>> s = pd.DataFrame({"customer_id": ["A", "B", "C"], "segment": ["x", "y", "y"]})
    >>> audience_counts(p, s, field="device").to_dict("index")
    {'x': {'desktop': 0, 'mobile': 1}, 'y': {'desktop': 1, 'mobile': 1}}
    """
    joined = _joined(profiles, segments, segment_col, id_col)
    if field not in joined.columns:
        raise ValueError(f"profiles lack the column {field!r}")
    table = pd.crosstab(joined[segment_col], joined[field], normalize="index" if normalize else False)
    table.index.name, table.columns.name = segment_col, field
    return table


def social_audience(profiles, segments, *, segment_col="segment", id_col="customer_id",
                    platform_col="social_platform", device_col="device", age_col="age_band",
                    follows_col="follows_brand"):
    """One row per segment: its size and the audience fields a social tool targets on.

    Parameters
    ----------
    profiles : DataFrame
        One row a customer with the columns below; not changed.
    segments : DataFrame
        ``id_col`` and ``segment_col``; customers without a segment count as ``NO_SEGMENT``.
    segment_col, id_col : str
        Column names.
    platform_col, device_col, age_col, follows_col : str
        Main social platform, device, age band and follows-the-brand (yes/no) columns.

    Returns
    -------
    DataFrame
        Indexed by segment: ``customers``, ``main_platform`` and its ``platform_share``,
        ``main_device`` and ``device_share``, ``main_age_band`` and ``age_share``,
        ``followers`` (count) and ``follows_share``; largest segment first.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customer_id": ["A", "B"], "social_platform": ["tiktok", "tiktok"],
    ...                   "device": ["mobile", "desktop"], "age_band": ["16-24", "16-24"],
    ...                   "follows_brand": [True, False]})
    >>> s = pd.DataFrame({"customer_id": ["A", "B"], "segment": ["young", "young"]})
    >>> row = social_audience(p, s).loc["young"]
    >>> int(row["customers"]), row["main_platform"], float(row["follows_share"])
    (2, 'tiktok', 0.5)
    """
    joined = _joined(profiles, segments, segment_col, id_col)
    missing = [c for c in (platform_col, device_col, age_col, follows_col) if c not in joined.columns]
    if missing:
        raise ValueError(f"profiles lack the column(s) {missing}")
    groups = joined.groupby(segment_col, sort=True)
    out = pd.DataFrame({"customers": groups.size()})
    for col, name, share in ((platform_col, "main_platform", "platform_share"),
                             (device_col, "main_device", "device_share"), (age_col, "main_age_band", "age_share")):
        top = groups[col].agg(lambda s: s.value_counts().sort_index(kind="stable").idxmax())
        out[name] = top
        out[share] = groups[col].agg(lambda s: s.value_counts(normalize=True).max()).round(3)
    follows = joined[follows_col].astype(bool)
    out["followers"] = follows.groupby(joined[segment_col]).sum().astype(int)
    out["follows_share"] = follows.groupby(joined[segment_col]).mean().round(3)
    out.index.name = segment_col
    return out.sort_values("customers", ascending=False, kind="stable")


def set_dummies(data, *, set_col, id_col="customer_id", sep=";", empty="none"):
    """Split a column of ``"a;b"`` sets (apps, integrations) into one yes/no column per item.

    Parameters
    ----------
    data : DataFrame
        Has ``id_col`` and ``set_col``; not changed.
    set_col : str
        The column of separated items.
    id_col : str
        Kept as the first column.
    sep : str
        The separator.
    empty : str
        The text that means "no items" (it gets no column).

    Returns
    -------
    DataFrame
        ``id_col`` and one bool column per item, items sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["A", "B"], "apps_used": ["tiktok;vinted", "none"]})
    >>> set_dummies(df, set_col="apps_used").to_dict("records")
    [{'customer_id': 'A', 'tiktok': True, 'vinted': True}, {'customer_id': 'B', 'tiktok': False, 'vinted': False}]
    """
    for col in (id_col, set_col):
        if col not in data.columns:
            raise ValueError(f"{col!r} is not a column of the data")
    dummies = data[set_col].fillna(empty).astype(str).str.get_dummies(sep=sep).astype(bool)
    dummies = dummies.drop(columns=[empty], errors="ignore")
    return pd.concat([data[[id_col]].reset_index(drop=True), dummies[sorted(dummies.columns)].reset_index(drop=True)],
                     axis=1)
