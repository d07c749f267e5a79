"""Reading files into articles: discovery, every format, both text layouts, hostile files."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import socket
import tracemalloc
from pathlib import Path

import pytest

from index.clean import DEFAULT_RULES, unescape_references
from index.dates import normalise_date
from index.model import Article, Skipped, SourceFile
from index.read import MAX_BODY_CHARS, article_id, discover, read_source
from tests.conftest import shared_data

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "syria-khanaser-aid.txt"  # the project's own article
USER_SEED = ROOT / "seeds" / "000_822e10b602b157a7.txt"  # the user's, byte for byte
BODY = "Aid reached Aleppo on Monday, officials said.\n\nTrucks carried 21 tons of flour."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def found(*paths: Path) -> list[SourceFile | Skipped]:
    return list(discover(list(paths)))


def read(path: Path) -> tuple[list[Article], list[Skipped]]:
    (src,) = found(path)
    assert isinstance(src, SourceFile), src
    return read_source(src, DEFAULT_RULES)


def one(path: Path) -> Article:
    articles, skipped = read(path)
    assert skipped == []
    assert len(articles) == 1
    return articles[0]


def reason(path: Path) -> str:
    articles, skipped = read(path)
    assert articles == []
    assert len(skipped) == 1
    assert skipped[0].path == str(path)
    return skipped[0].reason


# --- ids and discovery ------------------------------------------------------------------------


def test_article_id_is_a_short_sha1_of_source_and_item() -> None:
    assert article_id("/a/b.json", "3") == hashlib.sha1(b"/a/b.json#3").hexdigest()[:12]
    assert article_id("/a/b.txt", None) == hashlib.sha1(b"/a/b.txt#").hexdigest()[:12]
    assert article_id("/a/b.txt", None) != article_id("/a/c.txt", None)


def test_discover_walks_folders_sorted_skipping_hidden_and_foreign_files(tmp_path: Path) -> None:
    for name in ["b.txt", "a.MD", "sub/c.json", "sub/d.HTM", "e.jsonl", "f.html", "x.pdf"]:
        write(tmp_path / name, "Title\n\nBody.")
    write(tmp_path / ".hidden.txt", "Title\n\nBody.")
    write(tmp_path / ".git" / "notes.txt", "Title\n\nBody.")
    write(tmp_path / "sub" / ".cache" / "old.txt", "Title\n\nBody.")
    result = [src for src in found(tmp_path) if isinstance(src, SourceFile)]
    assert len(result) == len(found(tmp_path))
    assert [src.path for src in result] == [
        str(tmp_path / name)
        for name in ["a.MD", "b.txt", "e.jsonl", "f.html", "sub/c.json", "sub/d.HTM"]
    ]
    assert {src.root for src in result} == {str(tmp_path.resolve())}
    assert result[4].relpath == "sub/c.json"


def test_a_single_file_has_its_folder_as_root_and_its_name_as_relpath(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", "Title\n\nBody.")
    (src,) = found(path)
    assert isinstance(src, SourceFile)
    assert (src.path, src.root, src.relpath) == (str(path), str(tmp_path), "one.txt")
    assert src.fingerprint == hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def test_a_named_file_of_another_kind_or_missing_is_skipped_with_a_reason(tmp_path: Path) -> None:
    pdf = write(tmp_path / "paper.pdf", b"%PDF-1.4")
    assert found(pdf, tmp_path / "absent.txt") == [
        Skipped(
            str(pdf),
            "not an article file (.pdf): newsdex reads .htm, .html, .json, .jsonl, .md, .txt files",
        ),
        Skipped(str(tmp_path / "absent.txt"), "not found: no such file or folder"),
    ]


def test_symlink_loops_and_broken_links_do_not_hang_or_crash(tmp_path: Path) -> None:
    write(tmp_path / "news" / "a.txt", "Title\n\nBody.")
    (tmp_path / "news" / "loop").symlink_to(tmp_path / "news")
    (tmp_path / "news" / "self.txt").symlink_to(tmp_path / "news" / "self.txt")
    (tmp_path / "news" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "news" / "same.txt").symlink_to(tmp_path / "news" / "a.txt")
    result = found(tmp_path / "news")
    sources = [src.path for src in result if isinstance(src, SourceFile)]
    assert sources == [str(tmp_path / "news" / "a.txt")]  # a.txt once, not again via same.txt
    assert {
        (Path(s.path).name, s.reason.split(":")[0]) for s in result if isinstance(s, Skipped)
    } == {
        ("self.txt", "symbolic link loop"),
        ("gone.txt", "broken symbolic link"),
    }


def test_unreadable_files_and_folders_are_reported_not_fatal(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", "Title\n\nBody.")
    locked = write(tmp_path / "locked.txt", "Title\n\nBody.")
    closed = tmp_path / "closed"
    write(closed / "inner.txt", "Title\n\nBody.")
    locked.chmod(0)
    closed.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: permissions do not stop reading")
        result = found(tmp_path)
    finally:
        closed.chmod(0o755)
        locked.chmod(0o644)
    assert (
        Skipped(
            str(closed),
            "cannot read folder: permission denied: newsdex cannot read it; check its permissions",
        )
        in result
    )
    assert any(isinstance(s, Skipped) and s.path == str(locked) for s in result)
    assert any(isinstance(s, SourceFile) and s.path.endswith("ok.txt") for s in result)


def test_odd_file_names_are_read(tmp_path: Path) -> None:
    names = ["with space.txt", "new\nline.txt", "Zürich – café.txt", "日本.md"]
    for name in names:
        write(tmp_path / name, "Headline here\n\nSome body text.")
    result = found(tmp_path)
    assert sorted(Path(src.path).name for src in result) == sorted(names)
    for src in result:
        assert isinstance(src, SourceFile)
        articles, skipped = read_source(src, DEFAULT_RULES)
        assert skipped == [] and articles[0].title == "Headline here"
        assert articles[0].path == Path(src.path).name


def test_a_file_deleted_after_discovery_is_skipped_not_raised(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Title\n\nBody.")
    (src,) = found(path)
    assert isinstance(src, SourceFile)
    path.unlink()
    assert read_source(src, DEFAULT_RULES) == (
        [],
        [Skipped(str(path), "not found: no such file or folder")],
    )


# --- text layouts -----------------------------------------------------------------------------


def test_the_users_seed_article() -> None:
    """The user's own article, as given: section line, headline, body, and a boilerplate tail
    ("Related Articles" ... "Please consider supporting us ..." with no final newline)."""
    article = one(USER_SEED)
    assert article.section == "Middle East"
    assert article.title == "Syrian army recaptures strategic town southeast of Aleppo"
    assert article.body.startswith("Syrian army forces and their allies have retaken control")
    assert article.body.endswith("has also displaced about half of the country’s population.")
    assert USER_SEED.read_bytes().endswith(b"disabling your ad blocker")  # no final newline
    for gone in ("Related Articles", "Back to top", "Adblock", "ad blocker", "supporting us"):
        assert gone not in article.body
    assert article.path == "000_822e10b602b157a7.txt"


def test_the_users_seed_is_shipped_byte_for_byte_and_alone() -> None:
    data = USER_SEED.read_bytes()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (
        3266,
        "204ae9584883aa615a24b6701452ac4938f3e0eb1a748d4203dbd83fcd793981",
    )
    # Its credit note (seeds/SOURCE) has no article extension: the folder is one article.
    assert [Path(s.path).name for s in found(USER_SEED.parent)] == [USER_SEED.name]


def test_the_fixture_article() -> None:
    article = one(SEED)
    assert article.title.startswith("Syrian troops retake Khanaser")
    assert article.section == "Middle East"
    assert article.body.startswith("Syrian government forces backed by Russian airstrikes")
    assert article.body.endswith("while millions more have fled abroad.")
    for gone in ("Related Articles", "Back to top", "Adblock", "ad blocker", "Middle East"):
        assert gone not in article.body
    assert (article.source, article.path) == (str(SEED), "syria-khanaser-aid.txt")
    assert article.id == article_id(str(SEED), None)


def test_plain_layout_headline_on_the_first_line(tmp_path: Path) -> None:
    article = one(write(tmp_path / "a.txt", f"Ad sales boost Time Warner profit\n\n{BODY}\n"))
    assert (article.title, article.section, article.body) == (
        "Ad sales boost Time Warner profit",
        "",
        BODY,
    )


def test_plain_layout_with_a_short_standfirst_is_not_taken_for_the_seed_layout(
    tmp_path: Path,
) -> None:
    text = (
        "Japan turns to beer alternatives\n\nJapanese brewers make money from beer-like drinks\n\n"
    )
    article = one(write(tmp_path / "a.txt", text + BODY))
    assert article.title == "Japan turns to beer alternatives"
    assert article.section == ""
    assert article.body.startswith("Japanese brewers")


def test_seed_layout_with_crlf_and_extra_blank_lines(tmp_path: Path) -> None:
    text = "World News\r\n\r\n\r\nTalks resume in Geneva\r\n\r\n" + BODY.replace("\n", "\r\n")
    article = one(write(tmp_path / "a.txt", text))
    assert (article.section, article.title, article.body) == (
        "World News",
        "Talks resume in Geneva",
        BODY,
    )


def test_headline_followed_directly_by_the_body(tmp_path: Path) -> None:
    text = (
        "Talks resume in Geneva\nDiplomats met on Monday for a second round of talks on the truce."
    )
    article = one(write(tmp_path / "a.txt", text))
    assert article.title == "Talks resume in Geneva"
    assert article.body.startswith("Diplomats met on Monday")


def test_a_one_line_file_is_its_own_title_and_body(tmp_path: Path) -> None:
    article = one(write(tmp_path / "a.txt", "Aid reaches Deir al-Zor\n"))
    assert (article.title, article.body) == ("Aid reaches Deir al-Zor", "Aid reaches Deir al-Zor")


def test_a_file_that_is_just_a_paragraph_gets_its_first_sentence_as_title(tmp_path: Path) -> None:
    paragraph = (
        "Syrian government forces backed by Russian airstrikes have recaptured the town\n"
        "of Khanaser, south-east of Aleppo, a monitoring group said. The road had been\n"
        "cut for more than a week, and shortages were reported.\n"
    )
    article = one(write(tmp_path / "a.txt", paragraph))
    assert article.title.startswith("Syrian government forces backed by Russian airstrikes")
    assert article.title.endswith("…") and len(article.title) <= 121
    assert article.body == paragraph.strip()


def test_markdown_headings_and_markup_are_stripped(tmp_path: Path) -> None:
    text = (
        "# Aid *reaches* Deir al-Zor\n\nThe **World Food Program** said [its plane](http://x.org) "
        "dropped `21 tons` of food.\n\n![a plane](plane.jpg)\n\n> Quoted line.\n"
    )
    article = one(write(tmp_path / "a.md", text))
    assert article.title == "Aid reaches Deir al-Zor"
    assert article.body == (
        "The World Food Program said its plane dropped 21 tons of food.\n\nQuoted line."
    )


def test_markdown_seed_layout_and_front_matter(tmp_path: Path) -> None:
    seed_like = one(write(tmp_path / "a.md", f"Middle East\n\n## Talks resume in Geneva\n\n{BODY}"))
    assert (seed_like.section, seed_like.title) == ("Middle East", "Talks resume in Geneva")
    front = '---\ntitle: "Aid arrives"\ndate: 2016-04-10\nsection: World\n---\n'
    article = one(write(tmp_path / "b.md", front + BODY))
    assert (article.title, article.date, article.section, article.body) == (
        "Aid arrives",
        "2016-04-10",
        "World",
        BODY,
    )


# --- HTML -------------------------------------------------------------------------------------


PAGE = """<!DOCTYPE html><html><head><title>Aid arrives | Example News</title>
<meta property="article:published_time" content="2016-04-10T08:30:00+02:00">
<link rel="canonical" href="https://news.example/aid">
<script>var leaked = "SCRIPTLEAK";</script><script src="http://tracker.example/t.js"></script>
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Aid arrives in Deir al-Zor</h1>
<p>The World Food Program said it had carried out its first airdrop of humanitarian aid over
Deir al-Zor, where some 200,000 civilians have been besieged for more than a year.</p>
<iframe src="http://ads.example/frame">IFRAMELEAK</iframe>
<p>A plane dropped 21 tons of food on pallets fitted with parachutes, the UN agency said,
adding that it was working with the Syrian Arab Red Crescent.</p>
<script>document.write("SCRIPTLEAK2")</script><img src="http://img.example/p.jpg">
<p>Related Articles</p><p>Another story entirely</p></article>
<footer>Copyright 2016 Example News</footer></body></html>"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_network")
def test_html_main_text_title_date_and_url(tmp_path: Path) -> None:
    article = one(write(tmp_path / "page.html", PAGE))
    assert article.title == "Aid arrives in Deir al-Zor"
    assert article.body.startswith("The World Food Program said it had carried out")
    assert "21 tons of food" in article.body
    assert "\n\n" in article.body
    for leak in ("SCRIPTLEAK", "IFRAMELEAK", "Related Articles", "Another story", "Home"):
        assert leak not in article.body
    assert article.date == "2016-04-10"
    assert article.url == "https://news.example/aid"


