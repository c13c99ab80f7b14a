"""Package-level promises: a light import, the glossary."""

import subprocess
import sys

import pytest

from segtools.data.glossary import LANGUAGES, TERMS, define, glossary


def test_import_is_lazy():
    # How long the import takes is measured by bench/import_time.py, not here: a wall-clock limit in a
    # test fails on a busy machine. What makes the import fast is checked instead: nothing heavy loads.
    heavy = ("pandas", "sklearn", "matplotlib", "numpy", "scipy", "seaborn")
    code = f"import sys, segtools; print(*[m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == [], f"import segtools must not load {', '.join(loaded)}; import them inside the functions"


def test_glossary_has_every_language_for_every_term():
    table = glossary()
    assert list(table.columns) == ["en", "definition", *LANGUAGES[1:], *(f"definition_{lang}" for lang in LANGUAGES[1:])]
    assert len(table) == len(TERMS) and not table.isna().any().any()
    assert table.loc["lead_segmentation", "nl"] == "leadsegmentatie"


def test_define_names_known_terms_and_refuses_unknown():
    note = define("customer_segmentation")
    assert "Kundensegmentierung" in str(note) and note._repr_markdown_().startswith("> **customer segmentation**")
    with pytest.raises(KeyError, match="no glossary entry"):
        define("synergy")
