"""Build index/data/country_names.tsv: every name the shipped gazetteer reads as a country first.

Rerun with `python scripts/build_country_names.py` after scripts/build_gazetteer.py. The query side
reads this table (a few kilobytes) so that country:UK and place:Britain find the United Kingdom
without loading the whole gazetteer. Names come from GeoNames (CC-BY 4.0), as the gazetteer's do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.gazetteer import COUNTRY_TABLE, KEY_VERSION, load_gazetteer

OUTPUT = Path(__file__).resolve().parent.parent / "index" / "data" / COUNTRY_TABLE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    names = load_gazetteer().country_keys()
    header = f"# place_key (version {KEY_VERSION}) -> country, from GeoNames via the gazetteer"
    lines = [header, *(f"{key}\t{name}" for key, name in sorted(names.items()))]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(names)} names of {len(set(names.values()))} countries")


if __name__ == "__main__":
    main()
