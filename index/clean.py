"""Site boilerplate removal ("Related Articles", "Back to top button", ...) and text normalisation.

The rules are data: DEFAULT_RULES plus ``[[boilerplate]]`` entries of the user's TOML config file.

A rule's ``pattern`` is a Python regular expression that must match a *whole* line
(``re.fullmatch``, case-insensitive) after the line's surrounding whitespace is stripped and
its inner runs of spaces are collapsed to one. Plain words match themselves; escape
``. ? * + ( ) [ ]`` with a backslash to match them literally. The kinds:

- ``cut_from``: the matching line and everything after it are dropped. It never fires before
  the first paragraph of text, so a rule cannot empty an article that opens with its heading.
- ``drop_line``: the matching line is dropped.
- ``drop_paragraph``: the matching line is dropped, and so is the paragraph that follows it
  (blank lines first skipped, then every line up to the next blank line).

Config file example (``replace_defaults`` must come before the first ``[[boilerplate]]``)::

    replace_defaults = false   # true: use only the rules below, not DEFAULT_RULES

    [[boilerplate]]
    kind = "cut_from"
    pattern = "More from this site"
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, cast, get_args

from index.errors import UsageError

RuleKind = Literal["cut_from", "drop_line", "drop_paragraph"]
KINDS: tuple[str, ...] = get_args(RuleKind)


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: what to drop when a whole line matches ``pattern``."""

    kind: RuleKind
    pattern: str


def _rules(kind: RuleKind, *patterns: str) -> tuple[Rule, ...]:
    return tuple(Rule(kind, pattern) for pattern in patterns)


# Only lines that are whole headings or buttons: a sentence of real text never matches these.
DEFAULT_RULES: tuple[Rule, ...] = (
    *_rules(
        "cut_from",
        r"related (articles?|stories|posts|news|content|coverage|topics)",
        r"(you (may|might) also like|recommended (for you|stories|articles)|more stories)",
        r"(most (read|popular|viewed)|read next|what to read next)",
        r"(leave|post|add) a (comment|reply)|\d+ (comments?|responses?)",
    ),
    *_rules(
        "drop_line",
        r"back to top( button)?",
        r"(advertisement|advertisements|advert|sponsored( content)?)",
        r"(story|article) continues (below|after (the )?advertisement)( advertisement)?",
        r"(skip to (main )?content|continue reading( below)?|loading\.*)",
        r"print( this (article|page))?",
        r"share (this|the) (article|story|post|page)( on \w+)?:?",
        r"(share|tweet|email|facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram)",
        r"follow us( on [\w ,&]{1,40})?:?",
        r"sign up (for|to) (our|the)( \w+){0,3} newsletters?[.!]?",
        r"subscribe( now| today| here)?[.!]?",
        r"read more\s*(:.{0,150}|…|\.\.\.|»|>+)?",
        r"(click|tap) here( to( [\w'’-]+){1,8})?[.!:]?",
        r"(©|\(c\)|copyright ©?\s*\d{4}).{0,100}|all rights reserved\.?",
        # The plea under an "Adblock Detected" heading, also when a page drops the heading.
        r"(please )?(consider )?(support(ing)? us by )?(disabling|disable|turning off|turn off|"
        r"whitelisting us (in|on)) your ad ?blocker[.!]?( .{0,120})?",
    ),
    *_rules(
        "drop_paragraph",
        r"ad ?block(er)? detected!?",
        r"(we noticed|it looks like) you('re| are) using an ad ?blocker.{0,40}",
    ),
)


def load_rules(config: Path | None) -> list[Rule]:
    """DEFAULT_RULES plus the ``[[boilerplate]]`` rules of `config` (a missing file adds none)."""
    if config is None or not config.exists():
        return list(DEFAULT_RULES)
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeError) as err:
        raise UsageError(f"Cannot read config file {config}: {err}. Check its permissions") from err
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"Config file {config} is not valid TOML ({err}). Fix its syntax") from err
    replace = data.get("replace_defaults", False)
    if not isinstance(replace, bool):
        raise UsageError(f"Config file {config}: replace_defaults must be true or false")
    entries = data.get("boilerplate", [])
    if not isinstance(entries, list):
        raise UsageError(
            f"Config file {config}: write boilerplate rules as [[boilerplate]] tables, "
            'each with kind = "cut_from" | "drop_line" | "drop_paragraph" and pattern = "..."'
        )
    user = [_rule_from(entry, number, config) for number, entry in enumerate(entries, start=1)]
    return user if replace else [*DEFAULT_RULES, *user]


def _rule_from(entry: object, number: int, config: Path) -> Rule:
    where = f"Config file {config}, [[boilerplate]] rule {number}"
    if not isinstance(entry, dict) or set(entry) != {"kind", "pattern"}:
        raise UsageError(f'{where}: give exactly kind = "..." and pattern = "..."')
    kind, pattern = entry["kind"], entry["pattern"]
    if kind not in KINDS:
        raise UsageError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if not isinstance(pattern, str) or not pattern.strip():
        raise UsageError(f"{where}: pattern must be a non-empty string")
    try:
        _compiled(pattern)
    except re.error as err:
        raise UsageError(
            f"{where}: pattern {pattern!r} is not a valid regular expression ({err}); "
            "escape . ? * + ( ) [ ] with a backslash to match them literally"
        ) from err
    return Rule(cast(RuleKind, kind), pattern)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
# A character reference left in text by an export ("Procter &amp; Gamble", "&#8217;"); the
# semicolon is required, so "AT&T" or "R&D" stay as written.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def clean_text(text: str, rules: Sequence[Rule]) -> str:
    """`text` without boilerplate lines, NFC-normalised, paragraphs separated by one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", unescape_references(text))
    lines = [line.rstrip() for line in text.split("\n")]
    return _join_paragraphs(_apply_rules(lines, rules))


def unescape_references(text: str) -> str:
    """HTML character references decoded; an unknown name ("&foo;") stays as written."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(lambda m: html.unescape(m.group()), text)


def _matching_kind(line: str, rules: Sequence[Rule]) -> RuleKind | None:
    key = _SPACES.sub(" ", line.strip())
    if not key or len(key) > 300:  # boilerplate lines are short; this keeps long paragraphs cheap
        return None
    for rule in rules:
        if _compiled(rule.pattern).fullmatch(key):
            return rule.kind
    return None


def _apply_rules(lines: Iterable[str], rules: Sequence[Rule]) -> list[str]:
    kept: list[str] = []
    skipping = False  # inside the paragraph a drop_paragraph rule removes
    seen_text = False  # in the paragraph being skipped
    for line in lines:
        if skipping:
            if line.strip():
                seen_text = True
                continue
            if not seen_text:
                continue
            skipping = False
        kind = _matching_kind(line, rules)
        if kind == "cut_from" and any(k.strip() for k in kept):
            break
        if kind == "drop_paragraph":
            skipping, seen_text = True, False
        if kind is None or kind == "cut_from":
            kept.append(line)
    return kept


def _join_paragraphs(lines: Sequence[str]) -> str:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return "\n\n".join(paragraphs)
