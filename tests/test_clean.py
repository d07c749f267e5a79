"""Boilerplate rules (defaults and the user's config file) and text normalisation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.clean import DEFAULT_RULES, Rule, clean_text, load_rules
from index.errors import UsageError

ARTICLE = "First paragraph of the story.\n\nSecond paragraph, with more detail."


def test_seed_trailing_block_is_removed() -> None:
    text = (
        f"{ARTICLE}\n\nRelated Articles\n\nRebels shell government districts of Aleppo\n\n"
        "Back to top button\n\nAdblock Detected\n\nPlease consider supporting us by disabling "
        "your ad blocker."
    )
    assert clean_text(text, DEFAULT_RULES) == ARTICLE


def test_the_users_seed_tail_is_removed_to_its_last_byte() -> None:
    """The user's seed ends this way, with no newline after the last line."""
    tail = (
        "Related Articles\n\nBack to top button\n\nAdblock Detected\n\n"
        "Please consider supporting us by disabling your ad blocker"
    )
    assert clean_text(f"{ARTICLE}\n\n{tail}", DEFAULT_RULES) == ARTICLE
    # Each part also goes on its own, whichever of the others a page leaves out.
    for part in tail.split("\n\n"):
        assert clean_text(f"{ARTICLE}\n\n{part}", DEFAULT_RULES) == ARTICLE, part


@pytest.mark.parametrize(
    "line",
    [
        "Please consider supporting us by disabling your ad blocker",
        "Please consider supporting us by disabling your ad blocker.",
        "Support us by turning off your adblocker. Our journalism is funded by ads.",
        "Please disable your ad blocker",
    ],
)
def test_an_ad_blocker_plea_without_its_heading_goes(line: str) -> None:
    assert clean_text(f"Opening.\n\n{line}", DEFAULT_RULES) == "Opening."


def test_drop_line_removes_only_that_line() -> None:
    text = "First paragraph.\n\nBack to top button\n\nLast paragraph.\nAdvertisement\nTail."
    assert clean_text(text, DEFAULT_RULES) == "First paragraph.\n\nLast paragraph.\nTail."


def test_drop_paragraph_removes_heading_and_the_paragraph_after_it() -> None:
    text = (
        "Opening paragraph.\n\nAdblock Detected\n\n\nPlease disable your ad blocker.\n"
        "It keeps us going.\n\nClosing paragraph."
    )
    assert clean_text(text, DEFAULT_RULES) == "Opening paragraph.\n\nClosing paragraph."


def test_drop_paragraph_heading_inside_its_paragraph() -> None:
    text = "Opening.\n\nAdblock detected!\nPlease disable it.\n\nClosing."
    assert clean_text(text, DEFAULT_RULES) == "Opening.\n\nClosing."


def test_cut_from_never_empties_an_article_that_opens_with_the_heading() -> None:
    text = "Related articles\n\nThe related articles were filed in the archive."
    assert clean_text(text, DEFAULT_RULES) == text


def test_rules_match_whole_lines_case_insensitively_with_spaces_collapsed() -> None:
    assert clean_text("Kept.\n\n   BACK   TO   TOP  \n\nAlso kept.", DEFAULT_RULES) == (
        "Kept.\n\nAlso kept."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Share prices rose 5% on Monday.",
        "Advertisement revenue fell by a third last year.",
        "Read more carefully, the judge told the jury.",
        "Related articles in the journal were retracted.",
        "Copyright lawyers said the case would take years.",
        "Subscribers now number 2 million.",
        "Back to top form, Federer won in straight sets.",
        "Click here to see why the vote mattered, he wrote.",
        "Twitter said it would appeal.",
        "Sign up for our newsletter and win a prize, the ad said, but nobody did.",
        "Publishers are asking readers to stop disabling their ad blockers.",
        "Please consider the cost, the minister said.",
    ],
)
def test_real_sentences_survive_the_default_rules(sentence: str) -> None:
    text = f"Opening paragraph.\n\n{sentence}\n\nClosing paragraph."
    assert clean_text(text, DEFAULT_RULES) == text


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Sign up for our daily newsletter",
        "Read more: Syria's war explained",
        "Click here to subscribe.",
        "Story continues below advertisement",
        "© 2016 Example News. All rights reserved.",
        "Follow us on Twitter",
        "Skip to main content",
    ],
)
def test_common_boilerplate_lines_go(line: str) -> None:
    assert clean_text(f"Opening.\n\n{line}\n\nClosing.", DEFAULT_RULES) == "Opening.\n\nClosing."


