"""The lexicon files: notation, completeness, and errors a linguist can act on."""

import re

import pytest

from amends.playbook.coach import CHECK_POINTS
from amends.playbook.lexicon import (
    ELEMENTS,
    FLAGS,
    LexiconError,
    load_lexicon,
    parse_lexicon,
    phrase_to_regex,
)


def matches(phrase, text):
    return re.search(phrase_to_regex(phrase), text, re.IGNORECASE) is not None


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("apologi*", "We apologise.", True),
        ("apologi*", "unapologetic", False),
        ("(I am|I'm) sorry", "I'm sorry", True),
        ("[very|so] sorry", "so sorry", True),
        ("I am [very] sorry", "I am sorry", True),
        ("I am [very] sorry", "I am very sorry", True),
        ("understand ... why", "understand exactly and fully why", True),
        ("understand ... why", "understand. Why", False),
        ("my name is {name}", "my name is Anna Nowak", True),
        ("my name is {name}", "my name is not", False),
        ("sorry", "sorryful", False),
    ],
)
def test_phrase_notation(phrase, text, expected):
    assert matches(phrase, text) is expected


def test_question_mark_in_a_phrase_is_refused():
    with pytest.raises(LexiconError, match="cannot appear"):
        phrase_to_regex("(czy )?dobrze")


def test_bad_table_is_reported_with_its_place():
    with pytest.raises(LexiconError, match=r"x.toml \[apology\]"):
        parse_lexicon("en", {"apology": {"phrases": "sorry"}}, "x.toml")


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_every_kind_has_phrases_advice_and_a_label(lang):
    lex = load_lexicon(lang)
    for kind in ELEMENTS + FLAGS + tuple(CHECK_POINTS):
        assert lex.advice.get(kind), f"{lang}: no advice for {kind}"
        assert lex.ui.get(kind), f"{lang}: no label for {kind}"
    for kind in ELEMENTS + FLAGS:
        if kind != "next_step":
            assert lex.categories[kind].phrases is not None, f"{lang}: no phrases for {kind}"
    assert lex.negations is not None
