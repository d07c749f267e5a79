"""Every use of Whoosh's private parts goes through this module, so a Whoosh upgrade has one place
to check: the index's files (table of contents, segments, generations, lock and temp file names),
and the codec's postings (blocks, the pickled positions, a scorer's inner function, the list of
deleted documents, the length column) that search.fastmatch and search.bulk read directly.
Overriding a hook Whoosh's own subclasses override (`_replacement`, `_rewrap`, `_find_next`)
is subclassing, not private access.

Its layout is that of Whoosh 2.7 (SUPPORTED below); another version is refused at import
with a message that names the fix, rather than misreading an index.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import math
import os
import re
import shutil
import time
import traceback
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, islice
from pathlib import Path
from pickle import loads
from typing import Any, TypeVar

import whoosh

from index.errors import WHOOSH_DAMAGE, IndexDamaged, IndexNotFound
from index.meta import META_FILE, is_index

SUPPORTED = (2, 7)
if tuple(whoosh.__version__[:2]) != SUPPORTED:  # checked before any of its modules is imported
    raise ImportError(
        f"newsdex needs Whoosh 2.7.x, found {whoosh.versionstring()}. "
        "Install it with: pip install 'whoosh>=2.7,<2.8'"
    )

# ruff: isort: off
from whoosh import index as windex  # noqa: E402
from whoosh import matching  # noqa: E402
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader  # noqa: E402
from whoosh.filedb.filestore import FileStorage  # noqa: E402
from whoosh.index import TOC, Index  # noqa: E402
from whoosh.matching.wrappers import FilterMatcher  # noqa: E402
from whoosh.reading import SegmentReader  # noqa: E402
from whoosh.scoring import BM25FScorer, WeightLengthScorer  # noqa: E402
from whoosh.util.numeric import byte_to_length  # noqa: E402
# ruff: isort: on

INDEXNAME = "MAIN"  # Whoosh's default index name: files _MAIN_<gen>.toc, MAIN_<id>.seg
WRITELOCK = f"{INDEXNAME}_WRITELOCK"
TEMP_DIR = f"{INDEXNAME}.tmp"  # a writer's spill folder, left behind by a killed run
STAGING = ".rebuild"  # where --rebuild builds; Whoosh's clean_files skips dot-names
SUMS_FILE = "newsdex.sums.json"  # segment file -> sha256, recorded at commit
_TEMP_TOC = re.compile(rf"^_{INDEXNAME}_\d+\.toc\.[0-9.]+$")  # TOC.write's temp name
T = TypeVar("T")
# An OSError is damage only when a file the index names is missing, or shorter than the index
# says (a seek past its end); errors that carry no errno come from Whoosh's own checks.
_DAMAGE_ERRNOS = {errno.ENOENT, errno.EINVAL, None}
# What Whoosh raises reading bytes that are not what it wrote: WHOOSH_DAMAGE, and a failed
# decompression (a flipped byte in a stored block), a failed TOC assertion, an ord() of nothing.
READ_ERRORS: tuple[type[Exception], ...] = (
    *WHOOSH_DAMAGE,
    OSError,
    TypeError,
    AssertionError,
    zlib.error,
)


def generation(directory: Path) -> int:
    """The latest generation in the folder (-1: no table of contents)."""
    return int(TOC._latest_generation(FileStorage(str(directory)), INDEXNAME))


def toc_name(gen: int) -> str:
    return str(TOC._filename(INDEXNAME, gen))


def segments(ix: Index) -> list[Any]:
    """The index's live segments (Whoosh has no public API for them)."""
    return list(ix._segments())


def segment_files(directory: Path, segs: list[Any]) -> list[str]:
    """The names of the files the given segments are made of."""
    storage = FileStorage(str(directory))
    return sorted(name for seg in segs for name in seg.list_files(storage))


def require_index(directory: Path) -> None:
    """IndexNotFound for a folder newsdex never wrote; IndexDamaged when newsdex wrote it but its
    table of contents is gone (the fix is a rebuild, not a new index)."""
    if is_index(directory):
        return
    if (directory / META_FILE).is_file():
        raise IndexDamaged(str(directory), "its table of contents is missing")
    raise IndexNotFound(str(directory))


class ChangedBytes(ValueError):
    """Bytes read from the index that newsdex never wrote: a term that is not UTF-8 text."""


def text(term: bytes | str) -> str:
    """A term read from the index as text. newsdex writes only UTF-8, so bytes that do not
    decode were changed since (damage, where `reading` guards the read)."""
    if not isinstance(term, bytes):
        return str(term)
    try:
        return term.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ChangedBytes(f"a stored term is not UTF-8 text ({exc})") from exc


