"""Finding article files under the paths a user names, and reading each one into cleaned Articles.

Pure with respect to the index: files in, Article and Skipped records out; a bad file never raises.

Limits, so that one hostile file cannot exhaust memory:
- a .txt/.md/.html/.htm file over MAX_FILE_BYTES (10 MB) is skipped: one article is never that big;
- a .json file is parsed whole and is skipped over MAX_JSON_BYTES (64 MB); .jsonl is read line by
  line with no file limit, and a single line over MAX_FILE_BYTES is skipped with its number;
- an article body longer than MAX_BODY_CHARS (100,000 characters) is indexed up to that limit,
  cut at a paragraph, with a note: the limit bounds extraction's time and memory (a 9 MB article
  took 2.5 GB and 25 s in spaCy). Raw text is cut at MAX_RAW_CHARS before cleaning, so a 10 MB
  file never goes through the cleaner whole.

Article ids are derived from the file's absolute path (see article_id): they change when a file
moves or is renamed, and the moved file is then indexed as new articles.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from index.clean import Rule, clean_text
from index.dates import dateline_date
from index.errors import UnreadableDocument, is_utf8
from index.formats import (
    Bad,
    Draft,
    parse_html,
    parse_json,
    parse_jsonl_line,
    parse_markdown,
    parse_text,
    title_from_body,
)
from index.ignore import Ignore, is_index_folder
from index.model import Article, Skipped, SourceFile
from index.sections import path_section

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
MAX_FILE_BYTES = 10 * 2**20
MAX_JSON_BYTES = 64 * 2**20
MAX_BODY_CHARS = 100_000
MAX_RAW_CHARS = 8 * MAX_BODY_CHARS  # markup and boilerplate removed by cleaning fit in the rest
_CHUNK = 2**20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is a prefix of this one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ASCII = bytes(range(128))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def article_id(source: str, item: str | None) -> str:
    """Stable id: sha1 of ``source#item`` (``source#`` for a single-article file), 12 hex chars."""
    key = f"{source}#{item if item is not None else ''}"
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]


# --- discovery --------------------------------------------------------------------------------


def discover(paths: Sequence[Path], exclude: Sequence[str] = ()) -> Iterator[SourceFile | Skipped]:
    """Article files under `paths` (files or folders, recursively), sorted, each file once.

    Hidden files and folders inside a folder are left out, and so are index folders and what a
    root's .newsdexignore or an `exclude` glob names (index/ignore.py); symbolic links are
    followed, loops are not. Files and folders that cannot be read come out as Skipped.
    """
    seen: set[str] = set()
    visited: set[tuple[int, int]] = set()
    for path in paths:
        path = Path(path).absolute()
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as err:
            yield Skipped(str(path), _os_reason(err, path))
            continue
        if is_dir and is_index_folder(path):
            yield Skipped(str(path), "a newsdex index folder, not articles: give its corpus")
        elif is_dir:
            root = path.resolve()
            yield from _walk(root, root, seen, visited, Ignore.load(root, exclude))
        elif path.suffix.lower() not in SUFFIXES:
            yield Skipped(str(path), _unsupported(path))
        else:
            root = path.parent.resolve()
            yield from _found(root / path.name, root, seen)


def _walk(
    folder: Path, root: Path, seen: set[str], visited: set[tuple[int, int]], ignore: Ignore
) -> Iterator[SourceFile | Skipped]:
    try:
        info = folder.stat()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield Skipped(printable_path(str(folder)), "cannot read folder: " + _os_reason(err, folder))
        return
    if (info.st_dev, info.st_ino) in visited:
        return  # a symbolic link back to a folder already walked (a loop, or a second route)
    visited.add((info.st_dev, info.st_ino))
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        is_dir = _is_dir(entry)
        if ignore.ignored(path.relative_to(root).as_posix(), is_dir):
            continue
        if is_dir and not is_index_folder(path):
            yield from _walk(path, root, seen, visited, ignore)
        elif not is_dir and path.suffix.lower() in SUFFIXES:
            yield from _found(path, root, seen)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symbolic links
    except OSError:
        return False  # reported by _found if the name looks like an article file


