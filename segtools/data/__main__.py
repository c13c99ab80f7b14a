"""``python -m segtools.data write``: regenerate the committed CSVs and their data cards."""

import sys

from segtools.data.cards import write_data_cards
from segtools.data.cases import WORLDS, datasets_dir, make_case, write_case


def main(argv=None) -> None:
    """Regenerate ``datasets/<world>/*.csv`` and ``datasets/README.md`` from the generators."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["write"]:
        raise SystemExit("usage: python -m segtools.data write")
    for name in WORLDS:
        write_case(make_case(name), datasets_dir() / name)
    write_data_cards(datasets_dir())


if __name__ == "__main__":
    main()
