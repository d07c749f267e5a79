"""The examples of the README and docs/ run as tests, against the index of the bundled seeds/ corpus."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
DOCS = README.parent / "docs"
_CONSOLE = re.compile(r"```console\n(.*?)```", re.DOTALL)
_EXIT = re.compile(r"#\s*exit (\d+)\s*$")


def readme_examples() -> list[tuple[str, int]]:
    """Each `$ newsdex ...` line of the console blocks of the README and docs/, with its expected
    exit code."""
    if not README.exists():
        return []
    pages = [README, *sorted(DOCS.glob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    examples = []
    for block in _CONSOLE.findall(text):
        for line in block.splitlines():
            if line.startswith("$ newsdex "):
                match = _EXIT.search(line)
                examples.append((line[2:], int(match.group(1)) if match else 0))
    return examples


def test_readme_has_examples() -> None:
    if not README.exists():
        pytest.skip("README.md is not next to the tests (installed without the source tree)")
    assert len(readme_examples()) >= 20


@pytest.mark.parametrize(("line", "code"), readme_examples())
def test_readme_example(seed_index: Path, line: str, code: int) -> None:
    args = shlex.split(line, comments=True)[1:]
    result = CliRunner().invoke(app, args, env={"NEWSDEX_INDEX": str(seed_index)})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_readme_opens_with_the_two_commands() -> None:
    if not README.exists():
        pytest.skip("README.md is not next to the tests")
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert "newsdex shell" in blocks[0]
    assert "pytest" in blocks[1] and ".[test]" in blocks[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_readme_record_is_the_seeds(seed_index: Path) -> None:
    """docs/output.md's search-result record shows the bundled seed article as a search returns it."""
    if not README.exists():
        pytest.skip("README.md is not next to the tests")
    output = (DOCS / "output.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(\{\"rank\".*?)```", output, re.DOTALL)
    assert block is not None
    shown = block.group(1)
    args = ["search", "--index", str(seed_index), "airdrop aid", "--format", "jsonl"]
    record = json.loads(CliRunner().invoke(app, args).stdout)
    for key in ("path", "title", "section"):
        assert f'"{key}": {json.dumps(record[key])}' in shown, key
    assert '"21 tons"' in shown and any(n["text"] == "21 tons" for n in record["numbers"])
    for name in ("Aleppo", "Khanaser", "Syria", "United Nations", "World Food Programme"):
        assert f'"{name}"' in shown
        assert name in record["places"] + record["countries"] + record["organizations"]
    snippet = re.search(r'"snippet": ("[^"]*")', shown)
    assert snippet is not None and json.loads(snippet.group(1)) == record["snippet"]
    spans = re.search(r'"match_spans": (\[.*?\]\])', shown)
    assert spans is not None and json.loads(spans.group(1)) == record["match_spans"]
    marked = [record["snippet"][start:end] for start, end in record["match_spans"]]
    assert marked == ["aid", "airdrop", "aid", "aid"]
