"""The rule segmenter: named segments from readable conditions (scikit-learn API).

:class:`RuleSegmenter` defines each segment by one to five conditions
(``"recency <= 30"``, ``"country in ['Spain', 'Italy']"``), the way CRM active lists and
e-mail tools define segments. It is re-evaluated on any new table and reports the rows
that match no rule or several. The clustering segmenter is in
:mod:`segtools.customers.clustering`.
"""

from __future__ import annotations

import ast
import operator
import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from segtools import NO_SEGMENT
from segtools.errors import ValidationError

_OPS = {"<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
        "<": operator.lt, ">": operator.gt}
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(not in|in|<=|>=|==|!=|<|>)\s*(.+?)\s*$")


def parse_condition(text: str):
    """Split ``"column op value"`` into its parts; the value is a Python literal.

    Parameters
    ----------
    text : str
        One condition, e.g. ``"recency <= 30"``.

    Returns
    -------
    tuple
        ``(column, op, value)``.

    Examples
    --------
    >>> parse_condition("recency <= 30")
    ('recency', '<=', 30)
    >>> parse_condition("country in ['Spain', 'Italy']")
    ('country', 'in', ['Spain', 'Italy'])
    """
    match = _CONDITION.match(text)
    if not match:
        raise ValueError(f"cannot read the condition {text!r}: write 'column op value', op one of "
                         "<, <=, >, >=, ==, !=, in, not in")
    column, op, raw = match.groups()
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        raise ValueError(f"in the condition {text!r} the value {raw!r} is not a number, a quoted text "
                         "or a list") from None
    if op in ("in", "not in") and not isinstance(value, (list, tuple, set)):
        raise ValueError(f"in the condition {text!r} '{op}' needs a list, e.g. ['a', 'b']")
    return column, op, value


def _as_conditions(rule):
    conditions = [c.strip() for c in re.split(r"\band\b", rule)] if isinstance(rule, str) else list(rule)
    return conditions