@pytest.mark.usefixtures("no_network")
def test_html_with_only_scripts_and_frames_is_skipped(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Empty</title><script>var a = 1;</script></head><body>"
        '<iframe src="http://ads.example/x"></iframe><script>alert("x")</script></body></html>'
    )
    assert reason(write(tmp_path / "empty.htm", html)).startswith("no article text: the page")


@pytest.mark.usefixtures("no_network")
def test_html_title_falls_back_to_the_title_element(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Fallback title</title></head><body><div><p>A paragraph that is "
        "long enough to be taken as the main text of this small page by the extractor.</p>"
        "</div></body></html>"
    )
    assert one(write(tmp_path / "t.html", html)).title == "Fallback title"


# --- JSON and JSONL ---------------------------------------------------------------------------


def test_json_single_object_with_every_field(tmp_path: Path) -> None:
    item = {
        "headline": "Aid arrives",
        "content": ["First paragraph.", "Second paragraph."],
        "published_at": "Thu, 25 Feb 2016 10:00:00 GMT",
        "link": "https://news.example/a",
        "category": ["World", "Middle East"],
    }
    path = write(tmp_path / "a.json", json.dumps(item))
    article = one(path)
    assert (article.title, article.body, article.url, article.section) == (
        "Aid arrives",
        "First paragraph.\n\nSecond paragraph.",
        "https://news.example/a",
        "World, Middle East",
    )
    assert article.date == "2016-02-25T10:00:00+00:00"
    assert article.id == article_id(str(path), None)


def test_json_list_and_articles_wrapper_with_ids_and_positions(tmp_path: Path) -> None:
    items = [
        {"title": "One", "body": "Body one.", "id": 17, "date": "2016-02-25"},
        {"Title": "Two", "Text": "Body two.", "date": "not a date"},
        {"title": "Three"},
        "just a string",
        {"body": "Untitled body. It has two sentences."},
    ]
    for name, data in (("list.json", items), ("wrapped.json", {"articles": items})):
        path = write(tmp_path / name, json.dumps(items if name == "list.json" else data))
        articles, skipped = read(path)
        assert [a.title for a in articles] == ["One", "Two", "Untitled body."]
        assert [a.id for a in articles] == [
            article_id(str(path), "id:17"),
            article_id(str(path), "2"),
            article_id(str(path), "5"),
        ]
        assert [a.date for a in articles] == ["2016-02-25", None, None]
        assert [s.reason.split(":")[0] for s in skipped] == ["no body text", "not an article"]
        assert "item 3 has none of the keys body, text, content" in skipped[0].reason


def test_json_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    items = [{"id": "x", "body": "First."}, {"id": "x", "body": "Second."}]
    articles, skipped = read(write(tmp_path / "d.json", json.dumps(items)))
    assert [a.body for a in articles] == ["First."]
    assert skipped[0].reason.startswith("duplicate id: id:x")


