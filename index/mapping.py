"""The OpenSearch twin of the Whoosh schema: one field table (index/schema.py), two engines.

The mapping is derived field by field from ``schema.build_schema()``, so a field added there
appears here or fails loudly (``field_kind`` knows every Whoosh type the schema uses). Plain
data (no opensearch-py import): `newsdex opensearch mapping` prints it, `push` creates with it.
"""

from __future__ import annotations

from typing import Any

from whoosh import fields
from whoosh.analysis import STOP_WORDS

from index import schema as S

#: The analyzer named in text fields: Whoosh's StemmingAnalyzer, rule for rule.
TEXT_ANALYZER = "newsdex_text"
#: The normalizer of keyword fields: lowercase (as Whoosh's KEYWORD lowercase=True) and ASCII
#: folding, so "Zürich" typed as "zurich" matches on OpenSearch.
KEYWORD_NORMALIZER = "newsdex_keyword"


def analysis() -> dict[str, Any]:
    """Index settings equivalent to Whoosh's StemmingAnalyzer and KEYWORD(lowercase=True).

    StemmingAnalyzer = RegexTokenizer(r"\\w+(\\.?\\w+)*") | LowercaseFilter |
    StopFilter(STOP_WORDS, minsize=2) | StemFilter(porter). Each step has its named twin.
    """
    return {
        "tokenizer": {
            "newsdex_words": {
                "type": "pattern",
                "pattern": r"\w+(\.?\w+)*",
                "group": 0,
                # Python's \w is Unicode-aware; Java's needs the flag.
                "flags": "UNICODE_CHARACTER_CLASS",
            }
        },
        "filter": {
            "newsdex_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            "newsdex_minsize": {"type": "length", "min": 2},
        },
        "analyzer": {
            TEXT_ANALYZER: {
                "type": "custom",
                "tokenizer": "newsdex_words",
                "filter": ["lowercase", "newsdex_stop", "newsdex_minsize", "porter_stem"],
            }
        },
        "normalizer": {
            KEYWORD_NORMALIZER: {"type": "custom", "filter": ["lowercase", "asciifolding"]}
        },
    }


def field_kind(field: fields.FieldType) -> str:
    """What a Whoosh field means, in one word shared by both engines (the test compares these)."""
    if isinstance(field, fields.NUMERIC) and not isinstance(field, fields.DATETIME):
        return "number"
    if isinstance(field, fields.DATETIME):
        return "date"
    if isinstance(field, fields.TEXT):
        return "text"
    if isinstance(field, fields.KEYWORD):
        return "keywords"
    if isinstance(field, fields.ID):
        return "id"
    if isinstance(field, fields.STORED):
        return "stored"
    raise TypeError(f"no OpenSearch mapping for Whoosh field type {type(field).__name__}")


def _property(name: str, kind: str) -> dict[str, Any]:
    if kind == "number":
        return {"type": "double"}  # an array of values: a range matches when any value does
    if kind == "date":
        return {"type": "date", "format": "strict_date_optional_time"}
    if kind == "text":
        return {"type": "text", "analyzer": TEXT_ANALYZER}
    if kind == "keywords":
        return {"type": "keyword", "normalizer": KEYWORD_NORMALIZER}
    if kind == "id":
        return {"type": "keyword"}  # ids and fingerprints match exactly, as Whoosh's ID
    if name == S.ENTITIES:
        return {"type": "object", "enabled": False}  # a JSON document, for display only
    return {"type": "keyword", "index": False}


def kind_of_property(prop: dict[str, Any]) -> str:
    """The inverse of ``_property``: what an OpenSearch property means (for the test)."""
    if prop["type"] == "double":
        return "number"
    if prop["type"] == "date":
        return "date"
    if prop["type"] == "text":
        return "text"
    if prop["type"] == "object" or prop.get("index") is False:
        return "stored"
    return "keywords" if "normalizer" in prop else "id"


def mapping() -> dict[str, Any]:
    """The body of an OpenSearch create-index request for a newsdex index."""
    schema = S.build_schema()
    properties = {name: _property(name, field_kind(schema[name])) for name in schema.names()}
    return {
        "settings": {"analysis": analysis()},
        "mappings": {
            "dynamic": "strict",
            "_meta": {"newsdex_schema_version": S.SCHEMA_VERSION},
            "properties": properties,
        },
    }
