"""Parsers from decoded text to article drafts, one per input format (.txt, .md, .html, .json).

index.read finds, decodes and size-checks files, then turns these drafts into cleaned Articles.

JSON and JSONL keys (matched case-insensitively; the first one present wins):
title: title, headline, name; body: body, text, content, articleBody (a string, or a list of
paragraph strings); date: date, published, published_at, datePublished, pubDate;
url: url, link; section: section, category, articleSection (a string or a list of strings);
id: id, _id, guid. An item without body text is skipped; one without a title gets the
first sentence of its body as title.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from index.dates import normalise_date

TITLE_KEYS = ("title", "headline", "name")
BODY_KEYS = ("body", "text", "content", "articlebody")
DATE_KEYS = ("date", "published", "published_at", "datepublished", "pubdate")
URL_KEYS = ("url", "link")
SECTION_KEYS = ("section", "category", "articlesection")
ID_KEYS = ("id", "_id", "guid")
TITLE_MAX_CHARS = 120


@dataclass(frozen=True)
class Draft:
    """An article as parsed, before cleaning; `item` names it inside a multi-article file."""

    title: str
    body: str
    section: str = ""
    date: str | None = None
    url: str = ""
    item: str | None = None


@dataclass(frozen=True)
class Bad:
    """Why one file or one item of it cannot become an article, in words a user can act on."""

    reason: str


# --- plain text and markdown ------------------------------------------------------------------


def parse_text(text: str) -> Draft:
    """Seed layout (section, blank, headline, blank, body) or plain (headline line, body)."""
    blocks = [block for block in _blocks(text) if block]
    if not blocks:
        return Draft(title="", body="")
    first = blocks[0]
    if len(blocks) >= 3 and _is_section(first) and _is_headline(blocks[1], above=first):
        return Draft(title=blocks[1][0], body=_join(blocks[2:]), section=first[0])
    title = first[0]
    rest = [first[1:], *blocks[1:]] if len(first) > 1 else blocks[1:]
    if rest and _is_title_of(title, first):
        return Draft(title=title.strip(), body=_join(rest))
    return Draft(title=title_from_body(text), body=text)


def _blocks(text: str) -> list[list[str]]:
    """Paragraphs as lists of their stripped lines."""
    chunks = re.split(r"\n[ \t]*\n", text.strip())
    return [[line.strip() for line in chunk.splitlines() if line.strip()] for chunk in chunks]


def _join(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks if block)


def _words(line: str) -> int:
    return len(line.split())


def _ends_like_sentence(line: str) -> bool:
    return line.rstrip("\"'”’)]»* ").endswith((".", ",", ";", ":"))


_CONNECTORS = frozenset({"and", "of", "the", "in", "for", "on", "&", "-", "/", "|", ">", "»"})


def _is_section(block: list[str]) -> bool:
    """A section name: one short title-case line ("Middle East"), no sentence punctuation.

    Title case is what tells "World News" from a short plain-layout headline ("Nadal puts Spain
    2-0 up"): news headlines are written in sentence case far more often than not.
    """
    line = block[0]
    words = line.split()
    return (
        len(block) == 1
        and len(line) <= 40
        and len(words) <= 5
        and not line.endswith((".", ",", ";", ":", "!", "?", '"', "”", ")"))
        and any(char.isalpha() for char in line)
        and all(word[0].isupper() or word.lower() in _CONNECTORS for word in words)
    )


def _is_headline(block: list[str], above: list[str]) -> bool:
    """A headline under a section line: one line, longer than the section, not a paragraph."""
    line = block[0]
    return (
        len(block) == 1
        and _words(above[0]) < _words(line) <= 30
        and len(line) <= 250
        and not _ends_like_sentence(line)
    )


def _is_title_of(line: str, block: list[str]) -> bool:
    """The first line as a headline: short, and not merely the first line of a wrapped paragraph."""
    if _words(line) > 30 or len(line) > 250:
        return False
    if len(block) == 1:
        return True
    # A hard-wrapped paragraph has lines of similar length; a headline is shorter than its body.
    return not _ends_like_sentence(line) and len(line) < 0.7 * len(block[1])


def title_from_body(body: str) -> str:
    """A title for text that has none: its first sentence, cut at a word near TITLE_MAX_CHARS."""
    flat = " ".join(body.split())
    match = re.match(r"(.+?[.!?])(?=\s+[\"'“A-Z0-9]|$)", flat)
    sentence = match.group(1) if match else flat
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    return sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_MARKDOWN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.MULTILINE), replacement)
    for pattern, replacement in (
        (r"<!--.*?-->", ""),
        (r"^[ \t]*(```|~~~).*$", ""),  # code fences: keep the code, drop the fence lines
        (r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", ""),  # horizontal rules
        (r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", ""),  # reference link definitions
        (r"^#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", r"\1"),
        (r"^[ \t]{0,3}>[ \t]?", ""),
        (r"!\[[^\]]*\]\([^)]*\)", ""),
        (r"\[([^\]]+)\]\([^)]*\)", r"\1"),
        (r"\[([^\]]+)\]\[[^\]]*\]", r"\1"),
        (r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),
        (r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1"),
        (r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", r"\1"),
        (r"`([^`\n]+)`", r"\1"),
    )
)


def parse_markdown(text: str) -> Draft:
    """Markdown as plain text (``# `` headings, emphasis, links unwrapped), front matter read."""
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        meta = _front_matter(front.group(1))
        text = text[front.end() :]
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    draft = parse_text(text)
    title = meta.get("title") or draft.title
    body = draft.body if title == draft.title else _join(_blocks(text))
    return Draft(
        title=title,
        body=body,
        section=meta.get("section") or meta.get("category") or draft.section,
        date=normalise_date(meta.get("date")),
        url=meta.get("url", ""),
    )


def _front_matter(block: str) -> dict[str, str]:
    """The simple ``key: value`` lines of YAML front matter (nested YAML is ignored)."""
    meta = {}
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta


# --- HTML -------------------------------------------------------------------------------------


def parse_html(html: str) -> Draft | Bad:
    """Main text, title, date, url and section of a page, by trafilatura (no network access)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        # Metadata only: a date guessed from the page's text is too often some other date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        return Bad("no article text: the page has no main text (only scripts, menus or frames?)")
    # trafilatura puts one block (paragraph, heading, list item) per line.
    blocks = [line.strip() for line in text.splitlines() if line.strip()]
    title = " ".join((getattr(doc, "title", None) or _html_title(html) or "").split())
    if len(blocks) > 1 and blocks[0] == title:
        blocks = blocks[1:]  # the page's <h1>, already the title
    body = "\n\n".join(blocks)
    categories = getattr(doc, "categories", None) or []
    return Draft(
        title=title or title_from_body(body),
        body=body,
        section=", ".join(str(c) for c in categories[:3]),
        date=normalise_date(getattr(doc, "date", None)),
        url=getattr(doc, "url", None) or "",
    )


def _html_title(html: str) -> str:
    for tag in ("title", "h1"):
        match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}\s*>", html, re.IGNORECASE | re.DOTALL)
        if match:
            text = re.sub(r"<[^>]+>", " ", match.group(1)).strip()
            if text:
                return text
    return ""


# --- JSON and JSONL ---------------------------------------------------------------------------


def parse_json(text: str) -> Iterator[Draft | Bad]:
    """One article object, a list of them, or ``{"articles": [...]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        yield Bad(f"bad JSON on line {err.lineno}: {err.msg} (column {err.colno})")
        return
    except (RecursionError, ValueError) as err:
        yield Bad(_json_refused(err, None))
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        yield json_item(data, position=None, where="the file")
    elif isinstance(data, list):
        for number, item in enumerate(data, start=1):
            yield json_item(item, position=str(number), where=f"item {number}")
    else:
        yield Bad(
            "not an article: expected a JSON object, a list of objects or {'articles': [...]}"
        )


def parse_jsonl_line(line: str, number: int) -> Draft | Bad:
    try:
        data = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as err:
        return Bad(f"bad JSON on line {number}: {err.msg} (column {err.colno})")
    except (RecursionError, ValueError) as err:
        return Bad(_json_refused(err, number))
    return json_item(data, position=str(number), where=f"line {number}")


#: JSON may escape half a UTF-16 pair ("\\ud800"); such a string cannot be written as UTF-8, so it
#: is replaced like an invalid UTF-8 byte in a text file: one bad character, not a bad article.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_refused(err: RecursionError | ValueError, number: int | None) -> str:
    """Why Python's json refused valid-looking JSON: nesting past the recursion limit, or an
    integer past int's 4,300-digit conversion limit (both are the json module's own guards)."""
    on = f" on line {number}" if number is not None else ""
    if isinstance(err, RecursionError):
        return f"JSON nested too deeply{on}: an article is an object of fields, not a deep tree"
    if "digits" in str(err):
        return f"bad JSON value{on}: a number over 4,300 digits long"
    return f"bad JSON value{on}: {err}"


def json_item(data: object, position: str | None, where: str) -> Draft | Bad:
    """A draft from one article object; `position` names it when it carries no id of its own."""
    if not isinstance(data, dict):
        return Bad(f"not an article: {where} is a JSON {type(data).__name__}, not an object")
    fields = {str(key).lower(): value for key, value in data.items()}
    body = _text_value(fields, BODY_KEYS, "\n\n")
    if not body.strip():
        return Bad(f"no body text: {where} has none of the keys {', '.join(BODY_KEYS)}")
    own_id = _text_value(fields, ID_KEYS, "")
    title = " ".join(_text_value(fields, TITLE_KEYS, " ").split())
    return Draft(
        title=title or title_from_body(body),
        body=body,
        section=_text_value(fields, SECTION_KEYS, ", "),
        date=normalise_date(_first(fields, DATE_KEYS)),
        url=_text_value(fields, URL_KEYS, " "),
        item=f"id:{own_id}" if own_id else position,
    )


def _first(fields: Mapping[str, object], keys: tuple[str, ...]) -> object:
    return next((fields[key] for key in keys if fields.get(key) not in (None, "", [])), None)


def _text_value(fields: Mapping[str, object], keys: tuple[str, ...], joiner: str) -> str:
    """The first present key's value as text; a list of strings is joined, anything else ignored."""
    value = _first(fields, keys)
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        text = joiner.join(str(v).strip() for v in value if isinstance(v, str | int | float))
        return _LONE_SURROGATE.sub("\ufffd", text)
    return ""
