"""Build index/data/given_names.txt: given names common to several countries, from Faker's tables.

Rerun with `python scripts/build_names.py`; the output is deterministic. The names come from the
person providers of Faker 37.12.0 (MIT licence), downloaded from PyPI at build time, read as
Python source (never imported) and not shipped. A name is kept when at least MIN_LOCALES of
Faker's locales list it, so that names which are also common words in one language ("General",
"Justice", "Wells" in the English tables) stay out.
"""

from __future__ import annotations

import argparse
import ast
import re
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from build_gazetteer import download_checked  # run as a script: scripts/ is on the path

OUTPUT = Path(__file__).resolve().parent.parent / "index" / "data" / "given_names.txt"
SOURCE = "Faker 37.12.0"
URL = (
    "https://files.pythonhosted.org/packages/3d/84/"
    "e95acaa848b855e15c83331d0401ee5f84b2f60889255c2e055cb4fb6bdf/faker-37.12.0.tar.gz"
)
SHA256 = "7505e59a7e02fa9010f06c3e1e92f8250d4cfbb30632296140c2d6dbef09b0fa"
PROVIDERS = re.compile(r"^faker-37\.12\.0/faker/providers/person/(\w+)/__init__\.py$")
#: Locales that must list a name. 3 keeps 2,199 names; 2 would let in "Johnson" and "German".
MIN_LOCALES = 3
#: A name as newsdex can use it: ASCII letters, one capital first, an inner hyphen or apostrophe.
NAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?$")


def download(folder: Path) -> Path:
    """The Faker sdist from PyPI's file host, checked against SHA256."""
    return download_checked(URL, SHA256, folder)


def first_names(source: str) -> set[str]:
    """The string constants assigned to a provider's first_names* attributes."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.startswith("first_names") for t in node.targets
        ):
            for const in ast.walk(node.value):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    names.add(const.value.strip())
    return {name for name in names if NAME.match(name) and len(name) >= 3}


def given_names(sdist: Path) -> list[str]:
    locales: Counter[str] = Counter()
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            if PROVIDERS.match(member.name) and (handle := archive.extractfile(member)):
                locales.update(first_names(handle.read().decode("utf-8")))
    return sorted(name for name, count in locales.items() if count >= MIN_LOCALES)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument("--sdist", type=Path, help=f"a downloaded {SOURCE} sdist")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        names = given_names(args.sdist or download(Path(folder)))
    header = f"# Given names listed by at least {MIN_LOCALES} locales of {SOURCE} (MIT licence)."
    args.output.write_text("\n".join([header, *names]) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(names)} names")


if __name__ == "__main__":
    main()
