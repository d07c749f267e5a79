"""Every figure the README and docs/ publish comes from a result file a bench command wrote."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from bench import publish

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# A measured figure: a number with a unit of time, rate, size or ratio, or a score such as 0.903.
FIGURE = re.compile(
    r"(?<![\w.,/-])(\d[\d,]*(?:\.\d+)?)\s?(ms|s|x|MB|GB|articles/s|queries/s|%)(?![\w/])"
    r"|(?<![\w.])(0\.\d{3})(?!\d)"
)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
CODE = re.compile(r"`[^`]*`")
# Documented limits and settings, not measurements.
LIMITS = {"500 MB", "5 s", "2 s", "1 s"}


def _published() -> list[tuple[str, str]]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = []
    for page in pages:
        if page == publish.PAGE:
            continue  # generated from the results themselves, checked below
        for line in page.read_text(encoding="utf-8").splitlines():
            for m in FIGURE.finditer(CODE.sub("", line)):
                text = m.group(0)
                if text not in LIMITS:
                    found.append((page.name, text))
    return found


def _result_numbers() -> list[Decimal]:
    numbers = []
    for path in RESULTS.iterdir():
        if path.suffix in {".json", ".md"}:
            numbers += [Decimal(n) for n in NUMBER.findall(path.read_text(encoding="utf-8"))]
    return numbers


def _held(figure: str, numbers: list[Decimal]) -> bool:
    value = re.match(r"[\d,.]+", figure)
    assert value is not None
    text = value.group(0).replace(",", "")
    places = Decimal(1).scaleb(-len(text.split(".")[1])) if "." in text else Decimal(1)
    wanted = Decimal(text)
    candidates = numbers if not figure.endswith("%") else [n * 100 for n in numbers] + numbers
    return any(abs(n - wanted) <= places / 2 for n in candidates)


def test_benchmark_page_is_generated_from_the_results() -> None:
    assert publish.PAGE.read_text(encoding="utf-8") == publish.render(), (
        "docs/benchmarks.md is stale: run python -m bench.publish"
    )


def test_every_published_figure_is_in_a_result_file() -> None:
    numbers = _result_numbers()
    figures = _published()
    assert figures, "the pattern found no figure at all: it is broken"
    missing = [f"{page}: {fig}" for page, fig in figures if not _held(fig, numbers)]
    assert not missing, "figures in no bench/results file:\n" + "\n".join(missing)