def test_every_default_rule_is_a_valid_regex() -> None:
    for rule in DEFAULT_RULES:
        re.compile(rule.pattern)


def test_whitespace_unicode_and_control_characters_are_normalised() -> None:
    text = (
        "\r\n\r\nCafe\u0301 \x07prices  \r\nrose\t1%.   \r\n\r\n\r\n\r\n\ufeffSecond\x00 one.\n\n"
    )
    assert clean_text(text, ()) == "Café prices\nrose\t1%.\n\nSecond one."


def test_no_rules_keeps_every_line() -> None:
    assert clean_text("Advertisement\n\nRelated Articles\n\nText.", ()) == (
        "Advertisement\n\nRelated Articles\n\nText."
    )


# --- the user's config file -------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_or_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_rules(None) == list(DEFAULT_RULES)
    assert load_rules(tmp_path / "absent.toml") == list(DEFAULT_RULES)


def test_user_rules_extend_the_defaults(tmp_path: Path) -> None:
    config = write(
        tmp_path / "config.toml",
        '[[boilerplate]]\nkind = "cut_from"\npattern = "More from this site"\n\n'
        '[[boilerplate]]\nkind = "drop_line"\npattern = "Photo: .*"\n',
    )
    rules = load_rules(config)
    assert rules[: len(DEFAULT_RULES)] == list(DEFAULT_RULES)
    assert rules[len(DEFAULT_RULES) :] == [
        Rule("cut_from", "More from this site"),
        Rule("drop_line", "Photo: .*"),
    ]
    text = "Story.\n\nPhoto: AP\n\nMore.\n\nMORE FROM THIS SITE\n\nOther story\n\nBack to top"
    assert clean_text(text, rules) == "Story.\n\nMore."


def test_replace_defaults_keeps_only_the_users_rules(tmp_path: Path) -> None:
    config = write(
        tmp_path / "config.toml",
        'replace_defaults = true\n\n[[boilerplate]]\nkind = "drop_line"\npattern = "Promo"\n',
    )
    assert load_rules(config) == [Rule("drop_line", "Promo")]


def test_other_sections_of_the_config_file_are_ignored(tmp_path: Path) -> None:
    config = write(tmp_path / "config.toml", '[organizations]\nUN = ["United Nations"]\n')
    assert load_rules(config) == list(DEFAULT_RULES)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[boilerplate]\nkind = 1", "is not valid TOML"),
        ('[[boilerplate]]\nkind = "cut"\npattern = "x"\n', "kind 'cut' is not one of cut_from"),
        ('[[boilerplate]]\nkind = "drop_line"\npattern = "(unclosed"\n', "not a valid regular"),
        ('[[boilerplate]]\nkind = "drop_line"\npattern = "  "\n', "non-empty string"),
        ('[[boilerplate]]\nkind = "drop_line"\npatern = "x"\n', "give exactly kind"),
        ('boilerplate = "Related"\n', "write boilerplate rules as [[boilerplate]] tables"),
        ('replace_defaults = "yes"\n', "replace_defaults must be true or false"),
    ],
)
def test_an_invalid_config_file_is_a_usage_error_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    config = write(tmp_path / "bad.toml", content)
    with pytest.raises(UsageError) as caught:
        load_rules(config)
    text = str(caught.value)
    assert message in text
    assert str(config) in text
    assert "\n" not in text


def test_rule_numbers_appear_in_config_errors(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.toml",
        '[[boilerplate]]\nkind = "drop_line"\npattern = "ok"\n\n'
        '[[boilerplate]]\nkind = "drop"\npattern = "x"\n',
    )
    with pytest.raises(UsageError, match=r"\[\[boilerplate\]\] rule 2"):
        load_rules(config)


def test_character_references_are_decoded_but_ampersands_stay() -> None:
    text = "Procter &amp; Gamble and Standard &AMP; Poor&#39;s beat AT&T and R&D &foo; rivals"
    assert clean_text(text, ()) == (
        "Procter & Gamble and Standard & Poor's beat AT&T and R&D &foo; rivals"
    )
