"""Snippets and `:show` mark, with one highlighter, the whole words, numbers and names a query
matched, as character spans into the article's own text (issue 14, point 4)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from index.schema import BODY, build_schema
from search.cli import app
from search.engine import Engine, SearchOptions
from search.highlight import TOKEN, Forms, _candidates, word_spans
from search.results import Marked
from search.snippets import WINDOW, snippet
from search.tables import console, marked
from tests.conftest import shared_data


def _marks(m: Marked) -> list[str]:
    return [m.text[start:end] for start, end in m.spans]


@pytest.fixture(scope="module")
def engine(seed_index: Path) -> Engine:
    return Engine(seed_index)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("airdrop aid", ["airdrop", "aid"]),
        ("airdr*", ["airdropped", "airdrops"]),
        ('"humanitarian aid"', ["humanitarian", "aid"]),
        ("tons:>=20", ["21 tons"]),
        ("number:>1000000", ["1.9 million injured", "12.2 million people"]),
        ("km:[40 TO 60]", ["some 50 kilometers"]),
        ("place:Aleppo", ["Aleppo"]),
        ('org:"World Food Program"', ["World Food Program"]),
    ],
)
def test_matches_are_marked(engine: Engine, query: str, expected: list[str]) -> None:
    hit = engine.search(query).hits[0]
    found = _marks(hit.snippet)
    for word in expected:
        assert word in found, (found, hit.snippet.text)
    assert len(hit.snippet.text) < WINDOW + 60


def test_a_title_only_match_shows_the_opening(engine: Engine) -> None:
    hit = engine.search("title:recaptures").hits[0]
    assert hit.snippet.text.startswith("Syrian army forces and their allies")
    assert hit.snippet.spans == ()


CRAFTED = [
    {
        "id": "convoy",
        "title": "Aid reaches the north",
        "body": "Two convoys of lorries crossed the border at dawn. The convoy carried flour, "
        "and a second convoying operation is planned for next week.",
    },
    {
        "id": "un",
        "title": "Power plant plans",
        "body": "Engineers described an underground 4,200 MW power plant near the dam. "
        "The Security Council met on Tuesday, and the United Nations said it would send "
        "inspectors. A UN spokesman said the U.N. team was ready. "
        "Union leaders were unhappy about the undertaking.",
    },
    {
        "id": "stars",
        "title": "Markdown in the text",
        "body": "The memo said **not bold** in plain asterisks, and the budget was cut.",
    },
]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index.pipeline import run

    corpus = tmp_path_factory.mktemp("marks-corpus")
    lines = "\n".join(json.dumps(a) for a in CRAFTED)
    (corpus / "a.jsonl").write_text(lines + "\n", encoding="utf-8")
    directory = tmp_path_factory.mktemp("marks") / "idx"
    run([corpus], directory, workers=1)
    return directory


def test_a_stemmed_word_is_marked_in_every_form(crafted: Path) -> None:
    """`convoy` is indexed as convoi: each token the analyzer turns into convoi is marked."""
    with Engine(crafted) as engine:
        hit = engine.search("convoy").hits[0]
    assert _marks(hit.snippet) == ["convoys", "convoy", "convoying"]


def test_an_entity_query_marks_the_entity_under_each_of_its_names(crafted: Path) -> None:
    """org:UN marks the United Nations as the article names it, whole (and the Security
    Council, a body of the UN, which is why org:UN finds an article naming only it), and never
    the letters u-n inside Council, underground, Union or unhappy."""
    with Engine(crafted) as engine:
        hit = engine.search("org:UN").hits[0]
    assert hit.document.title == "Power plant plans"
    found = _marks(hit.snippet)
    assert set(found) <= {"United Nations", "UN", "U.N.", "Security Council"}
    assert "United Nations" in found and "UN" in found
    for start, end in hit.snippet.spans:
        text = hit.snippet.text
        assert not (start > 0 and text[start - 1].isalnum())
        assert not (end < len(text) and text[end].isalnum())


def test_show_and_snippets_mark_the_same_words(crafted: Path) -> None:
    with Engine(crafted) as engine:
        hit = engine.search("convoy").hits[0]
        doc, marks = engine.marks(hit.document.id, "convoy")
    in_body = [doc.body[start:end] for start, end in marks]
    assert in_body[: len(hit.snippet.spans)] == _marks(hit.snippet)
    assert all(word.lower().startswith("convoy") for word in in_body)


def test_an_articles_own_asterisks_are_text(crafted: Path) -> None:
    """The marks travel as spans: '**not bold**' in the article stays text, and is no match."""
    result = CliRunner().invoke(
        app, ["search", "--index", str(crafted), "budget", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)["results"]
    assert "**not bold**" in record["snippet"]
    spans = record["match_spans"]
    assert [record["snippet"][s:e] for s, e in spans] == ["budget"]
    with Engine(crafted) as engine:
        hit = engine.search("budget").hits[0]
    out = io.StringIO()
    console(out, color=False, width=200).print(marked(hit.snippet))
    assert "**not bold**" in out.getvalue()


def test_the_table_styles_the_spans(crafted: Path) -> None:
    with Engine(crafted) as engine:
        hit = engine.search("budget").hits[0]
    text = marked(hit.snippet)
    styled = [text.plain[s.start : s.end] for s in text.spans]
    assert styled == ["budget"]


def test_a_window_moves_its_marks_with_the_text() -> None:
    body = "Opening words.\n\n" + "filler " * 60 + "the   convoy\n arrived " + "tail " * 60
    start = body.index("convoy")
    cut = snippet(body, ((start, start + len("convoy")),))
    assert _marks(cut) == ["convoy"]
    assert cut.text.startswith("… ") and cut.text.endswith(" …")
    assert "  " not in cut.text and "\n" not in cut.text


@pytest.mark.data
def test_bbc_org_un_marks_no_part_of_a_word(
    build_index: Callable[..., tuple[Path, object]],
) -> None:
    """On BBC articles that name the UN, every mark org:UN makes is a whole name."""
    docs = shared_data("news/bbc/docs")
    names = [p for p in sorted(docs.glob("*.txt")) if " UN " in p.read_text(encoding="utf-8")]
    files = {p.name: p.read_text(encoding="utf-8") for p in names[:12]}
    directory, _ = build_index(files=files)
    with Engine(directory) as engine:
        results = engine.search("org:UN", SearchOptions(limit=50))
    assert results.hits
    for hit in results.hits:
        for start, end in hit.snippet.spans:
            text = hit.snippet.text
            assert not (start > 0 and text[start - 1].isalnum()), text
            assert not (end < len(text) and text[end].isalnum()), text


@pytest.mark.parametrize(("query", "marked_words"), [("airdr*", ["airdropped", "Airdrops"]),
                                                     ("air?rops", ["Airdrops"])])  # fmt: skip
def test_prefixes_and_wildcards_mark_without_an_index(query: str, marked_words: list[str]) -> None:
    """OpenSearch hits have no reader to expand a prefix: the indexed form of each token is
    matched against it instead, and the same words are marked."""
    from index import schema as S
    from search.highlight import Forms, Highlighter, spec_for
    from search.query import parse

    text = "The airdropped food landed. Airdrops are hard, said the airline."
    marker = Highlighter(spec_for(parse(query, S.build_schema()).query), Forms(S.text_analyzer()))
    assert [text[a:b] for a, b in marker.marks(text, S.BODY)] == marked_words


_PIECES = ["said", "Said", "SAID", "unsaid", "says", "x.said", "U.S.", "u.s", "U.S.-led", "aid",
           "aids", "Aid's", "minister", "ministers", "ministry", "film-maker", "films", ".", ",",
           " ", "\n\n", "’", "-", "3.5", "co.uk", "economy", "economic", "econ"]  # fmt: skip


@given(
    st.lists(st.sampled_from(_PIECES), max_size=60),
    st.lists(st.sampled_from(["said", "aid", "minister", "film", "economy", "us"]), min_size=1),
)
@settings(max_examples=300, deadline=None)
def test_word_marks_are_every_token_whose_indexed_form_was_asked(
    pieces: list[str], words: list[str]
) -> None:
    # The candidate pattern (a stem's first letters, the token start checked on each match)
    # finds exactly the tokens the analyzer turns into an asked term, as scanning every token.
    forms = Forms(build_schema()[BODY].analyzer)
    terms = frozenset(t for w in words for t in forms.of(w))
    text = " ".join(pieces)
    every = [m.span() for m in TOKEN.finditer(text) if forms.of(m.group()) & terms]
    assert list(word_spans(text, terms, forms, _candidates(terms))) == every
