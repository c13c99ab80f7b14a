"""The glossary: a term and a definition in every language for every entry, and every key the notebooks use."""

import re
from pathlib import Path

import nbformat
import pytest

from segtools.data.glossary import LANGUAGES, TERMS, Note, define, glossary

ROOT = Path(__file__).resolve().parents[1]
STATISTICAL = ("lift", "roc_auc", "average_precision", "calibration", "wilson_interval", "two_proportion_test",
               "chi_square_test", "silhouette", "adjusted_rand_index", "censoring", "population_stability_index",
               "hold_out_group", "bg_nbd", "gamma_gamma", "recency")


def _notebook_keys():
    keys = {}
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                for key in re.findall(r"""define\(\s*["']([^"']+)["']""", cell.source):
                    keys.setdefault(key, path.name)
    return keys


@pytest.mark.parametrize("key", sorted(TERMS))
def test_every_entry_has_a_term_and_a_definition_in_every_language(key):
    entry = TERMS[key]
    assert set(entry) == set(LANGUAGES), key
    for lang in LANGUAGES:
        term, definition = entry[lang]
        assert isinstance(term, str) and term.strip(), (key, lang)
        assert isinstance(definition, str) and len(definition.split()) >= 5, (key, lang)
        assert definition == definition.strip() and definition.endswith((".", ")")), (key, lang)
        assert definition[0] == definition[0].lower() or not definition[0].isalpha() or lang == "de", (key, lang)


@pytest.mark.parametrize("key", sorted(TERMS))
def test_no_definition_is_left_in_english(key):
    english = TERMS[key]["en"][1]
    for lang in LANGUAGES[1:]:
        assert TERMS[key][lang][1] != english, (key, lang)
    assert len({TERMS[key][lang][1] for lang in LANGUAGES}) == len(LANGUAGES), key


def test_definitions_are_consistent_across_languages():
    # the same numbers (thresholds, ranges, scales) appear in every language's definition
    for key, entry in TERMS.items():
        numbers = {lang: sorted(re.findall(r"\d+(?:[.,]\d+)?", entry[lang][1].replace(",", "."))) for lang in LANGUAGES}
        assert all(found == numbers["en"] for found in numbers.values()), (key, numbers)
        # a definition is neither a fragment nor an essay: one or two sentences, of similar length
        lengths = [len(entry[lang][1]) for lang in LANGUAGES]
        assert max(lengths) < 2 * min(lengths), (key, lengths)
        assert all(entry[lang][1].count(". ") <= 1 for lang in LANGUAGES), key


def test_the_statistical_terms_are_there():
    missing = [key for key in STATISTICAL if key not in TERMS]
    assert not missing
    recency = TERMS["recency"]["en"][1]
    assert "last purchase to the snapshot date" in recency and "first to the last purchase" in recency
    assert "probability" in TERMS["bg_nbd"]["en"][0]


def test_the_source_articles_terms_are_used():
    assert TERMS["customer_segmentation"]["nl"][0] == "klantsegmentatie"
    assert TERMS["customer_segmentation"]["de"][0] == "Kundensegmentierung"
    assert TERMS["customer_segmentation"]["it"][0] == "segmentazione dei clienti"
    assert TERMS["customer_segmentation"]["es"][0] == "segmentación de clientes"
    assert TERMS["lead_segmentation"]["nl"][0] == "leadsegmentatie"
    assert TERMS["lead_segmentation"]["de"][0] == "Lead-Segmentierung"


def test_every_key_a_notebook_defines_exists():
    keys = _notebook_keys()
    assert keys, "no define(...) call found in the notebooks"
    missing = {key: where for key, where in keys.items() if key not in TERMS}
    assert not missing, f"define() keys missing from the glossary: {missing}"


def test_the_keys_the_workbook_has_always_had_are_kept():
    for key in ("customer_segmentation", "lead_segmentation", "customer", "lead", "segment", "conversion",
                "lead_scoring", "rfm", "customer_lifetime_value", "churn", "demographic_segmentation",
                "geographic_segmentation", "psychographic_segmentation", "technographic_segmentation",
                "behavioural_segmentation", "needs_based_segmentation", "value_based_segmentation", "firmographics",
                "purchasing_power", "interest_level", "nps", "mql", "sql", "funnel", "customer_journey",
                "target_audience", "retention", "clustering", "hold_out_group", "lift"):
        assert key in TERMS, key


def test_define_shows_the_definition_and_the_four_translations():
    note = define("wilson_interval")
    assert isinstance(note, Note) and note.term == "Wilson interval"
    assert set(note.translations) == set(note.definitions) == set(LANGUAGES[1:])
    text, markdown = str(note), note._repr_markdown_()
    assert text.splitlines()[0] == f"Wilson interval: {TERMS['wilson_interval']['en'][1]}"
    for lang in LANGUAGES[1:]:
        term, definition = TERMS["wilson_interval"][lang]
        assert term in text and definition in text
        assert f"*{lang}* **{term}**: {definition}" in markdown
    assert markdown.startswith("> **Wilson interval**:")
    assert define("hold_out_group").translations["de"] == "Kontrollgruppe"


def test_define_refuses_bad_keys():
    with pytest.raises(KeyError, match="no glossary entry.*entries: adjusted_rand_index"):
        define("synergy")
    with pytest.raises(ValueError, match="no glossary entry"):
        define("synergy")
    with pytest.raises(TypeError, match="string"):
        define(3)


def test_glossary_table_has_term_and_definition_columns_per_language():
    table = glossary()
    others = list(LANGUAGES[1:])
    assert list(table.columns) == ["en", "definition", *others, *[f"definition_{lang}" for lang in others]]
    assert len(table) == len(TERMS) and not table.isna().any().any()
    assert table.index.name == "key"
    assert table.loc["lead_segmentation", "nl"] == "leadsegmentatie"
    assert table.loc["silhouette", "definition_es"] == TERMS["silhouette"]["es"][1]
    assert list(glossary(["es", "en", "nl"]).columns) == ["en", "definition", "nl", "es", "definition_nl",
                                                         "definition_es"]
    assert list(glossary(["en"]).columns) == ["en", "definition"]
    assert list(glossary(definitions=False).columns) == ["en", "definition", *others]


def test_glossary_refuses_bad_languages():
    with pytest.raises(ValueError, match="unknown language"):
        glossary(["en", "fr"])
    with pytest.raises(TypeError, match="not the string"):
        glossary("nl")
    with pytest.raises(TypeError, match="strings"):
        glossary(["nl", 2])
