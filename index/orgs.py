"""Organization names made canonical: a built-in alias table, user alias files, article acronyms.

An alias file is TOML; the built-in one is index/data/orgs.toml, and user files have the same form::

    [aliases]
    "World Food Programme" = ["WFP", "World Food Program"]
    "Syrian Center for Policy Research" = ["SCPR"]

    [parents]  # optional: the larger bodies an organization belongs to
    "World Food Programme" = ["United Nations"]

    [kinds]  # optional: kind = the canonical names of that kind (index.orgkinds.KINDS)
    international = ["World Food Programme"]

    [not_organizations]  # optional: names that are no organization nor place, by category
    product = ["Zune"]  # categories: index.orgkinds.NOT_ORG_KINDS (award, competition, ...)

The key is the canonical name (stored in the index and displayed), the list holds the other names.
Matching ignores case, dots, hyphens, a leading "the" and a trailing "'s", except that an alias in
capitals ("WHO", "IS") only matches capitals, so the words "who" and "is" never do. Later files
override earlier ones: the built-in table comes first, then the user's config file
(index.config.config_file(), read as an alias file: its other sections, such as the
[[boilerplate]] rules, are ignored here), then the index's own file beside its folder
(index_alias_file: ./idx.aliases.toml for the index ./idx).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from index.config import config_file
from index.errors import UsageError
from index.orgkinds import KINDS, NOT_ORG_KINDS

BUILTIN = "orgs.toml"
#: The alias file of one index is named after its folder, beside it (./idx -> ./idx.aliases.toml);
#: not inside it, where the writer and `newsdex check` own every file.
INDEX_ALIAS_SUFFIX = ".aliases.toml"
SECTIONS = ("aliases", "parents", "kinds", "not_organizations")
#: A product's name goes on with its model or edition ("Xbox 2", "iPod mini", "Windows XP").
PREFIX_CATEGORIES = frozenset({"product"})
FORMAT_HINT = 'write it as [aliases] then "Full Name" = ["ALIAS", ...]'

_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_SPACES = re.compile(r"\s+")
# A company's legal form after its name ("Open Text Corp.", "Pirelli SpA", "Bayer AG"): the same
# organization as the bare name. "& Co." goes with it: "Merrill Lynch & Co." is Merrill Lynch, never
# "Merrill Lynch &".
_LEGAL_FORM = re.compile(
    r",?\s+(?:(?:&|and)\s+)?(?:Inc|Corp|Co|Cos|Ltd|LLC|L\.L\.C|PLC|Plc|plc|AG|SA|S\.A|SpA|S\.p\.A|NV|N\.V|GmbH"
    r"|Pty|BV|AB|ASA|Oyj|KK)\.?$"
)


def without_legal_form(name: str) -> str:
    """A company's name without its legal form; the name itself when nothing would be left."""
    bare = _LEGAL_FORM.sub("", name)
    return bare if bare and bare[:1].isalnum() else name


def clean_name(name: str) -> str:
    """A name as written, tidied: whitespace collapsed, leading "the" and trailing "'s" dropped."""
    text = _SPACES.sub(" ", name).strip()
    return _POSSESSIVE.sub("", _THE.sub("", text)).strip()


