"""Package-level promises: fast import, glossary, doc examples."""

import subprocess
import sys

import pytest

from segtools.data.glossary import LANGUAGES, TERMS, define, glossary


def test_import_is_fast_and_lazy():
    code = ("import time, sys; t = time.perf_counter(); import segtools; "
            "print(time.perf_counter() - t); print('pandas' in sys.modules, 'sklearn' in sys.modules)")
    best = float("inf")
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        best = min(best, float(out[0]))
        assert out[1:] == ["False", "False"], "import segtools must not load pandas or scikit-learn"
    assert best < 0.3


def test_glossary_has_every_language_for_every_term():
    table = glossary()
    assert list(table.columns) == ["en", "definition", *LANGUAGES[1:]]
    assert len(table) == len(TERMS) and not table.isna().any().any()
    assert table.loc["lead_segmentation", "nl"] == "leadsegmentatie"


def test_define_names_known_terms_and_refuses_unknown():
    note = define("customer_segmentation")
    assert "Kundensegmentierung" in str(note) and note._repr_markdown_().startswith("> **customer segmentation**")
    with pytest.raises(KeyError, match="no glossary entry"):
        define("synergy")