def _found(path: Path, root: Path, seen: set[str]) -> Iterator[SourceFile | Skipped]:
    if not is_utf8(str(path)):
        yield Skipped(printable_path(str(path)), _NOT_UTF8_NAME)
        return
    if _CONTROL.search(str(path)):
        shown = _CONTROL.sub("\ufffd", str(path))
        yield Skipped(
            shown, "control characters in file name: rename the file (they show as \ufffd)"
        )
        return
    try:
        mode = path.stat().st_mode
    except OSError as err:
        yield Skipped(str(path), _os_reason(err, path))
        return
    if not stat.S_ISREG(mode):
        yield Skipped(str(path), "not a regular file: a device, pipe or socket cannot be read")
        return
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    try:
        yield SourceFile(str(path), str(root), fingerprint(path))
    except OSError as err:
        yield Skipped(str(path), _os_reason(err, path))


_NOT_UTF8_NAME = (
    "file name not UTF-8: rename the file (its bad bytes show as \ufffd), "
    "e.g. with `convmv -f latin1 -t utf8`"
)


def printable_path(path: str) -> str:
    """`path` with any non-UTF-8 bytes of its name shown as U+FFFD, safe to print and store."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def fingerprint(path: Path) -> str:
    """Hex blake2b (16 bytes) of the file's bytes, read in chunks."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unsupported(path: Path) -> str:
    kind = path.suffix or "no extension"
    return f"not an article file ({kind}): newsdex reads {', '.join(sorted(SUFFIXES))} files"


def _os_reason(err: OSError, path: Path) -> str:
    if isinstance(err, PermissionError):
        return "permission denied: newsdex cannot read it; check its permissions"
    if err.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if isinstance(err, FileNotFoundError) and path.is_symlink():
        return "broken symbolic link: its target does not exist"
    if isinstance(err, FileNotFoundError):
        return "not found: no such file or folder"
    return f"cannot read: {err.strerror or err}"


# --- reading ----------------------------------------------------------------------------------


