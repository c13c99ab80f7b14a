"""segtools._beside: a step in a background thread beside the caller's, each keeping its own warnings."""

import threading
import warnings

import numpy as np
import pandas as pd
import pytest

from segtools._beside import beside


def _alive():
    return [t for t in threading.enumerate() if t.name == "segtools-beside"]


def test_the_step_runs_while_the_block_runs():
    # each side waits for the other: run one after the other, both would time out
    started, answered = threading.Event(), threading.Event()

    def step():
        started.set()
        return answered.wait(10)

    with beside(step) as job:
        assert started.wait(10)
        answered.set()
    assert job.result() is True and not _alive()


def test_the_steps_warnings_are_its_own_whatever_the_filters_and_the_blocks_come_back_after_it():
    def step():
        warnings.warn("from the step", UserWarning)
        warnings.warn("from the step", UserWarning)  # "always": both kept, as catch_warnings(record=True) would
        return 1

    before = list(warnings.filters), warnings.showwarning
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("default", UserWarning)
        with beside(step) as job:
            warnings.warn("from the block", UserWarning)
            warnings.warn("ignored outside", RuntimeWarning)
            assert outside == []  # not yet: kept apart until the step is done
        assert [str(w.message) for w in job.caught] == ["from the step"] * 2
        assert [str(w.message) for w in outside] == ["from the block"]  # under the filters outside: no RuntimeWarning
        assert outside[0].filename == __file__
    assert (list(warnings.filters), warnings.showwarning) == before


def test_an_error_filter_outside_raises_the_blocks_warning_not_the_steps():
    def step():
        warnings.warn("from the step", UserWarning)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="from the block"):
            with beside(step) as job:
                warnings.warn("from the block", UserWarning)
    assert [str(w.message) for w in job.caught] == ["from the step"] and not _alive()


def test_a_module_filter_outside_still_matches_the_blocks_warning():
    # raised again, the warning keeps its module's name, so a filter on the module still applies
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", module=__name__)
        with beside(lambda: None):
            warnings.warn("from this module", UserWarning)
    assert outside == []


def test_errors_of_either_side_reach_the_caller_and_no_thread_is_left():
    def failing():
        raise ArithmeticError("the step failed")

    with beside(failing) as job:
        pass
    with pytest.raises(ArithmeticError, match="the step failed"):
        job.result()
    with pytest.raises(KeyError):
        with beside(threading.Event().wait, 0.2):
            raise KeyError("the block failed")
    assert not _alive()


def test_the_purchase_model_fits_the_same_whatever_blas_may_use():
    # scikit-learn's k-means lowers BLAS to one thread while it runs beside the fit; a dot product split across
    # two threads sums in another order and moved the parameters in their 7th digit
    from threadpoolctl import threadpool_limits

    from segtools.customers.predicted import PurchaseModel

    rng = np.random.default_rng(5)
    T = rng.integers(1, 300, 60_000).astype(float)
    x = rng.poisson(3, len(T)).astype(float)
    t_x = np.where(x > 0, np.floor(T * rng.uniform(0.2, 1, len(T))), 0.0)
    summary = pd.DataFrame({"frequency": x, "recency": t_x, "T": T})
    free = PurchaseModel().fit(summary).params_
    with threadpool_limits(1, user_api="blas"):
        one = PurchaseModel().fit(summary).params_
    pd.testing.assert_series_equal(free, one, check_exact=True)


def test_the_reports_outlook_keeps_its_fit_warnings_and_raises_none():
    # the predicted-value models are fitted beside the scoring: their warnings still become the report's caveats
    from segtools.data import load_case
    from segtools.reporting.customer_table import customer_segments

    case = load_case("retail")
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        seg = customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
    caveats = seg.attrs["outlook"]["warnings"]
    assert any("correlated with frequency" in c for c in caveats), caveats
    assert [str(w.message) for w in outside] == []