def is_damage(exc: BaseException) -> bool:
    """Whether an error comes from Whoosh reading the index's files rather than from newsdex:
    the innermost frame that is Whoosh's or newsdex's must be Whoosh's (a KeyError raised in
    newsdex's own snippet code is a bug, the same KeyError inside Whoosh's unpickling is damage),
    or it is ChangedBytes, which only `text` raises."""
    if isinstance(exc, ChangedBytes):
        return True
    if not isinstance(exc, READ_ERRORS):
        return False
    if isinstance(exc, UnicodeEncodeError):
        return False  # text that cannot be encoded (a bad byte in a query): input, not files
    # A UnicodeDecodeError inside Whoosh is bytes of a file that are not what it wrote.
    if isinstance(exc, OSError) and exc.errno not in _DAMAGE_ERRNOS:
        return False  # a full disk, a read-only or refused file: the system's, not the index's
    return raised_in_whoosh(exc)


def raised_in_whoosh(exc: BaseException) -> bool:
    """Whether the innermost frame that is Whoosh's or newsdex's is Whoosh's."""
    whoosh_dir = os.path.dirname(whoosh.__file__)
    ours = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    verdict = False
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(whoosh_dir):
            verdict = True
        elif frame.filename.startswith(ours):
            verdict = False
    return verdict


@contextlib.contextmanager
def reading(directory: Path) -> Iterator[None]:
    """Turn errors Whoosh raises reading the index's files into IndexDamaged; others pass.
    Whoosh also fails on changed bytes in ways no type list covers (a bare Exception for a bad
    block tag, TermNotFound for a term its own dictionary lists): any other error raised inside
    Whoosh is damage when a segment file's checksum shows it changed since its commit."""
    try:
        yield
    except Exception as exc:
        if is_damage(exc):
            raise IndexDamaged(str(directory), f"{type(exc).__name__}: {exc}") from exc
        if raised_in_whoosh(exc) and (changed := _changed_files(directory)):
            reason = f"{type(exc).__name__} reading it; {changed[0]} changed since it was written"
            raise IndexDamaged(str(directory), reason) from exc
        raise


#: Reads tried again while writers keep committing: the first vanished file is always retried,
#: a later one only when a new generation appeared meanwhile (a commit, not damage).
COMMIT_RETRIES = 8


def retry_commits(directory: Path, action: Callable[[], T]) -> T:
    """Run a read; a file that vanished is most likely a writer's commit replacing it, so the
    read is tried again on the new generation before it counts as damage (see COMMIT_RETRIES)."""
    with reading(directory):
        for attempt in range(COMMIT_RETRIES):
            started = generation(directory)
            try:
                return action()
            except (FileNotFoundError, IndexDamaged) as exc:
                # An inner read may already have called the vanished file damage: retried alike.
                cause = exc.__cause__ if isinstance(exc, IndexDamaged) else exc
                if not isinstance(cause, FileNotFoundError) or attempt == COMMIT_RETRIES - 1:
                    raise
                if attempt and generation(directory) == started:
                    raise  # nothing was committed meanwhile: the file is missing for good
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # the last attempt returns or raises


def open_index(directory: Path) -> Index:
    """Open the index for reading; any failure to read its table of contents is damage."""
    require_index(directory)
    try:
        return retry_commits(directory, lambda: windex.open_dir(str(directory)))
    except IndexDamaged:
        raise
    except Exception as exc:  # an empty or stray TOC fails in many ways (ord(), pickle, assert)
        raise IndexDamaged(str(directory), f"{type(exc).__name__}: {exc}") from exc


def clean_leftovers(directory: Path) -> None:
    """Remove what killed runs leave (a writer's temp folder, a rebuild's staging folder, a
    half-written TOC). Only under newsdex's run lock, and only what no Whoosh writer (another
    program's, or an older newsdex's) holds the write lock for."""
    shutil.rmtree(directory / STAGING, ignore_errors=True)
    lock = FileStorage(str(directory)).lock(WRITELOCK)
    if not lock.acquire(blocking=False):
        return
    try:
        shutil.rmtree(directory / TEMP_DIR, ignore_errors=True)
        for child in directory.iterdir():
            if _TEMP_TOC.match(child.name):
                with contextlib.suppress(OSError):
                    child.unlink()
    finally:
        lock.release()


def publish(staging: Path, directory: Path) -> None:
    """Swap a complete index built in `staging` in for the one in `directory`: its segment files
    move in first (fresh names), then one renamed TOC of the next generation makes them the
    index. Killed before that rename, the old index answers; after it, the new one."""
    built = TOC.read(FileStorage(str(staging)), INDEXNAME)
    files = segment_files(staging, built.segments)
    for name in files:
        os.replace(staging / name, directory / name)
    sums = {**_read_sums(directory), **_read_sums(staging)}
    _write_sums(directory, sums)
    built.generation = max(generation(directory), built.generation) + 1
    storage = FileStorage(str(directory))
    built.write(storage, INDEXNAME)
    windex.clean_files(storage, INDEXNAME, built.generation, built.segments)
    _write_sums(directory, {name: sums[name] for name in files if name in sums})
    shutil.rmtree(staging, ignore_errors=True)


