"""Every scikit-learn estimator of segtools through scikit-learn's own estimator checks.

The estimators are found by walking the package (every module imported, every public
``BaseEstimator`` subclass defined in segtools collected), so a new one is checked without
anyone remembering to add it here; one that needs configuration gets a minimal valid one in
:data:`CONFIG`. Checks that cannot apply are named, each with its reason, in
:func:`expected_failed_checks`; they run as strict xfails, so a check that starts passing
must be taken off the list.

Most of segtools' estimators work on DataFrames with named columns (rules and points tables
name columns), while scikit-learn's checks feed plain arrays; :func:`test_dataframe_contract`
checks the same promises (fit returns self, parameters untouched, input untouched, clone,
pickle, idempotent refit) on a DataFrame.
"""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import traceback

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.utils.estimator_checks import estimator_checks_generator, parametrize_with_checks

import segtools

POINTS = [{"score": "fit", "group": "x", "column": "x0", "op": ">", "value": 0, "points": 10}]

#: Minimal valid configuration, by class name, of the estimators whose defaults cannot fit anything.
CONFIG = {
    "RuleSegmenter": lambda cls: cls(rules={"high": "x0 > 0"}),
    "RuleScorer": lambda cls: cls(points=POINTS),
    "ClusterSegmenter": lambda cls: cls(k_range=(2, 3), n_init=2),
    "TextOneHot": lambda cls: cls(min_frequency=1),
    "LeadScorer": lambda cls: cls(cv=2),
}
KNOWN = set(CONFIG)


def _segtools_estimators() -> list[type]:
    for info in pkgutil.walk_packages(segtools.__path__, "segtools."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            importlib.import_module(info.name)
    found, todo = set(), [BaseEstimator]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("segtools.") and not sub.__name__.startswith("_"):
                found.add(sub)
    return sorted(found, key=lambda c: c.__name__)


CLASSES = _segtools_estimators()
ESTIMATORS = [CONFIG[c.__name__](c) if c.__name__ in CONFIG else c() for c in CLASSES]

# ------------------------------------------------------------------------------------- checks that cannot apply

_ARRAYS = "works on a DataFrame with named columns and refuses the plain arrays this check feeds it"
#: Checks that feed a plain array to fit: a DataFrame-only estimator refuses it before anything else.
_FITS_ON_ARRAYS = [
    "check_fit_score_takes_y", "check_estimators_overwrite_params", "check_dont_overwrite_parameters",
    "check_estimators_fit_returns_self", "check_readonly_memmap_input", "check_n_features_in_after_fitting",
    "check_estimators_dtypes", "check_dtype_object", "check_pipeline_consistency", "check_estimators_pickle",
    "check_array_api_input", "check_f_contiguous_array_estimator", "check_methods_sample_order_invariance",
    "check_methods_subset_invariance", "check_dict_unchanged", "check_fit_idempotent", "check_fit_check_is_fitted",
    "check_n_features_in", "check_fit2d_predict1d",
]
#: Checks of the error message for bad input: a DataFrame-only estimator says "expected a DataFrame" instead.
_ERROR_MESSAGES = {
    "check_positive_only_tag_during_fit": "negative values are fine, but the array itself is refused",
    "check_complex_data": "refuses the array with 'expected a DataFrame', not 'Complex data not supported'",
    "check_estimators_empty_data_messages": "refuses the array with 'expected a DataFrame', not '0 feature(s)'",
    "check_estimators_nan_inf": "refuses the array before it could look for NaN or inf",
    "check_estimator_sparse_tag": "refuses sparse input as 'expected a DataFrame', not the message the check wants",
    "check_estimator_sparse_array": "refuses sparse input as 'expected a DataFrame', not 'sparse ... not supported'",
    "check_estimator_sparse_matrix": "refuses sparse input as 'expected a DataFrame', not 'sparse ... not supported'",
    "check_fit2d_1sample": "refuses the array with 'expected a DataFrame', not '1 sample'",
    "check_fit2d_1feature": "refuses the array with 'expected a DataFrame', not '1 feature(s)'",
}
_DATAFRAME_ONLY = {**dict.fromkeys(_FITS_ON_ARRAYS, _ARRAYS), **_ERROR_MESSAGES}
_DATAFRAME_TRANSFORMER = {
    **_DATAFRAME_ONLY,
    "check_transformer_data_not_an_array": _ARRAYS,
    "check_transformer_general": _ARRAYS,
    "check_transformer_preserve_dtypes": _ARRAYS,
}

EXPECTED_FAILED = {
    "ClusterSegmenter": {},
    "PurchaseModel": _DATAFRAME_ONLY,  # a repeat-purchase summary: frequency, recency, T
    "SpendModel": _DATAFRAME_ONLY,  # a repeat-purchase summary: frequency, monetary_value
    "RuleSegmenter": _DATAFRAME_TRANSFORMER,
    "RuleScorer": _DATAFRAME_TRANSFORMER,
    "LeadScorer": {
        **_DATAFRAME_ONLY,
        "check_classifier_data_not_an_array": _ARRAYS,
        "check_classifiers_classes": _ARRAYS,
        "check_classifiers_train": _ARRAYS,
        "check_supervised_y_2d": _ARRAYS,
        "check_requires_y_none": "refuses the array with 'expected a DataFrame' before it looks at y",
        "check_classifiers_regression_target": "refuses the array with 'expected a DataFrame' before it looks at y",
        "check_classifiers_one_label": "refuses one-class y on purpose: a lead scorer needs both outcomes",
    },
    "TextOneHot": {
        "check_complex_data": "a text encoder: any value is read as text, complex numbers too",
        "check_dtype_object": "a text encoder: object columns are its normal input",
        "check_estimators_nan_inf": "a text encoder: NaN is a missing value with its own indicator column",
        "check_fit1d": "wraps any input in a DataFrame, so a 1-d array is one text column",
        "check_fit2d_predict1d": "wraps any input in a DataFrame, so a 1-d array is one text column",
        "check_transformer_data_not_an_array": "reads its input with pandas, which cannot wrap the check's "
                                               "_NotAnArray",
    },
}


def expected_failed_checks(estimator) -> dict[str, str]:
    return EXPECTED_FAILED.get(type(estimator).__name__, {})


def _parametrize(estimators):
    """``parametrize_with_checks``, one estimator at a time, so one that scikit-learn cannot even list
    checks for (e.g. missing tags) fails its own test instead of breaking the collection of the others."""
    params, ids = [], None
    for estimator in estimators:
        try:
            mark = parametrize_with_checks([estimator], expected_failed_checks=expected_failed_checks,
                                           xfail_strict=True)
        except Exception as err:  # noqa: BLE001 - reported as a failing test below
            message = f"scikit-learn cannot list the checks of {type(estimator).__name__}: {err}"

            def check_sklearn_lists_the_checks(_estimator, _message=message):
                raise AssertionError(_message)

            params.append(pytest.param(estimator, check_sklearn_lists_the_checks))
            continue
        params.extend(mark.args[1])
        ids = mark.kwargs["ids"]

    def short_ids(value):  # the class name rather than the whole repr (a points table is long)
        if isinstance(value, BaseEstimator):
            return type(value).__name__
        return ids(value) if ids else getattr(value, "__name__", str(value))

    return pytest.mark.parametrize("estimator, check", params, ids=short_ids)


def _check_name(check):
    return getattr(check, "func", check).__name__


def test_the_walk_finds_every_known_estimator():
    names = {c.__name__ for c in CLASSES}
    assert KNOWN <= names, f"estimators not found by walking segtools: {sorted(KNOWN - names)}"


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_expected_failures_name_checks_that_exist(estimator):
    try:
        checks = list(estimator_checks_generator(estimator, legacy=True))
    except Exception:  # noqa: BLE001 - test_sklearn_estimator_checks reports it
        pytest.skip("scikit-learn cannot list its checks (see test_sklearn_estimator_checks)")
    names = {_check_name(check) for _, check in checks}
    stale = sorted(set(expected_failed_checks(estimator)) - names)
    assert not stale, f"EXPECTED_FAILED[{type(estimator).__name__!r}] names checks scikit-learn does not run: {stale}"


@_parametrize(ESTIMATORS)
def test_sklearn_estimator_checks(estimator, check):
    try:
        check(estimator)
    except Exception as err:  # noqa: BLE001 - re-raised below
        # Re-raised with a plain-text traceback of the innermost frames: pytest's own rendering of the deep
        # scikit-learn tracebacks costs about a second per failing check, and the expected failures are many.
        frames = "".join(traceback.format_exception(err, limit=-6))
        raise AssertionError(f"{_check_name(check)} failed for {type(estimator).__name__}:\n{frames}") from None


# ------------------------------------------------------------------------------------- the same promises on a DataFrame


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x0 = np.concatenate([rng.normal(-3, 1, n // 2), rng.normal(3, 1, n - n // 2)])
    # the label follows x0 but not perfectly: a perfectly separating column is a leak the scorer refuses
    flip = rng.random(n) < 0.2
    return pd.DataFrame({"x0": x0, "x1": rng.normal(size=n)}), (x0 > 0) ^ flip


# a repeat-purchase summary; spend is not correlated with frequency (SpendModel warns when it is)
_SUMMARY = pd.DataFrame({"frequency": [0, 1, 4, 2, 0, 6, 1, 3], "recency": [0, 10, 30, 5, 0, 38, 2, 20],
                         "T": [40, 40, 39, 38, 35, 39, 30, 40],
                         "monetary_value": [0.0, 30.0, 32.0, 20.0, 0.0, 25.0, 28.0, 40.0]})


def _data_for(estimator):
    X, y = _frame()
    name = type(estimator).__name__
    if name == "TextOneHot":
        X = pd.DataFrame({"colour": np.where(y, "red", "blue"), "size": ["s", "m", None, "l"] * 10})
    elif name in ("PurchaseModel", "SpendModel"):
        X, y = _SUMMARY.copy(), None
    return X, y


#: The methods that give an estimator's result, the first one it has is compared.
OUTPUTS = ("predict_proba", "predict", "transform", "probability_alive", "expected_spend")


def _output(estimator, X):
    for method in OUTPUTS:
        if hasattr(estimator, method):
            out = getattr(estimator, method)(X)
            return out.to_numpy() if hasattr(out, "to_numpy") else np.asarray(out)
    raise AssertionError(f"{type(estimator).__name__} has none of {OUTPUTS}: add its result method there")


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_dataframe_contract(estimator):
    X, y = _data_for(estimator)
    before = X.copy()
    fresh = clone(estimator)
    params = fresh.get_params(deep=False)
    assert fresh.fit(X, y) is fresh, "fit must return self"
    pd.testing.assert_frame_equal(X, before, obj="fit must not change its input")
    assert fresh.get_params(deep=False).keys() == params.keys()
    for key, value in params.items():
        assert fresh.get_params(deep=False)[key] is value, f"fit changed the parameter {key!r}"
    out = _output(fresh, X)
    assert len(out) == len(X)
    np.testing.assert_array_equal(_output(pickle.loads(pickle.dumps(fresh)), X), out,
                                  err_msg="a pickled copy must give the same output")
    np.testing.assert_array_equal(_output(clone(estimator).fit(X, y), X), out, err_msg="refit must give the same")
    assert not any(k.endswith("_") and not k.startswith("_") for k in vars(clone(estimator))), \
        "clone must give an unfitted copy"