def test_invalid_json_file_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n{"title": "a",\n "body": }\n]')
    assert reason(path) == "bad JSON on line 3: Expecting value (column 10)"


def test_jsonl_with_a_malformed_line_indexes_the_others(tmp_path: Path) -> None:
    lines = [json.dumps({"title": f"T{n}", "body": f"Body {n}."}) for n in range(1, 9)]
    lines[6] = '{"title": "broken", "body": '
    text = "\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:])  # a blank line 4 is ignored
    path = write(tmp_path / "feed.jsonl", text)
    articles, skipped = read(path)
    assert [a.title for a in articles] == ["T1", "T2", "T3", "T4", "T5", "T6", "T8"]
    assert articles[3].id == article_id(str(path), "5")  # position = line number
    assert skipped == [Skipped(str(path), "bad JSON on line 8: Expecting value (column 29)")]


# --- encodings and hostile files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("Café owner wins £600m\n\nProfits rose.".encode("utf-16"), "Café owner wins £600m"),
        ("Profits of £600m\n\nSales rose.".encode("latin-1"), "Profits of £600m"),
        ("He said “no” – again\n\nNo change.".encode("cp1252"), "He said “no” – again"),
        ("\ufeffBOM headline\n\nBody.".encode(), "BOM headline"),
        ("Zürich café règle\n\nBody".encode() + b" \xff bad byte.", "Zürich café règle"),
        (
            "Новости дня в Москве\n\nПравительство объявило.".encode("cp1251"),
            "Новости дня в Москве",
        ),
    ],
)
def test_encodings_are_detected(tmp_path: Path, content: bytes, title: str) -> None:
    assert one(write(tmp_path / "enc.txt", content)).title == title