@lru_cache(maxsize=65_536)
def org_key(name: str) -> str:
    """The matching key of a name: folded case, no dots or hyphens; acronyms keep their capitals."""
    text = unicodedata.normalize("NFKD", clean_name(name).replace(".", ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _SPACES.sub(" ", text.replace("-", " ")).strip()
    return text if _is_acronym(text) else text.casefold()


def _is_acronym(text: str) -> bool:
    return " " not in text and len(text) <= 8 and text.isupper()


@dataclass(frozen=True)
class AliasTable:
    """Canonical organization names by matching key, with each canonical name's aliases."""

    canonicals: Mapping[str, str]  # org_key(name) -> canonical name
    aliases: Mapping[str, tuple[str, ...]]  # canonical name -> its other names
    parents_of: Mapping[str, tuple[str, ...]]  # canonical name -> larger bodies
    kinds: Mapping[str, str] = field(default_factory=dict)  # canonical name -> its kind
    # org_key(name) -> its category (NOT_ORG_KINDS): an award, a product... never an org
    not_orgs: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str:
        """The canonical name of an organization; an unknown name comes back cleaned, without
        its legal form ("Open Text Corp." is Open Text)."""
        known = self.canonicals.get(org_key(name))
        if known:
            return known
        bare = without_legal_form(clean_name(name))
        return self.canonicals.get(org_key(bare)) or bare

    def is_known(self, name: str) -> bool:
        """True when the table knows this name as an organization (so "Daesh" is not a place)."""
        key = org_key(name)
        return key in self.canonicals or org_key(without_legal_form(name)) in self.canonicals

    def not_org(self, name: str, *, models: bool = True) -> str | None:
        """The category of a name the tables list as no organization ("Oscars": award), or
        None. With `models`, a product's name counts with its model after it ("Xbox 2"). A name
        the [aliases] know is an organization whatever this section says."""
        if not self.not_orgs or self.is_known(name):
            return None
        words = clean_name(name).split()
        for end in range(len(words), 0, -1):
            found = self.not_orgs.get(org_key(" ".join(words[:end])))
            if found and (end == len(words) or (models and found in PREFIX_CATEGORIES)):
                return found
        return None

    def parents(self, name: str) -> tuple[str, ...]:
        """The larger bodies the organization belongs to ("World Food Programme" -> the UN)."""
        return self.parents_of.get(self.canonical(name), ())

    def __iter__(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Each canonical name with its aliases, sorted, for listing (renamed entries left out)."""
        current = (item for item in self.aliases.items() if self.canonical(item[0]) == item[0])
        return iter(sorted(current, key=lambda item: item[0].casefold()))


@dataclass(frozen=True)
class AliasFile:
    """A user alias file as read: its path, for messages, and its text. Extraction workers get
    these rather than paths, so they use what the parent checked and fingerprinted."""

    path: Path
    text: str


def index_alias_file(index_dir: Path) -> Path:
    """The alias file of the index at `index_dir`: ./idx.aliases.toml for ./idx."""
    folder = index_dir.expanduser().absolute()
    return folder.parent / f"{folder.name or 'index'}{INDEX_ALIAS_SUFFIX}"


def alias_paths(index_dir: Path | None = None) -> tuple[Path, ...]:
    """Where user alias files are looked for, in reading order: the config file, then the
    index's own file (when an index is named), which therefore wins."""
    paths = [config_file()]
    if index_dir is not None:
        paths.append(index_alias_file(index_dir))
    return tuple(paths)


def read_alias_files(index_dir: Path | None = None) -> tuple[AliasFile, ...]:
    """The user alias files that exist, read and checked (UsageError naming the file and line)."""
    found = tuple(_read(path) for path in alias_paths(index_dir) if path.is_file())
    for item in found:
        _parse(item)
    return found


def load_aliases(extra: Sequence[Path | AliasFile] = ()) -> AliasTable:
    """The built-in alias table merged with the user alias files, later files winning."""
    tables = [_builtin_table(), *(_parse(_read(f) if isinstance(f, Path) else f) for f in extra)]
    aliases: dict[str, tuple[str, ...]] = {}
    parents: dict[str, tuple[str, ...]] = {}
    kinds: dict[str, str] = {}
    not_orgs: dict[str, str] = {}
    canonicals: dict[str, str] = {}
    for table in tables:
        for canonical, names in table["aliases"].items():
            aliases[canonical] = tuple(dict.fromkeys((*aliases.get(canonical, ()), *names)))
            for name in (canonical, *names):
                canonicals[org_key(name)] = canonical
        parents.update(table["parents"])
        kinds.update({name: kind for kind, names in table["kinds"].items() for name in names})
        listed = table["not_organizations"].items()
        not_orgs.update({org_key(name): kind for kind, names in listed for name in names})
    resolved = {key: _follow(canonicals, name) for key, name in canonicals.items()}
    kinds = {_follow(resolved, name): kind for name, kind in kinds.items()}
    return AliasTable(resolved, aliases, parents, kinds, not_orgs)


def _follow(canonicals: Mapping[str, str], name: str) -> str:
    """A user file may rename a built-in canonical name ("UN" = ["United Nations"]): follow it."""
    seen = {name}
    while (target := canonicals.get(org_key(name), name)) not in seen:
        seen.add(target)
        name = target
    return name


Table = dict[str, dict[str, tuple[str, ...]]]


@lru_cache(maxsize=1)
def _builtin_table() -> Table:
    text = resources.files("index").joinpath("data", BUILTIN).read_text(encoding="utf-8")
    return _validate(tomllib.loads(text), text, Path(BUILTIN))


def _read(path: Path) -> AliasFile:
    try:
        return AliasFile(path, path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"Alias file {path} cannot be read ({error}); check the path") from error


def _parse(source: AliasFile) -> Table:
    try:
        data = tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as error:
        problem, line = _decode_problem(str(error), source.text)
        raise UsageError(f"{_where(source.path, line)}: {problem}; {FORMAT_HINT}") from error
    return _validate(data, source.text, source.path)


def _decode_problem(message: str, text: str) -> tuple[str, int | None]:
    """tomllib ends its messages with "(at line N, column M)" or "(at end of document)"."""
    found = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
    if not found:
        return message, None
    line = int(found.group(1)) if found.group(1) else len(text.splitlines())
    return message[: found.start()], line


def _where(path: Path, line: int | None) -> str:
    return f"Alias file {path}, line {line}" if line else f"Alias file {path}"


def _validate(data: dict[str, object], text: str, path: Path) -> Table:
    """The alias sections of a file; other sections (the config file's [[boilerplate]] rules)
    are left to their readers, but a near-miss of a section name ("[alias]") is refused."""
    for section in sorted(set(data) - set(SECTIONS)):
        close = difflib.get_close_matches(section, SECTIONS, n=1, cutoff=0.75)
        if close:
            raise UsageError(
                f"{_where(path, _line_of(text, section))}: unknown section [{section}]; "
                f"did you mean [{close[0]}]? The sections are [aliases], [parents], [kinds] "
                "and [not_organizations]"
            )
    tables = {
        section: _names_table(data.get(section, {}), section, text, path) for section in SECTIONS
    }
    for section, known in (("kinds", KINDS), ("not_organizations", NOT_ORG_KINDS)):
        for kind in tables[section]:
            if kind not in known:
                raise UsageError(
                    f"{_where(path, _line_of(text, kind))}: unknown kind {kind!r} in "
                    f"[{section}]; use one of {', '.join(known)}"
                )
    return tables


def _names_table(value: object, section: str, text: str, path: Path) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        line = _line_of(text, section)
        raise UsageError(
            f"Alias file {path}, line {line}: {section} must be a table; {FORMAT_HINT}"
        )
    table: dict[str, tuple[str, ...]] = {}
    for name, names in value.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise UsageError(
                f"{_where(path, _line_of(text, name))}: the value of {name!r} must be "
                f'a list of names; {FORMAT_HINT}, e.g. "{name}" = ["ABC"]'
            )
        table[clean_name(name)] = tuple(clean_name(n) for n in names)
    return table


def _line_of(text: str, needle: str) -> int | None:
    """The line number of a key, for messages: tomllib reports lines only for syntax errors."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


# A long name followed by its acronym in brackets, or an acronym followed by its long name.
# The name is looked for in the clause before the bracket (at most NAME_CHARS back): a regex
# that matched the name itself tried every start position and cost 8 ms an article.
_ACRONYM_IN_BRACKETS = re.compile(r"\(\s*([A-Z][A-Za-z&]{1,9})\s*\)")
_CLAUSE_END = re.compile(r"[.;:!?()\n]")
NAME_CHARS = 200
_ACRONYM_THEN_NAME = re.compile(r"\b([A-Z][A-Z&]{1,9})\s*\(\s*([^()\n]{3,120}?)\s*\)")
_MINOR_WORDS = frozenset(
    {"of", "for", "the", "and", "on", "in", "de", "du", "des", "la", "al", "&"}
)


def article_acronyms(text: str) -> dict[str, str]:
    """Acronyms an article defines: "the Syrian Center for Policy Research (SCPR)" gives
    {"SCPR": "Syrian Center for Policy Research"}, provided the capitalised words spell it."""
    found: dict[str, str] = {}
    for match in _ACRONYM_IN_BRACKETS.finditer(text):
        acronym = match.group(1)
        before = text[max(0, match.start() - NAME_CHARS) : match.start()]
        clause = _CLAUSE_END.split(before)[-1]
        long_name = _spelling_tail(clause.split(), acronym) if len(clause) >= 3 else None
        long_name = long_name.rstrip(",;:") if long_name else None  # "Loop Unbundling, (LLU)"
        if long_name and acronym not in found:
            found[acronym] = long_name
    for match in _ACRONYM_THEN_NAME.finditer(text):
        acronym, long_name = match.group(1), clean_name(match.group(2))
        if _spells(long_name.split(), acronym) and acronym not in found:
            found[acronym] = long_name
    return found


def _spelling_tail(words: list[str], acronym: str) -> str | None:
    """The shortest run of words ending the text whose initials spell the acronym."""
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        if tail[0][:1].isupper() and _spells(tail, acronym):
            return " ".join(tail)
    return None


def _spells(words: list[str], acronym: str) -> bool:
    initials = "".join(word[0] for word in words if word.casefold() not in _MINOR_WORDS)
    capitalised = all(word[:1].isupper() for word in words if word.casefold() not in _MINOR_WORDS)
    return capitalised and initials.casefold() == acronym.replace("&", "").casefold()
