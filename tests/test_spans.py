"""The span repairs of index/spans.py and the given-name table, as pure text functions."""

from __future__ import annotations

from index.names import given_names, looks_like_person
from index.orgs import without_legal_form
from index.spans import (
    conjuncts,
    coordinated,
    feature_names,
    is_company,
    is_event,
    is_feature,
    is_legal_form,
    name_parts,
    ordinal_before,
    trim_org,
)


def parts(text: str) -> list[str]:
    return [part for _, part in name_parts(text)]


def test_a_span_is_cut_at_line_breaks_only() -> None:
    assert parts("Middle East\n\nSyrian") == ["Middle East", "Syrian"]
    assert parts("GERMANY - Bunds") == ["GERMANY - Bunds"]  # the dash rule was removed


def test_organization_names_lose_dates_and_descriptions() -> None:
    assert trim_org("August Chicago NAPM") == (7, "Chicago NAPM")
    assert trim_org("pro-Socialist CFDT union") == (14, "CFDT")
    assert trim_org("Interfax news")[1] == "Interfax"
    assert trim_org("Computer Systems Inc Q2")[1] == "Computer Systems Inc"
    assert trim_org("New York Energy Desk 212-859-1620")[1] == "New York Energy Desk"
    assert trim_org("Fox 2000")[1] == "Fox 2000"  # a plain number is part of the name
    assert trim_org("Channel 4")[1] == "Channel 4"
    assert trim_org("defence ministry")[1] == ""  # nothing capitalised: no name


def test_a_coordination_is_split_only_when_each_name_stands_alone() -> None:
    text = "Mercantile rose. Commerce fell. Mercantile and Commerce did not comment."
    assert coordinated("Mercantile and Commerce", text) == [(0, "Mercantile"), (15, "Commerce")]
    lone = "Bread and Roses played. Bread and Roses left."
    assert coordinated("Bread and Roses", lone) is None
    firm = "Douglas & Lomason rose. Douglas & Lomason has 4 million shares."
    assert coordinated("Douglas & Lomason", firm) is None  # "&" joins one firm's name
    assert coordinated("Pirelli", "Pirelli rose.") is None
    assert conjuncts("Anders Aukland and Erling Jevne") == ["Anders Aukland", "Erling Jevne"]


def test_street_and_natural_feature_names() -> None:
    assert is_feature("Houston Street") and is_feature("Wilson Dam") and is_feature("Dupont Circle")
    assert not is_feature("World Trade Center") and not is_feature("Street")
    text = "They met at 601 Riverview Dr. and walked to 79th Street. For Wall Street, Rev. Dr. King"
    assert [name for _, _, name in feature_names(text)] == [
        "601 Riverview Dr.",
        "79th Street",
        "Wall Street",
    ]


def test_awards_ordinals_and_companies() -> None:
    assert is_event("Academy Award") and is_event("Tusker Kenya Open")
    assert not is_event("Award")  # one word: the name itself
    assert ordinal_before("The 8th U.S. Circuit", 8) == "8th "
    assert ordinal_before("The U.S. Circuit", 4) == ""
    assert is_company("Miles Inc.") and is_company("Metropolitan Opera")
    assert is_legal_form("TV Books LLC") and not is_legal_form("Metropolitan Opera")


def test_legal_forms_fold_to_the_bare_name() -> None:
    assert without_legal_form("Open Text Corp.") == "Open Text"
    assert without_legal_form("Pirelli SpA") == "Pirelli"
    assert without_legal_form("Homegate Hospitality, Inc.") == "Homegate Hospitality"
    assert without_legal_form("Co.") == "Co."  # nothing would be left
    # Wire news writes "& Co.": the ampersand goes with the legal form (issue 15).
    assert without_legal_form("Merrill Lynch & Co.") == "Merrill Lynch"
    assert without_legal_form("Goldman, Sachs & Co.") == "Goldman, Sachs"
    assert without_legal_form("Procter & Gamble Co.") == "Procter & Gamble"


def test_given_names_open_a_persons_name() -> None:
    names = given_names()
    assert 1_500 < len(names) < 5_000
    assert {"Julia", "Anders", "Paul"} <= names
    assert not {"General", "Justice", "Wells"} & names  # words of one language's table only
    assert looks_like_person("Julia Chepalova") and looks_like_person("Paul VI")
    assert not looks_like_person("Julia") and not looks_like_person("General Electric")


def test_camel_case_names_are_names() -> None:
    assert trim_org("eBay")[1] == "eBay" and trim_org("Apple iPod")[1] == "Apple iPod"


def test_a_club_named_after_a_forest_is_no_feature() -> None:
    assert not is_feature("Nottingham Forest") and not is_feature("Cold Mountain")
    assert is_feature("Rocky Mountains")


def test_names_lose_dangling_dashes_and_commas() -> None:
    from index.extract import clean_name
    from index.orgs import article_acronyms

    assert (
        clean_name("Xenon -") == "Xenon" and clean_name("-- Warsaw Newsroom") == "Warsaw Newsroom"
    )
    assert clean_name("al-Nusra") == "al-Nusra"
    text = "In other sectors, Local Loop Unbundling, (LLU), lets rivals in."
    assert article_acronyms(text) == {"LLU": "Local Loop Unbundling"}