def record_checksums(directory: Path, ix: Index) -> None:
    """After a commit: the sha256 of every live segment file not yet recorded (segment files are
    written once, so each is hashed once); records of merged-away segments are dropped."""
    with reading(directory):
        live = segment_files(directory, segments(ix.refresh()))
    old = _read_sums(directory)
    sums = {name: old.get(name) or _sha256(directory / name) for name in live}
    if sums != old:
        _write_sums(directory, sums)


def verify(directory: Path, ix: Index) -> None:
    """IndexDamaged when a live segment file's bytes changed since its commit (`check`, and
    `index` before it writes on top of one)."""
    with reading(directory):
        files = segment_files(directory, segments(ix))
    if changed := changed_segment_files(directory, files):
        raise IndexDamaged(str(directory), f"{changed[0]} changed since it was written")


def changed_segment_files(directory: Path, files: list[str]) -> list[str]:
    """Files whose bytes differ from the checksum recorded when they were committed."""
    sums = _read_sums(directory)
    return [name for name in files if name in sums and _sha256(directory / name) != sums[name]]


def _changed_files(directory: Path) -> list[str]:
    """The recorded segment files whose bytes changed or that are gone (an error's second look)."""
    try:
        return changed_segment_files(directory, list(_read_sums(directory)))
    except OSError as exc:  # a recorded file is gone or unreadable
        return [Path(exc.filename).name if exc.filename else "a segment file"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_sums(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / SUMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_sums(directory: Path, sums: dict[str, str]) -> None:
    tmp = directory / (SUMS_FILE + ".tmp")
    tmp.write_text(json.dumps(sums, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(directory / SUMS_FILE)


def committed_doc_count(directory: Path) -> int | None:
    """The undeleted documents of the last commit, read from the table of contents once each
    segment's compound file has been opened (a missing or truncated segment fails there, 0.1 ms);
    None when that cannot be told so cheaply (a segment that is not compound)."""
    storage = FileStorage(str(directory))
    segs = TOC.read(storage, INDEXNAME).segments
    for seg in segs:
        if not seg.is_compound():
            return None
        seg.open_compound_file(storage).close()
    return sum(int(seg.doc_count()) for seg in segs)


# Postings, read the way Whoosh 2.7's codec (whoosh.codec.whoosh3) stores them.
Columns = tuple[list[int], list[float], list[Any]]  # document numbers, weights, encoded values


def without_deletions(matcher: Any) -> tuple[Any, frozenset[int]]:
    """A reader's postings matcher with its filter of deleted documents taken off, and those
    documents (the caller leaves them out, as the filter would)."""
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        return matcher.child, frozenset(matcher._ids)
    return matcher, frozenset()


def read_postings(matcher: Any, values: bool) -> Columns:
    """Every posting of a leaf matcher. The codec's own matcher is read a block at a time (a block
    is one pickled (ids, weights, values) tuple: unpickled once, not once per posting as the
    matcher's id()/value()/next() would); any other matcher (postings inlined in the term info,
    another codec) the public way, one posting at a time."""
    if type(matcher) is W3LeafMatcher:
        return _read_blocks(matcher, values)
    ids: list[int] = []
    weights: list[float] = []
    vals: list[Any] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            vals.append(matcher.value())
        matcher.next()
    return ids, weights, vals


def _read_blocks(m: W3LeafMatcher, values: bool) -> Columns:
    ids: list[int] = []
    weights: list[float] = []
    vals: list[Any] = []
    while m.is_active():
        m._read_data()
        block_ids, block_weights, block_values = m._data[:3]
        ids.extend(block_ids if m._byteids else accumulate(block_ids))
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * m._blocklength)
        else:
            weights.extend(block_weights)
        if values:
            vals.extend(block_values)
        m._next_block()
    return ids, weights, vals


def is_word_matcher(matcher: Any) -> bool:
    """Whether `matcher` is one word's postings: the codec's matcher, or the list Whoosh makes
    of postings inlined in the term's info."""
    return type(matcher) in (W3LeafMatcher, matching.ListMatcher)


def leaf_scorer(matcher: Any) -> Any:
    """The scorer of a word's postings matcher (`is_word_matcher`); None when unscored."""
    return matcher._scorer if type(matcher) is matching.ListMatcher else matcher.scorer


def remaining_postings(matcher: Any) -> Columns:
    """The postings a word's matcher (`is_word_matcher`) has yet to give, from its
    current document on: document numbers and weights, no values."""
    if not matcher.is_active():
        return [], [], []
    if type(matcher) is matching.ListMatcher:
        ids = matcher._ids[matcher._i :]
        if matcher._all_weights:
            return ids, [matcher._all_weights] * len(ids), []
        weights = matcher._weights[matcher._i :] if matcher._weights else [1.0] * len(ids)
        return ids, weights, []
    first = matcher.id()
    ids, weights, _ = _read_blocks(matcher, values=False)
    start = bisect_left(ids, first)  # the current block's postings before the current one
    return (ids[start:], weights[start:], []) if start else (ids, weights, [])


def reads_lengths(reader: Any) -> bool:
    """Whether `length_bytes` can read `reader`'s length columns (a segment of this codec)."""
    return type(reader) is SegmentReader and type(reader._perdoc) is W3PerDocReader


def length_bytes(reader: Any, field: str) -> bytes | None:
    """One byte per document of a segment: its encoded length in `field` (byte_to_length
    decodes it), the column WeightLengthScorer reads one document at a time; None for a reader
    of another kind."""
    if not reads_lengths(reader):
        return None
    perdoc = reader._perdoc
    column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    if column is None:
        return bytes(reader.doc_count_all())
    data = column._dbfile.get(column._basepos, column._count)
    return bytes(data) + bytes(max(0, reader.doc_count_all() - column._count))


LENGTHS = tuple(byte_to_length(b) for b in range(256))  # what each length byte stands for


def bm25_parts(scorer: Any) -> tuple[float, float, float, float] | None:
    """(idf, mean field length, B, K1) of a BM25F scorer, whose score of a posting is
    scoring.bm25(idf, weight, length, avgfl, B, K1); None for any other scorer."""
    if type(scorer) is not BM25FScorer:
        return None
    return scorer.idf, scorer.avgfl, scorer.B, scorer.K1


def inverse_weight(matcher: Any) -> float:
    """The score an InverseMatcher (a NOT inside an AND) gives each document it matches."""
    return float(matcher._weight)


def positions(value: bytes, shift: int = 0) -> Iterable[int]:
    """The word positions of a posting value of formats.Positions, each less `shift`. Its
    encoding: a 4-byte count, then a pickled list of position deltas whose final STOP byte may
    have been stripped (Positions.decode_positions adds it back)."""
    deltas = loads(value[4:] + b".")
    return islice(accumulate(deltas, initial=-shift), 1, None) if shift else accumulate(deltas)


def expanded_words(query: Any, reader: Any) -> list[bytes]:
    """The words (as bytes) a multi-term query such as a Prefix expands to in `reader`: those
    Whoosh's own matcher would OR."""
    return list(query._btexts(reader))


def numeric_range_terms(query: Any, reader: Any) -> Any:
    """The plain query of terms a NumericRange compiles to in `reader` (Whoosh builds it on the
    fly when matching; its public matcher() gives no ids to count)."""
    return query._compile_query(reader)


def toc_doc_count(directory: Path) -> int:
    """Documents (deleted ones included) in the last commit, from the table of contents alone:
    cheap enough for a toolbar redraw. Raises what Whoosh raises while a writer replaces it."""
    segs = TOC.read(FileStorage(str(directory)), INDEXNAME).segments
    return sum(int(seg.doc_count()) for seg in segs)


def length_score(scorer: Any) -> Callable[[float, int], float] | None:
    """What a WeightLengthScorer's score(matcher) computes, as a function of a posting's weight
    and its document's field length (no matcher, no length look-up per call); None for any
    other scorer."""
    return scorer._score if isinstance(scorer, WeightLengthScorer) else None


class ScoredList(matching.ListMatcher):
    """Documents with their scores computed ahead (ListMatcher's lists, walked faster).

    Its quality bound is infinite on purpose: every 10 documents Whoosh's collector "replaces"
    a matcher given the tenth best score so far, even without `optimize`, and an OR whose
    branches are bounded below that score becomes an AND, dropping matches from the count.
    """

    def __init__(self, ids: Sequence[int], scores: Sequence[float]):
        super().__init__(list(ids), weights=list(scores))
        self._i: int = 0

    def copy(self) -> ScoredList:
        other = type(self)(self._ids, self._weights)
        other._i = self._i
        return other

    def skip_to(self, id: int) -> None:
        # ListMatcher walks one posting at a time; under an AND this list may be long.
        if self._i < len(self._ids) and self._ids[self._i] < id:
            self._i = bisect_left(self._ids, id, self._i)

    def remaining(self) -> tuple[Sequence[int], Sequence[float]]:
        """The documents not yet given, and their scores."""
        return self._ids[self._i :], self._weights[self._i :]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return math.inf

    def block_max_weight(self) -> float:
        return math.inf
