"""The search engine: one opened index, one reused searcher, and every read operation over it.

The one-shot commands, the shell and the tests all go through `Engine.search`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import ResultsPage, Searcher

from index import schema as S
from index import whoosh_door as door
from index.errors import DocumentNotFound, IndexOutdated, NewsdexError
from index.meta import IndexMeta
from index.schema import SearchOptions
from search import counted as counted_nouns
from search import querytext, ranking
from search.bulk import BulkTopCollector
from search.datefilter import NO_DATE, DateFilter, date_filter, date_range, sorting_for
from search.fastmatch import Counted, accelerate
from search.highlight import AliasLookup, Forms, Highlighter, spec_for
from search.query import ParsedQuery, explain, parse
from search.results import Document, Hit, Results, Span, Stats
from search.stored import document, marked_snippet
from search.totals import Total, count_total
from search.values import facet_counts, read_values, spelling

if TYPE_CHECKING:  # imported where a question is ranked: keyword queries start without it
    from search.feedback import Reranking

SORTS = ("score", "date", "-date")
# Whoosh's block-quality skipping (its `optimize=`) is off: with BM25F scoring it loops forever
# on some prefix queries (`econ*` on a one-segment BBC index), and without it the collector
# counts every match in the same pass, where `total` otherwise ran the whole query a second time.
QUALITY_SKIPPING = False


# A corrected query is offered when a search finds fewer articles than this.
SUGGEST_BELOW = 3


class Engine:
    """Read access to one newsdex index."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._ix = door.open_index(directory)  # IndexNotFound, IndexDamaged; retries a commit
        # FileIndex.schema re-reads the table of contents at every access (0.5 ms a query), so
        # it is read once; a commit may replace that file as it opens, hence the retry.
        self._schema = door.retry_commits(directory, lambda: self._ix.schema)
        # Queries are read in the schema this newsdex writes: on an index an older one built,
        # a query that needs a field the index lacks (person:, homes:>1000) asks for a rebuild
        # instead of matching nothing.
        current = S.build_schema()
        self._lacking = frozenset(current.names()) - frozenset(self._schema.names())
        self._query_schema = current if self._lacking else self._schema
        self._searcher: Searcher | None = None
        self._forms = Forms(self._schema[S.BODY].analyzer)
        self._alias_table: AliasLookup | None = None
        self._alias_read = False  # tried once: a file that cannot be read is not retried
        self._last_parsed: tuple[tuple[str, bool], ParsedQuery] | None = None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """The one place where Whoosh's symptoms of a damaged index become IndexDamaged."""
        # Only an error raised inside Whoosh reading the files is damage; newsdex's own are bugs.
        with door.reading(self.directory):
            yield

    def searcher(self) -> Searcher:
        """The reused searcher, reopened when a writer has committed since (never refresh())."""
        with self._guard():
            if self._searcher is not None and not self._searcher.up_to_date():
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._searcher = door.retry_commits(  # a commit may remove a file as it opens
                    self.directory, lambda: self._ix.searcher(weighting=ranking.weighting())
                )
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def parse(self, text: str, strict: bool = False) -> ParsedQuery:
        """`text` read once: --explain and the search after it, a page and its stream's
        messages, the shell's toolbar total and its search share one ParsedQuery."""
        key = (text, strict)
        last = self._last_parsed
        if last is None or last[0] != key:
            last = self._last_parsed = (key, self._parse(text, strict))
        return last[1]

    def _parse(self, text: str, strict: bool) -> ParsedQuery:
        parsed = parse(text, self._query_schema, strict=strict)
        if self._lacking:
            leaves = [parsed.query] if parsed.query.is_leaf() else parsed.query.leaves()
            lacking = sorted({leaf.field() for leaf in leaves} & self._lacking)
            if lacking:
                raise self._outdated(lacking[0])
        if S.COUNTED not in querytext.fields_searched(parsed.query):
            return parsed
        searcher = self.searcher()
        with self._guard():  # a counted noun no article counts is said, not silently empty
            return counted_nouns.with_absent(parsed, searcher.reader(), strict)

    def _outdated(self, field: str | None = None) -> IndexOutdated:
        """The error for a field this index, built by an older newsdex, lacks (not damage)."""
        found = IndexMeta.load(self.directory).schema_version
        named = "counted-noun" if field == S.COUNTED else querytext.typed_field(field)
        return IndexOutdated(str(self.directory), found, S.SCHEMA_VERSION, named)

    def explain(self, text: str, options: SearchOptions = SearchOptions()) -> str:
        """How `text` is read (--explain, :explain), with the date filter the options add."""
        dates = date_filter(options.since, options.until)
        parsed = self.parse(text, strict=options.strict)
        lines = [explain(parsed)]
        if dates:
            lines.append(f"date filter: {dates.describe()}")
        if options.sort == "score" and parsed.any_word:  # as _ranked
            lines.append(self._feedback_line(parsed, dates))
        return "\n".join(line for line in lines if line)

    def _feedback_line(self, parsed: ParsedQuery, dates: DateFilter | None) -> str:
        """What pseudo-relevance feedback adds to a question's ranking, for --explain."""
        from search import feedback

        searcher = self.searcher()
        with self._guard():
            return feedback.describe(searcher, accelerate(parsed.query), dates)

    def search(self, text: str, options: SearchOptions = SearchOptions()) -> Results:
        """Run a query and return one page of results, converted before the searcher moves on."""
        parsed = self.parse(text, strict=options.strict)
        dates = date_filter(options.since, options.until)
        searcher = self.searcher()
        with self._guard():
            hits, total = self._page(searcher, parsed, dates, options)
            left_out = self._left_out(parsed, dates)
        suggestion = (
            self.suggest(parsed) if options.suggest and total.count < SUGGEST_BELOW else None
        )
        return Results(
            text, total.count, options.page, options.limit, hits, _note(parsed), suggestion,
            total_exact=total.exact, sort=options.sort, undated_left_out=left_out,
        )  # fmt: skip

    def _page(
        self,
        searcher: Searcher,
        parsed: ParsedQuery,
        dates: DateFilter | None,
        options: SearchOptions,
    ) -> tuple[tuple[Hit, ...], Total]:
        """One page of hits and the total: a question's page from its re-ranked best matches
        (feedback.rerank), any other page as Whoosh ranks the query."""
        matches = accelerate(parsed.query)
        where = dates.query if dates else None
        first, size = (max(1, options.page) - 1) * max(1, options.limit), max(1, options.limit)
        marker = self._highlighter(parsed) if options.snippets else None
        reranking = self._reranking(searcher, parsed, matches, dates, options.sort)
        if reranking is not None and reranking.covers(first + size):
            last = max(0, (reranking.total - 1) // size * size)  # Whoosh shows the last page
            first = min(first, last)
            ranked = reranking.ranked[first : first + size]
            hits = tuple(
                self._hit(first + i + 1, score, searcher.stored_fields(docnum), marker)
                for i, (score, docnum) in enumerate(ranked)
            )
            return hits, count_total(searcher, reranking.counted, reranking.total, where)
        counted = Counted(reranking.query if reranking else matches)
        page = _results_page(searcher, counted, max(1, options.page), size, where, options.sort)
        by_score = options.sort == "score"
        hits = tuple(
            self._hit(page.offset + i + 1, hit.score if by_score else None, hit.fields(), marker)
            for i, hit in enumerate(page)
            if page.offset < page.total
        )
        # A re-ranked question matches exactly what the question matches: count the question.
        return hits, count_total(searcher, counted.same_matches(matches), page.total, where)

    def _reranking(
        self,
        searcher: Searcher,
        parsed: ParsedQuery,
        matches: wq.Query,
        dates: DateFilter | None,
        sort: str,
    ) -> Reranking | None:
        """A question ranked by score is re-ranked with the words of its top articles (RM3
        pseudo-relevance feedback); None for anything else."""
        if sort != "score" or not parsed.any_word:
            return None
        # Only questions need feedback: a keyword search's start-up does not import it.
        from search import feedback

        return feedback.rerank(searcher, matches, ranking.DEFAULT, dates.query if dates else None)

    def total(self, text: str, options: SearchOptions = SearchOptions()) -> Total:
        """How many articles `text` matches under the options' date filter, counted as
        `search` counts them (the shell's toolbar shows it: the same as the footer's)."""
        parsed = self.parse(text, strict=options.strict)
        dates = date_filter(options.since, options.until)
        with self._guard():
            query = accelerate(parsed.query)
            return count_total(self.searcher(), query, None, dates.query if dates else None)

    def hits(self, text: str, options: SearchOptions = SearchOptions()) -> Iterator[Hit]:
        """Every match, best first (or by date), one at a time: for machine formats, which
        stream them all. Only the ranking (a score and a number per match) is held."""
        parsed = self.parse(text, strict=options.strict)
        dates = date_filter(options.since, options.until)
        searcher = self.searcher()
        with self._guard():
            ranked = self._every_match(searcher, parsed, dates, options.sort)
        marker = self._highlighter(parsed) if options.snippets else None
        by_score = options.sort == "score"
        for rank, (score, docnum) in enumerate(ranked, start=1):
            with self._guard():
                fields = searcher.stored_fields(docnum)
                yield Hit(
                    rank,
                    float(score or 0.0) if by_score else None,
                    document(fields),
                    marked_snippet(fields, marker),
                )

    def _every_match(
        self, searcher: Searcher, parsed: ParsedQuery, dates: DateFilter | None, sort: str | None
    ) -> list[tuple[Any, int]]:
        """(score or sort key, document number) of every match within the dates: in the
        search's order for a `sort` (hits), unscored in index order for None (matching_values,
        which counts them). Only this ranking is held, not the articles."""
        query = accelerate(parsed.query)
        if sort is not None:  # in the search's order: a question as feedback re-ranks it
            reranking = self._reranking(searcher, parsed, query, dates, sort)
            query = query if reranking is None else reranking.query
        found = searcher.search(
            query,
            limit=None,
            filter=dates.query if dates else None,
            scored=sort is not None,
            optimize=QUALITY_SKIPPING,
            **sorting_for(sort or "score"),
        )
        top: list[tuple[Any, int]] = found.top_n
        return top

    def _hit(
        self, rank: int, score: Any, fields: dict[str, Any], marker: Highlighter | None
    ) -> Hit:
        value = None if score is None else float(score or 0.0)
        return Hit(rank, value, document(fields), marked_snippet(fields, marker))

    def _highlighter(self, parsed: ParsedQuery) -> Highlighter:
        searcher = self.searcher()
        with self._guard():  # a prefix or wildcard is expanded from the index's terms
            spec = spec_for(parsed.query, searcher.reader())
        return Highlighter(spec, self._forms, self._aliases)

    def _aliases(self) -> AliasLookup | None:
        """The organization alias table this index was built with (for marking an entity's
        other names), read on the first organization query; None if it cannot be read."""
        if not self._alias_read:
            self._alias_read = True
            from index.orgs import load_aliases, read_alias_files

            try:
                self._alias_table = load_aliases(read_alias_files(self.directory))
            except (NewsdexError, OSError):
                self._alias_table = None
        return self._alias_table

    def marks(self, doc_id: str, text: str) -> tuple[Document, tuple[Span, ...]]:
        """An article (by id or unique prefix) and where `text` matched in its body (:show)."""
        doc = self.get(doc_id)
        searcher = self.searcher()
        with self._guard():
            fields = searcher.document(**{S.ID: doc.id}) or {}
        marker = self._highlighter(self.parse(text))
        return doc, marker.marks(doc.body, S.BODY, S.stored_entities(fields))

    def undated(self) -> frozenset[int]:
        """The document numbers of the articles without a date (from the sortable date column)."""
        searcher = self.searcher()
        with self._guard():
            reader = searcher.reader()
            if not reader.has_column(S.DATE):
                return frozenset(reader.all_doc_ids())
            column = reader.column_reader(S.DATE, translate=False)
            return frozenset(d for d in reader.all_doc_ids() if column[d] == NO_DATE)

    def matching_values(
        self, text: str, since: str | None, until: str | None, columns: Sequence[str], raw: bool
    ) -> tuple[list[int], dict[str, list[Any]]]:
        """Every article `text` matches within the dates (unscored, in index order): their
        document numbers and, for each of `columns`, their values (as stored when `raw`; None
        where the index has no such column), all read under the damage guard. Alerts and
        timelines count from these."""
        parsed, dates = self.parse(text), date_filter(since, until)
        searcher = self.searcher()
        with self._guard():
            docnums = [n for _, n in self._every_match(searcher, parsed, dates, None)]
            reader = searcher.reader()
            values: dict[str, list[Any]] = {}
            for name in columns:
                if not reader.has_column(name):
                    values[name] = [None] * len(docnums)
                    continue
                column = reader.column_reader(name, translate=not raw)
                values[name] = [column[n] for n in docnums]
        return docnums, values

    def all_undated(self) -> bool:
        """Whether no article of the index has a date."""
        return len(self.undated()) == self.count()

    def undated_left_out(self, text: str, options: SearchOptions) -> int | None:
        """How many articles matching `text` the options' date filter leaves out for having
        no date; None without a date filter."""
        dates = date_filter(options.since, options.until)
        return self._left_out(self.parse(text, strict=options.strict), dates)

    def _left_out(self, parsed: ParsedQuery, dates: DateFilter | None) -> int | None:
        if dates is None:
            return None
        undated = self.undated()
        if not undated:
            return 0
        searcher = self.searcher()
        with self._guard():
            matching = searcher.docs_for_query(accelerate(parsed.query))
            return sum(1 for docnum in matching if docnum in undated)

    def suggest(self, parsed: ParsedQuery) -> str | None:
        """A corrected query from the index's own words and entity values, if it finds more
        (search.didyoumean: the query object corrected, its text from the same corrections)."""
        from search import didyoumean  # only a query that finds little: not at start-up

        searcher = self.searcher()
        with self._guard():
            suggestion = didyoumean.suggest(searcher, parsed, self.spelled)
            if suggestion is None:
                return None
            better = searcher.search(
                accelerate(suggestion.query), limit=1, optimize=QUALITY_SKIPPING
            )
            return suggestion.text if better.scored_length() > 0 else None

    def facets(
        self, text: str, field: str, limit: int = 10, kind: str | None = None
    ) -> tuple[tuple[str, int], ...]:
        """Counts of `field`'s values over the whole result set of a query, most frequent first;
        with `kind` (organizations only, index.orgkinds.KINDS), the organizations of that kind."""
        parsed = self.parse(text)
        searcher = self.searcher()
        if (S.ORG_KIND if kind else field) not in searcher.schema:  # built by an older newsdex
            raise self._outdated()
        with self._guard():
            return facet_counts(searcher, accelerate(parsed.query), field, limit, kind)

    def similar(self, doc_id: str, limit: int = 10) -> Results:
        """Articles like this one: its key body terms, boosted by shared places and organizations."""
        doc = self.get(doc_id)
        searcher = self.searcher()
        with self._guard():
            query = ranking.like(searcher, searcher.document_number(**{S.ID: doc.id}), doc)
            found = searcher.search(
                query, limit=limit, mask=wq.Term(S.ID, doc.id), optimize=QUALITY_SKIPPING
            )
            hits = tuple(
                Hit(i + 1, float(h.score or 0.0), document(h.fields())) for i, h in enumerate(found)
            )
            total = found.scored_length()
        return Results(f"similar:{doc.id}", total, 1, limit, hits)

    def get(self, doc_id: str) -> Document:
        """An article by id, or by a unique prefix of its id."""
        searcher = self.searcher()
        with self._guard():
            fields = searcher.document(**{S.ID: doc_id})
            if fields is None and len(doc_id) >= 4:
                fields = self._by_prefix(searcher, doc_id)
        if fields is None:
            raise DocumentNotFound(doc_id)
        return document(fields, with_body=True)

    def _by_prefix(self, searcher: Searcher, prefix: str) -> dict[str, Any] | None:
        """The article whose id starts with `prefix`, when exactly one does."""
        ids = list(searcher.reader().expand_prefix(S.ID, prefix))
        if len(ids) != 1:
            return None
        found: dict[str, Any] | None = searcher.document(**{S.ID: door.text(ids[0])})
        return found

    def documents(self) -> Iterator[Document]:
        """Every article, streamed in index order (for export)."""
        searcher = self.searcher()
        with self._guard():
            for fields in searcher.reader().all_stored_fields():
                yield document(fields, with_body=True)

    def count(self) -> int:
        return self.searcher().doc_count()

    def stats(self, top: int = 10) -> Stats:
        searcher = self.searcher()
        files = [p for p in self.directory.iterdir() if p.is_file()]
        tocs = [p.stat().st_mtime for p in files if p.suffix == ".toc"]
        last = (
            datetime.fromtimestamp(max(tocs), UTC).isoformat(timespec="seconds") if tocs else None
        )
        with self._guard():
            return Stats(
                directory=str(self.directory),
                documents=searcher.doc_count(),
                size_bytes=sum(p.stat().st_size for p in files),
                last_indexed=last,
                roots=tuple(IndexMeta.load(self.directory).roots),
                top_places=self.top_values(S.PLACE, top),
                top_organizations=self.top_values(S.ORGANIZATION, top),
                **date_range(searcher.reader()),
            )

    def top_values(self, field: str, limit: int) -> tuple[tuple[str, int], ...]:
        """The most frequent values of an entity field, by number of articles, as written."""
        searcher = self.searcher()
        with self._guard():
            values = read_values(searcher, field)[:limit]
            return tuple((spelling(searcher, field, v.term), v.count) for v in values)

    def spelled(self, field: str, term: str) -> str:
        """A lowercased index term in the spelling an article used for it."""
        searcher = self.searcher()
        with self._guard():
            return spelling(searcher, field, term)


def _results_page(
    searcher: Searcher,
    query: Counted,
    pagenum: int,
    size: int,
    where: wq.Query | None,
    sort: str,
) -> ResultsPage:
    """Whoosh's page `pagenum` of `query`: by score, with its matches scored in bulk where the
    query allows (search.bulk) and none cut, so counted exactly as they are; by date, sorted by
    Whoosh's collector. `where` (the date filter) keeps only the matches it matches."""
    if sort != "score":
        return searcher.search_page(  # see QUALITY_SKIPPING
            query, pagenum, pagelen=size, filter=where, optimize=QUALITY_SKIPPING,
            **sorting_for(sort),
        )  # fmt: skip
    collector: collectors.Collector = BulkTopCollector(limit=pagenum * size)
    if where is not None:  # one match at a time, through the filter
        collector = collectors.FilterCollector(collector, allow=where)
    searcher.search_with_collector(query, collector)
    return ResultsPage(collector.results(), pagenum, size)


def _with_fix(problem: str) -> str:
    return f"{problem} (numbers as 400000, 400,000 or 400k)" if "number" in problem else problem


def _note(parsed: ParsedQuery) -> str | None:
    notes = [*parsed.unknown]
    notes += [f"left out of the search: {_with_fix(problem)}" for problem in parsed.dropped]
    if parsed.capitals:
        notes.append("read as a question in capitals: AND, OR, NOT and TO are words")
    elif parsed.any_word:
        notes.append("read as a question: any word may match, best matches first")
    return "; ".join(notes) or None
