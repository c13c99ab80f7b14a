"""The clustering segmenter: mixed columns, k chosen from a curve, stability by ARI.

:class:`ClusterSegmenter` scales numeric columns and one-hot encodes categorical ones,
fits k-means (or a Gaussian mixture) for every k in a range, keeps the whole
silhouette (or BIC) curve in ``k_scores_``, and picks the best k. :meth:`stability`
refits with other seeds or on bootstrap samples and compares the labels with the
adjusted Rand index (1 = the same partition, about 0 = chance agreement).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from segtools.errors import ValidationError


def mixed_preprocessor(X):
    """An unfitted transformer: median-impute and scale numbers, one-hot encode the rest.

    Numeric columns (bool excluded) are imputed with the median and standardised; text,
    category and bool columns are one-hot encoded, a missing value being its own
    category. For a plain array every column is numeric.

    Parameters
    ----------
    X : DataFrame or array
        The table to be clustered; only its column types are read.

    Returns
    -------
    transformer
        An unfitted ``ColumnTransformer`` (a pipeline for a plain array).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [20.0, None, 40.0], "style": ["trendy", "classic", "trendy"]})
    >>> mixed_preprocessor(X).fit(X).get_feature_names_out().tolist()
    ['age', 'style_classic', 'style_trendy']
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    numeric_steps = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler())
    if not isinstance(X, pd.DataFrame):
        return numeric_steps
    numeric = [c for c in X.columns if _is_number(X[c])]
    categorical = [c for c in X.columns if c not in numeric]
    as_text = FunctionTransformer(_as_object, feature_names_out="one-to-one")
    categories = make_pipeline(as_text, SimpleImputer(strategy="constant", fill_value="missing"),
                               OneHotEncoder(handle_unknown="ignore", sparse_output=False))
    parts = [("numeric", numeric_steps, numeric)] if numeric else []
    parts += [("categorical", categories, categorical)] if categorical else []
    return ColumnTransformer(parts, verbose_feature_names_out=False)


def _is_number(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def _as_object(X):
    return X.astype(object).where(X.notna(), np.nan)


class ClusterSegmenter(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means (or Gaussian-mixture) segments of mixed numeric and categorical columns.

    Parameters
    ----------
    n_clusters : int or "auto"
        A fixed number of segments, or ``"auto"`` to choose it over ``k_range``.
    k_range : tuple of int
        ``(smallest, largest)`` k tried when ``n_clusters="auto"`` (both included).
    method : {"kmeans", "gmm"}
        k-means, or a Gaussian mixture with diagonal covariances.
    criterion : {"silhouette", "bic"}
        Highest silhouette wins, or lowest BIC (``method="gmm"`` only).
    n_init : int
        Restarts per fit.
    sample_size : int or None
        Rows used for the silhouette (it costs O(n²)); None uses all rows.
    random_state : int
        Seed for the fits and the silhouette sample.

    Attributes
    ----------
    labels_ : ndarray of int
        The segment of each training row.
    n_clusters_ : int
        The k used.
    k_scores_ : DataFrame
        One row per k tried: ``silhouette`` and ``inertia`` (k-means) or ``bic`` (mixture).
    preprocessor_ : transformer
        The fitted scaling and encoding.
    model_ : KMeans or GaussianMixture
        The fitted model for ``n_clusters_``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((20, 2)), np.full((20, 2), 5.0)] + np.random.default_rng(0).normal(size=(40, 2)) * 0.1
    >>> seg = ClusterSegmenter(k_range=(2, 4)).fit(X)
    >>> seg.n_clusters_, seg.k_scores_["k"].tolist()
    (2, [2, 3, 4])
    """

    def __init__(self, n_clusters="auto", *, k_range=(2, 8), method="kmeans", criterion="silhouette", n_init=10,
                 sample_size=5000, random_state=0):
        self.n_clusters = n_clusters
        self.k_range = k_range
        self.method = method
        self.criterion = criterion
        self.n_init = n_init
        self.sample_size = sample_size
        self.random_state = random_state

    def _model(self, k, seed):
        if self.method == "kmeans":
            from sklearn.cluster import KMeans
            return KMeans(n_clusters=k, n_init=self.n_init, random_state=seed)
        from sklearn.mixture import GaussianMixture
        return GaussianMixture(n_components=k, covariance_type="diag", n_init=self.n_init, random_state=seed)

    def _check_params(self):
        if self.method not in ("kmeans", "gmm"):
            raise ValueError(f"method must be 'kmeans' or 'gmm', got {self.method!r}")
        if self.criterion not in ("silhouette", "bic") or (self.criterion == "bic" and self.method != "gmm"):
            raise ValueError("criterion must be 'silhouette', or 'bic' with method='gmm'")
        if self.n_clusters == "auto":
            lo, hi = self.k_range
            if not 2 <= lo <= hi:
                raise ValueError(f"k_range must be (smallest, largest) with 2 <= smallest <= largest, got {self.k_range}")
            return list(range(lo, hi + 1))
        if not isinstance(self.n_clusters, (int, np.integer)) or self.n_clusters < 1:
            raise ValueError(f"n_clusters must be a positive int or 'auto', got {self.n_clusters!r}")
        return [int(self.n_clusters)]

    def _validate(self, X, reset):
        mixed = isinstance(X, pd.DataFrame) and not all(_is_number(X[c]) for c in X.columns)
        if reset:
            self._mixed = mixed
        if isinstance(X, pd.DataFrame) and (mixed or self._mixed):
            if reset:
                self.feature_names_in_ = np.asarray(X.columns, dtype=object)
                self.n_features_in_ = X.shape[1]
            else:
                missing = [c for c in self.feature_names_in_ if c not in X.columns]
                if missing:
                    raise ValidationError(f"table with {len(X):,} rows lacks the column(s) {missing} used in fit",
                                          table="customers")
                X = X[list(self.feature_names_in_)]
            return X
        return validate_data(self, X, reset=reset, dtype=np.float64)

    def fit(self, X, y=None):
        """Fit the preprocessing and the model for each k; keep the best k."""
        from sklearn.metrics import silhouette_score

        ks = self._check_params()
        X = self._validate(X, reset=True)
        if len(X) < max(ks) + 1:
            raise ValueError(f"n_samples={len(X)}: too few rows for {max(ks)} clusters")
        self.preprocessor_ = mixed_preprocessor(X).fit(X)
        Z = self.preprocessor_.transform(X)
        rows, fits = [], {}
        for k in ks:
            model = self._model(k, self.random_state).fit(Z)
            labels = model.predict(Z)
            n_found = len(np.unique(labels))
            sil = (silhouette_score(Z, labels, sample_size=None if self.sample_size is None
                                    else min(self.sample_size, len(Z)), random_state=self.random_state)
                   if 1 < n_found < len(Z) else np.nan)
            extra = {"inertia": float(model.inertia_)} if self.method == "kmeans" else {"bic": float(model.bic(Z))}
            rows.append({"k": k, "silhouette": float(sil), **extra})
            fits[k] = (model, labels)
        self.k_scores_ = pd.DataFrame(rows)
        if len(ks) == 1:
            best = ks[0]
        elif self.criterion == "bic":
            best = int(self.k_scores_.loc[self.k_scores_["bic"].idxmin(), "k"])
        else:
            scores = self.k_scores_["silhouette"].fillna(-np.inf)
            best = int(self.k_scores_.loc[scores.idxmax(), "k"])
        self.n_clusters_ = best
        self.model_, self.labels_ = fits[best]
        if self.method == "kmeans":
            self.cluster_centers_ = self.model_.cluster_centers_
        return self

    def predict(self, X):
        """The segment (0..k-1) of each row."""
        check_is_fitted(self, "model_")
        return self.model_.predict(self.preprocessor_.transform(self._validate(X, reset=False)))

    def transform(self, X):
        """Distances to each centre (k-means) or segment probabilities (mixture)."""
        check_is_fitted(self, "model_")
        Z = self.preprocessor_.transform(self._validate(X, reset=False))
        return self.model_.transform(Z) if self.method == "kmeans" else self.model_.predict_proba(Z)

    def stability(self, X, n_runs=5, how="seeds"):
        """Adjusted Rand index of refits against the fitted labels.

        Parameters
        ----------
        X : DataFrame or array
            The training table.
        n_runs : int
            Number of refits.
        how : {"seeds", "bootstrap"}
            Refit on the same rows with other seeds, or on bootstrap samples (rows drawn
            with replacement) and then label every row.

        Returns
        -------
        DataFrame
            ``run`` and ``ari`` (1 = identical partition).
        """
        from sklearn.metrics import adjusted_rand_score

        check_is_fitted(self, "model_")
        if how not in ("seeds", "bootstrap"):
            raise ValueError(f"how must be 'seeds' or 'bootstrap', got {how!r}")
        Z = self.preprocessor_.transform(self._validate(X, reset=False))
        rng = np.random.default_rng(self.random_state)
        rows = []
        for run in range(1, n_runs + 1):
            seed = self.random_state + run
            fit_on = Z[rng.integers(0, len(Z), len(Z))] if how == "bootstrap" else Z
            labels = self._model(self.n_clusters_, seed).fit(fit_on).predict(Z)
            rows.append({"run": run, "ari": float(adjusted_rand_score(self.labels_, labels))})
        return pd.DataFrame(rows)
