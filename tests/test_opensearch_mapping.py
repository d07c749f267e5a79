"""One field table, two engines: the OpenSearch mapping has the Whoosh schema's fields, each
with the same meaning (kind, analysis chain, normalisation)."""

from __future__ import annotations

import json

from typer.testing import CliRunner
from whoosh import analysis, fields
from whoosh.lang.porter import stem

from index import schema as S
from index.mapping import KEYWORD_NORMALIZER, TEXT_ANALYZER, field_kind, kind_of_property, mapping
from search.cli import app


def test_same_fields_same_kinds() -> None:
    schema = S.build_schema()
    properties = mapping()["mappings"]["properties"]
    assert set(properties) == set(schema.names())
    for name in schema.names():
        assert kind_of_property(properties[name]) == field_kind(schema[name]), name


def test_every_query_field_is_mapped() -> None:
    """Every name a user may type resolves to a mapped field (aliases and units included)."""
    properties = mapping()["mappings"]["properties"]
    for name in S.known_fields():
        assert S.canonical_field(name) in properties, name
    for unit in S.UNITS:
        assert properties[unit] == {"type": "double"}


def test_strict_and_versioned() -> None:
    body = mapping()["mappings"]
    assert body["dynamic"] == "strict"
    assert body["_meta"]["newsdex_schema_version"] == S.SCHEMA_VERSION


def test_text_analyzer_is_whooshs_chain() -> None:
    """Each stage of Whoosh's StemmingAnalyzer, as the schema builds it, has its named twin."""
    schema = S.build_schema()
    settings = mapping()["settings"]["analysis"]
    chain = settings["analyzer"][TEXT_ANALYZER]
    for name in S.TEXT_FIELDS:
        assert mapping()["mappings"]["properties"][name]["analyzer"] == TEXT_ANALYZER
        stages = list(schema[name].analyzer.items)
        tokenizer, lower, stop, stemmer = stages
        assert isinstance(tokenizer, analysis.RegexTokenizer)
        pattern = settings["tokenizer"][chain["tokenizer"]]
        assert pattern["pattern"] == tokenizer.expression.pattern
        assert isinstance(lower, analysis.LowercaseFilter) and chain["filter"][0] == "lowercase"
        assert isinstance(stop, analysis.StopFilter)
        assert set(settings["filter"]["newsdex_stop"]["stopwords"]) == set(stop.stops)
        assert settings["filter"]["newsdex_minsize"]["min"] == stop.min
        assert isinstance(stemmer, analysis.StemFilter) and stemmer.stemfn is stem
        assert (
            chain["filter"][-1] == "porter_stem"
        )  # Lucene's PorterStemFilter, Porter's 1980 rules


def test_keyword_fields_lowercase_like_whoosh() -> None:
    schema = S.build_schema()
    properties = mapping()["mappings"]["properties"]
    normalizer = mapping()["settings"]["analysis"]["normalizer"][KEYWORD_NORMALIZER]
    assert normalizer["filter"][0] == "lowercase"
    for name in (*S.ENTITY_FIELDS, S.WITHIN, S.ORG_ALIAS, S.SECTION):
        field = schema[name]
        assert isinstance(field, fields.KEYWORD)
        assert [t.text for t in field.analyzer("Deir al-Zor,UN")] == ["deir al-zor", "un"]
        assert properties[name]["normalizer"] == KEYWORD_NORMALIZER


def test_cli_prints_mapping() -> None:
    result = CliRunner().invoke(app, ["opensearch", "mapping"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == mapping()
