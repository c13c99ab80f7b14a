"""Execute the workbook's notebooks in place, and build the browsable HTML book.

``python -m segtools.workbook.book execute NOTEBOOK...`` re-runs notebooks top to bottom from
their own folder and stores the outputs.

``python -m segtools.workbook.book html --out build [NOTEBOOK...]`` builds the course site with
Sphinx, MyST-NB and sphinx-book-theme from the *stored* outputs (nothing is executed, no kernel is
started). The site's own files live in ``book/`` (``conf.py``, the landing page, the extension that
folds solutions); they are staged with the notebooks and three generated pages (glossary, exercises,
reports) into ``OUT/.book-src``, built there and copied into ``OUT``. ``--instructor`` builds the same site with the
solutions open. The case reports are linked from ``OUT/reports/<world>/report.html`` and the own-data
example from ``OUT/reports/own_data/report.html`` (or notebook 08's ``OUT/own_data/report/report.html``)
when they exist there (``make book`` writes them first).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import warnings
from pathlib import Path

from segtools.reporting.notebooks import execute_notebook

ROOT = Path(__file__).resolve().parents[2]
BOOK_DIR = ROOT / "book"
NOTEBOOK_DIR = ROOT / "notebooks"

# A markdown line that opens an exercise: "**Exercise 2.** ...", "### Exercise 2: ...", "Exercise 2 -".
# "## Exercises" (the section heading) is not one.
EXERCISE_LINE = re.compile(
    r"^\s*(?:#{1,6}\s+)?(?:\*\*|__)?\s*(?:Exercise|Oefening|Übung|Esercizio|Ejercicio)(?!s)\b\s*(\d+[a-z]?)?")


def execute_in_place(paths) -> None:
    """Re-execute notebooks top to bottom from their own folder and store the outputs in place.

    Parameters
    ----------
    paths : iterable of str or Path
        The notebooks to run.
    """
    import nbformat

    for path in map(Path, paths):
        print(f"executing {path}", flush=True)
        nbformat.write(execute_notebook(path), path)


# ---------------------------------------------------------------------------------------------------
# Reading notebooks (shared with book/_ext/workbook_book.py, the Sphinx side)


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
        lines += [f"({_glossary_label(key)})=", f"## {term}", ""]
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


def _glossary_label(key) -> str:
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


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def stage(notebooks, work: Path, out: Path, builds: Path | None = None) -> Path:
    """Copy ``book/`` and the notebooks into ``work/src`` and write the generated pages there.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks, in reading order.
    work : Path
        Sphinx's working folder (``OUT/.book-src``).
    out, builds : Path
        The output folder and the folder holding the reports (see :func:`reports_page`).

    Returns
    -------
    Path
        The Sphinx source folder.
    """
    src = work / "src"
    src.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BOOK_DIR, src, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_build"))
    wanted = {p.name for p in notebooks}
    for old in src.glob("*.ipynb"):
        if old.name not in wanted:
            old.unlink()
    for path in notebooks:
        target = src / path.name
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            shutil.copy2(path, target)
    _write_if_changed(src / "glossary.md", glossary_page())
    _write_if_changed(src / "exercises.md", exercises_page(notebooks))
    _write_if_changed(src / "reports.md", reports_page(out, builds))
    return src


def build_html(paths=None, out: Path = Path("build"), *, instructor: bool = False, quiet: bool = True,
               builds: Path | None = None) -> Path:
    """Build the course site into ``out`` from the stored notebook outputs; returns ``out/index.html``.

    The reports page links the reports found under ``builds`` (default ``out``): ``reports/<world>/`` and
    ``own_data/report/``.

    Parameters
    ----------
    paths : list of str or Path, optional
        The notebooks; default ``notebooks/[0-9]*.ipynb`` (sorted: the reading order).
    out : Path
        The output folder.
    instructor : bool
        Solutions open instead of folded.
    quiet : bool
        Only Sphinx's warnings reach the terminal.
    builds : Path, optional
        The folder holding ``reports/`` and ``own_data/``; default ``out``.

    Returns
    -------
    Path
        ``out/index.html``.

    Sphinx works in ``out/.book-src`` (sources, doctrees, its own output, MyST-NB's image folder, all
    kept for quick rebuilds); the finished site is then copied into ``out`` next to ``reports/``.
    """
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    out = Path(out).resolve()
    notebooks = sorted(Path(p).resolve() for p in paths) if paths else sorted(NOTEBOOK_DIR.glob("[0-9]*.ipynb"))
    if not notebooks:
        raise SystemExit("no notebooks to build")
    work = out / ".book-src"
    src = stage(notebooks, work, out, builds)
    html_dir = work / "html"  # MyST-NB writes its images next to it, in work/jupyter_execute
    tags = ["instructor"] if instructor else []
    with patch_docutils(src), docutils_namespace(), warnings.catch_warnings():
        # the themes still use Sphinx APIs that Sphinx 11 removes: not the reader's concern
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        # quiet: only warnings reach the terminal
        app = Sphinx(str(src), str(src), str(html_dir), str(work / "doctrees"), "html", tags=tags,
                     status=None if quiet else sys.stdout, warning=sys.stderr, freshenv=False,
                     keep_going=True, verbosity=0)
        app.build()
    if app.statuscode:
        raise SystemExit(f"the book build failed (status {app.statuscode})")
    shutil.copytree(html_dir, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".buildinfo"))
    return out / "index.html"


def main(argv=None) -> None:
    """The command line: ``execute NOTEBOOK...`` or ``html --out DIR [--instructor] [NOTEBOOK...]``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; default ``sys.argv[1:]``.
    """
    parser = argparse.ArgumentParser(prog="python -m segtools.workbook.book")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="re-execute notebooks in place")
    ex.add_argument("notebooks", nargs="+")
    hb = sub.add_parser("html", help="build the HTML book from the stored outputs (nothing is executed)")
    hb.add_argument("--out", default="build")
    hb.add_argument("--instructor", action="store_true", help="solutions open instead of folded")
    hb.add_argument("--reports-from", metavar="DIR", help="the folder holding reports/ and own_data/ "
                    "(default: the --out folder)")
    hb.add_argument("--verbose", action="store_true", help="Sphinx's full progress log")
    hb.add_argument("notebooks", nargs="*", help="default: notebooks/[0-9]*.ipynb")
    args = parser.parse_args(argv)
    if args.command == "execute":
        execute_in_place(args.notebooks)
    else:
        index = build_html(args.notebooks, Path(args.out), instructor=args.instructor, quiet=not args.verbose,
                           builds=Path(args.reports_from) if args.reports_from else None)
        print(f"wrote {index}")


if __name__ == "__main__":
    main()
