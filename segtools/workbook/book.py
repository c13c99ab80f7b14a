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
import shutil
import sys
import warnings
from pathlib import Path

from segtools.reporting.notebooks import execute_notebook
from segtools.workbook.book_pages import (exercises_page, find_exercises, glossary_page, notebook_title,  # noqa: F401
                                         reports_page)

ROOT = Path(__file__).resolve().parents[2]
BOOK_DIR = ROOT / "book"
NOTEBOOK_DIR = ROOT / "notebooks"

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
    # theme files an earlier build left in OUT that this one no longer ships (e.g. the FontAwesome script)
    for stale in [p for p in (out / "_static").rglob("*") if p.is_file()]:
        if not (html_dir / stale.relative_to(out)).exists():
            stale.unlink()
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
