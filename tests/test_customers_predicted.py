"""Predicted customer value: BG/NBD and Gamma-Gamma reproduce the published CDNOW estimates.

The CDNOW sample (2,357 customers, 39-week calibration) ships inside the lifetimes
wheel; lifetimes is a test-only dependency, also used as the reference implementation.
"""

import warnings
from importlib import resources

import numpy as np
import pandas as pd
import pytest

lifetimes = pytest.importorskip("lifetimes", reason="lifetimes (dev dependency) ships the CDNOW sample")

from segtools.customers.predicted import (
    ConvergenceError,
    PurchaseModel,
    SpendModel,
    predicted_value,
)
from segtools.errors import ValidationError

# Fader, Hardie & Lee (2005a), "Counting your customers the easy way", Marketing Science 24(2)
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
# Fader, Hardie & Lee (2005b), "RFM and CLV", JMR 42(4); Fader & Hardie (2013), note 025
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}


def _dataset(name):
    path = resources.files("lifetimes").joinpath("datasets", name)
    assert path.is_file(), f"{name} is not in the lifetimes wheel"
    with resources.as_file(path) as file:
        return pd.read_csv(file)


@pytest.fixture(scope="module")
def cdnow():
    raw = _dataset("cdnow_customers_summary_with_transactions.csv")
    return raw.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"}).set_index("ID")


@pytest.fixture(scope="module")
def purchase_model(cdnow):
    return PurchaseModel().fit(cdnow)


@pytest.fixture(scope="module")
def spend_model(cdnow):
    return SpendModel().fit(cdnow)


def test_the_cdnow_sample_ships_in_the_lifetimes_wheel(cdnow):
    plain = _dataset("cdnow_customers_summary.csv").set_index("ID")
    assert len(cdnow) == len(plain) == 2357
    assert int((cdnow["frequency"] > 0).sum()) == 946
    pd.testing.assert_frame_equal(plain, cdnow[["frequency", "recency", "T"]], check_names=False)


def test_bgnbd_reproduces_the_published_estimates(purchase_model):
    fitted = purchase_model.params_
    assert list(fitted.index) == ["r", "alpha", "a", "b"]
    for name, value in PUBLISHED_BGNBD.items():
        assert fitted[name] == pytest.approx(value, rel=0.01), name
    assert purchase_model.n_customers_ == 2357
    assert purchase_model.log_likelihood_ * 2357 == pytest.approx(-9582.4, abs=0.5)  # the paper's LL


def test_gamma_gamma_reproduces_the_published_estimates(spend_model):
    fitted = spend_model.params_
    assert list(fitted.index) == ["p", "q", "v"]
    for name, value in PUBLISHED_GG.items():
        assert fitted[name] == pytest.approx(value, rel=0.01), name
    assert spend_model.n_customers_ == 946 and spend_model.n_excluded_ == 0


def test_spend_is_nearly_independent_of_frequency_on_cdnow(spend_model):
    # The Gamma-Gamma assumption, checked as the paper does (correlation 0.11)
    assert spend_model.frequency_spend_corr_ == pytest.approx(0.11, abs=0.01)


def test_published_conditional_expectation(purchase_model):
    # FHL (2005a), section 5: x = 2, t_x = 30.43, T = 38.86 -> 1.226 purchases in the next 39 weeks
    one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    assert purchase_model.expected_purchases(one, horizon=39).iloc[0] == pytest.approx(1.226, rel=0.01)


