"""Input checks of :mod:`segtools.compare`: segment labels from columns or Series, clear errors.

Each error names the table, the column and how many rows are concerned.
"""

from __future__ import annotations

from segtools import NO_SEGMENT
from segtools._validation import require_columns
from segtools.errors import ValidationError

__all__ = ["NO_SEGMENT", "segment_order", "lead_labels", "customer_labels", "converted_flags"]


def segment_order(labels) -> list:
    """Segment names in display order: the categories of a categorical, else sorted as text."""
    import pandas as pd

    if isinstance(labels.dtype, pd.CategoricalDtype):
        return [c for c in labels.cat.categories]
    return sorted(labels.dropna().unique().tolist(), key=str)


def lead_labels(leads, lead_segment, table="leads"):
    """The lead segment of every row of ``leads`` as a Series on ``leads.index`` (object dtype)."""
    import pandas as pd

    if isinstance(lead_segment, str):
        require_columns(leads, [lead_segment], table)
        labels = leads[lead_segment]
    elif isinstance(lead_segment, pd.Series):
        missing = ~leads.index.isin(lead_segment.index)
        if missing.any():
            raise ValidationError(
                f"{table}: lead_segment has no label for {int(missing.sum()):,} of {len(leads):,} rows "
                f"(e.g. rows {', '.join(map(str, leads.index[missing][:5]))}); pass a Series on the "
                f"index of the leads table", table=table)
        if lead_segment.index.has_duplicates:
            raise ValidationError(f"{table}: lead_segment has duplicated index labels", table=table)
        labels = lead_segment.reindex(leads.index)
    else:
        values = list(lead_segment)
        if len(values) != len(leads):
            raise ValidationError(
                f"{table}: lead_segment has {len(values):,} labels for {len(leads):,} rows", table=table)
        labels = pd.Series(values, index=leads.index)
    order = segment_order(labels)
    out = labels.astype(object).where(labels.notna(), NO_SEGMENT)
    return out, order + ([NO_SEGMENT] if (out == NO_SEGMENT).any() and NO_SEGMENT not in order else [])


def customer_labels(customer_segment, table="customer_segment"):
    """A Series segment label by customer_id, from a Series or a (customer_id, segment) frame."""
    import pandas as pd

    if isinstance(customer_segment, pd.DataFrame):
        require_columns(customer_segment, ["customer_id"], table)
        others = [c for c in customer_segment.columns if c != "customer_id"]
        column = "segment" if "segment" in others else (others[0] if len(others) == 1 else None)
        if column is None:
            raise ValidationError(
                f"{table}: expected columns customer_id and segment, got "
                f"{', '.join(map(str, customer_segment.columns))}", table=table)
        customer_segment = customer_segment.set_index("customer_id")[column]
    if not isinstance(customer_segment, pd.Series):
        raise ValidationError(
            f"{table}: expected a Series of segment labels indexed by customer_id, got "
            f"{type(customer_segment).__name__}", table=table)
    dup = customer_segment.index.duplicated()
    if dup.any():
        raise ValidationError(
            f"{table}: {int(dup.sum()):,} customer_id(s) appear more than once in {len(customer_segment):,} rows "
            f"(e.g. {', '.join(map(str, customer_segment.index[dup][:5]))})", table=table)
    return customer_segment


def converted_flags(leads, outcome_col, customer_id_col, table="leads"):
    """The boolean outcome of every lead, checked against the customer ids (internal helper)."""
    import pandas as pd

    converted, customer_id = outcome_col, customer_id_col

    require_columns(leads, [converted, customer_id], table)
    flag = leads[converted]
    if flag.isna().any():
        raise ValidationError(
            f"{table}: column {converted!r} has {int(flag.isna().sum()):,} missing value(s) in {len(leads):,} rows",
            table=table)
    if not (pd.api.types.is_bool_dtype(flag) or set(pd.unique(flag)) <= {0, 1}):
        raise ValidationError(f"{table}: column {converted!r} must hold True/False, got {flag.dtype}", table=table)
    flag = flag.astype(bool)
    stray = ~flag & leads[customer_id].notna()
    if stray.any():
        raise ValidationError(
            f"{table}: {int(stray.sum()):,} of {len(leads):,} rows have a {customer_id!r} but {converted!r} is False "
            f"(e.g. rows {', '.join(map(str, leads.index[stray][:5]))})", table=table)
    return flag