def read_source(src: SourceFile, rules: Sequence[Rule]) -> tuple[list[Article], list[Skipped]]:
    """The cleaned articles of one file, and what in it had to be skipped (never raises for it)."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    ids: set[str] = set()
    path = Path(src.path)
    try:
        for draft in _drafts(path):
            result = _article(src, draft, rules, ids, skipped)
            if isinstance(result, Article):
                articles.append(result)
            else:
                skipped.append(result)
    except UnreadableDocument as err:
        skipped.append(Skipped(src.path, err.reason))
    except OSError as err:
        skipped.append(Skipped(src.path, _os_reason(err, path)))
    return articles, skipped


def _drafts(path: Path) -> Iterable[Draft | Bad]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl_drafts(path)
    limit = MAX_JSON_BYTES if suffix == ".json" else MAX_FILE_BYTES
    text = decode(_read_capped(path, limit), str(path))
    if suffix == ".json":
        return parse_json(text)
    if suffix in (".html", ".htm"):
        return [parse_html(text[: 4 * MAX_RAW_CHARS])]  # parsing 10 MB of HTML took 4 s of CPU
    if suffix == ".md":
        return [parse_markdown(text)]
    return [parse_text(text)]


def _article(
    src: SourceFile, draft: Draft | Bad, rules: Sequence[Rule], ids: set[str], notes: list[Skipped]
) -> Article | Skipped:
    """An Article, or a Skipped saying why `draft` cannot be one; a cut body adds to `notes`."""
    if isinstance(draft, Bad):
        return Skipped(src.path, draft.reason)
    where = f" (item {draft.item})" if draft.item else ""
    cleaned = clean_text(draft.body[:MAX_RAW_CHARS], rules)
    body = _capped(cleaned)
    if not body:
        reason = f"no article text: nothing left without markup and boilerplate{where}"
        return Skipped(src.path, reason)
    aid = article_id(src.path, draft.item)
    if aid in ids:
        return Skipped(src.path, f"duplicate id: {draft.item} is used twice; give each its own id")
    ids.add(aid)
    if len(cleaned) > MAX_BODY_CHARS or len(draft.body) > MAX_RAW_CHARS:
        notes.append(_cut_note(src.path, where))
    return Article(
        id=aid,
        source=src.path,
        root=src.root,
        path=src.relpath,
        fingerprint=src.fingerprint,
        title=_one_line(draft.title) or title_from_body(body),
        body=body,
        section=_one_line(draft.section) or path_section(src.relpath),
        date=draft.date or dateline_date(body),
        url="".join(_CONTROL.sub("", draft.url).split()),  # shown raw by show and CSV: no ESC/BEL
    )


def _cut_note(path: str, where: str) -> Skipped:
    reason = (
        f"text cut to {MAX_BODY_CHARS:,} characters{where}: only that much is indexed; "
        "split the article into several files to index all of it"
    )
    return Skipped(path, reason, cut=True)


def _one_line(text: str) -> str:
    return " ".join(clean_text(text, ()).split())


def _capped(body: str) -> str:
    if len(body) <= MAX_BODY_CHARS:
        return body
    cut = body.rfind("\n\n", 0, MAX_BODY_CHARS)
    if cut < MAX_BODY_CHARS // 2:
        cut = body.rfind(" ", 0, MAX_BODY_CHARS)
    return body[: max(cut, 0) or MAX_BODY_CHARS].rstrip()


def _read_capped(path: Path, limit: int) -> bytes:
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) <= limit:
        return data
    size = f"{path.stat().st_size / 2**20:.1f} MB, over the {limit // 2**20} MB limit"
    if path.suffix.lower() == ".json":
        fix = "for one JSON file; convert it to JSONL, which is read line by line"
    else:
        fix = "for one article; split it into one file per article"
    raise UnreadableDocument(str(path), f"file too large: {size} {fix}")


def decode(data: bytes, path: str) -> str:
    """The text of `data` in its detected encoding; UnreadableDocument for empty or binary data."""
    if not data:
        raise UnreadableDocument(path, "empty file: it has zero bytes")
    text = _decoded(data)
    if text is None or len(_BINARY_CONTROL.findall(text)) > len(text) / 100:
        raise UnreadableDocument(path, "binary file, not text: no text encoding fits its bytes")
    if not text.strip():
        raise UnreadableDocument(path, "empty file: it holds only whitespace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decoded(data: bytes) -> str | None:
    """UTF-8, or what a BOM says; mostly-ASCII bytes as Windows-1252; else charset-normalizer."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    if len(lossy) - len(lossy.encode("ascii", "ignore")) - bad >= bad:
        return lossy  # UTF-8 with a few corrupt bytes: keep the text, mark the bad bytes
    # charset-normalizer misreads short Western text with a few accented letters (cp932 for "£").
    if len(data.translate(None, _ASCII)) <= len(data) * 0.3:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else None


def _jsonl_drafts(path: Path) -> Iterator[Draft | Bad]:
    with path.open("rb") as file:
        head = file.read(_CHUNK)
        if head.startswith(tuple(bom for bom, codec in _BOMS if codec != "utf-8-sig")):
            text = decode(_read_capped(path, MAX_JSON_BYTES), str(path))
            yield from _jsonl_text_lines(text.splitlines())
            return
        decode(head, str(path))  # empty, whitespace-only or binary: one reason for the whole file
        file.seek(0)
        for number, raw in enumerate(_raw_lines(file), start=1):
            if raw is None:
                yield Bad(f"line too long: line {number} is over {MAX_FILE_BYTES // 2**20} MB")
            elif raw.strip():
                yield _jsonl_line(raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw, number)


def _jsonl_line(raw: bytes, number: int) -> Draft | Bad:
    line = _decoded(raw)
    if line is None:
        return Bad(f"binary data on line {number}: not text in any encoding")
    return parse_jsonl_line(line, number)


def _jsonl_text_lines(lines: list[str]) -> Iterator[Draft | Bad]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield parse_jsonl_line(line, number)


def _raw_lines(file: BinaryIO) -> Iterator[bytes | None]:
    """Lines of a binary file; None for a line over MAX_FILE_BYTES, which is read past, not kept."""
    readline = file.readline
    while raw := readline(MAX_FILE_BYTES + 1):
        if len(raw) > MAX_FILE_BYTES and not raw.endswith(b"\n"):
            while (rest := readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw
