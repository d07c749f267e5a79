"""Did you mean: the parsed query with its unknown words corrected from the index's own terms.

The corrections are made once, on the query object (each unknown Term replaced by the term the
corrected word is read as); the suggestion's text is the typed text with the same corrections
put at the words' character spans. No text is parsed again, and a correction the analyzer would
drop (a stem that is a stopword: "bonk" -> "on") is no correction.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher

from index import schema as S
from search.query import ParsedQuery

# Fields whose unknown words a "did you mean" may correct.
CORRECTABLE = frozenset({S.TITLE, S.BODY, S.PLACE, S.ORGANIZATION, S.COUNTRY, S.REGION, S.SECTION})
#: Longer query words get no did-you-mean: the corrector's cost grows with a word's length (a
#: 2,000-letter word took 24 s) and no misspelt word is that long.
MAX_CHARS = 40
#: At most this many unknown words are corrected (the first ones), for the same reason.
MAX_WORDS = 8
#: A correction keeps the first letters typed. Searcher.correct_query accepts `prefix` but never
#: passes it on, so it searched every term within two edits ("bonk" -> "on").
PREFIX = 2
#: The edits a correction may make.
MAX_EDITS = 2
# A value the parser reads as one word; anything else is quoted in the suggestion.
_ONE_WORD = re.compile(r"[\w.'’-]+")

#: (field, index term) -> the spelling shown for it (Engine.spelled: the articles' own).
Spelling = Callable[[str, str], str]


@dataclass(frozen=True)
class Correction:
    """One unknown word of the query and what replaces it, in the query and in the text."""

    start: int  # the word's character span in the text the parser read
    end: int
    typed: str  # the term the query holds
    term: str  # the term the corrected word is read as (the field's analyzer applied)
    word: str  # the corrected word as the suggestion shows it


@dataclass(frozen=True)
class Suggestion:
    text: str  # what the user may type instead
    query: wq.Query  # the query that text reads as


def suggest(searcher: Searcher, parsed: ParsedQuery, spelled: Spelling) -> Suggestion | None:
    """The query with its unknown words corrected, or None when nothing is corrected.

    None for a question: any of its words may match, and its text is read with its function
    words left out, so a correction has nothing to be put back into."""
    if parsed.any_word:
        return None
    found = list(_corrections(searcher, parsed, spelled))
    if not found:
        return None
    text = corrected_text(parsed.source, found)
    if text.lower() == parsed.text.lower():
        return None
    return Suggestion(text, corrected_query(parsed.query, found))


def corrected_query(query: wq.Query, corrections: list[Correction]) -> wq.Query:
    """`query` with each corrected Term (in every field it was searched in) replaced."""
    by_span = {(c.start, c.end, c.typed): c for c in corrections}

    def fix(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.Term):
            return node
        correction = by_span.get((node.startchar, node.endchar, node.text))
        if correction is None:
            return node
        fixed = copy.copy(node)  # keeps the boost and the span
        fixed.text = correction.term
        return fixed

    return query.accept(fix)


def corrected_text(text: str, corrections: list[Correction]) -> str:
    """`text` with each correction's word put at its span."""
    out, at = [], 0
    for c in sorted(corrections, key=lambda c: c.start):
        quoted = c.start > 0 and text[c.start - 1] == '"'
        word = c.word if quoted or _ONE_WORD.fullmatch(c.word) else f'"{c.word}"'
        out += [text[at : c.start], word]
        at = c.end
    return "".join(out) + text[at:]


def _corrections(
    searcher: Searcher, parsed: ParsedQuery, spelled: Spelling
) -> Iterator[Correction]:
    """A correction for each of the first MAX_WORDS unknown words the corrector can fix."""
    for start, end, field, typed in _unknown(searcher, parsed)[:MAX_WORDS]:
        prefix = min(PREFIX, len(typed))  # Whoosh's automaton fails on a prefix past the word
        found = searcher.suggest(field, typed, limit=1, maxdist=MAX_EDITS, prefix=prefix)
        if not found:
            continue
        word = _shown(parsed.source[start:end], field, found[0], spelled)
        read = list(searcher.schema[field].process_text(word, mode="query"))
        if len(read) == 1:  # none: the analyzer drops the word (a stopword); two: not one term
            yield Correction(start, end, typed, read[0], word)


def _unknown(searcher: Searcher, parsed: ParsedQuery) -> list[tuple[int, int, str, str]]:
    """(start, end, field, term) of each typed word that no article holds, in query order.

    A title word is looked up in the body's words (the two are searched together, and a word
    in some body but in no title would otherwise be "corrected": forum -> firm); only words
    and names, at a known span, are corrected (Whoosh's corrector fails on numeric terms)."""
    reader = searcher.reader()
    seen: dict[tuple[int, int], tuple[int, int, str, str]] = {}
    for leaf in _terms(parsed.query):
        field = S.BODY if leaf.fieldname == S.TITLE else leaf.fieldname
        span = (leaf.startchar, leaf.endchar)
        text = leaf.text
        if (
            field in CORRECTABLE
            and isinstance(text, str)
            and len(text) <= MAX_CHARS
            and None not in span
            and span not in seen
            and (field, text) not in reader
        ):
            seen[span] = (*span, field, text)
    return sorted(seen.values())


def _terms(query: wq.Query) -> Iterator[wq.Term]:
    leaves = [query] if query.is_leaf() else query.leaves()
    return (leaf for leaf in leaves if isinstance(leaf, wq.Term))


def _shown(typed: str, field: str, term: str, spelled: Spelling) -> str:
    """The corrected word as the user would type it: a name as the articles write it (Aleppo,
    Deir al-Zor); a word as an article wrote it, not its stem (Khanaser, not khanas), with the
    capital the user typed or not (Alepo -> Aleppo, wheet -> wheat)."""
    written = spelled(field, term)
    if field not in S.TEXT_FIELDS:
        return written
    word = written.lower()
    return word[:1].upper() + word[1:] if typed.lstrip('"')[:1].isupper() else word
