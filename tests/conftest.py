"""Shared test settings: headless plotting, and no figure left open between tests."""

import os

# Lets scikit-learn's estimator checks run their array-API check (numpy namespace) instead of skipping it;
# scipy reads this at import, so it is set before anything imports scipy.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