class RuleSegmenter(TransformerMixin, BaseEstimator):
    """Named segments defined by readable conditions, evaluated in order.

    Parameters
    ----------
    rules : dict of str to str or list of str
        Segment name to its conditions (a list, or one string joined by ``and``);
        one to five conditions per segment, all must hold.
    default : str, default :data:`segtools.NO_SEGMENT`
        Label for rows no rule matches.
    overlap : {"first", "error"}
        A row matching several rules takes the first (``"first"``), or ``predict``
        raises (``"error"``). :meth:`report` counts such rows either way.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The columns the rules use.
    report_ : DataFrame
        :meth:`report` on the table given to ``fit``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"recency": [3, 50, 400], "frequency": [6, 2, 1]})
    >>> seg = RuleSegmenter({"active": "recency <= 30 and frequency >= 5",
    ...                      "lapsed": ["recency > 365"]}).fit(X)
    >>> seg.predict(X).tolist()
    ['active', '(no segment)', 'lapsed']
    >>> seg.report_.loc["(no segment)", "customers"]
    np.int64(1)
    """

    def __init__(self, rules=None, *, default=NO_SEGMENT, overlap="first"):
        self.rules = rules
        self.default = default
        self.overlap = overlap

    def _parsed(self):
        if not self.rules:
            raise ValueError("RuleSegmenter needs at least one rule: {'name': 'column op value and ...'}")
        parsed = {}
        for name, rule in self.rules.items():
            conditions = _as_conditions(rule)
            if not 1 <= len(conditions) <= 5:
                raise ValueError(f"segment {name!r} has {len(conditions)} conditions; use one to five")
            parsed[name] = [parse_condition(c) for c in conditions]
        return parsed

    def _check_table(self, X):
        if not isinstance(X, pd.DataFrame):
            raise ValidationError(f"RuleSegmenter works on a DataFrame (rules name columns), got {type(X).__name__}",
                                  table="customers")
        missing = [c for c in self.feature_names_in_ if c not in X.columns]
        if missing:
            raise ValidationError(f"table with {len(X):,} rows has no column {', '.join(map(repr, missing))} "
                                  "that the rules use", table="customers")

    def _fit_rules(self, X):
        if self.overlap not in ("first", "error"):
            raise ValueError(f"overlap must be 'first' or 'error', got {self.overlap!r}")
        parsed = self._parsed()
        self.feature_names_in_ = np.array(sorted({c for conds in parsed.values() for c, _, _ in conds}), dtype=object)
        self._check_table(X)
        return self

    def fit(self, X, y=None):
        """Check the rules and that ``X`` has their columns; store :attr:`report_`."""
        self._fit_rules(X)
        self.report_ = self.report(X)
        return self

    def _test(self, X, name, column, op, value, numbers):
        col = X[column]
        if op in ("in", "not in"):
            test = col.isin(value).to_numpy(dtype=bool)
            return ~test & col.notna().to_numpy() if op == "not in" else test
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number and pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            if column not in numbers:  # one conversion per column, however many conditions use it
                arr = col.to_numpy()
                if arr.dtype.kind not in "iu":
                    arr = col.to_numpy(dtype=np.float64, na_value=np.nan)
                numbers[column] = arr
            arr = numbers[column]
            if arr.dtype.kind in "iu":
                return _OPS[op](arr, value)
            with np.errstate(invalid="ignore"):
                return _OPS[op](arr, value) & ~np.isnan(arr)
        try:
            test = _OPS[op](col, value)
        except TypeError:
            raise ValidationError(f"column {column!r} ({col.dtype}) cannot be compared with {value!r} "
                                  f"in segment {name!r} ({len(X):,} rows)", table="customers") from None
        return (test & col.notna()).to_numpy(dtype=bool, na_value=False)

    def _columns(self, X):
        """One boolean array per rule, and the rule names."""
        check_is_fitted(self, "feature_names_in_")
        self._check_table(X)
        numbers, hits = {}, []
        for name, conds in self._parsed().items():
            hit = np.ones(len(X), dtype=bool)
            for column, op, value in conds:
                hit &= self._test(X, name, column, op, value, numbers)
            hits.append(hit)
        return hits, list(self._parsed())

    @staticmethod
    def _first(hits, n):
        """Index of the first rule each row meets; the number of rules when none."""
        first = np.full(n, len(hits), dtype=np.intp)
        for j in range(len(hits) - 1, -1, -1):
            np.putmask(first, hits[j], j)
        return first

    @staticmethod
    def _n_matches(hits, n):
        count = np.zeros(n, dtype=np.int16)
        for hit in hits:
            count += hit
        return count

    def first_match(self, X):
        """The position of the first rule each row meets, ``len(rules)`` for a row that meets none.

        Parameters
        ----------
        X : DataFrame
            Has the columns the rules use. The rules are checked first if the segmenter is
            not fitted yet (this skips :attr:`report_`, for speed on large tables).

        Returns
        -------
        ndarray of int
            One position per row of ``X``.

        Examples
        --------
        >>> import pandas as pd
        >>> RuleSegmenter({"a": "x > 1", "b": "x > 0"}).first_match(pd.DataFrame({"x": [2, 1, 0]})).tolist()
        [0, 1, 2]
        """
        if not hasattr(self, "feature_names_in_"):
            self._fit_rules(X)
        hits, _ = self._columns(X)
        return self._first(hits, len(X))

    def transform(self, X):
        """One boolean column per rule: does the row meet all its conditions."""
        hits, names = self._columns(X)
        return pd.DataFrame(dict(zip(names, hits)), index=X.index)

    def predict(self, X):
        """The segment of each row: the first rule it meets, else ``default``."""
        hits, names = self._columns(X)
        several = self._n_matches(hits, len(X)) > 1
        if self.overlap == "error" and several.any():
            raise ValidationError(f"{int(several.sum()):,} of {len(X):,} rows match several rules "
                                  f"(first rows: {list(X.index[several][:5])})", table="customers")
        return np.array(names + [self.default], dtype=object)[self._first(hits, len(X))]

    def report(self, X) -> pd.DataFrame:
        """Rows per segment, plus the rows matching no rule and several rules.

        Parameters
        ----------
        X : DataFrame
            Has the columns the rules use.

        Returns
        -------
        DataFrame
            Indexed by ``segment`` (then ``default`` and the overlap row): ``customers``
            (assigned by :meth:`predict`), ``matches`` (rows meeting the rule, overlaps
            included) and ``share``.
        """
        hits, names = self._columns(X)
        n_matches = self._n_matches(hits, len(X))
        assigned = np.bincount(self._first(hits, len(X)), minlength=len(names) + 1)
        matches = [int(h.sum()) for h in hits] + [int((n_matches == 0).sum())]
        table = pd.DataFrame({"customers": assigned, "matches": matches},
                             index=pd.Index(names + [self.default], name="segment"))
        table.loc["(rows matching several rules)"] = [int((n_matches > 1).sum())] * 2
        table["share"] = table["customers"] / max(len(X), 1)
        return table
