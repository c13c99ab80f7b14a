"""`make book`'s builder: executes a notebook and links its HTML page from build/index.html."""

import re
from pathlib import Path

from segtools.workbook.book import build_html

ROOT = Path(__file__).resolve().parent.parent


def test_book_links_every_page_it_writes(tmp_path):
    index = build_html([ROOT / "notebooks" / "00_start_here.ipynb"], tmp_path)
    html = index.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert links == ["00_start_here.html"]
    page = (tmp_path / links[0]).read_text(encoding="utf-8")
    assert "Start here: customer segmentation versus lead segmentation" in page
    assert "Rows per table in each case world" in page  # executed: the chart cell ran
    assert "<img" in page or "image/png" in page