def test_same_numbers_as_lifetimes(cdnow, purchase_model, spend_model):
    x, t_x, T, m = (cdnow[c] for c in ["frequency", "recency", "T", "monetary_value"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bgf = lifetimes.BetaGeoFitter().fit(x, t_x, T)
        back = x > 0
        ggf = lifetimes.GammaGammaFitter().fit(x[back], m[back])
    np.testing.assert_allclose(purchase_model.params_.to_numpy(), bgf.params_.to_numpy(), rtol=1e-4)
    np.testing.assert_allclose(spend_model.params_.to_numpy(), ggf.params_.to_numpy(), rtol=1e-4)
    np.testing.assert_allclose(purchase_model.probability_alive(cdnow),
                               bgf.conditional_probability_alive(x, t_x, T), atol=1e-5)
    np.testing.assert_allclose(purchase_model.expected_purchases(cdnow, horizon=52),
                               bgf.conditional_expected_number_of_purchases_up_to_time(52, x, t_x, T), rtol=1e-4)
    np.testing.assert_allclose(spend_model.expected_spend(cdnow[back]),
                               ggf.conditional_expected_average_profit(x[back], m[back]), rtol=1e-4)


def test_penalizer_matches_lifetimes_convention(cdnow):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bgf = lifetimes.BetaGeoFitter(penalizer_coef=0.01).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    ours = PurchaseModel(penalizer=0.01).fit(cdnow)
    np.testing.assert_allclose(ours.params_.to_numpy(), bgf.params_.to_numpy(), rtol=1e-4)
    assert ours.params_["a"] < PUBLISHED_BGNBD["a"]  # shrunk


def test_time_unit_only_rescales_alpha(cdnow, purchase_model):
    days = cdnow.assign(recency=cdnow["recency"] * 7, T=cdnow["T"] * 7)
    daily = PurchaseModel().fit(days)
    np.testing.assert_allclose(daily.params_[["r", "a", "b"]], purchase_model.params_[["r", "a", "b"]], rtol=1e-4)
    assert daily.params_["alpha"] == pytest.approx(7 * purchase_model.params_["alpha"], rel=1e-4)
    np.testing.assert_allclose(daily.expected_purchases(days, horizon=7 * 39),
                               purchase_model.expected_purchases(cdnow, horizon=39), rtol=1e-3)


def _simulate_bgnbd(n, r, alpha, a, b, T, seed):
    """Purchase histories drawn from the BG/NBD story itself."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T:
                break
            x[i], t_x[i] = x[i] + 1, t
            if rng.random() < p[i]:
                break
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": np.full(n, float(T))})


def test_recovers_the_parameters_of_simulated_customers():
    truth = {"r": 0.5, "alpha": 5.0, "a": 0.8, "b": 3.0}
    fitted = PurchaseModel().fit(_simulate_bgnbd(6000, **truth, T=52, seed=7)).params_
    assert fitted["r"] / fitted["alpha"] == pytest.approx(0.1, rel=0.1)  # mean purchase rate
    assert fitted["a"] / (fitted["a"] + fitted["b"]) == pytest.approx(0.8 / 3.8, rel=0.2)  # mean drop-out


def test_predicted_value_table(cdnow, purchase_model, spend_model):
    table = predicted_value(cdnow, horizon=39, purchase_model=purchase_model, spend_model=spend_model)
    assert list(table.columns) == ["p_alive", "expected_purchases", "expected_spend", "predicted_value", "status"]
    assert table.index.equals(cdnow.index)
    np.testing.assert_allclose(table["predicted_value"], table["expected_purchases"] * table["expected_spend"])
    one = cdnow["frequency"] == 0
    assert (table.loc[one, "status"] == "one purchase").all() and (table.loc[one, "p_alive"] == 1).all()
    assert (table.loc[~one & (table["p_alive"] < 0.5), "status"] == "likely lapsed").all()
    assert (table.loc[~one & (table["p_alive"] >= 0.5), "status"] == "active").all()
    population_mean = PUBLISHED_GG["p"] * PUBLISHED_GG["v"] / (PUBLISHED_GG["q"] - 1)
    assert table.loc[one, "expected_spend"].iloc[0] == pytest.approx(population_mean, rel=0.01)
    assert table.attrs["params"]["purchase"]["r"] == purchase_model.params_["r"]


def test_predicted_value_fits_both_models_when_none_are_given(cdnow):
    table = predicted_value(cdnow, horizon=39, lapsed_below=0.3)
    assert table.attrs["params"]["spend"]["p"] == pytest.approx(PUBLISHED_GG["p"], rel=0.01)
    assert set(table["status"]) == {"active", "likely lapsed", "one purchase"}


def test_spend_model_leaves_out_refunded_repeat_spend_and_warns_on_correlation():
    summary = pd.DataFrame({"frequency": [0, 1, 2, 3, 4, 5, 6, 2],
                            "monetary_value": [0.0, 10.0, 12.0, 15.0, 20.0, 24.0, 30.0, -5.0]})
    with pytest.warns(UserWarning, match="correlated with frequency"):
        model = SpendModel().fit(summary)
    assert model.n_customers_ == 6 and model.n_excluded_ == 1
    spend = model.expected_spend(summary)
    assert spend.iloc[-1] == pytest.approx(model.expected_spend(summary.iloc[[-1]].assign(monetary_value=0.0)).iloc[0])


@pytest.mark.parametrize("bad, match", [
    (pd.DataFrame({"frequency": [1], "recency": [5.0]}), "'T' not found"),
    (pd.DataFrame({"frequency": [1, 0], "recency": [5.0, 0.0], "T": [4.0, 3.0]}), "above T"),
    (pd.DataFrame({"frequency": [0, 1], "recency": [2.0, 1.0], "T": [4.0, 3.0]}), "recency > 0"),
    (pd.DataFrame({"frequency": [1.5, 1], "recency": [2.0, 1.0], "T": [4.0, 3.0]}), "whole numbers"),
    (pd.DataFrame({"frequency": [1, None], "recency": [2.0, 1.0], "T": [4.0, 3.0]}), "missing"),
])
def test_bad_summaries_are_refused_with_the_rows(bad, match):
    with pytest.raises(ValidationError, match=match):
        PurchaseModel().fit(bad)


def test_needs_repeat_buyers_and_valid_settings(cdnow, purchase_model):
    with pytest.raises(ValidationError, match="repeat purchase"):
        PurchaseModel().fit(pd.DataFrame({"frequency": [0, 0], "recency": [0.0, 0.0], "T": [3.0, 5.0]}))
    with pytest.raises(ValueError, match="penalizer"):
        PurchaseModel(penalizer=-1).fit(cdnow)
    with pytest.raises(ValueError, match="horizon"):
        purchase_model.expected_purchases(cdnow, horizon=0)
    with pytest.raises(ValidationError, match="2 returning"):
        SpendModel().fit(pd.DataFrame({"frequency": [0, 1], "monetary_value": [0.0, 3.0]}))


def test_unfitted_models_say_so(cdnow):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        PurchaseModel().probability_alive(cdnow)
    with pytest.raises(NotFittedError):
        SpendModel().expected_spend(cdnow)


def test_degenerate_data_raise_a_convergence_error():
    # everyone buys every period and never stops: the drop-out probability runs off to 0
    summary = pd.DataFrame({"frequency": [10, 10, 10, 9], "recency": [10.0, 10.0, 10.0, 9.0], "T": [10.0] * 4})
    with pytest.raises(ConvergenceError, match="a -> 0"):
        PurchaseModel().fit(summary)


def test_fitting_distinct_rows_with_weights_finds_the_fit_on_every_row(cdnow):
    from segtools.customers import _clv

    x, t_x, T = (cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    scale = 1.0 / T.max()
    data, counts = _clv.distinct_rows(x, t_x * scale, T * scale)
    assert len(counts) < len(x) and counts.sum() == len(x)
    names = ("r", "alpha", "a", "b")
    weighted, ll_w = _clv.fit_log_params(_clv.bgnbd_loglik, names, 0.0, data, weights=counts)
    every, ll = _clv.fit_log_params(_clv.bgnbd_loglik, names, 0.0, (x, t_x * scale, T * scale))
    np.testing.assert_allclose(weighted, every, rtol=1e-4)
    assert ll_w == pytest.approx(ll, rel=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_top_customers_are_the_first_of_a_stable_sort(seed):
    from segtools.customers.outlook import _top

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 20, 500).astype(float)  # many ties at the cut
    for n in (0, 1, 37, 100, 499, 500):
        expected = np.sort(np.argsort(-values, kind="stable")[:n])
        np.testing.assert_array_equal(_top(values, n), expected)


def test_value_groups_follow_the_status_and_the_top_share(cdnow):
    from segtools.customers.outlook import outlook_from_summary

    cdnow = cdnow.assign(monetary_value=np.where(cdnow["frequency"] > 0, 30.0 + cdnow.index.to_numpy() % 7, 0.0))
    table = outlook_from_summary(cdnow, top_share=0.2)
    status = predicted_value(cdnow, horizon=52, penalizer=0.0)["status"]
    top = np.argsort(-table["predicted_value"].to_numpy(), kind="stable")[:int(0.2 * len(table))]
    expected = status.to_numpy(dtype=object).copy()
    expected[top] = "most valuable next year"
    assert table["value_outlook"].tolist() == expected.tolist()
    assert str(table["value_outlook"].dtype) == "str"


@pytest.mark.parametrize("seed", range(6))
def test_the_likelihoods_on_fixed_data_equal_the_formulas_to_the_last_bit(seed):
    # a fit evaluates them thousands of times with the per-column terms looked up: any drift would move the fit
    from segtools.customers import _clv

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 4000))
    x = rng.integers(0, 60, n).astype(float)
    T = rng.integers(1, 105, n).astype(float) if seed % 2 else rng.uniform(0.01, 1.0, n)
    t_x = np.where(x > 0, np.minimum(T, rng.uniform(0, 1, n) * T), 0.0)
    for params in np.exp(rng.normal(0, 2, (5, 4))):
        np.testing.assert_array_equal(_clv.bgnbd_loglik_of(x, t_x, T)(params), _clv.bgnbd_loglik(params, x, t_x, T))
    back = x > 0
    m = rng.lognormal(3, 1, int(back.sum()))
    for params in np.exp(rng.normal(0, 2, (5, 3))):
        np.testing.assert_array_equal(_clv.gamma_gamma_loglik_of(x[back], m)(params),
                                      _clv.gamma_gamma_loglik(params, x[back], m))


def test_predicted_value_equals_the_models_own_predictions(cdnow):
    spend = SpendModel().fit(cdnow)
    purchase = PurchaseModel().fit(cdnow)
    table = predicted_value(cdnow, horizon=39, purchase_model=purchase, spend_model=spend)
    np.testing.assert_array_equal(table["p_alive"], purchase.probability_alive(cdnow))
    np.testing.assert_array_equal(table["expected_purchases"], purchase.expected_purchases(cdnow, horizon=39))
    np.testing.assert_array_equal(table["expected_spend"], spend.expected_spend(cdnow))
    with pytest.raises(ValueError, match="horizon"):
        predicted_value(cdnow, horizon=0, purchase_model=purchase, spend_model=spend)


def test_a_failed_unpenalised_spend_fit_does_not_fit_the_purchase_model_twice(cdnow, monkeypatch):
    # the spend model is fitted first: when it fails, both are refitted with the penalizer anyway
    from segtools.customers import outlook, predicted

    fits = []
    real_purchase, real_spend = predicted.PurchaseModel.fit, predicted.SpendModel.fit

    def purchase_fit(self, summary, y=None):
        fits.append(("purchase", self.penalizer))
        return real_purchase(self, summary)

    def spend_fit(self, summary, y=None):
        fits.append(("spend", self.penalizer))
        if self.penalizer == 0:
            raise ConvergenceError("v -> infinity (made to fail here)")
        return real_spend(self, summary)

    monkeypatch.setattr(predicted.PurchaseModel, "fit", purchase_fit)
    monkeypatch.setattr(predicted.SpendModel, "fit", spend_fit)
    table = outlook.outlook_from_summary(cdnow)
    assert fits == [("spend", 0.0), ("spend", outlook.PENALIZERS[1]), ("purchase", outlook.PENALIZERS[1])]
    assert "unpenalised fit failed" in table.attrs["warnings"][0] and "v -> infinity" in table.attrs["warnings"][0]
