"""Execute the workbook's notebooks in place, and build the browsable HTML book.

``python -m segtools.workbook.book execute NOTEBOOK...`` re-runs notebooks top to bottom from
their own folder and stores the outputs; ``python -m segtools.workbook.book html --out build
NOTEBOOK...`` executes fresh copies and writes one HTML page each plus ``index.html``.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

from segtools.reporting.notebooks import execute_notebook

def execute_in_place(paths) -> None:
    import nbformat

    for path in map(Path, paths):
        print(f"executing {path}", flush=True)
        nbformat.write(execute_notebook(path), path)


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def build_html(paths, out: Path) -> Path:
    """Execute each notebook afresh and write ``out/NAME.html`` and ``out/index.html``."""
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    items = []
    for path in map(Path, paths):
        print(f"building {path.name}", flush=True)
        nb = execute_notebook(path)
        body, _ = exporter.from_notebook_node(nb)
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        items.append((f"{path.stem}.html", _title(nb, path.stem)))
    reports = sorted((out / "reports").glob("*/report.html")) if (out / "reports").is_dir() else []
    write_index(out, items, [(str(r.relative_to(out)), r.parent.name) for r in reports])
    return out / "index.html"


def write_index(out: Path, notebooks, reports) -> None:
    def links(pairs):
        return "\n".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>' for href, label in pairs)

    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Customer vs lead segmentation: the workbook</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5}}</style></head>
<body><h1>Customer segmentation versus lead segmentation</h1>
<p>The notebooks in reading order, executed when this book was built.</p>
<h2>Notebooks</h2><ol>
{links(notebooks)}
</ol>
<h2>Case reports</h2><ul>
{links(reports) if reports else '<li>No reports were built (run <code>make reports</code>).</li>'}
</ul></body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m segtools.workbook.book")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="re-execute notebooks in place")
    ex.add_argument("notebooks", nargs="+")
    hb = sub.add_parser("html", help="execute notebooks and write the HTML book")
    hb.add_argument("--out", default="build")
    hb.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "execute":
        execute_in_place(args.notebooks)
    else:
        print(f"wrote {build_html(args.notebooks, Path(args.out))}")


if __name__ == "__main__":
    main()
