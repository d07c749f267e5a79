"""Timelines: counts per period checked against a brute-force count, bars at 60 columns, and the
one-shot search path free of the chart code."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()
START = date(2003, 12, 20)


def brute_labels(day: date, by: str) -> str:
    """The period label of a day, written independently of search/timeline.py."""
    if by == "day":
        return day.strftime("%Y-%m-%d")
    if by == "week":
        iso = day.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return day.strftime("%Y-%m" if by == "month" else "%Y")


def brute_count(days: list[date], by: str) -> list[tuple[str, int]]:
    """Walk every calendar day from the first to the last: each label once, zero when empty."""
    counts = Counter(brute_labels(d, by) for d in days)
    labels: list[str] = []
    day = min(days)
    while day <= max(days):
        if brute_labels(day, by) not in labels:
            labels.append(brute_labels(day, by))
        day += timedelta(days=1)
    return [(label, counts.get(label, 0)) for label in labels]


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[date], int]:
    from index.pipeline import run

    rng = random.Random(18)
    days = sorted(START + timedelta(days=rng.randrange(0, 500)) for _ in range(60))
    articles = [
        {
            "title": f"Market report {i}",
            "text": f"Shares in Microsoft moved on day {i}.",
            "date": d.isoformat(),
        }
        for i, d in enumerate(days)
    ]
    articles += [{"title": "Undated", "text": "Microsoft, no date given."}] * 1
    articles.append(
        {"title": "Other", "text": "Nothing about the software firm.", "date": "2004-01-05"}
    )
    root = tmp_path_factory.mktemp("dated")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    run([corpus], root / "idx", workers=1)
    return root / "idx", days, 1


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
def test_timeline_counts_match_a_brute_force_count(
    dated_index: tuple[Path, list[date], int], by: str
) -> None:
    idx, days, undated = dated_index
    result = runner.invoke(
        app,
        [
            "facets",
            "Microsoft",
            "--field",
            "date",
            "--by",
            by,
            "--index",
            str(idx),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[-1] == {"period": "", "count": str(undated)}
    assert [(r["period"], int(r["count"])) for r in rows[:-1]] == brute_count(days, by)


def test_timeline_json_and_jsonl(dated_index: tuple[Path, list[date], int]) -> None:
    idx, days, _ = dated_index
    out = runner.invoke(
        app,
        ["facets", "Microsoft", "--field", "date", "--by", "year", "-i", str(idx), "-f", "json"],
    )
    data = json.loads(out.output)
    assert (data["field"], data["by"]) == ("date", "year")
    assert sum(r["count"] for r in data["values"] if r["period"]) == len(days)
    out = runner.invoke(
        app, ["facets", "Microsoft", "--field", "date", "-i", str(idx), "-f", "jsonl"]
    )
    assert json.loads(out.output.splitlines()[0])["period"] == brute_labels(days[0], "month")


def test_bad_period_is_one_line(dated_index: tuple[Path, list[date], int]) -> None:
    idx, _, _ = dated_index
    result = runner.invoke(
        app, ["facets", "x", "--field", "date", "--by", "fortnight", "-i", str(idx)]
    )
    assert result.exit_code == 2 and "day, week, month, year" in result.output
    result = runner.invoke(app, ["facets", "x", "--field", "place", "--by", "day", "-i", str(idx)])
    assert result.exit_code == 2 and "--field date" in result.output


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_bars_keep_labels_readable_at_60_columns(
    dated_index: tuple[Path, list[date], int], by: str
) -> None:
    idx, days, _ = dated_index
    result = runner.invoke(
        app,
        ["facets", "Microsoft", "--field", "date", "--by", by, "-i", str(idx)],
        env={"COLUMNS": "60"},
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert all(len(line) <= 60 for line in lines)
    expected = brute_count(days, by)
    for line, (label, count) in zip(lines, expected, strict=False):
        assert line.split()[:2] == [label, str(count)]
    assert lines[-1].endswith("1 undated")


def test_facets_plot_draws_bars_for_any_field(dated_index: tuple[Path, list[date], int]) -> None:
    idx, days, _ = dated_index
    result = runner.invoke(
        app,
        ["facets", "*", "--field", "organization", "--plot", "-i", str(idx)],
        env={"COLUMNS": "60"},
    )
    assert result.exit_code == 0
    line = next(ln for ln in result.output.splitlines() if ln.startswith("Microsoft"))
    assert line.split()[1] == str(len(days) + 1) and "█" in line


def test_one_shot_search_never_imports_the_charts(
    dated_index: tuple[Path, list[date], int],
) -> None:
    idx, _, _ = dated_index
    code = "from search.cli import main; import sys; sys.argv=['newsdex','search','Microsoft','-i',sys.argv[1]]; main()"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, str(idx)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "search.cli" in imported
    assert not imported & {"search.charts", "search.timeline", "rich.bar", "plotext"}
