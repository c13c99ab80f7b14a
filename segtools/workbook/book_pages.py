"""The book's generated pages (glossary, exercises, reports) and what they read from the notebooks."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

# A markdown line that opens an exercise: "**Exercise 2.** ...", "### Exercise 2: ...", "Exercise 2 -".
# "## Exercises" (the section heading) is not one.
EXERCISE_LINE = re.compile(
    r"^\s*(?:#{1,6}\s+)?(?:\*\*|__)?\s*(?:Exercise|Oefening|Übung|Esercizio|Ejercicio)(?!s)\b\s*(\d+[a-z]?)?")


def notebook_title(nb, fallback: str) -> str:
    """The notebook's first ``# `` heading, or ``fallback``.

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
        The notebook.
    fallback : str
        The title when no markdown cell has a ``# `` heading.

    Returns
    -------
    str
    """
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def exercise_label(stem: str, number: int) -> str:
    """The link target of the ``number``-th exercise (1-based) of notebook ``stem``.

    Parameters
    ----------
    stem : str
        The notebook's file name without ``.ipynb``, e.g. ``01_customer_segmentation``.
    number : int
        The exercise's position in the notebook, from 1.

    Returns
    -------
    str
        E.g. ``exercise-01-2``.

    Examples
    --------
    >>> exercise_label("01_customer_segmentation", 2)
    'exercise-01-2'
    """
    return f"exercise-{stem.split('_', 1)[0]}-{number}"


def find_exercises(nb, stem: str):
    """Every exercise of a notebook, in order: markdown lines opening with "Exercise N".

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
        The notebook.
    stem : str
        Its file name without ``.ipynb`` (for the link targets).

    Returns
    -------
    list of tuple
        ``(label, cell index, line index in the cell, name such as "Exercise 2", first sentence)``.
    """
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        lines = _source(cell).splitlines()
        for line_no, line in enumerate(lines):
            match = EXERCISE_LINE.match(line)
            if not match:
                continue
            text = " ".join([line] + _paragraph_after(lines, line_no))
            name = f"Exercise {match.group(1)}" if match.group(1) else "Exercise"
            found.append((exercise_label(stem, len(found) + 1), index, line_no, name, _summary(text)))
    return found


def _source(cell) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _paragraph_after(lines, line_no):
    rest = []
    for line in lines[line_no + 1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            break
        rest.append(line.strip())
    return rest


def _summary(text: str, limit: int = 170) -> str:
    text = re.sub(r"^\s*#+\s*", "", text)
    text = re.sub(r"^(?:\*\*|__)?\s*\w+\s*\d*[a-z]?\s*[.:]?\s*(?:\*\*|__)?\s*[.:]?\s*", "", text, count=1)
    text = re.sub(r"\*\*|__|`", "", text).strip()
    sentence = re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------------------------------------------
# The generated pages


def glossary_page() -> str:
    """``glossary.md``: every term of ``segtools.data.glossary.glossary()`` with what the data holds.

    Returns
    -------
    str
        MyST markdown: a section per term with its definition(s) and its names in nl, de, it and es.
    """
    from segtools.data.glossary import LANGUAGES, glossary

    table = glossary()
    languages = [lang for lang in LANGUAGES if lang != "en" and lang in table.columns]
    definitions = [c for c in table.columns if str(c).startswith("definition")]
    lines = [
        "# Glossary",
        "",
        "Every term the workbook uses, with its definition and its name in Dutch (nl), German (de), Italian",
        "(it) and Spanish (es): the source articles are written in those languages and you meet the terms in",
        "them at work. The same table is `segtools.data.glossary.glossary()` in a notebook.",
        "",
    ]
    for key, row in table.iterrows():
        term = row.get("en", key)
        lines += [f"({glossary_label(key)})=", f"## {term}", ""]
        for column in definitions:
            lang = column.partition("_")[2] or "en"
            value = row.get(column)
            if isinstance(value, str) and value.strip():
                prefix = "" if lang == "en" else f"*{lang}:* "
                lines += [f"{prefix}{value.strip()}", ""]
        names = [f'**{lang}** <span lang="{lang}">{html.escape(row[lang].strip())}</span>' for lang in languages
                 if isinstance(row.get(lang), str) and row[lang].strip()]
        if names:
            lines += [" · ".join(names), ""]
    return "\n".join(lines)


def glossary_label(key) -> str:
    """The HTML anchor of a glossary entry on the glossary page (``glossary-<key>``).

    Parameters
    ----------
    key : str
        A glossary key.

    Returns
    -------
    str
        Lower-case letters, digits and hyphens only.
    """
    return "glossary-" + re.sub(r"[^a-z0-9]+", "-", str(key).lower()).strip("-")


def exercises_page(notebooks) -> str:
    """``exercises.md``: every exercise of every notebook, linked to where it stands.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks, in reading order.

    Returns
    -------
    str
        MyST markdown.
    """
    import nbformat

    lines = ["# Exercises", "",
             "Every exercise in the workbook, notebook by notebook. Each one has a folded solution under it",
             "on its page; try the exercise in Jupyter (`make lab`) before you open the solution.", ""]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        found = find_exercises(nb, path.stem)
        if not found:
            continue
        lines += [f"## {notebook_title(nb, path.stem)}", ""]
        lines += [f"- {{ref}}`{name} <{label}>`: {summary}" for label, _, _, name, summary in found]
        lines.append("")
    return "\n".join(lines)


def reports_page(out: Path, builds: Path | None = None) -> str:
    """``reports.md``: links to the case reports and the own-data example report that exist.

    Parameters
    ----------
    out : Path
        The book's output folder (links are relative to it).
    builds : Path, optional
        The folder holding ``reports/<world>/report.html`` and the own-data example report,
        ``reports/own_data/report.html`` (``make book``) or ``own_data/report/report.html``
        (notebook 08); default ``out``.

    Returns
    -------
    str
        MyST markdown.
    """
    builds = Path(builds or out).resolve()
    reports = [r for r in sorted(builds.glob("reports/*/report.html")) if r.parent.name != "own_data"]
    own = next((p for p in (builds / "reports/own_data/report.html", builds / "own_data/report/report.html")
                if p.is_file()), None)

    def link(path: Path, label: str) -> str:
        href = html.escape(Path(os.path.relpath(path, out)).as_posix())
        return f'<li><a class="reference external" href="{href}">{html.escape(label)}</a></li>'

    lines = ["# Reports", "",
             "The reports are what the workbook's analysis looks like for a reader who never opens a notebook:",
             "HTML without code, with CSV exports next to it. `make reports` (run by `make book`) writes one per",
             "case world; notebook 08 writes the own-data example.", "", "## Case reports", ""]
    if reports:
        lines += ["<ul>"] + [link(r, f"{r.parent.name}: case report") for r in reports] + ["</ul>", ""]
    else:
        lines += ["No case reports were found next to this book: run `make reports`, then build the book again.", ""]
    lines += ["## Your own data: the example report", ""]
    if own:
        lines += ["<ul>", link(own, "the example CRM export's report (notebook 08)"), "</ul>", ""]
    else:
        lines += ["Not built yet: `make book` builds it into `build/reports/own_data/`; notebook 08 writes",
                  "`build/own_data/report/report.html`. Then build the book again.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# Staging and building