def test_invalid_utf8_bytes_are_replaced_not_fatal(tmp_path: Path) -> None:
    article = one(write(tmp_path / "bad.txt", "Zürich\n\nBody ".encode() + b"\xc3\x28 end."))
    assert article.body == "Body \ufffd( end."


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("zero.txt", b"", "empty file: it has zero bytes"),
        ("blank.md", b" \n\t\r\n  \n", "empty file: it holds only whitespace"),
        ("blank.jsonl", b"\n\n   \n", "empty file: it holds only whitespace"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "binary file, not text: no text encoding fits its bytes",
        ),
        (
            "data.jsonl",
            bytes(range(256)) * 64,
            "binary file, not text: no text encoding fits its bytes",
        ),
        (
            "page.html",
            os.urandom(4096) + b"\x00",
            "binary file, not text: no text encoding fits its bytes",
        ),
        (
            "only.txt",
            b"Back to top button\n\nAdvertisement\n",
            "no article text: nothing left without markup and boilerplate",
        ),
    ],
)
def test_hostile_files_are_skipped_with_a_reason(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    assert reason(write(tmp_path / name, content)) == expected


def test_a_50_mb_text_file_is_skipped_without_loading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as file:
        file.write("Huge file\n\n")
        line = "word " * 200 + "\n"
        for _ in range(50 * 2**20 // len(line)):
            file.write(line)
    tracemalloc.start()
    try:
        text = reason(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (
        text == "file too large: 50.0 MB, over the 10 MB limit for one article; "
        "split it into one file per article"
    )
    assert peak < 25 * 2**20, f"peak {peak / 2**20:.1f} MB"


def test_a_long_body_is_cut_at_a_paragraph_under_the_limit(tmp_path: Path) -> None:
    paragraph = "word " * 999 + "end.\n\n"
    article = one(write(tmp_path / "long.txt", "Long one\n\n" + paragraph * 300))
    assert len(article.body) <= MAX_BODY_CHARS
    assert len(article.body) > MAX_BODY_CHARS - len(paragraph)
    assert article.body.endswith("end.")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-02-25", "2016-02-25"),
        ("2016-02-25T10:00:00Z", "2016-02-25T10:00:00+00:00"),
        ("Thu, 25 Feb 2016 10:00:00 GMT", "2016-02-25T10:00:00+00:00"),
        ("Thursday, February 25th, 2016", "2016-02-25"),
        ("25 February 2016", "2016-02-25"),
        ("2016/02/25", "2016-02-25"),
        (1456394400, "2016-02-25T10:00:00+00:00"),
        (1456394400000, "2016-02-25T10:00:00+00:00"),
        ("01/02/2016", None),
        ("2016-13-45", None),
        ("yesterday", None),
        (True, None),
        ({"year": 2016}, None),
    ],
)
def test_dates_are_normalised_or_none(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


# --- the BBC corpus ---------------------------------------------------------------------------


@pytest.mark.data
def test_bbc_corpus_reads_every_article_with_its_title() -> None:
    bbc = shared_data("news/bbc")
    with (bbc / "metadata.tsv").open(encoding="utf-8") as file:
        meta = {row["docid"]: row for row in csv.DictReader(file, delimiter="\t")}
    sources = [src for src in discover([bbc / "docs"]) if isinstance(src, SourceFile)]
    results = [read_source(src, DEFAULT_RULES) for src in sources]
    articles = [a for arts, skipped in results for a in arts]
    assert len(articles) == len(meta) == 2225
    assert all(skipped == [] for _, skipped in results)
    for article in articles:
        row = meta[article.path.removesuffix(".txt")]
        # The metadata keeps the files' character references ("&#163;1.8m"); titles decode them.
        assert article.title == " ".join(unescape_references(row["title"]).split())
        assert article.section == ""  # no BBC title is mistaken for a section line
        assert len(article.body.split()) == int(row["body_words"])  # no real text dropped


def test_a_fifo_named_like_an_article_is_skipped_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "real.txt", "Title\n\nBody.")
    result = found(tmp_path)
    assert result[0] == Skipped(
        str(tmp_path / "pipe.txt"), "not a regular file: a device, pipe or socket cannot be read"
    )
    assert isinstance(result[1], SourceFile)


def test_the_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Title\n\nBody.")
    assert len(found(tmp_path, path, tmp_path)) == 1


def test_utf16_jsonl_and_an_oversized_line(tmp_path: Path) -> None:
    lines = [json.dumps({"title": "Café", "body": "Prix en €."}, ensure_ascii=False)] * 2
    utf16 = write(tmp_path / "u.jsonl", "\n".join(lines).encode("utf-16"))
    assert [a.title for a in read(utf16)[0]] == ["Café", "Café"]
    huge = json.dumps({"title": "Big", "body": "x " * (6 * 2**20)})
    path = write(tmp_path / "big.jsonl", huge + "\n" + lines[0] + "\n")
    articles, skipped = read(path)
    assert [a.title for a in articles] == ["Café"]
    assert articles[0].id == article_id(str(path), "2")
    assert skipped == [Skipped(str(path), "line too long: line 1 is over 10 MB")]


def test_a_json_file_over_its_limit_points_to_jsonl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.read.MAX_JSON_BYTES", 2**20)
    path = write(tmp_path / "big.json", json.dumps([{"body": "x" * 2**20}]))
    assert reason(path) == (
        "file too large: 1.0 MB, over the 1 MB limit for one JSON file; "
        "convert it to JSONL, which is read line by line"
    )
