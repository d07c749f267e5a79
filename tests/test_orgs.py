"""Organization aliases: the built-in table, user alias files, acronyms defined in an article."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from index.errors import UsageError
from index.orgs import (
    AliasTable,
    article_acronyms,
    clean_name,
    load_aliases,
    org_key,
)
from tests.conftest import shared_data

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "syria-khanaser-aid.txt"


@pytest.fixture(scope="module")
def table() -> AliasTable:
    return load_aliases()


@pytest.mark.parametrize("name", ["UN", "U.N.", "United Nations", "the United Nations", "UN's"])
def test_united_nations_forms_merge(table: AliasTable, name: str) -> None:
    assert table.canonical(name) == "United Nations"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("World Food Program", "World Food Programme"),
        ("WFP", "World Food Programme"),
        ("Security Council", "UN Security Council"),
        ("UN Security Council", "UN Security Council"),
        ("Red Cross", "International Committee of the Red Cross"),
        (
            "the International Committee of the Red Cross",
            "International Committee of the Red Cross",
        ),
        ("Daesh", "Islamic State"),
        ("ISIL", "Islamic State"),
        ("Nusra Front", "al-Nusra Front"),
        ("al-Nusra Front", "al-Nusra Front"),
        ("Al Nusra Front", "al-Nusra Front"),
        ("Nato", "NATO"),
        ("Medecins Sans Frontieres", "Médecins Sans Frontières"),
    ],
)
def test_builtin_aliases(table: AliasTable, written: str, canonical: str) -> None:
    assert table.canonical(written) == canonical


def test_capital_acronyms_do_not_match_ordinary_words(table: AliasTable) -> None:
    assert table.canonical("WHO") == "World Health Organization"
    assert table.canonical("who") == "who"
    assert table.canonical("IS") == "Islamic State"
    assert not table.is_known("is")


def test_unknown_names_come_back_cleaned(table: AliasTable) -> None:
    written = "the Syrian Observatory for\nHuman Rights's"
    assert table.canonical("The Ministry of  Truth's") == "Ministry of Truth"
    assert table.canonical(written) == "Syrian Observatory for Human Rights"
    assert clean_name("  the\nBaltic Group ") == "Baltic Group"


def test_known_groups_are_organizations_not_places(table: AliasTable) -> None:
    assert table.is_known("Daesh")
    assert table.is_known("Hezbollah")
    assert not table.is_known("Aleppo")


def test_parents_give_the_larger_body(table: AliasTable) -> None:
    assert table.parents("WFP") == ("United Nations",)
    assert table.parents("SARC") == ("Red Crescent",)
    assert table.parents("Reuters") == ()


def test_builtin_table_has_no_alias_claimed_twice() -> None:
    text = (ROOT / "index" / "data" / "orgs.toml").read_text(encoding="utf-8")
    aliases = tomllib.loads(text)["aliases"]
    owners: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            key = org_key(name)
            assert owners.setdefault(key, canonical) == canonical, f"{name!r} is claimed twice"
    assert len(aliases) >= 100


def test_listing_is_sorted_and_complete(table: AliasTable) -> None:
    listed = dict(table)
    assert listed["United Nations"] == ("UN", "U.N.", "United Nations Organization")
    names = list(listed)
    assert names == sorted(names, key=str.casefold)


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "aliases.toml"
    user.write_text(
        "[aliases]\n"
        '"Syrian Center for Policy Research" = ["SCPR"]\n'
        '"UN" = ["United Nations"]\n'
        "[parents]\n"
        '"Syrian Center for Policy Research" = ["Syrian research groups"]\n',
        encoding="utf-8",
    )
    table = load_aliases([user])
    assert table.canonical("SCPR") == "Syrian Center for Policy Research"
    assert table.parents("SCPR") == ("Syrian research groups",)
    # The user renamed the UN: every built-in form now folds to the user's name.
    assert {table.canonical(n) for n in ("U.N.", "UN", "United Nations")} == {"UN"}
    assert "United Nations" not in dict(table)
    assert load_aliases().canonical("U.N.") == "United Nations"  # the built-in is untouched


def test_later_user_file_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('[aliases]\n"Alpha Group" = ["AG"]\n', encoding="utf-8")
    second.write_text('[aliases]\n"Attorney General" = ["AG"]\n', encoding="utf-8")
    assert load_aliases([first, second]).canonical("AG") == "Attorney General"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('[aliases]\n"World Food Programme" = ["WFP"\n', 2),
        ('[aliases]\n"UN" = ["U.N."]\n"World Food Programme" ["WFP"]\n', 3),
    ],
)
def test_invalid_toml_names_the_file_the_line_and_the_fix(
    tmp_path: Path, content: str, line: int
) -> None:
    user = tmp_path / "aliases.toml"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_aliases([user])
    message = str(caught.value)
    assert message.startswith(f"Alias file {user}, line {line}: ")
    assert message.endswith('write it as [aliases] then "Full Name" = ["ALIAS", ...]')
    assert "\n" not in message


def test_value_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    user = tmp_path / "aliases.toml"
    user.write_text('# mine\n[aliases]\n"World Food Programme" = "WFP"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 3: the value of 'World Food Programme' must be"):
        load_aliases([user])


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    user = tmp_path / "aliases.toml"
    user.write_text('[alias]\n"WFP" = ["World Food Programme"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 1: unknown section \[alias\]"):
        load_aliases([user])


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot be read"):
        load_aliases([tmp_path / "absent.toml"])


def test_seed_article_defines_scpr() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert article_acronyms(text) == {"SCPR": "Syrian Center for Policy Research"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the World Food Programme (WFP) said", {"WFP": "World Food Programme"}),
        (
            "by the Islamic State of Iraq and the Levant (ISIL) in",
            {"ISIL": "Islamic State of Iraq and the Levant"},
        ),
        (
            "said SOHR (Syrian Observatory for Human Rights) on",
            {"SOHR": "Syrian Observatory for Human Rights"},
        ),
        ("some 12 people (AP) were", {}),
        ("the army (SAA) moved", {}),  # lower-case words cannot spell an acronym
        ("in 2011 (see below) it", {}),
    ],
)
def test_acronyms_must_fit_the_capitalised_words(text: str, expected: dict[str, str]) -> None:
    assert article_acronyms(text) == expected


def test_the_config_file_s_other_sections_are_ignored(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'replace_defaults = false\n[[boilerplate]]\nkind = "cut_from"\npattern = "Read more"\n\n'
        '[aliases]\n"Syrian Network for Human Rights" = ["SNHR"]\n',
        encoding="utf-8",
    )
    assert load_aliases([config]).canonical("SNHR") == "Syrian Network for Human Rights"


def test_a_near_miss_of_a_section_name_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    user = tmp_path / "config.toml"
    user.write_text('[parent]\n"WFP" = ["United Nations"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 1: unknown section \[parent\]; did you mean"):
        load_aliases([user])


# --- names that are no organization: [not_organizations] ------------------------------------


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Oscars", "award"),
        ("the Oscars", "award"),
        ("Champions League", "competition"),
        ("iPod", "product"),
        ("Xbox 2", "product"),  # a product's name with its model
        ("iPod mini", "product"),
        ("Budget", "event"),
        ("Congressional Budget Office", None),  # an organization that holds a listed word
        ("Microsoft", None),
    ],
)
def test_the_builtin_table_lists_names_that_are_no_organization(
    table: AliasTable, name: str, category: str | None
) -> None:
    assert table.not_org(name) == category


def test_only_a_products_name_goes_on_with_more_words(table: AliasTable) -> None:
    assert table.not_org("Oscars Committee") is None
    assert table.not_org("Xbox Live Arcade") == "product"
    assert table.not_org("Xbox Live Arcade", models=False) is None


def test_a_user_file_extends_the_list_and_an_alias_wins(tmp_path: Path) -> None:
    user = tmp_path / "config.toml"
    user.write_text(
        '[not_organizations]\nproduct = ["Zune"]\nwork = ["The Aviator"]\n\n'
        '[aliases]\n"Budget Rent a Car" = ["Budget"]\n',
        encoding="utf-8",
    )
    aliases = load_aliases([user])
    assert aliases.not_org("Zune") == "product" and aliases.not_org("Aviator") == "work"
    assert aliases.not_org("Budget") is None  # the user's alias makes it an organization
    assert load_aliases().not_org("Zune") is None


def test_an_unknown_category_is_refused_with_the_line(tmp_path: Path) -> None:
    user = tmp_path / "config.toml"
    user.write_text('[not_organizations]\ngadget = ["Zune"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 2: unknown kind 'gadget' in \[not_organizations\]"):
        load_aliases([user])


# BBC articles that had each hand-judged non-organization as an org value
# (bench/results/bbc-facets-judged.md); "Rings" is the model's cut of "Lord of the Rings". The
# film "Aviator" is left: titles are an open class, and the rule tried for them lowered IE-ER.
BBC_NON_ORGS = {
    "sport-096.txt": "Champions League",
    "entertainment-039.txt": "Oscars",
    "tech-040.txt": "iPod",
    "tech-015.txt": "Xbox",
    "business-106.txt": "Budget",
    "entertainment-036.txt": "Rings",
}


@pytest.mark.data
def test_bbc_judged_non_organizations_are_no_org_values(
    build_index: Callable[..., tuple[Path, object]],
) -> None:
    from typer.testing import CliRunner

    from search.cli import app

    files = {
        name: shared_data(f"news/bbc/docs/{name}").read_text(encoding="utf-8")
        for name in BBC_NON_ORGS
    }
    directory, _ = build_index(files=files)
    runner = CliRunner()
    for field in ("org", "place"):
        result = runner.invoke(
            app, ["facets", "*", "--field", field, "-n", "500", "--index", str(directory),
                  "--format", "csv"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        values = {line.rsplit(",", 1)[0] for line in result.output.splitlines()[1:]}
        assert values, field
        assert not set(BBC_NON_ORGS.values()) & values, field
