"""The cluster explorer and its static twin, and the import cost of segtools.customers."""

import subprocess
import sys

import pandas as pd

from segtools.widgets import cluster_explorer, cluster_view


def _data():
    return pd.DataFrame({"x": [0.0, 0.2, 5.0, 5.1, 9.0, 9.3], "style": ["a", "a", "b", "b", "c", "c"],
                         "monetary": [1.0, 2.0, 10.0, 11.0, 50.0, 60.0]})


def test_explorer_starts_in_the_state_of_the_static_view():
    data = _data()
    truth = pd.Series(["p", "p", "q", "q", "r", "r"])
    profile, ari = cluster_view(data, ["x", "style"], 3, answer=truth)
    assert ari == 1.0 and profile["customers"].tolist() == [2, 2, 2]
    box = cluster_explorer(data, ["x", "style"], k_values=range(2, 4), k=3, answer=truth)
    assert "<b>1.00</b>" in box.children[2].value
    box.children[0].value = ()
    assert "at least one feature" in box.children[2].value
    box.children[0].value = ("x",)
    box.children[1].value = 2
    assert "cluster 1" in box.children[2].value and "cluster 2" not in box.children[2].value


def test_importing_customers_does_not_load_sklearn_or_seaborn():
    code = "import sys, segtools.customers; print('sklearn' in sys.modules, 'seaborn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
