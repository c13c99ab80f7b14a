"""A fast one-hot encoder for text columns, built on Arrow's hash lookup.

scikit-learn's ``OneHotEncoder`` turns every text value into a Python object and looks it
up one at a time; on a million leads that is most of the scoring time. This encoder does
the same job with ``pyarrow.compute.index_in`` and keeps its behaviour: categories seen
fewer than ``min_frequency`` times and categories never seen in training become all zeros,
and missing values get their own indicator column.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin


def _arrow_text(series):
    import pandas as pd
    import pyarrow as pa

    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype("str")
    return pa.array(series)


class TextOneHot(TransformerMixin, BaseEstimator):
    """One-hot encode text columns; unseen or rare values give zeros, missing gets a column.

    Parameters
    ----------
    min_frequency : int
        A value needs this many training rows to get its own column.

    Attributes
    ----------
    categories_ : list of list of str
        The encoded values of each column, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.encoding import TextOneHot
    >>> X = pd.DataFrame({"source": ["web", "web", "event", None]})
    >>> enc = TextOneHot(min_frequency=1).fit(X)
    >>> enc.transform(pd.DataFrame({"source": ["event", "fair", None]})).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    >>> list(enc.get_feature_names_out())
    ['source_event', 'source_web', 'source_missing']
    """

    def __init__(self, min_frequency: int = 5):
        self.min_frequency = min_frequency

    def _frame(self, X):
        import pandas as pd
        import scipy.sparse as sp

        if sp.issparse(X):
            raise TypeError("TextOneHot needs dense text columns (a DataFrame or an array), not a sparse matrix")
        X = pd.DataFrame(X)
        if X.shape[0] == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required "
                             "by TextOneHot.")
        if X.shape[1] == 0:
            raise ValueError(f"Found array with 0 feature(s) (shape={X.shape}) while a minimum of 1 is required "
                             "by TextOneHot.")
        return X

    def fit(self, X, y=None):
        X = self._frame(X)
        self.feature_names_in_ = [str(c) for c in X.columns]
        self.n_features_in_ = X.shape[1]
        self.categories_ = []
        for col in X.columns:
            counts = X[col].dropna().astype(str).value_counts()
            self.categories_.append(sorted(str(v) for v in counts.index[counts >= self.min_frequency]))
        return self

    def transform(self, X):
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "categories_")
        X = self._frame(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but TextOneHot is expecting {self.n_features_in_} "
                             "features as input")
        n = len(X)
        blocks = []
        for (_, col), cats in zip(X.items(), self.categories_):
            block = np.zeros((n, len(cats) + 1))
            arr = _arrow_text(col)
            codes = pc.index_in(arr, value_set=pa.array(cats, type=arr.type)).to_numpy(zero_copy_only=False)
            found = ~np.isnan(codes.astype(float))
            block[np.flatnonzero(found), codes[found].astype(np.int64)] = 1.0
            block[:, -1] = col.isna().to_numpy()
            blocks.append(block)
        return np.hstack(blocks) if blocks else np.zeros((n, 0))

    def get_feature_names_out(self, input_features=None):
        import numpy as np

        names = input_features if input_features is not None else self.feature_names_in_
        return np.array([f"{name}_{v}" for name, cats in zip(names, self.categories_) for v in [*cats, "missing"]],
                        dtype=object)


def thread_limit(n):
    """A context limiting OpenMP/BLAS threads to ``n`` (None: no limit).

    Parameters
    ----------
    n : int or None

    Returns
    -------
    context manager
    """
    from contextlib import nullcontext

    from threadpoolctl import threadpool_limits

    return nullcontext() if n is None else threadpool_limits(limits=n)


def as_float(X):
    """``X`` as floats (yes/no flags become 1.0/0.0).

    Parameters
    ----------
    X : DataFrame or ndarray

    Returns
    -------
    same type as ``X``, of floats
    """
    return X.astype(float)
